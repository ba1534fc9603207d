"""Run the registered stages over documents, parsing in batches with ``nlp.pipe``.

A stage that raises is recorded on the analysis (``errors``) and the other stages and
documents go on: one bad document never stops a batch.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from legation.records import Analysis, Document
from legation.registry import Stage, get_stage

log = logging.getLogger(__name__)


class Pipeline:
    """The parse plus an ordered list of named stages."""

    def __init__(self, stages: Sequence[str] | None = None, model: str | None = None, nlp: Any = None):
        from legation.stages import DEFAULT_STAGES

        self.stages: list[Stage] = [get_stage(name) for name in (stages or DEFAULT_STAGES)]
        self._model_name = model
        self._nlp = nlp
        if nlp is not None:
            from legation.model import register_nlp

            register_nlp(nlp)

    @property
    def needs_parse(self) -> bool:
        return any(stage.needs_parse for stage in self.stages)

    @property
    def nlp(self) -> Any:
        if self._nlp is None:
            from legation.model import load_model

            self._nlp = load_model(self._model_name)
        return self._nlp

    @property
    def model_name(self) -> str | None:
        if self._nlp is not None:
            meta = getattr(self._nlp, "meta", {})
            return f"{meta.get('lang', 'xx')}_{meta.get('name', 'unknown')}-{meta.get('version', '?')}"
        return self._model_name

    def analyze_documents(self, documents: Iterable[Document], batch_size: int = 32) -> Iterator[Analysis]:
        """Analyses in input order."""
        if not self.needs_parse:
            for document in documents:
                yield self._run_stages(document, None)
            return
        # tee the documents through nlp.pipe with their context so order is kept
        pairs = ((document.text, document) for document in documents)
        for doc, document in self.nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
            yield self._run_stages(document, doc)

    def analyze(self, document: Document) -> Analysis:
        return next(iter(self.analyze_documents([document])))

    def _run_stages(self, document: Document, doc: Any) -> Analysis:
        analysis = Analysis(document=document)
        for stage in self.stages:
            try:
                stage.function(analysis, doc)
            except Exception as exc:  # a failing stage degrades the record, not the batch
                log.warning("stage %s failed on document %s: %s", stage.name, document.id, exc)
                analysis.errors.append({"stage": stage.name, "error": f"{type(exc).__name__}: {exc}"})
        return analysis


_DEFAULT_PIPELINES: dict[tuple[tuple[str, ...] | None, str | None], Pipeline] = {}


def analyze(text: str, published: str | date | None = None, *, title: str | None = None,
            publisher: str | None = None, url: str | None = None, stages: Sequence[str] | None = None,
            model: str | None = None) -> Analysis:
    """Analyse one text: the library entry point behind ``legation analyze``."""
    key = (tuple(stages) if stages else None, model)
    pipeline = _DEFAULT_PIPELINES.get(key)
    if pipeline is None:
        pipeline = _DEFAULT_PIPELINES[key] = Pipeline(stages, model)
    published_text = published.isoformat() if isinstance(published, date) else published
    document = Document(text=text, published=published_text, title=title, publisher=publisher, url=url)
    return pipeline.analyze(document)
