"""Words for topic descriptions: tokens as they appear in the posts, without stop words or placeholders.

- :func:`topic_stop_words` is the list of words that never describe a topic: the stop-words package's
  Dutch, French and English lists plus ``resources/topics_stopwords_nl.txt`` (Dutch function words,
  Flemish tussentaal and social-media filler such as "amai", "allez", "ge", "da", "nie", "hé").
- :func:`strip_placeholders` removes the masking stage's placeholders (``[NAME]``, ``[PHONE]``,
  ``[URL:gent.be]`` ...), links and @mentions before anything is counted.
- :class:`TermAnalyzer` turns a text into the terms that may describe a topic: lower-cased words of two
  letters or more that are no stop word, and two-word phrases of such words that stand next to each
  other in the post, separated by spaces only ("gemiste ophaling"), so every phrase appears verbatim.
- :func:`surface_forms` gives each lower-cased term the spelling people used: the lower-case form when it
  occurs in the texts, otherwise the most frequent one ("Denderbeke").

No stemming or lemmatising: a topic word is always a word of the posts.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

from stop_words import get_stop_words

PLACEHOLDER = re.compile(r"\[(?:[A-Z][A-Z_]*)(?::[^\]\s]*)?\]")
_LINK = re.compile(r"(?:https?://|www\.)\S+|@\w[\w.\-]*", re.IGNORECASE)
# Letters, with inner hyphens and apostrophes ("pmd-zakken", "auto's"); digits and underscores never.
TOKEN = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_SPACES_ONLY = re.compile(r"[ \t]+")
MAX_WORD_LENGTH = 30


def fold(word: str) -> str:
    """A word without accents ("héél" -> "heel"), to catch emphatic spellings of stop words."""
    return "".join(char for char in unicodedata.normalize("NFD", word) if not unicodedata.combining(char))


def _resource_lines(name: str) -> list[str]:
    text = resources.files("feedback_analysis").joinpath(f"resources/{name}").read_text("utf-8")
    return [line.split("#", 1)[0].strip() for line in text.splitlines()]


def _first_names() -> set[str]:
    """Unambiguous first names of resources/first_names.txt (lines without the '*' of an ordinary word)."""
    return {line.lower() for line in _resource_lines("first_names.txt")
            if line and not line.endswith("*") and len(line) >= 3}


@lru_cache(maxsize=1)
def topic_stop_words() -> frozenset[str]:
    """Lower-case words that never describe a topic.

    The stop-words package's Dutch, French and English lists, ``resources/topics_stopwords_nl.txt`` (Dutch
    function words, Flemish filler), and the unambiguous first names of ``resources/first_names.txt``: a
    name the masking stage missed must not end up in a manager's topic list.
    """
    own = {word for line in _resource_lines("topics_stopwords_nl.txt") for word in line.split()}
    packaged = set(get_stop_words("dutch")) | set(get_stop_words("french")) | set(get_stop_words("english"))
    words = {_key(word) for word in own | packaged | _first_names()}
    return frozenset(words | {fold(word) for word in words})


def strip_placeholders(text: str) -> str:
    """The text without masking placeholders, links and @mentions (each replaced by a space)."""
    return _LINK.sub(" ", PLACEHOLDER.sub(" ", text))


class TermAnalyzer:
    """Callable for scikit-learn's ``CountVectorizer(analyzer=...)``: text -> candidate topic terms.

    ``stop_words`` defaults to :func:`topic_stop_words`; ``phrases`` adds the two-word phrases.
    A class rather than a closure so that fitted models can be pickled.

    One fit analyses every text about five times (vocabulary, LSA words, BERTopic's vectorizer, topic
    words, subjects); the terms of up to ``CACHE_SIZE`` texts are kept, so each text is analysed once
    (measured on a generated 43k-row month: 217k calls for 27k distinct texts). Not pickled.
    """

    CACHE_SIZE = 200_000

    def __init__(self, stop_words: Iterable[str] | None = None, phrases: bool = True) -> None:
        self.stop_words = frozenset(stop_words) if stop_words is not None else topic_stop_words()
        self.phrases = phrases
        self._cache: dict[str, tuple[str, ...]] = {}

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_cache": {}}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update({"_cache": {}, **state})

    def share_cache(self, other: TermAnalyzer) -> None:
        """Keep the terms in ``other``'s cache too, when both analyse alike (same stop words and phrases):
        a fit's vocabulary pass and its model then analyse each text once between them."""
        if other is not self and other.stop_words == self.stop_words and other.phrases == self.phrases:
            self._cache = other._cache

    def _keep(self, word: str) -> bool:
        if not 2 <= len(word) <= MAX_WORD_LENGTH or word in self.stop_words:
            return False
        return word.isascii() or fold(word) not in self.stop_words

    def __call__(self, text: str) -> list[str]:
        cached = self._cache.get(text)
        if cached is None:
            cached = tuple(self._terms(text))
            if len(self._cache) >= self.CACHE_SIZE:
                self._cache.clear()
            self._cache[text] = cached
        return list(cached)

    def _terms(self, text: str) -> list[str]:
        text = strip_placeholders(text or "")
        terms: list[str] = []
        previous: str | None = None
        previous_end = 0
        for match in TOKEN.finditer(text):
            word = _key(match.group())
            if not self._keep(word):
                previous = None
                continue
            terms.append(word)
            if self.phrases and previous is not None and _SPACES_ONLY.fullmatch(text, previous_end, match.start()):
                terms.append(f"{previous} {word}")
            previous, previous_end = word, match.end()
        return terms


def _key(term: str) -> str:
    return term.lower().replace("’", "'")


def useful_phrases(document_frequency: dict[str, int], min_df: int = 3, min_share: float = 0.2) -> set[str]:
    """The two-word phrases worth showing: in at least ``min_df`` posts, and in at least ``min_share`` of the
    posts that hold the rarer of its two words ("gemiste ophaling", not "minuten parkeren")."""
    kept = set()
    for term, df in document_frequency.items():
        parts = term.split()
        if len(parts) != 2 or df < min_df:
            continue
        rarer = min(document_frequency.get(parts[0], df), document_frequency.get(parts[1], df))
        if df >= min_share * rarer:
            kept.add(term)
    return kept


def surface_forms(texts: Iterable[str], terms: Iterable[str]) -> dict[str, str]:
    """Map each lower-case term (word or two-word phrase) to a spelling found in ``texts``.

    The lower-case spelling wins when it occurs; otherwise the most frequent spelling does. Terms that
    do not occur keep their own spelling.
    """
    wanted = {_key(term) for term in terms}
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    # A repeated text (a big month repeats many) is read once and counted as often as it occurs.
    for text, times in Counter(text or "" for text in texts).items():
        text = strip_placeholders(text)
        previous: str | None = None
        previous_end = 0
        for match in TOKEN.finditer(text):
            word = match.group()
            key = _key(word)
            if key in wanted:
                counts[key][word] += times
            if previous is not None and _SPACES_ONLY.fullmatch(text, previous_end, match.start()):
                phrase = f"{previous} {word}"
                if _key(phrase) in wanted:
                    counts[_key(phrase)][phrase] += times
            previous, previous_end = word, match.end()
    forms = {}
    for term in wanted:
        seen = counts.get(term)
        if not seen:
            forms[term] = term
        elif term in seen:
            forms[term] = term
        else:
            forms[term] = max(sorted(seen), key=seen.__getitem__)
    return forms
