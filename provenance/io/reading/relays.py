"""Relays: outlets that pass a party's words on (``X told Reuters``, ``citing Y``,
``Y quoted X as saying``, ``C, Interfax reported``) and a headline's tail (``C - army``)."""

from __future__ import annotations

import re

from provenance.io.reading import lexicon as lx
from provenance.io.reading.phrases import Mention, Phrases
from provenance.io.reading.words import is_outlet

#: Whom a party may tell something without relaying it ("told analysts on a call that C").
_AUDIENCES = {
    "him", "her", "them", "us", "me", "reporters", "journalists", "analysts", "investors",
    "shareholders", "lawmakers", "legislators", "parliament", "diplomats", "supporters",
}  # fmt: skip

#: An event a party speaks at, named after the media that attend it ("a news conference").
_OCCASIONS = {"conference", "conferences", "briefing", "briefings", "release", "call"}

#: What a headline may start with that is no party: "FACT CHECK: …", "EXCLUSIVE: …".
_KICKERS = {
    "fact check", "factcheck", "explainer", "analysis", "exclusive", "breaking",
    "breaking news", "update", "live", "watch", "opinion", "editorial", "video", "photos",
    "in pictures", "timeline", "factbox", "q&a", "interview", "correction",
}  # fmt: skip


#: An outlet described, then named: "the official Chinese news agency, Xinhua".
_DESCRIBED_OUTLET = re.compile(
    r"(?:the|an?)\s+(?:[\w’'-]+\s+){0,4}?(?:news\s+agency|agency|newspaper|broadcaster|"
    r"channel|station|daily|weekly|outlet|network|television|radio|website|magazine|"
    r"news\s+site|wire\s+service),\s+"
    r"(?P<name>[A-Z][\w.&’'-]*(?:\s+[A-Z][\w.&’'-]*){0,3})(?=\s*(?:[,.;]|$))"
)

#: Cues of a party's report that another party may pass on ("A reported C, B said").
_REPORTING = {"report", "announce", "confirm", "record", "count", "document"}


class Relays(Phrases):
    def _told(self, j: int) -> tuple[str, int] | None:
        """After 'told': (the outlet or '', where the clause starts)."""
        tokens = self.tokens
        t = tokens[j]
        if t.low in _AUDIENCES:
            return "", t.end
        described = _DESCRIBED_OUTLET.match(self.text, t.start)
        if described is not None:  # "told the official Chinese news agency, Xinhua, …"
            return described["name"], described.end("name")
        if t.capital or t.low == "the":
            k = j
            while k < len(tokens) and (
                tokens[k].capital
                or (tokens[k].low in {"the", "of"} and k == j)
                or (  # "U.S.", not the full stop after "told Reuters."
                    tokens[k].text == "."
                    and tokens[k].start == tokens[k - 1].end
                    and len(tokens[k - 1].text) <= 2
                )
            ):
                k += 1
            if k > j and tokens[k - 1].low not in {"the", "of"}:
                phrase = self.phrase(j, k - 1)
                single = k - j == 1 and tokens[j].low not in lx.SPEAKER_HEADS
                # "told the Daily Beast", "told Daily Dot": a media word in a name is an
                # outlet's (a person told is no relay)
                media = any(t.low in lx.MEDIA_WORDS for t in tokens[j:k])
                return (phrase if is_outlet(phrase) or single or media else ""), tokens[k - 1].end
        k = j
        while k < len(tokens) and k - j < 3 and tokens[k].word and not tokens[k].capital:
            if tokens[k].low in lx.MEDIA_WORDS | {"organization", "organisation"}:
                after = tokens[k + 1] if k + 1 < len(tokens) else None
                if after is not None and after.low in _OCCASIONS:  # "told a news conference"
                    return "", after.end
                return self.phrase(j, k), tokens[k].end
            k += 1
        return "", tokens[j - 1].end

    def _relay(self, i: int) -> None:
        """'…, citing Y' / 'quoting Y': Y is the origin, the cue's speaker a relay; and
        'X cited/quoted Y as saying C'."""
        tokens = self.tokens
        low = tokens[i].low
        span = self.forward_phrase(i + 1)
        if span is None or not self.valid_speaker(*span):
            return
        origin = self.phrase(*span)
        if low in {"citing", "quoting"}:
            previous = [m for m in self.mentions if m.at < tokens[i].start]
            if not previous:
                self._pending_origin = (origin, tokens[span[0]].start, tokens[i].start)
                return
            last = max(previous, key=lambda m: m.at)
            last.relays.insert(0, last.speaker)
            last.speaker, last.speaker_start = origin, tokens[span[0]].start
            return
        as_saying = re.match(
            r"\s*as\s+(?:saying|stating|telling\s+\w+)\s*(?:that\s+)?",
            self.text[tokens[span[1]].end :],
        )
        if not as_saying:
            return
        found = self.subject(i)
        relays = [self.phrase(found[0], found[1])] if found and found[2] != "shared" else []
        self.add(
            Mention(
                origin,
                tokens[span[0]].start,
                "say",
                "asserts",
                tokens[span[1]].end + as_saying.end(),
                len(self.text),
                relays,
                at=tokens[i].start,
            )
        )

    def _headline_byline(self) -> None:
        """'Israel denies striking hospital - IDF', '…, officials say - Reuters': the name
        after a headline's dash is not part of the claim; an outlet there relays it."""
        match = re.search(r"\s(?:[-–—]\s|[–—])(?P<src>[^-–—:]{2,40})$", self.text)
        if not match:
            return
        span = [i for i, t in enumerate(self.tokens) if t.start >= match.start("src")]
        if not span or len(span) > 5 or not self.valid_speaker(span[0], span[-1]):
            return
        name = match["src"].strip()
        for mention in self.mentions:
            if mention.clause_start < match.start() < mention.clause_end:
                mention.clause_end = match.start()
            if is_outlet(name) and name not in mention.relays:
                mention.relays.append(name)

    def _headline_head(self) -> bool:
        """'UN: 1.2 million displaced in Darfur': a short name before the colon speaks."""
        match = re.match(r"(?P<src>[^:]{2,40}):\s+(?P<rest>\S.*)$", self.text)
        if not match:
            return False
        span = [i for i, t in enumerate(self.tokens) if t.end <= match.end("src")]
        rest = [t for t in self.tokens if t.start >= match.start("rest") and t.word]
        if (
            match["src"].strip().lower().replace("-", " ") in _KICKERS
            or not span
            or len(span) > 4
            or len(rest) <= len(span)
            or not self.valid_speaker(span[0], span[-1])
            or not self.is_name(span[0], span[-1])
        ):
            return False
        self.add(
            Mention(
                match["src"].strip(),
                0,
                "headline",
                "asserts",
                match.start("rest"),
                len(self.text),
                [],
                "leading",
                at=0,
            )
        )
        return True

    def _headline_tail(self) -> None:
        # "… - Reuters", "… —US Geological Survey" (a long dash needs no spaces), "…: UN"
        match = re.search(r"(?:\s[-–—]\s|\s[–—]|:\s)(?P<src>[^-–—:]{2,60})$", self.text)
        if not match:
            return
        span_tokens = [i for i, t in enumerate(self.tokens) if t.start >= match.start("src")]
        if not span_tokens or len(span_tokens) > 7:
            return
        first, last = span_tokens[0], span_tokens[-1]
        if not self.valid_speaker(first, last):
            return
        self.add(
            Mention(
                match["src"].strip(),
                match.start("src"),
                "headline",
                "asserts",
                0,
                match.start(),
                [],
                "trailing",
                at=match.start("src"),
            )
        )

    def _nest_outlets(self) -> None:
        """An outlet reporting another attribution relays it: 'X said C, Interfax reported'
        and 'BBC News reported four Rwandans told it C'."""
        kept: list[Mention] = []
        for mention in self.mentions:
            passes_on = mention.shape == "trailing" and any(
                m.cue in _REPORTING and m.shape == "leading" and m.speaker_start == 0
                for m in self.mentions
                if m is not mention
            )  # "The DRC reported 39 cases, the U.N. health agency said": the agency relays
            # "According to the ministry, the army said C": whoever the sentence opens
            # with passes on the speaker named right after it
            opens = mention.cue == "according to" and mention.shape == "leading"
            if not is_outlet(mention.speaker) and not passes_on and not opens:
                kept.append(mention)
                continue
            inner = [
                m
                for m in self.mentions
                if m is not mention
                and (
                    (
                        mention.shape == "trailing"
                        and m.at < mention.speaker_start
                        and m.clause_start <= mention.clause_end
                    )
                    or (
                        mention.shape == "leading"
                        and mention.clause_start <= m.speaker_start
                        and not self.text[mention.clause_start : m.speaker_start].strip()
                    )
                )
            ]
            if not inner:
                kept.append(mention)
                continue
            for m in inner:
                m.relays.insert(0, mention.speaker)
                if mention.shape == "trailing":
                    m.clause_end = min(m.clause_end, mention.clause_end)
        self.mentions = kept
