"""Relation changes over whole articles (headline, dateline, lead, background, quotes), on short
articles written by this team (tests/fixtures/relations/articles_own.jsonl: a regression set, not
an accuracy figure)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from legation.pipeline import Pipeline
from legation.records import Document
from legation.relations.changes import merge_document_reports, within_a_month
from legation.relations.evaluate import RelationScore, load_items, score_item
from legation.relations.extract import dateline

FIXTURE = Path(__file__).parent / "fixtures" / "relations" / "articles_own.jsonl"
ITEMS = {i["id"]: i for i in load_items(FIXTURE)}


@pytest.fixture(scope="module")
def analyses() -> dict[str, dict]:
    pipeline = Pipeline()
    documents = [Document(text=i["text"], published=i["published"], source_id=i["id"]) for i in ITEMS.values()]
    return {i: a.to_dict() for i, a in zip(ITEMS, pipeline.analyze_documents(documents))}


def changes(analyses: dict[str, dict], item: str) -> list[tuple[str, str, str, str | None]]:
    return sorted((c["a"], c["b"], c["change"], c["date"]) for c in analyses[item]["relation_changes"])


@pytest.mark.parametrize("item", sorted(ITEMS))
def test_article(item: str, analyses: dict[str, dict]) -> None:
    """Every stated change found once with its pair, change and date, and nothing else."""
    score = RelationScore()
    score_item(ITEMS[item], analyses[item]["relation_changes"], score)
    assert score.errors == [], json.dumps(score.errors)


def test_a_change_told_in_headline_lead_and_body_is_one_change_with_its_sentences(analyses: dict[str, dict]) -> None:
    restores = [c for c in analyses["own-art-1"]["relation_changes"] if c["change"] == "restore"]
    assert len(restores) == 1
    assert restores[0]["date"] == "2023-03-10" and len(restores[0]["events"]) >= 3


def test_an_undated_headline_joins_the_dated_change_of_the_body(analyses: dict[str, dict]) -> None:
    assert changes(analyses, "own-art-5").count(("LBN", "SAU", "recall", "2021-10-29")) == 1
    assert [c for c in changes(analyses, "own-art-5") if c[2] == "recall"] == [("LBN", "SAU", "recall", "2021-10-29")]


def test_background_changes_keep_their_years(analyses: dict[str, dict]) -> None:
    assert ("IRN", "SAU", "break", "2016") in changes(analyses, "own-art-1")
    assert ("NIC", "TWN", "establish", "1990") in changes(analyses, "own-art-6")


def test_the_two_countries_are_the_pair_of_the_article_not_the_mediator(analyses: dict[str, dict]) -> None:
    parties = {code for c in analyses["own-art-1"]["relation_changes"] for code in (c["a"], c["b"])}
    assert parties == {"IRN", "SAU"}


def test_the_dateline_place_is_no_party_and_its_day_anchors_weekdays(analyses: dict[str, dict]) -> None:
    # published a week after the dateline: "on Thursday" is the dateline's Thursday
    assert changes(analyses, "own-art-4") == [("ARE", "ISR", "establish", "2020-08-13")]


def test_dateline_spans() -> None:
    text = "Headline about ties - analysis\n\nDUBAI, March 11 (Reuters) - Iran said.\nBeijing (AFP) - China said.\nIt said - no."
    assert [text[a:b] for a, b in dateline(text)] == ["DUBAI, March 11 (Reuters) - ", "Beijing (AFP) - "]
    assert dateline("IRAN, SAUDI ARABIA RESTORE TIES - REPORT") == []


def test_within_a_month_only_looks_back_from_the_undated_report() -> None:
    assert within_a_month("2021-10-29", "2021-11")
    assert within_a_month("2021-11-02", "2021-11")
    assert not within_a_month("2021-09-29", "2021-11")
    assert not within_a_month("2021-12-01", "2021-11")
    assert not within_a_month("2016", "2021-11")


def test_a_headline_long_after_a_background_change_stays_apart() -> None:
    def rep(eid: str, date: str, defaulted: bool) -> dict:
        return {"event_id": eid, "a": "IRN", "b": "SAU", "kind": "diplomatic", "change": "break", "by": "SAU",
                "date": date, "date_defaulted": defaulted, "background": False}
    merged = merge_document_reports([rep("h", "2023-03", True), rep("b", "2016", False), rep("l", "2023-02-27", False)])
    assert sorted((m["date"], tuple(sorted(m["events"]))) for m in merged) == [("2016", ("b",)), ("2023-02-27", ("h", "l"))]


def test_threats_and_talks_about_restoring_are_no_change(analyses: dict[str, dict]) -> None:
    assert analyses["own-art-7"]["relation_changes"] == []


def test_each_others_diplomats_are_two_expulsions_one_by_each_side(analyses: dict[str, dict]) -> None:
    by = sorted((c["by"], c["date"]) for c in analyses["own-art-9"]["relation_changes"] if c["change"] == "expel")
    assert by == [("DEU", "2022-04"), ("DEU", "2023-04-22"), ("RUS", "2022-04"), ("RUS", "2023-04-22")]


def test_an_undated_sentence_takes_its_paragraphs_time_else_the_lead_day(analyses: dict[str, dict]) -> None:
    # "Berlin expelled forty Russian diplomats" follows "... last traded expulsions in April 2022" in its paragraph;
    # "Moscow responded within hours, ordering ..." has no time: the lead's Saturday
    moscow = [c for c in analyses["own-art-9"]["relation_changes"] if c["by"] == "RUS" and c["date"] == "2023-04-22"]
    assert len(moscow) == 1 and len(moscow[0]["events"]) >= 2


def test_neither_side_and_recognising_a_government_are_no_change(analyses: dict[str, dict]) -> None:
    assert not [c for c in analyses["own-art-9"]["relation_changes"] if c["change"] == "break"]
    assert all(c["change"] != "recognize" for c in analyses["own-art-10"]["relation_changes"])
    assert ("CRI", "TWN", "establish") not in {(c["a"], c["b"], c["change"]) for c in analyses["own-art-10"]["relation_changes"]}


def test_a_follower_repeats_the_change_before_it_and_that_year_is_the_year_told(analyses: dict[str, dict]) -> None:
    found = changes(analyses, "own-art-10")
    assert ("GRD", "TWN", "break", "2005-01") in found
    assert ("CHN", "SEN", "restore", "2005-10") in found
