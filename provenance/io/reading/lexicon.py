"""The words the rules know: cue verbs, hedges, titles, the heads of speaker phrases, and
the words that say what kind of party a speaker is. Plain data, kept in one place so a
reader can see (and extend) every word the reading assistant reacts to."""

from __future__ import annotations

import re


def _forms(*groups: str) -> dict[str, str]:
    """'say said says saying' → every form mapped to the first (the lemma)."""
    forms: dict[str, str] = {}
    for group in groups:
        lemma, *rest = group.split()
        for form in (lemma, *rest):
            forms[form] = lemma
    return forms


#: Verbs that attribute what follows to their subject (stance asserts).
ASSERT_VERBS = _forms(
    "say said says saying",
    "tell told tells telling",
    "report reported reports reporting",
    "state stated states stating",
    "announce announced announces announcing",
    "declare declared declares declaring",
    "confirm confirmed confirms confirming",
    "claim claimed claims claiming",
    "allege alleged alleges alleging",
    "warn warned warns warning",
    "add added adds adding",
    "insist insisted insists insisting",
    "note noted notes noting",
    "reveal revealed reveals revealing",
    "document documented documents documenting",
    "denounce denounced denounces denouncing",
    "accuse accused accuses accusing",
    "blame blamed blames blaming",
    "estimate estimated estimates estimating",
    "count counted counts counting",
    "corroborate corroborated corroborates corroborating",
    "condemn condemned condemns condemning",
    "write wrote writes writing",
    "tweet tweeted tweets tweeting",
    "post posted",
    "suggest suggested suggests suggesting",
    "describe described describes describing",
    "call called calls calling",
    "attribute attributed attributes attributing",
    "acknowledge acknowledged acknowledges acknowledging",
    "admit admitted admits admitting",
    "explain explained explains explaining",
    "stress stressed stresses stressing",
    "argue argued argues arguing",
    "maintain maintained maintains maintaining",
    "predict predicted predicts predicting",
    "expect expects expected",
    "forecast forecasts",
    "contend contended contends contending",
    "reiterate reiterated reiterates reiterating",
    "concede conceded concedes conceding",
    "emphasise emphasised emphasises emphasising emphasize emphasized emphasizes emphasizing",
    "assert asserted asserts asserting",
    "charge charged charging",
    "disclose disclosed discloses disclosing",
    "publish published publishes",
    "find found finds",
    "record recorded records",
    "verify verified verifies",
    "highlight highlighted highlights",
    "show showed shows shown",
    "caution cautioned cautions cautioning",
    "testify testified testifies testifying",
    "affirm affirmed affirms affirming",
    "reaffirm reaffirmed reaffirms reaffirming",
    "assure assured assures assuring",
    "speculate speculated speculates speculating",
    "retort retorted retorts",
    "recount recounted recounts",
    "indicate indicated indicates indicating",
    "observe observed observes",
    "mention mentioned mentions",
    "remark remarked",
    "hint hinted hints",
    "counter countered counters",
    "reply replied replies",
    "respond responded responds",
)
#: Verbs that speak only before "that", a quotation or a colon, or at a clause's end
#: ("…, he replied."): "the army observed the truce", "responded to the fire" say nothing.
BEFORE_A_CLAUSE = {
    "indicate", "observe", "mention", "remark", "hint", "counter", "reply", "respond",
    "assure", "speculate",
}  # fmt: skip
#: Words of an organisation's name that no person's name has ("Thomson Reuters Corp").
ORGANISATION_WORDS = {
    "nations", "survey", "corp", "corporation", "inc", "ltd", "plc", "llc", "gmbh", "ag",
    "university", "bureau", "association", "exchange", "reserve", "holdings", "partners",
    "airlines", "airways", "motors", "energy", "petroleum", "industries", "systems",
    "technologies", "laboratories", "labs", "pharmaceuticals", "services", "society",
}  # fmt: skip
#: Bodies whose names are ordinary words together.
MULTIWORD_BODIES = {"united nations", "red cross", "red crescent", "white house",
                    "security council", "european union", "african union"}  # fmt: skip
#: Nouns of what is counted: "confirmed cases", "reported deaths" qualify them.
COUNT_NOUNS = {
    "cases", "case", "deaths", "death", "infections", "infection", "fatalities",
    "casualties", "injuries", "patients", "dead", "killings", "attacks", "sightings",
    "hospitalisations", "hospitalizations", "outbreaks", "incidents", "victims", "shelling",
}  # fmt: skip
#: Verbs that attribute only when their subject is a record ("UN figures show C").
RECORD_VERBS = {"show", "showed", "shows", "shown"}
RECORD_HEADS = {
    "figures", "data", "statistics", "tally", "tallies", "estimates", "records", "count",
    "report", "toll", "numbers", "census", "survey", "poll", "study", "documents",
    "filings", "papers",
}  # fmt: skip
#: Who finds something as a finding ("the study found a 20% rise", "researchers found
#: higher levels"): anyone else's "found" with no clause after it is an event ("rescuers
#: found two more bodies", "police found a car").
FINDING_HEADS = RECORD_HEADS | {
    "study", "studies", "investigation", "inquiry", "audit", "analysis", "review",
    "probe", "assessment", "researchers", "scientists", "investigators", "inspectors",
    "auditors", "experts", "analysts", "reports", "surveys", "polls",
}  # fmt: skip
#: Verbs of denial and rejection (stance denies).
DENY_VERBS = _forms(
    "deny denied denies denying",
    "reject rejected rejects rejecting",
    "refute refuted refutes refuting",
    "dismiss dismissed dismisses dismissing",
    "dispute disputed disputes disputing",
    "rebut rebutted rebuts rebutting",
    "contest contested contests contesting",
    "repudiate repudiated repudiates repudiating",
    "disavow disavowed disavows disavowing",
    "debunk debunked debunks debunking",
)


#: Verbs that give an estimate only with a quantity and "at" after them ("officials put
#: the turnout at 1,500", "pegged losses at $2 billion"); "put pressure on" says nothing.
FIGURE_VERBS = dict.fromkeys(
    ("put", "puts", "putting", "place", "placed", "places", "placing", "peg", "pegged",
     "pegs", "pegging"),
    "estimate",
)  # fmt: skip
#: Every form of a verb that gives a quantity "at" a figure.
ESTIMATING_FORMS = set(FIGURE_VERBS) | {
    f for f, lemma in ASSERT_VERBS.items() if lemma == "estimate"
}


def cue_of(form: str) -> tuple[str, str]:
    """A cue word's lemma and stance: "rejected" → ("reject", "denies")."""
    if form in DENY_VERBS:
        return DENY_VERBS[form], "denies"
    if form in FIGURE_VERBS:
        return FIGURE_VERBS[form], "asserts"
    return ASSERT_VERBS[form], "asserts"


#: Words that open a sentence before its comma and name nobody: "However, according to
#: IECC, C", "Meanwhile, an army spokesman said".
CONNECTIVES = (
    "however", "but", "and", "also", "separately", "still", "yet", "moreover", "meanwhile",
    "instead", "similarly", "nonetheless", "nevertheless", "further", "furthermore",
    "in addition", "overall", "officially",
)  # fmt: skip


#: Verbs that pass on another party's words: ``citing Y``, ``quoting Y``, ``cited Y as saying``.
RELAY_VERBS = _forms("cite cited cites citing", "quote quoted quotes quoting")
#: Forms that are as often nouns as verbs: verbs only when a clause follows.
AMBIGUOUS = {
    "report", "reports", "claim", "claims", "state", "states", "count", "counts", "post",
    "estimate", "estimates", "call", "calls", "charge", "record", "records", "documents",
    "notes", "note", "finds", "find", "stress", "quote", "quotes", "tweet", "tweets",
}  # fmt: skip
#: Participles that continue the previous speaker's report with their own stance.
PARTICIPLES_INHERIT = {"calling", "describing", "dismissing", "labeling", "labelling", "branding"}

#: Confidence (0–100) of a plain report by the cue's lemma; hedges lower it.
CUE_CONFIDENCE = {
    "according to": 65, "say": 65, "tell": 65, "report": 65, "state": 65, "announce": 65,
    "declare": 60, "confirm": 75, "verify": 75, "document": 70, "record": 70, "count": 70,
    "corroborate": 75, "claim": 45, "allege": 40, "accuse": 45, "blame": 45, "charge": 45,
    "insist": 50, "maintain": 50, "argue": 50, "suggest": 30, "predict": 40, "expect": 40,
    "forecast": 40, "estimate": 55,
    "warn": 60, "add": 60, "deny": 60, "reject": 60, "refute": 60, "dismiss": 60,
    "dispute": 55, "rebut": 60, "contest": 55, "headline": 55,
}  # fmt: skip
HEDGES = (
    (r"\bcannot guarantee\b", 50),
    (r"\bexpected to\b", 50),
    (r"\b(?:likely|probably)\b", 55),
    (r"\b(?:may|might|could)\b", 30),
    (r"\b(?:possibly|reportedly|allegedly|apparently|purportedly)\b", 35),
    (r"\b(?:unconfirmed|unverified|could not (?:be )?(?:independently )?verif\w*)\b", 35),
)
#: Adverbs with which the reporter signals a claim is false or unfounded.
DISCREDITED = re.compile(
    r"\b(?:falsely|baselessly|misleadingly|inaccurately|wrongly|without (?:evidence|"
    r"substantiation)|erroneously)\b"
)

#: Lowercase words that may sit between a speaker and its verb ("X on Monday said").
BETWEEN = {
    "has", "have", "had", "also", "earlier", "later", "again", "previously", "immediately",
    "repeatedly", "first", "then", "now", "already", "last", "on", "today", "yesterday",
    "overnight", "morning", "afternoon", "evening", "night", "late", "early", "this",
    "week", "would", "will", "did", "does", "do", "separately", "publicly", "officially",
    "initially", "subsequently", "finally", "further", "once", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday",
}  # fmt: skip
#: "X, in a statement on Monday, said": words between a speaker and its verb, as a phrase.
BETWEEN_PHRASE = re.compile(
    r"(?:,\s*)?\b(?:in|on)\s+(?:an?|the|its|their|his|her)\s+"
    r"(?:(?:joint|official|written|brief|short|separate|emailed|new|televised|final)\s+)?"
    r"(?:statement|post|interview|briefing|video(?:\s+message)?|address|press\s+conference|"
    r"report|letter|filing|speech|tweet|message|website|release|press\s+release)"
    r"(?:\s+(?:issued|released|published|posted|sent|shared|made))?"
    r"(?:\s+(?:(?:late|early)\s+)?on\s+[\w.]+)?,?\s*$"
)
#: What wire copy puts between an unnamed speaker and its verb: why the speaker is not named
#: ("a source, speaking on condition of anonymity because …, said"; "a resident who asked
#: not to be identified said") or a short relative clause ("a soldier who survived the
#: attack said"). The speaker is the phrase before it.
ASIDE = re.compile(
    r"(?:,\s*(?:speaking|requesting|asking|declining|who)\b[^,;:“”\"]*,"
    r"|\s+who\s+(?!(?:said|says|told|tells)\b)[^,;:“”\"()]{1,120}"
    r"|\s+(?:(?:familiar|close|briefed)\s+(?:with|to|on)|with\s+(?:direct\s+)?knowledge\s+of)"
    r"\s+the\s+(?:matter|talks|plans?|situation|"
    r"decision|negotiations|discussions|investigation|deal|case)(?:\s+(?:who|and)\b[^,;:“”\"()]{1,80})?"
    # between dashes: "The US military — which has been suspected of … — denied"
    r"|\s*(?:[—–]|\s--?)\s*[^—–;“”\"]{1,200}?(?:[—–]|\s--?))"
    r"\s*$"
)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NEGATIONS = {"not", "never", "n't", "neither", "nor", "no"}
#: Words that end a speaker phrase when walking back from a verb.
CLAUSE_WORDS = {
    "that", "which", "who", "whom", "whose", "when", "while", "after", "before", "as",
    "because", "since", "but", "though", "although", "if", "where", "whereas", "until",
    "than", "so", "yet", "or", "nor", "was", "were", "is", "are", "be", "been", "being",
    "to", "by", "with", "amid", "amidst", "despite", "following", "over", "about", "into",
    "onto", "upon", "against", "among", "between", "through", "during", "without", "within",
    "under", "once", "even", "why", "how", "what", "whether", "also", "not", "never",
    "there", "here", "only", "just", "said", "says", "say", "told", "meanwhile", "however",
}  # fmt: skip
#: Function words a speaker phrase may contain ("the spokesperson for the group").
NP_INNER = {"of", "for", "in", "at", "the", "a", "an", "and", "on", "de", "al", "el", "bin",
            "ibn", "la", "le", "van", "von", "da", "du", "del", "des", "der"}  # fmt: skip
#: Lowercase participles that may qualify a speaker ("unnamed", "armed").
NP_PARTICIPLES = {"unnamed", "armed", "displaced", "wounded", "injured", "elected", "exiled",
                  "affiliated", "united", "detained", "retired", "appointed", "named",
                  "concerned", "based", "backed", "owned", "led", "run", "allied",
                  "unidentified", "self-proclaimed", "so-called", "governing", "ruling",
                  "organising", "organizing", "investigating", "presiding", "managing",
                  "coordinating", "monitoring", "opposing", "striking", "sitting",
                  "outgoing", "incoming", "acting", "leading", "visiting", "reporting",
                  "neighbouring", "neighboring", "opposition"}  # fmt: skip

#: Heads of speaker phrases written in lowercase ("aid officials", "the ministry").
SPEAKER_HEADS = {
    "official", "officials", "spokesman", "spokeswoman", "spokesperson", "spokespeople",
    "ministry", "army", "military", "police", "government", "authorities", "authority",
    "group", "groups", "network", "agency", "office", "committee", "council", "commission",
    "monitor", "monitors", "observatory", "ngo", "organisation", "organization", "residents",
    "resident", "witnesses", "witness", "eyewitnesses", "eyewitness", "villagers",
    "villager", "locals", "medics", "medic", "doctors", "doctor", "sources", "source",
    "analysts", "analyst", "experts", "expert", "observers", "activists", "activist",
    "posts", "post", "media", "reports", "report", "statement", "data", "tallies", "tally",
    "figures", "survivors", "survivor", "workers", "worker", "officer", "officers",
    "commander", "commanders", "governor", "mayor", "minister", "president", "leader",
    "leaders", "chief", "director", "coordinator", "envoy", "ambassador", "secretary",
    "researchers", "investigators", "staff", "service", "mission", "radio", "television",
    "tv", "channel", "station", "outlet", "outlets", "newspaper", "portal", "broadcaster",
    "junta", "regime", "rebels", "militia", "militias", "paramilitary", "paramilitaries",
    "party", "coalition", "alliance", "journalist", "journalists", "reporter", "reporters",
    "correspondent", "cleric", "nurse", "hospital", "man", "woman", "fighter", "fighters",
    "member", "members", "lawyers", "lawyer", "campaigners", "watchdog", "charity",
    "families", "relatives", "forces", "force", "troops", "soldiers", "soldier", "prosecutor",
    "prosecutors", "court", "tribunal", "department", "administration", "embassy",
    "ministries", "team", "teams", "unit", "volunteers", "responders", "defence", "defense",
    "movement", "federation", "union", "institute", "centre", "center", "project", "body",
    "board", "panel", "presidency", "cabinet", "parliament", "assembly", "representative",
    "representatives", "people", "citizens", "users", "accounts", "account",
    "tweet", "tweets", "video", "videos", "article", "articles", "website", "websites",
    "study", "survey", "poll", "researcher", "scientists", "guard", "guards", "brigade",
    "brigades", "command", "headquarters", "insurgents", "club", "clubs", "league",
    "opponents", "critics", "lawsuit", "complaint", "indictment", "documents", "filing",
    "filings",
    "gunmen", "militants", "attackers", "rescuers", "hospitals", "clinic", "manager",
    "head", "deputy", "operator", "company", "firm", "bank", "fund", "programme",
    "program", "surveillance", "ministers", "lawmakers", "lawmaker", "senator", "mp",
    "diplomat", "diplomats", "negotiator", "negotiators", "aide", "aides", "insider",
    "insiders", "person", "persons", "user", "blogger", "influencer", "commentator",
    "columnist", "candidate", "professor", "economist", "economists", "scientist",
    "chairman", "chairwoman", "chair", "ceo", "executive", "executives", "founder", "owner",
    "protesters", "protester", "demonstrators", "organisers", "organizers", "victims",
    "victim", "parents", "teacher", "teachers", "student", "students", "farmer", "farmers",
}  # fmt: skip
#: Titles before a person's name: the name after the last of them is the person.
TITLES = {
    "spokesman", "spokeswoman", "spokesperson", "minister", "president", "director",
    "director-general", "secretary-general", "secretary", "ambassador", "governor",
    "colonel", "general", "commander", "chief", "coordinator", "envoy", "mayor", "leader",
    "official", "officer", "chairman", "chairwoman", "chair", "head", "deputy",
    "commissioner", "senator", "sen", "rep", "representative", "premier", "king", "prince",
    "gen", "maj", "lt", "col", "dr", "mr", "mrs", "ms", "major", "lieutenant", "brigadier",
    "captain", "capt", "sergeant", "admiral", "marshal", "sheikh", "imam", "bishop",
    "cleric", "analyst", "researcher", "professor", "prof", "journalist", "correspondent",
    "reporter", "doctor", "nurse", "co-founder", "founder", "ceo", "executive", "adviser",
    "advisor", "aide", "lawyer", "attorney", "judge", "prosecutor", "pope", "cardinal",
    "resident", "witness", "survivor", "farmer", "teacher", "student", "activist",
    "fighter", "member", "manager", "rapporteur", "expert", "magistrate", "superintendent",
    "inspector", "constable", "sheriff", "councillor", "councilor", "legislator", "lawmaker",
    "convener", "convenor", "organiser", "organizer", "collector", "coroner", "registrar",
    "ombudsman", "auditor", "dean", "rector", "chancellor", "warden", "prefect",
}  # fmt: skip
NAME_PARTICLES = {"al", "el", "bin", "ibn", "de", "da", "van", "von", "la", "le", "du", "del",
                  "der", "abu", "bint", "ben"}  # fmt: skip

#: News organisations often named bare; a party told to one of them speaks through it.
OUTLETS = {
    "reuters", "afp", "ap", "associated press", "agence france-presse", "bbc", "bbc news",
    "xinhua", "bloomberg", "al jazeera", "cnn", "tass", "interfax", "ria novosti", "ria",
    "snopes", "politifact", "factcheck.org", "the new york times", "new york times",
    "the washington post", "washington post", "the guardian", "guardian", "the times",
    "nbc news", "abc news", "cbs news", "fox news", "npr", "dpa", "efe", "anadolu",
    "anadolu agency", "sputnik", "ukrinform", "rfa", "radio free asia", "voa",
    "voice of america", "the irrawaddy", "irrawaddy", "al-masirah", "al masirah", "wafa",
    "sana", "irna", "kyodo", "yonhap", "nhk", "france 24", "dw", "euronews", "sky news",
    "the telegraph", "financial times", "wall street journal", "the wall street journal",
    "axios", "politico", "the economist", "le monde", "mizzima", "myanmar now",
    "radio okapi", "ayibopost", "the new humanitarian", "middle east eye", "the national",
}  # fmt: skip
#: Words that make a phrase a media outlet ("state television", "The Myanmar Times").
MEDIA_WORDS = {
    "tv", "television", "radio", "channel", "station", "newspaper", "times", "post",
    "news", "media", "outlet", "outlets", "portal", "broadcaster", "press", "journal",
    "daily", "gazette", "tribune", "herald", "telegraph", "wire", "magazine",
    "reporters", "journalists", "journalist", "reporter", "correspondent", "network",
}  # fmt: skip
ARMED_WORDS = {
    "army", "military", "forces", "force", "rebels", "rebel", "militia", "militias",
    "paramilitary", "paramilitaries", "brigade", "brigades", "junta", "troops", "guard",
    "command", "insurgents", "gunmen", "militants", "fighters", "tatmadaw", "navy",
    "hamas", "hezbollah", "houthi", "houthis", "huthis", "huthi", "rsf", "m23", "idf",
    "isis", "taliban", "wagner", "battalion", "regiment", "liberation", "defense forces",
    "defence forces", "jihad", "al-shabaab", "al-qaeda", "gang", "gangs", "viv ansanm",
}  # fmt: skip
OFFICIAL_WORDS = {
    "ministry", "government", "spokesman", "spokeswoman", "spokesperson", "minister",
    "president", "governor", "official", "officials", "authorities", "authority", "police",
    "office", "embassy", "department", "council", "presidency", "white house", "kremlin",
    "pentagon", "state department", "administration", "mayor", "ambassador", "prosecutor",
    "court", "cabinet", "parliament", "united nations", "un", "u.n.", "secretary-general",
    "commission", "agency", "mission", "envoy", "coordinator", "civil defence",
    "civil defense", "health office", "service", "republic", "kingdom", "state",
}  # fmt: skip
NGO_WORDS = {
    "network", "group", "committee", "ngo", "organisation", "organization", "watchdog",
    "lawyers", "doctors", "monitor", "observatory", "project", "foundation", "society",
    "charity", "human rights", "amnesty", "msf", "red cross", "red crescent", "institute",
    "centre", "center", "coalition", "federation", "union", "campaigners", "activists",
    "acled", "airwars", "unicef", "who",
}  # fmt: skip
UNNAMED_WORDS = {
    "officials", "residents", "witnesses", "eyewitnesses", "sources", "source", "locals",
    "villagers", "medics", "analysts", "observers", "posts", "post", "experts", "survivors",
    "activists", "workers", "people", "users", "accounts", "man", "woman", "families",
    "relatives", "doctors", "diplomats", "diplomat", "insiders",
}  # fmt: skip
PRONOUNS = {"he", "she", "they", "it", "we", "i", "this", "that", "there", "these", "those",
            "you", "one", "its", "their", "his", "her"}  # fmt: skip
