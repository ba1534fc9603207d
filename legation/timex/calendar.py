"""Calendar arithmetic and TIMEX3 value formatting."""
from __future__ import annotations

import re
from datetime import date, timedelta

_YEAR_RE = re.compile(r"^(\d{4})")


def fmt_day(d: date) -> str:
    return d.isoformat()


def fmt_month(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def fmt_week(d: date) -> str:
    iso = d.isocalendar()
    return f"{iso[0]:04d}-W{iso[1]:02d}"


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


def resolve_partial_month_day(anchor: date, month: int, day: int | None, direction: int) -> int:
    """Year for a date written without one ("Sept. 11", "in August").

    Past tense picks the latest such date not after the anchor, future the first not
    before it, and no cue the closest one.
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
    if direction < 0:
        past = [c for c in candidates if c[0] <= 0]
        return max(past)[1] if past else anchor.year
    if direction > 0:
        future = [c for c in candidates if c[0] >= 0]
        return min(future)[1] if future else anchor.year
    return min(candidates, key=lambda c: (abs(c[0]), c[0] > 0))[1]


def duration_value(amount: float | None, unit_code: str, time_unit: bool) -> str:
    """TIMEX3 duration: P3Y, PT2H, PXD (X = unknown amount)."""
    if amount is None:
        number = "X"
    elif float(amount).is_integer():
        number = str(int(amount))
    else:
        number = f"{amount:g}"
    return f"PT{number}{unit_code}" if time_unit else f"P{number}{unit_code}"
