"""Run the registered stages over documents, parsing in batches with ``nlp.pipe``.

A stage that raises is recorded on the analysis (``errors``) and the other stages and
documents go on: one bad document never stops a batch.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from legation.records import Analysis, Document
from legation.registry import Stage, get_stage

log = logging.getLogger(__name__)

# a text longer than the model's max_length (spaCy's E088 limit) is parsed in pieces of at most
# this many characters, cut at paragraph boundaries, and the pieces joined into one Doc whose text
# is the original text: offsets stay exact and every stage sees the whole document
PIECE_CHARS = 100_000
_PARAGRAPH = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_LINE = re.compile(r"\n\s*")
_SENTENCE = re.compile(r"[.!?][\"'\u201d\u2019)]*\s+")
_SPACE = re.compile(r"\s+")


def split_text(text: str, size: int = PIECE_CHARS) -> list[str]:
    """Pieces of at most ``size`` characters whose concatenation is ``text``, cut after a paragraph
    break where there is one, else after a line break, a sentence end or a space (a cut mid-word only
    in a run of ``size`` characters without any)."""
    pieces: list[str] = []
    start = 0
    while len(text) - start > size:
        window = text[start:start + size]
        cut = 0
        for pattern in (_PARAGRAPH, _LINE, _SENTENCE, _SPACE):
            ends = [m.end() for m in pattern.finditer(window) if m.end() < len(window)]
            if ends and ends[-1] > size // 4:
                cut = ends[-1]
                break
        if cut == 0:
            cut = size
        pieces.append(text[start:start + cut])
        start += cut
    pieces.append(text[start:])
    return pieces


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
        # tee the documents through nlp.pipe with their context so order is kept; a long text goes
        # through as pieces (one context per piece) that are joined again below
        nlp = self.nlp
        limit = min(nlp.max_length, PIECE_CHARS * 10)

        def pieces() -> Iterator[tuple[str, tuple[Document, int, int]]]:
            for document in documents:
                if not self._extracts(document):
                    yield "", (document, 0, 1)
                elif len(document.text) > limit:
                    parts = split_text(document.text, min(PIECE_CHARS, limit))
                    for index, part in enumerate(parts):
                        yield part, (document, index, len(parts))
                else:
                    yield document.text, (document, 0, 1)

        gathered: list[Any] = []
        for doc, (document, index, count) in nlp.pipe(pieces(), as_tuples=True, batch_size=batch_size):
            if count == 1:
                yield self._run_stages(document, doc)
                continue
            gathered.append(doc)
            if index + 1 < count:
                continue
            try:
                joined = self._join(document, gathered)
            except Exception as exc:  # noqa: BLE001 - the document is reported, the batch goes on
                analysis = Analysis(document=document)
                analysis.errors.append({"stage": "parse", "error": f"{type(exc).__name__}: {exc}"})
                yield analysis
            else:
                yield self._run_stages(document, joined)
            gathered = []

    @staticmethod
    def _extracts(document: Document) -> bool:
        """Whether the stages run on it: extraction is English-only."""
        return (document.language or "en").split("-")[0].lower() == "en"

    @staticmethod
    def _join(document: Document, docs: list[Any]) -> Any:
        from spacy.tokens import Doc

        joined = Doc.from_docs(docs, ensure_whitespace=False)
        if joined.text != document.text:  # cannot happen: the pieces are slices of the text
            raise RuntimeError(f"[E045] the pieces of document {document.id} do not join to its text")
        note = f"text of {len(document.text):,} characters parsed in {len(docs)} pieces cut at paragraph breaks"
        if note not in document.warnings:
            document.warnings.append(note)
        return joined

    def analyze(self, document: Document) -> Analysis:
        return next(iter(self.analyze_documents([document])))

    def _run_stages(self, document: Document, doc: Any) -> Analysis:
        analysis = Analysis(document=document)
        if not self._extracts(document):
            return analysis
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
