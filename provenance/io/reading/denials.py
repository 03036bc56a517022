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
