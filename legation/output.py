"""Shared output formats for list commands: table, json, jsonl, csv."""
from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import IO, Any


class Format(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


def _default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "to_dict"):
        return value.to_dict()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def dumps(value: Any, indent: int | None = None) -> str:
    return json.dumps(value, ensure_ascii=False, default=_default, indent=indent)


def emit(rows: Sequence[dict[str, Any]], fmt: Format | str, *, columns: Sequence[str] | None = None,
         title: str | None = None, stream: IO[str] | None = None) -> None:
    stream = stream or sys.stdout
    fmt = Format(fmt)
    columns = list(columns or (rows[0].keys() if rows else []))
    if fmt is Format.json:
        stream.write(dumps([{c: r.get(c) for c in columns} for r in rows], indent=2) + "\n")
    elif fmt is Format.jsonl:
        for row in rows:
            stream.write(dumps({c: row.get(c) for c in columns}) + "\n")
    elif fmt is Format.csv:
        writer = csv.writer(stream)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else _cell(row.get(c)) for c in columns])
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=title, show_lines=False)
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*("" if row.get(c) is None else _cell(row.get(c)) for c in columns))
        Console(file=stream, width=max(100, Console().width)).print(table)


def _cell(value: Any) -> str:
    if isinstance(value, (list, dict)):
        return dumps(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)
