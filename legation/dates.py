"""Dates as intervals: a value at any precision covers a range of days.

TIMEX3 values name days (``2023-03-15``, ``2023-03-15TEV``), months (``2023-03``),
years (``2023``), ISO weeks (``2023-W13``), quarters and halves (``2023-Q1``, ``2023-H2``),
seasons (``2023-SU``), decades (``198X``) and centuries (``19XX``). Each is the interval
from its first to its last day; values that name no calendar range (``PRESENT_REF``,
durations) have none. Filters compare intervals: an event matches a from/to range when
its interval overlaps it, so an event dated ``2023-W13`` is found from 2023-03 to 2023-04.

``interval`` (Python, used when storing and for filter values) and ``interval_sql``
(the same rules in SQL, used to fill stored rows in a migration) are kept equal by tests.
"""
from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

# season -> (first month, last month); winter runs into the next year
SEASONS: dict[str, tuple[int, int]] = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "AU": (9, 11), "WI": (12, 14)}

_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:T.*)?")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_YEAR = re.compile(r"(\d{4})")
_WEEK = re.compile(r"(\d{4})-W(\d{2})(?:-.*)?")
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


def interval_sql(v: str) -> tuple[str, str]:
    """SQL expressions for the first and last day of the date value in column ``v`` (NULL when none)."""
    y = f"TRY_CAST(substr({v}, 1, 4) AS INTEGER)"
    n7 = f"TRY_CAST(substr({v}, 7, 1) AS INTEGER)"
    week = f"TRY_CAST(substr({v}, 7, 2) AS INTEGER)"
    jan4 = f"make_date({y}, 1, 4)"
    week_start = f"(({jan4} - CAST(isodow({jan4}) - 1 AS INTEGER)) + CAST(({week} - 1) * 7 AS INTEGER))"
    weeks_in = f"weekofyear(make_date({y}, 12, 28))"
    is_day = (f"length({v}) >= 10 AND substr({v}, 5, 1) = '-' AND substr({v}, 8, 1) = '-' "
              f"AND (length({v}) = 10 OR substr({v}, 11, 1) = 'T') AND regexp_full_match(substr({v}, 1, 10), '\\d{{4}}-\\d{{2}}-\\d{{2}}')")
    is_month = f"regexp_full_match({v}, '\\d{{4}}-\\d{{2}}') AND substr({v}, 6, 2) BETWEEN '01' AND '12'"
    is_year = f"regexp_full_match({v}, '\\d{{4}}')"
    is_week = (f"regexp_full_match({v}, '\\d{{4}}-W\\d{{2}}(-.*)?') AND {week} BETWEEN 1 AND {weeks_in}")
    is_quarter = f"regexp_full_match({v}, '\\d{{4}}-Q[1-4]')"
    is_half = f"regexp_full_match({v}, '\\d{{4}}-H[12]')"
    is_season = f"regexp_full_match({v}, '\\d{{4}}-(SP|SU|FA|AU|WI)')"
    is_decade = f"regexp_full_match({v}, '\\d{{3}}X')"
    is_century = f"regexp_full_match({v}, '\\d{{2}}XX')"
    first = f"(CASE substr({v}, 6, 2) WHEN 'SP' THEN 3 WHEN 'SU' THEN 6 WHEN 'WI' THEN 12 ELSE 9 END)"
    last = f"(CASE substr({v}, 6, 2) WHEN 'SP' THEN 5 WHEN 'SU' THEN 8 WHEN 'WI' THEN 2 ELSE 11 END)"
    start = (f"(CASE WHEN {v} IS NULL OR {y} = 0 OR {v} = '000X' THEN NULL "
             f"WHEN {is_day} THEN TRY_CAST(substr({v}, 1, 10) AS DATE) "
             f"WHEN {is_month} THEN make_date({y}, CAST(substr({v}, 6, 2) AS INTEGER), 1) "
             f"WHEN {is_year} THEN make_date({y}, 1, 1) "
             f"WHEN {is_week} THEN {week_start} "
             f"WHEN {is_quarter} THEN make_date({y}, ({n7} - 1) * 3 + 1, 1) "
             f"WHEN {is_half} THEN make_date({y}, ({n7} - 1) * 6 + 1, 1) "
             f"WHEN {is_season} THEN make_date({y}, {first}, 1) "
             f"WHEN {is_decade} THEN make_date(CAST(substr({v}, 1, 3) AS INTEGER) * 10, 1, 1) "
             f"WHEN {is_century} THEN make_date(greatest(CAST(substr({v}, 1, 2) AS INTEGER) * 100, 1), 1, 1) "
             "END)")
    end = (f"(CASE WHEN {v} IS NULL OR {y} = 0 OR {v} = '000X' THEN NULL "
           f"WHEN {is_day} THEN TRY_CAST(substr({v}, 1, 10) AS DATE) "
           f"WHEN {is_month} THEN last_day(make_date({y}, CAST(substr({v}, 6, 2) AS INTEGER), 1)) "
           f"WHEN {is_year} THEN make_date({y}, 12, 31) "
           f"WHEN {is_week} THEN {week_start} + 6 "
           f"WHEN {is_quarter} THEN last_day(make_date({y}, {n7} * 3, 1)) "
           f"WHEN {is_half} THEN last_day(make_date({y}, {n7} * 6, 1)) "
           f"WHEN {is_season} AND substr({v}, 6, 2) = 'WI' THEN last_day(make_date({y} + 1, 2, 1)) "
           f"WHEN {is_season} THEN last_day(make_date({y}, {last}, 1)) "
           f"WHEN {is_decade} THEN make_date(CAST(substr({v}, 1, 3) AS INTEGER) * 10 + 9, 12, 31) "
           f"WHEN {is_century} THEN make_date(CAST(substr({v}, 1, 2) AS INTEGER) * 100 + 99, 12, 31) "
           "END)")
    return start, end
