"""Dutch text helpers that every stage shares: accent folding, simplemma's dictionary and lemmas,
month names and Dutch number formatting.

Written once here so the cleaning, scoring, topic and report stages fold a word, look it up and
print a number the same way. Pure functions; simplemma's data is loaded on the first lookup.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Collection, Iterable
from functools import lru_cache
from itertools import chain
from typing import Any

import pandas as pd
import simplemma

MONTHS_NL = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
             "oktober", "november", "december")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")
MISSING = "\u2013"  # an en dash where a figure is missing


# -- accents ---------------------------------------------------------------------------------------

def strip_accents(text: str) -> str:
    """``text`` without combining accents ("financiële" -> "financiele", "Ça" -> "Ca"), case kept.

    Letters Unicode does not decompose ("ø", "ł") and other characters (emoji, digits) stay; compatibility
    forms become plain ones ("ﬁ" -> "fi", full-width "Ａ" -> "A").
    """
    if text.isascii():
        return text
    return "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))


def fold(text: str) -> str:
    """Lower case without accents: "Café" -> "cafe", the key words are compared by."""
    return strip_accents(text.lower())


def to_ascii(text: str) -> str:
    """Plain ASCII: accents stripped and every other non-ASCII character dropped ("né 😀" -> "ne ")."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


# -- simplemma -------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _dutch_dictionary() -> Any:
    # simplemma.is_known takes about a millisecond per call; a lookup in its (cached) Dutch dictionary
    # takes well under one. Other simplemma versions fall back to the public function.
    try:
        from simplemma.strategies.dictionaries.dictionary_factory import DEFAULT_DICTIONARY_FACTORY

        return DEFAULT_DICTIONARY_FACTORY.get_dictionary("nl")
    except (ImportError, AttributeError):
        return None


@lru_cache(maxsize=200_000)
def is_dutch_word(word: str) -> bool:
    """Whether ``word`` is letters only and simplemma's Dutch dictionary knows the form."""
    return word.isalpha() and simplemma.is_known(word, lang="nl")


@lru_cache(maxsize=100_000)
def in_dutch_dictionary(word: str) -> bool:
    """Whether simplemma's Dutch dictionary has ``word`` as written or capitalised (a fast lookup)."""
    dictionary = _dutch_dictionary()
    if dictionary is None:
        return simplemma.is_known(word, lang="nl")
    return dictionary.get(word) is not None or dictionary.get(word.capitalize()) is not None


@lru_cache(maxsize=100_000)
def dutch_lemma(word: str) -> str:
    """simplemma's Dutch lemma in lower case; separable verbs joined ("opgehaald" -> "ophalen")."""
    # simplemma writes separable verbs with an underscore ("op_halen").
    return simplemma.lemmatize(word, lang="nl").lower().replace("_", "")


# -- tokens by white-space piece -------------------------------------------------------------------

class PieceTokens:
    """``tokenize(text)`` computed as the tokens of its white-space separated pieces, each distinct piece
    tokenized once: a long text repeats few new pieces, and a dictionary lookup is much cheaper than a
    regular expression's pass over the piece.

    Exact only for a ``tokenize`` (text -> sequence of tokens) whose tokens never contain white space and
    whose look-arounds treat white space as they treat the start or the end of a text (``\\b``, ``\\w``,
    ``\\s`` look-arounds do; a pattern that matches white space itself does not). At most ``limit``
    pieces are remembered; then the memory starts afresh.
    """

    def __init__(self, tokenize: Callable[[str], Iterable[Any]], limit: int = 100_000):
        self.tokenize = tokenize
        self.limit = limit
        self._pieces: dict[str, tuple] = {}

    def __call__(self, text: str) -> list:
        pieces, words = self._pieces, text.split()
        try:  # most texts: every piece seen before
            return list(chain.from_iterable(map(pieces.__getitem__, words)))
        except KeyError:
            pass
        out: list = []
        for piece in words:
            found = pieces.get(piece)
            if found is None:
                if len(pieces) >= self.limit:
                    pieces.clear()
                found = pieces[piece] = tuple(self.tokenize(piece))
            out += found
        return out


# -- which sets are complete --------------------------------------------------------------------

class SubsetIndex:
    """The sets (of words, of pattern elements ...) a text holds completely, without trying every set.

    Each set is filed under one of its members, so ``within(present)`` looks only at the sets whose
    filing member is present: a rule family of hundreds of patterns costs a few dictionary lookups per
    text, the same answer as testing every set. ``within`` gives the sets' positions in ascending order
    (the order they were given in), so a caller that walks them keeps its order of rules.
    """

    def __init__(self, sets: Iterable[Iterable[Any]]):
        self.sets: list[frozenset] = []
        self._by_member: dict[Any, list[int]] = {}
        self._always: list[int] = []  # empty sets: held by every text
        for number, members in enumerate(sets):
            members = frozenset(members)
            self.sets.append(members)
            if members:
                self._by_member.setdefault(min(members, key=repr), []).append(number)
            else:
                self._always.append(number)

    def within(self, present: Collection[Any]) -> list[int]:
        """Positions of the sets every member of which is in ``present``, ascending."""
        by_member, sets = self._by_member, self.sets
        if len(present) < len(by_member):
            numbers = [n for member in present for n in by_member.get(member, ())]
        else:
            numbers = [n for member, filed in by_member.items() if member in present for n in filed]
        found = [n for n in numbers if sets[n].issubset(present)] + self._always
        found.sort()
        return found


# -- months and numbers ----------------------------------------------------------------------------

def month_title(month: str, lang: str = "nl") -> str:
    """``'2026-10'`` -> ``'oktober 2026'`` (nl) or ``'October 2026'`` (en)."""
    year, number = str(month).split("-")[:2]
    names = MONTHS_NL if lang == "nl" else MONTHS_EN
    return f"{names[int(number) - 1]} {year}"


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def format_number(value: float | None, lang: str = "nl", decimals: int = 0, missing: str = MISSING) -> str:
    """A number with thousands separators: ``1.234,5`` in Dutch, ``1,234.5`` in English; ``missing`` if none."""
    if _missing(value):
        return missing
    formatted = f"{float(value):,.{decimals}f}"
    if lang == "nl":
        formatted = formatted.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return formatted
