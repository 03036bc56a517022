"""Figures as people write them: the one parser from text to a structured value.

Every place text comes in as a value uses it: ``claim add/edit --value``, a string value
in a CSV, YAML or JSONL file, and ``extract``. DESIGN.md §1 lists the forms:

* lower bounds ``at least N``, ``over N``, ``more than N``, ``upwards of N``, ``no fewer
  than N``, ``no less than N``, ``not less than N``, ``as few as N``, ``N+``, ``>N``,
  ``>=N``, and after the number ``N or more``, ``N and above``, ``N or above``, ``N and
  over``, ``N and up``, ``N-plus``, ``N plus`` → ``{"min": N}``;
* upper bounds ``up to N``, ``as many as N``, ``at most N``, ``no more than N``, ``not
  more than N``, ``fewer than N``, ``less than N``, ``under N``, ``nearly N``, ``almost
  N``, ``<N``, ``<=N``, and after the number ``N or fewer``, ``N or less``, ``N and
  under``, ``N or below`` → ``{"max": N}``. ``as many as N`` is the top of an estimate
  ("as many as 300 may have died"), as ``up to N`` is;
* estimates ``about N``, ``around N``, ``approximately N``, ``roughly N``, ``some N``,
  ``an estimated N``, ``close to N``, ``~N`` → ``{"approx": N}``. ``close to N`` stays an
  estimate: unlike ``nearly N`` it does not say the count fell short;
* ranges ``N-M``, ``N–M``, ``N to M``, ``between N and M``, ``N..M`` → ``{"min", "max"}``;
  a bound after a range keeps its safe end (``20 to 30 or more`` → ``{"min": 20}``);
* thousands separators, decimals and ``k``/``thousand``/``m``/``million``/``bn``/``billion``,
  ``hundred``, ``tn``/``trillion``, ``lakh`` and ``crore``;
  a trailing word is the unit (``300 people`` → 300, unit ``people``);
* numbers in words: ``zero`` to ``twenty``, the tens, ``forty-five``, times ``dozen``,
  ``hundred``, ``thousand``, ``million``, ``billion`` (``two dozen`` 24, ``three hundred``
  300, ``twenty thousand``), after ``a``/``an``/``one`` (``a thousand``, ``over a
  million``) or ``half a`` (``half a million`` 500,000), with the same bounds as digits;
* quantity words without a number, as the least they can mean (see ``QUANTITY_WORDS``):
  ``dozens`` → ``{"min": 24}``, ``hundreds`` 200, ``thousands`` 2,000, ``tens of
  thousands`` 20,000, ``several hundred`` 300, ``a few hundred`` 200; alone, before
  ``of`` and what is counted (``dozens of people``), or before what happened to them
  (``thousands displaced``). ``scores`` only as ``scores of …``; ``hundreds district``,
  ``Thousands Island`` and ``up to hundreds`` stay categories.

Strict bounds are stored closed: ``>2000`` and ``over 2,000`` are both ``{"min": 2000}``.
People who write "over 2,000" rarely mean 2,001 or more, and a closed interval keeps the
comparison with an exact 2,000 an agreement rather than a conflict.

Pure Python with no imports from the rest of the package: the rules layer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

Number = int | float

ACCEPTED_FORMS = (
    "a number (300, 2,000, 1.5 million, 14k), optionally with a unit word (300 people); "
    "at least/over/more than/upwards of/no fewer than N, N+, N-plus, N or more, >N, >=N; "
    "up to/as many as/at most/no more than/fewer than/less than/under/nearly/almost N, "
    "N or fewer, <N, <=N; "
    "about/around/approximately/roughly/some/an estimated N, ~N; "
    "ranges N-M, N to M, between N and M, N..M; "
    "or --category to keep the text as a category"
)


class FigureError(ValueError):
    """Text that holds a digit but is not a figure this parser can read."""


_MIN_WORDS = (
    "at least",
    "no fewer than",
    "no less than",
    "not less than",
    "more than",
    "upwards of",
    "upward of",
    "as few as",
    "in excess of",
    "over",
    "above",
    "exceeding",
    "≥",
    ">=",
    ">",
)
_MAX_WORDS = (
    "up to",
    "as many as",
    "as much as",
    "at most",
    "no more than",
    "not more than",
    "fewer than",
    "less than",
    "under",
    "below",
    "nearly",
    "almost",
    "just under",
    "≤",
    "<=",
    "<",
)
_APPROX_WORDS = (
    "approximately",
    "an estimated",
    "estimated",
    "an approximate",
    "about",
    "around",
    "roughly",
    "some",
    "close to",
    "circa",
    "c.",
    "ca.",
    "≈",
    "~",
)

_QUALIFIERS: dict[str, str] = {}
for _kind, _words in (("min", _MIN_WORDS), ("max", _MAX_WORDS), ("approx", _APPROX_WORDS)):
    for _word in _words:
        _QUALIFIERS[_word] = _kind


def _alternation(words: Any) -> str:
    return "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True)
    )


#: A bound written after the number: ``20 or more``, ``18 and over``, ``5 or fewer``.
_MIN_AFTER = (
    "or more", "or over", "or above", "and above", "and over", "and up", "and upwards",
    "or greater", "or higher",
)  # fmt: skip
_MAX_AFTER = ("or fewer", "or less", "or under", "or below", "and below", "and under", "or lower")
_BOUNDS_AFTER = {word: "min" for word in _MIN_AFTER} | {word: "max" for word in _MAX_AFTER}
#: ``20 or more``, ``20-plus``, ``20 plus``; not ``20 and over the weekend``, ``20 plus 5``.
_AFTER_BOUND = (
    rf"(?:\s+(?:{_alternation(_BOUNDS_AFTER)})"
    r"(?!\s+(?:to|the|a|an|than|that|this|these|those|its|their|his|her|of)\b)"
    r"|(?:-|\s+)plus(?!\s*\d))(?![\w-])"
)


_SCALES = {
    "hundred": 100,
    "k": 1_000,
    "thousand": 1_000,
    "lakh": 100_000,  # South Asian reporting: 1 lakh = 100,000, 1 crore = 10 million
    "crore": 10_000_000,
    "m": 1_000_000,
    "mn": 1_000_000,
    "million": 1_000_000,
    "bn": 1_000_000_000,
    "b": 1_000_000_000,
    "billion": 1_000_000_000,
    "tn": 1_000_000_000_000,
    "trillion": 1_000_000_000_000,
}

# A number: 2,000 / 2000 / 1.5 / 1 500 (a thin or narrow no-break space as a separator).
_NUMBER = r"\d{1,3}(?:[,\u202f\u2009\u00a0]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
_SCALE = (
    r"(?:\s?(?:hundred|thousand|lakh|crore|million|billion|trillion|mn|bn|tn)\b|(?:k|m|bn|b)\b)"
)
_QUALIFIER = _alternation(_QUALIFIERS)
_DASH = r"\s*(?:-|–|—|\.\.)\s*|\s+to\s+"

#: A figure inside running text: an optional qualifier, a number with an optional scale,
#: and an optional second number that closes a range (``between N and M``, ``N–M``).
FIGURE_PATTERN = re.compile(
    rf"""
    (?:(?P<between>between|from)\s+)?
    (?:(?P<qualifier>{_QUALIFIER})\s*)?
    (?P<lo>{_NUMBER})(?P<lo_scale>{_SCALE})?
    (?:
        (?:(?(between)\s+(?:and|to)\s+|(?:{_DASH})))
        (?P<hi>{_NUMBER})(?P<hi_scale>{_SCALE})?
    )?
    (?P<plus>\+)?
    (?P<after>{_AFTER_BOUND})?
    """,
    re.IGNORECASE | re.VERBOSE,
)

_MONTHS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ]
)
#: 2.000 or 1.500: a decimal in English, a whole number where a dot separates thousands.
_DOT_THOUSANDS = re.compile(r"[1-9]\d{0,2}\.\d{3}")
#: Scale words that are no unit, seen where a unit would be (``10 million million``,
#: ``5 k``): ``m`` and ``b`` stay units (metres, a grade).
_SCALE_WORDS = frozenset(_SCALES) - {"m", "b"}
_UNIT = re.compile(r"^[^\W\d_][\w'’%-]*(?:\s+[^\W\d_][\w'’%-]*)*$|^%$")
_ROUGHLY_AFTER = re.compile(r"or so|-?odd|or thereabouts", re.IGNORECASE)
_PERCENT_WORDS = re.compile(r"^(?:per\s*cent|percent|pc)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Figure:
    """A parsed figure: the interchange value, the unit the text gave (or None), and the
    span of the figure in the text it was found in."""

    value: Any
    unit: str | None
    start: int
    end: int


def _to_number(digits: str, scale: str | None) -> Number:
    cleaned = re.sub(r"[,\u202f\u2009\u00a0]", "", digits)
    try:
        number = Decimal(cleaned)
    except InvalidOperation as error:  # pragma: no cover - the pattern admits only digits
        raise FigureError(f"{digits!r} is not a number") from error
    if scale:
        try:
            number *= _entry(_SCALES, scale)
        except ArithmeticError:  # decimal's Overflow: past any range a value may have
            shown = digits if len(digits) <= 24 else f"{digits[:12]}…({len(digits)} digits)"
            raise FigureError(f"the figure {shown!r} {scale.strip()!r} is out of range") from None
    if number == number.to_integral_value():
        return int(number)
    return float(number)


def _bound_after(match: re.Match[str]) -> str | None:
    """The bound a figure's trailing words put on it: ``+``, ``-plus`` and ``or more``
    make a lower bound, ``or fewer`` an upper one."""
    after = match["after"]
    plus = match.groupdict().get("plus")
    if after is None:
        return "min" if plus else None
    kind = "min" if after.strip(" -").lower() == "plus" else _entry(_BOUNDS_AFTER, after)
    if plus and kind != "min":
        raise FigureError(f"{match[0].strip()!r} mixes a '+' with '{after.strip()}'")
    return str(kind)


def _value_of(match: re.Match[str]) -> Any:
    lo_scale, hi_scale = match["lo_scale"], match["hi_scale"]
    after = _bound_after(match)
    if match["hi"] is not None:
        # "1-2 million": the scale written once applies to both ends.
        lo = _to_number(match["lo"], lo_scale or hi_scale)
        hi = _to_number(match["hi"], hi_scale)
        if lo > hi:
            raise FigureError(f"the range {match[0].strip()!r} runs backwards ({lo} > {hi})")
        if match["qualifier"] and _entry(_QUALIFIERS, match["qualifier"]) == "approx":
            if after:
                raise FigureError(f"{match[0].strip()!r} puts a bound on a range")
            return {"min": lo, "max": hi}
        if match["qualifier"]:
            raise FigureError(f"{match[0].strip()!r} puts a bound on a range")
        # "20 to 30 or more" is at least 20; "20-30 or fewer" at most 30
        if after == "min":
            return {"min": lo}
        if after == "max":
            return {"max": hi}
        return {"min": lo, "max": hi}
    if match["between"]:
        raise FigureError(f"{match[0].strip()!r} needs a second number ('between N and M')")
    number = _to_number(match["lo"], lo_scale)
    qualifier = _entry(_QUALIFIERS, match["qualifier"]) if match["qualifier"] else None
    return _bounded(number, qualifier, after, match[0])


def _bounded(number: Number, qualifier: str | None, after: str | None, written: str) -> Any:
    """A single number with the bound written before it and the one written after it
    (``at least 20 or more`` is at least 20; ``up to 20 or more`` is refused)."""
    if after:
        if qualifier not in (None, after):
            raise FigureError(f"{written.strip()!r} puts two different bounds on one figure")
        qualifier = after
    return number if qualifier is None else {qualifier: number}


def _fold(text: str) -> str:
    return " ".join(text.lower().split())


def _entry(table: dict[str, Any], matched: str) -> Any:
    """What ``table`` holds for a word a pattern matched. The patterns ignore case, which
    also pairs ``ſ`` with ``s``, ``İ`` and ``ı`` with ``i`` and the Kelvin sign with ``k``,
    so a word lowercasing to no entry is the entry whose spelling matches it."""
    key = _fold(matched)
    if key in table:
        return table[key]
    for word, found in table.items():
        if re.fullmatch(_alternation([word]), matched.strip(), re.IGNORECASE):
            return found
    raise FigureError(f"{matched!r} is not a word of a figure")


def has_two_readings(digits: str) -> bool:
    """``2.000``, ``1.500``: a decimal in English, a whole number where a dot separates
    thousands. Refused as typed; skipped by ``extract``, which cannot ask."""
    return _DOT_THOUSANDS.fullmatch(digits) is not None


def two_readings_error(what: str, digits: str, *, whole: str | None = None) -> str:
    """The one wording of a figure that reads two ways: ``what`` names it where it was
    typed, ``whole`` is the whole number as that place takes it (``2,000`` by default)."""
    thousands = digits.replace(".", ",")
    return (
        f"{what} is ambiguous: {digits} is a decimal in English and {thousands} where a dot "
        f"separates thousands; write {whole or thousands}, or the decimal with one more "
        f"place ({digits}0)"
    )


def is_scale_word(word: str) -> bool:
    """A word that scales a number (``million``, ``k``), seen where a unit would be."""
    return word.lower() in _SCALE_WORDS


def parse_figure(text: str) -> Figure | None:
    """Parse a whole value as typed: the figure, then at most a unit.

    Returns None for text without a digit (a categorical value such as ``extended``), and
    raises :class:`FigureError`, naming the accepted forms, for text with a digit that is
    not a figure (``"3 May"``, ``"300 or so"`` with other numbers, ``"12ab"``)."""
    stripped = text.strip()
    if not any(ch.isdigit() for ch in stripped):
        if stripped[:1] in {"<", ">", "~", "≈", "≥", "≤"}:
            raise FigureError(f"value {text!r} is not a figure; accepted: {ACCEPTED_FORMS}")
        return _figure_in_words(text, stripped)
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4}", stripped):
        raise FigureError(
            f"value {text!r} looks like a date, not a figure; give dates with --from/--to, "
            "or --category to keep the text"
        )
    negative = re.fullmatch(r"-\s*(\d[\d,.]*)", stripped)
    if negative:
        return Figure(-_to_number(negative[1], None), None, 0, len(text))
    match = FIGURE_PATTERN.match(stripped)
    if match is None:
        raise FigureError(f"value {text!r} is not a figure; accepted: {ACCEPTED_FORMS}")
    for digits in (match["lo"], match["hi"]):
        if digits is not None and has_two_readings(digits):
            raise FigureError(two_readings_error(f"value {text!r}", digits))
    value = _value_of(match)
    rest = stripped[match.end() :].strip()
    unit: str | None = None
    if _ROUGHLY_AFTER.fullmatch(rest) and not isinstance(value, dict):
        value, rest = {"approx": value}, ""
    elif rest and rest != "%" and not stripped[match.end()].isspace():
        raise FigureError(f"value {text!r} is not a figure; accepted: {ACCEPTED_FORMS}")
    value, rest = _bound_after_unit(value, rest, text)
    if rest:
        if rest == "%" or _PERCENT_WORDS.fullmatch(rest):
            unit = "%"
        elif _UNIT.match(rest) and not any(ch.isdigit() for ch in rest) and not rest[0].isnumeric():
            words = rest.split()
            # "5 m" alone is five metres; "5 m people" is the five million of "5m people"
            if is_scale_word(words[0]) or (len(words) > 1 and words[0].lower() in {"m", "b"}):
                raise FigureError(
                    f"value {text!r}: {rest.split()[0]!r} scales a number, it is no unit; "
                    "write the figure once (5k, 5,000, 10 million), or the unit with --unit"
                )
            if rest.split()[0].lower().rstrip(".") in _MONTHS:
                raise FigureError(
                    f"value {text!r} looks like a date, not a figure; give dates with "
                    "--from/--to, or --category to keep the text"
                )
            unit = rest
        else:
            raise FigureError(f"value {text!r} is not a figure; accepted: {ACCEPTED_FORMS}")
    return Figure(value, unit, 0, len(text))


_BOUND_AFTER_UNIT = re.compile(rf"\s+(?P<bound>{_alternation(_BOUNDS_AFTER)})$", re.IGNORECASE)


def _bound_after_unit(value: Any, rest: str, text: str) -> tuple[Any, str]:
    """``20 people or more``: the bound written after the unit, applied to the value as
    ``20 or more people`` would be, and the unit without it."""
    found = _BOUND_AFTER_UNIT.search(rest)
    if not found or not rest[: found.start()].strip():
        return value, rest
    kind = _entry(_BOUNDS_AFTER, found["bound"])
    unit = rest[: found.start()].strip()
    if isinstance(value, dict):
        if "min" in value and "max" in value:  # "20-30 people or more": at least 20
            return {kind: value[kind]}, unit
        if list(value) == [kind]:
            return value, unit
        raise FigureError(f"value {text!r} puts two different bounds on one figure")
    return {kind: value}, unit


def _figure_in_words(text: str, stripped: str) -> Figure | None:
    """``at least seven``, ``about forty people``: the figure ``extract`` reads in an
    article, typed as a value (one parser wherever text comes in). Text that is one figure
    in words and at most a unit; anything else (``extended``, ``seven-eight``) is a category."""
    found = list(scan_figures(stripped))
    if len(found) != 1 or found[0].start != 0:
        return None
    written, rest = stripped[: found[0].end], stripped[found[0].end :].strip()
    if re.search(rf"\b(?:{_SMALL_WORDS})\s*-\s*(?:{_SMALL_WORDS})\b", written, re.IGNORECASE):
        return None  # "seven-eight" (a range, or nothing) read as 15
    quantity = QUANTITY_PATTERN.match(stripped)
    if quantity and quantity.end() != found[0].end:
        quantity = None
    plural = quantity and not re.match(r"several|a\s+few", quantity["words"], re.IGNORECASE)
    if plural and quantity and not quantity["of"] and rest and not _QUANTITY_STATE.fullmatch(rest):
        return None  # "hundreds district": only "hundreds of …" or "hundreds displaced"
    named = (written if quantity and quantity["of"] else stripped).split()[1:]
    if any(word[:1].isupper() for word in named):
        return None  # "Seven Sisters", "at least Seven Sisters": a name
    if rest and (
        not _UNIT.match(rest)
        or is_scale_word(rest.split()[0])
        or rest.split()[0].lower() in _NOT_A_UNIT
    ):
        return None  # "twenty one", "seven million and a half", "three quarters"
    try:
        value, rest = _bound_after_unit(found[0].value, rest, text)
    except FigureError:
        return None  # "about twenty people or more": words, so a category
    return Figure(value, rest or None, 0, len(text))


#: What may follow a quantity word without ``of`` as its unit: what happened to those
#: counted (``thousands displaced``, ``dozens dead``), never a noun (``hundreds district``).
_QUANTITY_STATE = re.compile(
    r"[a-z]+ed|dead|hurt|missing|homeless|slain|shot|held|taken|stranded", re.IGNORECASE
)
_SMALL_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten"
#: Words after a figure in words that say it is not one figure and a unit.
_NOT_A_UNIT = {
    *_SMALL_WORDS.split("|"), "and", "half", "halves", "quarter", "quarters", "third",
    "thirds", "fifth", "fifths", "or", "to", "point",
}  # fmt: skip


def value_from_text(text: str) -> tuple[Any, str | None]:
    """The command line's ``--value`` (and a string value in a file): a JSON object as
    given, a figure as parsed with the unit it names, or a category (text without a
    digit). Raises :class:`FigureError` for text with a digit that is not a figure."""
    stripped = text.strip()
    if stripped.startswith("{"):
        try:
            return json.loads(stripped), None
        except ValueError:
            raise FigureError(f"value {text!r} is not valid JSON") from None
    figure = parse_figure(stripped)
    if figure is None:
        return stripped, None
    return figure.value, figure.unit


def needs_category_mark(text: str) -> bool:
    """Whether a categorical value must be marked as one (``value_kind: category``; a
    leading apostrophe in CSV) to come back as itself on import: read as plain text it
    would be a figure (``007``, ``5G``), a JSON object (``{…``) or refused as a figure
    without its number (``<``, ``~ many``). Exports apply this one rule."""
    try:
        return value_from_text(text) != (text.strip(), None)
    except FigureError:
        return True


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
#: ``half a million``, ``twenty or more``.
WORD_FIGURE_PATTERN = re.compile(
    rf"""
    (?<![\w-])
    (?:(?P<qualifier>{_QUALIFIER})\s+)?
    (?:
        (?P<article>half\s+an?|an?)\s+(?P<article_of>{_MULTIPLIER})
      | (?P<word>{_WORDS})
        (?:-(?P<ones>{_UNITS_WORDS}))?
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


def _word_figures(text: str) -> Iterator[Figure]:
    for match in WORD_FIGURE_PATTERN.finditer(text):
        number: Number
        if match["article"]:
            if re.search(r"\bin\s+$", text[max(0, match.start() - 4) : match.start()]):
                continue  # "one in a million", "one in a thousand": odds, no count
            number = _multiplier(match["article_of"])
            if _fold(match["article"]).startswith("half"):
                number //= 2  # "half a million", "half a dozen"
        else:
            word = _fold(match["word"])
            if word in {"zero", "one"} and not match["scale"] and not match["qualifier"]:
                continue  # "one of the survivors", "no one"
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


def scan_figures(text: str) -> Iterator[Figure]:
    """Every figure inside running text, with its span (for the reading assistant), in
    digits (``over 2,000``), in words (``around thirty``, ``nearly a dozen``) or as a
    quantity word (``dozens of``, ``tens of thousands``: a lower bound).

    Numbers that are part of a date (``3 May``, ``May 2024``, ``2025-05-02``), a clock
    time, an ordinal or a word (``COVID-19``, ``two-year``) are skipped; the unit is left
    to the caller, which knows what is counted. A bare ``one`` is no figure."""
    found = list(_digit_figures(text))
    for figure in [*_quantity_figures(text), *_word_figures(text)]:
        if not any(figure.start < f.end and f.start < figure.end for f in found):
            found.append(figure)
    yield from sorted(found, key=lambda f: f.start)


def _digit_figures(text: str) -> Iterator[Figure]:
    for match in FIGURE_PATTERN.finditer(text):
        start, end = match.start(), match.end()
        before, after = text[max(0, start - 12) : start], text[end : end + 12]
        if start and (text[start - 1].isalnum() or text[start - 1] in "-/:"):
            continue
        if after[:1].isalpha() and not match["lo_scale"] and not match["hi_scale"]:
            continue  # an ordinal or a code: 3rd, 19th, 5G
        if after[:1] in {"/", ":"} or re.match(r"^[-/]\d", after):
            continue  # a date or a clock time: 2025-05-02, 3/5, 10:30
        if re.match(r"^\s+(?:" + "|".join(_MONTHS) + r")\b", after, re.IGNORECASE):
            continue  # 3 May, between 1 and 3 May
        if re.search(r"\b(?:" + "|".join(_MONTHS) + r")\.?\s*$", before, re.IGNORECASE):
            continue  # May 2024
        try:
            value = _value_of(match)
        except FigureError:
            continue
        yield Figure(value, None, start, end)


def format_number(number: Number) -> str:
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    return f"{number:,}" if isinstance(number, int) else f"{number:,.6g}"


def describe_value(raw: Any, unit: str | None = None) -> str:
    """A value in words, as a table prints it: ``at least 300``, ``about 1,500 people``,
    ``300–350``, ``at most 10``, ``282 attacks``, or the category as given."""
    if raw is None:
        return ""
    if isinstance(raw, dict):
        if "approx" in raw:
            text = f"about {format_number(raw['approx'])}"
        elif "min" in raw and "max" in raw:
            text = f"{format_number(raw['min'])}–{format_number(raw['max'])}"
        elif "min" in raw:
            text = f"at least {format_number(raw['min'])}"
        else:
            text = f"at most {format_number(raw['max'])}"
    elif isinstance(raw, int | float) and not isinstance(raw, bool):
        text = format_number(raw)
    else:
        text = str(raw)
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"
