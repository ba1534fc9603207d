"""Relation changes between actors: from events, merged across reports, as timelines."""
