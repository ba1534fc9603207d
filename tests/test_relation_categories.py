"""Relation changes per category of the errors left on whole articles (sentences and short stories
written here in our own words; a regression check, not an accuracy figure), and the one anchor of
weekdays shared by the events and the relation changes."""
from __future__ import annotations

import pytest

from legation.pipeline import Pipeline
from legation.records import Document
from legation.timex import tag_times
from legation.timex.dateline import DATELINE_ANCHOR, dateline_day, tag_document_times

# id -> (published, text, expected changes as (a, b, change, by, date))
CASES: dict[str, tuple[str, str, list[tuple[str, str, str, str, str | None]]]] = {
    # a state, not a change: denied or held ties
    "state-denied": ("2024-02-15", "Tuvalu does not have diplomatic ties with China, officials said on Wednesday.", []),
    "state-since": ("2023-06-06", "Egypt, with which Iran has not had full relations since 1980, made no comment.", []),
    "state-held": ("2023-06-06", "Oman, which has maintained ties with Iran throughout, acted as a go-between.", []),
    # aimed at, not done; but a past "helped" is done
    "purpose-will-help": ("2023-03-12", "Officials called the agreement a move that will help restore ties between Iran and Saudi Arabia.", []),
    "purpose-pave": ("2023-03-12", "The talks in Baghdad were meant to pave the way to restore relations between Iran and Saudi Arabia.", []),
    "purpose-helped": ("2023-03-12", "Chinese diplomats helped restore ties between Iran and Saudi Arabia on Friday.",
                       [("IRN", "SAU", "restore", "IRN", "2023-03-10")]),
    # envoys of counted countries, named in a list after them
    "counted-envoys": ("2019-05-08", "Bolivia on Tuesday ordered diplomats from three neighbouring countries to leave within 48 hours. "
                       "The foreign ministry accused Chile, Peru and Paraguay of meddling in the vote count.",
                       [("BOL", "CHL", "expel", "BOL", "2019-05-07"), ("BOL", "PER", "expel", "BOL", "2019-05-07"),
                        ("BOL", "PRY", "expel", "BOL", "2019-05-07")]),
    "counted-envoys-unnamed": ("2019-05-08", "Bolivia on Tuesday ordered diplomats from three neighbouring countries to leave. "
                               "The foreign ministry accused Chile and Peru of meddling.", []),
    # "the envoys": those of the recall told before, with their hosts
    "envoys-anaphora": ("2022-05-07", "ROME, May 7 (Reuters) - Italy's recall of its ambassadors to Austria and Hungary deepened "
                        "the row, officials said on Saturday.\n\nThe government ordered the envoys home on Thursday evening "
                        "after the two capitals closed their borders.",
                        [("AUT", "ITA", "recall", "ITA", "2022-05-05"), ("HUN", "ITA", "recall", "ITA", "2022-05-05")]),
    # "her government" is the teller's
    "teller-government": ("2024-07-30", "Chile's foreign minister said on Monday her government was suspending relations with Caracas.",
                          [("CHL", "VEN", "suspend", "CHL", "2024-07-29")]),
    # the pair's history told elsewhere in the story decides establish or restore
    "history-restore": ("2015-06-03", "Chile and Bolivia established diplomatic relations on Tuesday. Bolivia broke off relations "
                        "with Chile in 1978 over access to the sea.",
                        [("BOL", "CHL", "restore", "CHL", "2015-06-02"), ("BOL", "CHL", "break", "BOL", "1978")]),
    "history-first": ("2015-06-03", "Bhutan and Japan established diplomatic relations for the first time on Tuesday. "
                      "Officials said the restoration of ties between Japan and Bhutan on Tuesday would bring aid.",
                      [("BTN", "JPN", "establish", "BTN", "2015-06-02")]),
    # an embassy reopened after the ties' restoration is told is no second restoration
    "embassy-reopened": ("2023-06-06", "Iran reopened its embassy in Riyadh on Tuesday. Saudi Arabia and Iran agreed in March "
                         "to restore diplomatic relations.", [("IRN", "SAU", "restore", "SAU", "2023-03")]),
    # a change that answers the clause it hangs on is with that clause's actor, at its time
    "answer-prompting": ("2019-09-20", "Vanuatu established ties with Taipei in March 2004, prompting China to break off relations.",
                         [("TWN", "VUT", "establish", "VUT", "2004-03"), ("CHN", "VUT", "break", "CHN", "2004-03")]),
    # hedged by an adverb
    "hedge-adverb": ("2023-06-06", "Bahrain has held contacts with Tehran about possibly restoring relations.", []),
    # the country the envoys must leave expels them when the one who ordered it has no country
    "leave-country": ("2001-03-23", "An aide on Wednesday ordered four Cuban diplomats to leave Mexico within 72 hours.",
                      [("CUB", "MEX", "expel", "MEX", "2001-03-21")]),
    # "they" with no partner named: the pair the story is telling of
    "pair-pronoun": ("2021-08-25", "Algeria broke off relations with Morocco on Tuesday. The two neighbours have long been rivals. "
                     "They restored relations in May 1988 after a long break.",
                     [("DZA", "MAR", "break", "DZA", "2021-08-24"), ("DZA", "MAR", "restore", "DZA", "1988-05")]),
    # the owner of ties acted on in the passive; a time on the noun a change is the aim of
    "passive-owner": ("2017-06-06", "Qatar's relations with Egypt, which were broken off in 2013, were restored in 2021.",
                      [("EGY", "QAT", "break", "QAT", "2013"), ("EGY", "QAT", "restore", "QAT", "2021")]),
    "decision-to": ("2024-03-08", "Argentina's decision on Monday to expel three Iranian diplomats angered Tehran.",
                    [("ARG", "IRN", "expel", "ARG", "2024-03-04")]),
    "joined-in": ("2017-06-06", "Mauritania joined them later on Tuesday in cutting ties with Qatar.",
                  [("MRT", "QAT", "break", "MRT", "2017-06-06")]),
    # a capital stands for the state of its time
    "former-state": ("1968-05-10", "Moscow recalled its ambassador from Belgrade on Thursday, and Prague expelled two Yugoslav "
                     "diplomats.", [("SUN", "YUG", "recall", "SUN", "1968-05-09"), ("CSK", "YUG", "expel", "CSK", "1968-05-09")]),
    "former-state-later": ("2008-05-10", "Moscow recalled its ambassador from Belgrade on Thursday.",
                           [("RUS", "SRB", "recall", "RUS", "2008-05-08")]),
    # weekdays count back from the dateline's day, not from the (later) publication day
    "dateline-weekday": ("2021-03-20", "DUBAI, March 11 (Reuters) - Saudi Arabia expelled the Iranian ambassador on Tuesday, "
                         "officials said.", [("IRN", "SAU", "expel", "SAU", "2021-03-09")]),
}


@pytest.fixture(scope="module")
def analyses() -> dict[str, object]:
    pipeline = Pipeline()
    documents = [Document(text=text, published=published, source_id=key) for key, (published, text, _) in CASES.items()]
    return dict(zip(CASES, pipeline.analyze_documents(documents)))


@pytest.mark.parametrize("key", sorted(CASES))
def test_category(key: str, analyses: dict) -> None:
    found = sorted((c["a"], c["b"], c["change"], c["by"], c["date"]) for c in analyses[key].to_dict()["relation_changes"])
    assert found == sorted(CASES[key][2]), key


def test_events_and_relations_date_a_weekday_from_the_dateline(analyses: dict) -> None:
    analysis = analyses["dateline-weekday"]
    expel = [e for e in analysis.events if e.cameo and e.cameo.startswith("16")]
    assert [e.date["value"] for e in expel] == ["2021-03-09"]  # not the dateline's own day, not the week of publication
    assert [c["date"] for c in analysis.to_dict()["relation_changes"]] == ["2021-03-09"]


def test_document_times_take_the_dateline_day_as_anchor() -> None:
    text = "BEIJING, Jan 24 (Reuters) - China and Nauru resumed relations on Wednesday, nine days after Nauru cut ties."
    plain = {t.text: t for t in tag_times(text, "2024-02-02")}
    anchored = {t.text: t for t in tag_document_times(text, "2024-02-02")}
    assert dateline_day(text, list(plain.values())) == "2024-01-24"
    assert plain["Wednesday"].value == "2024-01-31" and anchored["Wednesday"].value == "2024-01-24"
    assert anchored["Wednesday"].anchor == DATELINE_ANCHOR
    assert anchored["Jan 24"].value == "2024-01-24" and anchored["Jan 24"].anchor == plain["Jan 24"].anchor
    # no dated dateline, or one on the publication day: the values are those of the publication date
    undated = "BEIJING (Reuters) - China and Nauru resumed relations on Wednesday."
    assert tag_document_times(undated, "2024-02-02") == tag_times(undated, "2024-02-02")
    assert tag_document_times(text, "2024-01-24") == tag_times(text, "2024-01-24")
