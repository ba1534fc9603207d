"""Tense, sentence bounds, composites, references and spurious marks, on hand-written sentences."""
from __future__ import annotations

import pytest

from legation.timex import tag_times
from legation.timex.tagger import TaggingContext, _compiled


def values(text: str, published: str) -> list[tuple[str, str | None]]:
    return [(t.text, t.value) for t in tag_times(text, published)]


@pytest.mark.parametrize("sentence, published, expected", [
    # a modal of the future in reported speech
    ("Mr. Lee said the vote would be held on Saturday.", "2023-09-14", [("Saturday", "2023-09-16")]),
    ("Farmers were planning a march on Monday.", "2023-09-14", [("Monday", "2023-09-18")]),
    # a past reporting verb does not send a deadline a year back
    ("The agency said the family must leave by Jan. 14.", "2024-01-05", [("Jan. 14", "2024-01-14")]),
    ("The court has scheduled a hearing for March 12.", "2024-02-16", [("March 12", "2024-03-12")]),
    # but a past event months back stays in the past
    ("In January, the council voted to close the plant.", "2023-10-25", [("January", "2023-01")]),
    ("The plant closed on July 2.", "2023-10-25", [("July 2", "2023-07-02")]),
    # a passive present ("is heard") is not a past tense
    ("The appeal is heard in May.", "2023-03-29", [("May", "2023-05")]),
    # "Tuesday's ruling" is an event already known, whatever the tense around it
    ("Critics will fight Tuesday's ruling.", "2023-09-14", [("Tuesday", "2023-09-12")]),
])
def test_tense_and_distance_choose_the_date(sentence: str, published: str, expected: list) -> None:
    assert values(sentence, published) == expected


def test_abbreviations_do_not_end_sentences() -> None:
    rules, tense, lex, financial = _compiled()
    text = "Gen. Lee met Mr. Tan on Aug. 7 in the U.S. capital. Then he left."
    ctx = TaggingContext(text, None, tense, financial, lex.abbreviations)
    assert ctx.sentence_index(text.index("capital")) == 0
    assert ctx.sentence_index(text.index("Then")) == 1
