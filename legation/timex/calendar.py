"""Calendar arithmetic and TIMEX3 value formatting."""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

_YEAR_RE = re.compile(r"^(?:FY)?(\d{4})")


def fmt_day(d: date) -> str:
    return d.isoformat()


def fmt_month(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def fmt_week(d: date) -> str:
    iso = d.isocalendar()
    return f"{iso[0]:04d}-W{iso[1]}"  # unpadded, as TimeML corpora write weeks


def shift_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_iso_date(value: str | None) -> date | None:
    """A date from an ISO ``YYYY-MM-DD`` prefix; None if the value is coarser or not a date."""
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def value_year(value: str | None) -> int | None:
    if not value:
        return None
    match = _YEAR_RE.match(value)
    return int(match.group(1)) if match else None


def nearest_weekday(anchor: date, weekday: int, direction: int) -> date:
    """Weekday (ISO 1-7) relative to ``anchor``.

    direction -1: the latest such day on or before the anchor; +1: the first on or
    after; 0 (no tense cue): tomorrow if it is tomorrow, else the past, since news
    mostly reports what has happened.
    """
    back = (anchor.isoweekday() - weekday) % 7
    ahead = (weekday - anchor.isoweekday()) % 7
    if direction < 0:
        return anchor - timedelta(days=back)
    if direction > 0:
        return anchor + timedelta(days=ahead)
    return anchor + timedelta(days=1) if ahead == 1 and back > 1 else anchor - timedelta(days=back)


# How many days further away a date may be and still be chosen because the clause's tense
# points to it: past tense picks a date up to about nine months back over one a few weeks
# ahead, but not a date eleven months back over one next week ("must leave by Jan. 14",
# said on Jan. 5, where "said" is not the tense of the deadline).
TENSE_MARGIN_DAYS = 200


def resolve_partial_month_day(anchor: date, month: int, day: int | None, direction: int) -> int:
    """Year for a date written without one ("Sept. 11", "in August").

    The closest such date wins; a tense cue moves the choice to the latest date not after
    the anchor (past) or the first not before it (future) unless that one is more than
    ``TENSE_MARGIN_DAYS`` further away than the closest.
    """
    candidates = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        when = safe_date(year, month, day or 1)
        if when is None:
            continue
        if day is None:
            # compare whole months: "in March" written in March is this March
            key = (year - anchor.year) * 12 + month - anchor.month
            candidates.append((key * 31, year))
        else:
            candidates.append(((when - anchor).days, year))
    closest = min(candidates, key=lambda c: (abs(c[0]), c[0] > 0))
    if direction < 0:
        past = [c for c in candidates if c[0] <= 0]
        chosen = max(past) if past else closest
    elif direction > 0:
        future = [c for c in candidates if c[0] >= 0]
        chosen = min(future) if future else closest
    else:
        return closest[1]
    return chosen[1] if abs(chosen[0]) <= abs(closest[0]) + TENSE_MARGIN_DAYS else closest[1]


def easter(year: int) -> date:
    """Western (Gregorian) Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    day = (h + l - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    """The nth (1-5, or -1 for the last) ISO weekday of a month: Thanksgiving is (11, 4, 4)."""
    if nth > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (nth - 1))
    y, mo = shift_months(year, month, 1)
    last = date(y, mo, 1) - timedelta(days=1)
    return last - timedelta(days=(last.isoweekday() - weekday) % 7)


def resolve_yearly(anchor: date, when: Callable[[int], date | None], direction: int, strict: bool = False) -> date | None:
    """The occurrence of a yearly day (a holiday) meant relative to ``anchor``.

    As for a month and day: the closest, or the one the tense points to within
    ``TENSE_MARGIN_DAYS``; ``strict`` (written "last"/"next") always follows the direction.
    """
    candidates = [(d - anchor).days for y in (anchor.year - 1, anchor.year, anchor.year + 1) if (d := when(y)) is not None]
    if not candidates:
        return None
    closest = min(candidates, key=lambda c: (abs(c), c > 0))
    chosen = closest
    if direction < 0:
        chosen = max((c for c in candidates if c < 0 or (c == 0 and not strict)), default=closest)
    elif direction > 0:
        chosen = min((c for c in candidates if c > 0 or (c == 0 and not strict)), default=closest)
    if not strict and abs(chosen) > abs(closest) + TENSE_MARGIN_DAYS:
        chosen = closest
    return anchor + timedelta(days=chosen)


def duration_value(amount: float | None, unit_code: str, time_unit: bool) -> str:
    """TIMEX3 duration: P3Y, PT2H, PXD (X = unknown amount)."""
    if amount is None:
        number = "X"
    elif float(amount).is_integer():
        number = str(int(amount))
    else:
        number = f"{amount:g}"
    return f"PT{number}{unit_code}" if time_unit else f"P{number}{unit_code}"


_GRANULAR = re.compile(
    r"^(?P<fy>FY)?(?P<year>\d{4})(?:-(?:(?P<month>\d\d)(?:-(?P<day>\d\d))?|(?P<kind>[QH])(?P<n>[1-4])|W(?P<week>\d\d?)|(?P<season>SP|SU|FA|WI)))?$"
)


def period_kind(value: str | None) -> str | None:
    """Granularity of a calendar value: year, fiscal year, half, quarter, season, month,
    week or day; None for anything else (durations, references, times of day)."""
    match = _GRANULAR.match(value or "")
    if match is None:
        return None
    if match["fy"]:
        return "fiscal year" if match.end("year") == len(value) else None
    if match["day"]:
        return "day"
    if match["month"]:
        return "month"
    if match["kind"]:
        return "quarter" if match["kind"] == "Q" else "half"
    if match["week"]:
        return "week"
    if match["season"]:
        return "season"
    return "year"


def shift_years(value: str, years: int) -> str | None:
    """The same period ``years`` years away, at the value's own granularity
    ("1989-Q3" -1 -> "1988-Q3", "FY1990" -> "FY1989", "1989-10-02" -> "1988-10-02")."""
    match = _GRANULAR.match(value or "")
    if match is None:
        return None
    kind = period_kind(value)
    year = int(match["year"]) + years
    if kind == "day":
        day = safe_date(year, int(match["month"]), int(match["day"])) or safe_date(year, int(match["month"]), 28)
        return fmt_day(day) if day else None
    if kind == "week":
        return f"{year:04d}-W{match['week']}"
    rest = value[match.end("year"):]
    return f"{'FY' if match['fy'] else ''}{year:04d}{rest}"


def shift_period(value: str, delta: int) -> str | None:
    """The period ``delta`` steps away at the value's granularity for quarters, halves,
    months and years ("1989-Q1" -1 -> "1988-Q4"); None for other values."""
    match = _GRANULAR.match(value or "")
    kind = period_kind(value)
    if match is None or kind is None:
        return None
    year = int(match["year"])
    if kind in ("quarter", "half"):
        size = 4 if kind == "quarter" else 2
        index = year * size + int(match["n"]) - 1 + delta
        return f"{index // size:04d}-{match['kind']}{index % size + 1}"
    if kind == "month":
        return fmt_month(*shift_months(year, int(match["month"]), delta))
    if kind in ("year", "fiscal year"):
        return shift_years(value, delta)
    if kind == "day":
        return fmt_day(date(year, int(match["month"]), int(match["day"])) + timedelta(days=delta))
    return None
