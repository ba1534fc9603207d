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
