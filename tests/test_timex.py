"""Normalisation of time expressions over hand-written sentences."""
from __future__ import annotations

import pytest

from legation.timex import parse_published, tag_times

DCT = "2023-09-14"  # a Thursday, ISO week 37


def values(text: str, published: str | None = DCT) -> list[tuple[str, str, str | None]]:
    return [(t.text, t.type, t.value) for t in tag_times(text, published)]


def only(text: str, published: str | None = DCT) -> tuple[str, str, str | None]:
    found = values(text, published)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("sentence, expected_text, expected_value", [
    # absolute dates at the precision written
    ("The bomb went off on Oct. 9, 1983, in Rangoon.", "Oct. 9, 1983", "1983-10-09"),
    ("It was signed on 15 September 2020 in Washington.", "15 September 2020", "2020-09-15"),
    ("The deal was dated 2021-01-05.", "2021-01-05", "2021-01-05"),
    ("Relations were restored in April 2007.", "April 2007", "2007-04"),
    ("Relations were restored in 2007.", "2007", "2007"),
    ("The talks began on Friday, March 10, 2023.", "Friday, March 10, 2023", "2023-03-10"),
    # partial dates take their year from the publication date
    ("The Sept. 11 appointment surprised diplomats.", "Sept. 11", "2023-09-11"),
    ("The summit ended on Aug. 30.", "Aug. 30", "2023-08-30"),
    ("Elections will be held on Jan. 7.", "Jan. 7", "2024-01-07"),
    ("The envoy arrived in June.", "June", "2023-06"),
    ("The envoy will arrive in November.", "November", "2023-11"),
    ("Envoys met last May.", "last May", "2023-05"),
    ("Envoys will meet next March.", "next March", "2024-03"),
    # relative to the publication date
    ("The junta re-established ties this week.", "this week", "2023-W37"),
    ("Ties were cut five years ago.", "five years ago", "2018"),
    ("He resigned two months ago.", "two months ago", "2023-07"),
    ("She left three days ago.", "three days ago", "2023-09-11"),
    ("They met last Thursday.", "last Thursday", "2023-09-07"),
    ("They will meet next Monday.", "next Monday", "2023-09-18"),
    ("The minister spoke on Tuesday.", "Tuesday", "2023-09-12"),
    ("The minister will speak on Saturday.", "Saturday", "2023-09-16"),
    ("The embassy reopened yesterday.", "yesterday", "2023-09-13"),
    ("The embassy reopens tomorrow.", "tomorrow", "2023-09-15"),
    ("Trade fell last year.", "last year", "2022"),
    ("Trade will grow next year.", "next year", "2024"),
    ("Talks resumed last month.", "last month", "2023-08"),
    ("Talks resumed earlier this month.", "earlier this month", "2023-09"),
    ("The treaty is due later this year.", "later this year", "2023"),
    ("Talks resumed last week.", "last week", "2023-W36"),
    ("It happened this morning.", "this morning", "2023-09-14TMO"),
    ("It happened last night.", "last night", "2023-09-13TNI"),
    ("Growth slowed in the second quarter.", "the second quarter", "2023-Q2"),
    ("Growth slowed in the third quarter of 2021.", "the third quarter of 2021", "2021-Q3"),
    ("Officials met again in mid-2010.", "mid-2010", "2010"),
    ("Over the past 30 years, trade grew.", "the past 30 years", "P30Y"),
    ("It was the bloodiest war of the nineteenth century.", "the nineteenth century", "18"),
    # decades and centuries
    ("Ties were close in the 1980s.", "the 1980s", "198X"),
    ("Ties were close in the '80s.", "the '80s", "198X"),
    ("It was the bloodiest war of the 20th century.", "the 20th century", "19"),
    # durations and sets
    ("The talks lasted three hours.", "three hours", "PT3H"),
    ("The ban lasted for seven years.", "seven years", "P7Y"),
    ("It ended a five-year freeze.", "five-year", "P5Y"),
    ("Ties were frozen for a decade.", "a decade", "P10Y"),
    ("Negotiations took several months.", "several months", "PXM"),
    ("Fighting has raged in recent weeks.", "recent weeks", "PXW"),
    ("The council meets every week.", "every week", "P1W"),
    ("The council meets every Monday.", "every Monday", "XXXX-WXX-1"),
    ("Prices are reviewed annually.", "annually", "P1Y"),
    # reference words
    ("Ties are now active.", "now", "PRESENT_REF"),
    ("That was common in the past.", "the past", "PAST_REF"),
])
def test_normalisation(sentence: str, expected_text: str, expected_value: str) -> None:
    found = values(sentence)
    assert (expected_text, expected_value) in [(t, v) for t, _, v in found], found


def test_types() -> None:
    assert only("The talks lasted three hours.")[1] == "DURATION"
    assert only("The council meets every week.")[1] == "SET"
    assert only("It happened this morning.")[1] == "TIME"
    assert only("Ties were cut in 2018.")[1] == "DATE"


def test_offsets_point_into_the_text() -> None:
    text = "Increasingly isolated, the junta re-established ties this week, five years after they were cut."
    for t in tag_times(text, DCT):
        assert text[t.start:t.end] == t.text


def test_relative_values_record_their_anchor() -> None:
    t = tag_times("Ties were restored this week after talks in 2007.", DCT)
    by_text = {x.text: x for x in t}
    assert by_text["this week"].anchor == "published" and by_text["this week"].resolution == "relative"
    assert by_text["2007"].anchor is None and by_text["2007"].resolution == "absolute"


def test_without_publication_date_relative_values_stay_unresolved() -> None:
    found = tag_times("Ties were restored this week, five years after a break on Oct. 9, 1983. They met on Friday.", None)
    by_text = {t.text: t for t in found}
    assert by_text["this week"].value is None and by_text["this week"].resolution == "unresolved"
    assert by_text["five years after"].value is None if "five years after" in by_text else True
    assert by_text["Friday"].value is None
    assert by_text["Oct. 9, 1983"].value == "1983-10-09"


def test_at_the_time_resolves_to_the_year_of_the_event_just_mentioned() -> None:
    text = ("Agents set off a bomb on Oct. 9, 1983, killing 21 people. "
            "The president at the time cut relations with the North.")
    found = {t.text: t for t in tag_times(text, DCT)}
    assert found["at the time"].value == "1983"
    assert found["at the time"].anchor == found["Oct. 9, 1983"].id
    assert found["at the time"].resolution == "anaphoric"


def test_at_the_time_without_antecedent_is_past_ref() -> None:
    assert only("He was the foreign minister at the time.")[2] == "PAST_REF"


def test_anaphoric_that_year_and_later() -> None:
    text = "The embassy closed in 2016. Later that year, trade collapsed. Two years later, talks resumed."
    found = {t.text: t.value for t in tag_times(text, DCT)}
    assert found["Later that year"] == "2016"
    assert found["Two years later"] == "2018"


def test_seasons_relative_to_a_winter_publication_date() -> None:
    assert only("The decision was made last summer.", "2013-03-22")[2] == "2012-SU"
    assert only("The summit is planned for this summer.", "2013-03-22")[2] == "2013-SU"


def test_year_ranges() -> None:
    found = [(t.text, t.value) for t in tag_times("The pandemic of 2009-2010 and the expedition of 1957-58.", DCT)]
    assert found == [("2009", "2009"), ("2010", "2010"), ("1957", "1957"), ("58", "1958")]


@pytest.mark.parametrize("sentence", [
    "Theresa May said the talks would continue.",
    "Officials may meet to march on the capital.",
    "He paid $2019 for 2000 troops under Resolution 1718.",
    "The 22-year-old son was found.",
    "Children ages 6 months and older should be vaccinated.",
    "The fall of Kabul shocked the region.",
])
def test_non_expressions_are_not_tagged(sentence: str) -> None:
    assert values(sentence) == []


def test_tense_cue_picks_the_direction_of_a_bare_weekday() -> None:
    assert only("He said he will travel to Moscow on Monday.")[2] == "2023-09-18"
    assert only("He travelled to Moscow on Monday.")[2] == "2023-09-11"


def test_comparative_is_a_duration_not_a_date() -> None:
    assert only("The season started a month earlier than usual.")[1:] == ("DURATION", "P1M")


def test_bad_publication_date_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="E010"):
        parse_published("14/09/2023")
