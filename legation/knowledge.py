"""Access to the knowledge files shipped in ``legation/data``.

Knowledge lives in YAML so users can read and extend it without touching code;
``LEGATION_DATA`` may point to a folder whose files override the bundled ones.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DATA_DIR = Path(__file__).resolve().parent / "data"


def data_path(name: str) -> Path:
    """Path of a knowledge file, preferring an override in ``$LEGATION_DATA``."""
    override = os.environ.get("LEGATION_DATA")
    if override:
        candidate = Path(override) / name
        if candidate.exists():
            return candidate
    return DATA_DIR / name


@lru_cache(maxsize=None)
def load_yaml(name: str) -> Any:
    path = data_path(name)
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_LOADER)
    except FileNotFoundError as exc:
        raise FileNotFoundError(f"[E001] knowledge file {name!r} not found at {path}") from exc
    except yaml.YAMLError as exc:
        raise ValueError(f"[E002] knowledge file {path} is not valid YAML: {exc}") from exc
