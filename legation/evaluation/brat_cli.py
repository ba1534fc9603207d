"""``legation eval quotes DIR``: quote attribution scores on brat gold (see :mod:`legation.evaluation.brat`)."""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Callable, Optional

import typer


def default_extractor(model: str | None = None) -> Callable[[str], list[Any]]:
    """text -> quotes with the default pipeline: parse, the actor stage when there is one, quotes."""
    from legation.model import load_model
    from legation.quotes import extract_quotes
    from legation.records import Analysis, Document
    from legation.registry import get_stage

    nlp = load_model(model)
    try:
        actors_stage = get_stage("actors")
    except KeyError:
        actors_stage = None

    def extract(text: str) -> list[Any]:
        doc = nlp(text)
        actors: list[Any] = []
        if actors_stage is not None:
            analysis = Analysis(document=Document(text=text))
            try:
                actors_stage.function(analysis, doc)
                actors = list(analysis.actors)
            except Exception:  # the actor stage is optional here: score quotes without it
                actors = []
        return extract_quotes(doc, actors)

    return extract


def register_eval_quotes(eval_app: typer.Typer) -> None:
    """Add the ``quotes`` command to the ``legation eval`` typer app."""

    @eval_app.command("quotes")
    def eval_quotes(
        directory: Path = typer.Argument(..., exists=True, file_okay=False,
                                         help="Folder of brat files: NAME.txt beside NAME.ann (Source, Cue, Content)."),
        as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
        errors: bool = typer.Option(False, "--errors", help="List every miss, spurious quote and wrong speaker."),
        model: Optional[str] = typer.Option(None, "--model", help="spaCy pipeline to use (default: best installed English pipeline)."),
    ) -> None:
        """Quote attribution scores (content, speaker, end to end; all and direct) on brat gold."""
        from legation.evaluation.brat import evaluate_quotes, find_brat_documents, format_report

        if not find_brat_documents(directory):
            typer.echo(f"error: no .ann files with a .txt beside them in {directory}", err=True)
            raise typer.Exit(2)
        extractor = default_extractor(model)
        started = time.perf_counter()
        result = evaluate_quotes(directory, extractor)
        result.seconds = time.perf_counter() - started
        if as_json:
            typer.echo(json.dumps(result.to_dict(errors=errors), indent=2, ensure_ascii=False))
            return
        typer.echo(format_report(result))
        if errors:
            for document in result.documents:
                for error in document.errors:
                    typer.echo(json.dumps(dict(error, document=document.name), ensure_ascii=False))
