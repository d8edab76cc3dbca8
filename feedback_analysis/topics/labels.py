"""Topic labels a manager can read: a short phrase from the posts that covers many of a topic's texts.

A label is chosen, not assembled from the top c-TF-IDF words: for a group of texts (a topic, or the texts of
one service and sentiment within a topic) and the texts it is compared with (the rest of the month),

1. every content word that reads as a noun (:meth:`Labeller.is_noun`: no stop word, no first name, no
   placeholder, none of the reply formulas and time spans of ``resources/topics_label_stopwords_nl.txt``, and
   in the month's texts often enough after an article or a preposition) gets ``cover * distinct``: ``cover`` is
   the share of the group's texts that contain it, ``distinct`` the share of its rate that is the group's,
   ``cover / (cover + rate elsewhere)``; the best word leads the label;
2. while the label covers less than ``target`` of the group, the word that covers most of the texts not yet
   covered (times ``distinct``) is added, at most ``max_words`` words, each covering at least
   ``min_gain`` of the group more;
3. each chosen word is shown inside the phrase around it that recurs most often in the group (two to four
   words in a row, within one clause, starting and ending with a content word: "PMD niet opgehaald"),
   if it reads as one (:meth:`Labeller.well_formed`: from a noun or an inflected adjective to a noun or a
   participle, no conjunction in between), spelled as people spelled it; the phrases are joined with ", ".

Only nouns lead a label because a label says what the posts are about: a verb ("spelen", "gemeld"), an
adjective ("duur") or an adverb ("eindelijk") may say how people feel or what happened, but not about what,
so it only appears inside a phrase around a noun ("PMD niet opgehaald"). Dutch has no capital letter or
ending that marks a noun, so the month's own texts decide: a word counts as a noun when at least
``NOUN_SHARE`` of its occurrences close a noun phrase: right after an article, a possessive or a preposition
("de markt", "aan het kruispunt"), or after such a word and an inflected adjective ("de blauwe zone"), and,
when it ends in -e or is a participle, not followed by another content word (then it was an adjective:
"de blauwe zone", "het gesloten loket"); a word that modifies a next word more often than it closes a
noun phrase is no noun ("de hele dag", "kleine kinderen"). Acronyms (PMD, GFT) are nouns;
past participles (ge...d / ge...t: "gehoord", "gemeld") and superlatives ("het ergste") never are, also where they follow a preposition
("nooit iets van gehoord"). Texts without running sentences (fewer than ``NOUN_EVIDENCE`` of the word
occurrences close a noun phrase: keyword lists) cannot tell, and there every content word may lead.

:func:`label_words` gives the words a label is checked with, :func:`label_coverage` the share of texts that
contain one of them (the benchmark's label coverage). Texts are masked before they get here: placeholders
break phrases, and first names are stop words, so no name ends up in a label.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from .text import PLACEHOLDER, TOKEN, _key, _resource_lines, fold, topic_stop_words

_BREAK = re.compile(r"(?:https?://|www\.)\S+|@\w[\w.\-]*|[.!?;:,()\[\]\"“”…\n\r]+|\s[-–]\s", re.IGNORECASE)
MAX_SPAN = 4
MAX_LABEL_CHARS = 50
NOUN_SHARE = 0.1
NOUN_EVIDENCE = 0.02  # below this share of word occurrences after an opener, the texts cannot tell nouns apart
# Words that open a noun phrase: articles (also Flemish "ne", "nen"), demonstratives and possessives that are
# no pronoun of their own ("die", "dat", "zijn" are left out: "iemand die het durft"), quantifiers, and
# prepositions. Grammar, not tuning: they hold for every subject.
NOUN_OPENERS = frozenset(
    "de het 't een 'n ne nen deze dit diene mijn m'n mn uw ons onze jullie hun z'n elke ieder iedere geen welke "
    "welk alle enkele sommige veel weinig twee drie in op aan met voor naar van bij over door zonder tegen uit "
    "rond onder achter tot per na via".split())
_SUPERLATIVE = re.compile(r"^[^\W\d_]{3,}ste$")  # "het ergste", "de beste": an adjective made a noun
CONJUNCTIONS = frozenset("en of maar want dus doch omdat terwijl".split())
_PARTICIPLE = re.compile(r"^ge[^\W\d_]{3,}(?<!hei)[dt]$")  # not "gezondheid"
# A participle that may close a phrase: (op)gehaald, gebeld, geholpen, betaald, vergeten.
_PARTICIPLE_END = re.compile(r"^(?:op|af|aan|in|uit|weg|mee|terug|door|over|na|bij|toe|vast|los|dicht|open)?"
                             r"ge[^\W\d_]{2,}(?<!hei)(?:d|t|en)$|^(?:be|ver|ont|her)[^\W\d_]{3,}(?:d|t|en)$")


@lru_cache(maxsize=1)
def label_stop_words() -> frozenset[str]:
    """:func:`topic_stop_words` plus ``resources/topics_label_stopwords_nl.txt`` (reply formulas, time spans)."""
    own = {_key(word) for line in _resource_lines("topics_label_stopwords_nl.txt") for word in line.split()}
    return frozenset(topic_stop_words() | own | {fold(word) for word in own})


def _clauses(text: str) -> list[list[str]]:
    """The text's clauses as lists of tokens as written (placeholders, links and punctuation split them)."""
    text = PLACEHOLDER.sub(" . ", text or "")
    return [[match.group() for match in TOKEN.finditer(part)] for part in _BREAK.split(text)]


def is_content(word: str, stop_words: frozenset[str]) -> bool:
    """Whether a lower-case word may carry a label: three letters or more, no stop word (also without accents)."""
    return len(word) >= 3 and word not in stop_words and fold(word) not in stop_words


@dataclass
class _Text:
    words: set[str] = field(default_factory=set)
    spans: dict[str, str] = field(default_factory=dict)  # lower-case span -> spelling in this text
    occurrences: Counter = field(default_factory=Counter)  # content word -> times it occurs
    closing: Counter = field(default_factory=Counter)  # content word -> times it closes a noun phrase
    modifying: Counter = field(default_factory=Counter)  # content word -> times it modifies the next word
    acronyms: set[str] = field(default_factory=set)


def _modifies_next(keys: list[str], i: int) -> bool:
    """Whether the word at ``i`` reads as an adjective or participle before a noun: it ends in -e (not -ie:
    "politie") or is a participle, and a content word follows ("de blauwe zone", "het gesloten loket"; two
    nouns in a row, "loket burgerzaken", are not caught)."""
    word = keys[i]
    shaped = (word.endswith("e") and not word.endswith("ie")) or bool(_PARTICIPLE_END.match(word))
    return shaped and i + 1 < len(keys) and len(keys[i + 1]) >= 3 and keys[i + 1] not in topic_stop_words()


def _closes_noun_phrase(keys: list[str], content: list[bool], i: int) -> bool:
    """Whether the word at ``i`` follows an opener (or an opener and an inflected adjective) and does not
    modify a next word (see the module docstring)."""
    if _modifies_next(keys, i):
        return False
    if i >= 1 and keys[i - 1] in NOUN_OPENERS:
        return True
    return i >= 2 and content[i - 1] and keys[i - 1].endswith("e") and keys[i - 2] in NOUN_OPENERS


def _analyse(text: str, stop_words: frozenset[str]) -> _Text:
    result = _Text()
    for clause in _clauses(text):
        keys = [_key(token) for token in clause]
        content = [is_content(key, stop_words) for key in keys]
        result.words.update(key for key, keep in zip(keys, content) if keep)
        for i, (key, keep) in enumerate(zip(keys, content)):
            if keep:
                result.occurrences[key] += 1
                result.closing[key] += _closes_noun_phrase(keys, content, i)
                result.modifying[key] += _modifies_next(keys, i)
                if clause[i].isupper() and 2 <= len(key) <= 5:
                    result.acronyms.add(key)
        for start in range(len(keys)):
            if not content[start]:
                continue
            for end in range(start + 1, min(start + MAX_SPAN, len(keys))):
                if content[end]:
                    result.spans.setdefault(" ".join(keys[start:end + 1]), " ".join(clause[start:end + 1]))
    return result


class Labeller:
    """Labels for groups of one corpus's texts (see the module docstring).

    ``texts``: all texts of the month (masked); the rest of them is what a group is compared with.
    """

    def __init__(self, texts: Sequence[str], stop_words: Iterable[str] | None = None, target: float = 0.8,
                 max_words: int = 3, min_gain: float = 0.1) -> None:
        self.stop_words = label_stop_words() | (frozenset(stop_words) if stop_words is not None else frozenset())
        self.target, self.max_words, self.min_gain = target, max_words, min_gain
        analysed: dict[str, _Text] = {}  # a repeated text is analysed once (the results are only read)
        self.texts = [analysed[text] if text in analysed else analysed.setdefault(text, _analyse(text, self.stop_words))
                      for text in texts]
        self.document_frequency = Counter(word for text in self.texts for word in text.words)
        occurrences, closing, modifying, acronyms = Counter(), Counter(), Counter(), Counter()
        for text in self.texts:
            occurrences.update(text.occurrences)
            closing.update(text.closing)
            modifying.update(text.modifying)
            acronyms.update(text.acronyms)
        self.nouns = frozenset(word for word, count in occurrences.items()
                               if not _PARTICIPLE.match(word) and not _SUPERLATIVE.match(word)
                               and closing[word] >= modifying[word]
                               and (closing[word] >= NOUN_SHARE * count or acronyms[word] * 2 >= self.document_frequency[word]))

        if sum(closing.values()) < NOUN_EVIDENCE * sum(occurrences.values()):
            # No running sentences to tell nouns by (keyword lists, another language): every word may lead.
            self.nouns = frozenset(occurrences)

    def is_noun(self, word: str) -> bool:
        """Whether ``word`` reads as a noun in these texts (see the module docstring)."""
        return word in self.nouns

    def choose_words(self, members: Sequence[int]) -> list[str]:
        """The label's words for the texts at ``members`` (indices into the corpus), best first."""
        members = list(members)
        n_group, n_rest = len(members), max(len(self.texts) - len(members), 1)
        inside = Counter(word for i in members for word in self.texts[i].words)
        if not inside:
            return []
        minimum = 2 if n_group >= 4 else 1

        def distinct(word: str) -> float:
            cover = inside[word] / n_group
            elsewhere = (self.document_frequency[word] - inside[word]) / n_rest
            return cover / (cover + elsewhere)

        candidates = {word: distinct(word) for word, count in inside.items() if count >= minimum and word in self.nouns}
        if not candidates:
            return []
        uncovered = set(members)
        chosen: list[str] = []
        while candidates and len(chosen) < self.max_words:
            gains = Counter(word for i in uncovered for word in self.texts[i].words if word in candidates)
            if not gains:
                break
            word = max(gains, key=lambda w: (gains[w] * candidates[w] ** 2, gains[w], w))
            if chosen and (gains[word] < self.min_gain * n_group or candidates[word] < 0.5):
                break
            chosen.append(word)
            del candidates[word]
            uncovered = {i for i in uncovered if word not in self.texts[i].words}
            if 1 - len(uncovered) / n_group >= self.target:
                break
        return chosen

    def phrase(self, word: str, members: Sequence[int], others: Sequence[str] = ()) -> str:
        """The recurring phrase around ``word`` in the members, as written (the word itself if none recurs)."""
        spans: Counter[str] = Counter()
        spellings: dict[str, Counter[str]] = defaultdict(Counter)
        with_word = 0
        for i in members:
            text = self.texts[i]
            if word not in text.words:
                continue
            with_word += 1
            for span, spelling in text.spans.items():
                if word in span.split():
                    spans[span] += 1
                    spellings[span][spelling] += 1
        needed = max(2, 0.35 * with_word)
        best = [(sum(other in span.split() for other in others), count, -len(span), span)
                for span, count in spans.items() if count >= needed and self.well_formed(span)]
        if best:
            span = max(best)[3]
            return _spelling(spellings[span], span)
        return self._word_spelling(word, members)

    def well_formed(self, span: str) -> bool:
        """Whether a phrase reads as a noun phrase or a short statement about a noun: it starts with a noun or
        an inflected adjective ("blauwe zone"), ends with a noun or a participle ("PMD niet opgehaald",
        "politie gebeld"), and joins no two clauses ("verdubbeld en de PMD")."""
        words = span.split()
        first, last = words[0], words[-1]
        starts = first in self.nouns or (first.endswith("e") and len(words) > 1)
        ends = last in self.nouns or bool(_PARTICIPLE_END.match(last))
        return starts and ends and not CONJUNCTIONS & set(words)

    def _word_spelling(self, word: str, members: Sequence[int]) -> str:
        forms: Counter[str] = Counter()
        for i in members:
            for span, spelling in self.texts[i].spans.items():
                for key, form in zip(span.split(), spelling.split()):
                    if key == word:
                        forms[form] += 1
        return _spelling(forms, word)

    def label(self, members: Sequence[int]) -> tuple[str, list[str]]:
        """``(label, words)`` for the texts at ``members``; ``("", [])`` when no word recurs."""
        words = self.choose_words(members)
        parts: list[str] = []
        for position, word in enumerate(words):
            if any(word in _key(part).split() for part in parts):
                continue
            part = self.phrase(word, members, words[position + 1:])
            candidate = ", ".join([*parts, part])
            if parts and len(candidate) > MAX_LABEL_CHARS:
                break
            parts.append(part)
        return ", ".join(parts), words

    def coverage(self, members: Sequence[int], label: str) -> float:
        """Share of the members whose text contains one of the label's words."""
        words = label_words(label, self.stop_words)
        if not len(members):
            return 0.0
        return float(np.mean([bool(words & self.texts[i].words) for i in members]))


def _spelling(forms: Counter[str], fallback: str) -> str:
    """The most frequent spelling; the lower-case one when it is about as frequent (sentence starts)."""
    if not forms:
        return fallback
    best, count = forms.most_common(1)[0]
    if best.isupper() and len(best) > 4:  # shouting ("BEVOLKINGSDIENST WEER DICHT"); acronyms (PMD) stay
        return " ".join(word if len(word) <= 4 else word.lower() for word in best.split())
    lower = best[:1].lower() + best[1:]
    if lower != best and forms.get(lower, 0) * 2 >= count:
        return lower
    return best


def label_words(label: str, stop_words: Iterable[str] | None = None) -> set[str]:
    """The content words of a label, lower-case (what label coverage looks for)."""
    stop_words = frozenset(stop_words) if stop_words is not None else label_stop_words()
    return {key for token in TOKEN.finditer(label or "") if is_content(key := _key(token.group()), stop_words)}


def label_coverage(texts: Sequence[str], topics: Sequence[int], labels: dict[int, str],
                   stop_words: Iterable[str] | None = None) -> float:
    """Size-weighted share of the texts of the labelled topics that contain one of their label's words.

    ``topics``: each text's topic (-1 and topics missing from ``labels`` are left out). 0.0 without topics.
    """
    stop_words = frozenset(stop_words) if stop_words is not None else label_stop_words()
    words = {topic: label_words(label, stop_words) for topic, label in labels.items()}
    hits = [bool(words[topic] & {_key(t.group()) for t in TOKEN.finditer(text or "")})
            for text, topic in zip(texts, topics) if topic in words]
    return float(np.mean(hits)) if hits else 0.0
