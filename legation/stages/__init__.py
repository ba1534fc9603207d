"""Built-in pipeline stages; importing this package registers them."""
from legation.stages import actors, events, quotes, relations, times  # noqa: F401

DEFAULT_STAGES: tuple[str, ...] = ("times", "actors", "quotes", "events", "relations")
