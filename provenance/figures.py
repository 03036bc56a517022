"""Figures as people write them: the one parser from text to a structured value.

Every place text comes in as a value uses it: ``claim add/edit --value``, a string value
in a CSV, YAML or JSONL file, and ``extract``. DESIGN.md §1 lists the forms:

* lower bounds ``at least N``, ``over N``, ``more than N``, ``upwards of N``, ``no fewer
  than N``, ``no less than N``, ``not less than N``, ``as few as N``, ``N+``, ``>N``,
  ``>=N``, ``just over N``, ``well over N``, ``slightly more than N``, ``as low as N``, and
  after the number ``N or more``, ``N and above``, ``N or above``, ``N and
  over``, ``N and up``, ``N-plus``, ``N plus`` → ``{"min": N}``;
* upper bounds ``up to N``, ``as many as N``, ``at most N``, ``no more than N``, ``not
  more than N``, ``fewer than N``, ``less than N``, ``under N``, ``nearly N``, ``almost
  N``, ``<N``, ``<=N``, ``just under N``, ``well below N``, ``as high as N`` ("could be as
  high as 300"), and after the number ``N or fewer``, ``N or less``, ``N and
  under``, ``N or below`` → ``{"max": N}``. ``as many as N`` is the top of an estimate
  ("as many as 300 may have died"), as ``up to N`` is;
* estimates ``about N``, ``around N``, ``approximately N``, ``roughly N``, ``some N``,
  ``an estimated N``, ``close to N``, ``in the region of N``, ``~N`` → ``{"approx": N}``.
  ``close to N`` stays an estimate: unlike ``nearly N`` it does not say the count fell
  short;
* ranges ``N-M``, ``N–M``, ``N to M``, ``N or M`` ("5 or 6 people"), ``between N and M``,
  ``between N-M``, ``N..M`` → ``{"min", "max"}``;
  a bound after a range keeps its safe end (``20 to 30 or more`` → ``{"min": 20}``);
* money: a currency sign before the number is the unit (``$3.5bn`` → 3,500,000,000
  ``USD``; ``€``, ``£``, ``US$``, ``A$``, ``¥`` … in ``CURRENCY_SIGNS``);
* thousands separators (``2,000``, ``1.234.567`` with two dot groups or more: one, as in
  ``1.500``, reads two ways and is refused), a decimal comma before a scale (``1,5
  million``), decimals and ``k``/``thousand``/``m``/``million``/``bn``/``billion``,
  ``hundred``, ``tn``/``trillion``, ``lakh`` and ``crore``;
  a trailing word is the unit (``300 people`` → 300, unit ``people``);
* numbers in words: ``zero`` to ``twenty``, the tens, ``forty-five``, times ``dozen``,
  ``hundred``, ``thousand``, ``million``, ``billion`` (``two dozen`` 24, ``three hundred``
  300, ``twenty thousand``), after ``a``/``an``/``one`` (``a thousand``, ``over a
  million``), ``half a`` (``half a million`` 500,000) or ``a quarter of a``/``three
  quarters of a`` (250,000 and 750,000 of a million), with the same bounds as digits;
* quantity words without a number, as the least they can mean (see ``QUANTITY_WORDS``):
  ``dozens`` → ``{"min": 24}``, ``hundreds`` 200, ``thousands`` 2,000, ``tens of
  thousands`` 20,000, ``several hundred`` 300, ``a few hundred`` 200; alone, before
  ``of`` and what is counted (``dozens of people``), or before what happened to them
  (``thousands displaced``). ``scores`` only as ``scores of …``; ``hundreds district``,
  ``Thousands Island`` and ``up to hundreds`` stay categories.

Strict bounds are stored closed: ``>2000`` and ``over 2,000`` are both ``{"min": 2000}``.
People who write "over 2,000" rarely mean 2,001 or more, and a closed interval keeps the
comparison with an exact 2,000 an agreement rather than a conflict.

Pure Python in the rules layer, importing only its own kind: the forms in digits are in
:mod:`provenance.figure_forms`, those in words in :mod:`provenance.figure_words`, and the
longest category a value may be is :mod:`provenance.vocab`'s; this module reads a whole
value or running text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from provenance.figure_forms import (
    _BOUNDS_AFTER,
    _MONTHS,
    _PERCENT_WORDS,
    _ROUGHLY_AFTER,
    _UNIT,
    ACCEPTED_FORMS,
    CURRENCY_SIGN,
    CURRENCY_SIGNS,
    FIGURE_PATTERN,
    Figure,
    FigureError,
    Number,
    _alternation,
    _entry,
    _to_number,
    _value_of,
    has_two_readings,
    is_scale_word,
    two_readings_error,
)
from provenance.figure_words import (
    _UNITS_WORDS,
    QUANTITY_PATTERN,
    QUANTITY_WORDS,
    WORD_FIGURE_PATTERN,
    _quantity_figures,
    _word_figures,
    joined_ranges,
)
from provenance.vocab import INVISIBLE_IN_WORDS

__all__ = [
    "ACCEPTED_FORMS",
    "CURRENCY_SIGN",
    "CURRENCY_SIGNS",
    "QUANTITY_WORDS",
    "WORD_FIGURE_PATTERN",
    "Figure",
    "FigureError",
    "Number",
    "describe_value",
    "format_number",
    "has_two_readings",
    "is_scale_word",
    "needs_category_mark",
    "parse_figure",
    "scan_figures",
    "two_readings_error",
    "value_from_text",
]


def parse_figure(text: str) -> Figure | None:
    """Parse a whole value as typed: the figure, then at most a unit.

    Returns None for text without a digit (a categorical value such as ``extended``), and
    raises :class:`FigureError`, naming the accepted forms, for text with a digit that is
    not a figure (``"3 May"``, ``"300 or so"`` with other numbers, ``"12ab"``)."""
    from provenance.vocab import CATEGORY_MAX

    stripped = _as_typed(text.strip())
    if len(stripped) > CATEGORY_MAX:
        return None  # no figure is this long: validation refuses the text, at once
    if not any(ch.isdigit() for ch in stripped):
        if stripped[:1] in {"<", ">", "~", "≈", "≥", "≤"}:
            raise FigureError(f"value {text!r} is not a figure; accepted: {ACCEPTED_FORMS}")
        return _figure_in_words(text, stripped)
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4}", stripped):
        raise FigureError(
            f"value {text!r} looks like a date, not a figure; give dates with --from/--to, "
            "or --category to keep the text"
        )
    money = _MONEY.search(stripped)
    if money:
        return _money(text, stripped, money)
    negative = re.fullmatch(r"-\s*(\d[\d,.]*)\s*(%|percent|per\s*cent)?", stripped)
    if negative:
        percent = "%" if negative[2] else None
        return Figure(-_to_number(negative[1], None), percent, 0, len(text))
    plus_minus = re.fullmatch(rf"({_NUMBER_TYPED})\s*(?:±|\+/-)\s*({_NUMBER_TYPED})(.*)", stripped)
    if plus_minus:  # "10 ± 2": 8 to 12
        middle, spread = Decimal(plus_minus[1]), Decimal(plus_minus[2])
        if spread > middle:
            raise FigureError(f"value {text!r} reaches below zero; give the range as N-M")
        return parse_figure(f"{middle - spread}-{middle + spread}{plus_minus[3]}")
    match = FIGURE_PATTERN.match(stripped)
    if match is None:
        joined = _range_in_words_and_digits(text, stripped)
        if joined is not None:
            return joined
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


def _range_in_words_and_digits(text: str, stripped: str) -> Figure | None:
    """``two to 2.5 million``, ``between two and 2.5 million people``: a range read in
    running text (one end in words) is the same range typed."""
    found = list(scan_figures(stripped))
    if len(found) != 1 or found[0].start != 0 or not isinstance(found[0].value, dict):
        return None
    rest = stripped[found[0].end :].strip()
    if rest and (not _UNIT.match(rest) or any(ch.isdigit() for ch in rest)):
        return None
    return Figure(found[0].value, rest or None, 0, len(text))


_MONEY = re.compile(rf"(?<!\w)(?P<sign>{CURRENCY_SIGN})\s*(?=\d|\.\d)")


_NUMBER_TYPED = r"\d+(?:\.\d+)?"
#: Thousands grouped by a plain space or an apostrophe, in a value typed whole ("1 200",
#: Swiss "1'200"): in running text "1 200" could be two numbers, in a value it cannot.
_GROUPED = re.compile(r"(?<![\d.,'’])(\d{1,3}(?:[ '’]\d{3})+)(?![\d'’])")
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"


def _as_typed(text: str) -> str:
    """A value as typed, in the forms the parser reads: a Unicode minus as "-", thousands
    grouped by spaces or apostrophes joined, "forty two" as "forty-two"."""
    text = text.replace("−", "-")
    text = _GROUPED.sub(lambda m: re.sub(r"[ '’]", "", m[1]), text)
    return re.sub(rf"\b({_TENS})\s+({_UNITS_WORDS})\b", r"\1-\2", text, flags=re.IGNORECASE)


def _money(text: str, stripped: str, money: re.Match[str]) -> Figure:
    """``$3.5bn``, ``about €2 million``, ``£40m-£50m``: the figure without its signs, in
    the currency the sign names (a unit word after it as well is refused: two units)."""
    currency = CURRENCY_SIGNS[money["sign"]]
    bare = _MONEY.sub("", stripped)
    try:
        figure = parse_figure(bare)
    except FigureError as error:
        raise FigureError(str(error).replace(repr(bare), repr(text), 1)) from None
    if figure is None or figure.unit not in (None, currency):
        raise FigureError(
            f"value {text!r} gives its unit twice (the {money['sign']} and "
            f"{figure.unit if figure else 'a word'!r}); give the figure with one unit"
        )
    return Figure(figure.value, currency, 0, len(text))


_BOUND_AFTER_UNIT = re.compile(rf"\s+(?P<bound>{_alternation(_BOUNDS_AFTER)})$", re.IGNORECASE)


_BOUND_ALONE = re.compile(rf"(?:{_alternation(_BOUNDS_AFTER)})", re.IGNORECASE)


def _bound_after_unit(value: Any, rest: str, text: str) -> tuple[Any, str]:
    """``20 people or more``: the bound written after the unit, applied to the value as
    ``20 or more people`` would be, and the unit without it."""
    if _BOUND_ALONE.fullmatch(rest.strip()):  # "20 or more or fewer", "20-plus or fewer"
        raise FigureError(f"value {text!r} puts two bounds on one figure")
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
    alone = re.fullmatch(r"(one|zero)(?:\s+([^\W\d_][\w'’-]*))?", stripped, re.IGNORECASE)
    # "one", "zero", "one person": running text skips a bare "one", a value may not
    if alone and not (alone[2] and (is_scale_word(alone[2]) or alone[2].lower() == "dozen")):
        if alone[2] and alone[2].lower() in _NOT_A_UNIT | {"of", "more", "less"}:
            return None
        return Figure(1 if alone[1].lower() == "one" else 0, alone[2], 0, len(text))
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
            shown = text if len(text) <= 80 else f"{text[:80]}…"
            raise FigureError(f"value {shown!r} is not valid JSON") from None
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
    yield from _plus_minus(text, joined_ranges(text, sorted(found, key=lambda f: f.start)))


def _plus_minus(text: str, found: list[Figure]) -> list[Figure]:
    """``10 ± 2`` in running text: the range a value typed so is (8 to 12)."""
    joined: list[Figure] = []
    for figure in found:
        if joined and re.fullmatch(r"\s*(?:±|\+/-)\s*", text[joined[-1].end : figure.start]):
            try:
                whole = parse_figure(text[joined[-1].start : figure.end])
            except FigureError:
                whole = None
            if whole is not None:
                joined[-1] = Figure(whole.value, None, joined[-1].start, figure.end)
                continue
        joined.append(figure)
    return joined


#: Before a number, what makes it a piece of another: a digit then a separator ("12,34"),
#: an invisible character (a zero-width space, a soft hyphen: "2\u200b000"), or a
#: terminal's colour code ("\x1b[31m").
_INSIDE_A_NUMBER = re.compile(rf"(?:\d[,.'’]|[{INVISIBLE_IN_WORDS}]|\x1b\[[\d;]*)$")
#: After a number, an invisible character inside it, or thousands after an apostrophe
#: ("1'200": the Swiss grouping, which a value typed whole reads).
_PIECE_AFTER = re.compile(rf"[{INVISIBLE_IN_WORDS}]\d|['’]\d{{3}}(?!\d)")


def _digit_figures(text: str) -> Iterator[Figure]:
    for match in FIGURE_PATTERN.finditer(text):
        start, end = match.start(), match.end()
        before, after = text[max(0, start - 12) : start], text[end : end + 12]
        if start and (text[start - 1].isalnum() or text[start - 1] in "-/:"):
            continue
        if _INSIDE_A_NUMBER.search(text, max(0, start - 12), start) or _PIECE_AFTER.match(
            text, end
        ):
            continue  # a piece of "12,34", "2\u200b000" or a terminal's "\x1b[31m": no figure
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
