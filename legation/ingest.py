"""Read inputs (text, HTML, JSON Lines, WARC, folders, stdin) into Documents, lazily.

Text, HTML and JSON Lines files may be gzip-compressed (``articles.jsonl.gz``): they are
decompressed as they are read.

Every input yields either a ``Document`` or a ``FailedDocument`` with its reason, so a
bad file is reported and kept track of while the rest of the batch goes on. Nothing is
read whole that need not be: JSON Lines files and standard input are read line by line
(split on ``\\n`` only), folders are walked one entry at a time, WARC files record by record.
"""
from __future__ import annotations

import gzip
import json
import os
import re
import sys
import zlib
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from legation.records import Document, FailedDocument

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | {".warc"}

# a page whose extracted text has fewer words than this is navigation, not an article ("Home")
MIN_ARTICLE_WORDS = 5
CHUNK = 1 << 16
STRING_FIELDS = ("title", "url", "published", "publisher", "language")
LONE_SURROGATE = re.compile("[\ud800-\udfff]")

Item = Document | FailedDocument


def normalize_published(value: Any) -> str | None:
    """ISO date (YYYY-MM-DD) from a date, a datetime or ISO text; raises ValueError otherwise.

    The whole value must be a date or a date-time: ``2023-01-01garbage`` is refused.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str):
        raise ValueError(f"publication date {value!r} is not an ISO date (YYYY-MM-DD)")
    text = value.strip()
    for parse in (date.fromisoformat, lambda t: datetime.fromisoformat(t.replace("Z", "+00:00")).date()):
        try:
            return parse(text).isoformat()
        except ValueError:
            continue
    raise ValueError(f"publication date {value!r} is not an ISO date (YYYY-MM-DD)")


def decode(raw: bytes, origin: str = "") -> str:
    """Text from bytes; refuses binary data instead of storing garbage."""
    if b"\x00" in raw[:4096]:
        raise ValueError("not text (binary content)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"undecodable: not UTF-8 ({exc.reason} at byte {exc.start})") from None


def clean_text(text: str) -> tuple[str, int]:
    """The text with each lone surrogate (an unpaired ``\\ud800`` escape) replaced by U+FFFD.

    One character for one, so every offset into the cleaned text is an offset into the input.
    """
    cleaned, count = LONE_SURROGATE.subn("\ufffd", text)
    return cleaned, count


def _check_text(text: str) -> None:
    if not text.strip():
        raise ValueError("empty: no text")


def html_to_text(html: str) -> tuple[str, dict[str, Any]]:
    """Main text and metadata of an HTML page, boilerplate removed by trafilatura.

    The publication date comes from the page's metadata only (meta tags, structured data):
    a year the article mentions is never taken for its date.
    """
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True) or ""
    meta: dict[str, Any] = {}
    try:
        metadata = trafilatura.extract_metadata(
            html, extensive=False, date_config={"extensive_search": False, "original_date": True})
    except Exception:  # noqa: BLE001 - metadata is a bonus; the text is what matters
        metadata = None
    if metadata is not None:
        meta = {"title": metadata.title, "published": metadata.date, "publisher": metadata.sitename, "url": metadata.url}
    return text, meta


def _document(text: str, origin: str, defaults: dict[str, Any], warnings: list[str] | None = None,
              **fields: Any) -> Item:
    from legation.language import ENGLISH, detect_language

    merged = {key: value for key, value in defaults.items() if value is not None}
    merged.update({key: value for key, value in fields.items() if value is not None})
    warnings = list(warnings or [])
    text, replaced = clean_text(text)
    if replaced:
        warnings.append(f"text had {replaced} lone surrogate(s) (unpaired \\ud800-\\udfff escapes); each was "
                        "replaced by U+FFFD, so offsets are unchanged")
    for key in ("source_id", *STRING_FIELDS):
        if isinstance(merged.get(key), str):
            merged[key] = clean_text(merged[key])[0]
    source_id = None if merged.get("source_id") is None else str(merged["source_id"])
    try:
        _check_text(text)
        published = normalize_published(merged.get("published"))
    except ValueError as exc:
        return FailedDocument(origin=origin, reason=str(exc), source_id=source_id, raw=text)
    language = merged.get("language") or detect_language(text)
    if language != ENGLISH:
        warnings.append(f"language {language!r}: extraction is English-only, so no times, actors, quotes or "
                        "events were extracted")
    return Document(text=text, source_id=source_id, title=merged.get("title"), url=merged.get("url"),
                    published=published, publisher=merged.get("publisher"), language=language, origin=origin,
                    warnings=warnings)


def read_text(raw: bytes, origin: str, defaults: dict[str, Any]) -> Iterator[Item]:
    try:
        text = decode(raw, origin)
    except ValueError as exc:
        yield FailedDocument(origin=origin, reason=str(exc))
        return
    yield _document(text, origin, defaults)


def read_html(raw: bytes, origin: str, defaults: dict[str, Any], extra: dict[str, Any] | None = None) -> Iterator[Item]:
    try:
        html = decode(raw, origin)
        _check_text(html)
        text, meta = html_to_text(html)
        if len(text.split()) < MIN_ARTICLE_WORDS:
            raise ValueError("no article text: the page holds only navigation or boilerplate")
    except ValueError as exc:
        yield FailedDocument(origin=origin, reason=str(exc))
        return
    meta = {k: v for k, v in {**meta, **(extra or {})}.items() if v}
    warnings = []
    if meta.get("published"):
        try:
            meta["published"] = normalize_published(meta["published"])
        except ValueError:
            meta.pop("published")
    given = {k: v for k, v in defaults.items() if v is not None}
    if not meta.get("published") and not given.get("published"):
        warnings.append("no publication date in the page's metadata: published left empty (give --published); "
                        "dates in the text are not guessed from")
    yield _document(text, origin, {**meta, **given}, warnings)


def _json_field(record: dict[str, Any], name: str) -> str | None:
    """A string field of a JSON Lines record; ValueError when it has another type."""
    value = record.get(name)
    if value is None or isinstance(value, str):
        return value
    if name == "id" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise ValueError(f"invalid record: \"{name}\" must be a string, not {type(value).__name__}")


def read_jsonl_lines(lines: Iterable[str | bytes], origin: str, defaults: dict[str, Any]) -> Iterator[Item]:
    """Documents from JSON Lines: one record per line, lines split on ``\\n`` only.

    A raw U+2028, U+0085 or form feed inside a string is part of the string, never a line end.
    """
    for number, line in enumerate(lines, start=1):
        where = f"{origin}:{number}"
        if isinstance(line, bytes):
            try:
                line = decode(line, where)
            except ValueError as exc:
                yield FailedDocument(origin=where, reason=str(exc), raw=line.decode("utf-8", "replace"))
                continue
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield FailedDocument(origin=where, reason=f"invalid JSON: {exc.msg} (column {exc.colno})",
                                 raw=clean_text(line)[0])
            continue
        except RecursionError:
            yield FailedDocument(origin=where, reason="invalid JSON: nested too deeply", raw=clean_text(line)[0][:10000])
            continue
        except ValueError as exc:  # a number too long to convert ("Exceeds the limit (4300 digits)")
            yield FailedDocument(origin=where, reason=f"invalid JSON: {str(exc).split(':')[0]}", raw=clean_text(line)[0][:10000])
            continue
        if not isinstance(record, dict):
            yield FailedDocument(origin=where, reason="invalid record: expected a JSON object", raw=clean_text(line)[0])
            continue
        try:
            source_id = _json_field(record, "id")
        except ValueError as exc:
            yield FailedDocument(origin=where, reason=str(exc), raw=clean_text(line)[0])
            continue
        source_id = None if source_id is None else clean_text(source_id)[0]
        text = record.get("text")
        if not isinstance(text, str):
            yield FailedDocument(origin=where, reason="invalid record: no \"text\" string", source_id=source_id,
                                 raw=clean_text(line)[0])
            continue
        try:
            fields = {name: _json_field(record, name) for name in STRING_FIELDS}
        except ValueError as exc:
            yield FailedDocument(origin=where, reason=str(exc), source_id=source_id, raw=clean_text(text)[0])
            continue
        yield _document(text, where, defaults, source_id=source_id, **fields)


def _split_lines(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Lines (without their ``\\n``) of a byte stream given in chunks; only ``\\n`` ends a line."""
    pending = b""
    for chunk in chunks:
        pending += chunk
        *lines, pending = pending.split(b"\n")
        yield from lines
    if pending:
        yield pending


def _file_chunks(handle: IO[bytes]) -> Iterator[bytes]:
    while chunk := handle.read(CHUNK):
        yield chunk


def is_gzip(path: Path) -> bool:
    """A gzip-compressed input ("articles.jsonl.gz"); a WARC file reads its own compression."""
    return path.name.lower().endswith(".gz") and not is_warc(path)


def input_suffix(path: Path) -> str:
    """The suffix that says how to read a file: that of the name inside a ``.gz``."""
    return Path(path.stem).suffix.lower() if is_gzip(path) else path.suffix.lower()


def open_input(path: Path) -> IO[bytes]:
    """The file's bytes, decompressed as they are read when it is gzip-compressed."""
    return gzip.open(path, "rb") if is_gzip(path) else path.open("rb")


def read_jsonl_file(path: Path, defaults: dict[str, Any]) -> Iterator[Item]:
    origin = str(path)
    try:
        handle = open_input(path)
    except OSError as exc:
        yield FailedDocument(origin=origin, reason=f"unreadable: {exc.strerror or exc}")
        return
    with handle:
        try:
            yield from read_jsonl_lines(_split_lines(_file_chunks(handle)), origin, defaults)
        except (OSError, EOFError, zlib.error) as exc:  # also a damaged or truncated .gz
            yield FailedDocument(origin=origin, reason=f"unreadable: {getattr(exc, 'strerror', None) or exc}")


def is_warc(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith(".warc") or name.endswith(".warc.gz")


def read_warc(path: Path, defaults: dict[str, Any]) -> Iterator[Item]:
    """HTML responses of a WARC file (Common Crawl's news archive), one document each.

    The page URL comes from the record's WARC-Target-URI; the date only from the page's metadata.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    origin = str(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield FailedDocument(origin=origin, reason=f"unreadable: {exc.strerror or exc}")
        return
    records = pages = 0
    with handle:
        try:
            for number, record in enumerate(ArchiveIterator(handle), start=1):
                records += 1
                if record.rec_type != "response":
                    continue
                content_type = (record.http_headers.get_header("Content-Type") if record.http_headers else "") or ""
                if "html" not in content_type.lower():
                    continue
                pages += 1
                url = record.rec_headers.get_header("WARC-Target-URI")
                where = f"{origin}#{number}"
                raw = record.content_stream().read()
                charset = re.search(r"charset=([\w-]+)", content_type, re.I)
                if charset and charset.group(1).lower().replace("_", "-") not in ("utf-8", "utf8"):
                    try:
                        raw = raw.decode(charset.group(1)).encode("utf-8")
                    except (LookupError, UnicodeDecodeError):
                        pass  # decode() below reports it
                yield from read_html(raw, where, defaults, {"url": url})
        except (ArchiveLoadFailed, OSError, ValueError) as exc:
            yield FailedDocument(origin=origin, reason=f"unreadable WARC: {exc}")
            return
    if records == 0:
        yield FailedDocument(origin=origin, reason="unreadable WARC: no WARC records in the file")
    elif pages == 0:
        yield FailedDocument(origin=origin, reason="no HTML responses in the WARC file")


def read_path(path: Path, defaults: dict[str, Any]) -> Iterator[Item]:
    origin = str(path)
    suffix = input_suffix(path)
    if suffix in JSONL_SUFFIXES:
        yield from read_jsonl_file(path, defaults)
        return
    if is_warc(path):
        yield from read_warc(path, defaults)
        return
    try:
        with open_input(path) as handle:
            raw = handle.read()
    except (OSError, EOFError, zlib.error) as exc:  # also a damaged or truncated .gz
        yield FailedDocument(origin=origin, reason=f"unreadable: {getattr(exc, 'strerror', None) or exc}")
        return
    if suffix in HTML_SUFFIXES:
        yield from read_html(raw, origin, defaults)
    else:
        yield from read_text(raw, origin, defaults)


def _stream_chunks(stream: IO[bytes] | IO[str]) -> Iterator[bytes]:
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:
            return
        yield chunk.encode("utf-8", "surrogatepass") if isinstance(chunk, str) else chunk


def read_stream(stream: IO[bytes] | IO[str], defaults: dict[str, Any], origin: str = "<stdin>") -> Iterator[Item]:
    """Standard input: JSON Lines (read line by line) when it starts with '{', else one document."""
    chunks = _stream_chunks(stream)
    head = b""
    for chunk in chunks:  # enough to see what it is
        head += chunk
        if head.strip():
            break
    start = head.lstrip().lstrip(b"\xef\xbb\xbf").lstrip()
    if start.startswith(b"{"):
        def all_chunks() -> Iterator[bytes]:
            yield head
            yield from chunks
        yield from read_jsonl_lines(_split_lines(all_chunks()), origin, defaults)
        return
    data = head + b"".join(chunks)
    if start[:15].lower().startswith((b"<!doctype html", b"<html")):
        yield from read_html(data, origin, defaults)
        return
    yield from read_text(data, origin, defaults)


def _is_input(path: Path) -> bool:
    return input_suffix(path) in SUPPORTED_SUFFIXES or is_warc(path)


def walk_folder(folder: Path) -> Iterator[Path | FailedDocument]:
    """Files under a folder in path order, one directory at a time; an unreadable folder is a failure."""
    try:
        with os.scandir(folder) as entries:
            listed = [(entry.name, entry.is_dir(follow_symlinks=False)) for entry in entries]
    except OSError as exc:
        yield FailedDocument(origin=str(folder), reason=f"unreadable folder: {exc.strerror or exc}")
        return
    # the order of sorted(rglob): a path sorts by its full text, so "a.txt" before "a/"
    for name, is_dir in sorted(listed, key=lambda entry: entry[0] + ("/" if entry[1] else "")):
        path = folder / name
        if is_dir:
            yield from walk_folder(path)
        elif _is_input(path) and path.is_file():
            yield path


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
            for entry in walk_folder(path):
                if isinstance(entry, FailedDocument):
                    yield entry
                else:
                    yield from read_path(entry, defaults)
        elif path.is_file():
            yield from read_path(path, defaults)
        else:
            yield FailedDocument(origin=spec, reason="not found: no such file or directory")


def count_inputs(inputs: Iterable[str]) -> int | None:
    """How many items ``iter_inputs`` will yield, counted cheaply, or None when it cannot be known
    in advance (standard input, WARC files). JSON Lines count their non-blank lines."""
    total = 0
    for spec in inputs:
        if spec == "-":
            return None
        path = Path(spec)
        paths: Iterable[Path | FailedDocument]
        if path.is_dir():
            paths = walk_folder(path)
        else:
            paths = [path]
        for entry in paths:
            if isinstance(entry, FailedDocument) or not entry.is_file():
                total += 1
            elif is_warc(entry):
                return None
            elif input_suffix(entry) in JSONL_SUFFIXES:
                total += _count_lines(entry)
            else:
                total += 1
    return total


def _count_lines(path: Path) -> int:
    try:
        with open_input(path) as handle:
            return sum(1 for line in _split_lines(_file_chunks(handle)) if line.strip())
    except (OSError, EOFError, zlib.error):
        return 1


def sample_articles_path() -> Path:
    """The bundled demo corpus (articles written for Legation)."""
    return Path(__file__).resolve().parent / "data" / "samples" / "articles.jsonl"
