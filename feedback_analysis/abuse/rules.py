"""The rule engine of the abuse flags: insults, slurs, profanity and threats against persons, staff
and buildings, with negation, idioms and counter-speech. :mod:`feedback_analysis.abuse` combines it
with the identity-group layer and adds the output columns.

A finding is ``offensive`` (insults, slurs, dehumanising or hateful statements about a person or a
group, staff included) or ``threat`` (violence announced, wished or called for, against a person or
a building); a threat wins over an insult in the same post. Its reason says what matched, for the
reviewer ("insult 'trut' (written 'tr*t') aimed at 'die'").

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
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import simplemma

from feedback_analysis import text_nl
from feedback_analysis.abuse.analysis import _WordAnalysis
from feedback_analysis.abuse.context import _Context
from feedback_analysis.abuse.forms import (
    _CLAUSE_BREAK,
    _CONTEXT_KINDS,
    _FUZZY_KINDS,
    _GLUE,
    _INWORD_APOSTROPHE,
    _LOOSE,
    _NAME_TOKEN,
    _NON_ASCII_WORDS,
    _PLACEHOLDER_RE,
    _PLAIN_WORD_RE,
    _PREFIX_KEY,
    _QUOTE_RE,
    _SENTENCE_BREAK,
    _SPACED_RE,
    _SPACED_SEPARATORS,
    _TYPO_KINDS,
    _WORD_RE,
    ESCALATION,
    FUZZY_MIN_LETTERS,
    LABELS,
    MAX_GAP,
    SWAP_MIN_LETTERS,
    _Finding,
    _inflections,
    _key,
    _Pattern,
    _skeleton,
    _Token,
    _Word,
)
from feedback_analysis.abuse.lexicon import load_lexicon
from feedback_analysis.text_nl import PieceTokens

# The words of a prepared text, piece by piece (exact: the words hold no white space, no look-arounds).
_SYMBOL_WORDS = PieceTokens(_WORD_RE.findall)
# _PLAIN_WORD_RE's words of an ASCII text: every other character made a space, then split (the same words).
_NOT_PLAIN = str.maketrans({chr(c): " " for c in range(128) if not (chr(c).isdigit() or "a" <= chr(c) <= "z")})


def _plain_words(text: str) -> list[str]:
    return text.translate(_NOT_PLAIN).split() if text.isascii() else _PLAIN_WORD_RE.findall(text)


def label_texts(texts: Iterable[str], detect, lang: str = "nl", extra: tuple[str, ...] = ()) -> pd.DataFrame:
    """One row per text from ``detect(text)`` -> ``(label, reason, *more)``: ``abuse``, ``abuse_reason``,
    ``abuse_action`` (the next step, in ``lang``) and one column per name in ``extra`` for ``more``.

    A Series keeps its index; other iterables get a 0..n-1 index.
    """
    if lang not in ("nl", "en"):
        raise ValueError(f"lang must be 'nl' or 'en', not {lang!r}")
    index = texts.index if isinstance(texts, pd.Series) else None
    results = [detect(text) for text in texts]
    labels = [result[0] for result in results]
    columns = {
        "abuse": labels,
        "abuse_reason": [result[1] for result in results],
        "abuse_action": [ESCALATION[label][lang] for label in labels],
    }
    for position, name in enumerate(extra, start=2):
        columns[name] = [result[position] for result in results]
    return pd.DataFrame(columns, index=index)


class RuleDetector(_WordAnalysis):
    """Rule-based detector of offensive and threatening posts with a fit / transform interface.

    ``lexicon_path`` replaces the packaged ``resources/abuse_nl.yaml``. ``fit`` learns nothing.
    Words seen are analysed once and cached, so one detector should score a whole batch.
    """

    def __init__(self, lexicon_path: Path | None = None, config: dict | None = None):
        self.lexicon_path = lexicon_path
        config = config if config is not None else load_lexicon(lexicon_path)
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
                for element_id, (exact, _prefixes) in zip(pattern.ids, pattern.elements):
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
        self._primary_by_first = self._index_by_first(self._patterns)
        self._primary_firsts = frozenset(self._primary_by_first)
        self._complete_patterns = text_nl.SubsetIndex(pattern.ids for pattern in self._patterns)
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
        self._institutions = words("institutions")
        self._exclamation_insults = words("exclamation_insults")
        self._function = words("function_words") | self._negations | self._copulas | self._normative | self._first_person
        self._words: dict[str, _Word] = {}
        self._triggers: set[str] = set()
        self._element_words: dict[str, frozenset[int]] = {}  # the cached words that match pattern elements
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


    # -- texts ------------------------------------------------------------------------------------

    def _prepare(self, text: str) -> tuple[str, list[str]]:
        """The text in lower-case ASCII with placeholders and spaced letters resolved, and its words."""
        if not text.isascii():
            for char, replacement in _NON_ASCII_WORDS.items():
                if char in text:
                    text = text.replace(char, replacement)
            text = text_nl.to_ascii(text)
        if "'" in text:
            text = _INWORD_APOSTROPHE.sub("", text)  # "homo's" -> "homos", "z'n" -> "zn"
        if "[" in text or "@" in text:
            text = _PLACEHOLDER_RE.sub(lambda m: f" {_NAME_TOKEN} " if m.group(1) in (None, "NAME", "MENTION") else " ", text)
        text = text.lower()
        symbols = "*" in text or "@" in text or "$" in text or "|" in text
        words = _SYMBOL_WORDS(text) if symbols else _plain_words(text)
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
        unique = set(words)
        if not self._words.keys() >= unique:
            for word in words:
                self._word(word)
        triggered = self._triggers.intersection(unique)
        if not triggered:
            return "none", ""
        cache = self._words
        if not any((cache.get(w) or self._word(w)).suspect for w in triggered) and not self._completes_pattern(unique):
            return "none", ""
        findings = self._examine(low)
        if not findings:
            return "none", ""
        findings.sort(key=lambda f: -LABELS.index(f.label))
        reasons = list(dict.fromkeys(f.reason for f in findings))[:3]
        return findings[0].label, "; ".join(reasons)

    @staticmethod
    def _index_by_first(patterns: list[_Pattern]) -> dict[int, list[frozenset[int]]]:
        """Threat and abuse patterns by their first element: a complete pattern has its first element present."""
        by_first: dict[int, list[frozenset[int]]] = {}
        for pattern in patterns:
            if pattern.kind not in _CONTEXT_KINDS:
                by_first.setdefault(pattern.ids[0], []).append(frozenset(pattern.ids))
        return by_first

    def _completes_pattern(self, unique: set[str]) -> bool:
        """Whether every element of some threat or abuse pattern occurs in the post's words (order not checked)."""
        cache, elements = self._words, self._element_words
        if cache.keys() >= unique:
            present = set().union(*map(elements.__getitem__, elements.keys() & unique))
        else:
            present = set().union(*((cache.get(w) or self._word(w)).elements for w in unique))
        by_first = self._primary_by_first
        return any(ids <= present for first in present & self._primary_firsts for ids in by_first[first])

    def fit(self, texts: Iterable[str] | None = None, labels: Iterable[str] | None = None) -> RuleDetector:
        """No training: the rules are fixed. Returns self, so the detector fits in a scikit-learn pipeline."""
        return self

    def transform(self, texts: Iterable[str], lang: str = "nl") -> pd.DataFrame:
        """Label texts; returns ``abuse``, ``abuse_reason`` and ``abuse_action`` (in ``lang``), one row per text.

        A Series keeps its index; other iterables get a 0..n-1 index. Missing texts are ``none``.
        """
        return label_texts(texts, self.detect, lang)

    # -- the detailed check -------------------------------------------------------------------------

    def _tokens(self, low: str) -> list[_Token]:
        """Words with their clause and sentence numbers; a clause ends at punctuation or a conjunction."""
        quotes = [m.span() for m in _QUOTE_RE.finditer(low)] if '"' in low or "'" in low else []
        symbols = "*" in low or "@" in low or "$" in low or "|" in low  # else both find the same words, one faster
        matches = list((_WORD_RE if symbols else _PLAIN_WORD_RE).finditer(low))
        tokens: list[_Token] = []
        clause = sentence = 0
        openers, coordinators, words = self._clause_openers, self._coordinators, self._words
        subjects, sentence_break, clause_break = self._subjects, _SENTENCE_BREAK.search, _CLAUSE_BREAK.search
        last = len(matches) - 1
        end = -1
        for n, match in enumerate(matches):
            word = match.group()
            start, stop = match.span()
            if end >= 0:
                spaced = start == end + 1 and low[end] == " "  # most gaps are one space: no break
                if not spaced and sentence_break(low, end, start):
                    sentence += 1
                    clause += 1
                elif (not spaced and clause_break(low, end, start)) or word in openers:
                    clause += 1
                elif word in coordinators and n < last and matches[n + 1].group() in subjects:
                    clause += 1  # "... en die marokkanen zijn ...", not "alles en iedereen"
            end = stop
            quoted = bool(quotes) and any(q_start <= start < q_end for q_start, q_end in quotes)
            info = words.get(word) or self._word(word)
            tokens.append(_Token(word, info, start, end, clause, sentence, quoted))
        return self._join_split_words(low, tokens)

    def _join_split_words(self, low: str, tokens: list[_Token]) -> list[_Token]:
        """'kanker lijer', 'klootz ak': two neighbouring words that together make an abusive word."""
        if not any(t.info.fragment or "profanity" in t.info.kinds for t in tokens):
            return tokens  # nothing to join: most posts
        out: list[_Token] = []
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if i + 1 < len(tokens):
                nxt = tokens[i + 1]
                wanted = token.info.fragment or nxt.info.fragment or "profanity" in token.info.kinds
                glued = wanted and nxt.clause == token.clause and _GLUE.match(low[token.end:nxt.start])
                plain = glued and {"insult", "slur", "curse_compound"}.isdisjoint(token.info.kinds.keys() | nxt.info.kinds.keys())
                if plain:
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

