"""Hypothesis strategies for profiles, skips and dates across the program's life."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from tests.engine.oracle import FIELDS, ORDER

# From the program's start to a year after the last dated entry in the data.
FIRST_DAY = dt.date(2022, 5, 24)
LAST_DAY = dt.date(2027, 12, 31)


def field_value(name: str) -> st.SearchStrategy:
    return st.sampled_from((None, *FIELDS[name]))


profiles = st.fixed_dictionaries({name: field_value(name) for name in ORDER})
skips = st.sets(st.sampled_from(ORDER), max_size=4)
dates = st.dates(min_value=FIRST_DAY, max_value=LAST_DAY)
