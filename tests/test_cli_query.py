"""The CLI's query commands through typer's runner: bad values exit non-zero with the allowed values,
names resolve to codes, exports write every matching row."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from legation.cli import app
from legation.dates import interval
from legation.store import Store

runner = CliRunner()
EVENT_COLUMNS = ("id, doc_id, type, mode, context, cameo, quad_class, goldstei"
                 "n, source_codes, target_codes, source, target, date_value, date_text, date_defaulted, location, killed, injured, modality, attributed_to, relation, evidence_start, evidence_end, evidence_text, trigger_text, confidence, source_defaulted, target_defaulted, date_start, date_end")


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("cliq") / "store.duckdb"
    with Store(path) as store:
        store.con.execute("INSERT INTO documents (id, source_id, title, published, text, status, ingested_at) VALUES "
                          "('d1aaaaaaaaaaaaaa', 'one', 'One', DATE '2023-04-01', 'x', 'ok', now())")
        rows = []
        for i, (value, source, target, modality) in enumerate([
                ("2023-W13", "MMR", "PRK", "asserted"), ("2023-04", "PRK", "MMR", "hedged"),
                ("2022-11-02", "USA", "CHN", "asserted"), ("198X", "MMR", "KOR", "future")]):
            rows.append([f"e{i}", "d1aaaaaaaaaaaaaa", "CONSULT", None, "[]", "040", 1, 1.0, [source], [target],
                         json.dumps([{"code": source, "name": source}]), json.dumps([{"code": target, "name": target}]),
                         value, None, False, None, None, None, modality, None, None, 0, 5, "talks", None, 0.5,
                         False, False, *interval(value)])
        store.con.executemany(f"INSERT INTO events ({EVENT_COLUMNS}) VALUES (" + ", ".join("?" * 30) + ")", rows)
        store.con.execute("INSERT INTO quotes (doc_id, idx, start_char, end_char, content, direct, partial, speaker_name, "
                          "anonymous, speaker_code) VALUES ('d1aaaaaaaaaaaaaa', 0, 0, 5, 'We met', TRUE, FALSE, 'Min', "
                          "FALSE, 'MMR'), ('d1aaaaaaaaaaaaaa', 1, 6, 9, 'they said', FALSE, FALSE, NULL, TRUE, NULL)")
        store.con.execute("INSERT INTO actors (doc_id, idx, start_char, end_char, text, code, sector, name, kind) VALUES "
                          "('d1aaaaaaaaaaaaaa', 0, 0, 7, 'Myanmar', 'MMR', 'GOV', 'Myanmar', 'country')")
        store.con.execute("INSERT INTO relation_changes VALUES ('c1', 'MMR', 'PRK', 'diplomatic', 'restore', NULL, "
                          "'2007-04-26', '{}', DATE '2007-04-27', 1, 1, 1)")
    return str(path)


@pytest.mark.parametrize("args, needle", [
    (["events", "--modality", "maybe"], "hypothetical"),
    (["events", "--type", "SANCTIONS"], "SANCTION"),
    (["events", "--quad-class", "7"], "material conflict"),
    (["events", "--from", "2023-13"], "--from"),
    (["events", "--from", "2024", "--to", "2023"], "E072"),
    (["events", "--sort", "colour"], "goldstein"),
    (["events", "--actor", "Myanmr"], "Myanmar (MMR)"),
    (["export", "--modality", "maybe"], "hypothetical"),
    (["relations", "--kind", "foo"], "diplomatic"),
    (["timeline", "MMR", "PRK", "--kind", "trade"], "sanctions"),
    (["timeline", "MMR", "PRK", "--as-of", "soon"], "--as-of"),
    (["times", "--doc", "zzzz"], "E075"),
    (["quotes", "--doc", "zzzz"], "E075"),
    (["quotes", "--kind", "shouted"], "indirect"),
    (["actors", "--kind", "planet"], "organisation"),
    (["documents", "--status", "broken"], "failed"),
])
def test_bad_values_exit_non_zero_with_the_allowed_values(db: str, args: list[str], needle: str) -> None:
    result = run(*args, "--db", db)
    assert result.exit_code == 2, result.output
    output = " ".join(result.output.split())  # the console wraps long lines
    assert needle in output and "[E07" in output


def test_names_and_intervals(db: str) -> None:
    got = json.loads(run("events", "--db", db, "--actor", "Burma", "--format", "json").stdout)
    assert {e["id"] for e in got} == {"e0", "e1", "e3"}
    got = json.loads(run("events", "--db", db, "--from", "2023-03", "--to", "2023-03", "--format", "json").stdout)
    assert [e["id"] for e in got] == ["e0"]  # 2023-W13 runs from March 27 to April 2
    got = json.loads(run("events", "--db", db, "--from", "2023-04-01", "--to", "2023-04-01", "--format", "json").stdout)
    assert {e["id"] for e in got} == {"e0", "e1"}
    quotes = json.loads(run("quotes", "--db", db, "--actor", "Myanmar", "--format", "json").stdout)
    assert [q["content"] for q in quotes] == ["We met"]
    assert [q["content"] for q in json.loads(run("quotes", "--db", db, "--anonymous", "-f", "json").stdout)] == ["they said"]
    relations = json.loads(run("relations", "--db", db, "--actor", "North Korea", "--format", "json").stdout)
    assert [(r["a"], r["b"]) for r in relations] == [("MMR", "PRK")]
    timeline = json.loads(run("timeline", "Burma", "North Korea", "--db", db, "--format", "json").stdout)
    assert timeline["pair"] == ["MMR", "PRK"] and timeline["state_as_of"] == "active"


def test_csv_export_has_flat_columns_and_every_row(db: str, tmp_path: Path) -> None:
    result = run("events", "--db", db, "--format", "csv", "--sort", "-date")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    # latest first day first: 2023-04 (April 1), 2023-W13 (March 27), 2022-11-02, 198X (1980)
    assert [r["GLOBALEVENTID"] for r in rows] == ["e1", "e0", "e2", "e3"]
    assert len(rows) == 4 and rows[0]["Actor1Code"] and rows[0]["Actor1Name"]
    gdelt = list(csv.DictReader(io.StringIO(run("export", "--db", db, "--format", "gdelt").stdout)))
    assert list(gdelt[0]) == list(rows[0]) and len(gdelt) == 4
    out = tmp_path / "mmr.parquet"
    result = run("events", "--db", db, "--actor", "MMR", "--format", "parquet", "--output", str(out))
    assert result.exit_code == 0 and "wrote 3 events" in result.stdout
    import pandas as pd

    assert len(pd.read_parquet(out)) == 3
