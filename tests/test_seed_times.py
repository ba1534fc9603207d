"""Seed acceptance for the time stage (skips without ../shared)."""
from __future__ import annotations

import json
from pathlib import Path

from legation.evaluation.seed import score_seed
from legation.records import Document
from legation.pipeline import Pipeline


def test_all_seed_time_expressions_have_the_gold_value(shared: Path) -> None:
    gold = json.loads((shared / "seed" / "myanmar-north-korea-2023.gold.json").read_text(encoding="utf-8"))
    text = (shared / "seed" / gold["document"]["file"]).read_text(encoding="utf-8")
    analysis = Pipeline(stages=["times"]).analyze(Document(text=text, published=gold["document"]["published"]))
    result = score_seed(analysis.to_dict(), gold)
    times = result["parts"]["times"]
    assert times["correct"] == times["gold"] == 7, times["items"]


def test_timeml_platinum_meets_targets(shared: Path) -> None:
    from legation.evaluation.timeml import evaluate
    from legation.timex import tag_times

    scores = evaluate([shared / "eval" / "te3-platinum"], tag_times).to_dict()
    assert scores["relaxed"]["f1"] >= 0.93
    assert scores["value"]["f1"] >= 0.86
