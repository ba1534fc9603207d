"""The extractor's working record of an event: the ``Event`` it will output and what the
later passes (operator composition, repeats, main-event ranking, confidence) need to know
about how it was found. Only ``event`` leaves the extractor."""
from __future__ import annotations

from dataclasses import dataclass

from legation.records import Event


@dataclass
class Draft:
    event: Event
    # the trigger's token index in the Doc, and the index of the verb whose complement (xcomp,
    # ccomp) the trigger is, when it is one ("vowed to carry out attacks")
    token: int
    complement_of: int | None
    # the code before recoding: what an operator over the event composes with
    base: str
    # the lexicon entry's: a generic statement ("said", CAMEO 01) dropped before output; its
    # specificity (ranking's last keys); an entry of PETRARCH2's imported dictionary
    weak: bool = False
    specificity: int = 0
    imported: bool = False
    # features of confidence: a trigger whose sense the context decides, a noun trigger, and the
    # learned fallback's posterior (1.0 for a lexicon trigger)
    ambiguous: bool = False
    noun: bool = False
    probability: float = 1.0
