"""The reading assistant: propose attributed claims from an article's text.

Rule-based and offline (no model, nothing downloaded). One module a step:

* :mod:`.text`: HTML stripped, sentences and paragraphs with their offsets;
* :mod:`.cues`: who is said to say what in a sentence (reported speech, ``according to``,
  passive agents, ``told``/``citing``/``quoting`` relays, denials);
* :mod:`.speakers`: speaker phrases to parties (titles, appositions, acronyms, pronouns
  and definite descriptions resolved within the document, a kind guess);
* :mod:`.figures` and :mod:`.periods`: figures through :mod:`provenance.figures` with the
  counted thing as unit and property, and the period the sentence or paragraph gives;
* :mod:`.document`: the interchange document of proposals.
"""

from provenance.io.reading.document import document, file_document, propose

__all__ = ["document", "file_document", "propose"]
