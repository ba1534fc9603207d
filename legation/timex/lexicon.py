"""The time vocabulary (``data/time_lexicon.yaml``) turned into regex building blocks."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from legation.knowledge import load_yaml
from legation.timex import calendar as cal


def alternation(words: list[str] | set[str] | Any) -> str:
    """Regex alternation of phrases, longest first, spaces matching any whitespace."""
    ordered = sorted({w for w in words}, key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


@dataclass(frozen=True)
class Holiday:
    """A yearly day: fixed (month, day), the nth weekday of a month (+ offset days), or Easter + offset."""

    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    nth: int | None = None
    offset: int = 0
    easter: bool = False

    def in_year(self, year: int) -> date | None:
        if self.easter:
            return cal.easter(year) + timedelta(days=self.offset)
        if self.weekday is not None and self.month is not None and self.nth is not None:
            return cal.nth_weekday(year, self.month, self.weekday, self.nth) + timedelta(days=self.offset)
        if self.month is not None and self.day is not None:
            return cal.safe_date(year, self.month, self.day)
        return None

    @staticmethod
    def from_data(raw: Any) -> "Holiday":
        if isinstance(raw, list):
            return Holiday(month=int(raw[0]), day=int(raw[1]))
        if "easter" in raw:
            return Holiday(easter=True, offset=int(raw["easter"]))
        return Holiday(month=int(raw["month"]), weekday=int(raw["weekday"]), nth=int(raw["nth"]),
                       offset=int(raw.get("offset", 0)))


@dataclass(frozen=True)
class TimeLexicon:
    months: dict[str, int]
    weekdays: dict[str, int]
    numbers: dict[str, float]
    vague_numbers: frozenset[str]
    ordinals: dict[str, int]
    units: dict[str, dict[str, Any]]
    seasons: dict[str, str]
    parts_of_day: dict[str, str]
    position_modifiers: dict[str, str]
    quantity_modifiers: dict[str, str]
    outside_modifiers: tuple[str, ...]
    names: tuple[str, ...]
    holidays: dict[str, Holiday]
    reference_words: dict[str, str]
    future_reference_words: tuple[str, ...]
    future_cues: tuple[str, ...]
    past_cues: tuple[str, ...]
    reporting_verbs: tuple[str, ...]
    abbreviations: frozenset[str]
    financial_cues: tuple[str, ...]
    result_nouns: tuple[str, ...]
    year_before: tuple[str, ...]
    latest: tuple[str, ...]

    # --- regex pieces -------------------------------------------------------------
    @property
    def month_re(self) -> str:
        """Capitalised month names (so "may" and "march" stay verbs); abbreviations may take a dot."""
        full = [m.capitalize() for m in self.months if len(m) > 4 or m in ("may", "june", "july")]
        short = [m.capitalize() for m in self.months if m not in full and m.lower() not in ("june", "july", "may")]
        return r"(?-i:(?:" + alternation(full) + r")\b|(?:" + alternation(short) + r")\b\.?)"

    @property
    def weekday_re(self) -> str:
        full = [d.capitalize() for d in self.weekdays if len(d) > 4]
        short = [d.capitalize() for d in self.weekdays if len(d) <= 4]
        # short forms ("Tues.", "Wed.") only with their dot: "Sun" and "Sat" are words
        return r"(?-i:(?:" + alternation(full) + r")\b|(?:" + alternation(short) + r")\.)"

    @property
    def number_re(self) -> str:
        tens = [w for w, v in self.numbers.items() if isinstance(v, int) and 20 <= v <= 90 and v % 10 == 0]
        ones = [w for w, v in self.numbers.items() if isinstance(v, int) and 1 <= v <= 9 and w not in ("a", "an")]
        compound = rf"(?:{alternation(tens)})[-\s](?:{alternation(ones)})"
        return rf"(?:\d+(?:[.,]\d+)?|{compound}|{alternation(self.numbers)})"

    @property
    def vague_re(self) -> str:
        return alternation(self.vague_numbers)

    def unit_re(self, plural: bool | None = None) -> str:
        """Unit nouns; plural=None admits both forms."""
        singular = list(self.units)
        plurals = [self.plural(u) for u in singular]
        words = singular if plural is False else plurals if plural else singular + plurals
        return alternation(words)

    @staticmethod
    def plural(unit: str) -> str:
        if unit == "century":
            return "centuries"
        if unit == "millennium":
            return "millennia"
        return unit + "s"

    def unit_of(self, word: str) -> str:
        word = word.lower()
        for unit in self.units:
            if word in (unit, self.plural(unit)):
                return unit
        raise KeyError(word)

    def number_value(self, text: str) -> float | None:
        """Numeric value of a number phrase; None for vague amounts ("several")."""
        text = re.sub(r"\s+", " ", text.lower().strip())
        if text in self.vague_numbers:
            return None
        if text in self.numbers:
            return float(self.numbers[text])
        if re.fullmatch(r"\d+(?:,\d{3})+", text):
            return float(text.replace(",", ""))
        if re.fullmatch(r"\d+(?:[.,]\d+)?", text):
            return float(text.replace(",", "."))
        parts = re.split(r"[-\s]", text)
        if len(parts) == 2 and all(p in self.numbers for p in parts):
            return float(self.numbers[parts[0]] + self.numbers[parts[1]])
        return None


@lru_cache(maxsize=None)
def time_lexicon() -> TimeLexicon:
    raw = load_yaml("time_lexicon.yaml")
    return TimeLexicon(
        months={k: int(v) for k, v in raw["months"].items()},
        weekdays={k: int(v) for k, v in raw["weekdays"].items()},
        numbers={k: v for k, v in raw["numbers"].items()},
        vague_numbers=frozenset(raw["vague_numbers"]),
        ordinals={k: int(v) for k, v in raw["ordinals"].items()},
        units=raw["units"],
        seasons=raw["seasons"],
        parts_of_day=raw["parts_of_day"],
        position_modifiers=raw["position_modifiers"],
        quantity_modifiers=raw["quantity_modifiers"],
        outside_modifiers=tuple(raw["outside_modifiers"]),
        names=tuple(raw["names"]),
        holidays={k: Holiday.from_data(v) for k, v in raw["holidays"].items()},
        reference_words=raw["reference_words"],
        future_reference_words=tuple(raw["future_reference_words"]),
        future_cues=tuple(raw["tense_cues"]["future"]),
        past_cues=tuple(raw["tense_cues"]["past"]),
        reporting_verbs=tuple(raw["reporting_verbs"]),
        abbreviations=frozenset(raw["abbreviations"]),
        financial_cues=tuple(raw["financial"]["document_cues"]),
        result_nouns=tuple(raw["financial"]["result_nouns"]),
        year_before=tuple(raw["financial"]["year_before"]),
        latest=tuple(raw["financial"]["latest"]),
    )
