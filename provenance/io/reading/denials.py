"""A denial carried by the words of what is said: 'X said claims that it polluted the
river were baseless' is X denying that it polluted the river; 'reports of a drone being
shot down are incorrect' is X denying a drone was shot down; 'the allegations made by the
attorney general are unfounded' is X denying those allegations. The claim is what is
called false (a verbatim span of the sentence), and the stance ``denies``."""

from __future__ import annotations

import re

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


def denied_by_its_words(text: str, mention: Mention) -> None:
    """Turn an assertion that a report is false into the denial of what it reports."""
    if mention.stance != "asserts":
        return
    clause = text[mention.clause_start : mention.clause_end]
    found = _CALLED_FALSE.match(clause)
    if found is None or clause[found.end() :].strip(' .,;!?”"’'):
        return  # more said after it ("… are incorrect. All equipment is accounted for"): kept whole
    what = "said" if found["said"] else "report"
    mention.stance = "denies"
    mention.clause_end = mention.clause_start + found.end(what)
    mention.clause_start += found.start(what)
