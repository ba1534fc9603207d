"""Background ingest jobs: the server as the store's single writer.

``POST /api/jobs`` queues documents and answers 202 at once; one worker thread takes the jobs
in order, analyses each job's documents (no lock: reads go on) and loads them under the write
lock. ``GET /api/jobs/{id}`` tells how a job stands and, once done, what became of each
document. ``legation ingest --server URL`` feeds a running server this way, so a server and a
stream of articles can share one store.

Jobs live in memory: a server stopped with jobs still queued loses those jobs (not the store's
rows: a load is one transaction); sending the same documents again stores each once.
"""
from __future__ import annotations

import itertools
import logging
import queue
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

MAX_QUEUED = 64      # jobs waiting; past this a POST answers 503 queue_full
KEEP_FINISHED = 500  # finished jobs remembered for GET


@dataclass
class Job:
    id: str
    documents: list[Any]
    failures: list[dict[str, Any]]
    status: str = "queued"  # queued | running | done | failed
    submitted: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    result: dict[str, Any] | None = None
    error: str | None = None

    def to_dict(self, position: int | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "status": self.status, "documents": len(self.documents),
                               "failures_sent": len(self.failures), "submitted": _iso(self.submitted),
                               "started": _iso(self.started), "finished": _iso(self.finished)}
        if position is not None:
            out["queue_position"] = position
        if self.result is not None:
            out["result"] = self.result
        if self.error is not None:
            out["error"] = self.error
        return out


def _iso(moment: float | None) -> str | None:
    if moment is None:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(moment))


class QueueFull(Exception):
    pass


class JobQueue:
    """Jobs run one at a time, in order, by one daemon thread started with the first job."""

    def __init__(self, run: Callable[[list[Any], list[dict[str, Any]]], dict[str, Any]]):
        self._run = run
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._counter = itertools.count(1)

    def submit(self, documents: list[Any], failures: list[dict[str, Any]]) -> Job:
        with self._lock:
            waiting = sum(1 for job in self._jobs.values() if job.status == "queued")
            if waiting >= MAX_QUEUED:
                raise QueueFull(f"{waiting} jobs are waiting; retry when some are done")
            job = Job(id=f"j{next(self._counter)}-{secrets.token_hex(4)}", documents=documents, failures=failures)
            self._jobs[job.id] = job
            self._forget_old()
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, name="legation-jobs", daemon=True)
                self._thread.start()
        self._queue.put(job)
        return job

    def get(self, job_id: str) -> tuple[Job, int | None] | None:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                return None
            position = None
            if job.status == "queued":
                position = sum(1 for other in self._jobs.values()
                               if other.status == "queued" and other.submitted <= job.submitted)
            return job, position

    def stop(self) -> None:
        self._queue.put(None)

    def _forget_old(self) -> None:
        finished = [key for key, job in self._jobs.items() if job.status in ("done", "failed")]
        for key in finished[:max(0, len(finished) - KEEP_FINISHED)]:
            del self._jobs[key]

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            job.status, job.started = "running", time.time()
            try:
                job.result = self._run(job.documents, job.failures)
                job.status = "done"
            except Exception as exc:  # noqa: BLE001 - the job fails, the worker goes on
                log.exception("job %s failed", job.id)
                code = getattr(exc, "code", None)
                message = getattr(exc, "message", None) or f"{type(exc).__name__}"
                job.error = f"{code}: {message}" if code else message
                job.status = "failed"
            finally:
                job.finished = time.time()
                job.documents = []  # the texts are stored (or not): do not keep them in memory


def parse_job_body(data: Any, max_documents: int) -> tuple[list[Any], list[dict[str, Any]]]:
    """Documents (like POST /api/documents) or ``{"documents": [...], "failures": [...]}``, where a
    failure is an input the sender could not read: ``{"origin", "reason", "source_id"}``."""
    from legation.api.queries import BadRequest

    failures: list[dict[str, Any]] = []
    if isinstance(data, dict) and "documents" in data and "text" not in data:
        documents = data["documents"]
        raw_failures = data.get("failures") or []
        if not isinstance(documents, list) or not isinstance(raw_failures, list):
            raise BadRequest("\"documents\" and \"failures\" must be lists", "bad_body")
        for number, failure in enumerate(raw_failures, start=1):
            if not (isinstance(failure, dict) and isinstance(failure.get("origin"), str)
                    and isinstance(failure.get("reason"), str)
                    and isinstance(failure.get("source_id"), (str, type(None)))):
                raise BadRequest(f"failure {number}: needs \"origin\" and \"reason\" strings", "bad_body")
            failures.append({"origin": failure["origin"][:2000], "reason": failure["reason"][:2000],
                             "source_id": failure.get("source_id")})
    else:
        documents = data if isinstance(data, list) else [data]
    if not documents and not failures:
        raise BadRequest("no documents in the body", "bad_body")
    if len(documents) + len(failures) > max_documents:
        raise BadRequest(f"at most {max_documents} documents per request", "bad_body")
    return documents, failures


ANALYSIS_NICENESS = 10  # the analysis yields the CPU to the server's reads


def _start_low_priority_worker(stages: list[str], model: str | None) -> None:
    import os

    from legation.parallel import _start_worker

    try:
        os.nice(ANALYSIS_NICENESS)
    except (AttributeError, OSError):  # not on this platform: same priority
        pass
    _start_worker(stages, model)


class AnalysisProcess:
    """One worker process that holds the spaCy model and analyses for the server.

    The server's own process then only answers requests and loads rows: a long analysis never
    holds the interpreter lock that reads need. Started on the first write; a worker that dies is
    replaced on the next one.
    """

    def __init__(self, stages: list[str], model: str | None = None):
        self.stages, self.model = stages, model
        self._pool: Any = None
        self._lock = threading.Lock()

    def analyze(self, documents: list[Any], batch_size: int = 32) -> tuple[list[Any], str | None]:
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        from legation.parallel import _analyze_chunk, _context

        if not documents:
            return [], None
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(1, mp_context=_context(), initializer=_start_low_priority_worker,
                                                 initargs=(self.stages, self.model))
            pool = self._pool
        try:
            analyses, model = pool.submit(_analyze_chunk, documents, batch_size).result()
        except BrokenProcessPool:
            with self._lock:
                if self._pool is pool:
                    self._pool = None
            raise RuntimeError("[E049] the analysis process stopped (see the server's log); the next request "
                               "starts another") from None
        return analyses, model

    def close(self) -> None:
        """Stop the worker now (an analysis in progress is dropped: its job had not loaded anything)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            processes = list(getattr(pool, "_processes", {}).values())
            pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                if process.is_alive():
                    process.terminate()
