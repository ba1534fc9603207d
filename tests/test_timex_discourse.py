"""Tense, sentence bounds, composites, references and spurious marks, on hand-written sentences."""
from __future__ import annotations

import pytest

from legation.timex import tag_times
from legation.timex.tagger import TaggingContext, _compiled


def values(text: str, published: str) -> list[tuple[str, str | None]]:
    return [(t.text, t.value) for t in tag_times(text, published)]


@pytest.mark.parametrize("sentence, published, expected", [
    # a modal of the future in reported speech
    ("Mr. Lee said the vote would be held on Saturday.", "2023-09-14", [("Saturday", "2023-09-16")]),
    ("Farmers were planning a march on Monday.", "2023-09-14", [("Monday", "2023-09-18")]),
    # a past reporting verb does not send a deadline a year back
    ("The agency said the family must leave by Jan. 14.", "2024-01-05", [("Jan. 14", "2024-01-14")]),
    ("The court has scheduled a hearing for March 12.", "2024-02-16", [("March 12", "2024-03-12")]),
    # but a past event months back stays in the past
    ("In January, the council voted to close the plant.", "2023-10-25", [("January", "2023-01")]),
    ("The plant closed on July 2.", "2023-10-25", [("July 2", "2023-07-02")]),
    # a passive present ("is heard") is not a past tense
    ("The appeal is heard in May.", "2023-03-29", [("May", "2023-05")]),
    # "Tuesday's ruling" is an event already known, whatever the tense around it
    ("Critics will fight Tuesday's ruling.", "2023-09-14", [("Tuesday", "2023-09-12")]),
])
def test_tense_and_distance_choose_the_date(sentence: str, published: str, expected: list) -> None:
    assert values(sentence, published) == expected


def test_abbreviations_do_not_end_sentences() -> None:
    rules, tense, lex, financial = _compiled()
    text = "Gen. Lee met Mr. Tan on Aug. 7 in the U.S. capital. Then he left."
    ctx = TaggingContext(text, None, tense, financial, lex.abbreviations)
    assert ctx.sentence_index(text.index("capital")) == 0
    assert ctx.sentence_index(text.index("Then")) == 1


@pytest.mark.parametrize("sentence, published, expected", [
    ("The boat sank on Thanksgiving Day.", "2000-01-07", [("Thanksgiving Day", "1999-11-25")]),
    ("Voters go to the polls on Election Day.", "2022-10-20", [("Election Day", "2022-11-08")]),
    ("Shops close on Good Friday.", "2024-03-20", [("Good Friday", "2024-03-29")]),
    ("Pilgrims gathered as Easter week began.", "2000-04-17", [("Easter week", "2000-W16")]),
    ("The parade was held on Memorial Day, 2019.", "2023-01-10", [("Memorial Day, 2019", "2019-05-27")]),
    ("They married last Christmas.", "2023-12-20", [("last Christmas", "2022-12-25")]),
])
def test_holidays_fixed_floating_and_easter(sentence: str, published: str, expected: list) -> None:
    assert values(sentence, published) == expected


@pytest.mark.parametrize("sentence, expected", [
    ("Nobody knows what the future holds for the port.", [("the future", "FUTURE_REF")]),
    ("Aid will help the town face future floods.", [("future", "FUTURE_REF")]),
    ("The mayor is currently abroad.", [("currently", "PRESENT_REF")]),
    ("In the past, the bridge flooded.", [("the past", "PAST_REF")]),
    # adverbs that place an event without naming a time are not marked
    ("The mayor recently moved to the capital.", []),
    ("He was soon released.", []),
    ("Futures trading rose.", []),
])
def test_reference_words(sentence: str, expected: list) -> None:
    assert values(sentence, "2023-09-14") == expected


@pytest.mark.parametrize("sentence, expected", [
    ("Rallies are held daily.", [("daily", "P1D")]),
    ("The strain shows in his daily life.", [("daily", "P1D")]),
    ("The president gave his weekly radio address.", [("weekly", "P1W")]),
])
def test_recurrence_adjectives(sentence: str, expected: list) -> None:
    assert values(sentence, "2023-09-14") == expected


@pytest.mark.parametrize("sentence, published, expected", [
    ("The clinic was attacked last Oct. 23.", "1999-04-19", [("last Oct. 23", "1998-10-23")]),
    ("Talks stalled in June last year.", "1999-04-19", [("June last year", "1998-06")]),
    ("The vote is set for March 5 of next year.", "1999-04-19", [("March 5 of next year", "2000-03-05")]),
    ("Exports peaked in early October this year.", "1998-12-03", [("early October this year", "1998-10")]),
    ("The paper wrote on Monday, Oct. 26: the vote was close.", "1998-10-25", [("Monday, Oct. 26", "1998-10-26")]),
])
def test_composite_dates(sentence: str, published: str, expected: list) -> None:
    assert values(sentence, published) == expected


@pytest.mark.parametrize("sentence, expected", [
    ("Nurses earn $40,000 a year.", []),
    ("Output grows 5 percent a year.", []),
    ("She told CBS's 60 Minutes about the trial.", []),
    ("The trial lasted a year.", [("a year", "P1Y")]),
])
def test_rates_and_titles_are_not_durations(sentence: str, expected: list) -> None:
    assert values(sentence, "2023-09-14") == expected


@pytest.mark.parametrize("sentence, expected", [
    ("Rebels shelled the town over the weekend.", [("the weekend", "P2D")]),
    ("Talks resumed last weekend.", [("last weekend", "2023-W36-WE")]),
    ("The envoy will arrive soon.", [("soon", "FUTURE_REF")]),
    ("He was arrested and soon released.", []),
    ("Call as soon as you land.", []),
])
def test_weekend_and_soon(sentence: str, expected: list) -> None:
    assert values(sentence, "2023-09-14") == expected


@pytest.mark.parametrize("sentence, expected", [
    ("Shares of May Department Stores rose.", []),
    ("The accord was signed by Jan Kavan of Prague.", []),
    ("The accord was signed in May.", [("May", "2023-05")]),
])
def test_month_names_inside_names_are_not_times(sentence: str, expected: list) -> None:
    assert values(sentence, "2023-09-14") == expected


@pytest.mark.parametrize("sentence, published, expected", [
    # "said" is the tense of the report, not of the plan it reports
    ("The firm said the trial will run through June.", "2013-03-18", [("June", "2013-06")]),
    ("The firm said the trial program runs through June.", "2013-03-18", [("June", "2013-06")]),
    # but right before the date it dates the saying itself
    ("The minister said on Wednesday that talks failed.", "2023-09-14", [("Wednesday", "2023-09-13")]),
])
def test_reporting_verbs_only_date_what_follows_them_closely(sentence: str, published: str, expected: list) -> None:
    assert values(sentence, published) == expected


@pytest.mark.parametrize("sentence, expected", [
    ("The summit meets on Oct. 24 and 25.", [("Oct. 24", "2023-10-24"), ("25", "2023-10-25")]),
    ("Output rose on Sept. 5 and 7 percent later.", [("Sept. 5", "2023-09-05")]),
    ("The judge sits at midday.", [("midday", "2023-09-14T12:00")]),
    ("It was their third day-long meeting.", [("day-long", "P1D")]),
])
def test_coordinated_days_midday_and_unit_long(sentence: str, expected: list) -> None:
    assert values(sentence, "2023-09-14") == expected


@pytest.mark.parametrize("sentence, expected", [
    ("The envoy spent about five hours in the city.", [("five hours", "PT5H", "APPROX")]),
    ("It began just six years ago.", [("six years ago", "2017", "EQUAL")]),
    ("The feud lasted more than a decade.", [("more than a decade", "P10Y", "MORE_THAN")]),
])
def test_approximators_stay_outside_the_extent_but_set_the_mod(sentence: str, expected: list) -> None:
    assert [(t.text, t.value, t.mod) for t in tag_times(sentence, "2023-09-14")] == expected


@pytest.mark.parametrize("sentence, expected", [
    ("The Sunday Times reported the deal.", []),
    ("The New York Daily News ran the story.", []),
    ("The Racing Daily printed the odds.", []),
    ("Stocks never recovered from Black Monday.", []),
    ("He spoke at his Sunday Mass.", [("Sunday", "2023-09-10")]),
    ("Daily rallies continue.", [("Daily", "P1D")]),
])
def test_names_and_titles_with_time_words(sentence: str, expected: list) -> None:
    assert values(sentence, "2023-09-14") == expected


@pytest.mark.parametrize("sentence, expected", [
    ("About three-quarters of voters agreed.", []),
    ("One-quarter of the staff left.", []),
    ("The backlash was fierce in some quarters.", []),
    ("Supporters disrupted a weekend convention.", []),
    ("Each hearing lasts two and a half hours.", [("two and a half hours", "PT2H30M")]),
    ("The town voted this past weekend.", [("this past weekend", "2023-W36-WE")]),
])
def test_fractions_modifiers_and_half_units(sentence: str, expected: list) -> None:
    assert values(sentence, "2023-09-14") == expected
