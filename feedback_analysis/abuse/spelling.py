"""Spelling normalisation for the identity-group layer: leetspeak, spaced letters, glued and split
words, and words one typo away from a listed word.

:class:`Vocabulary` maps every listed form to its entry. :meth:`Vocabulary.resolve` reads a text
word as a listed form: exactly, after leet (``r4tten``), one typo away (Damerau distance 1, words of
five letters or more that are not in simplemma's Dutch dictionary: ``wlagelijk``, ``jodn``), or as
glued words (``ikhaatjoden`` -> ``ik haat joden``). :func:`words_of` turns a text into lower-case
ASCII words with their sentence number, joining spaced letters (``r a t t e n``).
"""

from __future__ import annotations

import re
from functools import lru_cache

import simplemma

from feedback_analysis import text_nl

FUZZY_MIN_LETTERS = 5
GLUE_MIN_LETTERS = 7
KNOWN_FUZZY_MIN_LETTERS = 8
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"})
_WORD_RE = re.compile(r"[a-z0-9@$]+(?:-[a-z]+)?")
_SPACED_RE = re.compile(r"(?<![a-z0-9])(?:[a-z0-9] ){3,}[a-z0-9](?![a-z0-9])")
_SENTENCE_RE = re.compile(r"[.!?\n]+")
_APOSTROPHE_RE = re.compile(r"['’](?<=[a-z]['’])(?=[a-z])")  # look-behind after the quote: the same, faster
# Part of every spaced word (" c2 c3" of "c1 c2 c3 c4"): a fast test with a literal start, before _SPACED_RE.
_SPACED_PART_RE = re.compile(r" [a-z0-9] [a-z0-9](?![a-z0-9])")


is_dutch_word = text_nl.is_dutch_word  # simplemma's Dutch dictionary knows the word form


@lru_cache(maxsize=16)  # the group layer reads the same post several times (detect, read, target)
def plain(text: str) -> str:
    """Lower-case ASCII, in-word apostrophes dropped ("homo's" -> "homos")."""
    if not text.isascii():
        text = text_nl.to_ascii(text)
    text = text.lower()
    return _APOSTROPHE_RE.sub("", text) if "'" in text or "’" in text else text


def has_spaced_letters(low: str) -> bool:
    """Whether the (plain) text spells a word with spaces between its letters: "r a t t e n"."""
    return bool(_SPACED_PART_RE.search(low)) and bool(_SPACED_RE.search(low))


def split_words(low: str) -> list[str]:
    """The words of a plain text, without sentence numbers."""
    return _WORD_RE.findall(low)


def words_of(text: str) -> list[tuple[str, int]]:
    """(word, sentence number) for every word; spaced letters ("r a t t e n") joined first."""
    low = plain(text)
    if has_spaced_letters(low):
        low = _SPACED_RE.sub(lambda m: m.group(0).replace(" ", ""), low)
    out = []
    for number, sentence in enumerate(_SENTENCE_RE.split(low)):
        out += [(word, number) for word in _WORD_RE.findall(sentence)]
    return out


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def _damerau_one(a: str, b: str) -> bool:
    """True when a and b differ by one insertion, deletion, substitution or swap of neighbours."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        return len(diffs) == 1 or (len(diffs) == 2 and diffs[1] == diffs[0] + 1
                                   and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    return short[i:] == long[i + 1:]


_PARTICIPLE_START = re.compile(r"^(?:[a-z]{0,6}ge|be|ver|ont|her|er)[a-z]")


def _noun_read_as_verb(word: str, lemma: str) -> bool:
    """The lemmatiser reads some singular nouns as an infinitive one letter longer ("boete" -> "boeten",
    a fine read as "to pay for it"). A verb form of that shape is an inflected participle, which starts
    with a participle prefix ("vermoorde" -> "vermoorden", "afgemaakte"); anything else is the noun."""
    return lemma == word + "n" and not _PARTICIPLE_START.match(word)


# The classes a dictionary word may be a typo of ("walglijk" for "walgelijk"); never a report, frame or positive
_KNOWN_TYPO_CLASSES = frozenset({"group", "gadj", "attribute", "dehumanising", "emotion", "violence", "ghead"})


class Vocabulary:
    """Listed forms (one word each) with their entries, and the ways a text word may spell them."""

    def __init__(self, forms: dict[str, tuple], glue_words: set[str]):
        self.forms = forms
        self._short_glue = set(glue_words)
        self._glue = set(forms) | glue_words
        self._by_deletion: dict[str, set[str]] = {}
        for form in forms:
            if len(form) >= FUZZY_MIN_LETTERS and form.isalpha():
                for key in _deletions(form) | {form}:
                    self._by_deletion.setdefault(key, set()).add(form)
        self._cache: dict[str, tuple[str, ...]] = {}

    def resolve(self, word: str) -> tuple[str, ...]:
        """The listed forms (or plain words) the text word stands for; () when none."""
        found = self._cache.get(word)
        if found is None:
            found = self._resolve(word)
            if len(self._cache) < 500_000:
                self._cache[word] = found
        return found

    def _resolve(self, word: str) -> tuple[str, ...]:
        if word in self.forms:
            return (word,)
        if not word.isalpha():
            read = word.translate(_LEET)
            if read != word and read.isalpha():
                return self._resolve(read) or (read,)
            return ()
        if "-" in word:
            return ()
        if word.startswith("aller") and word[5:] in self.forms:  # "allerergste"
            return (word[5:],)
        known = is_dutch_word(word)
        if len(word) == 4 and not known:  # short words only by a swap of neighbours: "hata"
            swaps = {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(3)} & self.forms.keys()
            if len(swaps) == 1:
                return (swaps.pop(),)
        if known:
            lemma = simplemma.lemmatize(word, lang="nl")
            if lemma in self.forms and not _noun_read_as_verb(word, lemma):  # "migrante" -> "migrant",
                return (lemma,)  # "vermoorde" -> "vermoorden"
        # simplemma knows some misspellings ("walglijk"): long known words may still be a typo
        if len(word) >= (KNOWN_FUZZY_MIN_LETTERS if known else FUZZY_MIN_LETTERS):
            candidates = set()
            for key in _deletions(word) | {word}:
                candidates |= self._by_deletion.get(key, set())
            close = sorted((c for c in candidates if _damerau_one(word, c)), key=len, reverse=True)
            if known:  # a dictionary word is only read as a listed base form: "gemeente" is not "gemeenste",
                # with its first letter kept: a real word one letter longer in front is another word
                # ("vluchten" is not "luchten"), and typing errors seldom hit the first letter
                # and only as a hateful word: "bewerken" is no misspelt "beweren", "verdienen" no "verdwenen"
                close = [c for c in close if str(self.forms[c][2]) == c and c[0] == word[0]
                         and self.forms[c][0] in _KNOWN_TYPO_CLASSES]
            if close and len({self.forms[c][:2] for c in close}) == 1:  # all readings agree on what it is
                return (close[0],)
        return self._group_compound(word) or (() if known else self._split(word))

    def _group_compound(self, word: str) -> tuple[str, ...]:
        """'moslimvrouwen' -> ('moslim', 'vrouwen'): a group word glued to a person noun."""
        for i in range(4, len(word) - 2):
            head, tail = self.forms.get(word[:i]), self.forms.get(word[i:])
            if head and tail and head[0] == "group" and tail[0] in ("gnoun", "group"):
                return word[:i], word[i:]
        return ()

    def _split(self, word: str) -> tuple[str, ...]:
        """'ikhaatjoden' -> ('ik', 'haat', 'joden'): glued words, at least one of them listed."""
        best: dict[int, tuple[str, ...]] = {0: ()}
        for end in range(1, len(word) + 1):
            for start in range(max(0, end - 20), end):
                if start in best and word[start:end] in self._glue:
                    candidate = best[start] + (word[start:end],)
                    if end not in best or len(candidate) < len(best[end]):
                        best[end] = candidate
        parts = best.get(len(word), ())
        if len(parts) < 2:
            return ()
        if len(word) >= GLUE_MIN_LETTERS and any(p in self.forms and len(p) > 3 for p in parts):
            return parts
        return parts if all(p in self._short_glue for p in parts) else ()  # "ikga", "kga"
