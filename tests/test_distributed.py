"""Ingest on a real local Ray cluster: the same rows as a local run."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from legation.ingest import iter_inputs, sample_articles_path
from legation.pipeline import Pipeline
from legation.store import Store, ingest
from tests.test_writer import snapshot

ray = pytest.importorskip("ray")  # the optional extra legation[ray], also in the test extra


@pytest.mark.slow
def test_ray_run_stores_the_rows_of_a_local_run(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from legation.cli import app

    lines = sample_articles_path().read_text(encoding="utf-8").splitlines()[:6]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines + ["{not json"]) + "\n", encoding="utf-8")
    local = Store(tmp_path / "local.duckdb")
    ingest(local, iter_inputs([str(src)]), Pipeline())
    parts = tmp_path / "parts"
    db = tmp_path / "ray.duckdb"
    # `--ray local` starts a local cluster (ray.init) and stops it at the end
    result = CliRunner().invoke(app, ["ingest", str(src), "--db", str(db), "--ray", "local", "--workers", "1",
                                      "--parts", str(parts)])
    assert result.exit_code == 0, result.output
    assert "6 new, 0 unchanged, 1 failed" in result.output
    assert not ray.is_initialized()
    distributed = Store(db)
    rows = snapshot(local)
    assert rows == snapshot(distributed)
    assert rows["events"] and rows["quotes"] and rows["relation_changes"]
    assert {"actors", "documents", "events"} <= {p.name for p in parts.iterdir()}
    again = CliRunner().invoke(app, ["ingest", str(src), "--db", str(db), "--ray", "local"])
    assert "0 new, 6 unchanged" in again.output and not ray.is_initialized()  # nothing new: no cluster needed
    local.close()
    distributed.close()
    assert json.loads(lines[0])["text"]
