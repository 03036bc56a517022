"""What single words and short runs of words are, whatever the sentence: a noun that names
a claim, a determiner, an outlet's name, a cue's form and the words it qualifies ("state
media", "confirmed cases"), a place ("Oaxaca state"), a time ("in July"), an occasion
("in a television interview") and how wire copy describes people it cites ("familiar
with the matter"). :mod:`.phrases` builds speaker phrases from them."""

from __future__ import annotations

import re

from provenance.io.reading import lexicon as lx
from provenance.io.reading.tokens import Token

#: Nouns that name a claim ("…, a figure the junta called …", "…, a charge that Hamas
#: denies"): not part of a speaker, and what a party after them speaks of.
CLAIM_NOUNS = {"charge", "claim", "accusation", "allegation", "assertion", "figure", "toll",
               "estimate", "version", "account", "report", "number"}  # fmt: skip
DETERMINERS = {"the", "a", "an", "his", "her", "its", "their", "this", "these", "those", "our",
               "your", "such", "any", "some", "no", "my", "every", "each"}  # fmt: skip


#: Media words that are also common nouns: the last word of an outlet's name only after a
#: name ("The Jakarta Post", not "a viral post"; "state media" stays an outlet).
_ALSO_COMMON_NOUNS = {"post", "times", "daily", "journal", "wire", "press"}


def is_outlet(phrase: str) -> bool:
    words = phrase.lower().replace("’", "'")
    bare = re.sub(r"^(?:the|a|an|local|state|state-run|state-owned)\s+", "", words)
    if words in lx.OUTLETS or bare in lx.OUTLETS:
        return True
    tokens = re.findall(r"[\w.'-]+", words)
    if tokens[-2:-1] in (["news"], ["press"]) and tokens[-1] == "agency":
        return True
    # "The Jakarta Post" is an outlet, "a viral post" is not: a media word ends a name
    named = re.findall(r"[\w.'’-]+", phrase)
    if len(named) == 1 and re.search(r"[a-z-](?:TV|News|Radio|Times|Post|Daily)$", named[0]):
        return True  # one word run together: "PressTV", "TeleSurTV"
    if len(named) >= 2 and named[0] in {"Radio", "Channel", "Television", "TV"}:
        return True  # "Radio Pakistan", "Channel 4"
    return bool(tokens) and (
        (
            tokens[-1] in lx.MEDIA_WORDS
            and tokens[-1] != "network"
            and (
                tokens[-1] not in _ALSO_COMMON_NOUNS
                or len(named) < 2
                or named[-2][:1].isupper()
                or named[-2][:1].isdigit()
            )
        )
        or any(t in lx.OUTLETS for t in tokens)
        or " ".join(tokens[-2:]) in lx.OUTLETS
    )


def is_cue_form(low: str) -> bool:
    return low in lx.ASSERT_VERBS or low in lx.DENY_VERBS


#: Nouns that a cue's form qualifies rather than speaks of: "state media", "confirmed
#: cases", "reported deaths".
_QUALIFIED = {
    "state": lx.MEDIA_WORDS | lx.SPEAKER_HEADS | {"news", "security", "forces", "governor"},
    "confirmed": lx.COUNT_NOUNS,
    "reported": lx.COUNT_NOUNS,
    "suspected": lx.COUNT_NOUNS,
}


def qualifies(tokens: list[Token], i: int, *, title_case: bool = False) -> bool:
    """Whether the cue form at ``i`` is no verb: a word of a name ("United States
    Geological Survey"; not in a headline in Title Case, where "Israel Says It" speaks) or
    a qualifier of the noun after it ("state media", "confirmed cases")."""
    t = tokens[i]
    following = tokens[i + 1] if i + 1 < len(tokens) else None
    if following is None:
        return False
    if t.text[:1].isupper() and i > 0 and tokens[i - 1].capital and tokens[i - 1].word:
        return tokens[i - 1].low == "united" or (
            not title_case and following.capital and following.word
        )
    if t.low == "state":
        return following.low in _QUALIFIED["state"]
    # "48 confirmed cases", "cumulative confirmed deaths"; "the ministry reported deaths" speaks
    return following.low in _QUALIFIED.get(t.low, ()) and (
        i == 0 or tokens[i - 1].text[:1].isdigit() or tokens[i - 1].low in _BEFORE_A_QUALIFIER
    )


#: Words before "confirmed cases" that make "confirmed" a qualifier, not a verb.
_BEFORE_A_QUALIFIER = DETERMINERS | {
    "cumulative", "total", "new", "more", "fewer", "additional", "of", "with", "and",
    "probable", "daily", "weekly", "overall", "recent", "latest",
}  # fmt: skip


#: Where a party spoke, after its name: "in a television interview", "during a call".
AN_OCCASION = re.compile(
    r"(?:in|on|during|at)\s+(?:an?|the|his|her|its|their)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:interview|statement|speech|briefing|conference|post|video|tweet|message|letter|"
    r"address|call|meeting|hearing|rally)s?\b",
    re.IGNORECASE,
)
#: A month or a year after "in": when, not where.
A_TIME = re.compile(
    r"january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|1[89]\d\d|20\d\d"
)


def a_place(tokens: list[Token], j: int) -> bool:
    """ "Oaxaca state", "Borno State": a state that says nothing (a state states "that")."""
    after = tokens[j + 1].low if j + 1 < len(tokens) else ""
    return tokens[j].low in {"state", "states"} and after not in {"that", ":"}


def familiar_with(tokens: list[Token], j: int) -> int | None:
    """Where "familiar with the matter" (at token j) ends, past its last word: how wire
    stories describe the unnamed people they cite."""
    if tokens[j].low != "familiar" or j + 2 >= len(tokens) or tokens[j + 1].low != "with":
        return None
    k = j + 2
    if tokens[k].low in {"the", "a", "an", "their", "its", "his", "her", "these", "those"}:
        k += 1
    end = k
    while end < len(tokens) and end - k < 3 and tokens[end].word and not tokens[end].capital:
        if tokens[end].low in lx.CLAUSE_WORDS or is_cue_form(tokens[end].low):
            break
        end += 1
    return end if end > k else None
