"""Today's date for the assistant, in one place.

The eligibility rules take the date as a parameter; the actions get it here. IMPPLUS_TODAY=YYYY-MM-DD
pins it (tests, or replaying a past conversation).
"""

from __future__ import annotations

import datetime as dt
import os


def today() -> dt.date:
    pinned = os.environ.get("IMPPLUS_TODAY")
    return dt.date.fromisoformat(pinned) if pinned else dt.date.today()
