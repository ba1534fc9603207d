"""Relation changes per category of the errors left on whole articles (sentences and short stories
written here in our own words; a regression check, not an accuracy figure), and the one anchor of
weekdays shared by the events and the relation changes."""
from __future__ import annotations

import pytest

from legation.pipeline import Pipeline
from legation.records import Document
from legation.timex import tag_times
from legation.timex.dateline import DATELINE_ANCHOR, dateline_day, tag_document_times

# id -> (published, text, expected changes as (a, b, change, by, date))
CASES: dict[str, tuple[str, str, list[tuple[str, str, str, str, str | None]]]] = {
    # a state, not a change: denied or held ties
    "state-denied": ("2024-02-15", "Tuvalu does not have diplomatic ties with China, officials said on Wednesday.", []),
    "state-since": ("2023-06-06", "Egypt, with which Iran has not had full relations since 1980, made no comment.", []),
    "state-held": ("2023-06-06", "Oman, which has maintained ties with Iran throughout, acted as a go-between.", []),
    # aimed at, not done; but a past "helped" is done
    "purpose-will-help": ("2023-03-12", "Officials called the agreement a move that will help restore ties between Iran and Saudi Arabia.", []),
    "purpose-pave": ("2023-03-12", "The talks in Baghdad were meant to pave the way to restore relations between Iran and Saudi Arabia.", []),
    "purpose-helped": ("2023-03-12", "Chinese diplomats helped restore ties between Iran and Saudi Arabia on Friday.",
                       [("IRN", "SAU", "restore", "IRN", "2023-03-10")]),
    # weekdays count back from the dateline's day, not from the (later) publication day
    "dateline-weekday": ("2021-03-20", "DUBAI, March 11 (Reuters) - Saudi Arabia expelled the Iranian ambassador on Tuesday, "
                         "officials said.", [("IRN", "SAU", "expel", "SAU", "2021-03-09")]),
}


@pytest.fixture(scope="module")
def analyses() -> dict[str, object]:
    pipeline = Pipeline()
    documents = [Document(text=text, published=published, source_id=key) for key, (published, text, _) in CASES.items()]
    return dict(zip(CASES, pipeline.analyze_documents(documents)))


@pytest.mark.parametrize("key", sorted(CASES))
def test_category(key: str, analyses: dict) -> None:
    found = sorted((c["a"], c["b"], c["change"], c["by"], c["date"]) for c in analyses[key].to_dict()["relation_changes"])
    assert found == sorted(CASES[key][2]), key


def test_events_and_relations_date_a_weekday_from_the_dateline(analyses: dict) -> None:
    analysis = analyses["dateline-weekday"]
    expel = [e for e in analysis.events if e.cameo and e.cameo.startswith("16")]
    assert [e.date["value"] for e in expel] == ["2021-03-09"]  # not the dateline's own day, not the week of publication
    assert [c["date"] for c in analysis.to_dict()["relation_changes"]] == ["2021-03-09"]


def test_document_times_take_the_dateline_day_as_anchor() -> None:
    text = "BEIJING, Jan 24 (Reuters) - China and Nauru resumed relations on Wednesday, nine days after Nauru cut ties."
    plain = {t.text: t for t in tag_times(text, "2024-02-02")}
    anchored = {t.text: t for t in tag_document_times(text, "2024-02-02")}
    assert dateline_day(text, list(plain.values())) == "2024-01-24"
    assert plain["Wednesday"].value == "2024-01-31" and anchored["Wednesday"].value == "2024-01-24"
    assert anchored["Wednesday"].anchor == DATELINE_ANCHOR
    assert anchored["Jan 24"].value == "2024-01-24" and anchored["Jan 24"].anchor == plain["Jan 24"].anchor
    # no dated dateline, or one on the publication day: the values are those of the publication date
    undated = "BEIJING (Reuters) - China and Nauru resumed relations on Wednesday."
    assert tag_document_times(undated, "2024-02-02") == tag_times(undated, "2024-02-02")
    assert tag_document_times(text, "2024-01-24") == tag_times(text, "2024-01-24")
