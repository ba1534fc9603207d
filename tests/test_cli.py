"""The CLI through typer's runner, against real DuckDB files in tmp_path."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb
from typer.testing import CliRunner

from legation.cli import app

runner = CliRunner()


def run(*args: str, input: str | None = None):
    result = runner.invoke(app, list(args), input=input)
    return result


def test_ingest_stores_documents_and_failures_and_is_idempotent(corpus: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "store.duckdb")
    first = run("ingest", str(corpus), "--db", db, "--published", "2023-09-14")
    assert first.exit_code == 0, first.output
    assert "3 new, 0 unchanged, 4 failed" in first.stdout
    con = duckdb.connect(db, read_only=True)
    before = con.execute("SELECT status, count(*) FROM documents GROUP BY status ORDER BY status").fetchall()
    times_before = con.execute("SELECT count(*) FROM time_expressions").fetchone()[0]
    con.close()
    assert before == [("failed", 4), ("ok", 3)]
    assert times_before >= 5
    again = run("ingest", str(corpus), "--db", db, "--published", "2023-09-14")
    assert again.exit_code == 0
    assert "0 new, 3 unchanged, 4 failed" in again.stdout
    con = duckdb.connect(db, read_only=True)
    assert con.execute("SELECT status, count(*) FROM documents GROUP BY status ORDER BY status").fetchall() == before
    assert con.execute("SELECT count(*) FROM time_expressions").fetchone()[0] == times_before
    con.close()


def test_strict_exits_non_zero_on_failure(corpus: Path, tmp_path: Path) -> None:
    result = run("ingest", str(corpus), "--db", str(tmp_path / "s.duckdb"), "--strict")
    assert result.exit_code == 1
    assert "3 new" in result.stdout  # the good documents were still stored


def test_times_formats(corpus: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "t.duckdb")
    run("ingest", str(corpus / "a.txt"), "--db", db, "--published", "2023-09-14")
    as_json = json.loads(run("times", "--db", db, "--format", "json").stdout)
    assert [(r["text"], r["value"]) for r in as_json] == [("Monday", "2023-09-11"), ("five years", "P5Y")]
    rows = list(csv.DictReader(io.StringIO(run("times", "--db", db, "--format", "csv").stdout)))
    assert rows and set(rows[0]) >= {"doc_id", "text", "type", "value", "start", "end"}
    lines = run("times", "--db", db, "--format", "jsonl").stdout.strip().splitlines()
    assert len(lines) == len(as_json)
    doc_id = as_json[0]["doc_id"]
    assert len(json.loads(run("times", "--db", db, "--doc", doc_id[:8], "--format", "json").stdout)) == len(as_json)
    assert "Monday" in run("times", "--db", db).stdout


def test_times_on_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    result = run("times", "--db", str(tmp_path / "none.duckdb"))
    assert result.exit_code == 2
    assert "E040" in result.output


def test_analyze_follows_the_contract(corpus: Path) -> None:
    result = run("analyze", str(corpus / "a.txt"), str(corpus / "c.jsonl"), "--published", "2023-09-14")
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.strip().splitlines()]
    assert len(records) == 5  # a.txt, r1, and the three failed lines, in input order
    first = records[0]
    assert set(first) >= {"document", "times", "actors", "quotes", "events", "relation_changes"}
    assert set(first["document"]) >= {"id", "source_id", "title", "published", "publisher", "url"}
    text = (corpus / "a.txt").read_text(encoding="utf-8")
    for t in first["times"]:
        assert text[t["start"]:t["end"]] == t["text"]
        assert {"type", "value", "anchor"} <= set(t)
    assert records[1]["document"]["source_id"] == "r1"
    assert records[1]["document"]["published"] == "2023-09-15"
    assert "error" in records[2]


def test_analyze_stdin() -> None:
    result = run("analyze", "-", "--published", "2023-09-14", input="Ties were cut five years ago.")
    record = json.loads(result.stdout)
    assert [(t["text"], t["value"]) for t in record["times"]] == [("five years ago", "2018")]


def test_analyze_rejects_bad_published() -> None:
    result = run("analyze", "-", "--published", "14.09.2023", input="x")
    assert result.exit_code == 2 and "ISO date" in result.output


def test_doctor_reports_model_and_store(corpus: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "d.duckdb")
    run("ingest", str(corpus / "a.txt"), "--db", db)
    result = run("doctor", "--db", db)
    assert result.exit_code == 0, result.output
    assert "spacy 3.8" in result.stdout and "model: en_core_web" in result.stdout
    assert "documents_ok: 1" in result.stdout


def test_demo_ingests_the_sample_articles(tmp_path: Path) -> None:
    db = str(tmp_path / "demo.duckdb")
    result = run("demo", "--db", db)
    assert result.exit_code == 0, result.output
    con = duckdb.connect(db, read_only=True)
    assert con.execute("SELECT count(*) FROM documents WHERE status='ok'").fetchone()[0] >= 12
    assert con.execute("SELECT count(*) FROM documents WHERE published IS NULL").fetchone()[0] == 0
    con.close()


def test_every_command_is_documented() -> None:
    import typer.main

    group = typer.main.get_command(app)
    for name, command in group.commands.items():
        assert command.help, f"command {name} has no help"
        sub = getattr(command, "commands", {})
        for sub_name, sub_command in sub.items():
            assert sub_command.help, f"command {name} {sub_name} has no help"
        assert run(name, "--help").exit_code == 0


def test_eval_timeml_on_a_tiny_file(tmp_path: Path) -> None:
    (tmp_path / "x.tml").write_text(
        '<?xml version="1.0" ?><TimeML><DOCID>x</DOCID><DCT><TIMEX3 tid="t0" type="DATE" value="2020-05-04" '
        'functionInDocument="CREATION_TIME">May 4, 2020</TIMEX3></DCT><TEXT>Talks resumed '
        '<TIMEX3 tid="t1" type="DATE" value="2020-05-01">Friday</TIMEX3> after <TIMEX3 tid="t2" type="DURATION" '
        'value="P2Y">two years</TIMEX3>.</TEXT></TimeML>', encoding="utf-8")
    result = run("eval", "timeml", str(tmp_path), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["relaxed"]["f1"] == 1.0 and data["value"]["f1"] == 1.0
    (tmp_path / "y.tml").write_text(
        '<?xml version="1.0" ?><TimeML><DOCID>y</DOCID><DCT><TIMEX3 tid="t0" type="DATE" value="2020-05-04" '
        'functionInDocument="CREATION_TIME">May 4, 2020</TIMEX3></DCT><TEXT>They met on '
        '<TIMEX3 tid="t1" type="DATE" value="2020-04-24">Friday</TIMEX3>.</TEXT></TimeML>', encoding="utf-8")
    result = run("eval", "timeml", str(tmp_path), "--half", "2", "--breakdown", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["documents"]) == 1 and data["breakdown"] == {"weekday": {"wrong_value": 1}}
    result = run("eval", "timeml", str(tmp_path), "--breakdown")
    assert "Errors by category" in result.stdout and "[weekday / wrong_value]" in result.stdout


def test_actors_and_quotes_commands(tmp_path: Path) -> None:
    text = ('Myanmar\'s junta re-established ties with North Korea this week. '
            '"They are desperate," said an activist who spoke on condition of anonymity for fear of reprisal.')
    src = tmp_path / "a.txt"
    src.write_text(text, encoding="utf-8")
    db = str(tmp_path / "aq.duckdb")
    assert run("ingest", str(src), "--db", db, "--published", "2023-09-14").exit_code == 0
    actors = json.loads(run("actors", "--db", db, "--format", "json").stdout)
    assert {("MMR", "GOV"), ("PRK", "GOV")} <= {(a["code"], a["sector"]) for a in actors}
    only_prk = json.loads(run("actors", "--db", db, "--code", "prk", "--format", "json").stdout)
    assert only_prk and all(a["code"] == "PRK" for a in only_prk)
    quotes = json.loads(run("quotes", "--db", db, "--format", "json").stdout)
    assert len(quotes) == 1 and quotes[0]["content"].startswith("They are desperate")
    assert quotes[0]["anonymous"] is True and quotes[0]["anonymity_reason"] == "fear of reprisal"
    assert json.loads(run("quotes", "--db", db, "--speaker", "activist", "--format", "json").stdout)
    assert json.loads(run("quotes", "--db", db, "--speaker", "nobody", "--format", "json").stdout) == []
