"""Bad inputs, each between two good documents, through every way in (issue 14).

Every class goes through `legation ingest FILE`, `legation ingest -` (stdin), `legation analyze`
and `POST /api/documents`. For each: the exit code, the good documents stored, the bad one stored
as failed with its reason (or cleaned and stored, with its warning), and every stored offset
pointing at the text it claims.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from legation.cli import app as cli
from legation.records import document_id
from legation.store import Store

pytestmark = pytest.mark.slow

GOOD_A = {"id": "good-a", "text": "Myanmar and North Korea restored diplomatic ties on Monday, officials said.",
          "published": "2023-09-14"}
GOOD_B = {"id": "good-b", "text": "France and Brazil agreed on Tuesday to open talks on a trade deal.",
          "published": "2024-05-07"}
LONG_TEXT = "Chile and Peru held talks in Lima on Friday about fishing rights, officials said.\n\n" * 60


@dataclass(frozen=True)
class Case:
    name: str
    line: bytes                 # the JSON Lines line between the two good ones
    outcome: str                # ok | failed | unchanged
    reason: str = ""            # failed: part of the reason; ok: part of a warning ("" for none)
    text: str | None = None     # ok: the text stored
    api_body_refused: bool = False  # the line makes the whole POST body unusable (400, nothing stored)


def _line(record: Any, ascii_only: bool = True) -> bytes:
    return json.dumps(record, ensure_ascii=ascii_only).encode("utf-8")


CASES = [
    Case("invalid_json", b'{"id": "x", "text": "unterminated', "failed", "invalid JSON", api_body_refused=True),
    Case("not_an_object", b'["a", "b"]', "failed", "expected a JSON object"),
    Case("no_text", _line({"id": "x", "title": "only a title"}), "failed", 'no "text" string'),
    Case("text_number", _line({"text": 42}), "failed", 'no "text" string'),
    Case("text_null", _line({"text": None}), "failed", 'no "text" string'),
    Case("empty_text", _line({"text": ""}), "failed", "empty"),
    Case("blank_text", _line({"text": " \n\t "}), "failed", "empty"),
    Case("id_object", _line({"id": {"nested": 1}, "text": "Chile and Peru met."}), "failed", '"id" must be a string'),
    Case("id_bool", _line({"id": True, "text": "Chile and Peru met."}), "failed", '"id" must be a string'),
    Case("title_list", _line({"title": ["a"], "text": "Chile and Peru met."}), "failed", '"title" must be a string'),
    Case("url_number", _line({"url": 7, "text": "Chile and Peru met."}), "failed", '"url" must be a string'),
    Case("published_word", _line({"published": "yesterday", "text": "Chile and Peru met."}), "failed", "ISO date"),
    Case("published_garbage", _line({"published": "2023-01-01garbage", "text": "Chile and Peru met."}), "failed",
         "ISO date"),
    Case("bad_utf8", b'{"text": "caf\xe9 talks in Lima."}', "failed", "undecodable", api_body_refused=True),
    Case("deep_nesting", b"[" * 100_000 + b"]" * 100_000, "failed", "invalid JSON", api_body_refused=True),
    Case("lone_surrogate", b'{"text": "Chile \\ud800 and Peru met in Lima on Friday."}', "ok", "surrogate",
         "Chile \ufffd and Peru met in Lima on Friday."),
    Case("line_separators", _line({"text": "Chile\u2028and Peru met\u0085in Lima\u2029on Friday."}, False), "ok", "",
         "Chile\u2028and Peru met\u0085in Lima\u2029on Friday."),
    Case("nul_and_controls", _line({"text": "Talks\u0000 in \u202eLima\u200b \x1b[31mon Friday."}), "ok", "",
         "Talks\u0000 in \u202eLima\u200b \x1b[31mon Friday."),
    Case("markup", _line({"text": "<script>alert(1)</script> Chile and Peru met in Lima."}), "ok", "",
         "<script>alert(1)</script> Chile and Peru met in Lima."),
    Case("emoji_only", _line({"text": "\U0001F642\U0001F642\U0001F642"}, False), "ok", "",
         "\U0001F642\U0001F642\U0001F642"),
    Case("huge_id", _line({"id": "x" * 10_000, "text": "Chile and Peru met in Lima."}), "ok", "",
         "Chile and Peru met in Lima."),
    Case("crlf", _line({"text": "Chile and Peru met in Santiago."}) + b"\r", "ok", "", "Chile and Peru met in Santiago."),
    Case("chinese", _line({"text": "缅甸和朝鲜周一恢复了外交关系。两国外交部在仰光发表联合声明。"}, False), "ok",
         "English-only", "缅甸和朝鲜周一恢复了外交关系。两国外交部在仰光发表联合声明。"),
    Case("long_text", _line({"text": LONG_TEXT}), "ok", "pieces", LONG_TEXT),
    Case("duplicate_of_good", _line(GOOD_A), "unchanged"),
    Case("huge_number", b'{"id": 1' + b"0" * 5000 + b', "text": "Chile and Peru met."}', "failed", "invalid JSON",
         api_body_refused=True),
    Case("nan_text", b'{"text": NaN}', "failed", 'no "text" string'),
    Case("text_list", _line({"text": ["Chile and Peru met."]}), "failed", 'no "text" string'),
    Case("published_number", _line({"published": 20230101, "text": "Chile and Peru met."}), "failed",
         '"published" must be a string'),
    Case("published_impossible", _line({"published": "2023-02-30", "text": "Chile and Peru met."}), "failed",
         "ISO date"),
    Case("publisher_number", _line({"publisher": 5, "text": "Chile and Peru met."}), "failed",
         '"publisher" must be a string'),
    Case("unicode_spaces_only", _line({"text": "\u00a0\u3000\u2009"}), "failed", "empty"),
    Case("huge_token", _line({"text": "Chile " + "a" * 200_000 + " Peru met."}), "ok", "pieces",
         "Chile " + "a" * 200_000 + " Peru met."),
    Case("traversal_id", _line({"id": "../../etc/passwd", "text": "Chile and Peru met in Lima."}), "ok", "",
         "Chile and Peru met in Lima."),
]


@pytest.fixture(autouse=True)
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """Texts over 3,000 characters count as 'too long' (stands for spaCy's 1,000,000)."""
    import legation.pipeline

    monkeypatch.setattr(legation.pipeline, "PIECE_CHARS", 300)
    monkeypatch.delenv("LEGATION_API_TOKEN", raising=False)


def _input(case: Case) -> bytes:
    return b"\n".join([_line(GOOD_A), case.line, _line(GOOD_B)]) + b"\n"


def _check_offsets(store: Store) -> int:
    checked = 0
    texts = {r["id"]: r["text"] for r in store.query("SELECT id, text FROM documents WHERE status = 'ok'")}
    for table, start, end, column in (("time_expressions", "start_char", "end_char", "text"),
                                      ("actors", "start_char", "end_char", "text"),
                                      ("quotes", "start_char", "end_char", "content"),
                                      ("events", "evidence_start", "evidence_end", "evidence_text")):
        for row in store.query(f"SELECT doc_id, {start} AS s, {end} AS e, {column} AS t FROM {table}"):
            if row["s"] is None:
                continue
            span = texts[row["doc_id"]][row["s"]:row["e"]]
            assert row["t"] == span or (table == "quotes" and row["t"] in span), (table, row)
            checked += 1
    return checked


def _check_store(path: Path, case: Case, api: bool = False) -> None:
    with Store(path, read_only=True) as store:
        rows = store.query("SELECT source_id, status, reason, text, warnings FROM documents")
        by_source = {r["source_id"]: r for r in rows}
        assert by_source["good-a"]["status"] == "ok" and by_source["good-b"]["status"] == "ok", rows
        others = [r for r in rows if r["source_id"] not in ("good-a", "good-b")]
        if api and case.api_body_refused:
            raise AssertionError("unreachable")
        if case.outcome == "unchanged":
            assert others == [], others
        elif case.outcome == "failed":
            assert len(others) == 1 and others[0]["status"] == "failed", others
            assert case.reason in others[0]["reason"], others[0]["reason"]
        else:
            assert len(others) == 1 and others[0]["status"] == "ok", others
            assert others[0]["text"] == case.text
            warnings = json.loads(others[0]["warnings"] or "[]")
            assert (any(case.reason in w for w in warnings) if case.reason else not warnings), warnings
        assert _check_offsets(store) > 0


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_cli_ingest_file(case: Case, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(_input(case))
    db = tmp_path / "store.duckdb"
    result = CliRunner().invoke(cli, ["ingest", str(source), "--db", str(db), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    _check_store(db, case)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_cli_ingest_stdin(case: Case, tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    result = CliRunner().invoke(cli, ["ingest", "-", "--db", str(db), "--quiet"], input=_input(case))
    assert result.exit_code == 0, result.output
    _check_store(db, case)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_cli_analyze(case: Case, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(_input(case))
    result = CliRunner().invoke(cli, ["analyze", str(source)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.split("\n") if line.startswith("{")]
    expected = [GOOD_A["text"], case.text if case.outcome == "ok" else GOOD_A["text"], GOOD_B["text"]]
    assert len(records) == 3, result.stdout[:2000]
    for index, record in enumerate(records):
        if index == 1 and case.outcome == "failed":
            assert case.reason in record["error"] and record["document"]["id"] is None
            continue
        text = expected[index]
        assert record["document"]["id"] == document_id(text)
        for t in record["times"]:
            assert text[t["start"]:t["end"]] == t["text"]
        for a in record["actors"]:
            assert text[a["start"]:a["end"]] == a["text"]
        for e in record["events"]:
            assert text[e["evidence"]["start"]:e["evidence"]["end"]] == e["evidence"]["text"]
        if index == 1 and case.outcome == "ok" and case.reason:
            assert any(case.reason in w for w in record["document"]["warnings"])


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_api_post(case: Case, tmp_path: Path) -> None:
    pytest.importorskip("httpx")
    from fastapi.testclient import TestClient

    from legation.api import create_app

    db = tmp_path / "store.duckdb"
    with Store(db):
        pass
    body = b"[" + b",".join([_line(GOOD_A), case.line, _line(GOOD_B)]) + b"]"
    with TestClient(create_app(db, token="t")) as client:
        response = client.post("/api/documents", content=body, headers={"Authorization": "Bearer t",
                                                                        "Content-Type": "application/json"})
        if case.api_body_refused:
            assert response.status_code == 400 and response.json()["error"]["code"] == "bad_body", response.text
            assert client.get("/api/health").json()["counts"]["documents_ok"] == 0
            return
        assert response.status_code == 201, response.text
        statuses = [d["status"] for d in response.json()["documents"]]
        assert statuses[0] == statuses[2] == "ok"
        assert statuses[1] == ("failed" if case.outcome == "failed" else "ok")
    _check_store(db, case, api=True)


def test_every_class_is_covered() -> None:
    assert len({c.name for c in CASES}) == len(CASES) >= 34
    assert {c.outcome for c in CASES} == {"ok", "failed", "unchanged"}
