"""Speech that continues a speaker's in the same sentence: ``…, saying C``, ``… and said
C``, ``X rejected the report, calling it baseless`` and ``X released testimonies,
estimating that C`` (the sentence's subject speaks)."""

from __future__ import annotations

import re

from provenance.io.reading import lexicon as lx
from provenance.io.reading.nominal import Nominal
from provenance.io.reading.phrases import Mention

#: What may stand between a verb and the clause it introduces ("that", "in a statement
#: on Monday", "late on Tuesday").
LEAD = re.compile(
    r"^(?:\s*(?:,|that\b|on\s+(?:the\s+)?(?:Telegram|X|Facebook|Twitter)(?:\s+messaging\s+app)?|"
    r"in\s+a\s+(?:statement|post|video(?:\s+message)?|report|briefing|televised\s+address)"
    r"(?:\s+(?:released|published|issued|posted|sent))?(?:\s+on)?(?:\s+(?:[A-Z]\w+|\w+day))?|(?:late\s+|early\s+)?on\s+(?:[A-Z][a-z]+day)(?:\s+(?:morning|afternoon|"
    r"evening|night))?|[A-Z][a-z]+day|earlier|later|also|today|yesterday|overnight))*\s*"
)


#: Words that end a subject: an auxiliary or a verb's form.
_VERB_LIKE = {
    "had", "has", "have", "was", "were", "is", "are", "will", "would", "could", "may",
    "might", "did", "does", "do", "said", "says", "also", "then",
}  # fmt: skip


class Continuations(Nominal):
    def _continues(
        self,
        i: int,
        speaker: str,
        speaker_start: int,
        lemma: str,
        stance: str,
        relays: list[str],
        discredited: bool,
    ) -> None:
        """A mention whose clause follows the cue at token ``i`` (and what may stand between
        them, :data:`LEAD`) to the end of the sentence."""
        start = self.tokens[i].end
        lead = LEAD.match(self.text[start:])
        start += lead.end() if lead else 0
        self.add(
            Mention(
                speaker,
                speaker_start,
                lemma,
                stance,
                start,
                len(self.text),
                relays,
                "shared",
                discredited,
                self.tokens[i].start,
            )
        )

    def _discredited(self, verb: int) -> bool:
        window = self.text[max(0, self.tokens[verb].start - 30) : self.tokens[verb].end + 30]
        return bool(lx.DISCREDITED.search(window))

    def _participle(self, i: int, lemma: str, stance: str) -> None:
        tokens = self.tokens
        previous = [m for m in self.mentions if m.at < tokens[i].start]
        if i == 0 or not previous:
            if i == 0 and stance == "denies":
                self._opening_denial = True
            elif tokens[i - 1].text == ",":
                self._participle_of_subject(i, lemma, stance)
            return
        last = max(previous, key=lambda m: m.at)
        if tokens[i].low in lx.PARTICIPLES_INHERIT:
            if last.shape != "trailing":  # "rejected the report, calling it baseless": one claim
                last.clause_end = len(self.text)
                return
            stance = last.stance
        self._continues(
            i, last.speaker, last.speaker_start, lemma, stance, list(last.relays), last.discredited
        )

    def _participle_of_subject(self, i: int, lemma: str, stance: str) -> None:
        """'X released testimonies, estimating that C': the sentence's subject speaks."""
        tokens = self.tokens
        first = 0
        comma = next((j for j in range(min(5, i)) if tokens[j].text == ","), None)
        if comma is not None and tokens[0].low in {
            "on",
            "in",
            "at",
            "late",
            "early",
            "earlier",
            "later",
            "meanwhile",
            "last",
            "this",
        }:
            first = comma + 1
        last = first
        while last < i and (
            tokens[last].capital
            or tokens[last].low in lx.NP_INNER
            or tokens[last].low in lx.SPEAKER_HEADS
        ):
            last += 1
        # "Bangladesh's election chief", "The election chief": a noun before the head
        ahead = next(
            (
                j
                for j in range(last, min(last + 3, i))
                if tokens[j].low in lx.SPEAKER_HEADS
                or tokens[j].low.rstrip("s") in lx.SPEAKER_HEADS
            ),
            None,
        )
        if ahead is not None and all(
            t.word and not t.capital and t.low not in lx.CLAUSE_WORDS for t in tokens[last:ahead]
        ):
            last = ahead + 1
        elif last > first and tokens[last - 1].possessive:
            # "Italy's coastguard had …": what the possessive owns, up to the verb
            while (
                last < i
                and last - first < 6
                and tokens[last].word
                and not tokens[last].capital
                and tokens[last].low not in lx.CLAUSE_WORDS
                and tokens[last].low not in _VERB_LIKE
                and not tokens[last].low.endswith("ed")
            ):
                last += 1
        while last > first and tokens[last - 1].low in lx.NP_INNER:
            last -= 1
        span = (first, last - 1)
        if (
            last <= first
            or not (self.valid_speaker(*span) or self._someone_speaks(*span, i))
            or span[1] + 1 >= i
        ):
            return
        verb = tokens[span[1] + 1]
        if not verb.word or verb.capital or verb.low in lx.CLAUSE_WORDS:
            return
        self._continues(
            i, self.phrase(*span), tokens[span[0]].start, lemma, stance, [], self._discredited(i)
        )

    def _shared(self, i: int, lemma: str, stance: str) -> None:
        previous = [m for m in self.mentions if m.at < self.tokens[i].start]
        if not previous:
            # "The coastguard rescued 144 people, but said C": the sentence's subject
            self._participle_of_subject(i, lemma, stance)
            return
        last = max(previous, key=lambda m: m.at)
        self._continues(i, last.speaker, last.speaker_start, lemma, stance, [], last.discredited)
