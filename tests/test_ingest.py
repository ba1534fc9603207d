from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from legation.ingest import iter_inputs, normalize_published, sample_articles_path
from legation.records import Document, FailedDocument


def test_reads_every_form_and_keeps_failures(corpus: Path) -> None:
    items = list(iter_inputs([str(corpus)], published="2023-09-14"))
    ok = [i for i in items if isinstance(i, Document)]
    failed = [i for i in items if isinstance(i, FailedDocument)]
    assert len(ok) == 3
    reasons = sorted(f.reason.split(":")[0] for f in failed)
    assert reasons == ["empty", "invalid JSON", "invalid record", "undecodable"]
    by_source = {d.source_id: d for d in ok}
    assert by_source["r1"].published == "2023-09-15"  # its own date beats the default
    assert by_source["r1"].publisher == "Wire"


def test_html_boilerplate_removed(corpus: Path) -> None:
    [doc] = list(iter_inputs([str(corpus / "sub" / "b.html")]))
    assert isinstance(doc, Document)
    assert "Gondor named an envoy" in doc.text
    assert "Home | World" not in doc.text and "Copyright" not in doc.text


def test_document_id_is_content_hash(corpus: Path) -> None:
    first = list(iter_inputs([str(corpus / "a.txt")]))[0]
    again = list(iter_inputs([str(corpus / "a.txt")]))[0]
    assert first.id == again.id and len(first.id) == 16


def test_stdin_text_and_jsonl() -> None:
    [text_doc] = list(iter_inputs(["-"], stdin=io.BytesIO(b"Talks resumed on Monday.")))
    assert text_doc.text == "Talks resumed on Monday."
    lines = "\n".join(json.dumps({"id": f"s{i}", "text": f"Text {i} in 2020."}) for i in range(3))
    docs = list(iter_inputs(["-"], stdin=io.BytesIO(lines.encode())))
    assert [d.source_id for d in docs] == ["s0", "s1", "s2"]


def test_missing_file_is_a_failure_not_a_crash(tmp_path: Path) -> None:
    [item] = list(iter_inputs([str(tmp_path / "nope.txt")]))
    assert isinstance(item, FailedDocument) and item.reason.startswith("not found")


def test_offsets_untouched_by_ingest() -> None:
    text = "  Leading spaces\r\nand CRLF line ends — kept as given.  "
    [doc] = list(iter_inputs(["-"], stdin=io.BytesIO(text.encode())))
    assert doc.text == text


@pytest.mark.parametrize("value, expected", [
    ("2023-09-14", "2023-09-14"), ("2023-09-14T10:00:00Z", "2023-09-14"), (None, None), ("", None)])
def test_normalize_published(value: object, expected: str | None) -> None:
    assert normalize_published(value) == expected


def test_bad_published_date_fails_that_document_only() -> None:
    lines = "\n".join([json.dumps({"text": "A.", "published": "yesterday-ish"}), json.dumps({"text": "B."})])
    items = list(iter_inputs(["-"], stdin=io.BytesIO(lines.encode())))
    assert isinstance(items[0], FailedDocument) and "ISO date" in items[0].reason
    assert isinstance(items[1], Document)


def test_sample_corpus_is_complete() -> None:
    rows = [json.loads(line) for line in sample_articles_path().read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 12
    for row in rows:
        assert row["text"].strip() and row["title"] and row["publisher"]
        normalize_published(row["published"])


# --- reliability of reading (issue 14) ------------------------------------------------------------
def _read(data: bytes) -> list[Document | FailedDocument]:
    return list(iter_inputs(["-"], stdin=io.BytesIO(data)))


def test_jsonl_lines_end_at_newline_only() -> None:
    texts = ["Talks\u2028resumed in Paris on Monday.", "A second\u0085article\x0cwith odd separators.",
             "Third\u2029one\x1c\x1d\x1e here."]
    data = "\n".join(json.dumps({"id": f"u{i}", "text": t}, ensure_ascii=False) for i, t in enumerate(texts))
    items = _read(data.encode("utf-8"))
    assert [type(i).__name__ for i in items] == ["Document"] * 3
    assert [i.text for i in items] == texts


def test_lone_surrogate_is_cleaned_with_offsets_kept() -> None:
    line = '{"id": "s1", "title": "T\\udc00", "text": "Myanmar \\ud800 and North Korea met on Monday."}'
    [doc] = _read(line.encode())
    assert isinstance(doc, Document)
    assert doc.text == "Myanmar \ufffd and North Korea met on Monday." and doc.title == "T\ufffd"
    assert len(doc.text) == len(json.loads(line)["text"])
    assert any("surrogate" in w for w in doc.warnings)
    doc.text.encode("utf-8")  # storable


@pytest.mark.parametrize("field, value", [("id", {"nested": 1}), ("id", True), ("title", ["a"]), ("url", 3),
                                          ("publisher", {"a": 1}), ("published", 20230101)])
def test_wrong_typed_fields_fail_with_reason(field: str, value: object) -> None:
    good = json.dumps({"id": "g", "text": "Talks resumed on Monday."})
    bad = json.dumps({"id": "b", "text": "Talks resumed on Tuesday.", field: value})
    items = _read(f"{good}\n{bad}\n{good.replace('Monday', 'Friday')}".encode())
    assert [type(i).__name__ for i in items] == ["Document", "FailedDocument", "Document"]
    assert f'"{field}" must be a string' in items[1].reason


def test_numeric_id_is_kept_as_text() -> None:
    [doc] = _read(json.dumps({"id": 42, "text": "Talks resumed."}).encode())
    assert doc.source_id == "42"


@pytest.mark.parametrize("value", ["2023-01-01garbage", "2023-13-01", "2023-01-01T25:00", "20230101x"])
def test_published_must_be_a_whole_date(value: str) -> None:
    with pytest.raises(ValueError):
        normalize_published(value)


HTML_NO_DATE = ("<html><head><title>Deal signed</title></head><body><nav>Home | World</nav><article><h1>Deal signed</h1>"
                "<p>The two countries signed an agreement on trade on Monday, ending a dispute that began in 1998, "
                "officials said.</p><p>Talks had stalled since January 1, 1998, when the previous accord lapsed and "
                "both sides imposed tariffs on steel.</p></article></body></html>")


def test_html_date_from_metadata_only(tmp_path: Path) -> None:
    page = tmp_path / "a.html"
    page.write_text(HTML_NO_DATE, encoding="utf-8")
    [doc] = list(iter_inputs([str(page)]))
    assert isinstance(doc, Document) and doc.published is None
    assert any("no publication date" in w for w in doc.warnings)
    dated = tmp_path / "b.html"
    dated.write_text(HTML_NO_DATE.replace("<title>", '<meta property="article:published_time" '
                                          'content="2023-03-10T08:00:00Z"><title>'), encoding="utf-8")
    [doc] = list(iter_inputs([str(dated)]))
    assert doc.published == "2023-03-10" and not doc.warnings
    [doc] = list(iter_inputs([str(page)], published="2023-03-11"))  # a default is not a guess
    assert doc.published == "2023-03-11" and not doc.warnings


def test_html_with_only_navigation_fails(tmp_path: Path) -> None:
    page = tmp_path / "nav.html"
    page.write_text("<html><head><title>Site</title></head><body><nav><a href='/'>Home</a></nav><div>Home</div>"
                    "</body></html>", encoding="utf-8")
    [item] = list(iter_inputs([str(page)]))
    assert isinstance(item, FailedDocument) and item.reason.startswith("no article text")


class _CountingStream(io.BytesIO):
    def __init__(self, data: bytes):
        super().__init__(data)
        self.served = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.served += len(chunk)
        return chunk


def test_stdin_jsonl_is_streamed() -> None:
    line = json.dumps({"text": "Talks resumed on Monday. " * 40})
    data = "\n".join(line.replace("Monday", f"day {i}") for i in range(2000)).encode()
    stream = _CountingStream(data)
    items = iter_inputs(["-"], stdin=stream)
    first = next(items)
    assert isinstance(first, Document)
    assert stream.served < len(data) / 10  # the first document came before the whole input was read
    assert sum(1 for _ in items) == 1999


def test_jsonl_file_is_streamed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.jsonl"
    path.write_text("\n".join(json.dumps({"text": f"Item {i} of the feed."}) for i in range(3000)), encoding="utf-8")
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("whole-file read"))
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: pytest.fail("whole-file read"))
    assert sum(1 for _ in iter_inputs([str(path)])) == 3000


def test_count_inputs_matches_what_is_read(corpus: Path) -> None:
    from legation.ingest import count_inputs

    assert count_inputs([str(corpus)]) == len(list(iter_inputs([str(corpus)])))
    assert count_inputs([str(corpus / "c.jsonl"), str(corpus / "a.txt")]) == 5
    assert count_inputs(["-"]) is None


def test_unreadable_folder_is_recorded(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    real = os.scandir
    blocked = str(corpus / "sub")

    def scandir(path: object) -> object:
        if str(path) == blocked:
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    items = list(iter_inputs([str(corpus)]))
    failures = [i for i in items if isinstance(i, FailedDocument) and i.origin == blocked]
    assert len(failures) == 1 and failures[0].reason == "unreadable folder: Permission denied"
    assert any(isinstance(i, Document) and i.origin == str(corpus / "a.txt") for i in items)


@pytest.mark.parametrize("text, language", [
    ("缅甸和朝鲜周一恢复了外交关系。两国外交部在仰光发表联合声明，表示将互派大使。", "zh"),
    ("استأنفت ميانمار وكوريا الشمالية العلاقات الدبلوماسية يوم الاثنين بعد قطيعة طويلة.", "ar"),
    ("မြန်မာနှင့် မြောက်ကိုရီးယား သံတမန်ဆက်ဆံရေး ပြန်လည်စတင်ခဲ့သည်။", "my"),
    ("Le gouvernement français a annoncé lundi la reprise des relations diplomatiques avec le Brésil, "
     "a indiqué le ministère des affaires étrangères dans un communiqué publié à Paris.", "fr"),
    ("Merkel met Macron in Berlin.", "en"), ("Talks resumed.", "en"),
], ids=["zh", "ar", "my", "fr", "en-names", "en-short"])
def test_language_detected_and_extraction_english_only(text: str, language: str) -> None:
    [doc] = _read(json.dumps({"text": text}, ensure_ascii=False).encode())
    assert doc.language == language
    assert any("English-only" in w for w in doc.warnings) == (language != "en")


def test_sample_articles_are_english() -> None:
    assert {d.language for d in iter_inputs([str(sample_articles_path())])} == {"en"}


def test_warc_responses_become_documents(tmp_path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for url, body, kind in [("https://example.org/a", HTML_NO_DATE, "text/html; charset=utf-8"),
                                ("https://example.org/b.png", "\x89PNG", "image/png")]:
            headers = StatusAndHeaders("200 OK", [("Content-Type", kind)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body.encode("utf-8")),
                                                          http_headers=headers))
    items = list(iter_inputs([str(path)]))
    assert len(items) == 1 and isinstance(items[0], Document)
    assert items[0].url == "https://example.org/a" and "signed an agreement" in items[0].text
    (tmp_path / "bad.warc").write_bytes(b"not a warc at all")
    [bad] = list(iter_inputs([str(tmp_path / "bad.warc")]))
    assert isinstance(bad, FailedDocument) and "WARC" in bad.reason


def test_gzip_inputs_read_like_their_inner_files(corpus: Path, tmp_path: Path) -> None:
    """"articles.jsonl.gz", "note.txt.gz", "page.html.gz": decompressed as read, in folders too; a
    damaged archive is a failure with its reason, and the batch goes on."""
    import gzip

    from legation.ingest import count_inputs

    folder = tmp_path / "gz"
    folder.mkdir()
    for name in ("c.jsonl", "a.txt"):
        (folder / f"{name}.gz").write_bytes(gzip.compress((corpus / name).read_bytes()))
    (folder / "b.html.gz").write_bytes(gzip.compress((corpus / "sub" / "b.html").read_bytes()))
    (folder / "cut.jsonl.gz").write_bytes(gzip.compress((corpus / "c.jsonl").read_bytes())[:40])
    (folder / "notgzip.txt.gz").write_bytes(b"plain text, not compressed")
    (folder / "other.gz").write_bytes(gzip.compress(b"no inner suffix"))  # not an input: skipped

    plain = list(iter_inputs([str(corpus / "c.jsonl"), str(corpus / "a.txt"), str(corpus / "sub" / "b.html")]))
    items = list(iter_inputs([str(folder)]))
    docs = [i for i in items if isinstance(i, Document)]
    failed = [i for i in items if isinstance(i, FailedDocument)]
    assert sorted(d.text for d in docs) == sorted(i.text for i in plain if isinstance(i, Document))
    reasons = {Path(f.origin.split(":")[0]).name: f.reason for f in failed}
    assert reasons["cut.jsonl.gz"].startswith("unreadable") and reasons["notgzip.txt.gz"].startswith("unreadable")
    assert count_inputs([str(folder / "c.jsonl.gz")]) == 4  # the non-blank lines inside
