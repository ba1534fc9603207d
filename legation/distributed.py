"""Analysis on a Ray cluster: Ray Data over an actor pool, Parquet parts, one load into DuckDB.

``ingest_ray`` reads the inputs in the driver (the same reading and skipping of stored
documents as ``legation ingest``), sends the new documents through Ray Data's
``map_batches`` to a pool of actors that each load the spaCy model and build the
matchers once, and each actor writes the rows of its batch as Parquet parts, one file
per table (``legation.writer.SCHEMAS``), into a parts folder. The driver then loads all
parts of a round into the DuckDB store in one transaction with the batch writer, which
also recomputes the derived rows (relation changes, event clusters) of the touched keys.
The parts can be kept (``parts=``) as a Parquet dataset for DuckDB or Spark.

On a remote cluster the parts folder must be reachable by the actors and the driver (a
shared file system), and the actors need Legation installed (cluster image, or Ray's
``runtime_env``). Requires the optional extra ``legation[ray]``.
"""
from __future__ import annotations

import dataclasses
import json
import tempfile
import uuid
from collections.abc import Iterable
from itertools import islice
from pathlib import Path
from typing import Any

from legation.records import Document

DEFAULT_ROUND = 2000  # documents per Ray dataset (bounds the driver's memory)


class RayNotInstalled(RuntimeError):
    pass


def _ray() -> Any:
    try:
        import ray
    except ImportError:
        raise RayNotInstalled("[E060] Ray is not installed; install it with `pip install 'legation[ray]'`") from None
    return ray


class AnalyzeActor:
    """A Ray Data actor: the pipeline is built once; each batch becomes Parquet parts."""

    def __init__(self, stages: list[str], model: str | None, parts: str):
        from legation.parallel import _start_worker

        _start_worker(stages, model)
        self.parts = Path(parts)

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        import pyarrow.parquet as pq

        from legation import parallel
        from legation.writer import SCHEMAS, Rows, _now, add_analysis

        documents = [Document(**json.loads(doc)) for doc in batch["doc"]]
        analyses, model = parallel._analyze_chunk(documents, 32)
        rows = Rows()
        now = _now()
        for analysis in analyses:
            add_analysis(rows, analysis, model, now)
        name = f"part-{uuid.uuid4().hex}.parquet"
        for table in SCHEMAS:
            if rows.size(table):
                folder = self.parts / table
                folder.mkdir(parents=True, exist_ok=True)
                pq.write_table(rows.arrow(table), folder / name)
        return {"doc_id": [a.document.id for a in analyses], "part": [name] * len(analyses),
                "model": [model] * len(analyses)}


def load_parts(store: Any, parts: Path, names: Iterable[str], model: str | None = None) -> None:
    """Load the Parquet parts of one round into the store in one transaction."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from legation.writer import SCHEMAS, BatchWriter

    names = sorted(set(names))
    tables = {}
    for table, schema in SCHEMAS.items():
        files = [parts / table / name for name in names if (parts / table / name).exists()]
        pieces = [pq.read_table(file, schema=schema) for file in files]
        tables[table] = pa.concat_tables(pieces) if pieces else schema.empty_table()
    BatchWriter(store, model).write_tables(tables)


def ingest_ray(store: Any, items: Iterable[Any], pipeline: Any, *, address: str | None = None, actors: int = 2,
               batch_documents: int = 8, reanalyze: bool = False, parts: str | Path | None = None,
               round_documents: int = DEFAULT_ROUND, progress: Any = None) -> dict[str, Any]:
    """Analyse and store documents on a Ray cluster (``address``: None starts a local one,
    "auto" joins the running cluster, "ray://host:10001" a remote one). Same summary and
    same rows as ``legation.store.ingest``."""
    from legation.store import _new_documents
    from legation.writer import BatchWriter

    ray = _ray()
    started_here = False
    summary: dict[str, Any] = {"new": 0, "unchanged": 0, "failed": 0, "stage_errors": 0, "failures": []}
    writer = BatchWriter(store, None)  # failed inputs
    temporary = None if parts else tempfile.TemporaryDirectory(prefix="legation-parts-")
    folder = Path(parts or temporary.name)  # type: ignore[union-attr]
    stages = [stage.name for stage in pipeline.stages]
    try:
        documents = iter(_new_documents(store, items, summary, writer, reanalyze, progress))
        while True:
            chunk = list(islice(documents, round_documents))
            if not chunk:
                break
            if not ray.is_initialized():
                ray.init(address=address, include_dashboard=False, log_to_driver=False, configure_logging=False)
                started_here = True
            dataset = ray.data.from_items([{"doc": json.dumps(dataclasses.asdict(d))} for d in chunk])
            results = dataset.map_batches(AnalyzeActor, fn_constructor_args=(stages, pipeline._model_name, str(folder)),
                                          concurrency=actors, batch_size=batch_documents, num_cpus=1).take_all()
            model = next((r["model"] for r in results), None)
            load_parts(store, folder, [r["part"] for r in results], model)
            summary["new"] += len(results)
            if progress is not None:
                for _ in results:
                    progress()
            errors = store.con.execute(
                "SELECT count(*) FROM documents WHERE stage_errors IS NOT NULL AND id IN (SELECT unnest(?))",
                [[r["doc_id"] for r in results]]).fetchone()[0]
            summary["stage_errors"] += errors
        writer.flush()
    finally:
        if temporary is not None:
            temporary.cleanup()
        if started_here:
            ray.shutdown()
    return summary
