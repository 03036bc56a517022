"""From an article to an interchange document of proposals: the sentences read in order,
speakers resolved within the document, one claim per figure (or one per clause), every
quote an exact substring of the article's text with its offsets."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from provenance.errors import ProvenanceError
from provenance.files import require_regular_file
from provenance.io.reading import lexicon as lx
from provenance.io.reading.cues import read_sentence
from provenance.io.reading.denials import denied_by_negation
from provenance.io.reading.figures import Found, figures
from provenance.io.reading.periods import period
from provenance.io.reading.speakers import Party, Registry, parse, split_coordination
from provenance.io.reading.text import Sentence, dateline_outlet, plain_text, sentences
from provenance.io.reading.words import CLAIM_NOUNS
from provenance.vocab import slugify

#: A sentence without a cue of its own continues the previous report when it says so.
CONTINUES = re.compile(r"\balso\b|^(?:The group|The statement|The report|The ministry) ")


@dataclass
class Proposal:
    party: Party
    relays: list[Party]
    quote_start: int
    quote_end: int
    cue: str
    stance: str
    confidence: int
    period: dict[str, str] | None
    figures: list[Found] = field(default_factory=list)
    carried: bool = False
    #: Where its sentence starts in the text.
    sentence_start: int = 0


def confidence(cue: str, clause: str, *, discredited: bool = False) -> int:
    value = lx.CUE_CONFIDENCE.get(cue, 60)
    for pattern, cap in lx.HEDGES:
        if re.search(pattern, clause):  # lowercase words only: "May 2" is no hedge
            value = min(value, cap)
    if discredited:
        value = min(value, 20)
    return value


def _widen_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Never cut a word or a name: a quote starts and ends on word boundaries."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return start, end


def propose(text: str, *, published: dt.date) -> list[Proposal]:
    registry = Registry()
    proposals: list[Proposal] = []
    paragraph_period: dict[int, dict[str, str]] = {}
    previous: Proposal | None = None
    previous_paragraph = -1
    for sentence in sentences(text):
        try:
            here = period(sentence.text, published)
        except OverflowError:  # "last week" of 0001-01-01: no period, the claim still is
            here = None
        if here:
            paragraph_period.setdefault(sentence.paragraph, here)
        when = here or paragraph_period.get(sentence.paragraph)
        mentions = read_sentence(sentence.text, headline=sentence.headline)
        made: list[Proposal] = []
        seen: set[tuple[str, str, int, int]] = set()
        expanded = [
            (part, mention) for mention in mentions for part in split_coordination(mention.speaker)
        ]
        for speaker, mention in expanded:
            party = registry.resolve(speaker)
            if party is None:  # "Tom Danielson has been suspended …, but he denies …"
                registry.observe(sentence.text[: mention.speaker_start])
                party = registry.resolve(speaker)
            if party is None:
                continue  # "he said" with nobody named before: no source to propose
            relays = [r for r in (registry.resolve(r) for r in mention.relays if r.strip()) if r]
            relays = [r for r in relays if r is not party]
            if len(relays) > 1:
                relays = [r for r in relays if any(c.isupper() for c in r.name)] or relays
            start, end = _widen_to_words(
                text, sentence.start + mention.clause_start, sentence.start + mention.clause_end
            )
            identity = (party.key, mention.stance, start, end)
            if identity in seen or (end <= start and not mention.refers_back):
                continue
            seen.add(identity)
            clause = text[start:end]
            made.append(
                Proposal(
                    party=party,
                    relays=relays,
                    quote_start=start,
                    quote_end=end,
                    cue=mention.cue,
                    stance=mention.stance,
                    confidence=confidence(mention.cue, clause, discredited=mention.discredited),
                    period=when,
                    figures=figures(text, start, end),
                    sentence_start=sentence.start,
                )
            )
        continues = previous is not None and previous_paragraph == sentence.paragraph
        if not made and continues and previous is not None and CONTINUES.search(sentence.text):
            made.append(
                Proposal(
                    party=previous.party,
                    relays=previous.relays,
                    quote_start=sentence.start,
                    quote_end=sentence.end,
                    cue=previous.cue,
                    stance=previous.stance,
                    confidence=min(previous.confidence, confidence(previous.cue, sentence.text)),
                    period=when,
                    figures=figures(text, sentence.start, sentence.end),
                    carried=True,
                    sentence_start=sentence.start,
                )
            )
        registry.observe(sentence.text)
        proposals.extend(made)
        if len(proposals) > MAX_PROPOSALS:
            break  # no article: the caller refuses it
        previous = made[-1] if made else None
        previous_paragraph = sentence.paragraph
    return proposals


_CLAIM_NOUNS = f"(?:{'|'.join(sorted(CLAIM_NOUNS))})"
#: The words that end a claim and name it for the party after them: "…, a charge that
#: Hamas denies", "…, a claim which the ministry rejected", "…, a claim MRTV dismissed",
#: "…, a figure rejected by X".
_REFERS_BACK = re.compile(
    rf"(?:[,;]\s*(?:a|an|the)\s+{_CLAIM_NOUNS}(?:\s+(?:that|which)|\s+\w+ed\s+by)?"
    rf"|\s*(?:a|an|the)\s+{_CLAIM_NOUNS}\s+(?:that|which))\s*$",
    re.IGNORECASE,
)
#: Between a claim and the party after it: a noun that names the claim ("a figure OCHA
#: called …").
_NAMES_THE_CLAIM = re.compile(rf"\b(?:a|an|the|this|that)\s+{_CLAIM_NOUNS}\b", re.IGNORECASE)
#: A verdict on a claim, said of it: "not credible", "propaganda", "baseless".
_VERDICT = re.compile(
    r"\b(?:not\s+credible|propaganda|baseless|false|untrue|fabricat\w*|fake|lies?|"
    r"unfounded|groundless|exaggerat\w*|nonsense|misinformation|disinformation|absurd)\b",
    re.IGNORECASE,
)


def _what_it_speaks_of(text: str, proposal: Proposal, previous_end: int | None) -> tuple[str, str]:
    """How to read a proposal, and its stance: ``own`` (its quote), ``previous`` (it speaks
    of the claim before it in the sentence, whose quote ends at ``previous_end``: "…, a
    charge that Hamas denies.", "…, a claim MRTV dismissed as propaganda", "a figure OCHA
    called "not credible""), ``sentence`` (a cue that ends a sentence with nothing
    attributed before it: "… as the posts claim."), or ``nothing``. "." once became a claim
    of its own."""
    quoted = text[proposal.quote_start : proposal.quote_end]
    words = re.findall(r"\w+", quoted)
    same_sentence = previous_end is not None
    names_it = same_sentence and _NAMES_THE_CLAIM.search(
        text[previous_end or 0 : proposal.quote_start]
    )
    if not words:
        if same_sentence and (proposal.stance == "denies" or names_it):
            return "previous", proposal.stance
        return ("nothing" if same_sentence else "sentence"), proposal.stance
    verdict = _VERDICT.search(quoted)
    if names_it and len(words) <= 4 and (verdict or words[0].lower() == "as"):
        return "previous", "denies" if verdict else proposal.stance
    if (
        not same_sentence
        and verdict
        and len(words) <= 4
        and _NAMES_THE_CLAIM.search(text[proposal.sentence_start : proposal.quote_start])
    ):
        return "sentence", "denies"  # the claim it calls "not credible" has no cue of its own
    return "own", proposal.stance


def _tidy(clause: str) -> str:
    clause = re.sub(r"^(?:that|then)\s+", "", clause.strip(" ,;"))
    quoted = re.fullmatch(r"[“\"]([^“”\"]+?)[,;]?[”\"]", clause)
    if quoted:  # “C,” the command said: the claim is C
        clause = quoted[1].strip()
    clause = clause[:1].upper() + clause[1:]
    return clause if clause.endswith((".", "!", "?", "”", '"')) else clause + "."


def _candidates(party: Party) -> list[str]:
    """The names under which a party may already be a source: its name, its acronym,
    and each phrase the document used for it (without a leading article)."""
    names = [party.name, *(filter(None, [party.acronym])), *party.written]
    return [re.sub(r"^(?:the|a|an)\s+", "", name.strip(), flags=re.I) for name in names]


def document(
    raw: str,
    *,
    name: str,
    sha256: str,
    year: int | None = None,
    resolve_sources: Callable[[list[str]], dict[str, str]] | None = None,
    document_key: Callable[[str], str | None] | None = None,
    publisher: str | None = None,
    published: str | None = None,
) -> dict[str, Any]:
    """The proposals as an interchange document, ready to review and import.

    ``resolve_sources`` maps the names it knows (of a list) to known sources' keys;
    ``document_key`` maps the article's sha256 to the key of a document already recorded
    from it, so extracting the same article again refers to that document rather than
    creating another."""
    text = plain_text(raw)
    if published:
        when = dt.date.fromisoformat(published)
    else:
        today = dt.date.today()
        when = today.replace(year=year) if year and year != today.year else today
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), name)
    title = first_line[:200]
    recorded = document_key(sha256) if document_key else None
    doc_key = recorded or f"{slugify(title, max_length=48)}-{sha256[:8]}"
    sources: dict[str, dict[str, Any]] = {}
    keys: dict[int, str] = {}

    proposals = propose(text, published=when)
    if len(proposals) > MAX_PROPOSALS:
        raise ProvenanceError(
            f"{name}: more than {MAX_PROPOSALS:,} attributions, which no article has; "
            "split it into its articles"
        )
    parties = [p for proposal in proposals for p in (proposal.party, *proposal.relays)]
    # Without --publisher, the agency of a wire story's dateline published it
    outlet = None if publisher else dateline_outlet(text)
    wire = parse(outlet) if outlet else None
    if wire is not None:
        parties.append(wire)
    known: dict[str, str] = {}
    if resolve_sources is not None:
        known = resolve_sources([name for party in parties for name in _candidates(party)])

    def key_of(party: Party) -> str:
        if id(party) in keys:
            return keys[id(party)]
        key = next((known[name] for name in _candidates(party) if name in known), None)
        if key is None:
            key = party.key
            record = sources.setdefault(
                key,
                {
                    "key": key,
                    "name": party.name,
                    "kind": party.kind,
                    "aliases": [],
                    "notes": "proposed by extract: check it and grade it",
                },
            )
            if record["kind"] is None:
                del record["kind"]
            aliases = [party.acronym] if party.acronym else []
            for alias in aliases:
                if alias and alias != record["name"] and alias not in record["aliases"]:
                    record["aliases"].append(alias)
        keys[id(party)] = key
        return key

    if wire is not None and proposals:
        publisher = key_of(wire)
    claims: list[dict[str, Any]] = []
    #: where the last proposal's sentence starts and its quote ends, and the claims made
    #: from it
    previous: tuple[int, int, list[dict[str, Any]]] | None = None
    for proposal in proposals:
        same_sentence = previous is not None and previous[0] == proposal.sentence_start
        previous_end = previous[1] if previous is not None and same_sentence else None
        reading, stance = _what_it_speaks_of(text, proposal, previous_end)
        quote_start = proposal.quote_start
        if reading == "sentence":
            quote_start = proposal.sentence_start
            if not re.search(r"\w", text[quote_start : proposal.quote_start]):
                reading = "nothing"
        if reading == "nothing":
            continue
        quote_end = proposal.quote_end
        refers_back = _REFERS_BACK.search(text[quote_start:quote_end])
        if refers_back and refers_back.start() > 0:  # "…, a charge that" ends the claim
            quote_end = quote_start + refers_back.start()
        key = key_of(proposal.party)
        via = [publisher] if publisher and key != publisher else []
        via += [
            k for k in (key_of(r) for r in reversed(proposal.relays)) if k not in via and k != key
        ]
        quote = text[quote_start:quote_end]
        claim_text = _tidy(quote)
        positive = denied_by_negation(claim_text) if stance == "asserts" else None
        if positive is not None:  # "X says the envoy was not summoned": X denies he was
            stance, claim_text = "denies", positive
        attribution: dict[str, Any] = {
            "source": key,
            "document": doc_key,
            "stance": stance,
            "confidence": proposal.confidence,
            "quote": quote,
            "offsets": [quote_start, quote_end],
        }
        if via:
            attribution["via"] = via
        base: dict[str, Any] = {
            "text": claim_text,
            "tags": ["extracted"],
            "attributions": [attribution],
        }
        if reading == "previous" and previous is not None:
            for claim in previous[2]:
                spoken_of = claim["attributions"][0]
                if spoken_of["source"] != key:
                    where = {"quote": spoken_of["quote"], "offsets": spoken_of["offsets"]}
                    claim["attributions"].append({**attribution, **where})
            continue
        made_from = len(claims)
        if proposal.period:
            base["period"] = proposal.period
        if len(proposal.figures) <= 1:
            claim = dict(base)
            if proposal.figures:
                figure = proposal.figures[0]
                claim.update(value=figure.value, unit=figure.unit)
                if figure.property:
                    claim["property"] = figure.property
            claims.append(claim)
            previous = (proposal.sentence_start, quote_end, [claim])
            continue
        for figure in proposal.figures:  # one claim per figure, quoting the figure's words
            claim = {
                **base,
                "value": figure.value,
                "unit": figure.unit,
                "attributions": [
                    {
                        **attribution,
                        "quote": text[figure.start : figure.end],
                        "offsets": [figure.start, figure.end],
                    }
                ],
            }
            if figure.property:
                claim["property"] = figure.property
            if figure.place:
                claim["place"] = figure.place
            claims.append(claim)
        previous = (proposal.sentence_start, quote_end, claims[made_from:])
    document_record: dict[str, Any] = {
        "key": doc_key,
        "title": title,
        "sha256": sha256,
        "language": "en",
    }
    if publisher:
        document_record["publisher"] = publisher
    if published:
        document_record["published"] = published
    return {
        "provenance": 1,
        "sources": list(sources.values()),
        # a document already recorded from this file is referenced, never re-declared:
        # the analyst's edits to it stay as they are
        "documents": [] if recorded else [document_record],
        "claims": claims,
    }


#: The most attributions one text is read for (a long report has a few thousand): a
#: text with more is not one article, and its proposals would fill memory.
MAX_PROPOSALS = 20_000
#: The longest article read: a web page with its markup is a few MB; a longer file is
#: not an article, and reading it whole would hold it all in memory.
MAX_ARTICLE_BYTES = 16 << 20


def read_article(path: Path) -> tuple[str, str]:
    """An article file's text and the sha256 of its bytes; refused in one line when it is
    no text (not UTF-8, a NUL character, longer than any article)."""
    require_regular_file(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_ARTICLE_BYTES + 1)
    except OSError as error:
        raise ProvenanceError(f"cannot read {path}: {error.strerror}") from None
    if len(data) > MAX_ARTICLE_BYTES:
        raise ProvenanceError(
            f"{path}: longer than {MAX_ARTICLE_BYTES >> 20} MB, which no article is; not read"
        )
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ProvenanceError(
            f"{path}: not UTF-8 text ({error.reason} at byte {error.start}); "
            "save the article as UTF-8"
        ) from None
    if "\x00" in raw:
        raise ProvenanceError(
            f"{path}: contains a NUL character (at character {raw.index(chr(0))}), "
            "which no article has"
        )
    return raw, hashlib.sha256(data).hexdigest()


def file_document(path: Path, **options: Any) -> dict[str, Any]:
    raw, sha256 = read_article(path)
    return document(raw, name=path.name, sha256=sha256, **options)


__all__ = ["Proposal", "Sentence", "document", "file_document", "propose", "read_article"]
