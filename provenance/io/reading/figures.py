"""Figures in an attributed clause, through the one value parser
(:func:`provenance.figures.scan_figures`), with the counted thing as unit and property:
``killing 276 civilians`` → 276, unit ``civilians``, property ``civilians_killed``;
``at least 31 children were killed`` → ``{"min": 31}``, ``children_killed``;
``killed four people and wounded 13`` → 4 ``people_killed`` and 13 ``people_wounded``;
``between $2 billion and $3 billion`` → a range in the unit ``USD`` (property ``usd``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from provenance.figure_forms import _MONTHS
from provenance.figures import (
    CURRENCY_SIGN,
    CURRENCY_SIGNS,
    has_two_readings,
    is_scale_word,
    scan_figures,
)
from provenance.io.reading import lexicon as lx
from provenance.vocab import parse_value, slugify

#: What happened to what was counted, by the forms reporting uses.
_OUTCOMES = {
    "killed": "killed", "killing": "killed", "kill": "killed", "kills": "killed",
    "dead": "killed", "died": "killed", "slain": "killed", "executed": "killed",
    "wounded": "wounded", "wounding": "wounded", "injured": "injured", "injuring": "injured",
    "hurt": "injured", "displaced": "displaced", "displacing": "displaced",
    "arrested": "arrested", "arresting": "arrested", "detained": "detained",
    "detaining": "detained", "abducted": "abducted", "abducting": "abducted",
    "kidnapped": "kidnapped", "kidnapping": "kidnapped", "captured": "captured",
    "capturing": "captured", "destroyed": "destroyed", "destroying": "destroyed",
    "missing": "missing", "lost": "lost", "evacuated": "evacuated", "rescued": "rescued",
    "downed": "shot_down", "shot": "shot_down", "intercepted": "intercepted",
    "starved": "starved", "fled": "fled", "freed": "freed", "released": "released",
    "trapped": "trapped", "stranded": "stranded", "drowned": "killed",
}  # fmt: skip
_STOP = {
    "and", "or", "in", "of", "the", "were", "was", "are", "is", "had", "have", "has", "from",
    "to", "at", "on", "by", "since", "as", "who", "which", "that", "with", "for", "a", "an",
    "over", "into", "across", "during", "after", "before", "when", "while", "among", "but",
    "been", "be", "per", "than", "more", "other", "its", "their", "this", "these",
    "those", "some", "all", "each", "there", "it", "they", "he", "she", "we", "not", "so",
    "total", "less", "including", "may", "might", "could", "would", "will", "can", "should",
    "must", "reportedly", "also", "still", "now", "already", "allegedly", "overnight",
    "today", "yesterday", "tonight", "earlier", "later", "recently", "last", "next",
    "remain", "remains", "remained",
}  # fmt: skip
#: Words between a count and what it counts that say it adds to an earlier one.
_INCREMENT = {"more", "other", "further", "additional"}
_TIME_UNITS = {
    "years", "year", "months", "month", "days", "day", "weeks", "week", "hours", "hour",
    "minutes", "minute", "seconds", "am", "pm", "a.m", "p.m", "gmt", "utc", "noon",
    "midnight", "o'clock", "decades", "decade", "times", "percent", "per", "km", "kilometres",
    "kilometers", "miles", "metres", "meters",
}  # fmt: skip
#: Amounts named by their currency: what happens next to them ("hurt by …") is no outcome.
_CURRENCY_WORDS = {
    "dollars", "euros", "pounds", "yen", "yuan", "renminbi", "rupees", "roubles", "rubles",
    "kronor", "kroner", "francs", "pesos", "reais", "rand", "naira", "shillings", "dinars",
    "riyals", "dirhams", "lira", "won", "baht", "ringgit", "hryvnias", "cedis",
}  # fmt: skip
#: "The death toll tops 50,000": a count above the figure.
_ABOVE = re.compile(
    r"\b(?:tops|topped|top|exceeds|exceeded|exceed|surpasses|surpassed|surpass|passes|"
    rf"passed)\s+(?:{CURRENCY_SIGN})?\s*$",
    re.IGNORECASE,
)
_OUTCOME_WORDS = "|".join(sorted(_OUTCOMES, key=len, reverse=True))
#: "The death toll … has risen to 15", "the toll stood at 40": a count with no noun after
#: it, of the deaths (or injuries) the toll before it names.
_TOLL = re.compile(
    r"\b(?P<kind>death|fatality|injury|casualty)?\s*toll\b(?:[^.;!?]|\.\d){0,90}?"
    r"\b(?:to|at|reached|reaches|hit|hits|passed|passes|topped|tops|exceeded|exceeds|"
    r"surpassed|surpasses|is|was|of)\s*$",
    re.IGNORECASE,
)
_TOLL_OUTCOMES = {None: "killed", "death": "killed", "fatality": "killed", "injury": "injured"}
#: "Cumulative confirmed cases stand at 48", "deaths have jumped to 17": a count whose
#: counted thing comes before it.
_COUNT_BEFORE = re.compile(
    r"\b(?P<noun>cases|deaths|infections|fatalities|casualties|recoveries|admissions|arrests|"
    r"injuries|hospitali[sz]ations|patients|evacuees|refugees|migrants|detainees)\b"
    r"(?:[^.;!?]|\.\d){0,40}?\b(?:stands?|stood|rose|risen|jumped|climbed|reached|increased|"
    r"grew|grown|totals?|totall?ed|hit|hits|now|currently)(?:\s+(?:at|to))?\s*$",
    re.IGNORECASE,
)
#: "the number of abducted officers was twelve", "the number of people killed rose to 40":
#: the counted thing (and what happened to it) named before the count.
_NUMBER_OF = re.compile(
    r"\bnumber\s+of\s+(?P<words>(?:[^\W\d_]+\s+){0,2}[^\W\d_]+)\s+"
    r"(?:has\s+|had\s+|now\s+)?(?:is|was|were|are|stands?\s+at|stood\s+at|rose\s+to|risen\s+to|"
    r"reached|climbed\s+to|increased\s+to|hit|totals?|totall?ed)\s*$",
    re.IGNORECASE,
)
_ESTIMATING = "|".join(sorted(lx.ESTIMATING_FORMS, key=len, reverse=True))
#: "they estimated the turnout at half a million", "estimates the number of dead at 40":
#: what is counted, the verb's object, before "at" and the figure.
_ESTIMATED = re.compile(
    rf"\b(?:{_ESTIMATING})\s+(?:the|its|their|his|her)\s+"
    r"(?P<words>(?:[^\W\d_][\w’'-]*\s+){1,4}?)"
    r"at\s+(?:(?:only|just|closer\s+to|close\s+to|a\s+mere)\s+)?$",
    re.IGNORECASE,
)
#: After a verb that estimates only with "at" ("put", "pegged"): its object, "at" and a
#: figure ("put the turnout at 1,500"), where "put pressure on" says nothing.
_AT_A_FIGURE = re.compile(
    r"\s+(?:the|its|their|his|her)\s+(?:[^\W\d_][\w’'-]*\s+){1,4}?"
    r"at\s+(?:(?:only|just|about|around|some|roughly|nearly|almost|more\s+than|over|"
    r"at\s+least|closer\s+to|close\s+to|a\s+mere)\s+)?(?:[$€£]\s?)?\d",
    re.IGNORECASE,
)


def estimate_at(after: str) -> bool:
    """Whether what follows a verb gives its object "at" a figure (``put``, ``pegged``)."""
    return _AT_A_FIGURE.match(after[:120]) is not None


#: What a figure is compared with: "down from $11.62 billion, or $12.30 a share, a year
#: earlier", "compared with 40 a year ago". Its figures are no claim of their own.
_BASELINE = re.compile(
    r"\b(?:(?:down|up|rising|falling|rose|fell|increased|decreased)\s+from|compared\s+(?:with|to)|"
    r"versus|vs\.?)\s+(?:[^.;]|\.\d){0,80}?(?:\b(?:a|one)\s+year\s+(?:earlier|ago|before)\b|"
    r"\byear[- ]ago\b|\blast\s+year\b|(?=[.;](?!\d)|$))",
    re.IGNORECASE,
)
#: "a magnitude 6.9 earthquake", "a 7.1-magnitude quake": a measure, not a count.
_MAGNITUDE_BEFORE = re.compile(r"\b(?:magnitude|richter)\s*[-–]?\s*$", re.IGNORECASE)
_MAGNITUDE_AFTER = re.compile(r"\s*[-–]?\s*magnitude\b", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][\w’'-]*")
#: A count whose counted thing the one before it gave: "15 died in Chiapas and four in
#: Tabasco" (after "and" or a comma, before a place).
_ELLIPSIS_BEFORE = re.compile(r"^[^.;:]{0,60}(?:,|\band|\bwhile|\bincluding)\s*$")
_PLACE_AFTER = re.compile(
    r"\s+(?:in|at|from)\s+(?:the\s+)?(?P<place>[A-Z][\w’'-]*(?:\s+(?:[A-Z][\w’'-]*|state|"
    r"province|district|region|county|city|governorate|camp))*)"
)


@dataclass(frozen=True)
class Found:
    value: Any
    unit: str | None
    property: str | None
    #: The words quoted for this figure (qualifier, number, counted thing, what happened).
    start: int
    end: int
    #: Where, when a list of counts names one ("15 died in Chiapas and four in Tabasco").
    place: str | None = None


def _place_after(text: str) -> str | None:
    found = _PLACE_AFTER.match(text)
    return None if found is None else found["place"]


def _words_after(text: str, at: int, count: int) -> list[re.Match[str]]:
    return list(_WORD.finditer(text, at))[:count]


def _in_a_name(text: str, start: int, at: int) -> bool:
    """A number right after a capitalised word inside a sentence in running text, not a
    month's, nor in a headline's Title Case: ``SpaceX's Falcon 9``, ``the Boeing 737``."""
    before = re.search(r"(?<=\s)([A-Z][a-z][\w’'-]*) $", text[max(start, at - 40) : at])
    if before is None or before.group(1).lower().rstrip(".") in _DATE_WORDS:
        return False
    words = re.findall(r"[^\W\d_]+", text[start:at])
    capitals = sum(1 for word in words if word[:1].isupper())
    return len(words) >= 3 and capitals * 2 < len(words)


#: Months and days before a number that is a date, not a name's ("May 9", "Friday 13").
_DATE_WORDS = _MONTHS | set(lx.WEEKDAYS)


def figures(text: str, start: int, end: int) -> list[Found]:
    """The figures of ``text[start:end]``, with offsets in ``text``."""
    clause = text[start:end]
    found: list[Found] = []
    previous_unit: str | None = None
    #: the totals of "four of the 11 shootings": context for the count before them
    totals: set[int] = set()
    baselines = [(start + m.start(), start + m.end()) for m in _BASELINE.finditer(clause)]
    # currency signs read as spaces, so "between $2 billion and $3 billion" is one range
    for figure in scan_figures(re.sub(CURRENCY_SIGN, lambda m: " " * len(m.group()), clause)):
        a, b = start + figure.start, start + figure.end
        if a in totals or any(low < a < high for low, high in baselines):
            continue  # a total, or what a figure is compared with ("down from $11.62 billion")
        before = text[max(start, a - 14) : a]
        written = text[a:b]
        sign_before = re.search(rf"(?:{CURRENCY_SIGN})\s*$", before)
        sign = sign_before or re.search(CURRENCY_SIGN, written)
        value = figure.value
        above = _ABOVE.search(text[max(start, a - 16) : a])
        if above and isinstance(value, int | float):  # "the toll tops 50,000": more than it
            value = {"min": value}
        if sign:  # "$2 billion", "between $2 billion and $3 billion": an amount of money
            currency = CURRENCY_SIGNS[sign.group().strip()]
            if sign_before:
                a = max(start, a - 14) + sign_before.start()
            found.append(Found(value, currency, currency.lower(), a, b))
            continue
        if any(has_two_readings(n) for n in re.findall(r"[\d.]+", written)):
            continue  # 1.500: 1.5 or 1,500? The analyst reads it and gives --value
        if isinstance(figure.value, int) and 1900 <= figure.value <= 2100 and written.isdigit():
            continue  # a year (2,000 with its comma is a count)
        if re.search(r"\d\s+in\s+$", before) or re.match(r"\s+in\s+\d", text[b:end]):
            continue  # "1 in 5": odds, no count
        if written.isdigit() and _in_a_name(text, start, a):
            continue  # "Falcon 9", "Boeing 737", "Article 5": part of a name
        if re.match(r"\s?[ap]\.?m\b", text[b:end], re.IGNORECASE):
            continue  # a clock time: "at about 7 p.m.", "11am"
        if _MAGNITUDE_BEFORE.search(before) or _MAGNITUDE_AFTER.match(text[b:end]):
            continue  # an earthquake's magnitude
        pct = re.match(r"\s*(?:%|percent|per\s*cent)", text[b:end])
        if pct:
            found.append(Found(figure.value, "%", None, a, b + pct.end()))
            continue
        # the counted thing: up to three words after the number
        unit_words: list[str] = []
        unit_end = b
        partitive = re.match(r"\s+of\s+(?:the|them|those|these|its|their)\b", text[b:end])
        total = re.match(
            r"\s+of\s+(?:the\s+|all\s+|its\s+|their\s+)?(?P<total>\d[\d,.]*)"
            r"(?:\s+(?:thousand|million|billion))?\b",
            text[b:end],
        )
        if total:  # "four of the 11 shootings": 4 shootings, out of 11
            totals.add(b + total.start("total"))
            partitive = total
        scan_from = b + partitive.end() if partitive else b
        if partitive:
            unit_end = scan_from
        for word in _words_after(text[:end], scan_from, 3):
            low = word.group().lower()
            gap = text[unit_end : word.start()]
            if gap.strip() not in {""}:
                break
            if (
                not unit_words
                and low in _INCREMENT
                and not re.match(r"\s+than\b", text[word.end() :])
            ):
                unit_end = word.end()  # "two more bodies", "three other people": bodies, people
                continue
            if low in _STOP or low in _OUTCOMES:
                break
            if low.endswith(("ed", "ing")) and unit_words and low not in {"armed", "displaced"}:
                break
            unit_words.append(word.group())
            unit_end = word.end()
        if unit_words and unit_words[0].lower().rstrip(".") in _TIME_UNITS:
            continue
        if unit_words and is_scale_word(unit_words[0]):
            continue  # 12 k homes, 10 million million: no one reading to propose
        if unit_words and unit_words[0].lower() in _CURRENCY_WORDS:  # "410 million euros"
            money = " ".join(unit_words)
            prop = slugify(money, max_length=60).replace("-", "_")
            found.append(Found(value, money, prop, a, unit_end))
            previous_unit = money
            continue
        unit = " ".join(unit_words) if unit_words else None
        # what happened: a verb just before ("killing 276 …") or a participle after
        outcome = None
        verb = re.search(
            r"(\b[a-z]+)\s+(?:down\s+)?(?:all\s+)?$", text[max(start, a - 20) : a], re.IGNORECASE
        )
        if verb and verb.group(1).lower() in _OUTCOMES:  # "Killed" in a Title Case headline
            outcome = _OUTCOMES[verb.group(1).lower()]
            a = max(start, a - 20) + verb.start()
        else:
            ahead = text[unit_end:end]
            after = re.match(
                r"(?:\s+(?:and|or)\s+(?:\w+\s+){1,3}?)?\s*,?\s*(?:(?:were|was|have|has|had|are|is|may|"
                r"might|could|would|will|reportedly|allegedly|also|been|more|still|remain|remains|"
                r"remained|reported|believed|feared|presumed|confirmed|now)\s+)*(?P<what>"
                + _OUTCOME_WORDS
                + r")\b",
                ahead,
                re.IGNORECASE,
            )
            if after and after["what"].lower() in _OUTCOMES:
                outcome = _OUTCOMES[after["what"].lower()]
                if not after.group().lstrip().startswith(("and", "or")):
                    unit_end += after.end()
        if unit is None and outcome is None and found and found[-1].property:
            # "15 died in Chiapas state and four in Tabasco state": the same count elsewhere
            place = _place_after(text[b:end])
            if place and _ELLIPSIS_BEFORE.search(text[found[-1].end : a]):
                # each count of the list is of its own place, the first one's included
                earlier = found[-1]
                if earlier.place is None:
                    found[-1] = replace(earlier, place=_place_after(text[earlier.end : end]))
                found.append(Found(value, earlier.unit, earlier.property, a, b, place))
                continue
        if unit is None and outcome is None:
            counted = _COUNT_BEFORE.search(text[start:a])
            if counted:
                unit = counted["noun"].lower()
        if unit is None and outcome is None:
            number_of = _NUMBER_OF.search(text[start:a])
            if number_of:
                words = number_of["words"].split()
                happened = [w for w in words if w.lower() in _OUTCOMES]
                things = [w for w in words if w.lower() not in _OUTCOMES]
                outcome = _OUTCOMES[happened[-1].lower()] if happened else None
                unit = things[-1] if things else None
        if unit is None and outcome is None:
            toll = _TOLL.search(text[start:a])
            kind = toll["kind"].lower() if toll and toll["kind"] else None
            if toll and kind in _TOLL_OUTCOMES:
                outcome = _TOLL_OUTCOMES[kind]
            elif toll:
                unit = "casualties"  # killed and wounded together
        if unit is None and outcome is None:
            # the verb may be the cue, just before the clause
            estimated = _ESTIMATED.search(text[max(0, start - 40) : a])
            if estimated:  # "put the turnout at 1,500": turnout; "the number of dead": dead
                words = estimated["words"].split()
                unit = words[-1] if "of" not in words else words[words.index("of") + 1]
        if unit is None and outcome is not None:
            unit = previous_unit if previous_unit and previous_unit != "others" else "people"
        if unit is None:
            continue
        previous_unit = unit
        prop = slugify(f"{unit} {outcome or ''}".strip(), max_length=60).replace("-", "_")
        found.append(Found(value, unit, prop, a, unit_end))
    return [figure for figure in found if _storable(figure.value)]


def _storable(value: Any) -> bool:
    """A value the store takes (a figure past ±10^18 would sink the whole --apply)."""
    try:
        parse_value(value)
    except ValueError:
        return False
    return True
