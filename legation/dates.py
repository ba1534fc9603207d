"""Dates as intervals: a value at any precision covers a range of days.

TIMEX3 values name days (``2023-03-15``, ``2023-03-15TEV``), months (``2023-03``),
years (``2023``), ISO weeks (``2023-W13``), quarters and halves (``2023-Q1``, ``2023-H2``),
seasons (``2023-SU``), decades (``198X``) and centuries (``19XX``). Each is the interval
from its first to its last day; values that name no calendar range (``PRESENT_REF``,
durations) have none. Filters compare intervals: an event matches a from/to range when
its interval overlaps it, so an event dated ``2023-W13`` is found from 2023-03 to 2023-04.

``interval`` is the one implementation: the writer uses it for new rows, filters for their
values, and the store's migration for rows stored before intervals existed
(``backfill_intervals``). ISO weeks are written without padding (``2000-W7``), as TimeML
corpora write them; both forms are read.
"""
from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import Any

# season -> (first month, last month); winter runs into the next year
SEASONS: dict[str, tuple[int, int]] = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "AU": (9, 11), "WI": (12, 14)}

_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:T.*)?")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_YEAR = re.compile(r"(\d{4})")
_WEEK = re.compile(r"(\d{4})-W(\d{1,2})(?:-.*)?")
_PART = re.compile(r"(\d{4})-([QH])(\d)")
_SEASON = re.compile(r"(\d{4})-(SP|SU|FA|AU|WI)")
_DECADE = re.compile(r"(\d{3})X")
_CENTURY = re.compile(r"(\d{2})XX")

FORMS = "YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Www (ISO week), YYYY-Qn, YYYY-Hn, YYYY-SP|SU|FA|WI, 198X (decade), 19XX (century)"


def _month_end(year: int, month: int) -> date:
    if month > 12:
        year, month = year + 1, month - 12
    return date(year, month, calendar.monthrange(year, month)[1])


def _week_start(year: int, week: int) -> date:
    jan4 = date(year, 1, 4)
    return jan4 - timedelta(days=jan4.isoweekday() - 1) + timedelta(weeks=week - 1)


def _weeks_in(year: int) -> int:
    return date(year, 12, 28).isocalendar()[1]


def interval(value: str | None, strict: bool = False) -> tuple[date, date] | None:
    """First and last day of a date value at any precision; None when it names no range.

    ``strict`` raises ValueError instead of returning None (for values a user typed).
    """
    if value is None:
        if strict:
            raise ValueError("no date given")
        return None
    value = value.strip()
    try:
        result = _interval(value)
    except ValueError:
        result = None
    if result is None and strict:
        raise ValueError(f"{value[:40]!r} is not a date; use {FORMS}")
    return result


def _interval(value: str) -> tuple[date, date] | None:
    if m := _DAY.fullmatch(value):
        day = date(int(m[1]), int(m[2]), int(m[3]))
        return day, day
    if m := _MONTH.fullmatch(value):
        year, month = int(m[1]), int(m[2])
        return date(year, month, 1), _month_end(year, month)
    if m := _YEAR.fullmatch(value):
        year = int(m[1])
        return date(year, 1, 1), date(year, 12, 31)
    if m := _WEEK.fullmatch(value):
        year, week = int(m[1]), int(m[2])
        if not 1 <= week <= _weeks_in(year):
            return None
        start = _week_start(year, week)
        return start, start + timedelta(days=6)
    if m := _PART.fullmatch(value):
        year, part, n = int(m[1]), m[2], int(m[3])
        size = 3 if part == "Q" else 6
        if not 1 <= n <= 12 // size:
            return None
        return date(year, (n - 1) * size + 1, 1), _month_end(year, n * size)
    if m := _SEASON.fullmatch(value):
        year = int(m[1])
        first, last = SEASONS[m[2]]
        return date(year, first, 1), _month_end(year, last)
    if m := _DECADE.fullmatch(value):
        decade = int(m[1]) * 10
        return date(decade, 1, 1), date(decade + 9, 12, 31)
    if m := _CENTURY.fullmatch(value):
        century = int(m[1]) * 100
        return date(max(century, 1), 1, 1), date(century + 99, 12, 31)
    return None


def backfill_intervals(con: Any, table: str = "events", column: str = "date_value") -> int:
    """Fill ``date_start``/``date_end`` of stored rows from their date values: each distinct value
    is computed once in Python and written with one joined UPDATE. Returns the values filled."""
    import pyarrow as pa

    values = [row[0] for row in con.execute(f"SELECT DISTINCT {column} FROM {table} WHERE {column} IS NOT NULL").fetchall()]
    rows = [(value, *found) for value in values if (found := interval(value)) is not None]
    if not rows:
        return 0
    spans = pa.table({"v": [r[0] for r in rows], "s": [r[1] for r in rows], "e": [r[2] for r in rows]})
    con.register("_legation_intervals", spans)
    try:
        con.execute(f"UPDATE {table} SET date_start = i.s, date_end = i.e FROM _legation_intervals i "
                    f"WHERE {table}.{column} = i.v")
    finally:
        con.unregister("_legation_intervals")
    return len(rows)
