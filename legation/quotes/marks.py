"""Quotation marks: one linear scan of the text that pairs them into spans.

Handles curly and straight double quotes, single quotes (nested inside double ones, or
as the primary marks when no double quote is open), apostrophes (never a quote), and
the convention for a quotation that runs over several paragraphs: the paragraph ends
without a closing mark and the next paragraph opens again (``reopened``). A double
quote still open at the end of a paragraph that does not reopen is closed there.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

DOUBLE_OPEN = "“„«‟"
DOUBLE_CLOSE = "”»"
SINGLE_OPEN = "‘‹"
SINGLE_CLOSE = "’›"
QUOTE_CHARS = DOUBLE_OPEN + DOUBLE_CLOSE + SINGLE_OPEN + SINGLE_CLOSE + "\"'"

_SCAN = re.compile(r"\n[ \t\r\n\u00a0]*|[" + re.escape(QUOTE_CHARS) + "]")
_OPEN_BEFORE = set("([{<—–-/\u00a0") | set(QUOTE_CHARS)
_CLOSE_AFTER = set(".,;:!?)]}>—–-…") | set(QUOTE_CHARS)


@dataclass
class QuoteSpan:
    """A quotation: ``start``/``end`` bound the text between the marks (end exclusive)."""

    open: int
    close: int | None  # index of the closing mark; None when closed by a paragraph end
    start: int
    end: int
    kind: str  # "double" | "single"
    level: int = 0
    parent: int | None = None  # index (in the returned list) of the enclosing quotation
    reopened: tuple[int, ...] = ()  # indices of the marks that reopen it in later paragraphs
    children: list[int] = field(default_factory=list)

    @property
    def outer_end(self) -> int:
        return self.close + 1 if self.close is not None else self.end

    def contains(self, offset: int) -> bool:
        return self.start <= offset < self.end


def _is_opening(text: str, i: int) -> bool:
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    return (prev.isspace() or prev in _OPEN_BEFORE) and not nxt.isspace()


def _is_closing(text: str, i: int) -> bool:
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    return not prev.isspace() and (nxt.isspace() or nxt in _CLOSE_AFTER)


def _trim_end(text: str, end: int, floor: int) -> int:
    while end > floor and text[end - 1].isspace():
        end -= 1
    return end


def scan_quotes(text: str) -> list[QuoteSpan]:
    """All quotations in ``text``, ordered by their opening mark."""
    spans: list[QuoteSpan] = []
    stack: list[dict] = []  # open quotations: {"kind", "open", "reopened", "parent"}
    skip: set[int] = set()

    def open_quote(kind: str, i: int) -> None:
        parent = stack[-1]["open"] if stack else None
        stack.append({"kind": kind, "open": i, "reopened": [], "parent": parent})

    def close_quote(entry: dict, close: int | None, end: int) -> None:
        start = entry["open"] + 1
        spans.append(QuoteSpan(open=entry["open"], close=close, start=start, end=max(start, end),
                               kind=entry["kind"], reopened=tuple(entry["reopened"])))

    def drop_singles() -> None:
        while stack and stack[-1]["kind"] == "single":
            stack.pop()  # an unterminated single quote was an apostrophe

    def double_open() -> dict | None:
        return next((e for e in reversed(stack) if e["kind"] == "double"), None)

    for match in _SCAN.finditer(text):
        i = match.start()
        ch = text[i]
        if i in skip:
            continue
        if ch == "\n":
            drop_singles()
            entry = double_open()
            if entry is None:
                continue
            j = match.end()
            if j < len(text) and (text[j] in DOUBLE_OPEN or (text[j] == '"' and _is_opening(text, j))):
                entry["reopened"].append(j)  # multi-paragraph quotation
                skip.add(j)
            else:
                stack.remove(entry)
                close_quote(entry, None, _trim_end(text, i, entry["open"] + 1))
            continue
        opening, closing = _is_opening(text, i), _is_closing(text, i)
        if ch in DOUBLE_OPEN or ch in DOUBLE_CLOSE or ch == '"':
            entry = double_open()
            if entry is None:
                if ch in DOUBLE_CLOSE and closing and not opening:
                    continue  # a stray closing mark
                if ch == '"' and closing and not opening:
                    continue
                open_quote("double", i)
                continue
            clearly_opening = opening and not closing
            if clearly_opening and (ch in DOUBLE_OPEN or ch == '"'):
                # a new quotation while one is open: the open one lost its closing mark
                while stack and stack[-1] is not entry:
                    stack.pop()
                stack.pop()
                close_quote(entry, None, _trim_end(text, i, entry["open"] + 1))
                open_quote("double", i)
                continue
            while stack and stack[-1] is not entry:
                stack.pop()
            stack.pop()
            close_quote(entry, i, i)
            continue
        # single quotes and apostrophes
        prev = text[i - 1] if i > 0 else " "
        nxt = text[i + 1] if i + 1 < len(text) else " "
        if prev.isalnum() and nxt.isalnum():
            continue  # don't, Myanmar's
        top = stack[-1] if stack else None
        if top is not None and top["kind"] == "single" and (ch in SINGLE_CLOSE or ch == "'") and closing:
            stack.pop()
            close_quote(top, i, i)
            continue
        if (ch in SINGLE_OPEN or ch == "'") and opening and (nxt.isalnum() or nxt in "[(…"):
            open_quote("single", i)
    for entry in reversed(stack):
        if entry["kind"] == "double":
            close_quote(entry, None, _trim_end(text, len(text), entry["open"] + 1))

    spans.sort(key=lambda s: s.open)
    by_open = {s.open: k for k, s in enumerate(spans)}
    # nesting from the offsets (robust to the order spans were closed in)
    open_stack: list[int] = []
    for k, span in enumerate(spans):
        while open_stack and not (spans[open_stack[-1]].open < span.open < spans[open_stack[-1]].outer_end):
            open_stack.pop()
        if open_stack:
            span.parent = open_stack[-1]
            span.level = spans[open_stack[-1]].level + 1
            spans[open_stack[-1]].children.append(k)
        open_stack.append(k)
    del by_open
    return spans
