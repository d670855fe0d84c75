"""Today's date for the assistant, in one place.

The eligibility rules take the date as a parameter; the actions get it here. The IMPPLUS_TODAY setting
(YYYY-MM-DD) pins it (tests, or replaying a past conversation).
"""

from __future__ import annotations

import datetime as dt

from project_settings import get_settings


def today() -> dt.date:
    return get_settings().impplus_today or dt.date.today()
