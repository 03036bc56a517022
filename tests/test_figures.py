"""Figures as people write them (DESIGN.md §1): one parser from text to a value."""

import re

import pytest

from provenance.figures import FigureError, describe_value, parse_figure, scan_figures


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("276", 276),
        ("1,200", 1200),
        ("7.7", 7.7),
        ("-5", -5),
        ("at least 300", {"min": 300}),
        ("At Least 300", {"min": 300}),
        ("over 2,000", {"min": 2000}),
        ("more than 100", {"min": 100}),
        ("upwards of 5,000", {"min": 5000}),
        ("14,000+", {"min": 14000}),
        (">2000", {"min": 2000}),
        (">=31", {"min": 31}),
        ("≥31", {"min": 31}),
        ("up to 100", {"max": 100}),
        ("at most 10", {"max": 10}),
        ("fewer than 10", {"max": 10}),
        ("less than 10", {"max": 10}),
        ("under 18", {"max": 18}),
        ("nearly 1,500", {"max": 1500}),
        ("almost 1,500", {"max": 1500}),
        ("<10", {"max": 10}),
        ("<=10", {"max": 10}),
        ("about 300", {"approx": 300}),
        ("around 300", {"approx": 300}),
        ("approximately 300", {"approx": 300}),
        ("roughly 300", {"approx": 300}),
        ("some 300", {"approx": 300}),
        ("an estimated 2.3 million", {"approx": 2_300_000}),
        ("~300", {"approx": 300}),
        ("300 or so", {"approx": 300}),
        ("300-350", {"min": 300, "max": 350}),
        ("300–350", {"min": 300, "max": 350}),
        ("300 – 350", {"min": 300, "max": 350}),
        ("300 to 350", {"min": 300, "max": 350}),
        ("between 300 and 350", {"min": 300, "max": 350}),
        ("200..250", {"min": 200, "max": 250}),
        ("1-2 million", {"min": 1_000_000, "max": 2_000_000}),
        ("14k", 14000),
        ("14 thousand", 14000),
        ("1.5m", 1_500_000),
        ("1.5 million", 1_500_000),
        ("10 hundred", 1000),
        ("2 trillion", 2_000_000_000_000),
        ("2tn", 2_000_000_000_000),
        ("5 lakh", 500_000),
        ("about 2.5 lakh", {"approx": 250_000}),
        ("1-2 crore", {"min": 10_000_000, "max": 20_000_000}),
    ],
)
def test_every_written_form_parses_to_its_value(text, value):
    figure = parse_figure(text)
    assert figure is not None and figure.value == value
    assert type(figure.value) is type(value)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("300 people", 300, "people"),
        ("at least 31 children", {"min": 31}, "children"),
        ("282 air attacks", 282, "air attacks"),
        ("40%", 40, "%"),
        ("40 per cent", 40, "%"),
        ("1 lakh people", 100_000, "people"),  # a scale word is not the unit
    ],
)
def test_a_trailing_word_is_the_unit(text, value, unit):
    figure = parse_figure(text)
    assert figure is not None and (figure.value, figure.unit) == (value, unit)


@pytest.mark.parametrize("text", ["extended", "controls", "no", "  Yes "])
def test_pure_words_stay_categories(text):
    assert parse_figure(text) is None


@pytest.mark.parametrize(
    "text", ["12ab", "3 May", "2025-05-02", "3/5/2025", "350-300", "between 3", "300 and 5 more"]
)
def test_text_with_a_digit_that_is_no_figure_is_refused_with_the_forms(text):
    with pytest.raises(FigureError) as error:
        parse_figure(text)
    message = str(error.value)
    assert text in message and (
        "at least" in message
        or "date" in message
        or "range" in message
        or "second number" in message
    )


@pytest.mark.parametrize(
    ("raw", "unit", "shown"),
    [
        (282, "attacks", "282 attacks"),
        ({"min": 300}, None, "at least 300"),
        ({"max": 10}, None, "at most 10"),
        ({"min": 300, "max": 350}, None, "300–350"),
        ({"approx": 1500}, None, "about 1,500"),
        (40, "%", "40%"),
        (1200, None, "1,200"),
        ("extended", None, "extended"),
    ],
)
def test_values_are_printed_back_in_words(raw, unit, shown):
    assert describe_value(raw, unit) == shown


def test_figures_in_running_text_skip_dates_and_codes():
    text = (
        "Over 2,000 people died between 1 and 3 May, nearly 1,500 fled since May 2024; "
        "COVID-19 cases on 2025-05-02 at 10:30 were the 3rd wave; up to 100 were hurt."
    )
    found = [(text[f.start : f.end], f.value) for f in scan_figures(text)]
    assert found == [
        ("Over 2,000", {"min": 2000}),
        ("nearly 1,500", {"max": 1500}),
        ("up to 100", {"max": 100}),
    ]


def test_figures_written_in_words_in_running_text():
    text = (
        "Ten people died, around thirty fled and nearly a dozen were hurt; forty-five homes "
        "burned and over one million left. One of the survivors, a two-year-old, lived."
    )
    found = [(text[f.start : f.end], f.value) for f in scan_figures(text)]
    assert found == [
        ("Ten", 10),
        ("around thirty", {"approx": 30}),
        ("nearly a dozen", {"max": 12}),
        ("forty-five", 45),
        ("over one million", {"min": 1_000_000}),
    ]


@pytest.mark.parametrize(
    ("typed", "value", "unit"),
    [
        ("ten", 10, None),
        ("at least seven people", {"min": 7}, "people"),
        ("about forty", {"approx": 40}, None),
        ("nearly three million", {"max": 3_000_000}, None),
    ],
)
def test_a_value_typed_in_words_is_the_figure_extract_reads_in_an_article(typed, value, unit):
    """`--value seven` was the category "seven" while `extract` read "seven districts" as
    7: one parser wherever text comes in (DESIGN.md §1)."""
    figure = parse_figure(typed)
    assert figure is not None and (figure.value, figure.unit) == (value, unit)


@pytest.mark.parametrize(
    "typed",
    [
        "extended", "none", "a", "a few", "several", "a thousand million", "one of them",
        # the second attack: each was a wrong figure
        "seven-eight", "seven million and a half", "Seven Sisters",
        "at least Seven Sisters", "three quarters",
    ],
)  # fmt: skip
def test_words_that_are_no_single_figure_stay_a_category(typed):
    assert parse_figure(typed) is None


@pytest.mark.parametrize(
    ("typed", "value", "unit"),
    [
        # a contract audit found these stored as categories while "two" was 2: "one"
        # against 1 was never compared, and "one" against "one person" was a conflict
        ("one", 1, None),
        ("One", 1, None),
        ("zero", 0, None),
        ("one person", 1, "person"),
        ("forty two", 42, None),
        ("twenty one", 21, None),
        ("one hundred", 100, None),
        # and thousands grouped as people type them, a Unicode minus, and ±
        ("1 200", 1200, None),
        ("1 200 people", 1200, "people"),
        ("1'200", 1200, None),
        ("about 1 200", {"approx": 1200}, None),
        ("approx 300", {"approx": 300}, None),
        ("approx. 300", {"approx": 300}, None),
        ("−5", -5, None),
        ("-3%", -3, "%"),
        ("between 10% and 20%", {"min": 10, "max": 20}, "%"),
        ("10%-20%", {"min": 10, "max": 20}, "%"),
        ("10 ± 2", {"min": 8, "max": 12}, None),
    ],
)
def test_values_a_contract_audit_found_refused_or_kept_as_words(typed, value, unit):
    figure = parse_figure(typed)
    assert figure is not None and (figure.value, figure.unit) == (value, unit)


def test_words_in_running_text_in_spellings_that_fold_read_as_their_word():
    """The patterns ignore case, so ``ſ`` matches ``s`` and ``İ`` matches ``i``; the word
    each matched must still be found (it once raised KeyError mid-article)."""
    text = "ſome thirty fled, at leaſt five died, over one mİllion left"
    assert [f.value for f in scan_figures(text)] == [
        {"approx": 30},
        {"min": 5},
        {"min": 1_000_000},
    ]


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("2.000", "ambiguous"),  # 2 in English, 2,000 where a dot separates thousands
        ("about 1.500 people", "ambiguous"),
        ("1.250 million", "ambiguous"),
        ("300-2.500", "ambiguous"),
        ("10 million million", "scales a number"),  # it was 10 million "million"s
        ("5 k", "scales a number"),  # it was 5 "k"s
        ("5 thousand thousand", "scales a number"),
        ("5 ½", "not a figure"),  # it was 5 in the unit "½"
        ("5 m people", "scales a number"),  # 5m people: five million; "5 m" alone is metres
    ],
)
def test_a_figure_that_could_be_read_two_ways_is_refused(text, said):
    """Each of these was stored as one reading without a word: 2.000 as 2, 10 million
    million as 10,000,000 in the unit "million", 5 k as 5 in the unit "k"."""
    with pytest.raises(FigureError) as error:
        parse_figure(text)
    assert said in str(error.value) and text in str(error.value)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("0.500", 0.5, None),  # a leading zero: only a decimal
        ("3.1420", 3.142, None),  # four places: only a decimal
        ("12.5", 12.5, None),
        ("5 m", 5, "m"),  # metres
        ("5 bn dollars", 5_000_000_000, "dollars"),
    ],
)
def test_figures_with_one_reading_still_parse(text, value, unit):
    figure = parse_figure(text)
    assert figure is not None and (figure.value, figure.unit) == (value, unit)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        # each of these was stored as the bare number, the bound kept as the unit
        ("20 or more", {"min": 20}, None),
        ("20 or more people", {"min": 20}, "people"),
        ("20 people or more", {"min": 20}, "people"),
        ("20 and above", {"min": 20}, None),
        ("20 or above", {"min": 20}, None),
        ("18 and over", {"min": 18}, None),
        ("20 and up", {"min": 20}, None),
        ("20 or greater", {"min": 20}, None),
        ("20 plus", {"min": 20}, None),
        ("20-plus", {"min": 20}, None),  # was refused
        ("20-plus fighters", {"min": 20}, "fighters"),
        ("20 or fewer", {"max": 20}, None),
        ("20 or less", {"max": 20}, None),
        ("20 or below", {"max": 20}, None),
        ("20 and under", {"max": 20}, None),
        ("5 people or fewer", {"max": 5}, "people"),
        ("at least 20 or more", {"min": 20}, None),
        # a bound after a range keeps the range's safe end (the '+' was dropped)
        ("20 to 30 or more", {"min": 20}, None),
        ("20-30 or fewer", {"max": 30}, None),
        ("300-350+", {"min": 300}, None),
        # "as many as N" is the top of an estimate, as "up to N" is; was refused
        ("as many as 300", {"max": 300}, None),
        ("as much as 1.5 million", {"max": 1_500_000}, None),
        ("as few as 3", {"min": 3}, None),
    ],
)
def test_a_bound_written_after_the_number_bounds_it(text, value, unit):
    figure = parse_figure(text)
    assert figure is not None and (figure.value, figure.unit) == (value, unit)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("no fewer than 20", {"min": 20}),
        ("not less than 20", {"min": 20}),
        ("no less than 20", {"min": 20}),
        ("no more than 20", {"max": 20}),
        ("not more than 20", {"max": 20}),
        # an estimate, not an upper bound: unlike "nearly" it does not say it fell short
        ("close to 20", {"approx": 20}),
    ],
)
def test_bounds_written_with_a_negation_or_close_to(text, value):
    figure = parse_figure(text)
    assert figure is not None and figure.value == value


@pytest.mark.parametrize(
    "text",
    [
        "up to 20 or more",
        "about 20 people or more",
        "20+ or fewer",
        "20 plus 5",
        # found by the attacker: stored as a bound with the second bound as its unit
        "20 or more or fewer",
        "20 or fewer or more",
        "20-plus or fewer",
        "20 or more or more",
    ],
)
def test_two_different_bounds_on_one_figure_are_refused(text):
    with pytest.raises(FigureError):
        parse_figure(text)


def test_bounds_after_the_number_in_running_text():
    text = (
        "20 or more bodies were found, 5 or fewer survived, 40-plus homes burned; "
        "as many as 300 fled. Aged 18 and over the weekend 3 plus 4 came."
    )
    found = [(text[f.start : f.end], f.value) for f in scan_figures(text)]
    assert found == [
        ("20 or more", {"min": 20}),
        ("5 or fewer", {"max": 5}),
        ("40-plus", {"min": 40}),
        ("as many as 300", {"max": 300}),
        ("18", 18),
        ("3", 3),
        ("4", 4),
    ]


@pytest.mark.parametrize(
    ("typed", "value", "unit"),
    [
        # each of these was a category (or, in an article, the number before "hundred")
        ("a thousand", 1000, None),
        ("over a thousand", {"min": 1000}, None),
        ("more than a thousand families", {"min": 1000}, "families"),
        ("a million", 1_000_000, None),
        ("about half a million", {"approx": 500_000}, None),
        ("a billion", 1_000_000_000, None),
        ("a hundred thousand", 100_000, None),
        ("two dozen", 24, None),
        ("three dozen people", 36, "people"),
        ("half a million", 500_000, None),
        ("half a dozen", 6, None),
        ("three hundred", 300, None),
        ("three hundred thousand", 300_000, None),
        ("twenty-five hundred", 2500, None),
        ("twenty or more", {"min": 20}, None),
        ("twenty people or more", {"min": 20}, "people"),
        ("a dozen or fewer", {"max": 12}, None),
        # read before, kept
        ("a dozen", 12, None),
        ("a hundred", 100, None),
        ("one hundred", 100, None),
        ("one million", 1_000_000, None),
        ("five thousand", 5000, None),
    ],
)
def test_number_words_with_an_article_or_a_multiplier(typed, value, unit):
    figure = parse_figure(typed)
    assert figure is not None and (figure.value, figure.unit) == (value, unit)


def test_number_words_with_a_multiplier_in_running_text():
    text = (
        "Three hundred people died, more than a thousand families fled and half a million "
        "left; two dozen were hurt. The odds were one in a million."
    )
    found = [(text[f.start : f.end], f.value) for f in scan_figures(text)]
    assert found == [
        ("Three hundred", 300),
        ("more than a thousand", {"min": 1000}),
        ("half a million", 500_000),
        ("two dozen", 24),
    ]


@pytest.mark.parametrize(
    ("typed", "value", "unit"),
    [
        # each was a category: it never conflicted with a number, yet got a plausibility
        ("dozens", {"min": 24}, None),
        ("Dozens", {"min": 24}, None),
        ("dozens of people", {"min": 24}, "people"),
        ("dozens of Palestinians", {"min": 24}, "Palestinians"),
        ("scores of people", {"min": 40}, "people"),
        ("hundreds", {"min": 200}, None),
        ("thousands", {"min": 2000}, None),
        ("thousands displaced", {"min": 2000}, "displaced"),
        ("dozens dead", {"min": 24}, "dead"),
        ("millions", {"min": 2_000_000}, None),
        ("tens of thousands", {"min": 20_000}, None),
        ("hundreds of thousands", {"min": 200_000}, None),
        ("hundreds of thousands of civilians", {"min": 200_000}, "civilians"),
        ("tens of millions", {"min": 20_000_000}, None),
        ("several dozen", {"min": 36}, None),
        ("several hundred", {"min": 300}, None),
        ("several thousand", {"min": 3000}, None),
        ("a few dozen", {"min": 24}, None),
        ("a few hundred", {"min": 200}, None),
        ("a few thousand people", {"min": 2000}, "people"),
        ("at least hundreds", {"min": 200}, None),
        ("some dozens of people", {"min": 24}, "people"),
    ],
)
def test_quantity_words_are_the_least_they_can_mean(typed, value, unit):
    figure = parse_figure(typed)
    assert figure is not None and (figure.value, figure.unit) == (value, unit)


@pytest.mark.parametrize(
    "typed",
    [
        "scores",  # test scores, settled scores: only "scores of ..." is a count
        "Thousands Island Group",
        "hundreds district",  # a noun after it without "of" is a name, not what is counted
        "dozens more",
        "up to hundreds",  # no lower bound said
        "hundreds, if not thousands",
        "thousands of the displaced",
        "hundreds of",
    ],
)
def test_categories_that_only_contain_a_quantity_word_stay_categories(typed):
    assert parse_figure(typed) is None


def test_quantity_words_in_running_text():
    text = (
        "Dozens of people were killed and thousands fled; scores of homes burned. The "
        "Thousands Island Group said up to hundreds were missing, several hundred hurt, "
        "tens of thousands displaced. Test scores fell."
    )
    found = [(text[f.start : f.end], f.value) for f in scan_figures(text)]
    assert found == [
        ("Dozens of", {"min": 24}),
        ("thousands", {"min": 2000}),
        ("scores of", {"min": 40}),
        ("several hundred", {"min": 300}),
        ("tens of thousands", {"min": 20_000}),
    ]


@pytest.mark.parametrize(
    ("typed", "value", "unit"),
    [
        # each of these was refused as "not a figure"
        ("as high as 300", {"max": 300}, None),
        ("as low as 3", {"min": 3}, None),
        ("just over 300", {"min": 300}, None),
        ("well over 1,000", {"min": 1000}, None),
        ("slightly more than 40", {"min": 40}, None),
        ("well below 50", {"max": 50}, None),
        ("in the region of 500", {"approx": 500}, None),
        ("5 or 6 people", {"min": 5, "max": 6}, "people"),
        ("between 10-20", {"min": 10, "max": 20}, None),
        ("between 10 – 20 people", {"min": 10, "max": 20}, "people"),
        ("1.234.567", 1_234_567, None),
        ("1,5 million", 1_500_000, None),
        ("2,75bn", 2_750_000_000, None),
        ("$3.5bn", 3_500_000_000, "USD"),
        ("about €2 million", {"approx": 2_000_000}, "EUR"),
        ("£40m-£50m", {"min": 40_000_000, "max": 50_000_000}, "GBP"),
        ("US$ 5 million", 5_000_000, "USD"),
        ("between $2 billion and $3 billion", {"min": 2e9, "max": 3e9}, "USD"),
        ("up to ₹1,200 crore", {"max": 12_000_000_000}, "INR"),
        # unchanged: a thousands group has three digits, and one dot group reads two ways
        ("1,500 million", 1_500_000_000, None),
        ("2,000,000", 2_000_000, None),
    ],
)
def test_more_figures_as_people_write_them(typed, value, unit):
    figure = parse_figure(typed)
    assert figure is not None and (figure.value, figure.unit) == (value, unit)


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("1.234", "ambiguous"),  # a decimal, or 1,234
        ("1,5", "not a figure"),  # a decimal comma only before a scale
        ("11 or 10", "runs backwards"),
        ("$5 million dollars", "gives its unit twice"),
        ("$300 people", "gives its unit twice"),
        ("€2,5 millionen", "'€2,5 millionen' is not a figure"),  # named as typed
    ],
)
def test_figures_that_stay_refused(typed, says):
    with pytest.raises(FigureError, match=re.escape(says)):
        parse_figure(typed)


def test_new_forms_in_running_text():
    text = (
        "Officials said 5 or 6 people died, 1,5 million fled and the toll could be as high as 300."
    )
    found = [(text[f.start : f.end], f.value) for f in scan_figures(text)]
    assert found == [
        ("5 or 6", {"min": 5, "max": 6}),
        ("1,5 million", 1_500_000),
        ("as high as 300", {"max": 300}),
    ]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # a bare "one" counts when what it counts happened to it (a tenth helper's texts)
        ("with one death being recorded", [1]),
        ("On Sunday one rhino was found dead.", [1]),
        ("one person died and two were hurt", [1, 2]),
        # and stays a pronoun otherwise
        ("one of the survivors said", []),
        ("one official said", []),
        ("No one was killed", []),
        ("not one person was killed", []),
        ("one day later", []),
    ],
)
def test_a_bare_one_counts_only_what_happened(text, found):
    assert [f.value for f in scan_figures(text)] == found


def test_thousands_grouped_by_a_space_in_running_text():
    """Found by the second attack: "12 000 people" in an article was read as 0 people."""
    text = "The NUG said 12 000 people fled, 3 200 homes burned and in 2017 500 died."
    assert [f.value for f in scan_figures(text)] == [12000, 3200, 2017, 500]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # found by the second attack: "forty two villages" was 40 and 2, "one or two
        # drones" 2, though the parser read "5 or 6" as a range
        ("Observers said forty two villages burned.", [42]),
        ("Residents said one or two drones were seen.", [{"min": 1, "max": 2}]),
        ("five to ten people were killed", [{"min": 5, "max": 10}]),
        # not a range, and no count
        ("from one to another", []),
    ],
)
def test_numbers_in_words_in_running_text(text, found):
    assert [f.value for f in scan_figures(text)] == found
