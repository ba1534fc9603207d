"""Relation changes read from the parse, per category, on the regression set written here
(tests/fixtures/relations/regression.jsonl: sentences by this team, not real news; a
regression check, not an accuracy figure)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from legation.pipeline import Pipeline
from legation.records import Document
from legation.relations.evaluate import RelationScore, load_items, score_item

FIXTURE = Path(__file__).parent / "fixtures" / "relations" / "regression.jsonl"
ITEMS = load_items(FIXTURE)


@pytest.fixture(scope="module")
def analyses() -> dict[str, dict]:
    pipeline = Pipeline()
    documents = [Document(text=i["text"], published=i["published"], source_id=i["id"]) for i in ITEMS]
    return {i["id"]: a.to_dict() for i, a in zip(ITEMS, pipeline.analyze_documents(documents))}


@pytest.mark.parametrize("item", ITEMS, ids=[f"{i['category']}:{i['id']}" for i in ITEMS])
def test_regression_sentence(item: dict, analyses: dict[str, dict]) -> None:
    """Every stated change found with its pair, change and date, and nothing else."""
    score = RelationScore()
    score_item(item, analyses[item["id"]]["relation_changes"], score)
    assert score.errors == [], json.dumps(score.errors)


def test_expulsion_direction_is_the_expelling_state(analyses: dict[str, dict]) -> None:
    changes = analyses["expel-1"]["relation_changes"]
    assert [(c["change"], c["by"]) for c in changes] == [("expel", "ITA")]


def test_recognition_switch_never_pairs_the_two_others(analyses: dict[str, dict]) -> None:
    for item in ("switch-1", "switch-2", "switch-3", "switch-4", "switch-5"):
        pairs = {(c["a"], c["b"]) for c in analyses[item]["relation_changes"]}
        assert ("CHN", "TWN") not in pairs
        assert all(c["change"] in ("establish", "break") for c in analyses[item]["relation_changes"])


def test_mediators_are_no_party(analyses: dict[str, dict]) -> None:
    for item, mediator in (("mediator-1", "CHN"), ("mediator-2", "CHN"), ("mediator-3", "OMN"), ("mediator-4", "KWT"),
                           ("mediator-5", "CHN")):
        parties = {code for c in analyses[item]["relation_changes"] for code in (c["a"], c["b"])}
        assert mediator not in parties, item


def test_joint_act_gives_no_pair_on_one_side(analyses: dict[str, dict]) -> None:
    pairs = {(c["a"], c["b"]) for c in analyses["joint-2"]["relation_changes"]}
    assert pairs == {("QAT", "SAU"), ("ARE", "QAT"), ("BHR", "QAT"), ("EGY", "QAT")}


def test_listed_countries_keep_their_years(analyses: dict[str, dict]) -> None:
    dates = {c["a"] if c["b"] == "PRK" else c["b"]: c["date"] for c in analyses["list-1"]["relation_changes"]}
    assert dates == {"BWA": "2014", "JOR": "2017", "MYS": "2021"}


def test_normalisation_is_a_restoration_only_after_a_reported_break() -> None:
    pipeline = Pipeline()
    first = pipeline.analyze(Document(text="Bahrain and Israel agreed on Friday to normalise relations.", published="2020-09-12"))
    again = pipeline.analyze(Document(text="Turkey and Israel cut ties in 2010. Turkey and Israel agreed on Friday to normalise relations.",
                                      published="2022-08-20"))
    assert [(c["change"], c["date"]) for c in first.relation_changes] == [("establish", "2020-09-11")]
    assert ("restore", "2022-08-19") in [(c["change"], c["date"]) for c in again.relation_changes]


_SEED_SCRIPT = """
import json
from legation.pipeline import analyze
text = ("Saudi Arabia and Iran restored ties on March 10, 2023. Iran and Saudi Arabia agreed to reopen embassies. "
        "Bahrain, Saudi Arabia and the UAE cut ties with Qatar in 2017.")
print(json.dumps(analyze(text, published="2023-03-11").relation_changes, sort_keys=True))
"""


@pytest.mark.slow
def test_relation_changes_are_the_same_whatever_the_hash_seed() -> None:
    import os
    import subprocess
    import sys

    outputs = set()
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        result = subprocess.run([sys.executable, "-c", _SEED_SCRIPT], env=env, capture_output=True, text=True, check=True)
        outputs.add(result.stdout.strip())
    assert len(outputs) == 1 and json.loads(outputs.pop())


def test_fresh_set_written_after_the_rules() -> None:
    """A second set, written after the rules and not tuned on (one known miss: a mediator
    phrase the parser joins with the parties, "In talks mediated by Beijing, Tehran and Riyadh ...")."""
    from legation.relations.evaluate import score_items

    items = load_items(FIXTURE.parent / "fresh.jsonl")
    pipeline = Pipeline()
    documents = [Document(text=i["text"], published=i["published"], source_id=i["id"]) for i in items]
    analyses = [a.to_dict() for a in pipeline.analyze_documents(documents)]
    overall = score_items(items, analyses).overall.scores()
    assert overall["precision"] >= 0.95 and overall["recall"] >= 0.95, overall
