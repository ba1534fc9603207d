"""The HTTP API and the web page over one Legation store.

Reads go through one read-only DuckDB connection (a cursor per request). Writes
(``POST /api/documents``) exist only while a token is configured (``LEGATION_API_TOKEN``,
or ``create_app(token=...)``): the reader is closed, the store opened for writing, the
documents ingested with the same library call as ``legation ingest``, and the reader reopened.
"""
from __future__ import annotations

import csv
import html
import hmac
import importlib.util
import io
import json
import logging
import os
import re
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import duckdb
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from legation import __version__
from legation import query
from legation.api import overview, queries
from legation.api.docs import install_docs
from legation.api.jobs import AnalysisProcess, JobQueue, QueueFull, parse_job_body
from legation.api.queries import BadRequest, Conflict, NotFound, Page
from legation.query import NotFoundError, QueryError
from legation.output import dumps
from legation.records import FailedDocument
from legation.store import SCHEMA_VERSION, Store, StoreDamaged, is_damage, verify_connection

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent.parent / "web" / "static"
_VOCAB_ELEMENT = re.compile(r'(<(select|datalist)\b[^>]*\bdata-vocab="(\w+)"[^>]*>)(.*?)(</\2>)', re.S)


def vocabularies() -> dict[str, list[tuple[str, str]]]:
    """The filter vocabularies of the query layer as (value, label) pairs: the page's menus."""
    return {"quad_classes": [(str(k), f"{k} {name}") for k, name in query.QUAD_CLASSES.items()],
            "modalities": [(m, m) for m in query.MODALITIES],
            "quote_kinds": [(k, k) for k in query.QUOTE_KINDS],
            "actor_kinds": [(k, k) for k in query.ACTOR_KINDS]}


def render_page(page: str) -> str:
    """The page with each ``data-vocab`` menu filled from the query layer's vocabularies, so the
    page offers exactly the values the filters accept (no second copy of a list in the HTML)."""
    vocab = vocabularies()

    def fill(match: re.Match[str]) -> str:
        name = match.group(3)
        if name not in vocab:
            raise ValueError(f"[E047] index.html names an unknown vocabulary {name!r}; known: {', '.join(vocab)}")
        options = "".join(f'<option value="{html.escape(v)}">{html.escape(label) if match.group(2) == "select" else ""}</option>'
                          for v, label in vocab[name])
        return match.group(1) + match.group(4) + options + match.group(5)

    return _VOCAB_ELEMENT.sub(fill, page)
TOKEN_ENV = "LEGATION_API_TOKEN"
MAX_BODY_BYTES = 20 * 1024 * 1024
MAX_POST_DOCUMENTS = 200
MAX_JOB_DOCUMENTS = 1000
DAMAGED_MESSAGE = ("[E046] the store is damaged; the server's log says how. To recover: restore it from a backup "
                   "or re-ingest into a new store, then restart the server")
WAIT_SECONDS = 10.0  # no request waits longer than this for the store

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
# the page loads nothing from elsewhere; plotly.js needs inline styles
PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
            "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
            "form-action 'self'")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


def plotly_js_path() -> Path | None:
    """plotly.min.js as shipped inside the ``plotly`` package (no CDN)."""
    spec = importlib.util.find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "package_data" / "plotly.min.js"
    return path if path.exists() else None


class StoreAccess:
    """The server's connection to the store: reads never wait on writes, and the connection is never lost.

    A read-only connection while the server only reads; on the first write (or from the start when
    writes are enabled then) one read-write connection for the server's life. Each request reads
    through its own cursor (DuckDB's snapshots: a read sees the last committed load and never waits
    for a write in progress); a write is one load on its own cursor, one at a time. When the store
    cannot be opened (another process holds it), requests answer 503 at once and the next request
    tries again; nothing waits without a bound.
    """

    def __init__(self, path: str | Path, writable: bool = False):
        self.path = Path(path)
        if not self.path.exists():
            raise FileNotFoundError(
                f"[E040] no store at {self.path}; create one with `legation ingest INPUT --db {self.path}`")
        check_store(self.path)
        self._cond = threading.Condition()
        self._readers = 0
        self._switching = False
        self._write_lock = threading.Lock()
        self._upgrade_schema()
        self._read_only = not writable
        self._con: duckdb.DuckDBPyConnection | None = duckdb.connect(str(self.path), read_only=self._read_only)

    def _upgrade_schema(self) -> None:
        with Store(self.path, read_only=True) as store:
            version = store.schema_version()
        if version < SCHEMA_VERSION:  # an older store: upgrade once, as any Legation write would
            log.info("upgrading store %s from schema %s to %s", self.path, version, SCHEMA_VERSION)
            Store(self.path).close()

    def _connect(self) -> duckdb.DuckDBPyConnection:
        return duckdb.connect(str(self.path), read_only=self._read_only)

    @contextmanager
    def read(self) -> Iterator[Store]:
        with self._cond:
            if not self._cond.wait_for(lambda: not self._switching, timeout=WAIT_SECONDS):
                raise ApiError(503, "store_busy", "the store is being reopened for writing; retry shortly",
                               {"Retry-After": "2"})
            if self._con is None:  # lost when a switch failed: try again now
                try:
                    self._con = self._connect()
                except duckdb.Error:
                    raise ApiError(503, "store_unavailable", "the store cannot be opened now (another process "
                                   "holds it for writing); retry shortly", {"Retry-After": "5"}) from None
            cursor = self._con.cursor()
            self._readers += 1
        try:
            yield store_view(self.path, cursor)
        finally:
            cursor.close()
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    def _ensure_writer(self) -> duckdb.DuckDBPyConnection:
        """The read-write connection, opened once (the read-only one is closed for it)."""
        with self._cond:
            if not self._read_only and self._con is not None:
                return self._con
            self._switching = True
            try:
                if not self._cond.wait_for(lambda: self._readers == 0, timeout=WAIT_SECONDS):
                    raise ApiError(503, "store_busy", "reads in progress did not finish; retry shortly",
                                   {"Retry-After": "2"})
                if self._con is not None:
                    self._con.close()
                    self._con = None
                try:
                    self._con = duckdb.connect(str(self.path), read_only=False)
                    self._read_only = False
                except duckdb.Error:
                    log.warning("store %s is held by another process; writes refused for now", self.path)
                    try:  # keep serving reads
                        self._con = self._connect()
                    except duckdb.Error:
                        self._con = None  # the next read tries again
                    raise ApiError(503, "store_busy", "another process is writing to the store; retry later "
                                   "(or send documents to this server: `legation ingest --server URL`)",
                                   {"Retry-After": "10"}) from None
                return self._con
            finally:
                self._switching = False
                self._cond.notify_all()

    @contextmanager
    def write(self) -> Iterator[Store]:
        """One load at a time, on its own cursor; reads go on beside it."""
        with self._write_lock:
            cursor = self._ensure_writer().cursor()
            try:
                yield store_view(self.path, cursor)
            finally:
                cursor.close()

    def close(self) -> None:
        """Close the connection; a load in progress gets WAIT_SECONDS to finish (after that, what it had not
        committed is rolled back, as after a crash)."""
        acquired = self._write_lock.acquire(timeout=WAIT_SECONDS)
        try:
            with self._cond:
                if self._con is not None:
                    self._con.close()
                    self._con = None
        finally:
            if acquired:
                self._write_lock.release()


def public_origin(origin: str | None) -> str | None:
    """Where a document came from, as readers without the token see it: the file name, no folders."""
    if not origin or not ("/" in origin or "\\" in origin):
        return origin
    return origin.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]


def store_view(path: Path, con: Any) -> Store:
    """The Store API (query, save_analysis ...) over one cursor."""
    view = Store.__new__(Store)
    view.path = path
    view.con = con
    return view


def check_store(path: Path) -> None:
    """Raise StoreDamaged when the file is not a readable Legation store."""
    from legation.store import check_store as check

    check(path)


# --- responses --------------------------------------------------------------------------------
def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ";".join(value)
    if isinstance(value, (list, dict)):
        return dumps(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def csv_text(rows: list[dict[str, Any]], columns: list[str] | None = None) -> str:
    columns = columns or (list(rows[0].keys()) if rows else [])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_cell(row.get(c)) for c in columns])
    return buffer.getvalue()


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(dumps(data), status_code=status, media_type="application/json", headers=headers)


def _next_link(request: Request, cursor: str) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "cursor"]
    params.append(("cursor", cursor))
    return f'<{request.url.path}?{urlencode(params)}>; rel="next"'


def page_response(request: Request, page: Page, name: str) -> Response:
    headers: dict[str, str] = {}
    if page.next_cursor:
        headers["Link"] = _next_link(request, page.next_cursor)
        headers["X-Next-Cursor"] = page.next_cursor
    if request.url.path.endswith(".csv"):
        headers["Content-Disposition"] = f'inline; filename="{name}.csv"'
        return Response(csv_text(page.items), media_type="text/csv; charset=utf-8", headers=headers)
    body = {"items": page.items, "count": len(page.items), "limit": page.limit, "next_cursor": page.next_cursor}
    body.update(page.extra)
    return json_response(body, headers=headers)


def _filters(request: Request, names: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in names:
        values = request.query_params.getlist(name)
        if len(values) > 1:
            raise BadRequest(f"give {name} once", "bad_filter")
        out[name] = values[0] if values else None
    return out


# --- the app ----------------------------------------------------------------------------------
def create_app(db_path: str | Path, token: str | None = None, analysis_process: bool = False) -> FastAPI:
    """The API and web page over the store at ``db_path``.

    ``token`` enables writes with ``Authorization: Bearer <token>``; when None, the
    ``LEGATION_API_TOKEN`` environment variable is read on every write (unset: writes refused).
    ``analysis_process`` analyses written documents in a worker process (``legation serve`` does),
    so that reads never compete with the analysis for this process.
    """
    access = StoreAccess(db_path, writable=bool(token if token is not None else os.environ.get(TOKEN_ENV)))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.jobs.stop()
        if app.state.analysis_process is not None:
            app.state.analysis_process.close()
        await run_in_threadpool(access.close)  # a load in progress gets a few seconds to commit
    app = FastAPI(
        title="Legation",
        version=__version__,
        description="Sourced, time-stamped international event data: documents, events, quotes, actors, "
                    "relation timelines. List routes answer JSON (plain or `.json`) and CSV (`.csv`) and page "
                    "with an opaque `cursor` (`next_cursor` in the body, and a `Link: rel=\"next\"` header).",
        openapi_url="/api/openapi.json", docs_url=None, redoc_url=None, lifespan=lifespan,
    )
    app.state.store = access
    app.state.pipeline = None
    app.state.analysis_process = None
    if analysis_process:
        from legation.stages import DEFAULT_STAGES

        app.state.analysis_process = AnalysisProcess(list(DEFAULT_STAGES))
    pipeline_lock = threading.Lock()
    analysis_lock = threading.Lock()  # one analysis at a time (the spaCy pipeline is shared)

    # --- errors ---------------------------------------------------------------------------
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(BadRequest)
    async def _bad_request(request: Request, exc: BadRequest) -> JSONResponse:
        return error_response(400, exc.code, exc.message)

    @app.exception_handler(Conflict)
    async def _conflict(request: Request, exc: Conflict) -> JSONResponse:
        return JSONResponse({"error": {"code": exc.code, "message": exc.message, "candidates": exc.candidates}},
                            status_code=409)

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound) -> JSONResponse:
        return error_response(404, exc.code, exc.message)

    @app.exception_handler(QueryError)
    async def _query_error(request: Request, exc: QueryError) -> JSONResponse:
        return JSONResponse({"error": exc.to_dict()}, status_code=exc.status)

    @app.exception_handler(NotFoundError)
    async def _query_not_found(request: Request, exc: NotFoundError) -> JSONResponse:
        return JSONResponse({"error": exc.to_dict()}, status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}" for e in exc.errors())
        return error_response(400, "bad_request", problems or "invalid request")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        message = "no such route" if exc.status_code == 404 and exc.detail == "Not Found" else str(exc.detail)
        return error_response(exc.status_code, code, message, getattr(exc, "headers", None))

    @app.exception_handler(StoreDamaged)
    async def _damaged(request: Request, exc: StoreDamaged) -> JSONResponse:
        log.error("%s", exc)
        return error_response(503, "store_damaged", DAMAGED_MESSAGE)

    @app.exception_handler(duckdb.Error)
    async def _duckdb(request: Request, exc: duckdb.Error) -> JSONResponse:
        if is_damage(exc):
            log.error("store damaged: %s", exc)
            return error_response(503, "store_damaged", DAMAGED_MESSAGE)
        log.exception("error serving %s", request.url.path)
        return error_response(500, "internal_error", "the server could not answer this request; see its log")

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> JSONResponse:
        log.exception("error serving %s", request.url.path)
        return error_response(500, "internal_error", "the server could not answer this request; see its log")

    @app.middleware("http")
    async def _headers(request: Request, call_next: Callable[..., Any]) -> Response:
        response = await call_next(request)
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        response.headers.setdefault("Content-Security-Policy", PAGE_CSP)
        return response

    def list_route(path: str, name: str, summary: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def register(handler: Callable[..., Any]) -> Callable[..., Any]:
            for suffix, extra in (("", summary), (".json", summary + " (JSON)"), (".csv", summary + " (CSV)")):
                app.add_api_route(path + suffix, handler, methods=["GET"], summary=extra, tags=[name],
                                  operation_id=f"{name}{suffix.replace('.', '_')}",
                                  response_class=Response)
            return handler
        return register

    # --- documents ------------------------------------------------------------------------
    @list_route("/api/documents", "documents", "List documents")
    def documents(request: Request, status: str | None = Query(None, description="ok or failed"),
                  q: str | None = Query(None, description="title or text contains"),
                  publisher: str | None = Query(None, description="publisher contains"),
                  limit: str | None = Query(None, description=f"page size (default {queries.DEFAULT_LIMIT}, "
                                                              f"at most {queries.MAX_LIMIT})"),
                  cursor: str | None = Query(None, description="next_cursor of the previous page")) -> Response:
        with access.read() as store:
            page = queries.list_documents(store, _filters(request, ("status", "q", "publisher")),
                                          queries.parse_limit(limit), cursor)
        if not has_token(request):
            for row in page.items:
                row["origin"] = public_origin(row.get("origin"))
        return page_response(request, page, "documents")

    @app.get("/api/documents/{doc_id}", tags=["documents"], summary="A document with its whole analysis",
             response_class=Response)
    def document(request: Request, doc_id: str) -> Response:
        with access.read() as store:
            body = queries.get_document(store, doc_id)
        if not has_token(request):
            body["document"]["origin"] = public_origin(body["document"].get("origin"))
        return json_response(body)

    @app.post("/api/documents", tags=["documents"], status_code=201, response_class=Response,
              summary="Analyse and store documents (needs the API token)",
              openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": {
                  "oneOf": [{"$ref": "#/components/schemas/NewDocument"},
                            {"type": "array", "items": {"$ref": "#/components/schemas/NewDocument"}}]}}}}})
    async def add_documents(request: Request) -> Response:
        check_token(request)
        body = await read_body(request, MAX_BODY_BYTES)
        records = parse_new_documents(body)
        result = await run_in_threadpool(ingest_records, records)
        return json_response(result, status=201)

    jobs = JobQueue(lambda documents, failures: ingest_records(documents, failures))
    app.state.jobs = jobs

    @app.post("/api/jobs", tags=["jobs"], status_code=202, response_class=Response,
              summary="Queue documents for ingest (needs the API token); answers at once with the job")
    async def submit_job(request: Request) -> Response:
        check_token(request)
        body = await read_body(request, MAX_BODY_BYTES)
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise BadRequest("body must be JSON: documents, or {\"documents\": [...], \"failures\": [...]}",
                             "bad_body") from None
        documents, failures = parse_job_body(data, MAX_JOB_DOCUMENTS)
        try:
            job = jobs.submit(documents, failures)
        except QueueFull as exc:
            raise ApiError(503, "queue_full", str(exc), {"Retry-After": "5"}) from None
        return json_response({**job.to_dict(), "url": f"/api/jobs/{job.id}"}, status=202,
                             headers={"Location": f"/api/jobs/{job.id}"})

    @app.get("/api/jobs/{job_id}", tags=["jobs"], response_class=Response,
             summary="How a queued ingest job stands, and its result once done (needs the API token)")
    def job_status(request: Request, job_id: str) -> Response:
        check_token(request)
        found = jobs.get(job_id)
        if found is None:
            raise NotFound("no such job (jobs are kept in memory: a restarted server forgets them)", "no_job")
        job, position = found
        return json_response(job.to_dict(position))

    def has_token(request: Request) -> bool:
        """Whether the request carries the write token (it may see where documents came from)."""
        expected = token if token is not None else os.environ.get(TOKEN_ENV)
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        return bool(expected) and scheme.lower() == "bearer" and \
            hmac.compare_digest(given.strip().encode("utf-8"), expected.encode("utf-8"))

    def check_token(request: Request) -> None:
        expected = token if token is not None else os.environ.get(TOKEN_ENV)
        if not expected:
            raise ApiError(403, "writes_disabled",
                           f"this server is read-only; start it with {TOKEN_ENV} set to allow writes")
        header = request.headers.get("authorization", "")
        scheme, _, given = header.partition(" ")
        if scheme.lower() != "bearer" or not given.strip():
            raise ApiError(401, "unauthorized", "send Authorization: Bearer <token>",
                           {"WWW-Authenticate": 'Bearer realm="legation"'})
        if not hmac.compare_digest(given.strip().encode("utf-8"), expected.encode("utf-8")):
            raise ApiError(401, "unauthorized", "wrong token", {"WWW-Authenticate": 'Bearer error="invalid_token"'})

    def get_pipeline() -> Any:
        from legation.model import ModelNotFound
        from legation.pipeline import Pipeline

        with pipeline_lock:
            if app.state.pipeline is None:
                try:
                    pipeline = Pipeline()
                    if pipeline.needs_parse:
                        pipeline.nlp  # noqa: B018 - load the model now, not while holding the write lock
                except ModelNotFound as exc:
                    raise ApiError(503, "model_unavailable", str(exc)) from None
                app.state.pipeline = pipeline
            return app.state.pipeline

    def ingest_records(records: list[Any], failures: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """Analyse without any lock on the store, then hold the write lock only for the load."""
        from legation.ingest import read_jsonl_lines
        from legation.records import Document
        from legation.store import ingest

        items: list[Any] = list(read_jsonl_lines([json.dumps(r) for r in records], "<api>", {}))
        for record, item in zip(records, items):  # a sender may say where a document came from
            origin = record.get("origin") if isinstance(record, dict) else None
            if isinstance(origin, str) and origin:
                item.origin = origin[:2000]
        items += [FailedDocument(origin=f["origin"], reason=f["reason"], source_id=f.get("source_id"))
                  for f in failures or []]
        documents = [item for item in items if isinstance(item, Document)]
        with access.read() as store:
            known = stored_ids(store, [d.id for d in documents])
        todo = list({d.id: d for d in documents if d.id not in known}.values())
        process = app.state.analysis_process
        with analysis_lock:  # reads go on meanwhile: they take no lock at all
            if process is not None:
                try:
                    analysed, model = process.analyze(todo)
                except RuntimeError as exc:  # the worker could not start (no model) or died
                    raise ApiError(503, "analysis_unavailable", str(exc), {"Retry-After": "10"}) from None
                pipeline: Any = None
            else:
                pipeline = get_pipeline()  # loads the model outside any lock
                analysed, model = list(pipeline.analyze_documents(todo)), pipeline.model_name
        if pipeline is None and len(analysed) < len(todo):
            pipeline = get_pipeline()
        with access.write() as store:
            summary = ingest(store, items, Analysed({a.document.id: a for a in analysed}, model, pipeline))
        out = []
        for item in items:
            entry: dict[str, Any] = {"id": item.id, "source_id": item.source_id,
                                     "status": "failed" if isinstance(item, FailedDocument) else "ok"}
            if isinstance(item, FailedDocument):
                entry["reason"] = item.reason
                entry["origin"] = item.origin
            elif item.warnings:
                entry["warnings"] = item.warnings
            out.append(entry)
        return {"new": summary["new"], "unchanged": summary["unchanged"], "failed": summary["failed"],
                "stage_errors": summary["stage_errors"], "documents": out}

    # --- events, quotes, actors -----------------------------------------------------------
    event_params = {
        "actor": "actor code or name (MMR, Myanmar) as source or target",
        "source": "source actor code or name", "target": "target actor code or name",
        "pair": "A,B: events between A and B, either direction (codes or names)",
        "type": "PLOVER event type, e.g. CONSULT (see /api/codebook)", "quad_class": "1-4",
        "modality": "asserted, hedged, hypothetical, future or negated",
        "date_from": "events whose date overlaps from here on: YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Www, 198X ...",
        "date_to": "events whose date overlaps up to here (same forms)",
        "q": "evidence text contains", "doc": "document id, id prefix or source id",
        "stated_only": "true: leave out events whose source or target was supplied by default",
        "main_only": "true: only the event each sentence reports (its main event)",
    }

    def event_query(request: Request) -> dict[str, Any]:
        return _filters(request, queries.EVENT_FILTERS)

    def events(request: Request,
               actor: str | None = Query(None, description=event_params["actor"]),
               source: str | None = Query(None, description=event_params["source"]),
               target: str | None = Query(None, description=event_params["target"]),
               pair: str | None = Query(None, description=event_params["pair"]),
               type: str | None = Query(None, description=event_params["type"]),
               quad_class: str | None = Query(None, description=event_params["quad_class"]),
               modality: str | None = Query(None, description=event_params["modality"]),
               date_from: str | None = Query(None, description=event_params["date_from"]),
               date_to: str | None = Query(None, description=event_params["date_to"]),
               q: str | None = Query(None, description=event_params["q"]),
               doc: str | None = Query(None, description=event_params["doc"]),
               stated_only: str | None = Query(None, description=event_params["stated_only"]),
               main_only: str | None = Query(None, description=event_params["main_only"]),
               sort: str | None = Query(None, description="column to sort by (date, type, cameo, quad_class, goldstein, "
                                                          "modality, source, target, confidence, killed, doc, id); "
                                                          "-column for descending"),
               limit: str | None = Query(None), cursor: str | None = Query(None)) -> Response:
        with access.read() as store:
            page = queries.list_events(store, {**event_query(request), **_filters(request, ("sort",))},
                                       queries.parse_limit(limit), cursor)
        return page_response(request, page, "events")

    for suffix, extra in (("", ""), (".json", " (JSON)")):
        app.add_api_route("/api/events" + suffix, events, methods=["GET"], tags=["events"],
                          summary="List events" + extra + ": a page, the total of matching events, a cursor",
                          operation_id="events" + suffix.replace(".", "_"), response_class=Response)

    def export_events(request: Request, fmt: str) -> Response:
        flt = queries.event_filter(event_query(request))  # 422 before any byte is sent
        with access.read() as store:
            query.check_document(store.con, flt.doc)

        def stream() -> Iterator[bytes]:
            with access.read() as store:
                yield from query.export_stream(store.con, flt, fmt)

        media = "text/csv; charset=utf-8" if fmt == "csv" else "application/vnd.apache.parquet"
        return StreamingResponse(stream(), media_type=media,
                                 headers={"Content-Disposition": f'attachment; filename="events.{fmt}"'})

    @app.get("/api/events.csv", tags=["events"], response_class=Response,
             summary="Export every matching event as CSV (streamed, no cap; flat GDELT-like columns)")
    def events_csv(request: Request,
                   actor: str | None = Query(None, description=event_params["actor"]),
                   source: str | None = Query(None), target: str | None = Query(None), pair: str | None = Query(None),
                   type: str | None = Query(None), quad_class: str | None = Query(None),
                   modality: str | None = Query(None), date_from: str | None = Query(None),
                   date_to: str | None = Query(None), q: str | None = Query(None), doc: str | None = Query(None),
                   stated_only: str | None = Query(None)) -> Response:
        return export_events(request, "csv")

    @app.get("/api/events.parquet", tags=["events"], response_class=Response,
             summary="Export every matching event as Parquet (streamed, no cap; the CSV export's columns)")
    def events_parquet(request: Request,
                       actor: str | None = Query(None, description=event_params["actor"]),
                       source: str | None = Query(None), target: str | None = Query(None),
                       pair: str | None = Query(None), type: str | None = Query(None),
                       quad_class: str | None = Query(None), modality: str | None = Query(None),
                       date_from: str | None = Query(None), date_to: str | None = Query(None),
                       q: str | None = Query(None), doc: str | None = Query(None),
                       stated_only: str | None = Query(None)) -> Response:
        return export_events(request, "parquet")

    @list_route("/api/quotes", "quotes", "List quotes")
    def quotes(request: Request, speaker: str | None = Query(None, description="speaker name, text or code"),
               actor: str | None = Query(None, description="speaker's actor code or name (MMR, Myanmar)"),
               doc: str | None = Query(None), q: str | None = Query(None, description="quote contains"),
               kind: str | None = Query(None, description="direct, partial, indirect, belief, intention, evidence, "
                                                                     "stance, directive or reference"),
               anonymous: str | None = Query(None, description="true: anonymous speakers only; false: named only"),
               direct: str | None = Query(None, description="true: direct quotes only; false: not direct"),
               limit: str | None = Query(None), cursor: str | None = Query(None)) -> Response:
        with access.read() as store:
            page = queries.list_quotes(store, _filters(request, queries.QUOTE_FILTERS), queries.parse_limit(limit),
                                       cursor)
        return page_response(request, page, "quotes")

    @list_route("/api/actors", "actors", "List resolved actors with mention counts")
    def actors(request: Request, code: str | None = Query(None, description="actor code or name (MMR, Myanmar)"),
               name: str | None = Query(None, description="name or mention text contains"),
               doc: str | None = Query(None),
               kind: str | None = Query(None, description="country, organisation, person, group, people, location"),
               limit: str | None = Query(None), cursor: str | None = Query(None)) -> Response:
        with access.read() as store:
            page = queries.list_actors(store, _filters(request, queries.ACTOR_FILTERS), queries.parse_limit(limit),
                                       cursor)
        return page_response(request, page, "actors")

    # --- network, timeline, codebook -----------------------------------------------------
    @list_route("/api/network", "network", "Weighted actor network by quad class (event filters apply)")
    def network_route(request: Request, actor: str | None = Query(None), source: str | None = Query(None),
                      target: str | None = Query(None), pair: str | None = Query(None), type: str | None = Query(None),
                      quad_class: str | None = Query(None), modality: str | None = Query(None),
                      date_from: str | None = Query(None), date_to: str | None = Query(None),
                      q: str | None = Query(None), doc: str | None = Query(None),
                      stated_only: str | None = Query(None),
                      limit: str | None = Query(None, description=f"edges, heaviest first (default "
                                                                  f"{queries.DEFAULT_EDGES}, at most {queries.MAX_EDGES})"),
                      ) -> Response:
        with access.read() as store:
            data = queries.network(store, _filters(request, queries.EVENT_FILTERS),
                                   queries.parse_limit(limit, queries.DEFAULT_EDGES, queries.MAX_EDGES))
        if request.url.path.endswith(".csv"):
            return Response(csv_text(data["edges"], ["source", "target", "quad_class", "weight", "goldstein"]),
                            media_type="text/csv; charset=utf-8")
        return json_response(data)

    @app.get("/api/timeline", tags=["timeline"], summary="Relation changes and states for a pair",
             response_class=Response)
    def timeline(request: Request, a: str | None = Query(None, description="actor code"),
                 b: str | None = Query(None, description="actor code"),
                 kind: str | None = Query(None, description="diplomatic (default) or sanctions"),
                 as_of: str | None = Query(None, description="YYYY[-MM[-DD]]: state_as_of is the state then")) -> Response:
        code_a, code_b, kind_value, as_of_value = queries.timeline_params(a, b, kind, as_of)
        with access.read() as store:
            data = queries.build_timeline(store, code_a, code_b, kind_value, as_of_value)
        return json_response(data)

    @app.get("/api/timeline/pairs", tags=["timeline"], summary="Pairs that have relation changes",
             response_class=Response)
    def timeline_pairs() -> Response:
        with access.read() as store:
            return json_response({"items": queries.timeline_pairs(store)})

    @app.get("/api/codebook", tags=["codebook"], summary="PLOVER types and modes, CAMEO codes, Goldstein scores",
             response_class=Response)
    def codebook_route() -> Response:
        return json_response(queries.codebook())

    @app.get("/api/codebook.csv", tags=["codebook"], summary="CAMEO codes (CSV)", response_class=Response)
    def codebook_csv() -> Response:
        codes = queries.codebook()["codes"]
        return Response(csv_text(codes, ["code", "name", "goldstein", "quad_class", "type", "mode", "context"]),
                        media_type="text/csv; charset=utf-8")

    @app.get("/api/health", tags=["meta"], summary="Store counts and whether writes are enabled",
             response_class=Response)
    def health() -> Response:
        with access.read() as store:
            verify_connection(store.con, access.path)  # a store damaged since the start: 503
            counts = store.counts()
            version = store.schema_version()
        writable = bool(token if token is not None else os.environ.get(TOKEN_ENV))
        return json_response({"version": __version__, "schema": version, "counts": counts, "writes": writable})

    # --- the page -------------------------------------------------------------------------
    page = render_page((STATIC_DIR / "index.html").read_text(encoding="utf-8"))

    @app.get("/", include_in_schema=False)
    def index() -> Response:
        return Response(page, media_type="text/html; charset=utf-8", headers={"Cache-Control": "no-cache"})

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_js() -> Response:
        path = plotly_js_path()
        if path is None:
            raise ApiError(404, "not_found", "plotly is not installed; charts are unavailable")
        return FileResponse(path, media_type="text/javascript; charset=utf-8",
                            headers={"Cache-Control": "public, max-age=86400"})

    app.include_router(overview.router)  # the page's overview, map and actor aggregates
    install_docs(app)  # /api/docs: Swagger UI from a package, offline; /api leads there
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    app.add_middleware(GZipMiddleware, minimum_size=1000)

    def _openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        from fastapi.openapi.utils import get_openapi

        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        schema.setdefault("components", {}).setdefault("schemas", {})["NewDocument"] = {
            "type": "object", "required": ["text"],
            "properties": {"text": {"type": "string"}, "id": {"type": "string"}, "title": {"type": "string"},
                           "url": {"type": "string"}, "published": {"type": "string", "format": "date"},
                           "publisher": {"type": "string"}}}
        app.openapi_schema = schema
        return schema

    app.openapi = _openapi  # type: ignore[method-assign]
    return app


class Analysed:
    """Analyses made before the write lock was taken, served to ``store.ingest`` like a pipeline."""

    def __init__(self, analyses: dict[str, Any], model: str | None, pipeline: Any):
        self.analyses, self.pipeline = analyses, pipeline
        self.needs_parse = True
        self.model_name = model

    def analyze_documents(self, documents: Any, batch_size: int = 32) -> Iterator[Any]:
        for document in documents:
            analysis = self.analyses.get(document.id)
            # (a document stored by another request meanwhile is skipped by ingest; one missing here
            # is analysed now, under the write lock: rare)
            yield analysis if analysis is not None else self.pipeline.analyze(document)


def stored_ids(store: Store, ids: list[str]) -> set[str]:
    if not ids:
        return set()
    rows = store.con.execute("SELECT id FROM documents WHERE status = 'ok' AND id IN (SELECT unnest(?))",
                             [ids]).fetchall()
    return {row[0] for row in rows}


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, read no further than ``limit`` bytes (413 past it, chunked or not)."""
    too_large = ApiError(413, "too_large", f"request body over {limit // (1024 * 1024)} MiB")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def parse_new_documents(body: bytes) -> list[Any]:
    """The documents of a POST body: one object or a list; 400 when the body itself is unusable.

    A bad document inside a good body (no text, a field of the wrong type, a bad date) does not
    refuse the others: it is stored as failed with its reason, as ``legation ingest`` does.
    """
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadRequest("body must be JSON: a document object or a list of them", "bad_body") from None
    records = data if isinstance(data, list) else [data]
    if not records:
        raise BadRequest("no documents in the body", "bad_body")
    if len(records) > MAX_POST_DOCUMENTS:
        raise BadRequest(f"at most {MAX_POST_DOCUMENTS} documents per request", "bad_body")
    return records
