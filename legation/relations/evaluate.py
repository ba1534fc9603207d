"""``legation eval relations FILE``: relation changes scored against hand-written gold (JSON lines).

Each line: ``{"id", "text", "published", "category", "changes": [{"a", "b", "change", "by", "date"}]}``.
A predicted change matches a gold one when the pair (either order), the change and the date at the
gold's precision agree (strict); ``day`` counts the gold changes dated to the day whose predicted
date is that day. Sets written by this team are regression tests, not accuracy figures.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import typer

from legation.evaluation.metrics import PRF


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    day_gold: int = 0
    day_hit: int = 0

    def scores(self) -> dict[str, float | int]:
        counts = PRF(tp=self.tp, predicted=self.tp + self.fp, gold=self.tp + self.fn)
        precision, recall, f1 = counts.precision, counts.recall, counts.f1
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(precision, 3), "recall": round(recall, 3),
                "f1": round(f1, 3), "day_precise": f"{self.day_hit}/{self.day_gold}"}


@dataclass
class RelationScore:
    overall: Tally = field(default_factory=Tally)
    by_category: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    errors: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"overall": self.overall.scores(),
                "by_category": {c: t.scores() for c, t in sorted(self.by_category.items())},
                "errors": self.errors}


def load_items(path: Path) -> list[dict[str, Any]]:
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"[E081] {path}:{number} is not JSON ({exc.msg}); one object per line") from None
        if "text" not in item or "changes" not in item:
            raise ValueError(f"[E082] {path}:{number} needs 'text' and 'changes'")
        items.append(item)
    return items


def _key(change: dict[str, Any]) -> tuple[str, str, str]:
    a, b = sorted((change["a"], change["b"]))
    return a, b, change["change"]


def score_item(item: dict[str, Any], predicted: list[dict[str, Any]], score: RelationScore) -> None:
    category = item.get("category", "other")
    tallies = (score.overall, score.by_category[category])
    mine = [p for p in predicted if p.get("kind", "diplomatic") == "diplomatic"]
    used: set[int] = set()
    for gold in item["changes"]:
        gold_date = str(gold.get("date") or "")
        match = next((i for i, p in enumerate(mine) if i not in used and _key(p) == _key(gold)
                      and str(p.get("date") or "").startswith(gold_date)), None)
        day = len(gold_date) == 10
        for tally in tallies:
            tally.day_gold += day
        if match is None:
            for tally in tallies:
                tally.fn += 1
            score.errors.append({"id": item.get("id"), "kind": "missed", "gold": gold})
            continue
        used.add(match)
        for tally in tallies:
            tally.tp += 1
            tally.day_hit += day and mine[match].get("date") == gold_date
    for i, p in enumerate(mine):
        if i not in used:
            for tally in tallies:
                tally.fp += 1
            score.errors.append({"id": item.get("id"), "kind": "spurious",
                                 "predicted": {k: p.get(k) for k in ("a", "b", "change", "by", "date")}})


def score_items(items: list[dict[str, Any]], analyses: list[dict[str, Any]]) -> RelationScore:
    score = RelationScore()
    for item, analysis in zip(items, analyses):
        score_item(item, analysis.get("relation_changes", []), score)
    return score


def format_report(result: dict[str, Any]) -> str:
    lines = ["set           tp  fp  fn  P      R      F1     day"]
    rows = [("overall", result["overall"])] + list(result["by_category"].items())
    for name, s in rows:
        lines.append(f"{name:<13} {s['tp']:>3} {s['fp']:>3} {s['fn']:>3}  {s['precision']:.3f}  {s['recall']:.3f}  "
                     f"{s['f1']:.3f}  {s['day_precise']}")
    return "\n".join(lines)


def register_eval_relations(eval_app: typer.Typer) -> None:
    @eval_app.command("relations")
    def eval_relations(
        gold: Path = typer.Argument(..., exists=True, dir_okay=False, help="Relation-change gold (JSON lines)."),
        as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
        errors: bool = typer.Option(False, "--errors", help="List every miss and spurious change."),
        model: Optional[str] = typer.Option(None, "--model", help="spaCy pipeline to use."),
    ) -> None:
        """Score relation changes (pair, change, date) on hand-written gold sentences."""
        from legation.pipeline import Pipeline
        from legation.records import Document

        try:
            items = load_items(gold)
        except ValueError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(2) from None
        pipeline = Pipeline(model=model)
        documents = [Document(text=i["text"], published=i.get("published"), source_id=i.get("id")) for i in items]
        analyses = [a.to_dict() for a in pipeline.analyze_documents(documents)]
        result = score_items(items, analyses).to_dict()
        if not errors:
            result.pop("errors")
        if as_json:
            typer.echo(json.dumps(result, indent=2))
            return
        typer.echo(format_report(result))
        for error in result.get("errors", []):
            typer.echo(json.dumps(error))
