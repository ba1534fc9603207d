"""Financial reporting periods and the period under discussion, on hand-written sentences."""
from __future__ import annotations

import pytest

from legation.timex import tag_times

DCT = "1997-10-22"  # a Wednesday in the fourth quarter


def values(text: str, published: str = DCT) -> list[tuple[str, str | None]]:
    return [(t.text, t.value) for t in tag_times(text, published)]


@pytest.mark.parametrize("sentence, expected", [
    ("Widget Co. posted a loss in the second quarter.", [("the second quarter", "1997-Q2")]),
    ("Fourth-quarter shipments will be weak, the maker said.", [("Fourth-quarter", "1997-Q4")]),
    ("Second-half revenue is expected to climb.", [("Second-half", "1997-H2")]),
    ("The bakery's sales rose in the first half.", [("the first half", "1997-H1")]),
    ("Orders slowed in Q3 1996.", [("Q3 1996", "1996-Q3")]),
    ("The first quarter of 1995 was the weakest.", [("The first quarter of 1995", "1995-Q1")]),
    ("Sales rose in 1996's third quarter.", [("1996's third quarter", "1996-Q3")]),
    ("Revenue fell in the third quarter of last year.", [("the third quarter of last year", "1996-Q3")]),
    ("The chain expects growth in fiscal 1998.", [("fiscal 1998", "FY1998")]),
    ("The group's FY96 results disappointed.", [("FY96", "FY1996")]),
    ("It lost money in the first quarter of fiscal 1997.", [("the first quarter of fiscal 1997", "FY1997-Q1")]),
])
def test_explicit_financial_periods(sentence: str, expected: list[tuple[str, str]]) -> None:
    assert values(sentence) == expected


def test_a_year_earlier_is_the_discussed_quarter_one_year_before() -> None:
    text = "The toy maker earned $3 million in the third quarter, up from $2 million a year earlier."
    assert values(text) == [("the third quarter", "1997-Q3"), ("a year earlier", "1996-Q3")]


def test_a_year_ago_after_a_half_is_that_half_one_year_before() -> None:
    text = "Net income in the first half rose 8% from a year ago, the brewer said."
    assert values(text) == [("the first half", "1997-H1"), ("a year ago", "1996-H1")]


def test_a_year_ago_without_a_period_under_discussion_is_the_year_before_publication() -> None:
    assert values("The brewer was sold a year ago.") == [("a year ago", "1996")]


def test_year_earlier_period_and_the_quarter_follow_the_discussion() -> None:
    text = ("Profit at the chain fell in the second quarter. In the year-earlier quarter it had risen. "
            "For the quarter, sales were flat. Sales in the same period last year were higher.")
    assert values(text) == [
        ("the second quarter", "1997-Q2"),
        ("the year-earlier quarter", "1996-Q2"),
        ("the quarter", "1997-Q2"),
        ("the same period last year", "1996-Q2"),
    ]


def test_the_fiscal_year_is_the_fiscal_year_under_discussion() -> None:
    text = "The retailer's fiscal 1998 began this month. For the fiscal year, it expects a profit."
    assert [v for v in values(text) if "fiscal" in v[0]] == [("fiscal 1998", "FY1998"), ("the fiscal year", "FY1998")]


@pytest.mark.parametrize("sentence", [
    "He scored twice in the second half of the game.",
    "The first half of the book is dull.",
    "A quarter of the voters stayed home.",
    "The period of mourning ended.",
])
def test_halves_quarters_and_periods_that_are_not_reporting_periods(sentence: str) -> None:
    assert values(sentence) == []


def test_for_the_year_and_year_earlier_levels_in_a_financial_report() -> None:
    text = "Net income rose in the second quarter. Sales fell from year-earlier levels. For the year, the chain expects a profit."
    assert values(text) == [("the second quarter", "1997-Q2"), ("year-earlier", "1996-Q2"), ("the year", "1997")]


def test_for_the_year_outside_a_financial_report_is_not_marked() -> None:
    assert values("She stayed in Paris for the year and loved it.") == []


@pytest.mark.parametrize("text, expected", [
    ("Profit rose in the third quarter. In the previous quarter it fell.",
     [("the third quarter", "1997-Q3"), ("the previous quarter", "1997-Q2")]),
    ("Output rose in the past quarter.", [("the past quarter", "1997-Q3")]),
    ("The 1996 fourth quarter was weak.", [("The 1996 fourth quarter", "1996-Q4")]),
    ("Sales should improve in the second half of the year.", [("the second half of the year", "1997-H2")]),
    ("The lender will cut its debt by year-end.", [("year-end", "1997")]),
    ("Net fell in the fiscal year ended June 30, 1997.", [("the fiscal year", "FY1997"), ("June 30, 1997", "1997-06-30")]),
])
def test_more_reporting_periods(text: str, expected: list) -> None:
    assert values(text) == expected


def test_the_quarter_ended_a_date_and_a_year_earlier_after_it() -> None:
    text = "Net income for the quarter ended Sept. 30 rose to $5 million from $4 million a year earlier."
    assert values(text) == [("the quarter", "1997-Q3"), ("Sept. 30", "1997-09-30"), ("a year earlier", "1996-Q3")]


def test_the_same_period_in_a_named_year() -> None:
    text = "Casino revenue fell in the second quarter, compared with the same period in 1995."
    assert values(text) == [("the second quarter", "1997-Q2"), ("the same period in 1995", "1995-Q2")]
