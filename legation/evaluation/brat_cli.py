"""``legation eval quotes DIR``: quote attribution scores on brat gold (see :mod:`legation.evaluation.brat`)."""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Callable, Optional

import typer


def cached_parser(nlp: Any, cache: Path | None) -> Callable[[str], Any]:
    """text -> spaCy Doc; with ``cache``, parses are kept there (one DocBin file per text
    and pipeline) so that repeated evaluations parse each text once."""
    if cache is None:
        return nlp
    import hashlib

    from spacy.tokens import DocBin

    cache.mkdir(parents=True, exist_ok=True)
    tag = f"{nlp.meta.get('name', '')}-{nlp.meta.get('version', '')}-{','.join(nlp.pipe_names)}"

    def parse(text: str) -> Any:
        key = hashlib.sha1((tag + "\0" + text).encode("utf-8")).hexdigest()
        path = cache / f"{key}.spacy"
        if path.exists():
            return next(iter(DocBin().from_disk(path).get_docs(nlp.vocab)))
        doc = nlp(text)
        DocBin(docs=[doc]).to_disk(path)
        return doc

    return parse


def default_extractor(model: str | None = None, cache: Path | None = None) -> Callable[[str], list[Any]]:
    """text -> quotes with the default pipeline: parse, the actor stage when there is one, quotes."""
    from legation.model import load_model
    from legation.quotes import extract_quotes
    from legation.records import Analysis, Document
    from legation.registry import get_stage

    nlp = cached_parser(load_model(model), cache)
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
                                         help="Folder of brat files: NAME.txt beside NAME.ann (Source, Cue, Content), "
                                              "or a PolNeAR folder: text/NAME.txt and attributions/NAME_ANNOTATOR.ann."),
        as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
        errors: bool = typer.Option(False, "--errors", help="List every miss, spurious quote and wrong speaker."),
        model: Optional[str] = typer.Option(None, "--model", help="spaCy pipeline to use (default: best installed English pipeline)."),
        cache: Optional[Path] = typer.Option(None, "--cache", file_okay=False,
                                             help="Keep the parses in this folder and reuse them on the next run."),
    ) -> None:
        """Quote attribution scores (content, speaker, end to end; all and direct) on brat gold."""
        from legation.evaluation.brat import evaluate_quotes, find_brat_documents, find_polnear_documents, format_report, is_polnear_layout

        if not (find_polnear_documents(directory) if is_polnear_layout(directory) else find_brat_documents(directory)):
            typer.echo(f"error: [E053] no .ann files with a .txt beside them (nor text/ and attributions/ folders) in "
                       f"{directory}: give a folder of brat files or a PolNeAR folder", err=True)
            raise typer.Exit(2)
        extractor = default_extractor(model, cache)
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
