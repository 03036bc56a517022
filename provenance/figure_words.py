"""Figures written in words: ``ten``, ``forty-five``, ``a thousand``, ``two dozen``,
``half a million``, ``a quarter of a million``, and quantity words that are the least
they can mean (``dozens`` at least 24, ``tens of thousands`` at least 20,000)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from provenance.figure_forms import (
    _AFTER_BOUND,
    _QUALIFIER,
    _QUALIFIERS,
    Figure,
    FigureError,
    Number,
    _alternation,
    _bound_after,
    _bounded,
    _entry,
    _fold,
)

_WORD_VALUES = {
    word: value
    for value, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
_WORD_VALUES.update(
    {
        w: 10 * n
        for n, w in enumerate(
            ["thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"], 3
        )
    }
)
_WORD_VALUES["dozen"] = 12  # "some dozen people"
_UNITS_WORDS = "one|two|three|four|five|six|seven|eight|nine"
_WORDS = "|".join(
    sorted((re.escape(w).replace(r"\ ", r"\s+") for w in _WORD_VALUES), key=len, reverse=True)
)
#: What multiplies a number word: ``two dozen``, ``three hundred``, ``a hundred thousand``.
_BIG = r"thousand|million|billion"
_MULTIPLIER = rf"dozen|hundred(?:\s+(?:{_BIG}))?|{_BIG}"
_MULTIPLIERS = {"dozen": 12, "hundred": 100, "thousand": 1_000, "million": 1_000_000}
_MULTIPLIERS["billion"] = 1_000_000_000
#: A figure written in words: ``ten``, ``around thirty``, ``forty-five``, ``nearly a dozen``,
#: ``over one million``, ``more than a thousand``, ``two dozen``, ``three hundred``,
#: ``half a million``, ``a quarter of a million``, ``twenty or more``.
WORD_FIGURE_PATTERN = re.compile(
    rf"""
    (?<![\w-])
    (?:(?P<qualifier>{_QUALIFIER})\s+)?
    (?:
        (?P<article>half\s+an?|(?:a|one|three)[\s-]+quarters?\s+of\s+an?|an?)
        \s+(?P<article_of>{_MULTIPLIER})
      | (?P<word>{_WORDS})
        (?:(?:-|(?<=ty)\s+)(?P<ones>{_UNITS_WORDS}))?  # forty-two, "forty two"
        (?:\s+(?P<scale>{_MULTIPLIER}))?
    )
    (?P<after>{_AFTER_BOUND})?
    (?![\w-])
    """,
    re.IGNORECASE | re.VERBOSE,
)


def _multiplier(words: str) -> int:
    """``hundred thousand`` → 100,000: the product of the multiplying words."""
    product = 1
    for word in words.split():
        product *= int(_entry(_MULTIPLIERS, word))
    return product


#: A bare "one" that counts something that happened: "one death", "one person was killed",
#: "one rhino was found dead" (else "one" is a pronoun: "one of them", "one official said").
_ONE_COUNTED = re.compile(
    r"\s+(?:(?:death|fatality|casualty|case|injury)\b"
    r"|[a-z-]+\s+(?:was|has\s+been|had\s+been)\s+(?:found\s+)?"
    r"(?:killed|dead|injured|wounded|arrested|detained|missing|abducted|kidnapped|rescued)\b"
    r"|[a-z-]+\s+(?:died|killed|dead)\b)"
)


#: Two numbers in words either of which may be the count: "one or two drones", "five to
#: ten people" (a range; in digits the parser reads "5 or 6" alike).
_WORD_RANGE = re.compile(
    rf"(?<![\w-])(?P<lo>{_WORDS})\s+(?:or|to)\s+(?P<hi>{_WORDS})(?![\w-])", re.IGNORECASE
)


def _word_ranges(text: str) -> list[Figure]:
    found = []
    for match in _WORD_RANGE.finditer(text):
        lo, hi = _entry(_WORD_VALUES, match["lo"]), _entry(_WORD_VALUES, match["hi"])
        if lo < hi and not re.search(r"\b(?:no|not)\s*$", text[: match.start()], re.I):
            found.append(Figure({"min": lo, "max": hi}, None, *match.span()))
    return found


def joined_ranges(text: str, found: list[Figure]) -> list[Figure]:
    """``found`` (in order) with two figures that make one range joined: one end in words
    and one in digits (``two million to 2.5 million``, ``between two and 2.5 million``:
    the scale of the second read into the first), both in words where their own pattern
    does not reach (``twenty-five to thirty``, ``five hundred to six hundred``), or two
    quantity words (``dozens to hundreds``: at least the lower)."""
    joined: list[Figure] = []
    i = 0
    while i < len(found):
        low, high = found[i], found[i + 1] if i + 1 < len(found) else None
        if high is not None:
            range_ = _joined(text, low, high)
            if range_ is not None:
                joined.append(range_)
                i += 2
                continue
        joined.append(low)
        i += 1
    return joined


def _joined(text: str, low: Figure, high: Figure) -> Figure | None:
    written = text[low.start : low.end], text[high.start : high.end]
    if all(re.search(r"\d", w) for w in written):
        return None  # two in digits: the digits' own pattern reads their range
    between = re.search(r"\bbetween\s+$", text[: low.start], re.IGNORECASE)
    gap = text[low.end : high.start]
    if not (
        re.fullmatch(r"\s*(?:to|-|–|—)\s*", gap, re.IGNORECASE)
        or (between and re.fullmatch(r"\s+and\s+", gap, re.IGNORECASE))
    ):
        return None
    lo, hi = low.value, high.value
    if isinstance(lo, dict) and isinstance(hi, dict) and set(lo) == set(hi) == {"min"}:
        return Figure({"min": min(lo["min"], hi["min"])}, None, low.start, high.end)
    if isinstance(lo, dict) and set(lo) == {"approx"}:
        lo = lo["approx"]  # "about two million to 2.5 million": the range is the estimate
    if isinstance(lo, bool) or not isinstance(lo, int | float) or not isinstance(hi, int | float):
        return None
    scale = re.search(r"([^\W\d_]+)\s*$", written[1])
    if (
        scale
        and _fold(scale.group(1)) in _MULTIPLIERS
        and not re.search(rf"\b(?:{'|'.join(_MULTIPLIERS)})\s*$", written[0], re.IGNORECASE)
    ):
        lo *= _multiplier(scale.group(1))  # "two to 2.5 million": two million
    if not lo < hi:
        return None
    start = between.start() if between else low.start
    return Figure({"min": lo, "max": hi}, None, start, high.end)


def _word_figures(text: str) -> Iterator[Figure]:
    ranges = _word_ranges(text)
    yield from ranges
    for match in WORD_FIGURE_PATTERN.finditer(text):
        if any(r.start <= match.start() < r.end for r in ranges):
            continue  # a word of "one or two"
        number: Number
        if match["article"]:
            if re.search(r"\bin\s+$", text[max(0, match.start() - 4) : match.start()]):
                continue  # "one in a million", "one in a thousand": odds, no count
            number = _multiplier(match["article_of"])
            article = _fold(match["article"])
            if article.startswith("half"):
                number //= 2  # "half a million", "half a dozen"
            elif "quarter" in article:  # "a quarter of a million", "three quarters of a …"
                number = number * 3 // 4 if article.startswith("three") else number // 4
        else:
            word = _fold(match["word"])
            if (
                word in {"zero", "one"}
                and not match["scale"]
                and not match["qualifier"]
                and not (
                    word == "one"
                    and _ONE_COUNTED.match(text, match.end())
                    and not re.search(
                        r"\b(?:no|not|any|every|some)\s*$", text[: match.start()], re.I
                    )
                )
            ):
                continue  # "one of the survivors", "no one" (but "one death" counts)
            number = _entry(_WORD_VALUES, word) + (
                _entry(_WORD_VALUES, match["ones"]) if match["ones"] else 0
            )
            if match["scale"]:
                number *= _multiplier(match["scale"])
        qualifier = _entry(_QUALIFIERS, match["qualifier"]) if match["qualifier"] else None
        try:
            value = _bounded(number, qualifier, _bound_after(match), match[0])
        except FigureError:
            continue  # "up to twenty or more": no one reading to propose
        yield Figure(value, None, *match.span())


#: Quantity words without a number, read as the least they can mean (a lower bound is the
#: one reading that is never too high): a plural of a unit is at least two of it
#: (``dozens`` 24, ``hundreds`` 200, ``tens of thousands`` 20,000), ``several`` at least
#: three (``several hundred`` 300), ``a few`` at least two (``a few hundred`` 200).
QUANTITY_WORDS: dict[str, int] = {
    "dozens": 24,
    "scores": 40,  # a score is twenty; only "scores of …" (test scores are no count)
    "hundreds": 200,
    "thousands": 2_000,
    "millions": 2_000_000,
    "billions": 2_000_000_000,
    "tens of thousands": 20_000,
    "hundreds of thousands": 200_000,
    "tens of millions": 20_000_000,
    "hundreds of millions": 200_000_000,
    **{f"several {unit}": 3 * size for unit, size in _MULTIPLIERS.items()},
    **{f"a few {unit}": 2 * size for unit, size in _MULTIPLIERS.items()},
}
#: ``dozens``, ``tens of thousands of``: a quantity word, with the ``of`` that joins it to
#: what is counted (not ``of the``, the partitive the reader handles as after a number).
QUANTITY_PATTERN = re.compile(
    rf"""
    (?<![\w-])
    (?:(?P<qualifier>{_QUALIFIER})\s+)?
    (?P<words>{_alternation(QUANTITY_WORDS)})
    (?P<of>\s+of(?=\s+(?!(?:the|them|those|these|its|their|his|her|our)\b)[^\W\d_]))?
    (?![\w-])
    """,
    re.IGNORECASE | re.VERBOSE,
)


def _quantity_figures(text: str) -> Iterator[Figure]:
    for match in QUANTITY_PATTERN.finditer(text):
        words = _fold(match["words"])
        if words == "scores" and not match["of"]:
            continue  # "the scores were", "settled scores"
        start = match.start("words")
        if match["words"][:1].isupper() and not re.search(r"(?:^|[.!?:;\"“‘(])\s*$", text[:start]):
            continue  # "the Thousands Islands": a name inside a sentence
        if not match["of"] and re.match(r"\s+[A-Z]", text[match.end() :]):
            continue  # "Thousands Island Group": a name
        qualifier = _entry(_QUALIFIERS, match["qualifier"]) if match["qualifier"] else None
        if qualifier == "max":
            continue  # "up to hundreds": the least it means is no upper bound
        yield Figure({"min": _entry(QUANTITY_WORDS, words)}, None, *match.span())
