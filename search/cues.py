"""What a query says about who speaks and when: "What did Brazil say about the Council in 2018?".

A debate question names its speaker as the one who says something: after an auxiliary ("did Brazil",
"does the United Kingdom"), after "according to", before a verb of saying ("Brazil said"), as the
owner of a view ("Brazil's position", "the position of Brazil", "statements by Brazil"), as a headline
("South Africa on Council reform"), or after a French or Spanish verb of saying ("Que dit la France",
"¿Qué dijo Costa Rica?"), as a country's adjective before one who speaks ("the Syrian delegate"), or
listed with a speaker ("Did Mexico and France ..."). A name used otherwise ("the UN mission in Rwanda",
"the Syrian government") is the question's subject, not its speaker, and gives no cue. A question about
what unnamed speakers said ("Which States raised ...?") is told apart as ``about_statements``. Names resolve with the speaker tables of
``ingest.speakers`` (exact names after folding, never substrings), so "Guinea" is not "Papua New Guinea".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.speakers import fold, resolve

# Every document here is the UN's own, so "the UN" in a question names the institution, not a delegation.
NOT_A_SPEAKER = frozenset({"organization/united-nations"})
# Names a question gives a speaker that are not the speaker's own names, so the speaker tables (which
# also read statements at ingestion) cannot hold them: the Group of Friends, short, is R2P's in these
# debates, but a statement "on behalf of the Group of Friends of Mediation" is not; and a Special
# Adviser speaks for the Office (Special Advisers on the Prevention of Genocide and on R2P, 2004-).
QUESTION_NAMES = {fold(name): key for key, names in {
    "group/friends-of-r2p": ["Group of Friends", "Friends of R2P", "Friends of the Responsibility to Protect"],
    "organization/osapg": ["Special Adviser", "Special Advisers", "Special Adviser on the Prevention of Genocide",
                           "Special Adviser on the Responsibility to Protect", "Juan Méndez", "Francis Deng",
                           "Adama Dieng", "Alice Wairimu Nderitu", "Edward Luck", "Jennifer Welsh",
                           "Ivan Šimonović", "Karen Smith", "George Okoth-Obbo"],
}.items() for name in names}
MAX_NAME_WORDS = 8  # "Office of the United Nations High Commissioner for Human Rights" has 9 with "the"
_TOKEN = re.compile(r"[^\W_]+(?:[-.][^\W_]+)*\.?")
_YEAR = re.compile(r"\b(19[4-9]\d|20\d\d)\b")
# A number after these is a resolution's, an article's or a paragraph's, not a year: "resolution 1973".
_NUMBERED = re.compile(r"(?:\bresolutions?|\bres\.?|\barticles?|\bart\.?|\bpara(?:graph)?s?\.?|\bno\.?|[§¶/])\s*$",
                       re.IGNORECASE)
_ARTICLES = frozenset({"the", "la", "le", "les", "l", "el", "los", "las"})
_AUXILIARY = frozenset({"did", "does", "do", "would", "will"})  # "Is Guinea at risk?" asks about Guinea
_SPEAKS = frozenset({"say", "says", "said", "state", "states", "stated", "stress", "stressed", "argue", "argued",
                     "urge", "urged", "warn", "warned", "propose", "proposed", "tell", "told", "mention",
                     "mentioned", "insist", "insisted", "claim", "claimed", "note", "noted", "emphasize",
                     "emphasized", "emphasise", "emphasised", "think", "thinks", "believe", "believes",
                     "dit", "déclare", "pense", "affirme", "dijo", "dice", "dicho", "declaró", "afirmó", "piensa"})
_SAID_BEFORE = frozenset({"dit", "déclare", "pense", "dijo", "dice", "declaró", "piensa"})  # "Que dit la France"
_HEADLINE = frozenset({"on", "about", "regarding", "concerning"})  # "South Africa on Council reform", first words only
_VIEWS = frozenset({"view", "views", "position", "positions", "stance", "statement", "statements", "proposal",
                    "remarks", "speech", "delegation", "representative", "concern", "concerns", "argument",
                    "objection", "objections", "opinion", "reply", "criticism", "criticisms", "critique",
                    "reservations", "stand", "approach", "response", "comments", "explanation", "vote"})
_AND = re.compile(r"\s*,?\s*(?:and|or)\s+", re.IGNORECASE)
_COMMA = re.compile(r"\s*,\s*")
_EVENT = re.compile(r"\s+(?:world\s+summit|summit|outcome|report|resolution|convention|statute|declaration|protocol)\b",
                    re.IGNORECASE)
_OF_WHOM = frozenset({"representative", "delegate", "delegation", "ambassador", "statement", "speech"})


# "Which States raised sovereignty concerns?": a question about what speakers said, none of them named.
# "Which countries does the report cite?" asks about a document: its verb follows an auxiliary.
_WHICH_SPEAKERS = re.compile(r"\b(?:which|what)\s+(?:member\s+states|states|delegations|countries|governments|speakers"
                             r"|statements|speeches|groups)\s+(?:(?:have|has|had)\s+)?(\w+)", re.IGNORECASE)
# Only verbs of taking a position: "Which countries set up a focal point?" asks about what States did.
_POSITIONS = frozenset({"raise", "raised", "support", "supported", "oppose", "opposed", "call", "called", "cite", "cited",
                        "refer", "referred", "reject", "rejected", "welcome", "welcomed", "express", "expressed",
                        "object", "objected", "endorse", "endorsed", "back", "backed", "criticize", "criticized",
                        "criticise", "criticised", "question", "questioned", "speak", "spoke", "voice", "voiced",
                        "highlight", "highlighted", "favour", "favoured", "favor", "favored", "advocate", "advocated",
                        "describe", "described", "denounce", "denounced", "champion", "championed"})
# "the Syrian delegate", "the Russian delegation": the adjectives whose country is not found by its suffix.
_DEMONYMS = {"french": "France", "british": "United Kingdom", "dutch": "Netherlands", "swiss": "Switzerland",
             "american": "United States", "emirati": "United Arab Emirates", "spanish": "Spain", "danish": "Denmark",
             "irish": "Ireland", "filipino": "Philippines", "greek": "Greece", "portuguese": "Portugal",
             "belgian": "Belgium", "hungarian": "Hungary", "norwegian": "Norway", "moroccan": "Morocco",
             "mexican": "Mexico", "finnish": "Finland", "polish": "Poland", "swedish": "Sweden", "turkish": "Turkey",
             "thai": "Thailand", "lao": "Laos", "chinese": "China", "japanese": "Japan", "sudanese": "Sudan",
             "lebanese": "Lebanon", "vietnamese": "Viet Nam", "senegalese": "Senegal", "togolese": "Togo",
             "maltese": "Malta", "peruvian": "Peru", "argentine": "Argentina", "canadian": "Canada", "afghan": "Afghanistan",
             "german": "Germany"}
_AMBIGUOUS = frozenset({"korean", "congolese", "guinean", "dominican"})  # two States each: no cue
# Only those who speak: "what did the Syrian government commit" asks about Syria, not what it said.
_ROLE = frozenset({"delegate", "delegation", "representative", "ambassador"})
_COMPASS = frozenset({"south", "north", "east", "west", "central", "equatorial"})  # "South Sudanese": not Sudan


@dataclass(frozen=True)
class Cues:
    speakers: tuple[str, ...] = ()  # speaker ids as the speaker facet keys them ("bra", "organization/european-union")
    year: int | None = None  # the year the question names, if any
    about_statements: bool = False  # it asks what unnamed speakers said ("Which States raised ...?")
    named: tuple[str, ...] = ()  # every party that speaks in the index and that the question names, speaker or not


def read_cues(query: str, known: set[str] | frozenset[str]) -> Cues:
    """The speakers ``query`` asks about (among ``known``, the ids that speak in the index) and its year."""
    years = [m for m in _YEAR.finditer(query) if not _NUMBERED.search(query[max(0, m.start() - 20):m.start()])]
    # "What did Russia say about the 2005 World Summit in 2012?": a year that names an event or a document is
    # not when the speaker spoke, where the question gives another
    year = next((m for m in years if not _EVENT.match(query, m.end())), years[0] if years else None)
    tokens = list(_TOKEN.finditer(query))
    words = [t.group(0).rstrip(".").casefold() for t in tokens]
    found: list[str] = []
    names: list[tuple[int, int, str]] = []  # every name resolved: (first token, end token, key)
    used: set[int] = set()
    for n in range(min(MAX_NAME_WORDS, len(tokens)), 0, -1):  # longest names first: "South Sudan" before "Sudan"
        for i in range(len(tokens) - n + 1):
            span = range(i, i + n)
            first = tokens[i].group(0)
            if used.intersection(span) or not first[0].isupper():
                continue
            if n == 1 and len(first) <= 3 and not first.isupper():  # "us", "car", "act" are words; US, CAR, ACT names
                continue
            key = _speaker_key(query[tokens[i].start():tokens[i + n - 1].end()])
            if key is None:
                continue
            used.update(span)
            names.append((i, i + n, key))
            if key in known and key not in NOT_A_SPEAKER and key not in found \
                    and _speaks(query, tokens, words, i, i + n):
                found.append(key)
    for i, word in enumerate(words[:-1]):  # "the Syrian delegate", "the South Sudanese delegation"
        if words[i + 1] in _ROLE and i not in used:
            key = _demonym_key(f"{words[i - 1]} {word}") if i and words[i - 1] in _COMPASS else _demonym_key(word)
            if key in known and key not in found:
                found.append(key)
    _joined(query, tokens, names, found, known)
    verb = _WHICH_SPEAKERS.search(query)
    return Cues(tuple(found), int(year.group(1)) if year else None,
                about_statements=bool(verb) and verb.group(1).casefold() in _POSITIONS | _SPEAKS,
                named=tuple(sorted({key for _, _, key in names if key in known})))


def _joined(query: str, tokens: list, names: list[tuple[int, int, str]], found: list[str], known) -> None:
    """Names listed with a speaker's speak with it: "Did Mexico and France ...", "Mexico, France and Rwanda"
    (a list has an "and" or "or": in "According to Rwanda, Burundi faces ..." Burundi is the subject)."""
    names.sort()
    chains: list[tuple[list[str], bool]] = []  # the names of a run, and whether "and"/"or" joins it
    for i, (start, end, key) in enumerate(names):
        between = query[tokens[names[i - 1][1] - 1].end():tokens[start].start()] if i else None
        if between is not None and (_AND.fullmatch(between) or _COMMA.fullmatch(between)):
            keys, listed = chains[-1]
            chains[-1] = ([*keys, key], listed or bool(_AND.fullmatch(between)))
        else:
            chains.append(([key], False))
    for keys, listed in chains:
        if listed and any(k in found for k in keys):
            found.extend(k for k in keys if k in known and k not in NOT_A_SPEAKER and k not in found)


def _demonym_key(word: str) -> str | None:
    """The speaker key of a country adjective ("syrian" -> "syr"), trying its stem with a country's usual endings."""
    if word in _DEMONYMS:
        return _speaker_key(_DEMONYMS[word])
    if word in _AMBIGUOUS or len(word) < 5 or not word.endswith(("an", "ian", "i", "ese", "ish")):
        return None
    for cut in (1, 2, 3, 4):
        for ending in ("", "a", "ia", "e", "o", "y"):
            stem = word[:-cut] + ending
            if len(stem) >= 4 and (party := resolve(stem)) is not None and party.kind == "country":
                return party.key.casefold()
    return None


@lru_cache(maxsize=16384)  # every capitalised run of a question is tried: "What", "What did", "Brazil" recur
def _speaker_key(name: str) -> str | None:
    """The speaker facet's key for ``name`` ("bra", "group/friends-of-r2p"), or None."""
    party = resolve(name)
    if party is None:
        return QUESTION_NAMES.get(fold(name))
    return (party.key if party.kind == "country" else f"{party.kind}/{party.key}").casefold()


def _speaks(query: str, tokens: list, words: list[str], start: int, end: int) -> bool:
    """Whether the name at tokens[start:end] is the one who says something (see the module's doc)."""
    before = [w for w in words[max(0, start - 3):start] if w not in _ARTICLES]
    if before and (before[-1] in _AUXILIARY or before[-1] in _SAID_BEFORE):
        return True
    if before[-2:] == ["according", "to"] or len(before) >= 2 and before[-1] in ("of", "by", "from") \
            and before[-2] in _OF_WHOM | _VIEWS:
        return True
    if end < len(words) and words[end] in _HEADLINE and all(w in _ARTICLES for w in words[:start]):
        return True
    rest = query[tokens[end - 1].end():]
    owner = re.match(r"\s*['’]s?\s+(\w+)", rest)
    if owner:
        return owner.group(1).casefold() in _VIEWS
    return end < len(words) and words[end] in _SPEAKS
