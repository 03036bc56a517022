"""From a speaker phrase as written to a party: names, people behind titles, acronyms,
pronouns and definite descriptions resolved within the document, and a kind guess.

* ``the paramilitary Rapid Support Forces (RSF)`` → *Rapid Support Forces*, alias *RSF*,
  kind *armed group*; a later ``RSF`` or ``the paramilitary`` is the same party;
* ``Ukrainian Foreign Minister Dmytro Kuleba`` → the person *Dmytro Kuleba* (kind
  *official*): the name after the last title is who spoke;
* ``Two senior humanitarian officials`` → *humanitarian officials* (kind *unnamed*);
* ``she`` / ``he`` → the most recent person named; ``it`` / ``the group`` / ``the
  ministry`` / ``the organization`` → the most recent party that fits; a description that
  fits nobody stays itself (``ministry``)."""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from provenance.io.reading import lexicon as lx
from provenance.io.reading.words import is_outlet
from provenance.vocab import INVISIBLE_IN_WORDS, slugify

#: A party named only by what it is, that is a state's forces: "the rebels" is never it.
STATE_FORCES = {"army", "military", "junta", "government", "police", "troops", "forces",
                "regime", "the army", "the military", "the junta", "the government"}  # fmt: skip
_LEADING = re.compile(
    r"^(?:(?:meanwhile|however|but|and|also|then|earlier|later|separately|still|yet|"
    r"instead|moreover|furthermore|meantime|while|both|all|some|several|many|(?-i:other)|another|"
    r"the|a|an|senior|top|two|three|four|five|six|seven|eight|nine|ten|dozens\s+of|"
    r"hundreds\s+of|one\s+of\s+the|some\s+of\s+the|"
    r"[$€£]?\s?\d[\d.,]*(?:\s+(?:million|billion|thousand))?)\s+)+",
    re.I,
)
_TRAILING = re.compile(
    r"(?:['’]s?)?\s+(?:statement|report|announcement|post|tweet|communiqu[eé]|account|"
    r"figures|data|statistics|tally|tallies|estimates?|count|toll)$"
    r"|\s+(?:on|late\s+on|early\s+on)\s+[A-Z][a-z]+day(?:\s+\w+)?$|\s+\(local time\)$",
    re.I,
)
_PLACED_AT_LENGTH = re.compile(
    r"(?P<head>[a-z][\w-]*(?:\s+[a-z][\w-]*){0,3})\s+(?:in|from|at)\s+\S.*\b[a-z]+\s+(?:of|in)\s+\S"
)
#: A newspaper's name ends with a capitalised word that, lower-case, is what a party issued.
_NEWSPAPER = re.compile(r"[A-Z][\w.'’-]*\s+(?:Post|Report)$")
#: A company's stock ticker after its name: "(NYSE:TRI)", "(Nasdaq: AAPL)", "(7203.T)".
_TICKER = re.compile(
    r"\s*\((?:[A-Za-z]{2,8}\s*:\s*)?[A-Z0-9]{1,6}\.[A-Z]{1,3}\)|\s*\([A-Za-z]{2,8}\s*:\s*[A-Z0-9.]{1,8}\)"
)
_ACRONYM = re.compile(r"\s*[(\[]([A-Z][A-Za-z0-9-]{1,9})[)\]]\s*$")
_MARKERS = re.compile(
    r"[-‐](?:owned|run|backed|affiliated|controlled|led|aligned|allied|based)\b", re.I
)
_COUNTRIES = {
    "russia", "ukraine", "israel", "rwanda", "sudan", "myanmar", "china", "india", "iran",
    "iraq", "syria", "lebanon", "yemen", "haiti", "congo", "egypt", "qatar", "turkey",
    "france", "germany", "britain", "uk", "u.k.", "us", "u.s.", "usa", "america",
    "united states", "moscow", "kyiv", "kiev", "beijing", "washington", "kinshasa",
    "kigali", "tehran", "jerusalem", "gaza", "pakistan", "afghanistan", "ethiopia",
    "somalia", "libya", "mali", "niger", "chad", "uganda", "kenya", "burundi", "japan",
    "thailand", "bangladesh", "palestinians", "israelis", "ukrainians", "russians",
    "saudi arabia", "uae", "jordan", "belarus", "poland", "nato", "eu", "european union",
}  # fmt: skip


@functools.lru_cache(maxsize=4096)
def _slug(name: str) -> str:
    """A party's key from its name, without the invisible characters a web page leaves
    inside words ("U\u200bN" is the UN, "John\u00adSmith" John Smith)."""
    return slugify(_INVISIBLE.sub("", name))


_INVISIBLE = re.compile(f"[{INVISIBLE_IN_WORDS}]")

#: What a party issues, named afterwards as if it spoke: "according to the statement".
_WHAT_A_PARTY_ISSUED = {"statement", "bulletin", "release", "communique", "communiqué", "filing"}
DESCRIPTION_HEADS = {
    "group", "organization", "organisation", "ministry", "paramilitary", "paramilitaries",
    "army", "military", "agency", "network", "office", "rebels", "militia", "movement",
    "coalition", "alliance", "watchdog", "monitor", "government", "force", "forces",
    "junta", "regime", "council", "committee", "company", "body", "mission", "service",
    "statement", "report", "spokesman", "spokeswoman", "spokesperson", "official", "union",
    "authorities", "police", "administration", "outlet", "broadcaster", "channel",
    "commission", "authority", "department",
}  # fmt: skip


@dataclass(eq=False)  # parties are compared by identity
class Party:
    name: str
    kind: str | None
    acronym: str | None = None
    person: bool = False
    plural: bool = False
    descriptors: set[str] = field(default_factory=set)
    #: Other ways the document wrote it (for the aliases of a proposed source).
    written: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        # "Iran's state news agency" → irans-state-news-agency (not iran-s-…)
        return _slug(re.sub(r"(?<=\w)['’]s\b", "s", self.acronym or self.name))


def _words(text: str) -> list[str]:
    return re.findall(r"[\w’'.-]+", text)


#: The words of what a title is "of" or "for": "Commissioner of Police", "Secretary of
#: State", "Minister for Home Affairs", "Chief of Staff".
_PORTFOLIO = {
    "police", "state", "staff", "defence", "defense", "health", "finance", "interior",
    "foreign", "home", "affairs", "justice", "education", "information", "public",
    "security", "the", "army", "navy", "armed", "forces", "operations", "communications",
    "agriculture", "trade", "commerce", "labour", "labor", "energy", "transport",
    "environment", "economy", "planning", "works", "and", "internal", "external",
    "national", "homeland", "media", "relations", "culture", "sport", "sports", "tourism",
    "industry", "mines", "water", "housing", "immigration", "intelligence", "prisons",
}  # fmt: skip


def person_after_title(phrase: str) -> str | None:
    """'Junta spokesman Major General Zaw Min Tun' → 'Zaw Min Tun'."""
    words = re.sub(r"\([^()]{1,12}\)", " ", phrase).split()  # "… of Police (DCP) Pranav Tayal"
    last_title = None
    for index, word in enumerate(words):
        bare = word.lower().rstrip(".,").replace("’s", "").replace("'s", "")
        if bare in lx.TITLES or bare.split("-")[-1] in {"general", "minister", "director"}:
            last_title = index
    if last_title is None or last_title == len(words) - 1:
        return None
    after = last_title + 1
    if words[after].lower() in {
        "of",
        "for",
    }:  # "Commissioner of Police", "Minister for Home Affairs"
        after += 1
        while after < len(words) - 1 and words[after].lower() in _PORTFOLIO:
            after += 1
        if after == last_title + 2 or not looks_like_person(" ".join(words[after:])):
            return None
    name = words[after:]
    if all(
        w[:1].isupper() or w.lower() in lx.NAME_PARTICLES or w.lower().startswith(("al-", "el-"))
        for w in name
    ) and any(w[:1].isupper() for w in name):
        if len(name) == 1 and name[0].upper() == name[0]:
            return None  # "spokesman UN" is no name
        return " ".join(name)
    return None


_BODIES = lx.MULTIWORD_BODIES | {words for words in lx.NGO_WORDS if " " in words}


#: A name's initials: "MM", "G.K.", "A.R.".
_INITIALS = re.compile(r"[A-Z]{2,3}|(?:[A-Z]\.){1,3}")


def looks_like_person(name: str) -> bool:
    words = name.split()
    if not 2 <= len(words) <= 4 or name.lower() in _COUNTRIES:
        return False
    low = {w.lower().strip(".,’'") for w in words}
    if low & (
        lx.ARMED_WORDS
        | lx.OFFICIAL_WORDS
        | lx.NGO_WORDS
        | lx.MEDIA_WORDS
        | lx.SPEAKER_HEADS
        | lx.ORGANISATION_WORDS
    ):
        return False
    if any(f" {phrase} " in f" {name.lower()} " for phrase in _BODIES):
        return False  # "United Nations", "Red Cross", "White House", "Human Rights Watch"
    return all(
        (w[:1].isupper() and not w.isupper())
        or w.lower() in lx.NAME_PARTICLES
        or w.lower().startswith(("al-", "el-"))
        # initials before a name, as South Asian reporting writes them: "MM Mani"
        or (index == 0 and _INITIALS.fullmatch(w) is not None)
        for index, w in enumerate(words)
    )


def guess_kind(name: str, descriptors: set[str], *, person: bool, title: str) -> str | None:
    text = " ".join([*descriptors, title, name]).lower().replace("’", "'")
    words = set(re.findall(r"[\w.'-]+", text)) | {
        w.split("-")[0] for w in re.findall(r"[\w'-]+", text)
    }
    joined = f" {text} "
    if is_outlet(name) or descriptors & lx.MEDIA_WORDS:
        return "media"
    if person:
        return "official" if words & lx.OFFICIAL_WORDS or title else "person"
    names = name.split()
    if (
        names
        and names[-1].lower() in lx.UNNAMED_WORDS
        and not any(w[:1].isupper() for w in names[1:])
    ):
        return "unnamed"  # "aid officials", "Observers" (capital only to open a sentence)
    if words & lx.ARMED_WORDS or any(f" {w} " in joined for w in lx.ARMED_WORDS if " " in w):
        return "armed group"
    if any(f" {w} " in joined for w in lx.OFFICIAL_WORDS if " " in w) or words & lx.OFFICIAL_WORDS:
        return "official"
    if name.lower() in _COUNTRIES:
        return "official"
    if words & lx.NGO_WORDS or "human rights" in text:
        return "ngo"
    if not any(w[:1].isupper() for w in name.split()) or words & lx.UNNAMED_WORDS:
        return "unnamed"
    return None


def parse(phrase: str) -> Party:
    """A speaker phrase on its own: name, acronym, person, descriptors, kind."""
    text = " ".join(phrase.split()).strip(" ,;:“”\"'’")
    text = re.sub(r"^(?:[A-Z][a-z]+:\s+)", "", text)  # "Moscow: Russia"
    text = _LEADING.sub("", text)
    text = re.sub(r"^(?:its|their|his|her)\s+", "", text, flags=re.I)
    text = re.sub(r"^unnamed\s+", "", text, flags=re.I)
    stripped = _TRAILING.sub("", text).strip()
    if _NEWSPAPER.search(text):
        stripped = text  # "the Washington Post", "The Drudge Report": a name, not a post
    if re.search(r"[A-Z0-9]", stripped) and not re.fullmatch(
        r"[A-Z][a-z]+(?:ian|ese|ish|i|an)", stripped
    ):
        text = stripped  # "UN figures" → UN, but "Israeli tallies" stays as written
    text = _TICKER.sub("", text).strip()  # "Thomson Reuters Corp (NYSE:TRI)"
    acronym = None
    found = _ACRONYM.search(text)
    if found:
        acronym = found.group(1)
        text = text[: found.start()].strip()
    descriptors: set[str] = set()
    title = ""
    person = person_after_title(text)
    if person:
        title = text[: len(text) - len(person)].strip()
        descriptors = {w.lower() for w in _words(title)}
        name = person
    else:
        name = text
        words = name.split()
        # "the paramilitary Rapid Support Forces", "Local news portal Media Congo",
        # "the Houthi-owned Al-Masirah": descriptors before a name in Title Case;
        # "New York-based Human Rights Watch": the place goes with its marker
        marked = max((i + 1 for i, w in enumerate(words[:-1]) if _MARKERS.search(w)), default=1)
        for index in range(marked, len(words)):
            head, rest = words[:index], words[index:]
            if not rest[0][:1].isupper() or not all(
                w[:1].isupper() or w.lower() in lx.NP_INNER or w.lower() in lx.SPEAKER_HEADS
                for w in rest
            ):
                continue
            if (
                any(
                    (w[:1].islower() and w.lower() not in lx.NP_INNER) or _MARKERS.search(w)
                    for w in head
                )
                and head[-1].lower() not in lx.NP_INNER
                and not (len(rest) == 1 and rest[0].lower() in lx.SPEAKER_HEADS)
            ):
                descriptors = {w.lower() for w in head}
                name = " ".join(rest)
            break
        # "an opposition leader in the Indian Ocean nation of Comoros": a place described
        # at length is where the party is, not its name
        placed = _PLACED_AT_LENGTH.match(name)
        if placed:
            name = placed["head"]
        person_like = looks_like_person(name)
        if person_like:
            return Party(
                name,
                guess_kind(name, descriptors, person=True, title=""),
                acronym,
                True,
                False,
                descriptors,
                [phrase.strip()],
            )
    plural = bool(re.search(r"(?:s|people|media|police)$", name.lower())) and not acronym
    kind = guess_kind(name, descriptors, person=bool(person), title=title)
    return Party(name or text, kind, acronym, bool(person), plural, descriptors, [phrase.strip()])


def split_coordination(phrase: str) -> list[str]:
    """'locals and media reports' → two speakers; a name in Title Case stays whole
    ('Armed Conflict Location and Event Data Project')."""
    if " and " not in phrase:
        return [phrase]
    words = phrase.replace("(", " ").replace(")", " ").split()
    if all(w[:1].isupper() or w.lower() in lx.NP_INNER for w in words):
        return [phrase]
    parts = [p.strip(" ,") for p in re.split(r",?\s+and\s+", phrase)]
    good = [
        p
        for p in parts
        if p
        and (
            any(c.isupper() for c in p[:1])
            or p.split()[-1].lower() in lx.SPEAKER_HEADS
            or p.split()[-1].lower().rstrip("s") in lx.SPEAKER_HEADS
            or re.search(r"\b(?:of|for|in)\b", p)
        )
    ]
    return good if len(good) == len(parts) else [phrase]


#: A person's name before a verb ("Tom Danielson has been suspended").
_PERSON_BEFORE_A_VERB = re.compile(
    r"\b(?P<name>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){1,2})\s+(?:has|had|was|is|will|would|"
    r"could|did|does|pleaded|resigned|won|lost|left|joined|died|faces|faced)\b"
)


#: How many parties back a description ("the ministry", "the group") is looked for.
RECENT_WINDOW = 200


class Registry:
    """The parties of one document, most recent last.

    A party is found by the names it answers to through an index, not by comparing it
    with every party before (an article naming 4,000 speakers took 45 s)."""

    def __init__(self) -> None:
        self.parties: list[Party] = []
        #: in order of last mention (by identity: a dict keeps the order)
        self._recent: dict[int, Party] = {}
        self._position: dict[int, int] = {}
        self._index: dict[tuple[str, str], list[Party]] = {}
        self._terms: dict[int, list[tuple[str, str]]] = {}

    def last(self) -> Party | None:
        """The party mentioned last."""
        return next(reversed(self._recent.values()), None)

    def latest(self, count: int = RECENT_WINDOW) -> Iterator[Party]:
        """The parties mentioned last, the last first (descriptions look this far back)."""
        return itertools.islice(reversed(self._recent.values()), count)

    def _touch(self, party: Party) -> Party:
        self._recent.pop(id(party), None)
        self._recent[id(party)] = party
        return party

    @staticmethod
    def _answers_to(party: Party) -> list[tuple[str, str]]:
        """The index terms of a party: the names a candidate may meet it by."""
        terms = [("key", party.key), ("name", _slug(party.name))]
        if party.acronym:
            terms += [("acronym", party.acronym), ("acronym slug", _slug(party.acronym))]
        if party.person:
            words = party.name.split()
            terms.append(("surname", words[-1]))
            terms += [("ending", " ".join(words[i:])) for i in range(1, len(words))]
        return terms

    def _index_party(self, party: Party) -> None:
        for term in self._terms.pop(id(party), []):
            self._index[term].remove(party)
        terms = self._answers_to(party)
        self._terms[id(party)] = terms
        for term in terms:
            self._index.setdefault(term, []).append(party)

    def find(self, candidate: Party) -> Party | None:
        """The party named last that ``candidate`` names: the same key or name, an
        acronym of it, or a person's surname or the end of their name."""
        name = _slug(candidate.name)
        wanted = [("key", candidate.key), ("name", name), ("acronym slug", name)]
        if candidate.acronym:
            wanted += [("acronym", candidate.acronym), ("name", _slug(candidate.acronym))]
        if candidate.name and " " not in candidate.name:
            wanted.append(("surname", candidate.name))
        if candidate.person:
            wanted.append(("ending", candidate.name))
        found = [party for term in wanted for party in self._index.get(term, [])]
        return max(found, key=lambda party: self._position[id(party)], default=None)

    def add(self, candidate: Party) -> Party:
        known = self.find(candidate)
        if known is None:
            self._position[id(candidate)] = len(self.parties)
            self.parties.append(candidate)
            self._index_party(candidate)
            return candidate
        if candidate.acronym and not known.acronym:
            known.acronym = candidate.acronym
            self._index_party(known)  # its key is its acronym now
        known.descriptors |= candidate.descriptors
        for written in candidate.written:
            if written not in known.written:
                known.written.append(written)
        if known.kind is None:
            known.kind = candidate.kind
        return known

    def observe(self, sentence: str) -> None:
        """Parties a sentence names without speaking: 'the paramilitary Rapid Support
        Forces (RSF)', 'Deputy Commissioner Mona Rishmawi' (so pronouns can find them)."""
        for match in re.finditer(
            r"(?:\b(?:the\s+)?(?:[a-z-]+\s+){0,2})?(?:[A-Z][\w’'.-]*\s+(?:(?:of|for|and|the)\s+)*){1,7}"
            r"[(\[][A-Z][A-Za-z0-9-]{1,9}[)\]]",
            sentence,
        ):
            self._touch(self.add(parse(match.group())))
        for match in re.finditer(
            r"\b[A-Z][\w’'-]+(?:\s+(?:al-|el-|bin\s+|de\s+)?[A-Z][\w’'-]+){1,3}(?=,\s+(?:an?|the)\s)",
            sentence,
        ):
            if looks_like_person(match.group()):
                self._touch(self.add(parse(match.group())))
        # "Tom Danielson has been suspended …, but he denies …": a person before a verb
        for named in _PERSON_BEFORE_A_VERB.finditer(sentence):
            if looks_like_person(named["name"]):
                self._touch(self.add(parse(named["name"])))

    def resolve(self, phrase: str) -> Party | None:
        """The party a speaker phrase means, registered as the most recent; None for a
        pronoun that names nobody the document mentioned before."""
        low = phrase.lower().strip()
        if low in {"he", "she", "him", "her"}:
            found = next((p for p in self.latest() if p.person), None) or next(
                (
                    p
                    for p in self.latest()
                    if not p.plural and p.name.lower().split()[-1] in lx.TITLES
                ),
                None,
            )
            if found:
                return self._touch(found)
        if low in {"it", "they", "we"}:
            found = next(
                (p for p in self.latest() if not p.person and (low != "it" or not p.plural)),
                None,
            )
            if (
                low == "they"
                and (last := self.last()) is not None
                and (last.plural or not last.person)
            ):
                found = last
            if found:
                return self._touch(found)
        if low in lx.PRONOUNS:
            return None
        words = low.replace("’", "'").split()
        if (
            ((words[:1] == ["the"] and len(words) in (2, 3)) or len(words) == 1)
            and words[-1] in _WHAT_A_PARTY_ISSUED
            and (last := self.last()) is not None
        ):
            # "…, according to the statement": the last party named issued it
            return self._touch(last)
        if words in (["the", "report"], ["that", "report"]):
            # "X reported, citing Y. …, the report said": the outlet's report (another
            # party's report, "the NTSB report", stays the report's own)
            outlet = next((p for p in self.latest() if p.kind == "media"), None)
            if outlet is not None:
                return self._touch(outlet)
        if words and words[0] == "the" and len(words) > 1:
            tail = " ".join(words[1:])
            for party in self.latest():
                if party.name.lower().replace("’", "'").endswith(" " + tail):
                    return self._touch(party)
        if (
            words
            and words[0] in {"the", "its", "their"}
            and 1 < len(words) <= 4
            and words[-1] in DESCRIPTION_HEADS
        ):
            head = words[-1]
            # "the Rwanda-backed group": who backs it describes, it does not name
            rest = {w for w in words[1:-1] if not _MARKERS.search(w)}
            for party in self.latest():
                name = party.name.lower()
                fits = (
                    head in name.split()
                    or head in party.descriptors
                    or any(head.rstrip("s") == w.rstrip("s") for w in name.split())
                )
                if not fits and not party.person:
                    family = {
                        "group": {"ngo", "armed group"},
                        "organization": {"ngo", "official"},
                        "organisation": {"ngo", "official"},
                        "paramilitary": {"armed group"},
                        "paramilitaries": {"armed group"},
                        "rebels": {"armed group"},
                        "militia": {"armed group"},
                        "movement": {"armed group", "ngo"},
                        "army": {"armed group"},
                        # not "military": a state's forces, rarely the rebels named before
                        "junta": {"armed group"},
                        "regime": {"official", "armed group"},
                        "watchdog": {"ngo"},
                        "monitor": {"ngo"},
                        "network": {"ngo", "media"},
                        "outlet": {"media"},
                        "broadcaster": {"media"},
                        "channel": {"media"},
                        # "The agency also reported …": the body named before
                        "agency": {"official", "ngo", "media"},
                        "council": {"official"},
                        "commission": {"official"},
                        "authority": {"official"},
                        "department": {"official"},
                    }.get(head, set())
                    fits = party.kind in family or (
                        party.kind is None
                        and head
                        in {"group", "organization", "organisation", "body", "agency", "company"}
                    )
                    if (head in {"rebels", "militia"} or "rebel" in rest) and name in STATE_FORCES:
                        fits = False  # "the army said …, a claim the rebels dismissed"
                if fits and (
                    not rest
                    or rest
                    <= set(name.split())
                    | party.descriptors
                    | {"human", "rights", "local", "rebel", "armed"}
                ):
                    return self._touch(party)
        return self._touch(self.add(parse(phrase)))
