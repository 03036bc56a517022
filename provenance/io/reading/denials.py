"""A denial carried by the words of what is said: 'X said claims that it polluted the
river were baseless' is X denying that it polluted the river; 'reports of a drone being
shot down are incorrect' is X denying a drone was shot down; 'the allegations made by the
attorney general are unfounded' is X denying those allegations. The claim is what is
called false (a verbatim span of the sentence), and the stance ``denies``."""

from __future__ import annotations

import re
from dataclasses import replace

from provenance.io.reading.phrases import Mention

#: What a party may call false (the report itself, or the proposition it reports), and
#: the words that call it so.
_CALLED_FALSE = re.compile(
    r"^[“\"‘]?\s*(?P<report>(?:(?:the|these|those|such|all|any|recent|alleged|media|press|"
    r"online|erroneous)\s+)*(?:reports?|claims?|allegations?|accusations?|suggestions?|"
    r"rumou?rs?|assertions?|stories|story|charges)"
    r"(?:\s+(?:made|published|circulated|spread|aired|carried)?\s*by\s+[^,;“”\"]{2,80}?)?)"
    r"(?:\s+(?:that|of|about)\s+(?P<said>[^“”\"]{8,240}?))?\s*,?\s+"
    r"(?:is|are|was|were|had\s+been|have\s+been|remain)\s+"
    r"(?:(?:completely|totally|entirely|simply|wholly|utterly|categorically|absolutely|"
    r"patently|clearly|also)\s+)?"
    r"(?:false|untrue|incorrect|baseless|unfounded|groundless|fabricated|fake|inaccurate|"
    r"wrong|not\s+true|without\s+(?:basis|foundation|merit)|lies|a\s+lie|nonsense|"
    r"not\s+supported\s+by\s+(?:the\s+)?(?:facts|evidence))\b"
    # "… are not supported by the facts and are unfounded", "… is false and should be
    # disregarded": more of the same verdict
    r"(?:\s*,?\s+and\s+(?:is|are|was|were|should|must)\s+[^,;.]{2,40})?",
    re.IGNORECASE,
)


def denied_by_its_words(text: str, mention: Mention) -> Mention | None:
    """Turn an assertion that a report is false into the denial of what it reports. When
    more is said after it, in sentences of its own ("The story is false. We are not aware
    of any new attack"), that stays an assertion and the denial is returned as a mention
    of its own (the caller adds it)."""
    if mention.stance != "asserts":
        return None
    clause = text[mention.clause_start : mention.clause_end]
    found = _CALLED_FALSE.match(clause)
    if found is None:
        return None
    what = "said" if found["said"] else "report"
    start, end = mention.clause_start + found.start(what), mention.clause_start + found.end(what)
    rest = clause[found.end() :]
    if not rest.strip(' .,;!?”"’'):
        mention.stance = "denies"
        mention.clause_start, mention.clause_end = start, end
        return None
    after = re.match(r"\s*[.!?]\s+(?=[“\"‘]?[A-Z])", rest)
    if after is None:
        return None  # more of the same sentence: kept whole
    denial = replace(mention, stance="denies", clause_start=start, clause_end=end)
    mention.clause_start += found.end() + after.end()
    remainder = text[mention.clause_start : mention.clause_end]
    if not re.search(r"[“\"‘]", remainder.rstrip(' ,;”"’')):  # its quotation opened before
        mention.clause_end = mention.clause_start + len(remainder.rstrip(' ,;”"’'))
    return denial


#: A negated auxiliary, as written: "was not", "wasn't", "has never", "did not".
#: (Of what was or is, never what will or would be: "will not resign" is a prediction.)
_AUXILIARY = r"was|were|is|are|has|have|had|did|does|do|been"
_NEGATED = re.compile(
    rf"\b(?P<aux>{_AUXILIARY})(?P<neg>\s+(?:not|never)\b)"
    r"|\b(?P<short>was|were|is|are|has|have|had|did|does|do)(?P<nt>n['’]t)\b",
    re.IGNORECASE,
)
#: Words that say more than one thing is said, or that the negation may yet change.
_MORE_THAN_ONE = re.compile(
    r",|\b(?:and|but|or|while|whereas|because|although|though|except|unless|yet|still|"
    r"will|would|could|can|should|might|may|wo|ca)\b",
    re.IGNORECASE,
)
#: After the negation, words that make it no denial of a fact: "did not confirm", "was
#: not immediately available", "not only", "has not yet".
_NOT_A_DENIAL = re.compile(
    r"\s*(?:only|yet|just|all|always|necessarily|immediately|clear|sure|known|available|"
    r"able|likely|expected|enough|least|much|many|far|long|so|too|quite|fully|"
    r"confirm\w*|comment\w*|say|said|respond\w*|elaborat\w*|disclos\w*|specif\w*|provid\w*|"
    r"give|given|want\w*|believ\w*|think|thought|know|knew|rule\w*|reach\w*|aware|"
    r"identif\w*|releas\w*|answer\w*|return\w*|possible|ready|allowed|permitted)\b",
    re.IGNORECASE,
)


def denied_by_negation(claim: str) -> str | None:
    """'Prague Says Czech Ambassador Was Not Summoned', 'the runners maintained they had
    not doped': a party saying a thing did not happen denies that it did. The claim is
    then the thing itself, the negation taken out ("Czech Ambassador Was Summoned"), and
    the stance ``denies``; None when the claim is no single negated statement."""
    body = claim.rstrip(".!? ")
    if re.search(r"[.!?;:]\s+\S", body) or re.search(r"[“”\"]", body):
        return None  # several statements, or a quotation inside: read as written
    found = list(_NEGATED.finditer(body))
    if len(found) != 1 or re.search(r"\b(?:no|nothing|nobody|none|neither|nor)\b", body, re.I):
        return None
    negation = found[0]
    if _NOT_A_DENIAL.match(body, negation.end()):
        return None
    if (negation["aux"] or negation["short"] or "").lower() in {"is", "are"} and re.match(
        r"\s*\w+ing\b", body[negation.end() :]
    ):
        return None  # "it is not tracking any new satellites": what goes on, no denial
    if _MORE_THAN_ONE.search(body):
        return None  # "was not involved, and 40 died": more is said than what is denied
    if negation["aux"]:
        positive = body[: negation.start("neg")] + body[negation.end("neg") :]
    else:
        positive = body[: negation.start("nt")] + body[negation.end("nt") :]
    return positive + claim[len(body) :] if claim[len(body) :].strip() else positive + "."
