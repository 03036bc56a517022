"""Attribution cues in one sentence: who is said to say what, with which stance.

The shapes of real reporting that are read (each with the speaker phrase as written; the
speaker module turns phrases into parties):

* reported speech, any tense and Title Case: ``X said (that) C``, ``X says C``,
  ``X Denies C``, ``C, X said.``, ``C, officials say``, inverted ``C, said X`` and
  ``“C,” X, the spokesman, said``;
* ``according to X, C`` / ``C, according to X`` / ``C, per X``;
* passive with an agent, ``C was announced by X`` (never the agentless ``was accused of``);
* ``X told Y C`` where Y is an outlet (Y is a relay), ``X reported C, citing Y`` and
  ``X cited Y as saying C`` (Y is the origin, X the relay), ``Y reported`` wrapped around
  another attribution (the outlet relays it);
* nouns that carry a claim: ``claims by X that C``, ``X's charges that C``;
* denials (``denied``, ``rejected``, ``refuted``, ``dismissed``, ``disputed``) as stance
  ``denies``; ``X denied A and said B`` and ``X disputed A, saying B`` as two mentions;
* a headline's tail: ``C - air force``, ``C: UN``.

Words inside quotation marks are the speaker's own and never cue anything.
"""

from __future__ import annotations

import re

from provenance.io.reading import lexicon as lx
from provenance.io.reading.continuations import LEAD, Continuations
from provenance.io.reading.denials import denied_by_its_words
from provenance.io.reading.figures import estimate_at
from provenance.io.reading.phrases import Mention
from provenance.io.reading.tokens import inside
from provenance.io.reading.words import DETERMINERS, is_cue_form, is_outlet, qualifies

__all__ = ["Mention", "is_outlet", "read_sentence"]

_ADVERBIAL_WORDS = {
    "on", "in", "at", "a", "an", "the", "statement", "earlier", "later", "late", "early",
    "morning", "afternoon", "evening", "night", "local", "time", "today", "yesterday",
    "post", "message", "video", "report", "sent", "to", "its", "their", "his", "her",
    "website", "briefing", "interview", "with", "by", "phone", "telephone", "messaging",
    "app", "account", "social", "media", "press", "conference", "this", "last", "week",
    "month", "year", "also", "separately", "told", "friday", "monday", "tuesday",
    "wednesday", "thursday", "saturday", "sunday", "of", "and", "news", "platform",
    "televised", "address", "speech", "written", "emailed", "email", "for", "comment",
    "tweet", "channel", "official", "confirmed", "over", "weekend", "overnight",
    "reporters", "journalists", "him", "them", "us",
}  # fmt: skip
#: Prepositions that open a phrase of place or occasion after a trailing cue.
_PREPOSITIONS = {"on", "in", "at", "during", "to", "from", "via", "after", "before", "by", "with"}
#: Words of a title before a name that are not titles themselves ("the company's chief").
_TITLE_WORDS = {"the", "a", "an", "its", "his", "her", "their", "senior", "former", "acting",
                "deputy", "vice", "chief", "top", "interim", "general"}  # fmt: skip
#: "said in a regulatory filing on Thursday that C": where or how it was said, then "that".
_OCCASION = re.compile(
    r"\s*(?:in|on|at|during|via|through|over)\s+(?P<words>[^,;:“”\"()]{1,100}?)\s+that\s+"
)
#: A pronoun that ends the sentence as a denial's object: "…, but Y has disputed that."
_ANAPHORIC_OBJECT = re.compile(r"\s*(?:it|that|this|them|those|these)\s*[.!?]?\s*$", re.I)
_CONNECTOR_TAIL = re.compile(
    r"(?:[\s,;:—–-]|\ba\s+day\s+after\b|\b(?:and|but|while|after|before|as|whereas|when|"
    r"although|though|since|because|where)\b)*$"
)


#: Words between a determiner and a cue's form that make the form a noun ("the latest
#: report", "a quarterly forecast").
_NOUN_QUALIFIERS = {
    "latest", "earlier", "new", "previous", "quarterly", "annual", "monthly", "weekly",
    "daily", "initial", "preliminary", "final", "first", "second", "joint", "separate",
    "internal", "confidential", "leaked", "recent", "consensus", "average", "median",
}  # fmt: skip
#: "a conference call", "a phone call": a call that is a noun.
_CALL_NOUNS = {"conference", "phone", "telephone", "earnings", "video", "investor", "roll"}


def _speaks(words: str) -> bool:
    """Whether a stretch has a verb of speech of its own ("a report", "a video posted on"
    name where something was said; "officials said" speaks)."""
    previous = ""
    for word in words.lower().split():
        if (
            is_cue_form(word)
            and previous not in DETERMINERS
            and previous not in _CALL_NOUNS
            and word not in {"posted", "published", "released", "issued", "shared", "sent"}
        ):
            return True
        previous = word
    return False


#: Words that open what follows an inverted speaker ('“C,” said X after a meeting').
_ADJUNCTS = {
    "on", "in", "at", "after", "during", "before", "while", "when", "following", "ahead",
    "amid", "from", "via", "late", "early", "earlier", "later", "yesterday", "today",
    "this", "last", "told", "adding", "according",
}  # fmt: skip
#: Words before a noun, never before a verb: "the report", "its claim".
_DETERMINERS = {
    "the", "a", "an", "its", "their", "his", "her", "our", "this", "these", "those", "every",
    "each", "any", "no",
}  # fmt: skip
#: Verbs after a noun that is their subject: "the report is", "claims have".
_AUXILIARIES = {
    "is", "was", "are", "were", "has", "have", "had", "will", "would", "could", "can",
    "may", "might", "must", "should",
}  # fmt: skip


#: Verbs that carry what was said after them, as a relative clause's may ("X, who said
#: C, …"); not those of what a party did ("which documented the killings").
_SAYING = {
    "say", "tell", "claim", "allege", "insist", "maintain", "warn", "report", "confirm",
    "state", "announce", "add", "argue", "testify", "estimate", "declare", "predict",
    "acknowledge", "admit", "concede", "contend", "assert", "stress", "caution",
}  # fmt: skip


#: Verbs that make what follows "found" a clause without "that" ("found four had cracks").
_FINITE = {
    "is", "are", "was", "were", "had", "has", "have", "would", "could", "will", "did",
    "should", "might", "may", "can",
}  # fmt: skip


#: Words that open a phrase of scene before a speaker: "In one operation, X said, C".
_SCENE_OPENERS = _PREPOSITIONS | {"for", "under", "amid", "despite", "since", "of", "among"}


def _introductory(before: str) -> bool:
    """A short phrase of time, place or occasion (no verb of its own) before ", X said,"."""
    words = before.rstrip(",—–-: ").split()
    return (
        2 <= len(words) <= 6
        and words[0].lower() in _SCENE_OPENERS
        and not any(is_cue_form(word.lower().strip(",")) for word in words)
    )


class _Reader(Continuations):
    def read(self) -> list[Mention]:
        self._according_to()
        self._passive_and_nouns()
        self._verbs()
        if self._pending_origin is not None:  # "Reuters, citing two sources, reported C"
            origin, origin_start, at = self._pending_origin
            later = [m for m in self.mentions if m.at > at]
            if later:
                first = min(later, key=lambda m: m.at)
                first.relays.insert(0, first.speaker)
                first.speaker, first.speaker_start = origin, origin_start
        if self._opening_denial:
            for mention in self.mentions:
                if mention.shape == "leading":
                    mention.stance = "denies"
                    break
        if self.headline and self.mentions:
            self._headline_byline()
        elif self.headline and not self._headline_head():
            self._headline_tail()
        self.mentions.sort(key=lambda m: m.at)
        self._nest_outlets()
        self._embedded()
        self._close_clauses()
        for mention in list(self.mentions):
            denial = denied_by_its_words(self.text, mention)
            if denial is not None:
                self.mentions.append(denial)
        return [m for m in self.mentions if m.clause_end > m.clause_start or m.refers_back]

    def _verbs(self) -> None:
        tokens = self.tokens
        for i, t in enumerate(tokens):
            low = t.low
            if not (
                low in lx.ASSERT_VERBS
                or low in lx.DENY_VERBS
                or low in lx.RELAY_VERBS
                or (low in lx.FIGURE_VERBS and estimate_at(self.text[t.end :]))
            ):
                continue
            if inside(t.start, self.quotes) or any(m.at == t.start for m in self.mentions):
                continue
            if qualifies(tokens, i, title_case=self.title_case):
                continue  # "state media", "confirmed cases", "United States"
            if t.text[:1].isupper() and i > 0 and not self.headline and not self.title_case:
                continue  # "North Darfur State", "Support Claims": part of a name
            previous = tokens[i - 1] if i else None
            following = tokens[i + 1] if i + 1 < len(tokens) else None
            if previous is not None and (previous.low in DETERMINERS or previous.possessive):
                continue  # "the report", "Amnesty's report": nouns
            if (
                previous is not None
                and i > 1
                and tokens[i - 2].low in DETERMINERS
                and (
                    any(c.isdigit() or c == "-" for c in previous.text)
                    or previous.low in _NOUN_QUALIFIERS
                )
            ):
                continue  # "a 38-cent forecast", "the latest report": nouns
            if previous is not None and previous.low == "without" and low.endswith("ing"):
                continue  # "released water without warning": a noun, nobody speaks
            if previous is not None and (
                previous.low in {"was", "were", "been", "being", "is", "are", "be"}
                or (
                    previous.low.endswith("ly")
                    and i > 1
                    and tokens[i - 2].low in {"was", "were", "been", "is", "are", "be"}
                )
            ):
                continue  # passive: read with its agent above, or agentless
            if previous is not None and previous.text in "-" and previous.end == t.start:
                continue  # so-called
            if low in lx.RELAY_VERBS:
                self._relay(i)
                continue
            lemma, stance = lx.cue_of(low)
            if low in lx.AMBIGUOUS and not self._verb_reading(i):
                continue
            if lemma in lx.BEFORE_A_CLAUSE and not self._clause_follows(i):
                continue
            if lemma == "accuse" and following is not None and following.low == "of":
                continue
            if lemma == "admit" and following is not None and following.low in {"to", "into"}:
                continue  # "310 patients admitted to hospitals"
            if lemma == "call" and (
                (previous is not None and previous.low in _CALL_NOUNS)
                or following is None
                or following.low
                in {"for", "on", "upon", "off", "up", "out", "back", "to", "in", "into"}
            ):
                continue
            if (
                lemma in {"add", "post", "record", "publish", "count"}
                and following is not None
                and (following.text[:1].isdigit() or following.low in {"to", "up", "in", "on"})
            ):
                continue
            if low.endswith("ing"):
                self._participle(i, lemma, stance)
                continue
            found = self.subject(i)
            if found is None:
                self._inverted(i, lemma, stance)
                continue
            first, last, how = found
            if low in lx.RECORD_VERBS and (
                tokens[last].low not in lx.RECORD_HEADS
                or (first > 0 and tokens[first - 1].text != ",")
            ):
                continue  # "images show", "it shows": no party speaks
            if (
                lemma == "find"
                and tokens[last].low not in lx.FINDING_HEADS
                and not self._clause_follows(i)
                and not any(t.low in _FINITE for t in tokens[i + 2 : i + 6])
            ):
                continue  # "rescuers found two more bodies": an event, not a finding
            if how == "shared":
                self._shared(i, lemma, stance)
                continue
            if (following is None or following.text in ".!?") and first == 0:
                continue  # a bare "X Claims" or "X said." quotes nothing
            if how == "relative" and stance == "asserts" and lemma not in _SAYING:
                continue  # "Amnesty, which documented the killings, said": only the "said"
            self._finite(i, first, last, lemma, stance)
            if how == "relative":
                self._end_relative_clause(i)

    def _embedded(self) -> None:
        """'A viral post claims that the WHO declared C': what the WHO is said to have
        declared is the post's claim, not the WHO's word (nobody reports the WHO said it)."""
        kept: list[Mention] = []
        for mention in self.mentions:
            outer = next(
                (
                    o
                    for o in kept
                    if o.shape == "leading"
                    and o.clause_start <= mention.speaker_start
                    and re.search(r"\bthat\s*$", self.text[o.at : o.clause_start])
                    and not re.search(
                        r"[,;:]|\b(?:and|but|while|whereas|after|before|as)\b",
                        self.text[o.clause_start : mention.speaker_start],
                    )
                ),
                None,
            )
            if outer is None:
                kept.append(mention)
        self.mentions = kept

    def _verb_reading(self, i: int) -> bool:
        tokens = self.tokens
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if following is None:
            return tokens[i - 1].word if i else False
        if i and tokens[i - 1].low in _DETERMINERS:
            return False  # "the report", "its claim": a noun
        if following.low in _AUXILIARIES:
            return False  # "the Sri Lankan report is …": the subject of another verb
        if tokens[i].low in {"state", "states"} and not (
            following.low == "that"
            or following.text in {":", "“", '"'}
            or (following.text == "." and not (i and tokens[i - 1].capital))
        ):
            return False  # "state media", "in Tabasco state.": a state says "that"
        if following.low in {
            "of",
            "by",
            "from",
            "about",
            "on",
            "in",
            "for",
            "and",
            "or",
            "to",
            "with",
            ",",
            "”",
            ")",
        }:
            return False
        if following.text in {".", ";"}:
            # "…, the report states." speaks; "in several US states." names places
            found = self.back_phrase(i - 1) if i else None
            return (
                found is None
                or found[0] == 0
                or self.tokens[found[0] - 1].low in {",", "”", '"', "as", "which", "what"}
            )

        for t in tokens[i + 1 : i + 4]:
            if is_cue_form(t.low) and not t.low.endswith("ing"):
                return False
        return True

    def _clause_follows(self, i: int) -> bool:
        """'replied that C', 'hinted: “C”', '…, he replied.': within three words of the
        verb a clause opens, or the verb ends its clause."""
        after = self.tokens[i + 1 : i + 4]
        if not after or after[0].text in {".", ",", ";", "!", "?"}:
            return True
        return any(t.low == "that" or t.text in {":", "“", '"'} for t in after)

    def _finite(self, verb: int, first: int, last: int, lemma: str, stance: str) -> None:
        tokens = self.tokens
        speaker = self.phrase(first, last)
        start = tokens[first].start
        clause_start = tokens[verb].end
        if (
            stance == "denies"
            and _ANAPHORIC_OBJECT.match(self.text[clause_start:])
            and any(m.at < tokens[first].start for m in self.mentions)
        ):
            # "…, but the landlord disputed that.": it denies the claim before it
            self.add(
                Mention(speaker, start, lemma, stance, clause_start, clause_start,
                        at=tokens[verb].start, refers_back=True)
            )  # fmt: skip
            return
        relays: list[str] = []
        told = None
        if lemma == "tell" and verb + 1 < len(tokens):
            told = self._told(verb + 1)
        elif (  # "confirmed to Gulf News that C", "said to reporters that C"
            verb + 2 < len(tokens)
            and tokens[verb + 1].low == "to"
            and re.match(r"[^.;]{1,60}?\bthat\b", self.text[tokens[verb + 2].start :])
        ):
            told = self._told(verb + 2)
        if told is not None:
            relay, clause_start = told
            if relay:
                relays.append(relay)
        rest = self.text[clause_start:]
        occasion = _OCCASION.match(rest)
        if occasion and not _speaks(occasion["words"]):
            clause_start += occasion.end()
        else:
            lead = LEAD.match(rest)
            clause_start += lead.end() if lead else 0
        # "C, X said." / "C, X said on Monday, adding …": the clause is before the speaker
        before = self.text[:start].rstrip()
        # '“C,” chief executive Anna Lindqvist said': the title before the name goes with it
        title = first
        while title > 0 and (
            tokens[title - 1].low in lx.TITLES or tokens[title - 1].low in _TITLE_WORDS
        ):
            title -= 1
        if title < first and title > 0 and tokens[title - 1].text in {",", "”", '"'}:
            before = self.text[: tokens[title].start].rstrip()
        quotation_follows = re.match(r"\s*[,:]?\s*[“\"‘]", self.text[tokens[verb].end :])
        after_according_to = any(  # "According to CNN, the court confirmed that C"
            m.cue == "according to"
            and m.shape == "leading"
            and m.clause_start <= start
            and not self.text[m.clause_start : start].strip()
            for m in self.mentions
        )
        if (
            before.endswith((",", "”", '"', ":", "—", "–", "-"))
            and not quotation_follows
            and not after_according_to
        ):
            # ('In the hearing, X said, "C"': the quotation after the verb is the claim)
            remainder = self._remainder(verb)
            if remainder is None and relays and re.match(r"\s*(?:[,.;](?!\s*[“\"‘])|$)", rest):
                remainder = clause_start  # '“C,” X told the agency, Xinhua, adding …'
            after_comma = re.match(r"\s*,\s*(?=[^\W\d_]|\d)", rest)
            if (
                remainder == verb + 1
                and after_comma
                and _introductory(before)
                and len(rest[after_comma.end() :].split()) >= 3
            ):
                # "In one operation, the agency said, some 500 were rescued": the phrase
                # before sets the scene; what is said follows the speaker
                clause_start += after_comma.end()
                remainder = None
            if remainder is not None and len(before.split()) >= 3:
                clause_end = len(before.rstrip(",—–-: "))
                if before.endswith(("”", '"')):
                    clause_end = len(before)
                self.add(
                    Mention(
                        speaker,
                        start,
                        lemma,
                        stance,
                        0,
                        clause_end,
                        relays,
                        "trailing",
                        self._discredited(verb),
                        tokens[verb].start,
                    )
                )
                return
        self.add(
            Mention(
                speaker,
                start,
                lemma,
                stance,
                clause_start,
                len(self.text),
                relays,
                "leading",
                self._discredited(verb),
                tokens[verb].start,
            )
        )

    def _end_relative_clause(self, verb: int) -> None:
        """'Smith, who denied the charges, was released': what the relative clause says
        ends at its closing comma, before the sentence's own verb."""
        mention = self.mentions[-1]
        if mention.at != self.tokens[verb].start or mention.shape != "leading":
            return
        for t in self.tokens[verb + 1 :]:
            if t.text in {",", ";"} and not inside(t.start, self.quotes):
                mention.clause_end = t.start
                return

    def _remainder(self, verb: int) -> int | None:
        """After a trailing cue only adverbials may follow (to the end or a comma)."""
        tokens = self.tokens
        j = verb + 1
        # "… said on a call with investors": a phrase of place or occasion, with no clause
        prepositional = j < len(tokens) and tokens[j].low in _PREPOSITIONS
        while j < len(tokens) and tokens[j].text not in {",", ".", ";", "!", "?"}:
            t = tokens[j]
            if prepositional and not (
                t.low in lx.CLAUSE_WORDS - {"to", "by", "with", "during", "after", "before"}
                or (is_cue_form(t.low) and tokens[j - 1].low not in DETERMINERS)
            ):
                j += 1
                continue
            if (
                t.word
                and not t.capital
                and t.low not in _ADVERBIAL_WORDS
                and not t.low.endswith("ly")
            ):
                return None
            j += 1
        return j

    def _inverted(self, i: int, lemma: str, stance: str) -> None:
        """'“C,” said X.' / 'C, says California man'; in a headline whose speaker opens
        it, 'Hamas Denies Losses, Says C' is Hamas again."""
        tokens = self.tokens
        if (
            self.title_case
            and i > 0
            and tokens[i - 1].text == ","
            and any(m.shape == "leading" and m.speaker_start == 0 for m in self.mentions)
        ):
            self._shared(i, lemma, stance)
            return
        closes = i > 1 and tokens[i - 1].text == "’" and tokens[i - 2].text == ","
        if (
            i == 0
            or (tokens[i - 1].text not in {",", "”", '"'} and not closes)  # "‘rigged,’ say X"
            or lemma
            not in {
                "say",
                "tell",
                "add",
                "claim",
                "report",
                "write",
                "insist",
                "warn",
                "state",
                "announce",
                "deny",
                "confirm",
                "admit",
                "reveal",
                "allege",
            }
        ):
            return
        span = self.forward_phrase(i + 1)
        if span is None or not self.valid_speaker(*span):
            return
        end = span[1] + 1
        if end < len(tokens) and tokens[end].low == "who":  # "said a resident who asked …"
            aside = lx.ASIDE.search(self.text[: tokens[-1].end].rstrip(".!?"))
            if aside is not None and aside.start() == tokens[end - 1].end:
                end = len(tokens) - (0 if tokens[-1].word else 1)
        if (
            end < len(tokens)
            and tokens[end].text not in {".", ",", "!", "?", ";"}
            and tokens[end].low not in _ADJUNCTS
            and tokens[end].low not in lx.WEEKDAYS
        ):
            return  # '“C,” said X after a meeting', '… said X on Thursday': X still speaks
        before = self.text[: tokens[i - 1].start].rstrip(" ,")
        clause_end = len(before) + (1 if before.endswith(("”", '"')) else 0)
        if tokens[i - 1].text in '”"' or closes:
            clause_end = tokens[i - 1].end
        self.add(
            Mention(
                self.phrase(*span),
                tokens[span[0]].start,
                lemma,
                stance,
                0,
                len(self.text[:clause_end].rstrip(" ,")),
                [],
                "trailing",
                self._discredited(i),
                tokens[i].start,
            )
        )

    def _close_clauses(self) -> None:
        """A leading clause ends where the next mention in the sentence begins."""
        ordered = sorted(self.mentions, key=lambda m: m.at)
        for index, mention in enumerate(ordered):
            if mention.shape == "trailing":
                continue
            for later in ordered[index + 1 :]:
                boundary = later.speaker_start if later.shape not in {"shared"} else later.at
                if later.shape == "trailing":
                    continue
                if boundary > mention.clause_start:
                    head = self.text[mention.clause_start : boundary]
                    cut = _CONNECTOR_TAIL.search(head)
                    end = mention.clause_start + (cut.start() if cut else len(head))
                    mention.clause_end = min(mention.clause_end, end)
                    break
        for mention in self.mentions:
            clause = self.text[mention.clause_start : mention.clause_end]
            stripped = clause.rstrip(" ,;:—–-")
            mention.clause_end = mention.clause_start + len(stripped)
            lead = len(clause) - len(clause.lstrip(" ,;:"))
            mention.clause_start += lead


def read_sentence(sentence: str, *, headline: bool = False) -> list[Mention]:
    """Every attribution the sentence makes."""
    return _Reader(sentence, headline).read()
