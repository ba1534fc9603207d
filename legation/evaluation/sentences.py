"""Real news sentences coded GSR-style, kept as offsets: the gold names a corpus file and a span.

The file (``{"sentences": [...]}``) holds no text. Each record gives ``corpus`` (``aquaint``,
``te3`` or ``polnear-train``), ``file``, the ``sentence`` span, the ``sha1`` of the sentence, the
main ``event`` type, and ``source``/``target`` actors with ``span``, ``code`` and ``sector``.
``load_sentence_records`` reads the texts from the corpora and returns records in the PLOVER GSR
form (``text``, ``event``, ``source``/``target`` with ``actorText``), so ``evaluation.plover``
scores them as it scores the GSR. A text of a TimeML file is the text of its ``<TEXT>`` element, as ``evaluation.timeml`` reads it.

``part`` splits the set by document (the first byte of the file name's SHA-1, even: ``check``,
odd: ``study``): one half is read for errors, the other only scored, and no document is in both.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from legation.evaluation.timeml import read_tml

CORPORA = {"aquaint": "aquaint/AQUAINT", "te3": "te3-platinum", "polnear-train": "polnear/train/text",
           "polnear-dev": "polnear/dev/text"}
PARTS = ("check", "study")


class SentenceGoldError(ValueError):
    """A sentence gold file that does not fit its corpora."""


def is_sentence_gold(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("sentences"), list)


def document_part(file: str) -> str:
    return PARTS[hashlib.sha1(file.encode("utf-8")).digest()[0] % 2]


def corpus_text(root: Path, corpus: str, file: str) -> str:
    folder = CORPORA.get(corpus)
    if folder is None:
        raise SentenceGoldError(f"[E062] unknown corpus {corpus!r}; expected one of {', '.join(CORPORA)}")
    path = root / folder / file
    if not path.is_file():
        raise SentenceGoldError(f"[E062] {path} is missing: point --corpus at the folder of the eval corpora")
    if path.suffix == ".tml":
        try:
            return read_tml(path).text
        except ValueError as exc:
            raise SentenceGoldError(f"[E062] {exc}") from None
    return path.read_text(encoding="utf-8")


def _actors(text: str, actors: Any, where: str) -> list[dict[str, Any]]:
    out = []
    for actor in actors or []:
        start, end = actor["span"]
        if not 0 <= start < end <= len(text):
            raise SentenceGoldError(f"[E063] {where}: actor span {start}-{end} is outside the text")
        out.append({"actorText": text[start:end], "code": actor.get("code"), "sector": actor.get("sector")})
    return out


def load_sentence_records(data: dict[str, Any], root: Path, part: str | None = None) -> list[dict[str, Any]]:
    """GSR-form records (text = the sentence) for the gold's sentences, optionally one ``part``."""
    if part is not None and part not in PARTS:
        raise SentenceGoldError(f"[E064] part must be one of {', '.join(PARTS)}, not {part!r}")
    texts: dict[tuple[str, str], str] = {}
    records = []
    for number, item in enumerate(data["sentences"], 1):
        try:
            record = _record(item, root, part, texts)
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, SentenceGoldError):
                raise
            raise SentenceGoldError(f"[E063] sentence {number}: malformed record ({exc!r}); see legation.evaluation.sentences") from None
        if record is not None:
            records.append(record)
    return records


def _record(item: dict[str, Any], root: Path, part: str | None, texts: dict[tuple[str, str], str]) -> dict[str, Any] | None:
    if part is not None and document_part(item["file"]) != part:
        return None
    key = (item["corpus"], item["file"])
    if key not in texts:
        texts[key] = corpus_text(root, *key)
    text = texts[key]
    start, end = item["sentence"]
    sentence = text[start:end]
    where = f"{item.get('id')} ({item['file']})"
    if item.get("sha1") and hashlib.sha1(sentence.encode("utf-8")).hexdigest() != item["sha1"]:
        raise SentenceGoldError(f"[E063] {where}: the sentence span does not match its sha1; is the corpus the same?")
    ev_start, ev_end = item.get("eventText") or (start, start)
    return {"id": item.get("id"), "text": sentence, "event": item.get("event"),
            "eventText": text[ev_start:ev_end],
            "source": _actors(text, item.get("source"), where),
            "target": _actors(text, item.get("target"), where)}

