from __future__ import annotations

import json
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture
def shared() -> Path:
    if not SHARED.exists():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A small folder of inputs in every supported form, one of them broken."""
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("Gondor and Rohan restored ties on Monday, five years after the break.", encoding="utf-8")
    (folder / "sub" / "b.html").write_text(
        "<html><head><title>Envoy named</title></head><body><nav>Home | World | Sport</nav>"
        "<article><h1>Envoy named</h1><p>Gondor named an envoy to Rohan on Sept. 11, the foreign ministry said "
        "in a statement issued in the capital. The appointment ends a freeze that began in 2018, when both "
        "governments recalled their ambassadors after a border dispute.</p>"
        "<p>Officials said the envoy would present credentials next week.</p></article>"
        "<footer>Copyright 2023 Example Media</footer></body></html>", encoding="utf-8")
    rows = [
        {"id": "r1", "text": "The talks lasted three hours on Friday.", "title": "Talks", "published": "2023-09-15", "publisher": "Wire"},
        {"id": "r2", "text": "   "},
        {"id": "r3", "title": "no text field"},
    ]
    lines = [json.dumps(r) for r in rows] + ["{not json"]
    (folder / "c.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "bad.txt").write_bytes(b"\xff\xfe\xfa broken \x81 bytes")
    (folder / "ignored.bin").write_bytes(b"\x00\x01")
    return folder


@pytest.fixture
def old_store(tmp_path: Path):
    """A factory of stores as an older Legation left them: ``old_store(5)`` gives an open DuckDB
    connection to a file at schema version 5 (returned with its path), for migration tests."""
    import duckdb

    from legation.store import MIGRATIONS

    def make(version: int, name: str = "old.duckdb"):
        path = tmp_path / name
        con = duckdb.connect(str(path))
        con.execute("CREATE TABLE schema_version (version INTEGER, applied_at TIMESTAMP)")
        for number, ddl in MIGRATIONS:
            if number <= version:
                con.execute(ddl)
                con.execute("INSERT INTO schema_version VALUES (?, now())", [number])
        return con, path

    return make
