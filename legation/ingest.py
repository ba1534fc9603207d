"""Read inputs (text, HTML, JSON Lines, folders, stdin) into Documents.

Every input yields either a ``Document`` or a ``FailedDocument`` with its reason, so a
bad file is reported and kept track of while the rest of the batch goes on.
"""
from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from legation.records import Document, FailedDocument

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES

Item = Document | FailedDocument


def normalize_published(value: Any) -> str | None:
    """ISO date (YYYY-MM-DD) from a date, a datetime or ISO text; raises ValueError otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    try:
        return date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        raise ValueError(f"publication date {value!r} is not an ISO date (YYYY-MM-DD)") from None


def decode(raw: bytes, origin: str) -> str:
    """Text from bytes; refuses binary data instead of storing garbage."""
    if b"\x00" in raw[:4096]:
        raise ValueError("not text (binary content)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"undecodable: not UTF-8 ({exc.reason} at byte {exc.start})") from None


def _check_text(text: str) -> None:
    if not text.strip():
        raise ValueError("empty: no text")


def html_to_text(html: str) -> tuple[str, dict[str, Any]]:
    """Main text and metadata of an HTML page, boilerplate removed by trafilatura."""
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True) or ""
    meta: dict[str, Any] = {}
    try:
        metadata = trafilatura.extract_metadata(html)
    except Exception:  # metadata is a bonus; the text is what matters
        metadata = None
    if metadata is not None:
        meta = {"title": metadata.title, "published": metadata.date, "publisher": metadata.sitename, "url": metadata.url}
    return text, meta


def _document(text: str, origin: str, defaults: dict[str, Any], **fields: Any) -> Item:
    merged = {key: value for key, value in defaults.items() if value is not None}
    merged.update({key: value for key, value in fields.items() if value is not None})
    try:
        _check_text(text)
        published = normalize_published(merged.get("published"))
    except ValueError as exc:
        return FailedDocument(origin=origin, reason=str(exc), source_id=merged.get("source_id"), raw=text)
    return Document(
        text=text,
        source_id=None if merged.get("source_id") is None else str(merged["source_id"]),
        title=merged.get("title"),
        url=merged.get("url"),
        published=published,
        publisher=merged.get("publisher"),
        language=merged.get("language") or "en",
        origin=origin,
    )


def read_text(raw: bytes, origin: str, defaults: dict[str, Any]) -> Iterator[Item]:
    try:
        text = decode(raw, origin)
    except ValueError as exc:
        yield FailedDocument(origin=origin, reason=str(exc))
        return
    yield _document(text, origin, defaults)


def read_html(raw: bytes, origin: str, defaults: dict[str, Any]) -> Iterator[Item]:
    try:
        html = decode(raw, origin)
        _check_text(html)
        text, meta = html_to_text(html)
        if not text.strip():
            raise ValueError("empty: no article text found in the HTML")
    except ValueError as exc:
        yield FailedDocument(origin=origin, reason=str(exc))
        return
    meta = {k: v for k, v in meta.items() if v}
    if meta.get("published"):
        try:
            meta["published"] = normalize_published(meta["published"])
        except ValueError:
            meta.pop("published")
    yield _document(text, origin, {**meta, **{k: v for k, v in defaults.items() if v is not None}})


def read_jsonl_lines(lines: Iterable[str], origin: str, defaults: dict[str, Any]) -> Iterator[Item]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield FailedDocument(origin=where, reason=f"invalid JSON: {exc.msg} (column {exc.colno})", raw=line)
            continue
        if not isinstance(record, dict):
            yield FailedDocument(origin=where, reason="invalid record: expected a JSON object", raw=line)
            continue
        text = record.get("text")
        if not isinstance(text, str):
            yield FailedDocument(origin=where, reason="invalid record: no \"text\" string", source_id=_str(record.get("id")), raw=line)
            continue
        yield _document(text, where, defaults, source_id=_str(record.get("id")), title=record.get("title"),
                        url=record.get("url"), published=record.get("published"), publisher=record.get("publisher"),
                        language=record.get("language"))


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def read_path(path: Path, defaults: dict[str, Any]) -> Iterator[Item]:
    origin = str(path)
    suffix = path.suffix.lower()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        yield FailedDocument(origin=origin, reason=f"unreadable: {exc.strerror or exc}")
        return
    if suffix in HTML_SUFFIXES:
        yield from read_html(raw, origin, defaults)
    elif suffix in JSONL_SUFFIXES:
        try:
            content = decode(raw, origin)
        except ValueError as exc:
            yield FailedDocument(origin=origin, reason=str(exc))
            return
        yield from read_jsonl_lines(content.splitlines(), origin, defaults)
    else:
        yield from read_text(raw, origin, defaults)


def read_stream(stream: IO[bytes] | IO[str], defaults: dict[str, Any], origin: str = "<stdin>") -> Iterator[Item]:
    """Standard input: JSON Lines when it starts with '{', else one plain-text document."""
    raw = stream.read()
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    try:
        content = decode(data, origin)
    except ValueError as exc:
        yield FailedDocument(origin=origin, reason=str(exc))
        return
    if content.lstrip().startswith("{"):
        yield from read_jsonl_lines(content.splitlines(), origin, defaults)
    elif content.lstrip()[:15].lower().startswith(("<!doctype html", "<html")):
        yield from read_html(data, origin, defaults)
    else:
        yield _document(content, origin, defaults)


def iter_inputs(inputs: Iterable[str], *, published: str | None = None, publisher: str | None = None,
                stdin: IO[Any] | None = None) -> Iterator[Item]:
    """Documents from files, folders (recursive, supported suffixes) and '-' (stdin).

    ``published``/``publisher`` are defaults for inputs that do not carry their own.
    """
    defaults = {"published": published, "publisher": publisher}
    for spec in inputs:
        if spec == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from read_stream(stream, defaults)
            continue
        path = Path(spec)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
            for file in files:
                yield from read_path(file, defaults)
        elif path.is_file():
            yield from read_path(path, defaults)
        else:
            yield FailedDocument(origin=spec, reason="not found: no such file or directory")


def sample_articles_path() -> Path:
    """The bundled demo corpus (articles written for Legation)."""
    return Path(__file__).resolve().parent / "data" / "samples" / "articles.jsonl"
