"""Find and normalise time expressions in a document.

Candidates from every grammar rule are collected, context guards drop impossible
ones, overlaps are settled longest-first, and the survivors are normalised in text
order so that anaphoric expressions ("that year", "at the time") can use the
expressions before them.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from legation.records import TimeValue
from legation.timex import calendar as cal
from legation.timex.grammar import Normalized, Rule, build_rules
from legation.timex.lexicon import TimeLexicon, alternation, time_lexicon

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n\s*\n")
_TWO_WORDS = re.compile(r"\s*(?:[\w'-]+,?\s+){0,2}")
_WORD_BEFORE_STOP = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
_NON_ANCHORS = {"PRESENT_REF", "PAST_REF", "FUTURE_REF"}


@dataclass
class _Emitted:
    tid: str
    start: int
    value: str
    type: str
    moves_reference: bool = True

    @property
    def year(self) -> int | None:
        return cal.value_year(self.value)

    def as_date(self) -> date | None:
        return cal.parse_iso_date(self.value)


class TaggingContext:
    """What a normaliser may consult: publication date, tense cues, earlier expressions."""

    def __init__(self, text: str, dct: date | None, tense_re: re.Pattern[str],
                 financial_re: re.Pattern[str] | None = None, abbreviations: frozenset[str] = frozenset()):
        self.text = text
        self._abbreviations = abbreviations
        self._financial_re = financial_re or re.compile(r"(?!)")
        self._financial: bool | None = None
        self.dct = dct
        self.dct_value = cal.fmt_day(dct) if dct else None
        self._tense_re = tense_re
        self._bounds = [0] + [m.end() for m in _SENTENCE_END.finditer(text) if not self._abbreviation(m.start())] + [len(text)]
        self.emitted: list[_Emitted] = []

    def _abbreviation(self, stop: int) -> bool:
        """Whether the full stop ending at ``stop`` belongs to an abbreviation or an initial."""
        if self.text[stop - 1:stop] != ".":
            return False
        match = _WORD_BEFORE_STOP.search(self.text, max(0, stop - 12), stop)
        if match is None:
            return False
        word = match.group(1).lower()
        return len(word) == 1 or word in self._abbreviations

    def sentence_index(self, offset: int) -> int:
        return bisect.bisect_right(self._bounds, offset) - 1

    def direction(self, match: re.Match[str]) -> int:
        """Tense of the clause around a match: -1 past, +1 future, 0 unknown.

        The cue nearest to the expression wins ("said he will visit on Monday" is future).
        """
        index = self.sentence_index(match.start())
        lo, hi = self._bounds[index], self._bounds[min(index + 1, len(self._bounds) - 1)]
        best: tuple[int, int] | None = None
        for cue in self._tense_re.finditer(self.text, lo, hi):
            if cue.start() >= match.start() and cue.end() <= match.end():
                continue
            distance = match.start() - cue.end() if cue.end() <= match.start() else cue.start() - match.end()
            if cue.lastgroup == "report" and not (
                    cue.end() <= match.start() and _TWO_WORDS.fullmatch(self.text, cue.end(), match.start())):
                continue  # "said (that) the plant will run through June": not the tense of June
            sign = 1 if cue.lastgroup == "future" else -1
            if best is None or distance < best[0]:
                best = (distance, sign)
        return best[1] if best else 0

    def reference(self, offset: int, kinds: frozenset[str] | set[str], sentences: int = 3) -> _Emitted | None:
        """The last period of one of ``kinds`` (see ``calendar.period_kind``) mentioned
        before ``offset`` within ``sentences`` sentences: the time under discussion."""
        here = self.sentence_index(offset)
        for item in reversed(self.emitted):
            if item.start >= offset:
                continue
            if here - self.sentence_index(item.start) > sentences:
                return None
            if item.moves_reference and cal.period_kind(item.value) in kinds:
                return item
        return None

    @property
    def financial(self) -> bool:
        """Whether the document reports on financial periods (quarters, fiscal years, earnings)."""
        if self._financial is None:
            self._financial = bool(self._financial_re.search(self.text))
        return self._financial

    def antecedent(self, offset: int, sentences: int = 3) -> _Emitted | None:
        """The last calendar expression before ``offset`` within ``sentences`` sentences."""
        here = self.sentence_index(offset)
        for item in reversed(self.emitted):
            if item.start >= offset:
                continue
            if here - self.sentence_index(item.start) > sentences:
                return None
            if item.type in ("DATE", "TIME") and item.value not in _NON_ANCHORS and item.year is not None:
                return item
        return None


@lru_cache(maxsize=None)
def _compiled() -> tuple[list[Rule], re.Pattern[str], TimeLexicon, re.Pattern[str]]:
    lex = time_lexicon()
    future = alternation(lex.future_cues)
    past = alternation(lex.past_cues)
    report = alternation(lex.reporting_verbs)
    tense = re.compile(rf"(?P<future>(?<![\w'])(?:{future})(?!\w))|(?P<report>\b(?:{report})\b)|(?<!\bbe )(?<!been )(?<!being )(?<!\bto )(?<!\bis )(?<!\bare )(?<!\bhas )(?<!\bhave )(?P<past>\b(?:{past})\b|\b[a-z]{{2,}}ed\b)")
    financial = re.compile(rf"\b(?:{alternation(lex.financial_cues)})\b", re.IGNORECASE)
    return build_rules(lex), tense, lex, financial


@lru_cache(maxsize=None)
def _names_re() -> re.Pattern[str] | None:
    names = time_lexicon().names
    return re.compile(rf"(?<!\w)(?:{alternation(names)})(?!\w)".replace("'", "['’]")) if names else None


@lru_cache(maxsize=None)
def _outside_re() -> re.Pattern[str]:
    return re.compile(rf"(?:{alternation(time_lexicon().outside_modifiers)})(?:\s+|$)", re.IGNORECASE)


def parse_published(published: str | date | None) -> date | None:
    """Publication date from ISO text (a datetime is cut to its date); None when absent."""
    if published is None or published == "":
        return None
    if isinstance(published, date):
        return published
    try:
        return date.fromisoformat(str(published).strip()[:10])
    except ValueError as exc:
        raise ValueError(f"[E010] publication date {published!r} is not an ISO date (YYYY-MM-DD)") from exc


def tag_times(text: str, published: str | date | None = None) -> list[TimeValue]:
    """All time expressions of ``text``, normalised against the publication date."""
    rules, tense_re, lex, financial_re = _compiled()
    outside_re = _outside_re()
    names_re = _names_re()
    dct = parse_published(published)
    candidates: list[tuple[int, int, int, re.Match[str]]] = []
    for order, rule in enumerate(rules):
        for match in rule.pattern.finditer(text):
            if match.end() == match.start():
                continue
            if rule.guard is not None and not rule.guard(match, text):
                continue
            # a group named "span" narrows the expression; the rest of the match is context
            start, end = match.span("span") if "span" in rule.pattern.groupindex and match.group("span") else match.span()
            if "qmod" in rule.pattern.groupindex and match.group("qmod"):
                outside = outside_re.match(text, match.start("qmod"), match.end("qmod"))
                if outside:  # "about [five hours]": the approximator stays outside the extent
                    start = outside.end()
            candidates.append((start, end, order, match))
    # names that contain time words ("Sunday Times", "Daily News") block what overlaps them
    names = [m.span() for m in names_re.finditer(text)] if names_re is not None else []
    if names:
        candidates = [c for c in candidates if not any(c[0] < e and s < c[1] for s, e in names)]
    # longest first; on equal length the earlier rule (more specific) wins
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
    taken: list[tuple[int, int, int, re.Match[str]]] = []
    occupied: list[tuple[int, int]] = []
    for cand in candidates:
        start, end = cand[0], cand[1]
        pos = bisect.bisect_left(occupied, (start, end))
        if pos > 0 and occupied[pos - 1][1] > start:
            continue
        if pos < len(occupied) and occupied[pos][0] < end:
            continue
        occupied.insert(pos, (start, end))
        taken.append(cand)
    taken.sort(key=lambda c: c[0])

    ctx = TaggingContext(text, dct, tense_re, financial_re, lex.abbreviations)
    results: list[TimeValue] = []
    for start, end, order, match in taken:
        result: Normalized | None = rules[order].normalize(match, ctx)
        if result is None:
            continue
        tid = f"t{len(results) + 1}"
        anchor = result.anchor
        if result.resolution == "relative":
            anchor = "published"
        start, end = _trim(text, start, end)
        results.append(TimeValue(text=text[start:end], start=start, end=end, type=result.type,
                                 value=result.value, anchor=anchor, resolution=result.resolution,
                                 mod=result.mod, id=tid))
        if result.value is not None:
            ctx.emitted.append(_Emitted(tid, start, result.value, result.type, result.moves_reference))
    return results


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop surrounding whitespace and a trailing comma from a span."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end
