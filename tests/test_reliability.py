"""Reliability under bad conditions (issue 14): the server never wedges, reads never wait on writes,
long and malformed texts never lose a batch, a damaged store is refused everywhere."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from legation.api import create_app  # noqa: E402
from legation.cli import app as cli  # noqa: E402
from legation.pipeline import Pipeline, split_text  # noqa: E402
from legation.records import Document  # noqa: E402
from legation.store import Store, StoreDamaged, ingest  # noqa: E402

TOKEN = "reliability-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
GOOD = [{"id": "good-1", "text": "Myanmar and North Korea restored diplomatic ties on Monday, officials said.",
         "published": "2023-09-14", "publisher": "Wire"},
        {"id": "good-2", "text": "France and Brazil agreed on Tuesday to open talks on a trade deal.",
         "published": "2024-05-07", "publisher": "Wire"}]


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


@pytest.fixture(scope="module")
def base_store(tmp_path_factory: pytest.TempPathFactory, pipeline: Pipeline) -> Path:
    from legation.ingest import read_jsonl_lines

    path = tmp_path_factory.mktemp("rel") / "base.duckdb"
    with Store(path) as store:
        ingest(store, read_jsonl_lines([json.dumps(r) for r in GOOD], "<test>", {}), pipeline)
        store.con.execute("CHECKPOINT")
    return path


@pytest.fixture
def store_copy(base_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("LEGATION_API_TOKEN", raising=False)
    path = tmp_path / "store.duckdb"
    shutil.copy(base_store, path)
    return path


def _call(fn: Any, timeout: float) -> Any:
    """fn() in a thread; AssertionError when it does not answer within timeout seconds."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout)
    assert not thread.is_alive(), f"no answer within {timeout} s (wedged)"
    if "error" in box:
        raise box["error"]
    return box["value"]


HOLDER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("locked", flush=True)
sys.stdin.readline()
con.close()
"""


# --- 1. the server never wedges --------------------------------------------------------------------
def test_reads_answer_after_store_busy(store_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another process takes the store while the server switches to writing: the POST answers 503 and
    reads answer at once (503 while the other process holds it, 200 after), never hang."""
    real_connect = duckdb.connect
    holder: dict[str, subprocess.Popen[str]] = {}

    def connect(database: str = ":memory:", read_only: bool = False, **kwargs: Any) -> Any:
        if not read_only and str(database) == str(store_copy) and "p" not in holder:
            process = subprocess.Popen([sys.executable, "-c", HOLDER, str(store_copy)], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, text=True)
            holder["p"] = process
            assert process.stdout is not None and process.stdout.readline().strip() == "locked"
        return real_connect(database, read_only=read_only, **kwargs)

    client = TestClient(create_app(store_copy))
    monkeypatch.setenv("LEGATION_API_TOKEN", TOKEN)
    monkeypatch.setattr(duckdb, "connect", connect)
    try:
        response = _call(lambda: client.post("/api/documents", json={"text": "Chile and Peru met in Lima."},
                                             headers=AUTH), 60)
        assert response.status_code == 503, response.text
        body = response.text
        assert response.json()["error"]["code"] == "store_busy"
        assert str(store_copy) not in body and "PID" not in body and sys.executable not in body
        during = _call(lambda: client.get("/api/health"), 15)
        assert during.status_code in (200, 503)
    finally:
        if "p" in holder:
            holder["p"].communicate("done\n", timeout=30)
    after = _call(lambda: client.get("/api/health"), 15)
    assert after.status_code == 200 and after.json()["counts"]["documents_ok"] == 2
    retry = _call(lambda: client.post("/api/documents", json={"text": "Chile and Peru met in Lima."},
                                      headers=AUTH), 60)
    assert retry.status_code == 201, retry.text


def test_reads_do_not_wait_for_a_post_analysis(store_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = Pipeline.analyze_documents
    started = threading.Event()

    def slow(self: Pipeline, documents: Any, batch_size: int = 32) -> Any:
        started.set()
        time.sleep(4)
        yield from real(self, documents, batch_size)

    monkeypatch.setattr(Pipeline, "analyze_documents", slow)
    with TestClient(create_app(store_copy, token=TOKEN)) as client:
        assert client.get("/api/health").status_code == 200
        posting = threading.Thread(target=lambda: client.post(
            "/api/documents", json=[{"text": f"Chile and Peru held talks in Lima on day {i}."} for i in range(5)],
            headers=AUTH))
        posting.start()
        assert started.wait(30)
        timings = []
        for path in ("/api/health", "/api/documents", "/api/events"):
            begin = time.perf_counter()
            response = _call(lambda p=path: client.get(p), 10)
            timings.append(time.perf_counter() - begin)
            assert response.status_code == 200
        posting.join(60)
        assert max(timings) < 2.0, timings  # the analysis takes 4 s: a read that waited for it fails
        assert client.get("/api/health").json()["counts"]["documents_ok"] == 7


@pytest.mark.slow
def test_sigterm_stops_the_server(store_copy: Path, tmp_path: Path) -> None:
    """SIGTERM while a long POST is being analysed: the server exits within seconds."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "LEGATION_API_TOKEN": TOKEN}
    server = subprocess.Popen([sys.executable, "-m", "legation.cli", "serve", "--db", str(store_copy), "--port",
                               str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import httpx

    try:
        for _ in range(300):
            assert server.poll() is None, "the server stopped"
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise AssertionError("the server never answered")
        text = "The envoy met the minister in Yangon on Monday and they discussed trade for hours.\n\n" * 4000
        outcome: dict[str, Any] = {}

        def post() -> None:
            # the server is stopped while it analyses this request: the client sees the connection
            # close (an httpx transport error), which the test expects and checks below
            try:
                outcome["response"] = httpx.post(f"http://127.0.0.1:{port}/api/documents",
                                                 json={"text": text}, headers=AUTH, timeout=120)
            except httpx.TransportError as exc:
                outcome["error"] = exc

        poster = threading.Thread(target=post, daemon=True)
        poster.start()
        time.sleep(3)
        begin = time.perf_counter()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
        assert time.perf_counter() - begin < 20
        poster.join(30)
        assert not poster.is_alive(), "the request outlived the server"
        # cut off mid-analysis: no answer at all, or an error status; never a stored document
        assert "error" in outcome or outcome["response"].status_code >= 500, outcome
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    with Store(store_copy, read_only=True) as store:  # whatever was cut off, the store is sound
        assert store.counts()["documents_ok"] >= 2


# --- 2/3. long texts, lone surrogates, through the API -------------------------------------------
def test_split_text_is_exact_and_cuts_at_paragraphs() -> None:
    text = "".join(f"Paragraph {i} says something about talks.\n\n" for i in range(200))
    pieces = split_text(text, 500)
    assert "".join(pieces) == text and all(len(p) <= 500 for p in pieces)
    assert all(p.endswith("\n\n") for p in pieces[:-1])
    blob = "x" * 1234
    assert "".join(split_text(blob, 100)) == blob


def test_long_text_is_parsed_in_pieces_with_exact_offsets(pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch) -> None:
    paragraph = ("Myanmar and North Korea restored diplomatic ties on Monday. The foreign minister of Myanmar said "
                 "\"we welcome the step\" in Yangon on Tuesday.\n\n")
    text = paragraph * 12
    whole = pipeline.analyze(Document(text=text, published="2023-09-14"))
    monkeypatch.setattr(pipeline.nlp, "max_length", 400)
    pieced_analysis = pipeline.analyze(Document(text=text, published="2023-09-14"))
    pieced, whole = pieced_analysis.to_dict(), whole.to_dict()
    assert any("pieces" in w for w in pieced["document"]["warnings"])
    assert not pieced_analysis.errors
    for t in pieced["times"]:
        assert text[t["start"]:t["end"]] == t["text"]
    for a in pieced["actors"]:
        assert text[a["start"]:a["end"]] == a["text"]
    for q in pieced["quotes"]:
        assert q["content"] in text[q["start"]:q["end"]]
    for e in pieced["events"]:
        assert text[e["evidence"]["start"]:e["evidence"]["end"]] == e["evidence"]["text"]
    assert [(t["start"], t["value"]) for t in pieced["times"]] == [(t["start"], t["value"]) for t in whole["times"]]
    assert [(a["start"], a["code"]) for a in pieced["actors"]] == [(a["start"], a["code"]) for a in whole["actors"]]
    assert len(pieced["events"]) == len(whole["events"]) > 0


def test_post_long_text_and_lone_surrogate(store_copy: Path) -> None:
    app = create_app(store_copy, token=TOKEN)
    pipeline = Pipeline()
    pipeline.nlp.max_length = 2000  # stands for spaCy's 1,000,000-character limit
    app.state.pipeline = pipeline
    long_text = "Chile and Peru held talks in Lima on Friday about fishing rights.\n\n" * 60
    body = ('[{"id": "long", "text": ' + json.dumps(long_text) + '}, '
            '{"id": "sur", "text": "Chile \\ud800 and Peru met in Lima on Friday."}]')
    with TestClient(app) as client:
        response = client.post("/api/documents", content=body.encode(), headers={**AUTH, "Content-Type": "application/json"})
        assert response.status_code == 201, response.text
        result = response.json()
        assert result["new"] == 2 and result["failed"] == 0
        by_id = {d["source_id"]: d for d in result["documents"]}
        assert any("pieces" in w for w in by_id["long"]["warnings"])
        assert any("surrogate" in w for w in by_id["sur"]["warnings"])
        detail = client.get(f"/api/documents/{by_id['long']['id']}").json()
        assert detail["document"]["text"] == long_text
        assert any("pieces" in w for w in detail["document"]["warnings"])
        for t in detail["times"]:
            assert long_text[t["start"]:t["end"]] == t["text"]


def test_chunked_post_stops_at_the_limit() -> None:
    """The body of a chunked POST (no Content-Length) is read no further than the limit."""
    import asyncio

    from legation.api.app import ApiError, read_body

    class Chunked:
        headers: dict[str, str] = {}
        served = 0

        async def stream(self) -> Any:
            for _ in range(64):  # 16 MiB in 256 KiB chunks
                self.served += 256 * 1024
                yield b" " * (256 * 1024)

    request = Chunked()
    with pytest.raises(ApiError) as raised:
        asyncio.run(read_body(request, 1024 * 1024))  # type: ignore[arg-type]
    assert raised.value.status == 413
    assert request.served <= 1024 * 1024 + 256 * 1024


# --- 6. a damaged store ----------------------------------------------------------------------------
def _truncate(path: Path, fraction: float = 0.5) -> int:
    size = int(path.stat().st_size * fraction)
    with path.open("r+b") as handle:
        handle.truncate(size)
    return size


def test_damaged_store_refused_by_every_command(store_copy: Path, corpus: Path) -> None:
    size = _truncate(store_copy)
    runner = CliRunner()
    for args in (["documents"], ["events"], ["quotes"], ["actors"], ["times"], ["relations"],
                 ["timeline", "MMR", "PRK"], ["export"], ["ingest", str(corpus / "a.txt")]):
        result = runner.invoke(cli, [*args, "--db", str(store_copy)])
        assert result.exit_code == 2, (args, result.output)
        assert "E046" in result.output and "Traceback" not in result.output, (args, result.output)
    assert store_copy.stat().st_size == size  # nothing was written into it
    doctor = runner.invoke(cli, ["doctor", "--db", str(store_copy)])
    assert doctor.exit_code == 1 and "DAMAGED" in doctor.output and "backup" in doctor.output
    with pytest.raises(StoreDamaged, match="E046"):
        create_app(store_copy)


def test_health_says_503_when_the_store_is_damaged_under_the_server(store_copy: Path) -> None:
    with TestClient(create_app(store_copy)) as client:
        assert client.get("/api/health").status_code == 200
        _truncate(store_copy, 0.6)
        response = client.get("/api/health")
        assert response.status_code == 503 and response.json()["error"]["code"] == "store_damaged"
        assert "E046" in response.json()["error"]["message"]


def test_not_a_store(tmp_path: Path) -> None:
    junk = tmp_path / "junk.duckdb"
    junk.write_text("hello " * 1000)
    with pytest.raises(StoreDamaged, match="E046"):
        Store(junk)
    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE mine (x INTEGER)")
    con.close()
    with pytest.raises(StoreDamaged, match="not a Legation store"):
        Store(other)


def test_published_option_must_be_a_whole_date(corpus: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["ingest", str(corpus / "a.txt"), "--db", str(tmp_path / "s.duckdb"),
                                      "--published", "2023-01-01garbage"])
    assert result.exit_code == 2 and "ISO date" in result.output
    assert not (tmp_path / "s.duckdb").exists()


# --- 7. lower items ----------------------------------------------------------------------------------
def test_cursor_with_a_huge_integer_is_400(store_copy: Path) -> None:
    import base64

    with TestClient(create_app(store_copy)) as client:
        first = client.get("/api/actors", params={"limit": 1}).json()
        assert first["next_cursor"]
        raw = first["next_cursor"]
        data = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        ints = [i for i, v in enumerate(data["v"]) if isinstance(v, int) and not isinstance(v, bool)]
        assert ints, data
        data["v"][ints[0]] = 10 ** 400
        cursor = base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")
        response = client.get("/api/actors", params={"cursor": cursor})
        assert response.status_code == 400 and response.json()["error"]["code"] == "bad_cursor", response.text


def test_same_source_id_twice_is_409_with_candidates(store_copy: Path, pipeline: Pipeline) -> None:
    from legation.ingest import read_jsonl_lines

    twins = [{"id": "twin", "text": "Chile and Peru met in Lima on Friday."},
             {"id": "twin", "text": "Chile and Peru met in Santiago on Saturday."}]
    with Store(store_copy) as store:
        ingest(store, read_jsonl_lines([json.dumps(r) for r in twins], "<test>", {}), pipeline)
    with TestClient(create_app(store_copy)) as client:
        response = client.get("/api/documents/twin")
        assert response.status_code == 409, response.text
        error = response.json()["error"]
        assert error["code"] == "ambiguous_document" and len(error["candidates"]) == 2
        for candidate in error["candidates"]:
            assert client.get(f"/api/documents/{candidate['id']}").json()["document"]["source_id"] == "twin"
        assert client.get("/api/documents/good-1").status_code == 200


def test_origin_paths_only_with_the_token(tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LEGATION_API_TOKEN", raising=False)
    db = tmp_path / "o.duckdb"
    assert CliRunner().invoke(cli, ["ingest", str(corpus / "a.txt"), "--db", str(db), "-q"]).exit_code == 0
    with TestClient(create_app(db, token=TOKEN)) as client:
        [row] = client.get("/api/documents").json()["items"]
        assert row["origin"] == "a.txt"
        assert client.get(f"/api/documents/{row['id']}").json()["document"]["origin"] == "a.txt"
        assert str(corpus) not in client.get("/api/documents.csv").text
        [full] = client.get("/api/documents", headers=AUTH).json()["items"]
        assert full["origin"] == str(corpus / "a.txt")
