"""A registry of named pipeline stages, so users can swap or add stages.

A stage is a function ``stage(analysis, doc)`` that reads the parsed spaCy ``Doc``
(or None for stages that declare ``needs_parse=False``) and fills its part of the
``Analysis``. Stages run in the order given to the pipeline.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from legation.records import Analysis

StageFunction = Callable[[Analysis, Any], None]


@dataclass(frozen=True)
class Stage:
    name: str
    function: StageFunction
    needs_parse: bool = True
    requires: tuple[str, ...] = ()
    description: str = ""


_STAGES: dict[str, Stage] = {}


def register_stage(name: str, *, needs_parse: bool = True, requires: tuple[str, ...] = (),
                   description: str = "") -> Callable[[StageFunction], StageFunction]:
    """Decorator: ``@register_stage("times", needs_parse=False)``."""

    def decorator(function: StageFunction) -> StageFunction:
        _STAGES[name] = Stage(name, function, needs_parse, requires, description or (function.__doc__ or "").strip().split("\n")[0])
        return function

    return decorator


def get_stage(name: str) -> Stage:
    _load_builtin_stages()
    try:
        return _STAGES[name]
    except KeyError:
        known = ", ".join(sorted(_STAGES)) or "none"
        raise KeyError(f"[E020] no stage named {name!r}; registered stages: {known}") from None


def registered_stages() -> list[Stage]:
    _load_builtin_stages()
    return list(_STAGES.values())


def _load_builtin_stages() -> None:
    # importing the stage modules registers them
    import legation.stages  # noqa: F401
