"""kill -9 during ingest, then the same ingest again: the store is identical, row for row, to a clean run."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from legation.store import Store

pytestmark = pytest.mark.slow

# ingest in loads of 3 documents, printing a line as each input is taken (the moment to kill at)
SCRIPT = """
import sys
from legation.ingest import iter_inputs
from legation.pipeline import Pipeline
from legation.store import Store, ingest
pipeline = Pipeline()
pipeline.nlp
print("ready", flush=True)
with Store(sys.argv[2]) as store:
    ingest(store, iter_inputs([sys.argv[1]]), pipeline, batch_size=2, write_batch=3,
           progress=lambda: print("item", flush=True))
print("done", flush=True)
"""
TABLES = ["documents", "time_expressions", "actors", "quotes", "events", "relation_reports", "relation_changes",
          "event_clusters"]


def _corpus(path: Path) -> Path:
    countries = ["Chile", "Peru", "France", "Brazil", "Japan", "Kenya", "Egypt", "India", "Cuba", "Spain"]
    rows = []
    for i in range(16):
        a, b = countries[i % 10], countries[(i * 3 + 1) % 10]
        rows.append({"id": f"c{i}", "published": f"2023-0{1 + i % 9}-1{i % 10}", "publisher": f"Wire {i % 4}",
                     "text": f"{a} and {b} restored diplomatic ties on Monday after talks in Geneva, the foreign "
                             f"minister of {a} said. \"We welcome this step,\" he told reporters. {b} recalled its "
                             f"ambassador in {2000 + i} and imposed sanctions on {a} in March."})
    rows.insert(7, {"id": "bad", "text": ""})
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def _run(source: Path, db: Path, kill_after: int | None = None) -> None:
    process = subprocess.Popen([sys.executable, "-c", SCRIPT, str(source), str(db)], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    seen = 0
    for line in process.stdout:
        if line.startswith("item"):
            seen += 1
            if kill_after is not None and seen >= kill_after:
                process.send_signal(signal.SIGKILL)
                break
    process.wait(timeout=300)
    if kill_after is None:
        assert process.returncode == 0
    else:
        assert process.returncode == -signal.SIGKILL


def _rows(db: Path) -> dict[str, list[tuple]]:
    with Store(db, read_only=True) as store:
        out = {}
        for table in TABLES:
            columns = [r[0] for r in store.con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                [table]).fetchall() if r[0] != "ingested_at"]
            names = ", ".join(f'"{c}"' for c in columns)
            out[table] = store.con.execute(f"SELECT {names} FROM {table} ORDER BY ALL").fetchall()
    return out


def test_kill_9_then_rerun_gives_the_clean_store(tmp_path: Path) -> None:
    source = _corpus(tmp_path / "in.jsonl")
    clean = tmp_path / "clean.duckdb"
    _run(source, clean)
    expected = _rows(clean)
    assert len(expected["documents"]) == 17 and expected["events"] and expected["quotes"]
    for moment in (5, 11):  # inside the second load, inside the fourth
        crashed = tmp_path / f"crash-{moment}.duckdb"
        _run(source, crashed, kill_after=moment)
        _run(source, crashed)
        assert _rows(crashed) == expected, moment
