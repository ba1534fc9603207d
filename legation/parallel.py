"""Analysis on every core: worker processes parse and run the stages, the parent writes.

``ProcessAnalyzer`` is an ``analyze`` callable for ``legation.store.ingest``: it takes
Documents in input order and yields their Analyses in the same order, so the store ends
up with the same rows as with one process. Each worker process loads the spaCy model and
builds the matchers once (``forkserver`` start, or ``spawn`` where there is none), then
analyses chunks of documents with ``nlp.pipe``. At most a few chunks per worker are in
flight, so memory stays bounded whatever the size of the input. A small input (fewer
documents than ``min_documents``) is analysed in the parent: starting workers costs a
model load each.
"""
from __future__ import annotations

import multiprocessing
import os
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from legation.records import Analysis, Document

DEFAULT_CHUNK = 8
DEFAULT_MIN_DOCUMENTS = 48

_PIPELINE: Any = None  # the worker's pipeline, built once per process


def _start_worker(stages: Sequence[str], model: str | None) -> None:
    global _PIPELINE
    from legation.pipeline import Pipeline

    _PIPELINE = Pipeline(list(stages), model)
    # load the model and build the matchers now, in every worker at once
    list(_PIPELINE.analyze_documents([Document(text="On Monday the minister said that Gondor had cut ties with Rohan.",
                                               published="2023-01-02")]))


def _analyze_chunk(documents: list[Document], batch_size: int) -> tuple[list[Analysis], str | None]:
    analyses = list(_PIPELINE.analyze_documents(documents, batch_size=batch_size))
    return analyses, _PIPELINE.model_name


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


class ProcessAnalyzer:
    """Analyses in worker processes, yielded in input order."""

    def __init__(self, pipeline: Any, workers: int | None = None, *, chunk: int = DEFAULT_CHUNK,
                 in_flight: int = 3, min_documents: int = DEFAULT_MIN_DOCUMENTS):
        self.pipeline = pipeline
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.chunk = chunk
        self.in_flight = in_flight
        self.min_documents = min_documents
        self._model_name: str | None = None
        self.used_workers = 0  # worker processes started (0: analysed in this process)

    def model_name(self) -> str | None:
        return self._model_name or self.pipeline.model_name

    def __call__(self, documents: Iterable[Document], batch_size: int = 32) -> Iterator[Analysis]:
        iterator = iter(documents)
        head = list(islice(iterator, max(self.min_documents, 1)))
        if self.workers == 1 or len(head) < self.min_documents:
            yield from self.pipeline.analyze_documents(_chain(head, iterator), batch_size=batch_size)
            return
        yield from self._in_workers(_chain(head, iterator), batch_size)

    def _in_workers(self, documents: Iterator[Document], batch_size: int) -> Iterator[Analysis]:
        stages = [stage.name for stage in self.pipeline.stages]
        saved = {name: os.environ.get(name) for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
        for name in saved:  # one thread per worker: the workers are the parallelism
            os.environ[name] = "1"
        try:
            pool = ProcessPoolExecutor(self.workers, mp_context=_context(), initializer=_start_worker,
                                       initargs=(stages, self.pipeline._model_name))
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
        self.used_workers = self.workers
        with pool:  # a worker that dies raises BrokenProcessPool here instead of hanging
            pending: deque[Future[Any]] = deque()
            limit = self.workers * self.in_flight
            chunks = _chunks(documents, self.chunk)
            exhausted = False
            while True:
                while not exhausted and len(pending) < limit:
                    chunk = next(chunks, None)
                    if chunk is None:
                        exhausted = True
                    else:
                        pending.append(pool.submit(_analyze_chunk, chunk, batch_size))
                if not pending:
                    break
                analyses, model = pending.popleft().result()
                self._model_name = self._model_name or model
                yield from analyses


def _chain(head: list[Document], rest: Iterator[Document]) -> Iterator[Document]:
    yield from head
    yield from rest


def _chunks(documents: Iterator[Document], size: int) -> Iterator[list[Document]]:
    while True:
        chunk = list(islice(documents, size))
        if not chunk:
            return
        yield chunk
