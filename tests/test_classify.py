"""The learned fallback for event types: naive Bayes over stems, trained from shipped examples."""
from __future__ import annotations

from legation.events.classify import features, train, type_classifier


def test_features_are_stems_and_bigrams() -> None:
    assert features("Troops shelled the villages") == ["troop", "shell", "village", "troop_shell", "shell_village"]


def test_training_and_prediction_on_a_tiny_set() -> None:
    model = train([
        ("Rebels shelled the town and killed civilians", "ASSAULT"),
        ("Gunmen attacked a police post, killing three", "ASSAULT"),
        ("Thousands marched through the capital to protest the vote", "PROTEST"),
        ("Students rallied outside parliament in protest", "PROTEST"),
    ])
    label, probability = model.predict("Militants shelled a village and killed two")
    assert label == "ASSAULT" and 0.5 < probability <= 1.0
    assert model.predict("Workers marched in protest")[0] == "PROTEST"


def test_shipped_examples_cover_every_type() -> None:
    model = type_classifier()
    assert model is not None, "legation/data/events/type_examples.jsonl is shipped with Legation"
    assert len(model.priors) == 16
