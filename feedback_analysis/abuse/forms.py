"""Settings, patterns and word forms of the rule engine (:mod:`.rules`): inflections, typo distance,
and the small records the engine passes around."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from feedback_analysis import text_nl
from feedback_analysis.abuse.group_words import SELF_OBJECTS

LABELS = ("none", "offensive", "threat")
DEFAULT_LEXICON = "resources/abuse_nl.yaml"

ESCALATION: dict[str, dict[str, str]] = {
    "none": {"nl": "", "en": ""},
    "offensive": {
        "nl": "vraag de beheerder van de groep om het bericht te verwijderen",
        "en": "ask the group admin to remove it",
    },
    "threat": {
        "nl": "meld het bij het platform en bij de politie",
        "en": "report to the platform and the police",
    },
}

MAX_GAP = 5            # words a ".." in a pattern may skip
NEGATION_REACH = 6     # words before an offensive word that a negation reaches
TARGET_REACH = 8       # words around an insult searched for the person it is aimed at
COPULA_REACH = 4       # words between a copula and the predicate it introduces
FUZZY_MIN_LETTERS = 6  # a word this long may be one edit away from a listed word
SWAP_MIN_LETTERS = 5   # a word this long may have two neighbouring letters swapped
WORD_CACHE_LIMIT = 500_000

_LOOSE = "~"  # marks a squeezed form ('idioot' -> '~idiot'); only words outside the dictionary are read loosely
_VOWELS = "aeiou"
_DIPHTHONGS = ("ie", "oe", "ei", "ij", "ui", "eu", "ou", "au")
_UNSTRESSED = ("el", "er", "en", "em", "ig", "lijk", "ing")
_ADJECTIVE_KINDS = ("insult_adj", "contempt", "derogation")
_ABUSIVE_KINDS = frozenset({"insult", "slur", "insult_adj", "ambiguous", "contempt", "profanity", "curse_compound"})
_FUZZY_KINDS = frozenset({"insult", "slur", "insult_adj"})
_TYPO_KINDS = _FUZZY_KINDS | {"group", "derogation", "contempt"}  # matched one typo away
_PERSON_KINDS = frozenset({"staff", "person", "group", "name"})
_PREFIX_KEY = 4
# The writer as the object of a violent verb: "hij gaat me vermoorden" is feared, not threatened
_SELF_OBJECTS = SELF_OBJECTS  # one list with the group layer's (group_words)
_REFLEXIVES = frozenset({"me", "mij", "mezelf", "mijzelf", "ons", "onszelf", "zich", "zichzelf"})
# "van frustratie", "van kwaadheid": violence said of a thing out of exasperation, not a threat
_EXASPERATION = frozenset({"frustratie", "woede", "kwaadheid", "ergernis", "miserie", "colere", "razernij", "armoede", "wanhoop"})
_CONTEXT_KINDS = frozenset({"exclusion_phrases", "idioms", "condemnation", "staff_places"})
_EXCLUSION_WORDS = ("buiten", "eruit", "weg", "oprotten", "wegwezen", "raus")
_ADVERB_HEADS = ("bezig", "doen", "gedaan", "reageren", "gereageerd", "gedoe")
# "idioot veel volk", "debiel traag": an insult word used as a degree adverb
_DEGREE_WORDS = frozenset({"veel", "lang", "duur", "druk", "traag", "laat", "vroeg", "hoog", "weinig", "klein", "groot",
                           "snel", "vaak", "slecht", "goed", "moeilijk", "ingewikkeld", "warm", "koud", "ver"})
# Groups that are also everyday words: "de mannen van de vuilniswagen" are some men, not all men.
_EVERYDAY_GROUPS = frozenset({"vrouwen", "mannen", "vrouw", "man"})
_NAME_TOKEN = "qqnameqq"
_BEHAVIOUR_HEADS = frozenset({"mensen", "personen", "iedereen", "types", "lui", "gasten", "figuren"})

_WORD_RE = re.compile(r"\$?[a-z0-9](?:[*@$|]*[a-z0-9])*")
# The look-behinds come after the first literal (the same matches): the engine then jumps from quote to quote.
_INWORD_APOSTROPHE = re.compile(r"'(?<=[^\W_]')(?=[^\W_])")
# "k a n k e r", "k.u.t", and "tr.u.t" (two letters first, only with dots, stars, dashes or underscores)
_SPACED_RE = re.compile(r"(?<![^\W_])(?:(?:[^\W_][ .*_\-]{1,2}){2,}|[^\W_]{2}(?:[.*_\-][^\W_])+[.*_\-])[^\W_](?![^\W_])")
_SPACED_SEPARATORS = re.compile(r"[ .*_\-]")
_PLACEHOLDER_RE = re.compile(r"\[([A-Z][A-Z_]*)(?::[^\]\s]*)?\]|@(?<!\w@)\w+")
_QUOTE_RE = re.compile(r"\"[^\"]+\"|(?<![a-z0-9])'[^']{2,}'(?![a-z0-9])")
_SENTENCE_BREAK = re.compile(r"[.!?\n]")
_CLAUSE_BREAK = re.compile(r"[,;:()\"]|\s-\s")
_GLUE = re.compile(r"^[ \-]?$")
_REPEATS = re.compile(r"(.)\1+")
_STRETCH = re.compile(r"(.)\1{2,}")
# Read before accents and other non-ASCII characters are dropped.
_NON_ASCII_WORDS = {"🖕": " fuck ", "🔪": " mes ", "🔫": " pistool ", "💣": " bom ", "’": "'", "‘": "'", "`": "'",
                    "“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "–": " - ", "—": " - "}
_PLAIN_WORD_RE = re.compile(r"[a-z0-9]+")


_strip_accents = text_nl.to_ascii
_is_dutch_word = text_nl.is_dutch_word


def _skeleton(word: str) -> str:
    """The word with every run of one repeated character squeezed: 'idioot' -> 'idiot'."""
    return _REPEATS.sub(r"\1", word)


def _before_vowel(term: str) -> str:
    """The stem a Dutch word takes before an ending that starts with a vowel.

    'trut' -> 'trutt' (short vowel: consonant doubled), 'idioot' -> 'idiot' (long vowel written
    once), 'teef' -> 'tev', 'luis' -> 'luiz', 'sukkel' -> 'sukkel' (unstressed ending).
    """
    if len(term) < 3 or term[-1] in _VOWELS or term[-1] in "wjy":
        return term
    last, pair = term[-1], term[-3:-1]
    voiced = {"f": "v", "s": "z"}.get(last, last)
    if pair in ("aa", "ee", "oo", "uu"):
        return term[:-2] + voiced
    if pair in _DIPHTHONGS:
        return term[:-1] + voiced
    unstressed = any(term.endswith(ending) and set(term[:-len(ending)]) & set(_VOWELS) for ending in _UNSTRESSED)
    if term[-2] in _VOWELS and term[-3] not in _VOWELS and not unstressed:  # 'del' -> 'dell', 'eikel' stays
        return term + last
    return term


def _inflections(term: str, kind: str) -> dict[str, str]:
    """Inflected forms of a listed word with their kind: base, e (adjective), plural, diminutive."""
    forms = {term: "base"}
    stem = _before_vowel(term)
    if kind in _ADJECTIVE_KINDS:
        for suffix in ("e", "er", "ere"):
            forms.setdefault(stem + suffix, "e")
        for suffix in ("st", "ste"):
            forms.setdefault(term + suffix, "inflected")
        return forms
    if kind == "profanity":
        forms.setdefault(term + "e", "inflected")
        forms.setdefault(term + "s", "inflected")
        return forms
    forms.setdefault(term + "n" if term.endswith("e") else stem + "en", "plural")
    forms.setdefault(term + "s", "plural")
    for suffix in ("je", "jes", "tje", "tjes", "ke", "kes"):
        forms.setdefault(term + suffix, "diminutive")
    if stem != term:
        forms.setdefault(stem + "etje", "diminutive")
        forms.setdefault(stem + "etjes", "diminutive")
    return forms


def _osa_distance_is_one(a: str, b: str) -> bool:
    """True when a and b differ by exactly one insertion, deletion, substitution or swap of neighbours."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        if len(diffs) == 1:
            return True
        return len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    return short[i:] == long[i + 1:]


def _is_swap(a: str, b: str) -> bool:
    if len(a) != len(b):
        return False
    diffs = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
    return len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]


@dataclass(frozen=True)
class _Pattern:
    """A phrase pattern: elements of alternative word forms (exact or prefix), with gaps.

    ``ids`` number the elements across all patterns; a word knows which element ids it matches.
    """

    text: str
    kind: str
    elements: tuple[tuple[frozenset[str], tuple[str, ...]], ...]
    gaps: tuple[int, ...]
    ids: tuple[int, ...] = ()


@dataclass(slots=True)
class _Word:
    """What one written word can be: its normalised forms and the lexicon entries it matches."""

    forms: frozenset[str]
    kinds: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # kind -> (term, how, inflection)
    patterns: frozenset[int] = frozenset()   # patterns this word can wake up
    elements: frozenset[int] = frozenset()   # pattern elements this word matches
    fragment: bool = False

    @property
    def suspect(self) -> bool:
        """A word that sends its post to the detailed check by itself."""
        return self.fragment or not _ABUSIVE_KINDS.isdisjoint(self.kinds) or "group" in self.kinds

    @property
    def trigger(self) -> bool:
        return self.suspect or bool(self.patterns)


@dataclass(slots=True)
class _Token:
    word: str       # lower case as written, apostrophes dropped
    info: _Word
    start: int
    end: int
    clause: int
    sentence: int
    quoted: bool = False


@dataclass
class _Finding:
    label: str
    reason: str




def _key(word: str) -> str:
    return _strip_accents(str(word).lower()).replace("'", "")
