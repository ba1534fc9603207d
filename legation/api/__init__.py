"""HTTP API and web page over a Legation store (``legation serve``)."""
from __future__ import annotations

from typing import Any


def create_app(db_path: Any, token: str | None = None, analysis_process: bool = False) -> Any:
    """The FastAPI app over the store at ``db_path`` (see ``legation.api.app.create_app``)."""
    from legation.api.app import create_app as _create_app

    return _create_app(db_path, token=token, analysis_process=analysis_process)


__all__ = ["create_app"]
