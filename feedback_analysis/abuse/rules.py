"""Abusive and threatening posts, flagged for a person to review (never removed automatically).

:func:`flag_abuse` adds three columns to a posts table:

* ``abuse``: ``none``, ``offensive`` (insults, slurs, dehumanising or hateful statements about a
  person or a group, staff included) or ``threat`` (violence announced, wished or called for,
  against a person or a building). A threat wins over an insult in the same post;
* ``abuse_reason``: what matched, for the reviewer ("insult 'trut' (written 'tr*t') aimed at
  'die'"); empty for ``none``;
* ``abuse_action``: the suggested next step from :data:`ESCALATION`, in Dutch or English.

:class:`RuleDetector` works on word lists and rules from ``resources/abuse_nl.yaml``:

* words are normalised before lookup: digits and symbols read as letters (``k4nker``, ``h0er``,
  ``tr*t``), stretched letters squeezed (``truuuut``), spaced letters joined (``k a n k e r``),
  split words joined (``kanker lijer``), glued words split (``kankerwijf``, ``vuilemakak``); a
  word of five letters or more may be one typo away from a listed word (``idoit``, ``klootzk``)
  when neither it nor a word one typo away is in simplemma's Dutch dictionary (``nergers`` is
  ``nergens`` mistyped, not a slur). Listed words match their plurals and inflections, made by
  Dutch spelling rules (``trutten``, ``idioten``, ``debiele``);
* an insult noun counts unless it is self-directed ("wat ben ik een sukkel"); an insulting
  adjective only when it is said of a person ("die ambtenaar is achterlijk", not "een achterlijke
  regel"); a slur always; an animal, pest or thing word only when it is said of people ("die
  mensen zijn ratten", not "ratten aan de containers"); a derogatory predicate ("vies",
  "crimineel") when it is said of an identity group, also as a question, an opinion or through
  a pronoun ("ik heb een hekel aan X. ze zijn vies.");
* a violent act is a threat only in a frame: first-person intent ("ik ga hem afmaken", "als ik
  die tegenkom sla ik hem op zijn bakkes"), a norm ("zo iemand zou je moeten neerknallen", "die
  verdient een kogel"), a wish, a command or a condition ("als ik hem zie is hij dood"), and only
  when it is aimed at a person (or, for arson, bombs and weapons, a building). Some phrases are
  threats by themselves ("ik weet waar je woont", "je bent een dode man");
* nothing counts when it is negated ("ik ga niemand afmaken hoor"), in an idiom ("ik lach me
  dood", "die ploeg heeft ze afgemaakt"), quoted to condemn or report it, reported as abuse
  received ("ik werd uitgescholden voor ..."), or named in counter-speech ("je mag niemand een
  makak noemen").

Where a hard complaint ends and abuse begins: words that judge how someone does their work
("wat een prutsers", "amateurs", "clowns", "luie ambtenaren", "onbeschoft", "incompetent") are a
complaint and never flagged; words that attack what a person is (intelligence, sex, body, origin,
humanity or worth: "idioot", "trut", "makak", "parasieten", "nietsnut", "zakkenvuller") or are
obscene are abuse when they are aimed at someone. Profanity that is not aimed at anyone ("kut,
weer regen") is not abuse.

Most posts contain none of the listed words; they leave after one tokenising pass and a set
lookup, so the detector handles tens of thousands of posts a second on one core.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
import simplemma

from feedback_analysis.packaged import load_yaml

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
_REFLEXIVES = frozenset({"me", "mij", "mezelf", "mijzelf", "ons", "onszelf", "zich", "zichzelf"})
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
_INWORD_APOSTROPHE = re.compile(r"(?<=[^\W_])'(?=[^\W_])")
# "k a n k e r", "k.u.t", and "tr.u.t" (two letters first, only with dots, stars, dashes or underscores)
_SPACED_RE = re.compile(r"(?<![^\W_])(?:(?:[^\W_][ .*_\-]{1,2}){2,}|[^\W_]{2}(?:[.*_\-][^\W_])+[.*_\-])[^\W_](?![^\W_])")
_SPACED_SEPARATORS = re.compile(r"[ .*_\-]")
_PLACEHOLDER_RE = re.compile(r"\[([A-Z][A-Z_]*)(?::[^\]\s]*)?\]|(?<!\w)@\w+")
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


def _strip_accents(text: str) -> str:
    return unicodedata.normalize("NFD", text).encode("ascii", "ignore").decode("ascii")


@lru_cache(maxsize=200_000)
def _is_dutch_word(word: str) -> bool:
    """Whether simplemma's Dutch dictionary knows the word form."""
    return word.isalpha() and simplemma.is_known(word, lang="nl")


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


@dataclass
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


@dataclass
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


def _read_lexicon(lexicon_path: Path | None) -> dict:
    return load_yaml(Path(DEFAULT_LEXICON).name, lexicon_path)


def _key(word: str) -> str:
    return _strip_accents(str(word).lower()).replace("'", "")


class RuleDetector:
    """Rule-based detector of offensive and threatening posts with a fit / transform interface.

    ``lexicon_path`` replaces the packaged ``resources/abuse_nl.yaml``. ``fit`` learns nothing.
    Words seen are analysed once and cached, so one detector should score a whole batch.
    """

    def __init__(self, lexicon_path: Path | None = None, config: dict | None = None):
        self.lexicon_path = lexicon_path
        config = config if config is not None else _read_lexicon(lexicon_path)
        words = lambda name: {_key(w) for w in (config.get(name) or [])}  # noqa: E731
        targets = config.get("targets") or {}
        self._leet = {str(k): str(v) for k, v in (config.get("leet") or {}).items()}
        self._not_abusive = words("not_abusive")
        # Single words, by every inflected form (exact) and by its squeezed skeleton (loose).
        self._index: dict[str, dict[str, tuple[str, str]]] = {}
        for kind, entries in [
            ("insult", config.get("insults")), ("slur", config.get("slurs")),
            ("ambiguous", config.get("ambiguous_insults")), ("insult_adj", config.get("insult_adjectives")),
            ("contempt", config.get("contempt_adjectives")), ("derogation", config.get("group_derogation")),
            ("profanity", config.get("profanity")), ("curse_head", config.get("curse_heads")),
            ("staff", targets.get("staff")), ("person", targets.get("persons")), ("group", targets.get("groups")),
            ("building", targets.get("buildings")), ("body", targets.get("body_parts")),
        ]:
            for entry in entries or []:
                term = _key(entry)
                for form, inflection in _inflections(term, kind).items():
                    self._index.setdefault(form, {}).setdefault(kind, (term, inflection))
                    self._index.setdefault(_LOOSE + _skeleton(form), {}).setdefault(kind, (term, inflection))
        self._curse_prefixes = sorted(words("curse_prefixes"), key=len, reverse=True)
        # Phrase patterns, with the words that wake them up.
        self._patterns: list[_Pattern] = []
        self._element_forms: dict[str, set[int]] = {}
        for kind in ("violence", "attacks", "death", "implicit_threats", "standalone_threats", "hate_verbs", "targeted_profanity",
                     "dismissals", "curse_wishes", "exclusion_phrases", "idioms", "condemnation", "staff_places",
                     "group_phrases"):
            for text in config.get(kind) or targets.get(kind) or []:
                pattern = self._compile(str(text), kind)
                first = sum(len(p.elements) for p in self._patterns)
                pattern = _Pattern(pattern.text, kind, pattern.elements, pattern.gaps,
                                   tuple(range(first, first + len(pattern.elements))))
                for element_id, (exact, prefixes) in zip(pattern.ids, pattern.elements):
                    for form in exact:
                        self._element_forms.setdefault(form, set()).add(element_id)
                self._patterns.append(pattern)
        skip = words("prefilter_skip")
        skip |= {_LOOSE + _skeleton(w) for w in skip}
        self._anchors: dict[str, set[int]] = {}
        # Patterns that only qualify other findings (idioms, condemnation, ...) wake nothing up.
        for number, pattern in enumerate(self._patterns):
            if pattern.kind in _CONTEXT_KINDS:
                continue
            anchored = False
            for exact, prefixes in pattern.elements:
                for form in exact - skip:
                    self._anchors.setdefault(form, set()).add(number)
                    anchored = anchored or not form.startswith(_LOOSE)
                anchored = anchored or bool(prefixes)
            if not anchored:
                raise ValueError(f"abuse lexicon: pattern {pattern.text!r} has only common words; it could never be checked")
        self._primary_ids = [frozenset(p.ids) for p in self._patterns if p.kind not in _CONTEXT_KINDS]
        # Prefix alternatives ("vermoord*"), by their first letters; every prefix wakes its pattern.
        self._prefixes: dict[str, list[tuple[str, int, int]]] = {}
        for number, pattern in enumerate(self._patterns):
            for element_id, (_exact, prefixes) in zip(pattern.ids, pattern.elements):
                for prefix in prefixes:
                    if len(prefix) < _PREFIX_KEY:
                        raise ValueError(f"abuse lexicon: prefix {prefix!r} in {pattern.text!r} is too short")
                    wakes = None if pattern.kind in _CONTEXT_KINDS else number
                    self._prefixes.setdefault(prefix[:_PREFIX_KEY], []).append((prefix, element_id, wakes))
        # Typo matching: every loose form of an abusive word or violent verb, by its one-letter deletions.
        self._fuzzy: dict[str, set[str]] = {}
        self._fragments: set[str] = set()
        fuzzy_forms = [f for f, kinds in self._index.items() if f.startswith(_LOOSE) and not _TYPO_KINDS.isdisjoint(kinds)]
        violent = set()
        for pattern in self._patterns:
            if pattern.kind in ("violence", "attacks", "death") and len(pattern.elements) == 1:
                exact, prefixes = pattern.elements[0]
                stems = [p[1:] for p in prefixes if p.startswith(_LOOSE)]
                candidates = [f for f in exact if f.startswith(_LOOSE)] + [_LOOSE + _skeleton(s + e) for s in stems for e in ("", "en")]
                violent.update(f for f in candidates if len(f) > FUZZY_MIN_LETTERS)
        for loose in fuzzy_forms + sorted(violent):
            form = loose[1:]
            if len(form) >= SWAP_MIN_LETTERS - 1:
                self._fuzzy.setdefault(form, set()).add(loose)
                for i in range(len(form)):
                    self._fuzzy.setdefault(form[:i] + form[i + 1:], set()).add(loose)
            if not _FUZZY_KINDS.isdisjoint(self._index.get(loose, {})):
                for i in range(3, len(form)):
                    self._fragments.update((form[:i], form[-i:]))
        # Word classes used by the rules.
        self._first_person = words("first_person")
        self._self = words("self_words") | self._first_person
        self._intent = words("intent_words")
        self._past = words("past_auxiliaries")
        self._normative = words("normative")
        self._wishes = words("wishes")
        self._passive = words("passive")
        self._imperatives = words("imperatives")
        self._death_commands = words("death_commands")
        self._generic = words("generic_subjects")
        self._negations = words("negations")
        self._negation_breakers = words("negation_breakers")
        self._conditionals = words("conditionals")
        self._hypotheticals = words("hypotheticals")
        self._clause_openers = words("clause_openers")
        self._coordinators = words("coordinators")
        self._subjects = words("subjects")
        self._speech = words("speech_verbs")
        self._questions = words("question_words")
        self._meta = words("meta_mentions")
        self._victims = words("victims")
        self._passive_auxiliaries = words("passive_auxiliaries")
        self._laughter = words("laughter")
        self._sport_verbs = words("sport_verbs")
        self._sport_context = words("sport_context")
        self._pronouns = {_key(w) for w in targets.get("pronouns") or []}
        self._determiners = {_key(w) for w in targets.get("determiners") or []}
        self._possessives = words("possessives")
        self._copulas = words("copulas")
        self._thing_subjects = words("thing_subjects")
        self._noun_determiners = words("noun_determiners")
        self._prepositions = words("prepositions")
        self._opinion_verbs = words("opinion_verbs")
        self._attributes = words("insulting_attributes")
        self._exclamation_insults = words("exclamation_insults")
        self._function = words("function_words") | self._negations | self._copulas | self._normative | self._first_person
        self._words: dict[str, _Word] = {}
        self._triggers: set[str] = set()
        simplemma.is_known("ambtenaar", lang="nl")  # loads simplemma's Dutch data now, not on the first post

    # -- lexicon ----------------------------------------------------------------------------------

    def _compile(self, text: str, kind: str) -> _Pattern:
        elements, gaps, gap = [], [], 0
        for part in text.split():
            if part == "..":
                gap = MAX_GAP
                continue
            exact, prefixes = set(), []
            for alternative in part.split("|"):
                alternative = _key(alternative)
                if alternative.endswith("*"):
                    prefixes += [alternative[:-1], _LOOSE + _skeleton(alternative[:-1])]
                else:
                    exact.update((alternative, _LOOSE + _skeleton(alternative)))
            elements.append((frozenset(exact), tuple(dict.fromkeys(prefixes))))
            gaps.append(gap)
            gap = 0
        return _Pattern(text, kind, tuple(elements), tuple(gaps))

    # -- words ------------------------------------------------------------------------------------

    def _spellings(self, word: str) -> list[str]:
        """The word read with digits and symbols as letters: 'k4nk3r' -> ['kanker']; plain words as they are."""
        if word.isalpha():
            return [word]
        letters = sum(c.isalpha() for c in word)
        if letters < 2 or (len(word) > 1 and word[0].isdigit() and word[1].isdigit()):
            return [word]
        readings = [""]
        for char in word:
            options = char if char.isalpha() else self._leet.get(char, char)
            readings = [r + o for r in readings for o in options]
            if len(readings) > 64:
                return [word]
        return readings

    def _word(self, word: str) -> _Word:
        info = self._words.get(word)
        if info is None:
            if len(self._words) > WORD_CACHE_LIMIT:
                self._words.clear()
                self._triggers.clear()
            info = self._words[word] = self._analyse(word)
            if info.trigger:
                self._triggers.add(word)
        return info

    @staticmethod
    def _known(word: str) -> bool:
        return _is_dutch_word(word)

    def _analyse(self, word: str) -> _Word:
        """Everything one written word can be. Dictionary words are read as written; other words also
        with repeated letters squeezed ('truuuut') and, failing that, one typo away ('idoit')."""
        spellings = self._spellings(word)
        guarded = word in self._not_abusive
        forms: set[str] = set()
        kinds: dict[str, tuple[str, str, str]] = {}
        for spelling in spellings:
            keys = [spelling]
            if not self._known(spelling):
                # 'idiooooot' -> 'idioot', 'truuuut' -> 'trut'; then any doubling ('trutt', 'klotzak'),
                # unless squeezing gives a dictionary word of its own ('eeter' is 'eter', not 'etter').
                keys += [_STRETCH.sub(r"\1\1", spelling), _STRETCH.sub(r"\1", spelling)]
                skeleton = _skeleton(spelling)
                keys.append(skeleton if self._known(skeleton) else _LOOSE + skeleton)
            forms.update(keys)
            for key in dict.fromkeys(keys):
                how = "" if key == word else "spelling"
                for kind, (term, inflection) in self._index.get(key, {}).items():
                    if guarded and inflection != "base":
                        continue
                    kinds.setdefault(kind, (term, how, inflection))
        if _ABUSIVE_KINDS.isdisjoint(kinds) and not guarded:
            for spelling in spellings:
                self._analyse_compound(spelling, kinds, "glued" if spelling == word else "spelling")
        if _TYPO_KINDS.isdisjoint(kinds) and not guarded and "profanity" not in kinds:
            for spelling in spellings:
                if not self._known(spelling) and not self._known(_skeleton(spelling)):
                    self._analyse_typo(spelling, kinds, forms)
        patterns, elements = set(), set()
        for form in forms:
            patterns.update(self._anchors.get(form, ()))
            elements.update(self._element_forms.get(form, ()))
            for prefix, element_id, pattern_id in self._prefixes.get(form[:_PREFIX_KEY], ()):
                if form.startswith(prefix):
                    elements.add(element_id)
                    if pattern_id is not None:
                        patterns.add(pattern_id)
        fragment = (not kinds and not patterns and word.isalpha() and 4 <= len(word) <= 7 and word not in self._function
                    and _skeleton(word) in self._fragments and not self._known(word))
        return _Word(frozenset(forms), kinds, frozenset(patterns), frozenset(elements), fragment)

    def _analyse_compound(self, word: str, kinds: dict, how: str) -> None:
        """Glued words: a curse on a person ('kankerwijf'), or a compound ending in an insult ('ambtenarentuig')."""
        for prefix in self._curse_prefixes:
            if word.startswith(prefix) and len(word) - len(prefix) >= 3:
                rest = word[len(prefix):]
                head = self._index.get(rest) or (self._index.get(rest[1:]) if rest[0] in "se" else None) or {}
                if "slur" in head:
                    kinds["slur"] = (head["slur"][0], "glued" if how == "glued" else how, "base")  # "vuilemakak"
                elif not {"insult", "staff", "person", "group", "curse_head"}.isdisjoint(head):
                    kinds["curse_compound"] = (word, how, "base")
                else:
                    kinds.setdefault("profanity", (prefix, how, "base"))
                return
        known = None
        for split in range(3, len(word) - 3):
            head, modifier_text = self._index.get(word[split:]), word[:split]
            if not head:
                continue
            added = False
            for kind in ("insult", "slur", "staff", "person"):
                if kind not in head or kind in kinds:
                    continue
                if kind in ("insult", "slur"):
                    # 'ambtenarentuig' yes, 'voertuig' no: a dictionary word needs a person in front.
                    modifier = self._index.get(modifier_text) or self._index.get(modifier_text.rstrip("s")) or {}
                    if known is None:
                        known = self._known(word)
                    if known and _PERSON_KINDS.isdisjoint(modifier):
                        continue
                elif len(word) - split < 5 or split < 4:
                    continue  # 'oktober' is not a waiter
                kinds[kind] = (head[kind][0], how, head[kind][1])
                added = True
            if added:
                return

    def _innocent_neighbour(self, word: str) -> bool:
        """Whether a dictionary word that is not in the lexicon is one edit away from word."""
        letters = "abcdefghijklmnopqrstuvwxyz"
        splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
        variants = {a + b[1:] for a, b in splits if b}
        variants |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
        variants |= {a + c + b[1:] for a, b in splits if b for c in letters}
        variants |= {a + c + b for a, b in splits for c in letters}
        variants.discard(word)
        return any(v not in self._index and self._known(v) for v in variants)

    def _analyse_typo(self, spelling: str, kinds: dict, forms: set[str]) -> None:
        if len(spelling) < SWAP_MIN_LETTERS:
            return
        form = _skeleton(spelling)
        candidates = set(self._fuzzy.get(form, ()))
        for i in range(len(form)):
            candidates.update(self._fuzzy.get(form[:i] + form[i + 1:], ()))
        for loose in sorted(candidates):
            candidate = loose[1:]
            if candidate[0] != form[0] or not _osa_distance_is_one(form, candidate):
                continue
            if len(spelling) < FUZZY_MIN_LETTERS and not _is_swap(form, candidate):
                continue
            if self._innocent_neighbour(spelling):
                return  # "nergers" is "nergens" mistyped, not "negers"
            for kind, (term, inflection) in self._index.get(loose, {}).items():
                if kind in _TYPO_KINDS:
                    kinds.setdefault(kind, (term, "typo", inflection))
            forms.add(loose)  # lets a misspelt violent verb match its pattern
            return

    # -- texts ------------------------------------------------------------------------------------

    def _prepare(self, text: str) -> tuple[str, list[str]]:
        """The text in lower-case ASCII with placeholders and spaced letters resolved, and its words."""
        if not text.isascii():
            for char, replacement in _NON_ASCII_WORDS.items():
                if char in text:
                    text = text.replace(char, replacement)
            text = unicodedata.normalize("NFD", text).encode("ascii", "ignore").decode("ascii")
        if "'" in text:
            text = _INWORD_APOSTROPHE.sub("", text)  # "homo's" -> "homos", "z'n" -> "zn"
        if "[" in text or "@" in text:
            text = _PLACEHOLDER_RE.sub(lambda m: f" {_NAME_TOKEN} " if m.group(1) in (None, "NAME", "MENTION") else " ", text)
        text = text.lower()
        symbols = "*" in text or "@" in text or "$" in text or "|" in text
        words = (_WORD_RE if symbols else _PLAIN_WORD_RE).findall(text)
        try:
            singles = b"\x01\x01" in bytes(map(len, words))  # two one-letter words in a row: "k a n k e r"?
        except ValueError:  # a word of 256 letters or more
            singles = True
        if singles and _SPACED_RE.search(text):
            text = _SPACED_RE.sub(self._join_spaced, text)
            words = _WORD_RE.findall(text)
        return text, words

    def _join_spaced(self, match: re.Match) -> str:
        """'k a n k e r' -> 'kanker', but 'in 2 a 3 dagen' stays: only joined when it makes a suspect word."""
        joined = _SPACED_SEPARATORS.sub("", match.group(0))
        info = self._word(joined)
        return joined if info.suspect or info.patterns else match.group(0)

    def detect(self, text: str) -> tuple[str, str]:
        """(label, reason) of one text: label is none / offensive / threat, reason '' for none."""
        if not isinstance(text, str) or not text:
            return "none", ""
        return self.detect_prepared(*self._prepare(text))

    def detect_prepared(self, low: str, words: list[str]) -> tuple[str, str]:
        """:meth:`detect` of a text already read by :meth:`_prepare` (lower-case text, its words)."""
        if not self._words.keys() >= set(words):
            for word in words:
                self._word(word)
        if self._triggers.isdisjoint(words):
            return "none", ""
        infos = [self._word(word) for word in words]
        if not any(info.suspect for info in infos) and not self._completes_pattern(infos):
            return "none", ""
        findings = self._examine(low)
        if not findings:
            return "none", ""
        findings.sort(key=lambda f: -LABELS.index(f.label))
        reasons = list(dict.fromkeys(f.reason for f in findings))[:3]
        return findings[0].label, "; ".join(reasons)

    def _completes_pattern(self, infos: list[_Word]) -> bool:
        """Whether every element of some threat or abuse pattern occurs in the post (order not checked)."""
        present = set().union(*(info.elements for info in infos))
        return any(ids <= present for ids in self._primary_ids)

    def fit(self, texts: Iterable[str] | None = None, labels: Iterable[str] | None = None) -> "RuleDetector":
        """No training: the rules are fixed. Returns self, so the detector fits in a scikit-learn pipeline."""
        return self

    def transform(self, texts: Iterable[str], lang: str = "nl") -> pd.DataFrame:
        """Label texts; returns ``abuse``, ``abuse_reason`` and ``abuse_action`` (in ``lang``), one row per text.

        A Series keeps its index; other iterables get a 0..n-1 index. Missing texts are ``none``.
        """
        if lang not in ("nl", "en"):
            raise ValueError(f"lang must be 'nl' or 'en', not {lang!r}")
        index = texts.index if isinstance(texts, pd.Series) else None
        results = [self.detect(text) for text in texts]
        labels = [label for label, _ in results]
        return pd.DataFrame(
            {
                "abuse": labels,
                "abuse_reason": [reason for _, reason in results],
                "abuse_action": [ESCALATION[label][lang] for label in labels],
            },
            index=index,
        )

    # -- the detailed check -------------------------------------------------------------------------

    def _tokens(self, low: str) -> list[_Token]:
        """Words with their clause and sentence numbers; a clause ends at punctuation or a conjunction."""
        quotes = [m.span() for m in _QUOTE_RE.finditer(low)]
        matches = list(_WORD_RE.finditer(low))
        tokens: list[_Token] = []
        clause = sentence = 0
        for n, match in enumerate(matches):
            word = match.group(0)
            if tokens:
                gap = low[tokens[-1].end:match.start()]
                following = matches[n + 1].group(0) if n + 1 < len(matches) else ""
                if _SENTENCE_BREAK.search(gap):
                    sentence += 1
                    clause += 1
                elif _CLAUSE_BREAK.search(gap) or word in self._clause_openers:
                    clause += 1
                elif word in self._coordinators and following in self._subjects:
                    clause += 1  # "... en die marokkanen zijn ...", not "alles en iedereen"
            quoted = any(start <= match.start() < end for start, end in quotes)
            tokens.append(_Token(word, self._word(word), match.start(), match.end(), clause, sentence, quoted))
        return self._join_split_words(low, tokens)

    def _join_split_words(self, low: str, tokens: list[_Token]) -> list[_Token]:
        """'kanker lijer', 'klootz ak': two neighbouring words that together make an abusive word."""
        out: list[_Token] = []
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if i + 1 < len(tokens):
                nxt = tokens[i + 1]
                glued = nxt.clause == token.clause and _GLUE.match(low[token.end:nxt.start])
                wanted = token.info.fragment or nxt.info.fragment or "profanity" in token.info.kinds
                plain = {"insult", "slur", "curse_compound"}.isdisjoint(token.info.kinds.keys() | nxt.info.kinds.keys())
                if glued and wanted and plain:
                    joined = self._word(token.word + nxt.word)
                    if not {"insult", "slur", "curse_compound"}.isdisjoint(joined.kinds):
                        out.append(_Token(token.word + " " + nxt.word, joined, token.start, nxt.end,
                                          token.clause, token.sentence, token.quoted))
                        i += 2
                        continue
            out.append(token)
            i += 1
        return out

    def _examine(self, low: str) -> list[_Finding]:
        tokens = self._tokens(low)
        context = _Context(self, tokens)
        findings = context.threats()
        findings += context.offences()
        return findings


class _Context:
    """The rules, applied to the tokens of one text."""

    def __init__(self, detector: RuleDetector, tokens: list[_Token]):
        self.d = detector
        self.tokens = tokens
        self.clauses: dict[int, list[int]] = {}
        self.sentences: dict[int, list[int]] = {}
        for i, token in enumerate(tokens):
            self.clauses.setdefault(token.clause, []).append(i)
            self.sentences.setdefault(token.sentence, []).append(i)
        self.words = {token.word for token in tokens}
        self.speech: dict[int, list[int]] = {}
        for i, token in enumerate(tokens):
            if token.word in detector._speech and not token.quoted:
                self.speech.setdefault(token.sentence, []).append(i)
        # Every pattern whose words all occur is matched, in order and within one clause.
        present = set().union(*(t.info.elements for t in tokens))
        self.matches: dict[str, list[tuple[_Pattern, list[int]]]] = {}
        for pattern in detector._patterns:
            if not present.issuperset(pattern.ids):
                continue
            for positions in self._find(pattern):
                self.matches.setdefault(pattern.kind, []).append((pattern, positions))
        self.condemned = bool(self.matches.get("condemnation"))
        # Identity groups: group nouns, and person nouns made one by an adjective or phrase ("zwarte mensen").
        self.groups = {i for i, t in enumerate(tokens) if "group" in t.info.kinds}
        for _pattern, positions in self.matches.get("group_phrases", []):
            self.groups.update(p for p in positions if not {"person", "staff"}.isdisjoint(tokens[p].info.kinds))
        self.sporty = any(not t.info.forms.isdisjoint(detector._sport_context) for t in tokens)

    # -- pattern matching ---------------------------------------------------------------------------

    def _find(self, pattern: _Pattern) -> Iterable[list[int]]:
        """Every match of the pattern inside one clause, as the token positions of its elements."""
        for members in self.clauses.values():
            for start in range(len(members)):
                if pattern.ids[0] in self.tokens[members[start]].info.elements:
                    positions = self._extend(pattern, members, 1, start, [start])
                    if positions:
                        yield [members[p] for p in positions]

    def _extend(self, pattern: _Pattern, members: list[int], j: int, previous: int, positions: list[int]):
        if j == len(pattern.elements):
            return positions
        last = min(len(members) - 1, previous + 1 + pattern.gaps[j])
        for p in range(previous + 1, last + 1):
            if pattern.ids[j] in self.tokens[members[p]].info.elements:
                found = self._extend(pattern, members, j + 1, p, positions + [p])
                if found:
                    return found
        return None

    # -- helpers -------------------------------------------------------------------------------------

    def clause_of(self, i: int) -> list[int]:
        return self.clauses[self.tokens[i].clause]

    def word(self, i: int) -> str:
        return self.tokens[i].word if 0 <= i < len(self.tokens) else ""

    def same_clause(self, i: int, j: int) -> bool:
        return 0 <= j < len(self.tokens) and self.tokens[j].clause == self.tokens[i].clause

    def kinds(self, i: int) -> dict:
        return self.tokens[i].info.kinds

    def names_person(self, i: int) -> bool:
        """A person noun, staff word, group or [NAME] placeholder at i."""
        return self.tokens[i].word == _NAME_TOKEN or not _PERSON_KINDS.isdisjoint(self.kinds(i))

    def is_thing_after(self, i: int) -> bool:
        """True when the word after i is a content word that is not a person: a thing noun."""
        j = i + 1
        if not self.same_clause(i, j):
            return False
        token = self.tokens[j]
        if token.word in self.d._function or token.info.patterns or self.names_person(j):
            return False
        if {"insult_adj", "contempt"} & token.info.kinds.keys() and "insult" not in token.info.kinds \
                and j + 1 < len(self.tokens) and self.same_clause(j, j + 1):
            return self.is_thing_after(j)  # "die stomme parkeerapp": the adjective's noun decides
        return {"insult", "slur", "insult_adj", "ambiguous", "body", "contempt"}.isdisjoint(token.info.kinds)

    def is_person(self, i: int, skip_generic_near: set[int] | None = None, things: bool = False) -> bool:
        """Whether token i names a person (with things=True also a building) the words can be aimed at."""
        word = self.tokens[i].word
        if word in self.d._self:
            return False
        if self.names_person(i) or (things and "building" in self.kinds(i)):
            return True
        if skip_generic_near is not None and word in self.d._generic:
            # "zou je moeten ...", "ze moeten ...": the agent; but "laat ze ...": the victim
            near = [n for n in skip_generic_near if abs(i - n) == 1 and (self.word(n) not in ("laat", "laten") or word in ("we", "wij"))]
            if i == self.clause_of(i)[0] or near:
                return False
        if word in self.d._pronouns:
            return True
        if word in self.d._determiners and word not in ("dat", "dit"):
            previous = i - 1
            if self.same_clause(i, previous) and self.word(previous) not in self.d._function and not self.names_person(previous) \
                    and not self.tokens[previous].info.patterns and _ABUSIVE_KINDS.isdisjoint(self.kinds(previous)):
                return False  # "de mayonaise die ...": a relative pronoun for the thing before it
            return not self.is_thing_after(i)
        return word in self.d._possessives and self.same_clause(i, i + 1) and "body" in self.kinds(i + 1)

    def negated(self, i: int, exempt: set[int] = frozenset(), after: int = 0) -> bool:
        """A negation before i in its clause (or up to `after` words behind it), not inside a condition."""
        clause = self.clause_of(i)
        first, last = max(clause[0], i - NEGATION_REACH), min(clause[-1], i + after)
        conditionals = [j for j in range(first, last + 1) if self.tokens[j].word in self.d._conditionals]
        for j in range(first, last + 1):
            if j in exempt or self.tokens[j].word not in self.d._negations:
                continue
            if self.word(j + 1) in self.d._negation_breakers:
                continue
            # "als je niet betaalt ...", "zou het niet fijn zijn als ...": a condition splits the scope
            if any(min(i, j) < c < max(i, j) for c in conditionals) or any(c < j < i for c in conditionals):
                continue
            return True
        return False

    def countered(self, positions: list[int]) -> str:
        """Why the words at positions are mentioned rather than meant ('' when they are meant)."""
        i = positions[0]
        token = self.tokens[i]
        sentence = self.sentences[token.sentence]
        speech = self.speech.get(token.sentence, [])
        if any(self.tokens[p].quoted for p in positions) and (self.condemned or speech):
            return "quoted"
        if any(self.word(j) in self.d._meta for j in range(i - 3, i) if self.same_clause(i, j)):
            return "named"
        for s in speech:
            if self.condemned:
                return "condemned"
            before = [self.tokens[j].word for j in sentence[max(0, sentence.index(s) - 12):sentence.index(s)]]
            if any(w in self.d._questions for w in before) or any(w in self.d._negations for w in before[-4:]):
                return "countered"
            if any(w in self.d._conditionals for w in before):
                return "countered"  # "als je iemand een trut noemt, ..."
            objects = [k for k in range(s - 3, s) if self.same_clause(s, k) and self.word(k) in ("me", "mij", "ons")]
            after = [k for k in range(s + 1, s + 4) if self.same_clause(s, k) and self.word(k) in self.d._victims]
            if objects or after:
                return "reported"  # "hij noemde mij een trut", "hij zei dat ik een trut was", "hij heeft me uitgescholden"
            if self.word(s - 1) in self.d._passive_auxiliaries or any(
                    self.word(k) in self.d._passive_auxiliaries for k in range(s - 4, s) if self.same_clause(s, k)):
                if self.word(s).startswith(("ge", "uitge")):
                    return "reported"  # "mijn zoon werd uitgescholden voor ..."
        return ""

    def in_idiom(self, i: int) -> bool:
        return any(self.tokens[p[0]].clause == self.tokens[i].clause for _, p in self.matches.get("idioms", []))

    def blocked(self, i: int, after: int = 0) -> bool:
        hypothetical = any(self.word(j) in self.d._hypotheticals for j in self.clause_of(i) if j < i)
        return hypothetical or self.negated(i, after=after) or bool(self.countered([i]))

    def self_directed(self, i: int) -> bool:
        """'wat ben ik een sukkel': the nearest person before the word is the writer."""
        for j in range(i - 1, max(self.clause_of(i)[0], i - TARGET_REACH) - 1, -1):
            word = self.tokens[j].word
            if word in self.d._first_person or word in self.d._victims:
                return True
            if self.is_person(j):
                return False
        return False

    def first_target(self, i: int, reach: int = TARGET_REACH) -> str:
        clause = self.clause_of(i)
        window = range(max(clause[0], i - reach), min(clause[-1], i + reach) + 1)
        order = sorted((j for j in window if j != i), key=lambda j: (abs(j - i), j > i))
        for j in order:
            if self.is_person(j):
                return self.describe_target(j)
        return ""

    def describe_target(self, j: int) -> str:
        word = self.tokens[j].word
        if word == _NAME_TOKEN:
            return "[NAME]"
        if word in self.d._possessives and self.same_clause(j, j + 1) and "body" in self.kinds(j + 1):
            return f"{word} {self.tokens[j + 1].word}"
        return word

    def describe(self, i: int, kind: str) -> str:
        term, how, _ = self.kinds(i)[kind]
        written = self.tokens[i].word
        if how in ("spelling", "typo") or " " in written or (how == "glued" and kind != "curse_compound"):
            return f"'{term}' (written '{written}')"
        return f"'{written}'"

    # -- threats -------------------------------------------------------------------------------------

    def threats(self) -> list[_Finding]:
        findings = []
        for kind in ("implicit_threats", "standalone_threats", "violence", "attacks", "death"):
            for pattern, positions in self.matches.get(kind, []):
                reason = self.threat_reason(kind, positions)
                if reason:
                    findings.append(_Finding("threat", reason))
        return findings

    def threat_reason(self, kind: str, positions: list[int]) -> str:
        i, last = positions[0], positions[-1]
        clause = self.clause_of(i)
        exempt = {p for p in positions if self.tokens[p].word in self.d._negations}
        if self.negated(last, exempt=exempt) or self.negated(i, exempt=exempt) or self.countered(positions):
            return ""
        if self.in_idiom(i):
            return ""
        if self.sporty and any(not self.tokens[p].info.forms.isdisjoint(self.d._sport_verbs) for p in positions):
            return ""
        phrase = " ".join(self.tokens[p].word for p in positions)
        if kind == "standalone_threats":
            return f"threat: '{phrase}'"
        if kind == "implicit_threats":
            # the pronoun inside the phrase ("weet waar je woont") names the person
            named = [p for p in positions if self.word(p) in self.d._pronouns | self.d._determiners]
            target = self.word(named[0]) if named else next(
                (self.describe_target(j) for j in clause if self.is_person(j)), "")
            return f"threat: '{phrase}' aimed at '{target}'" if target else ""
        frame = self.frame(kind, positions, clause)
        if not frame:
            return ""
        frame_name, frame_words = frame
        # "je moet dat afmaken": in an active norm the generic subject is the agent, not the victim.
        active_norm = frame_name == "norm" and kind != "death" and not any(
            self.tokens[j].word in self.d._passive or self.tokens[j].word.startswith("verdien") for j in clause)
        skip = frame_words if active_norm else None
        target = ""
        window = range(max(clause[0], i - 2 * TARGET_REACH), min(clause[-1], last + 2 * TARGET_REACH) + 1)
        for j in sorted(window, key=lambda j: (abs(j - i), j < i)):
            if j in positions and self.tokens[j].word not in self.d._possessives:
                continue
            if self.is_person(j, skip_generic_near=skip, things=(kind == "attacks")):
                target = self.describe_target(j)
                break
        if not target and kind == "death" and frame_name == "command":
            target = "the reader"  # "crepeer!" is said to someone
        if not target:
            return ""
        if any(self.word(j) in _REFLEXIVES for j in range(i + 1, last)) and kind != "death":
            return ""  # "ik maak me kapot ...": the writer does it to themselves
        if target in ("iemand", "iedereen") and not self.words.isdisjoint(self.d._laughter):
            return ""  # "ik vermoord nog iemand haha"
        what = {"violence": "violence", "attacks": "attack", "death": "death wish"}[kind]
        return f"threat: {what} '{phrase}' ({frame_name}) aimed at '{target}'"

    def frame(self, kind: str, positions: list[int], clause: list[int]) -> tuple[str, set[int]] | None:
        """How the violent words are said: wish, norm, first-person intent or command (None: a report)."""
        words = [self.tokens[j].word for j in clause]
        first = self.tokens[positions[0]]
        wishes = {j for j in clause if self.tokens[j].word in self.d._wishes}
        earlier = [self.tokens[j] for j in self.sentences[first.sentence] if self.tokens[j].clause < first.clause]
        if wishes or any(t.word in self.d._wishes for t in earlier):
            return "wish", wishes
        normative = {j for j in clause if self.tokens[j].word in self.d._normative}
        if normative:
            return "norm", normative
        if kind == "death":
            if clause[0] == positions[0] and words[0] in self.d._death_commands:
                return "command", set()  # "crepeer!"
            before = [self.tokens[j].word for j in self.sentences[first.sentence] if j < positions[0]]
            if any(w in self.d._conditionals for w in before) and not set(before).isdisjoint(self.d._first_person):
                return "condition", set()  # "als ik hem zie is hij dood"
            return None
        present = set(words)
        if not present.isdisjoint(self.d._first_person):
            if present.isdisjoint(self.d._past) or not present.isdisjoint(self.d._intent):
                return "first-person intent", set()
        if words and words[0] == "wie" and "mee" in words:
            return "incitement", set()  # "wie steekt er mee het gemeentehuis in brand?"
        start = 0
        while start < len(clause) and words[start] in ("gewoon", "gwn", "maar", "allemaal", "eens", "nu"):
            start += 1
        if self.word(positions[0] - 1) in ("en", "dan") and words[clause.index(positions[0])] in self.d._imperatives:
            return "command", set()  # "zet ze tegen de muur en schiet ze neer"
        if start < len(clause) and clause[start] == positions[0]:
            # "knal ze neer", "ophangen die gasten!"
            if words[start] in self.d._imperatives or (words[start].endswith("en") and len(words[start]) > 5):
                return "command", set()
        return None

    # -- offences ------------------------------------------------------------------------------------

    def offences(self) -> list[_Finding]:
        findings: list[_Finding] = []
        for i in range(len(self.tokens)):
            kinds = self.kinds(i)
            reason = ""
            if "slur" in kinds:
                reason = self.slur(i)
            if not reason and ("insult" in kinds or "curse_compound" in kinds):
                reason = self.insult(i)
            if not reason and "insult_adj" in kinds and "insult" not in kinds:
                reason = self.insulting_adjective(i)
            if not reason and "ambiguous" in kinds:
                reason = self.ambiguous(i)
            if not reason and "contempt" in kinds:
                reason = self.contempt(i)
            if not reason and i in self.groups:
                reason = self.derogation(i)
            if not reason and "derogation" in kinds:
                reason = self.derogation_by_pronoun(i)
            if reason:
                findings.append(_Finding("offensive", reason))
        for kind in ("hate_verbs", "targeted_profanity", "dismissals", "curse_wishes"):
            for _pattern, positions in self.matches.get(kind, []):
                reason = self.phrase(kind, positions)
                if reason:
                    findings.append(_Finding("offensive", reason))
        return findings

    def slur(self, i: int) -> str:
        if self.blocked(i) or self.self_directed(i):
            return ""
        return f"slur {self.describe(i, 'slur')}"

    def adjective_reading(self, i: int) -> bool:
        """'idioot systeem', 'die ambtenaar is debiel': a word that can be noun or adjective, used as adjective."""
        if self.kinds(i).get("insult_adj", ("", "", ""))[2] == "e":
            return True
        if self.same_clause(i, i - 1) and self.word(i - 1) in self.d._noun_determiners:
            return False
        copula = self.copula_before(i)
        if copula is not None and "een" not in {self.word(k) for k in range(copula + 1, i)}:
            return True
        if self.same_clause(i, i + 1) and self.word(i + 1) in _DEGREE_WORDS:
            return True
        return self.is_thing_after(i)

    def insult(self, i: int) -> str:
        kinds = self.kinds(i)
        kind = "insult" if "insult" in kinds else "curse_compound"
        if kind == "insult" and "insult_adj" in kinds and self.adjective_reading(i):
            return self.insulting_adjective(i)
        if self.blocked(i) or self.self_directed(i):
            return ""
        target = self.first_target(i)
        if not target and "insult_adj" in kinds and not self.vocative(i):
            return ""  # "debiel gewoon": about the situation, no one is named
        aimed = f" aimed at '{target}'" if target else ""
        label = "insult" if kind == "insult" else "curse on a person"
        return f"{label} {self.describe(i, kind)}{aimed}"

    def vocative(self, i: int) -> bool:
        """'idioot!', 'wat een idioot', 'die idioot': the word is used as a noun for someone."""
        clause = self.clause_of(i)
        before = self.word(i - 1) if i > clause[0] else ""
        if len(clause) == 1 or before in self.d._noun_determiners:
            return True
        return any(self.word(j) in ("een", "ne", "nen", "zon") for j in range(max(clause[0], i - 3), i))

    def copula_before(self, i: int) -> int | None:
        clause = self.clause_of(i)
        for j in range(i - 1, max(clause[0], i - COPULA_REACH - 1) - 1, -1):
            if self.tokens[j].word in self.d._copulas:
                return j
        return None

    def predicated_of(self, i: int, groups_only: bool = False) -> str:
        """The person (or group) the word at i is said of: 'X is/zijn (echt) WORD', 'ben jij WORD'."""
        j = self.copula_before(i)
        clause = self.clause_of(i)
        if j is None:
            # "ik vind dat die ambtenaar dom is": the copula closes a subordinate clause
            if self.same_clause(i, i + 1) and self.word(i + 1) in self.d._copulas:
                j = i
            else:
                return self.opinion_of(i, groups_only) or self.asked_of(i, groups_only)
        if any(self.word(k) in self.d._prepositions for k in range(j + 1, i)):
            return ""  # "hij is gestorven aan kanker": the word is in a phrase, not said of him
        subjects = [k for k in (j + 1,) if k < i] + list(range(j - 1, max(clause[0], j - TARGET_REACH) - 1, -1))
        for k in subjects:
            word = self.tokens[k].word
            if word in self.d._self or word in self.d._thing_subjects:
                return ""
            in_phrase = k < j and (self.word(k - 1) in self.d._prepositions or self.word(k - 2) in self.d._prepositions)
            if groups_only:
                if k in self.groups and not in_phrase:
                    return self.describe_target(k)
            elif self.is_person(k) and not in_phrase:
                return self.describe_target(k)
            if k < j and word not in self.d._function:
                # "die bediende aan de balie is ...": step over a prepositional phrase after the subject
                if self.word(k - 1) in self.d._prepositions or self.word(k - 2) in self.d._prepositions:
                    continue
                return ""  # another noun is the subject
        return ""

    def asked_of(self, i: int, groups_only: bool) -> str:
        """'hoe dom kan je zijn?': the copula comes after the word and the person between them."""
        for j in range(i + 1, min(i + 4, self.clause_of(i)[-1] + 1)):
            if self.word(j) in self.d._copulas:
                for k in range(i + 1, j):
                    if (k in self.groups) if groups_only else self.is_person(k):
                        return self.describe_target(k)
                return ""
        return ""

    def opinion_of(self, i: int, groups_only: bool) -> str:
        """'ik vind moslims walgelijk', 'ik noem hem dom': the person between an opinion verb and the word."""
        clause = self.clause_of(i)
        verbs = [j for j in range(max(clause[0], i - TARGET_REACH), i) if self.word(j) in self.d._opinion_verbs]
        if not verbs:
            return ""
        for k in range(verbs[-1] + 1, i):
            if (k in self.groups) if groups_only else self.is_person(k):
                return self.describe_target(k)
        return ""

    def insulting_adjective(self, i: int) -> str:
        if self.same_clause(i, i + 1) and self.word(i + 1) in _ADVERB_HEADS:
            return ""  # "ze zijn daar dom bezig": about what they do
        target = ""
        if self.same_clause(i, i + 1) and self.names_person(i + 1):
            target = self.describe_target(i + 1)  # "debiele ambtenaar"
        target = target or self.predicated_of(i)
        if not target or self.blocked(i):
            return ""
        return f"insult {self.describe(i, 'insult_adj')} said of '{target}'"

    def ambiguous(self, i: int) -> str:
        """Animal, pest and thing words ('rat', 'ongedierte', 'zak'): only when said of a person."""
        if self.word(i - 1) == "zijn" and self.kinds(i)["ambiguous"][2] == "base":
            return ""  # "zijn poot stijf houden": his paw, not "they are"
        target = (self.predicated_of(i) or self.addressed(i) or self.of_a_person(i) or self.exclaimed(i)
                  or self.predicated_after(i) or self.compared(i) or self.at_staff_place(i) or self.resumed(i))
        if not target or self.blocked(i):
            return ""
        return f"dehumanising {self.describe(i, 'ambiguous')} said of '{target}'"

    def insulting_adjective_before(self, i: int) -> bool:
        j = i - 1
        return self.same_clause(i, j) and (
            self.word(j) in self.d._attributes or not {"contempt", "insult_adj", "derogation"}.isdisjoint(self.kinds(j)))

    def addressed(self, i: int) -> str:
        """'jij ezel', 'jij vuile rat'."""
        j = i - 2 if self.insulting_adjective_before(i) else i - 1
        return self.word(j) if self.same_clause(i, j) and self.word(j) in ("jij", "jullie", "gij", "ge") else ""

    def of_a_person(self, i: int) -> str:
        """'ezel van een ambtenaar'."""
        if self.word(i + 1) == "van" and self.word(i + 2) in ("een", "ne", "nen") and self.same_clause(i, i + 3):
            return self.describe_target(i + 3) if self.names_person(i + 3) else ""
        return ""

    def exclaimed(self, i: int) -> str:
        """'vuile rat!', 'wat een domme doos', 'wat een zak', '[NAME], vuile rat'."""
        clause = self.clause_of(i)
        adjective = self.insulting_adjective_before(i)
        wat_een = self.word(clause[0]) == "wat" and self.word(clause[0] + 1) in ("een", "zon") and i == clause[-1]
        if adjective and (len(clause) <= 3 or (wat_een and i - clause[0] == 3)) and not self.is_thing_after(i):
            return "exclamation"
        if wat_een and i - clause[0] == 2 and self.kinds(i)["ambiguous"][0] in self.d._exclamation_insults:
            return "exclamation"
        if adjective and any(self.tokens[j].word == _NAME_TOKEN for j in self.sentences[self.tokens[i].sentence]):
            return "[NAME]"
        return ""

    def predicated_after(self, i: int) -> str:
        """'wat een kwal is die schepen': the person comes after the copula."""
        j = i + 1
        if self.same_clause(i, j) and self.word(j) in self.d._copulas:
            for k in range(j + 1, min(j + 4, self.clause_of(i)[-1] + 1)):
                if self.is_person(k) and self.word(k) not in ("je", "ze", "het"):
                    return self.describe_target(k)
        return ""

    def compared(self, i: int) -> str:
        """'ze gedragen zich als beesten': a comparison with people named in the clause."""
        if self.word(i - 1) not in ("als", "zoals") or not self.same_clause(i, i - 1):
            return ""
        return next((self.describe_target(j) for j in self.clause_of(i) if j < i and self.names_person(j)), "")

    def at_staff_place(self, i: int) -> str:
        """'die koe aan het loket', 'die ratten van de groendienst': an animal word for the people of a service."""
        introduced = {self.word(i - 1), self.word(i - 2)} & {"die", "dat", "deze", "de", "een", "zon"}
        adjective = i > 0 and (self.word(i - 1) in self.d._attributes or not {"contempt", "insult_adj"}.isdisjoint(self.kinds(i - 1)))
        if not introduced and not adjective:
            return ""
        j = i + 2
        if self.word(i + 1) == "van" and self.same_clause(i, j) and self.word(j) in ("de", "het", "t", "den"):
            j += 1
        if self.word(i + 1) == "van" and self.same_clause(i, j):
            if not {"building", "staff"}.isdisjoint(self.kinds(j)) or self.word(j).endswith(("dienst", "diensten")):
                return f"van {self.word(j - 1)} {self.word(j)}"
        for _pattern, positions in self.matches.get("staff_places", []):
            if 0 < positions[0] - i <= MAX_GAP and self.same_clause(i, positions[0]):
                return " ".join(self.tokens[p].word for p in positions)
        return ""

    def resumed(self, i: int) -> str:
        """'die asielzoekers, dat is ongedierte': 'dat' takes up people named in the clause before."""
        j = self.copula_before(i)
        if j is None or self.word(j - 1) not in ("dat", "dit", "het") or self.same_clause(i, j - 2):
            if j is None or self.word(j - 1) not in ("dat", "dit", "het") or j - 1 != self.clause_of(i)[0]:
                return ""
        token = self.tokens[i]
        near = [k for k in self.sentences[token.sentence] if abs(self.tokens[k].clause - token.clause) == 1]
        return next((self.describe_target(k) for k in near if self.names_person(k)), "")

    def contempt(self, i: int) -> str:
        """'vuile marokkaan', 'vieze vent': contempt right before a person."""
        if not self.same_clause(i, i + 1) or self.blocked(i):
            return ""
        if self.names_person(i + 1):
            return f"contempt {self.describe(i, 'contempt')} for '{self.describe_target(i + 1)}'"
        if self.word(i - 1) in ("een", "ne", "nen", "zon") and self.word(i + 1) not in self.d._function:
            target = self.predicated_of(i)  # "die schepen is een vuile leugenaar"
            if target:
                return f"contempt {self.describe(i, 'contempt')} '{self.word(i + 1)}' said of '{target}'"
        return ""

    def derogation(self, i: int) -> str:
        """An identity group with a derogatory predicate or an exclusion in the same clause."""
        if self.word(i) in _EVERYDAY_GROUPS and self.word(i + 1) in self.d._prepositions:
            return ""
        for j in self.clause_of(i):
            if j <= i or j - i > 2 * COPULA_REACH + 2:
                continue
            kinds = self.kinds(j)
            kind = next((k for k in ("derogation", "insult", "slur", "ambiguous", "insult_adj") if k in kinds), None)
            if kind and self.predicated_of(j, groups_only=True) and not self.blocked(j) and not self.negated(i):
                return f"derogation of '{self.tokens[i].word}': {self.describe(j, kind)}"
        nxt = i + 1
        if self.same_clause(i, nxt) and self.word(nxt) in _EXCLUSION_WORDS and not self.same_clause(i, nxt + 1):
            if not self.countered([i]):
                return f"exclusion of '{self.tokens[i].word}': '{self.word(nxt)}'"  # "buitenlanders buiten!"
        for _pattern, positions in self.matches.get("exclusion_phrases", []):
            if self.tokens[positions[0]].clause == self.tokens[i].clause:
                if not self.negated(positions[0], exempt=set(positions)) and not self.countered([i] + positions):
                    phrase = " ".join(self.tokens[p].word for p in positions)
                    return f"exclusion of '{self.tokens[i].word}': '{phrase}'"
        return ""

    def derogation_by_pronoun(self, i: int) -> str:
        """'ik heb een hekel aan vluchtelingen. ze zijn vies.': 'ze' takes up a group named just before."""
        subject = self.predicated_of(i)
        if subject not in ("ze", "zij", "die") or self.blocked(i):
            return ""
        sentence = self.tokens[i].sentence
        earlier = self.sentences.get(sentence - 1, []) + self.sentences[sentence]
        groups = [self.tokens[k].word for k in earlier if k < i and k in self.groups]
        if not groups:
            return ""
        return f"derogation of '{groups[-1]}' (as '{subject}'): {self.describe(i, 'derogation')}"

    def phrase(self, kind: str, positions: list[int]) -> str:
        """Hatred, targeted profanity and dismissals ('rot op', 'krijg de tering')."""
        i, last = positions[0], positions[-1]
        if self.negated(i, exempt=set(positions), after=3) or self.countered(positions) or self.in_idiom(i):
            return ""
        phrase = " ".join(self.tokens[p].word for p in positions)
        if kind == "dismissals":
            # "rot op!" or "rot op met je regels", not "kanker op jonge leeftijd".
            ends = not self.same_clause(i, last + 1) or self.word(last + 1) in ("met", "jij", "gij", "ge", "jullie", "man")
            if ends or self.names_person(last + 1) or (self.same_clause(i, last + 1) and self.is_person(last + 1)):
                if i == self.clause_of(i)[0] or self.first_target(i):
                    return f"abusive dismissal '{phrase}'"
            return ""
        target = self.first_target(i)
        if not target:
            return ""
        if kind == "curse_wishes":
            token = self.tokens[i]
            frame = {self.tokens[j].word for j in self.sentences[token.sentence] if self.tokens[j].clause <= token.clause}
            if frame.isdisjoint(self.d._wishes | self.d._normative):
                return ""  # "mijn vader heeft kanker" is news, "ik hoop dat je kanker krijgt" a curse
            return f"curse '{phrase}' wished on '{target}'"
        if kind == "hate_verbs":
            if set(self.word(j) for j in self.clause_of(i)).isdisjoint(self.d._first_person | self.d._victims):
                return ""  # "de haat tegen moslims" is about hatred, not hatred itself
            if target in _BEHAVIOUR_HEADS and any(
                    self.word(j) == target and self.word(j + 1) in ("die", "met", "zonder")
                    for j in self.clause_of(i) if j + 1 < len(self.tokens)):
                return ""  # "een hekel aan mensen die hun afval droppen": people by what they do
            return f"hatred '{phrase}' of '{target}'"
        return f"profanity '{phrase}' aimed at '{target}'"
