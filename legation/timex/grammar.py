"""The grammar of English time expressions: one rule per construction.

Each rule is a regex plus an optional ``guard`` (rejects a match from its context,
before overlapping candidates are arbitrated) and a ``normalize`` function (turns the
chosen match into a TIMEX3 type/value, in document order so anaphora can look back).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Callable

from legation.timex import calendar as cal
from legation.timex.lexicon import TimeLexicon, alternation

if TYPE_CHECKING:  # pragma: no cover
    from legation.timex.tagger import TaggingContext


@dataclass
class Normalized:
    type: str
    value: str | None
    resolution: str = "absolute"  # absolute | relative | anaphoric | unresolved
    mod: str | None = None
    anchor: str | None = None
    # False for a comparison ("a year earlier"): it does not become the time under discussion
    moves_reference: bool = True


Guard = Callable[[re.Match[str], str], bool]
Normalizer = Callable[[re.Match[str], "TaggingContext"], "Normalized | None"]


@dataclass
class Rule:
    name: str
    pattern: re.Pattern[str]
    normalize: Normalizer
    guard: Guard | None = None


def _word_before(text: str, start: int) -> str:
    match = re.search(r"([A-Za-z][A-Za-z'.-]*)[\s,]*$", text[max(0, start - 40):start])
    return match.group(1).lower().rstrip(".") if match else ""


def _capitalised(names: object) -> str:
    """Alternation of names written with capitals ("Election Day", "Mother's Day"): a holiday
    only counts when capitalised ("election day" in lower case is any election's day)."""
    def cap(name: str) -> str:
        return " ".join(w[:1].upper() + w[1:] for w in name.split(" "))
    return alternation(cap(n) for n in names).replace("'", "['’]")


def _unresolved(type_: str) -> Normalized:
    return Normalized(type_, None, resolution="unresolved")


POSITION = r"(?P<pos>early|earlier|mid|late|later|the\s+(?:beginning|start|middle|end|close|turn)\s+of(?:\s+the)?)"
SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}


def build_rules(lex: TimeLexicon) -> list[Rule]:
    """All rules, most specific first (the order breaks ties between equal-length matches)."""
    MONTH = lex.month_re
    WEEKDAY = lex.weekday_re
    NUM = lex.number_re
    VAGUE = lex.vague_re
    DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
    YEAR = r"(?:1[6-9]\d\d|20\d\d)"
    ORDINAL = alternation(w for w, n in lex.ordinals.items() if n > 0)
    UNIT = lex.unit_re()
    UNIT_PL = lex.unit_re(plural=True)
    PART = alternation(lex.parts_of_day)
    SEASON = alternation(lex.seasons)
    # capitalised words that may follow a month in a date ("in May Monday's vote..." is rare)
    TIME_WORD = rf"(?:{alternation(m.capitalize() for m in lex.months)}|{alternation(d.capitalize() for d in lex.weekdays)}|The|This|That|A|An|It|He|She|They|We|I|There|But|And|In|On|At|Last|Next)"
    # "June last year", "March 5 of next year"
    YEAR_REL = r"(?:,?\s+(?:of\s+)?(?P<yrel>last|this|next)\s+year\b)?"
    SPAN_QMOD = r"(?:almost|nearly|a\s+mere|just\s+over|just|roughly|about|around|more\s+than|less\s+than|at\s+least|over|under|some)"
    flags = re.IGNORECASE

    def compile_(pattern: str) -> re.Pattern[str]:
        # every expression starts at a word start: lets the engine skip mid-word positions
        return re.compile(r"(?<!\w)(?:" + pattern + ")", flags | re.VERBOSE)

    def pos_mod(m: re.Match[str]) -> str | None:
        pos = m.groupdict().get("pos")
        if not pos:
            return None
        key = re.sub(r"\s+", " ", pos.lower()).rstrip("-").strip()
        return lex.position_modifiers.get(key) or lex.position_modifiers.get(re.sub(r" the$", "", key))

    def qmod(m: re.Match[str]) -> str | None:
        q = m.groupdict().get("qmod")
        return lex.quantity_modifiers.get(re.sub(r"\s+", " ", q.lower())) if q else None

    def month_no(word: str) -> int:
        return lex.months[word.lower().rstrip(".")]

    def day_no(word: str) -> int:
        return int(re.match(r"\d+", word).group(0))

    def part_code(word: str | None) -> str | None:
        return lex.parts_of_day[word.lower()] if word else None

    # ---- absolute calendar dates -------------------------------------------------
    def norm_full_date(m: re.Match[str], ctx: TaggingContext) -> Normalized | None:
        when = cal.safe_date(int(m["year"]), month_no(m["month"]), day_no(m["day"]))
        if when is None:
            return None
        return Normalized("DATE", cal.fmt_day(when), mod=pos_mod(m))

    def norm_iso(m: re.Match[str], ctx: TaggingContext) -> Normalized | None:
        when = cal.safe_date(int(m["year"]), int(m["month"]), int(m["day"]))
        return Normalized("DATE", cal.fmt_day(when)) if when else None

    def norm_month_day(m: re.Match[str], ctx: TaggingContext) -> Normalized | None:
        month, day = month_no(m["month"]), day_no(m["day"])
        if cal.safe_date(2000, month, day) is None:  # 2000 is a leap year: admits Feb 29
            return None
        if ctx.dct is None:
            return _unresolved("DATE")
        rel = re.sub(r"\s+", " ", (m.groupdict().get("rel") or "").lower())
        yrel = (m.groupdict().get("yrel") or "").lower()
        if yrel:
            year = ctx.dct.year + {"last": -1, "this": 0, "next": 1}[yrel]
        elif rel in ("last", "this past", "next", "this coming"):
            when = cal.resolve_yearly(ctx.dct, lambda y: cal.safe_date(y, month, day),
                                      -1 if rel in ("last", "this past") else 1, strict=True)
            year = when.year if when else ctx.dct.year
        else:
            year = cal.resolve_partial_month_day(ctx.dct, month, day, ctx.direction(m))
        when = cal.safe_date(year, month, day)
        if when is None:
            return None
        return Normalized("DATE", cal.fmt_day(when), resolution="relative", mod=pos_mod(m))

    def norm_month_year(m: re.Match[str], ctx: TaggingContext) -> Normalized:
        return Normalized("DATE", cal.fmt_month(int(m["year"]), month_no(m["month"])), mod=pos_mod(m))

    def norm_month(m: re.Match[str], ctx: TaggingContext) -> Normalized | None:
        month = month_no(m["month"])
        if ctx.dct is None:
            return _unresolved("DATE")
        rel = (m["rel"] or "").lower()
        dct = ctx.dct
        if m["yrel"]:
            year = dct.year + {"last": -1, "this": 0, "next": 1}[m["yrel"].lower()]
        elif rel == "this":
            year = dct.year
        elif rel in ("last", "past", "previous"):
            year = dct.year if month < dct.month else dct.year - 1
        elif rel in ("next", "coming"):
            year = dct.year if month > dct.month else dct.year + 1
        else:
            year = cal.resolve_partial_month_day(dct, month, None, ctx.direction(m))
        return Normalized("DATE", cal.fmt_month(year, month), resolution="relative", mod=pos_mod(m))

    def guard_bare_month(m: re.Match[str], text: str) -> bool:
        if m["rel"] or m["pos"] or m["yrel"]:
            return True
        # a name: "May Department Stores", "Jan Kavan", "April Glaspie"
        after = re.match(r"\s+([A-Z][a-z]+)", text[m.end():m.end() + 30])
        if after and not re.fullmatch(TIME_WORD, after.group(1)):
            return False
        before = _word_before(text, m.start())
        return before in {
            "in", "since", "until", "till", "by", "of", "from", "to", "through", "during", "before",
            "after", "between", "and", "or", "each", "every", "on", "mid", "early", "late", "end",
            "beginning", "start", "middle", "for", "last", "next", "this", "that", "as",
        }

    def norm_year(m: re.Match[str], ctx: TaggingContext) -> Normalized:
        return Normalized("DATE", m["year"], mod=pos_mod(m))

    def guard_year(m: re.Match[str], text: str) -> bool:
        if m["pos"]:
            return True
        before = text[max(0, m.start() - 12):m.start()]
        after = text[m.end():m.end() + 24]
        if re.search(r"[$€£#№]\s*$|\d[.,]?\s*$|(?:No|no|Nos|nos)\.?\s*$", before):
            return False
        if re.match(r"[.,]\d|\s*(?:%|percent|per\s+cent)|[-–]\d(?!\d(?:\d\d)?\b)|\s*(?:[-–]\s*)?(?:people|persons|troops|soldiers|km|kilometers|kilometres|miles|meters|metres|feet|tons|tonnes|dollars|euros|yuan|votes|members|cases|deaths|times|units|barrels|acres|hectares|pounds|kg|mph|students|workers|refugees|delegates|seats|jobs|homes|houses|vehicles|cars|pages|words)\b", after, re.I):
            return False
        word = _word_before(text, m.start())
        return word not in {"resolution", "route", "flight", "room", "article", "section", "highway",
                            "chapter", "paragraph", "unit", "page", "law", "code", "number", "model",
                            "bus", "channel", "pier", "gate", "terminal", "platform", "suite", "apartment"}

    def norm_range_end(m: re.Match[str], ctx: TaggingContext) -> Normalized | None:
        """Second year of "2009-2010" or "1957-58"."""
        if m["year"]:
            return Normalized("DATE", m["year"]) if int(m["year"]) > int(m["first"]) else None
        year = int(m["first"][:2] + m["yy"])
        return Normalized("DATE", str(year)) if year > int(m["first"]) else None

    def norm_two_digit_year(m: re.Match[str], ctx: TaggingContext) -> Normalized:
        short = int(m["yy"])
        pivot = (ctx.dct.year % 100) if ctx.dct else 30
        century = 2000 if short <= pivot else 1900
        return Normalized("DATE", str(century + short), mod=pos_mod(m))

    def norm_decade(m: re.Match[str], ctx: TaggingContext) -> Normalized | None:
        digits = m["decade"]
        if len(digits) == 2:  # "the '80s"
            century = "19" if int(digits) >= 30 or ctx.dct is None or int(digits) > ctx.dct.year % 100 else "20"
            digits = century + digits
        return Normalized("DATE", digits[:3] + "X", mod=pos_mod(m))

    def guard_decade(m: re.Match[str], text: str) -> bool:
        # "in his 20s" is an age, not a decade; "the 1980s" and "the '80s" always are decades
        if m["the"] or len(m["decade"]) == 4:
            return True
        return _word_before(text, m.start()) not in {"his", "her", "their", "its", "my", "your", "our", "mid", "early", "late"}

    def norm_century(m: re.Match[str], ctx: TaggingContext) -> Normalized | None:
        word = m["ord"].lower()
        if word[0].isdigit():
            n = int(re.match(r"\d+", word).group(0))
        elif word.startswith("twenty-"):
            n = 20 + lex.ordinals.get(word[len("twenty-"):], 0)
        else:
            n = lex.ordinals.get(word, 0)
        if not n:
            return None
        return Normalized("DATE", f"{n - 1:02d}", mod=pos_mod(m))

    # ---- seasons, quarters, halves -------------------------------------------------
    def season_year(code: str, rel: str, ctx: TaggingContext, m: re.Match[str]) -> int:
        dct = ctx.dct
        first, last = SEASON_MONTHS[code]
        in_season = (first <= dct.month <= last) if first < last else (dct.month >= first or dct.month <= last)
        season_start_year = dct.year - 1 if code == "WI" and dct.month <= 2 else dct.year
        if rel == "this" or (not rel and in_season):
            return season_start_year
        started = dct.month >= first if first < last else dct.month >= first
        if rel == "last" or (not rel and ctx.direction(m) < 0):
            return season_start_year - 1 if in_season or not started else dct.year
        if rel in ("next", "coming") or (not rel and ctx.direction(m) > 0):
            return dct.year + 1 if in_season or started else dct.year
        return dct.year

    def norm_season(m: re.Match[str], ctx: TaggingContext) -> Normalized | None:
        code = lex.seasons[m["season"].lower()]
        if m["year"]:
            return Normalized("DATE", f"{m['year']}-{code}", mod=pos_mod(m))
        if ctx.dct is None:
            return _unresolved("DATE")
        year = season_year(code, (m["rel"] or "").lower(), ctx, m)
        return Normalized("DATE", f"{year}-{code}", resolution="relative", mod=pos_mod(m))

    def guard_season(m: re.Match[str], text: str) -> bool:
        if m["year"] or m["rel"] or m["pos"]:
            return True
        if m["season"].lower() == "fall" and not m["the"]:
            return False
        if re.match(r"\s+of\s+(?!\d)", text[m.end():]):  # "the fall of Kabul"
            return False
        return _word_before(text, m.start()) in {"in", "during", "over", "since", "until", "by", "through", "throughout",
                                                 "this", "that", "each", "every", "the"}

    RESULT_NOUN = alternation(lex.result_nouns)
    FINANCIAL_KINDS = frozenset({"quarter", "half", "fiscal year"})

    def norm_quarter(m: re.Match[str], ctx: TaggingContext) -> Normalized | None:
        word = (m["q"] or "").lower()
        if m["qn"]:
            n = int(m["qn"])
        elif word[:1].isdigit():
            n = int(word[0])
        else:
            n = lex.ordinals.get(word, 0)
        kind = "H" if m["half"] else "Q"
        limit = 2 if kind == "H" else 4
        if n == -1 and not (m["year"] or m["pyear"] or m["pyear2"] or m["fyear"] or m["fyear2"] or m["fyear3"] or m["yrel"] or m["prel"]) and ctx.dct is not None:
            # "the last quarter": the latest complete one
            current = f"{ctx.dct.year}-{kind}{(ctx.dct.month - 1) // (12 // limit) + 1}"
            return Normalized("DATE", cal.shift_period(current, -1), resolution="relative")
        if n == -1:
            n = limit
        if not 1 <= n <= limit:
            return None
        if kind == "H" and not (m["year"] or m["yrel"] or m["pyear"] or m["pyear2"] or m["prel"] or m["fyear"] or m["fyear3"]
                                or "-" in m.group(0) or ctx.financial
                                or re.match(rf"\s+(?:\w+\s+)?(?:{RESULT_NOUN})\b", ctx.text[m.end():], re.I)):
            return None  # "the second half" of a match or a book
        fiscal = m["fyear"] or m["fyear2"] or m["fyear3"]
        if fiscal:
            return Normalized("DATE", f"FY{fiscal}-{kind}{n}")
        explicit = m["year"] or m["pyear"] or m["pyear2"]
        if explicit:
            return Normalized("DATE", f"{explicit}-{kind}{n}")
        if ctx.dct is None:
            return _unresolved("DATE")
        rel = re.sub(r"\s+", " ", (m["yrel"] or m["prel"] or "").lower())
        if rel:
            if rel == "the year":  # the year under discussion, else the current one
                ref = ctx.reference(m.start(), {"year", "fiscal year"}, sentences=3)
                year = ref.year if ref is not None and ref.year is not None else ctx.dct.year
            elif "this" in rel:
                year = ctx.dct.year
            elif "next" in rel:
                year = ctx.dct.year + 1
            else:  # last year, a year earlier, the previous year
                anchor = ctx.reference(m.start(), FINANCIAL_KINDS | {"year"}, sentences=2) if "earlier" in rel or "previous" in rel or "prior" in rel else None
                year = (anchor.year if anchor is not None and anchor.year is not None else ctx.dct.year) - 1
            return Normalized("DATE", f"{year}-{kind}{n}", resolution="relative")
        current = (ctx.dct.month - 1) // (12 // limit) + 1
        year = ctx.dct.year
        if n > current and ctx.direction(m) < 0:
            year -= 1
        return Normalized("DATE", f"{year}-{kind}{n}", resolution="relative")

    def guard_quarter(m: re.Match[str], text: str) -> bool:
        if m["qn"] or m["year"] or m["yrel"] or m["pyear"] or m["pyear2"] or m["prel"] or m["fyear"] or m["fyear2"] or m["fyear3"]:
            return True
        after = text[m.end():]
        if re.match(r"\s+of\s+(?:an?|the|his|her|its|their|this|that|[A-Z\d])", after) and not re.match(r"\s+of\s+(?:the|this|last|next)\s+(?:fiscal\s+)?year\b", after, re.I):
            return False  # "the first half of the game", "the second quarter of the century"
        if m["quarter"]:
            return not re.match(r"[-\s]+(?:century|mile|hour|pound|point|inch|final|finals)\b", after, re.I)
        return True

    def norm_fiscal_year(m: re.Match[str], ctx: TaggingContext) -> Normalized | None:
        if m["year"]:
            year = int(m["year"])
        else:
            # the century that puts a two-digit year closest to publication, at most ten years ahead
            base = ctx.dct.year if ctx.dct else 2000
            year = base // 100 * 100 + int(m["yy"])
            if year > base + 10:
                year -= 100
        return Normalized("DATE", f"FY{year}")

    def norm_the_fiscal_year(m: re.Match[str], ctx: TaggingContext) -> Normalized | None:
        """"the fiscal year": the year its end date names ("ended June 30, 1989"), the fiscal
        year under discussion, else the current year."""
        if m["endyear"]:
            return Normalized("DATE", f"FY{m['endyear']}")
        ref = ctx.reference(m.start(), {"fiscal year"}, sentences=6)
        if ref is not None:
            return Normalized("DATE", ref.value, resolution="anaphoric", anchor=ref.tid)
        if ctx.dct is None:
            return _unresolved("DATE")
        return Normalized("DATE", str(ctx.dct.year), resolution="relative")

    def norm_year_before_period(m: re.Match[str], ctx: TaggingContext) -> Normalized | None:
        """"the year-earlier quarter", "the same period last year", "the comparable period":
        the period under discussion (the last quarter, half or fiscal year mentioned)."""
        unit = re.sub(r"\s+", " ", m["punit"].lower())
        kinds = {"quarter": {"quarter"}, "half": {"half"}, "fiscal year": {"fiscal year"}}.get(unit, FINANCIAL_KINDS | {"month"})
        ref = ctx.reference(m.start(), kinds, sentences=4)
        which = re.sub(r"[-\s]+", " ", (m["which"] or "").lower())
        back = bool(m["tail"]) or which not in ("same",)
        if ref is None:
            if m["tyear"] and unit in ("fiscal year",):
                return Normalized("DATE", f"FY{m['tyear']}")
            if unit != "quarter" or ctx.dct is None:
                return _unresolved("DATE")
            # no quarter mentioned yet: the last complete quarter before publication
            value = cal.shift_period(f"{ctx.dct.year}-Q{(ctx.dct.month - 1) // 3 + 1}", -1)
            return Normalized("DATE", cal.shift_years(value, -1) if back else value, resolution="relative",
                              moves_reference=not back)
        if m["tyear"]:  # "the same period in 2014": the period under discussion, in that year
            value = cal.shift_years(ref.value, int(m["tyear"]) - (ref.year or int(m["tyear"])))
            return Normalized("DATE", value, resolution="anaphoric", anchor=ref.tid, moves_reference=False) if value else None
        value = cal.shift_years(ref.value, -1) if back else ref.value
        return Normalized("DATE", value, resolution="anaphoric", anchor=ref.tid, moves_reference=not back) if value else None

    def norm_financial_year(m: re.Match[str], ctx: TaggingContext) -> Normalized | None:
        """"for the year" in a financial report: the (fiscal) year under discussion, else the
        publication year; elsewhere "the year" is too often something else to mark."""
        if not ctx.financial:
            return None
        ref = ctx.reference(m.start(), {"fiscal year", "year"}, sentences=3)
        if ref is not None:
            return Normalized("DATE", ref.value, resolution="anaphoric", anchor=ref.tid)
        if ctx.dct is None:
            return _unresolved("DATE")
        return Normalized("DATE", str(ctx.dct.year), resolution="relative")

    def norm_year_earlier_adjective(m: re.Match[str], ctx: TaggingContext) -> Normalized | None:
        """"year-earlier levels", "year-ago results": the period under discussion, a year before."""
        ref = ctx.reference(m.start(), FINANCIAL_KINDS | {"month", "year"}, sentences=3)
        if ref is None:
            return None
        value = cal.shift_years(ref.value, -1)
        return Normalized("DATE", value, resolution="anaphoric", anchor=ref.tid, moves_reference=False) if value else None

    def norm_the_period(m: re.Match[str], ctx: TaggingContext) -> Normalized | None:
        """"the quarter", "the latest period": the reporting period under discussion; dropped
        when none was mentioned (a bare "the period" is rarely a date)."""
        unit = re.sub(r"\s+", " ", m["punit"].lower())
        adj = (m["adj"] or "").lower()
        current = f"{ctx.dct.year}-Q{(ctx.dct.month - 1) // 3 + 1}" if ctx.dct else None
        if adj == "current":
            return Normalized("DATE", current, resolution="relative") if unit == "quarter" and current else None
        if m["endmonth"] and unit == "quarter" and (m["endyear"] or ctx.dct is not None):
            # "the quarter ended Sept. 30": the quarter that date closes
            month = month_no(m["endmonth"])
            year = int(m["endyear"]) if m["endyear"] else cal.resolve_partial_month_day(ctx.dct, month, day_no(m["endday"]), -1)
            return Normalized("DATE", f"{year}-Q{(month - 1) // 3 + 1}")
        kinds = {"quarter": {"quarter"}, "half": {"half"}}.get(unit, FINANCIAL_KINDS)
        ref = ctx.reference(m.start(), kinds, sentences=4)
        if ref is not None:
            return Normalized("DATE", ref.value, resolution="anaphoric", anchor=ref.tid)
        if unit == "quarter" and current and ctx.financial:
            return Normalized("DATE", cal.shift_period(current, -1), resolution="relative")
        return None

    # ---- days relative to the publication date ------------------------------------
    day_offsets = {"today": 0, "yesterday": -1, "tomorrow": 1, "tonight": 0,
                   "the day before yesterday": -2, "the day after tomorrow": 2}

    def norm_relative_day(m: re.Match[str], ctx: TaggingContext) -> Normalized | None:
        word = re.sub(r"\s+", " ", m["rday"].lower())
        if ctx.dct is None:
            return _unresolved("DATE")
        when = ctx.dct + timedelta(days=day_offsets[word])
        part = part_code(m["part"]) or ("NI" if word == "tonight" else None)
        if part:
            return Normalized("TIME", f"{cal.fmt_day(when)}T{part}", resolution="relative")
        return Normalized("DATE", cal.fmt_day(when), resolution="relative")

    def norm_this_part(m: re.Match[str], ctx: TaggingContext) -> Normalized | None:
        if ctx.dct is None:
            return _unresolved("TIME")
        part = part_code(m["part"])
        when = ctx.dct - timedelta(days=1) if m["rel"].lower() == "last" else ctx.dct
        return Normalized("TIME", f"{cal.fmt_day(when)}T{part}", resolution="relative")

    def guard_this_part(m: re.Match[str], text: str) -> bool:
        return not (m["rel"].lower() == "last" and m["part"].lower() != "night")

    def norm_weekday(m: re.Match[str], ctx: TaggingContext) -> Normalized | None:
        weekday = lex.weekdays[m["weekday"].lower().rstrip(".")]
        rel = (m["rel"] or "").lower()
        if ctx.dct is None:
            return _unresolved("TIME" if m["part"] else "DATE")
        dct = ctx.dct
        if rel == "last":
            when = cal.nearest_weekday(dct - timedelta(days=1), weekday, -1)
        elif rel in ("next", "coming"):
            when = cal.nearest_weekday(dct + timedelta(days=1), weekday, +1)
        elif rel == "this":
            when = dct + timedelta(days=weekday - dct.isoweekday())
        else:
            # "Wednesday's ruling" names an event already known: the tense around it is not its own
            possessive = re.match(r"['’]s\b", ctx.text[m.end():m.end() + 3])
            when = cal.nearest_weekday(dct, weekday, 0 if possessive else ctx.direction(m))
        part = part_code(m["part"])
        if part:
            return Normalized("TIME", f"{cal.fmt_day(when)}T{part}", resolution="relative")
        return Normalized("DATE", cal.fmt_day(when), resolution="relative")

    # ---- this/last/next UNIT ----------------------------------------------------------
    def unit_value(unit: str, anchor: date, delta: int) -> str | None:
        if unit in ("day",):
            return cal.fmt_day(anchor + timedelta(days=delta))
        if unit in ("week", "weekend"):
            week = cal.fmt_week(anchor + timedelta(weeks=delta))
            return week + "-WE" if unit == "weekend" else week
        if unit == "month":
            return cal.fmt_month(*cal.shift_months(anchor.year, anchor.month, delta))
        if unit == "quarter":
            y, mo = cal.shift_months(anchor.year, anchor.month, 3 * delta)
            return f"{y}-Q{(mo - 1) // 3 + 1}"
        if unit in ("year", "fiscal year"):
            return str(anchor.year + delta)
        if unit == "decade":
            return str((anchor.year // 10 + delta))[:3] + "X" if len(str(anchor.year // 10 + delta)) == 3 else None
        if unit == "century":
            return f"{anchor.year // 100 + delta:02d}"
        return None

    def norm_rel_unit(m: re.Match[str], ctx: TaggingContext) -> Normalized | None:
        rel = re.sub(r"\s+", " ", m["rel"].lower())
        unit = re.sub(r"\s+", " ", m["unit"].lower())
        mod = pos_mod(m)
        if m["erel"]:
            mod = "START" if m["erel"].lower().startswith("ear") else "END"
        spanning = _word_before(ctx.text, m.start()) in {"over", "for", "during", "throughout", "within"}
        if unit == "quarter" and rel in ("the past", "the last") and ctx.dct is not None:
            # "in the past quarter": the latest complete quarter, a reporting period
            current = f"{ctx.dct.year}-Q{(ctx.dct.month - 1) // 3 + 1}"
            return Normalized("DATE", cal.shift_period(current, -1), resolution="relative", mod=mod)
        if unit == "quarter" and rel in ("the previous", "the prior", "the preceding", "the following", "the next", "that", "the same"):
            ref = ctx.reference(m.start(), {"quarter"}, sentences=4)
            if ref is not None:
                delta = {"the previous": -1, "the prior": -1, "the preceding": -1, "the following": 1, "the next": 1}.get(rel, 0)
                value = cal.shift_period(ref.value, delta)
                return Normalized("DATE", value, resolution="anaphoric", anchor=ref.tid, mod=mod,
                                  moves_reference=delta == 0) if value else None
        if rel.startswith("the ") and (rel[4:] in ("past", "last", "next", "coming", "first") or spanning):
            spec = lex.units.get(unit if unit != "fiscal year" else "year")
            if spec is None:
                return None
            amount = spec.get("factor", 1)
            return Normalized("DURATION", cal.duration_value(amount, spec["code"], bool(spec.get("time"))), mod=mod)
        if rel in ("the previous", "the prior", "the preceding", "the following", "the next", "that", "the same"):
            antecedent = ctx.antecedent(m.start())
            delta = {"the previous": -1, "the prior": -1, "the preceding": -1, "the following": 1, "the next": 1}.get(rel, 0)
            if antecedent is not None:
                anchor_date = antecedent.as_date()
                if anchor_date is not None:
                    value = unit_value(unit, anchor_date, delta)
                    if value:
                        return Normalized("DATE", value, resolution="anaphoric", anchor=antecedent.tid, mod=mod)
                if unit in ("year", "fiscal year") and antecedent.year is not None:
                    return Normalized("DATE", str(antecedent.year + delta), resolution="anaphoric", anchor=antecedent.tid, mod=mod)
            return _unresolved("DATE")
        if ctx.dct is None:
            return _unresolved("DATE")
        delta = {"this": 0, "current": 0, "last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(rel.split()[-1], 0)
        value = unit_value(unit, ctx.dct, delta)
        if value is None:
            return None
        if unit == "fiscal year" and not mod:
            mod = "APPROX"
        return Normalized("DATE", value, resolution="relative", mod=mod)

    def norm_year_position(m: re.Match[str], ctx: TaggingContext) -> Normalized | None:
        """"the end of the year": this year, unless the clause is in the past and that
        point of this year is still ahead (then last year), or the reverse."""
        mod = "END" if m["yearend"] else pos_mod(m)
        if ctx.dct is None:
            return _unresolved("DATE")
        month = {"START": 1, "END": 12}.get(mod or "", ctx.dct.month)
        direction = ctx.direction(m)
        year = ctx.dct.year
        if direction < 0 and month > ctx.dct.month:
            year -= 1
        elif direction > 0 and month < ctx.dct.month:
            year += 1
        return Normalized("DATE", str(year), resolution="relative", mod=mod)

    # ---- "N units ago", "N units later" ---------------------------------------------------
    def shift(anchor: date, unit: str, amount: float) -> str | None:
        n = int(amount)
        if amount != n:
            return None
        if unit in ("day",):
            return cal.fmt_day(anchor - timedelta(days=n))
        if unit == "fortnight":
            return cal.fmt_day(anchor - timedelta(days=14 * n))
        if unit in ("week", "weekend"):
            return cal.fmt_week(anchor - timedelta(weeks=n))
        if unit == "month":
            return cal.fmt_month(*cal.shift_months(anchor.year, anchor.month, -n))
        if unit == "quarter":
            y, mo = cal.shift_months(anchor.year, anchor.month, -3 * n)
            return f"{y}-Q{(mo - 1) // 3 + 1}"
        if unit == "year":
            return str(anchor.year - n)
        if unit == "decade":
            return str(anchor.year - 10 * n)
        if unit == "century":
            return str(anchor.year - 100 * n)
        if unit in ("hour", "minute", "second"):
            return cal.fmt_day(anchor)
        return None

    def norm_ago(m: re.Match[str], ctx: TaggingContext) -> Normalized | None:
        unit = lex.unit_of(m["unit"])
        amount = lex.number_value(m["num"]) if m["num"] else None
        direction = m["dir"].lower()
        sign = -1 if direction in ("ago", "earlier", "before", "back") else 1
        if amount is None:
            return Normalized("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", resolution="relative", mod=qmod(m))
        if direction in ("ago", "back"):
            ref = ctx.reference(m.start(), FINANCIAL_KINDS, sentences=1) if unit == "year" and amount == int(amount) else None
            if ref is not None:  # "sales rose 5% in the quarter from a year ago": that quarter, a year before
                value = cal.shift_years(ref.value, -int(amount))
                return Normalized("DATE", value, resolution="anaphoric", anchor=ref.tid, mod=qmod(m),
                                  moves_reference=False) if value else None
            if ctx.dct is None:
                return _unresolved("DATE")
            value = shift(ctx.dct, unit, sign * -amount)
            return Normalized("DATE", value, resolution="relative", mod=qmod(m)) if value else None
        # "a year earlier" in a report on a quarter: that quarter, even after "ended Sept. 30"
        financial = ctx.reference(m.start(), FINANCIAL_KINDS, sentences=1) if unit == "year" and amount == int(amount) else None
        antecedent = financial or ctx.antecedent(m.start())
        if antecedent is None:
            return _unresolved("DATE")
        anchor_date = antecedent.as_date()
        if unit == "year" and amount == int(amount) and cal.period_kind(antecedent.value) in ("quarter", "half", "fiscal year", "month", "season"):
            value = cal.shift_years(antecedent.value, sign * int(amount))
            return Normalized("DATE", value, resolution="anaphoric", anchor=antecedent.tid, mod=qmod(m),
                              moves_reference=False) if value else None
        if anchor_date is None and antecedent.year is not None and unit in ("year", "decade", "century"):
            factor = {"year": 1, "decade": 10, "century": 100}[unit]
            return Normalized("DATE", str(antecedent.year + sign * int(amount) * factor), resolution="anaphoric", anchor=antecedent.tid, mod=qmod(m))
        if anchor_date is None:
            return _unresolved("DATE")
        value = shift(anchor_date, unit, -sign * amount)
        return Normalized("DATE", value, resolution="anaphoric", anchor=antecedent.tid, mod=qmod(m)) if value else None

    # ---- durations -----------------------------------------------------------------------
    def duration(unit_word: str, amount: float | None) -> str:
        unit = lex.unit_of(unit_word)
        spec = lex.units[unit]
        if amount is None and "vague" in spec:
            return f"PX{spec['vague']}"
        if amount is not None:
            amount *= spec.get("factor", 1)
        return cal.duration_value(amount, spec["code"], bool(spec.get("time")))

    def norm_duration(m: re.Match[str], ctx: TaggingContext) -> Normalized | None:
        num = m["num"]
        unit = lex.unit_of(m["unit"])
        if num and num.lower() in ("a", "an") and unit in ("second", "quarter"):
            return None  # "a second round", "a quarter of the vote"
        if unit == "quarter" and (re.match(r"\s+of\b", ctx.text[m.end():]) or "-" in m.group(0) or not lex.number_value(num or "")):
            return None  # fractions and places: "three-quarters of voters", "in some quarters"
        if unit == "weekend" and re.match(r"\s+[A-Za-z]", ctx.text[m.end():]) and not re.match(r"\s+(?:of|in|at|on|ago|before|after|and|or|to)\b", ctx.text[m.end():]):
            return None  # "a weekend convention", "several weekend rallies"
        amount = lex.number_value(num) if num else None
        if num and amount is None and num.lower() not in lex.vague_numbers and not re.match(VAGUE, num, re.I):
            return None
        return Normalized("DURATION", duration(m["unit"], amount), mod=qmod(m))

    def guard_duration(m: re.Match[str], text: str) -> bool:
        # ages ("a 22-year-old", "children ages 6 months and older") are not durations
        if re.match(r"(?:-|\s+)old\b|\s+of\s+age\b|\s+and\s+(?:older|younger|over|under)\b", text[m.end():]):
            return False
        # titles and names: "60 Minutes", "Twenty Years After"
        if m["unit"][:1].isupper():
            return False
        # rates: "$40,000 a year", "24 hours a day", "three pills per day"
        if (m["num"] or "").lower() in ("a", "an", "per") and re.search(
                r"(?:\d|\b(?:dollars?|cents?|euros?|pounds|yuan|yen|rupees|dlrs|percent|million|billion|trillion|times|hours|minutes|days|each))\s*$",
                text[max(0, m.start() - 30):m.start()], re.I):
            return False
        return _word_before(text, m.start()) not in {"age", "ages", "aged"}

    def norm_half_duration(m: re.Match[str], ctx: TaggingContext) -> Normalized | None:
        """"half an hour" (PT30M), "two and a half hours" (PT2H30M)."""
        unit = lex.unit_of(m["unit"])
        half = {"hour": ("PT", "H", "30M"), "day": ("P", "D", "T12H"), "year": ("P", "Y", "6M"),
                "minute": ("PT", "M", "30S"), "decade": ("P", "", "5Y"), "century": ("P", "", "50Y")}
        whole = lex.number_value(m["whole"]) if m.groupdict().get("whole") else 0
        if whole is None or whole != int(whole):
            return None
        if unit in ("decade", "century"):
            years = int(whole) * (10 if unit == "decade" else 100) + (5 if unit == "decade" else 50)
            return Normalized("DURATION", f"P{years}Y")
        if unit not in half:
            return Normalized("DURATION", duration(m["unit"], whole + 0.5))
        prefix, code, rest = half[unit]
        return Normalized("DURATION", f"{prefix}{int(whole)}{code}{rest}" if whole else f"{prefix}{rest}")

    def norm_bare_plural(m: re.Match[str], ctx: TaggingContext) -> Normalized:
        return Normalized("DURATION", duration(m["unit"], None), mod=None)

    def guard_bare_plural(m: re.Match[str], text: str) -> bool:
        if m["lead"]:
            return True
        after = text[m.end():]
        if re.match(r"\s+(?:ago|later|earlier|old)\b", after, re.I):
            return False
        if re.match(r"\s+(?:before|after|into)\b", after, re.I):
            return True
        return _word_before(text, m.start()) in {"for", "within", "over", "after", "during", "took", "take",
                                                 "takes", "lasted", "lasting", "spent", "in", "of", "few", "those", "these"}

    def norm_adjective_duration(m: re.Match[str], ctx: TaggingContext) -> Normalized | None:
        amount = lex.number_value(m["num"])
        if amount is None or lex.unit_of(m["unit"]) == "quarter":
            return None  # "one-quarter" is a fraction
        return Normalized("DURATION", duration(m["unit"], amount))

    # ---- sets ----------------------------------------------------------------------------
    adverb_sets = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y", "yearly": "P1Y",
                   "hourly": "PT1H", "nightly": "XXXX-XX-XXTNI", "quarterly": "P3M", "biannually": "P6M"}

    def norm_set(m: re.Match[str], ctx: TaggingContext) -> Normalized | None:
        if m["adverb"]:
            return Normalized("SET", adverb_sets[m["adverb"].lower()])
        if m["weekday"]:
            return Normalized("SET", f"XXXX-WXX-{lex.weekdays[m['weekday'].lower().rstrip('.')]}")
        if m["part"]:
            return Normalized("SET", f"XXXX-XX-XXT{lex.parts_of_day[m['part'].lower()]}")
        if m["season"]:
            return Normalized("SET", f"XXXX-{lex.seasons[m['season'].lower()]}")
        amount = lex.number_value(m["num"]) if m["num"] else 1
        if m["other"]:
            amount = 2
        return Normalized("SET", duration(m["unit"], amount or 1))

    def guard_set(m: re.Match[str], text: str) -> bool:
        # a capitalised "Daily"/"Weekly" beside another capitalised word is a title ("the Racing Daily", "Weekly Post")
        word = m["adverb"]
        if not word or not word[0].isupper():
            return True
        return not (re.match(r"\s+[A-Z]", text[m.end():m.end() + 3]) or re.search(r"[A-Z][\w'’]*\s+$", text[max(0, m.start() - 30):m.start()]))

    # ---- clock times -----------------------------------------------------------------------
    def clock_value(m: re.Match[str]) -> str | None:
        hour = int(m["hour"]) if m["hour"] else None
        minute = int(m["minute"]) if m["minute"] else 0
        ampm = (m["ampm"] or "").lower().replace(".", "")
        word = (m["clockword"] or "").lower()
        if word:
            return "T24:00" if word == "midnight" else "T12:00"
        if hour is None or hour > 24 or minute > 59:
            return None
        if ampm == "pm" and hour < 12:
            hour += 12
        if ampm == "am" and hour == 12:
            hour = 0
        return f"T{hour:02d}:{minute:02d}"

    def norm_clock(m: re.Match[str], ctx: TaggingContext) -> Normalized | None:
        clock = clock_value(m)
        if clock is None:
            return None
        day: date | None = None
        resolution = "relative"
        if m["weekday"]:
            if ctx.dct is None:
                return _unresolved("TIME")
            day = cal.nearest_weekday(ctx.dct, lex.weekdays[m["weekday"].lower().rstrip(".")], ctx.direction(m))
        elif m["rday"]:
            if ctx.dct is None:
                return _unresolved("TIME")
            day = ctx.dct + timedelta(days=day_offsets[re.sub(r"\s+", " ", m["rday"].lower())])
        else:
            antecedent = ctx.antecedent(m.start(), sentences=0)
            if antecedent is not None and antecedent.as_date() is not None:
                day, resolution = antecedent.as_date(), "anaphoric"
            elif ctx.dct is not None:
                day = ctx.dct
            else:
                return _unresolved("TIME")
        return Normalized("TIME", cal.fmt_day(day) + clock, resolution=resolution)

    def guard_clock(m: re.Match[str], text: str) -> bool:
        if m["ampm"] or m["tz"] or m["clockword"] or m["weekday"] or m["rday"]:
            return True
        return _word_before(text, m.start()) in {"at", "by", "until", "before", "after", "around", "about", "from", "to"}

    # ---- holidays, reference words, anaphora ------------------------------------------------
    def norm_holiday(m: re.Match[str], ctx: TaggingContext) -> Normalized | None:
        holiday = lex.holidays[re.sub(r"\s+", " ", m["holiday"].lower()).replace("’", "'")]
        week = bool(m["week"])
        if m["year"]:
            when = holiday.in_year(int(m["year"]))
        elif ctx.dct is None:
            return _unresolved("DATE")
        else:
            rel = (m["rel"] or "").lower()
            direction = {"last": -1, "next": 1, "this": 0}.get(rel, ctx.direction(m))
            when = cal.resolve_yearly(ctx.dct, holiday.in_year, direction, strict=rel in ("last", "next"))
        if when is None:
            return None
        value = cal.fmt_week(when) if week else cal.fmt_day(when)
        return Normalized("DATE", value, resolution="absolute" if m["year"] else "relative")

    def norm_reference(m: re.Match[str], ctx: TaggingContext) -> Normalized:
        return Normalized("DATE", lex.reference_words[re.sub(r"\s+", " ", m["ref"].lower())], resolution="relative")

    def norm_future_reference(m: re.Match[str], ctx: TaggingContext) -> Normalized | None:
        # "will soon": FUTURE_REF; "was soon released": soon after a past event, not marked
        return Normalized("DATE", "FUTURE_REF", resolution="relative") if ctx.direction(m) > 0 else None

    def norm_the_weekend(m: re.Match[str], ctx: TaggingContext) -> Normalized:
        """"(over) the weekend": a two-day span, as AQUAINT's annotators mark it; "this/last
        weekend" keep their anchored week value (date_rel_unit)."""
        return Normalized("DURATION", "P2D")

    def guard_reference(m: re.Match[str], text: str) -> bool:
        word = m["ref"].lower()
        if word == "now":  # "now-defunct", "now that"
            return not re.match(r"-|\s+that\b", text[m.end():])
        return True

    def norm_at_the_time(m: re.Match[str], ctx: TaggingContext) -> Normalized:
        antecedent = ctx.antecedent(m.start(), sentences=2)
        if antecedent is not None and antecedent.year is not None and antecedent.value != ctx.dct_value:
            # "at the time" names the period of an event mentioned just before: its year
            return Normalized("DATE", str(antecedent.year), resolution="anaphoric", anchor=antecedent.tid)
        return Normalized("DATE", "PAST_REF", resolution="relative")

    def norm_anaphoric_day(m: re.Match[str], ctx: TaggingContext) -> Normalized:
        antecedent = ctx.antecedent(m.start())
        phrase = m.group(0).lower()
        delta = -1 if ("before" in phrase or "previous" in phrase) else 1 if re.search(r"after|following|next", phrase) else 0
        if antecedent is not None and antecedent.as_date() is not None:
            return Normalized("DATE", cal.fmt_day(antecedent.as_date() + timedelta(days=delta)), resolution="anaphoric", anchor=antecedent.tid)
        return _unresolved("DATE")

    R = Rule
    rules = [
        R("time_weekday_clock", compile_(rf"""
            (?:(?P<weekday>{WEEKDAY})|(?P<rday>today|yesterday|tomorrow|tonight))[,]?\s+(?:at\s+)?
            (?:(?P<hour>[01]?\d|2[0-4])(?:[:.](?P<minute>[0-5]\d))?\s*(?P<ampm>a\.m\.|p\.m\.|am\b|pm\b)|(?P<clockword>noon|midday|midnight))
            (?:\s*(?P<tz>GMT|UTC|[ECMP][SD]?T|local\s+time)\b)?"""), norm_clock, guard_clock),
        R("time_clock", compile_(rf"""
            (?:(?P<hour>[01]?\d|2[0-4])(?:[:.](?P<minute>[0-5]\d))?\s*(?P<ampm>a\.m\.|p\.m\.|am\b|pm\b)
              |(?P<hour2>[01]?\d|2[0-3]):(?P<minute2>[0-5]\d)(?=\s*(?:GMT|UTC|[ECMP][SD]?T\b|local\s+time|hours|h\b)) 
              |(?P<clockword>noon|midday|midnight))
            (?:\s*(?P<tz>GMT|UTC|[ECMP][SD]?T|local\s+time)\b)?
            (?:\s*(?:on\s+)?(?:(?P<weekday>{WEEKDAY})|(?P<rday>today|yesterday|tomorrow)))?"""),
          lambda m, ctx: norm_clock(_ClockMatch(m), ctx), lambda m, t: guard_clock(_ClockMatch(m), t)),
        R("date_month_day_year", compile_(rf"""
            (?:{WEEKDAY},?\s+)?(?:{POSITION}[-\s]*)?(?P<month>{MONTH})\s*(?P<day>{DAY})(?!\d)(?:,\s*|\s+)(?P<year>{YEAR})\b"""), norm_full_date),
        R("date_day_month_year", compile_(rf"""
            (?:{WEEKDAY},?\s+)?(?:the\s+)?(?P<day>{DAY})\s+(?:of\s+)?(?P<month>{MONTH}),?\s+(?P<year>{YEAR})\b"""), norm_full_date),
        R("date_iso", compile_(r"\b(?P<year>1[6-9]\d\d|20\d\d)-(?P<month>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])\b"), norm_iso),
        R("date_us_slash", compile_(r"\b(?P<month>0?[1-9]|1[0-2])/(?P<day>0?[1-9]|[12]\d|3[01])/(?P<year>1[6-9]\d\d|20\d\d)\b"), norm_iso),
        R("date_month_day", compile_(rf"""
            (?:{WEEKDAY},?\s+)?(?:(?P<rel>last|next|this|this\s+past|this\s+coming)\s+)?(?:{POSITION}[-\s]*)?(?P<month>{MONTH})\s*(?P<day>{DAY})\b(?!\d|:\d|\s*(?:%|percent|million|billion))
            {YEAR_REL}"""), norm_month_day),
        R("date_month_second_day", compile_(rf"""
            (?P<month>{MONTH})\s*{DAY}\s*(?:and|or|&|to|through|-|–)\s*(?P<span>(?P<day>{DAY}))\b(?!\d|:\d|\s*(?:%|percent|million|billion|{MONTH}))"""),
          norm_month_day),
        R("date_day_month", compile_(rf"""
            (?:{WEEKDAY},?\s+)?(?:the\s+)?(?P<day>{DAY})\s+(?:of\s+)?(?P<month>{MONTH})"""), norm_month_day),
        R("date_month_year", compile_(rf"""
            (?:{POSITION}[-\s]*)?(?P<month>{MONTH}),?\s+(?:of\s+)?(?P<year>{YEAR})\b"""), norm_month_year),
        R("date_holiday", compile_(rf"""
            (?:(?P<rel>last|next|this)\s+)?(?P<holiday>(?-i:{_capitalised(lex.holidays)}))(?P<week>\s+week)?\b(?:,?\s+(?P<year>{YEAR})\b)?"""), norm_holiday),
        R("date_month", compile_(rf"""
            (?:{POSITION}[-\s]*)?(?:(?P<rel>this|last|next|past|coming|previous)\s+)?(?P<month>{MONTH})(?![-\w]){YEAR_REL}"""), norm_month, guard_bare_month),
        R("date_season", compile_(rf"""
            (?:{POSITION}[-\s]*)?(?:(?P<rel>this|last|next|coming|past)\s+|(?P<the>the)\s+)?(?P<season>{SEASON})\b
            (?:\s+(?:of\s+)?(?P<year>{YEAR})\b)?"""), norm_season, guard_season),
        R("date_quarter", compile_(rf"""
            (?:(?:fiscal\s+(?P<fyear2>{YEAR})|(?P<pyear>{YEAR})|(?P<prel>last|this|next)\s+year)['’]s\s+)?
            (?:the\s+)?(?:fiscal[-\s]+(?P<fyear3>{YEAR})\s+|(?P<pyear2>{YEAR})\s+)?(?:fiscal[-\s]+)?(?:(?P<q>first|second|third|fourth|last|final|[1-4](?:st|nd|rd|th))[-\s]+(?:fiscal[-\s]+)?(?:(?P<quarter>quarter)|(?P<half>half))
              |Q(?P<qn>[1-4]))
            (?:\s+(?:of\s+)?(?:fiscal\s+(?:year\s+)?(?P<fyear>{YEAR})|(?:the\s+)?(?:year\s+)?(?P<year>{YEAR}))\b
              |\s+(?:of\s+)?(?P<yrel>(?:this|last|next|the)\s+year|the\s+(?:previous|prior|preceding)\s+year|a\s+year\s+(?:earlier|ago|before))\b)?"""),
          norm_quarter, guard_quarter),
        R("date_fiscal_year", compile_(rf"""
            (?:fiscal|financial)(?:[-\s]+year)?[-\s]+(?:(?P<year>{YEAR})|['’](?P<yy>\d\d))\b(?![-–]\d)
            |FY[-\s]?(?:(?P<year2>{YEAR})|['’]?(?P<yy2>\d\d))\b"""),
          lambda m, ctx: norm_fiscal_year(_FiscalMatch(m), ctx)),
        R("date_year_before_period", compile_(rf"""
            the\s+(?P<which>{alternation(lex.year_before)}|same)[-\s]+(?P<punit>quarter|half|period|fiscal\s+year)\b
            (?:\s+(?P<tail>a\s+year\s+(?:earlier|ago|before)|last\s+year|of\s+last\s+year|the\s+(?:previous|prior)\s+year|(?:in|of)\s+(?P<tyear>{YEAR})\b))?"""),
          norm_year_before_period),
        R("date_the_period", compile_(rf"""
            the\s+(?:(?P<adj>{alternation(lex.latest)})\s+)?(?P<punit>quarter|period|half)\b(?!-|\s+of\b|\s+(?:century|mile|hour|pound|point|inch|final|finals|time)\b)
            (?=\s+(?:that\s+|which\s+)?(?:ended|ending|ends|will\s+end)\s+(?P<endmonth>{MONTH})\s*(?P<endday>{DAY})(?:,?\s+(?P<endyear>{YEAR})\b)?)?"""),
          norm_the_period),
        R("date_financial_year", compile_(r"""the\s+year\b(?!\s+(?:before|after|earlier|ago|of|in|when|that|since|\d))"""),
          norm_financial_year, lambda m, t: _word_before(t, m.start()) in {"for", "during", "through", "throughout"}),
        R("date_year_earlier_adjective", compile_(r"""year[-\s](?:earlier|ago)(?=\s+[a-z])(?!\s+(?:quarter|period|half|fiscal|than|when|and|or|to|by|for|in|on|at|the|a|an)\b)"""),
          norm_year_earlier_adjective),
        R("date_the_fiscal_year", compile_(rf"""(?:the|its|their)\s+(?:(?:latest|current|new)\s+)?fiscal\s+year\b(?!-end)
            (?=\s+(?:that\s+|which\s+)?(?:ended|ending|ends|will\s+end)\s+{MONTH}\s*{DAY},?\s+(?P<endyear>{YEAR})\b)?"""),
          norm_the_fiscal_year),
        R("date_decade", compile_(rf"""
            (?:(?P<the>the)\s+)?(?:{POSITION}[-\s]*)?['’]?(?P<decade>(?:1[6-9]|20)?\d0)['’]?s\b"""), norm_decade, guard_decade),
        R("date_century", compile_(rf"""
            (?:the\s+)?(?:{POSITION}[-\s]*)?(?P<ord>\d{{1,2}}(?:st|nd|rd|th)|(?:twenty-)?(?:{ORDINAL}))[-\s]+century\b"""), norm_century),
        R("date_year", compile_(rf"""
            (?:(?:{POSITION}[-\s]*)|(?:the\s+year\s+))?(?<![\d,.$€£])(?<!\d-)(?<!\d–)(?P<year>{YEAR})\b"""), norm_year, guard_year),
        R("date_year_range_end", compile_(rf"""(?<=\b(?P<first>{YEAR})[-–])(?:(?P<year>{YEAR})|(?P<yy>\d\d))\b(?![-–.,]?\d)"""), norm_range_end),
        R("date_two_digit_year", compile_(rf"""
            (?:(?:{POSITION}[-\s]*))?['’](?P<yy>\d\d)\b(?!s)"""), norm_two_digit_year,
          lambda m, t: _word_before(t, m.start()) in {"in", "since", "of", "from", "until", "by", "early", "late", "mid", "summer", "spring", "winter", "fall", "autumn"} or bool(m["pos"])),
        R("date_relative_day", compile_(rf"""
            (?P<rday>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|today|yesterday|tomorrow|tonight)(?![-\w])(?:\s+(?P<part>{PART}))?"""), norm_relative_day,
          lambda m, t: not re.match(r"['’]s\s+(?:world|society|economy|standards|youth|children|generation)", t[m.end():], re.I)),
        R("time_this_part", compile_(rf"""(?P<rel>this|last)\s+(?P<part>{PART})\b"""), norm_this_part, guard_this_part),
        R("date_weekday", compile_(rf"""
            (?:(?P<rel>last|next|this|coming)\s+)?(?P<weekday>{WEEKDAY})(?:\s+(?P<part>{PART})\b)?"""), norm_weekday),
        R("date_rel_unit", compile_(rf"""
            (?:(?:{POSITION}[-\s]*)|(?P<erel>earlier|later)\s+)?
            (?P<rel>this\s+past|this\s+coming|this|current|last|past|previous|next|coming|the\s+(?:past|last|next|coming|previous|prior|preceding|following|same|first)|that)\s+
            (?P<unit>week|weekend|month|quarter|fiscal\s+year|year|decade|century)\b(?!-|\s+(?:old|long)\b)"""), norm_rel_unit),
        R("date_year_position", compile_(rf"""{POSITION}\s+(?:the\s+)?year\b|(?P<yearend>year[-\s]end)\b(?![-\s]+(?:of|results|figures|bonus|bonuses|rally|rallies|review)\b)"""), norm_year_position,
          lambda m, t: bool(m["yearend"]) or m["pos"].lower().startswith("the")),
        R("date_ago", compile_(rf"""
            (?:(?P<qmod>{SPAN_QMOD})\s+)?(?:(?P<num>{NUM}|{VAGUE})[-\s]+)?(?P<unit>{UNIT})\s+(?P<dir>ago|earlier|later|before|back)\b"""), norm_ago,
          lambda m, t: not re.match(r"\s+than\b", t[m.end():]) and not (m["dir"].lower() == "before" and re.match(r"\s+(?:the|a|an|his|her|their|its|[A-Z])", t[m.end():])) and (bool(m["num"]) or m["dir"].lower() in ("ago", "earlier", "later"))),
        R("duration_half", compile_(rf"""(?:(?P<whole>{NUM})\s+and\s+a\s+half|half\s+an?|a\s+half)[-\s]+(?P<unit>{UNIT})\b"""), norm_half_duration),
        R("set_every", compile_(rf"""
            (?:(?:every|each|per)\s+(?P<other>other\s+)?(?:(?P<num>{NUM})\s+)?(?:(?P<unit>{UNIT})|(?P<weekday>{WEEKDAY})|(?P<part>{PART})|(?P<season>{SEASON}))\b
              |(?:once|twice|three\s+times|four\s+times|(?:\d+|several|many)\s+times)\s+(?:a|an|per)\s+(?P<unit2>{UNIT})\b
              |(?P<adverb>daily|weekly|monthly|annually|yearly|hourly|nightly|quarterly|biannually)\b)"""),
          lambda m, ctx: norm_set(_SetMatch(m), ctx), guard_set),  # "daily life", even "the party daily": TimeML marks them
        R("duration_adjective", compile_(rf"""(?<![\w-])(?P<num>{NUM})-(?P<unit>{lex.unit_re(plural=False)})(?:-long)?\b(?!-old)"""), norm_adjective_duration),
        R("duration_unit_long", compile_(rf"""(?<![\w-])(?P<unit>{lex.unit_re(plural=False)})-long\b"""),
          lambda m, ctx: Normalized("DURATION", duration(m["unit"], 1))),
        R("duration", compile_(rf"""
            (?<![\w-])(?:(?P<qmod>{SPAN_QMOD})\s+(?!the\b))?(?:the\s+(?:(?:past|last|next|coming|first|following|previous|final|remaining|latest)\s+)?)?
            (?P<num>{NUM}|{VAGUE})[-\s]+(?:more\s+|full\s+|long\s+|straight\s+|consecutive\s+)?(?P<unit>{UNIT})\b(?:['’](?=\s))?"""), norm_duration, guard_duration),
        R("duration_coordinated", compile_(rf"""(?<![\w-])(?P<num>{NUM})(?=\s+(?:and|or|to)\s+(?:{NUM})[-\s]+(?P<unit>{UNIT})\b)"""),
          norm_duration, lambda m, t: _word_before(t, m.start()) in {"between", "from", "for", "within", "in", "of", "last", "lasting", "about", "around"}),
        R("duration_bare_plural", compile_(rf"""
            (?:(?P<lead>recent|the\s+past|the\s+last|the\s+next|the\s+coming|the\s+following|coming|past|subsequent|the\s+ensuing)\s+)?(?P<unit>{UNIT_PL})\b"""),
          norm_bare_plural, guard_bare_plural),
        R("ref_at_the_time", compile_(r"\bat\s+the\s+time\b(?!\s+(?:of|when|that|it|he|she|they|we|I)\b)"), norm_at_the_time),
        R("date_anaphoric_day", compile_(r'\b(?:that\s+day|the\s+same\s+day|the\s+day\s+(?P<dir>before|after)(?=\s*[,.;:!?)"”]|\s*$)|the\s+(?:previous|following|next)\s+day)\b'),
          norm_anaphoric_day),
        R("ref_future_word", compile_(rf"""(?<!\bas\s)(?P<ref>{alternation(lex.future_reference_words)})\b(?!\s+(?:as|after|before|afterwards?|thereafter)\b)"""),
          norm_future_reference),
        R("date_the_weekend", compile_(r"""the\s+weekend\b(?!\s+(?:of|before|after)\b)"""), norm_the_weekend),
        R("ref_word", compile_(rf"""(?<![\w-])(?P<ref>{alternation(lex.reference_words)})(?![\w-])"""), norm_reference, guard_reference),
    ]
    return rules


class _ClockMatch:
    """Adapter so the 24-hour alternative reads like the am/pm one."""

    def __init__(self, match: re.Match[str]):
        self._m = match

    def __getitem__(self, key: str) -> str | None:
        groups = self._m.groupdict()
        if key == "hour":
            return groups.get("hour") or groups.get("hour2")
        if key == "minute":
            return groups.get("minute") or groups.get("minute2")
        if key == "tz" and groups.get("hour2"):
            return groups.get("tz") or "24h"
        return groups.get(key)

    def __getattr__(self, name: str):
        return getattr(self._m, name)


class _FiscalMatch:
    def __init__(self, match: re.Match[str]):
        self._m = match

    def __getitem__(self, key: str) -> str | None:
        groups = self._m.groupdict()
        if key in ("year", "yy"):
            return groups.get(key) or groups.get(key + "2")
        return groups.get(key)

    def __getattr__(self, name: str):
        return getattr(self._m, name)


class _SetMatch:
    def __init__(self, match: re.Match[str]):
        self._m = match

    def __getitem__(self, key: str) -> str | None:
        groups = self._m.groupdict()
        if key == "unit":
            return groups.get("unit") or groups.get("unit2")
        return groups.get(key)

    def __getattr__(self, name: str):
        return getattr(self._m, name)
