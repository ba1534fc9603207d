"""Ingest with worker processes: the same rows as one process."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from legation.ingest import iter_inputs, sample_articles_path
from legation.parallel import ProcessAnalyzer
from legation.pipeline import Pipeline
from legation.store import Store, ingest
from tests.test_writer import snapshot


@pytest.mark.slow
def test_two_workers_store_the_rows_of_one(tmp_path: Path) -> None:
    pipeline = Pipeline()
    items = list(iter_inputs([str(sample_articles_path())]))[:12]
    one = Store(tmp_path / "one.duckdb")
    ingest(one, items, pipeline, analyze=ProcessAnalyzer(pipeline, 1))
    two = Store(tmp_path / "two.duckdb")
    analyzer = ProcessAnalyzer(pipeline, 2, chunk=3, in_flight=1, min_documents=0)
    summary = ingest(two, items, pipeline, analyze=analyzer, write_batch=5)
    assert analyzer.used_workers == 2
    assert summary["new"] == 12
    rows = snapshot(one)
    assert rows == snapshot(two)
    assert rows["events"] and rows["quotes"] and rows["actors"]
    assert {r[-1] for r in two.con.execute("SELECT model FROM documents").fetchall()} == {pipeline.model_name}
    one.close()
    two.close()


def test_a_small_input_is_analysed_in_this_process() -> None:
    pipeline = Pipeline(stages=["times"])
    analyzer = ProcessAnalyzer(pipeline, 4, min_documents=10)
    docs = list(iter_inputs([str(sample_articles_path())]))[:3]
    analyses = list(analyzer(docs))
    assert [a.document.id for a in analyses] == [d.id for d in docs]
    assert analyzer.used_workers == 0


def test_ingest_command_takes_workers(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from legation.cli import app

    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "Talks resumed on Monday.", "published": "2023-09-15"}) + "\n",
                   encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", str(src), "--db", str(tmp_path / "w.duckdb"), "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert "1 new" in result.output
