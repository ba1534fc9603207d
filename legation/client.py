"""``legation ingest --server URL``: send documents to a running server, which stores them.

The server is the store's single writer (``legation.api.jobs``): this reads the inputs here
(the same readers as a local ingest, streamed), sends them in jobs of at most ``JOB_DOCUMENTS``
documents (and under ``JOB_BYTES``), keeps at most ``IN_FLIGHT`` jobs queued, and waits for each.
Inputs that cannot be read here are sent as failures, so the store records them as a local
ingest would. Only the standard library is used (urllib).
"""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from legation.records import Document, FailedDocument

JOB_DOCUMENTS = 100
JOB_BYTES = 8 * 1024 * 1024
MAX_DOCUMENT_BYTES = 18 * 1024 * 1024  # under the server's 20 MiB body limit
IN_FLIGHT = 2
POLL_SECONDS = 0.25


class ServerError(Exception):
    """[E048] the server refused or could not be reached."""


@dataclass
class Summary:
    new: int = 0
    unchanged: int = 0
    failed: int = 0
    stage_errors: int = 0
    failures: list[dict[str, str]] = field(default_factory=list)


def _record(document: Document) -> dict[str, Any]:
    record = {"text": document.text, "id": document.source_id, "title": document.title, "url": document.url,
              "published": document.published, "publisher": document.publisher, "origin": document.origin}
    if document.language and document.language != "en":
        record["language"] = document.language
    return {key: value for key, value in record.items() if value is not None}


class Client:
    def __init__(self, url: str, token: str | None, timeout: float = 60.0):
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def request(self, method: str, path: str, body: Any = None) -> dict[str, Any]:
        data = None if body is None else json.dumps(body).encode("utf-8", "surrogatepass")
        headers = {"Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        for attempt in range(20):
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return json.loads(response.read().decode("utf-8"))
            except urllib.error.HTTPError as exc:
                detail = exc.read().decode("utf-8", "replace")
                if exc.code in (503, 429) and attempt < 19:  # busy: wait as told, then again
                    time.sleep(min(float(exc.headers.get("Retry-After") or 2), 10))
                    continue
                try:
                    message = json.loads(detail)["error"]["message"]
                except (ValueError, KeyError, TypeError):
                    message = detail[:300]
                raise ServerError(f"[E048] {self.url}{path} answered {exc.code}: {message}") from None
            except (urllib.error.URLError, OSError) as exc:
                raise ServerError(f"[E048] cannot reach {self.url}: {getattr(exc, 'reason', exc)}") from None
        raise ServerError(f"[E048] {self.url} stayed busy")


def send(items: Iterable[Document | FailedDocument], url: str, token: str | None,
         progress: Callable[[], None] | None = None) -> Summary:
    """Send the inputs to the server at ``url`` and wait until every job is done."""
    client = Client(url, token)
    client.request("GET", "/api/health")  # reachable, and the store sound, before reading anything
    summary = Summary()
    pending: deque[str] = deque()
    documents: list[dict[str, Any]] = []
    failures: list[dict[str, Any]] = []
    size = 0

    def flush() -> None:
        nonlocal documents, failures, size
        if not documents and not failures:
            return
        while len(pending) >= IN_FLIGHT:
            wait(pending.popleft())
        job = client.request("POST", "/api/jobs", {"documents": documents, "failures": failures})
        pending.append(job["id"])
        documents, failures, size = [], [], 0

    def wait(job_id: str) -> None:
        while True:
            job = client.request("GET", f"/api/jobs/{job_id}")
            if job["status"] == "done":
                result = job["result"]
                summary.new += result["new"]
                summary.unchanged += result["unchanged"]
                summary.failed += result["failed"]
                summary.stage_errors += result["stage_errors"]
                summary.failures += [{"origin": d.get("origin") or d.get("source_id") or d["id"], "reason": d["reason"]}
                                     for d in result["documents"] if d["status"] == "failed"]
                return
            if job["status"] == "failed":
                raise ServerError(f"[E048] job {job_id} failed on the server: {job.get('error')}")
            time.sleep(POLL_SECONDS)

    for item in items:
        if progress is not None:
            progress()
        if isinstance(item, FailedDocument):
            failures.append({"origin": item.origin, "reason": item.reason, "source_id": item.source_id})
            if len(failures) >= JOB_DOCUMENTS:
                flush()
            continue
        record = _record(item)
        record_size = len(item.text.encode("utf-8", "surrogatepass")) + 512
        if record_size > MAX_DOCUMENT_BYTES:
            failures.append({"origin": item.origin or item.id, "source_id": item.source_id,
                             "reason": f"too large to send: over {MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB"})
            continue
        if documents and (len(documents) >= JOB_DOCUMENTS or size + record_size > JOB_BYTES):
            flush()
        documents.append(record)
        size += record_size
    flush()
    while pending:
        wait(pending.popleft())
    return summary
