"""Records for tests that need events without running the pipeline."""
from __future__ import annotations

from typing import Any

from legation.records import Event


def event_record(**fields: Any) -> Event:
    """An ``Event`` with the given fields; the others empty (no parties, no date, no trigger)."""
    values: dict[str, Any] = {
        "id": "", "type": None, "mode": None, "context": [], "cameo": None, "cameo_root": None, "quad_class": None,
        "goldstein": None, "source": [], "target": [], "target_defaulted": False, "source_defaulted": False,
        "switched_from": [], "date": {}, "location": None, "killed": None, "injured": None, "modality": None,
        "attributed_to": None, "trigger": {}, "evidence": {}, "relation": None, "mutual": False, "confidence": None,
        "method": "lexicon", "salience": 1.0,
    }
    values.update(fields)
    return Event(**values)
