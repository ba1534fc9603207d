"""The article-level event scorer (legation/evaluation/articles.py) and the shared P/R/F1 helper."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from legation.evaluation.articles import (GoldFormatError, load_gold, match, score_articles, side_matches)
from legation.evaluation.metrics import PRF, f1, ratio

FIXTURE = Path(__file__).parent / "fixtures" / "events" / "polnear_articles.json"


def test_prf_helper():
    counts = PRF(tp=3, predicted=4, gold=6)
    assert counts.precision == 0.75 and counts.recall == 0.5
    assert counts.f1 == pytest.approx(0.6)
    assert ratio(1, 0) == 0.0 and f1(0.0, 0.0) == 0.0
    counts.add(PRF(1, 1, 2))
    assert (counts.tp, counts.predicted, counts.gold) == (4, 5, 8)


def _gold_file(tmp_path: Path, events: list[dict], split: str = "dev") -> Path:
    path = tmp_path / "gold.json"
    path.write_text(json.dumps({"articles": [{"split": split, "file": "a.txt", "events": events}]}), encoding="utf-8")
    return path


def _gold(sentence, trigger, type_, source=(), target=(), modality="asserted"):
    return {"sentence": list(sentence), "trigger": list(trigger), "type": type_, "cameo": None, "modality": modality,
            "source": [{"span": [0, 1], "code": c, "sector": "GOV"} for c in source],
            "target": [{"span": [0, 1], "code": c, "sector": "GOV"} for c in target]}


def _event(start, type_, source=(), target=(), modality="asserted", lemma="x"):
    return {"type": type_, "trigger": {"start": start, "end": start + 3, "lemma": lemma, "text": lemma},
            "source": [{"code": c} for c in source], "target": [{"code": c} for c in target], "modality": modality}


def test_load_gold_rejects_bad_spans(tmp_path):
    path = _gold_file(tmp_path, [_gold((10, 5), (6, 7), "ACCUSE")])
    with pytest.raises(GoldFormatError, match="E061"):
        load_gold(path)
    path.write_text(json.dumps({"events": []}), encoding="utf-8")
    with pytest.raises(GoldFormatError, match="E061"):
        load_gold(path)


def test_matching_is_one_to_one_and_maximal(tmp_path):
    # both predicted events sit in the one sentence; a greedy pass giving the first gold event
    # the nearest predicted one would leave the second gold event unmatched
    gold = load_gold(_gold_file(tmp_path, [_gold((0, 100), (10, 13), "ACCUSE"), _gold((0, 100), (50, 53), "ACCUSE",
                                                                                     source=("USA",))]))[0].events
    predicted = [_event(12, "ACCUSE", source=("USA",)), _event(60, "ACCUSE", source=("RUS",))]
    pairs = match("type_source_target", gold, predicted)
    assert pairs == {0: 1, 1: 0}
    assert match("type", gold, predicted[:1]) in ({0: 0}, {1: 0})  # one predicted event matches once only


def test_sides_and_sentences(tmp_path):
    assert side_matches((), set()) and side_matches(("USA", "MEX"), {"MEX"}) and not side_matches(("USA",), set())
    assert side_matches(("IGO",), {"UNO"})
    gold = [_gold((0, 50), (5, 9), "ASSAULT", source=("SYR",), target=("TUR",)),
            _gold((50, 120), (60, 66), "CONSULT", source=("USA",), modality="future")]
    predicted = [_event(5, "ASSAULT", source=("SYR",), target=("SYR",)),  # wrong target
                 _event(70, "CONSULT", source=("USA",), target=("CHN",), modality="future"),  # gold target empty
                 _event(130, "AID", lemma="aid"),  # outside every gold sentence: a false event
                 _event(55, "ASSAULT", source=("SYR",), target=("TUR",))]  # right parties, wrong sentence
    results = score_articles(load_gold(_gold_file(tmp_path, gold)), [{"events": predicted}])
    s = results["dev"]
    assert (s.measures["type"].tp, s.measures["type"].predicted, s.measures["type"].gold) == (2, 4, 2)
    assert s.measures["type_source_target"].tp == 1
    asserted = s.measures["asserted"]
    assert (asserted.tp, asserted.predicted, asserted.gold) == (0, 3, 1)
    assert s.false_triggers["aid"] == 1 and s.false_kinds["no coded party"] == 1
    assert s.type_counts("type", "ASSAULT").predicted == 2 and s.type_counts("type", "ASSAULT").tp == 1
    assert results["all"].measures["type"].tp == 2


def test_cli_counts_every_output_event(shared, tmp_path):
    """The scorer runs the full pipeline on the PolNeAR text: with no gold events, every event
    Legation outputs for the article is a false positive."""
    from typer.testing import CliRunner

    from legation.cli import app
    from legation.evaluation.articles import article_documents
    from legation.pipeline import Pipeline

    corpus = shared / "eval" / "polnear"
    name = sorted(p.name for p in (corpus / "train" / "text").glob("*.txt"))[3]
    gold = _gold_file(tmp_path, [], split="train")
    gold.write_text(json.dumps({"articles": [{"split": "train", "file": name, "events": []}]}), encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "articles", str(gold), "--corpus", str(corpus), "--json",
                                      "--cache", str(tmp_path / "cache")])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)["train"]
    expected = Pipeline().analyze(article_documents(load_gold(gold), corpus)[0]).to_dict()["events"]
    assert scores["type"]["predicted"] == len(expected) > 0
    assert scores["type"]["tp"] == 0 and sum(scores["false_trigger_lemmas"].values()) == len(expected)


def test_missing_text_is_a_numbered_error(shared, tmp_path):
    from typer.testing import CliRunner

    from legation.cli import app

    gold = _gold_file(tmp_path, [])
    result = CliRunner().invoke(app, ["eval", "articles", str(gold), "--corpus", str(shared / "eval" / "polnear")])
    assert result.exit_code == 2 and "E062" in result.output
