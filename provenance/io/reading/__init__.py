"""The reading assistant: propose attributed claims from an article's text.

Rule-based and offline (no model, nothing downloaded). One module a step:

* :mod:`.text`: HTML stripped, sentences and paragraphs with their offsets;
* :mod:`.tokens`, :mod:`.lexicon`: words with offsets; every word the rules react to;
* :mod:`.words`: what a word or a short run of words is (an outlet's name, a cue's form,
  a qualifier, a place, a time, an occasion);
* :mod:`.cues`: who is said to say what in a sentence (reported speech in every tense and
  shape, denials, shared subjects), built on :mod:`.phrases` (speaker phrases, appositions),
  :mod:`.relays` (``told``/``citing``/``quoting``, outlets wrapped around a report) and
  :mod:`.nominal` (``according to``, passive agents, ``claims by X that``);
* :mod:`.speakers`: speaker phrases to parties (titles, appositions, acronyms, pronouns
  and definite descriptions resolved within the document, a kind guess);
* :mod:`.figures` and :mod:`.periods`: figures through :mod:`provenance.figures` with the
  counted thing as unit and property, and the period the sentence or paragraph gives;
* :mod:`.document`: the interchange document of proposals.
"""

from provenance.io.reading.document import document, file_document, propose, read_article

__all__ = ["document", "file_document", "propose", "read_article"]
