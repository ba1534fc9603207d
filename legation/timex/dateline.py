"""Datelines of wire stories, and the day they give as the anchor of the story's relative times.

"WASHINGTON, Aug. 13 (Reuters) - ... said on Thursday" was written on Aug. 13: "Thursday" is the
Thursday before that day, whatever day the story was published (stored, crawled) on. Every stage
reads the same anchored values from :func:`tag_document_times` (the times stage), so the events
and the relation changes of a story agree on its days.
"""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from legation.records import TimeValue
from legation.timex.tagger import tag_times

_DATELINE_WORD = r"(?:[A-Z][a-z][\w.'’-]*|[A-Z]\.|\d[\d,]*)"  # "Afghanistan,", "Aug.", "13", "2021"
DATELINE = re.compile(
    r"(?m)^[ \t]*(?P<place>[A-Z][A-Z.'’/-]+(?:[ \t]+[A-Z][A-Z.'’/-]+){0,3}|[A-Z][\w.'’-]+(?:[ \t]+[A-Z][\w.'’-]+){0,3}(?=[^\n]{0,40}\())"
    rf"(?P<rest>(?:,?[ \t]+{_DATELINE_WORD})*(?:[ \t]*\([^()\n]{{1,30}}\))?)[ \t]*(?:--?|–|—|_)[ \t]")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATELINE_ANCHOR = "dateline"  # TimeValue.anchor of a value re-anchored on the dateline's day


def dateline(text: str) -> list[tuple[int, int]]:
    """The datelines of a wire story, as character spans: a paragraph that opens with the place
    it was written in, in capitals or followed by the agency ("DUBAI, March 11 (Reuters) -",
    "Beijing (AFP) -"), then a dash. Only capitalised words and numbers may stand between."""
    return [(m.start("place"), m.end()) for m in DATELINE.finditer(text) if m.end() - m.start() <= 80]


def dateline_day(text: str, times: list[TimeValue]) -> str | None:
    """The day the first dateline gives ("DUBAI, March 11 (Reuters) -"), if it gives one."""
    for start, end in dateline(text):
        for time in times:
            if start <= time.start < end and time.type == "DATE" and DAY.match(str(time.value or "")):
                return str(time.value)
    return None


def tag_document_times(text: str, published: str | date | None = None) -> list[TimeValue]:
    """The time expressions of a story: relative ones ("on Thursday", "yesterday") anchored on the
    dateline's day where the story has a dated dateline, else on the publication date."""
    times = tag_times(text, published)
    anchor = dateline_day(text, times)
    published_day = published.isoformat() if isinstance(published, date) else str(published or "")[:10]
    if anchor is None or anchor == published_day:
        return times
    again = {(t.start, t.end): t.value for t in tag_times(text, anchor)}
    written = dateline(text)
    return [replace(t, value=again[(t.start, t.end)], anchor=DATELINE_ANCHOR)
            if t.anchor == "published" and t.resolution == "relative" and (t.start, t.end) in again
            and not any(a <= t.start < b for a, b in written) else t  # the dateline's own day stays as read
            for t in times]
