"""The vocabulary side of service routing: how a word of a text and a word of the taxonomy are normalised.

A word of a text is looked up by its form, its lemma (``simplemma``), the Snowball Dutch stems of both
(words of 6 letters or more) and without a plural ``-s``; a term by its form and stem. Accents are folded.
"""

from __future__ import annotations

import re
from functools import lru_cache

from stop_words import get_stop_words

from feedback_analysis import text_nl

MIN_PART = 4             # letters of a term found inside a compound
MIN_REST = 3             # letters left over in the compound
MIN_STEMMED = 6          # shorter words are matched by form and lemma only

TOKEN_RE = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
VOWELS = frozenset("aeiouy")
# Words after these say where or when, not what: "op de stoep", "in het park", "sinds die sluikstort".
CONTEXT_WORDS = frozenset(
    "in op bij aan naast achter langs tegenover rond rondom nabij vlakbij onder boven tussen thv door over tegen "
    "na tijdens sinds sedert dans devant pres sur near outside at on "
    # verbs of obstruction name the place that is blocked: "bouwhekken blokkeren het fietspad"
    "blokkeert blokkeren blokkeerde geblokkeerd verspert versperren versperd".split())
# Between a place and a further place: "op de gevel van de bibliotheek".
CONNECTORS = frozenset("van der des du of".split())
# A compound ending in one of these is a street or place name ("Schoolstraat"), not a service word.
STREET_HEADS = ("straat", "laan", "plein", "dreef", "steenweg", "kaai", "wijk", "hoek", "lei")
DIMINUTIVES = ("etjes", "etje", "tjes", "tje", "pjes", "pje", "jes", "je")
VERBAL_NOUN_ENDINGS = ("ing", "heid")
_SERVICE_KEYS = {"label", "strong", "terms", "weak", "foreign", "together", "fallback", "drop"}
_TOP_KEYS = {"weights", "ignore", "services"}

# Function words are never service words, and a term's stem must not become one ("bijen" -> "bij").
# French function words are listed by hand: the full French list holds Dutch words ("vos", "plein").
STOP_WORDS = frozenset(get_stop_words("dutch")) | frozenset(
    "ge gij da gy hé he ni nie nen ne k der den ten ter t le la les du des un une et au aux pour par avec ce cette "
    "est sont pas qui que il elle nous vous ils je tu se sa son ses mon ma mes ton leur leurs l d n s c j m "
    "qu".split())



@lru_cache(maxsize=100_000)
def fold(word: str) -> str:
    """Lower case without accents: "café" -> "cafe", "financiële" -> "financiele"."""
    return text_nl.fold(word)


@lru_cache(maxsize=1)
def stemmer():
    """The Snowball Dutch stemmer (the original Porter-style Dutch algorithm, ``dutch_porter``)."""
    # snowballstemmer, not nltk: the same stems (checked on 5,181 tweet words), imported in a tenth of the
    # time (nltk's import loads scipy: over two seconds in every scoring process).
    import snowballstemmer

    return snowballstemmer.stemmer("dutch_porter")


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The Snowball Dutch stem of a word."""
    return stemmer().stemWord(word)


lemma = text_nl.dutch_lemma  # simplemma's lemma, lower case, separable verbs joined


def stems(*words: str) -> set[str]:
    """The stems of the words long enough to be stemmed."""
    # Short words are not stemmed: the stemmer undoubles vowels, so "gaat" would become "gat" (a hole);
    # the lemma already joins short inflected forms ("bomen" -> "boom").
    return {stem(word) for word in words if len(word) >= MIN_STEMMED}


@lru_cache(maxsize=100_000)
def word_keys(word: str) -> tuple[str, ...]:
    """The forms under which a word of a text is looked up: its form, its lemma, the stems of both,
    the form without a plural -en (also when the dictionary does not know the word) or -s.

    The form comes first and the rest is sorted: when two terms of a service match one word, the one
    kept must not depend on the process's string hashing (``service_terms`` and the confidence would
    change from run to run)."""
    form = fold(word)
    base = fold(lemma(word.lower()))
    keys = {form, base, *stems(form, base), verb_stem(form)}  # "glasbollen" -> "glasbol"
    if len(form) > 4 and form.endswith("s") and not form.endswith("ss"):
        keys.add(form[:-1])
    keys.discard(form)
    return (form, *sorted(key for key in keys if key)) if form else tuple(sorted(key for key in keys if key))


def term_keys(word: str) -> frozenset[str]:
    """The forms under which a term is indexed: its form and stem (and without a plural -s).

    Not its lemma: a term's lemma can be another word ("sloot" -> "sluiten"), whereas a text word's
    lemma is how inflected forms ("geparkeerd" -> "parkeren") reach the term.
    """
    form = fold(word)
    if form.endswith(VERBAL_NOUN_ENDINGS):
        # The stem of "verzorging" or "voorstelling" is a verb ("verzorgd", "voorstelde"): use the plural.
        keys = {form, form + "en" if form.endswith("ing") else form[:-4] + "heden"}
    else:
        keys = {form, *stems(form)}
    if len(form) > 4 and form.endswith("s") and not form.endswith("ss"):
        keys.add(form[:-1])
    return frozenset(key for key in keys if key == form or (len(key) >= 3 and key not in STOP_WORDS))


def canon(word: str) -> str:
    """One key per word, for phrases: the stem of the lemma."""
    return stem(fold(lemma(word.lower())))


def verb_stem(form: str) -> str:
    """The stem a Dutch verb or plural uses in compounds: parkeren -> parkeer, zwemmen -> zwem, ratten -> rat."""
    if len(form) < 5 or not form.endswith("en"):
        return ""
    rest = form[:-2]
    if len(rest) >= 2 and rest[-1] == rest[-2] and rest[-1] not in VOWELS:
        return rest[:-1]
    if len(rest) >= 3 and rest[-1] not in VOWELS and rest[-2] in "aeou" and rest[-3] not in VOWELS:
        return rest[:-1] + rest[-2] + rest[-1]
    return rest


def tokens(text: str) -> list[str]:
    """The words of a text, lower case; hyphenated words stay whole."""
    return TOKEN_RE.findall(text.lower())



is_known = text_nl.in_dutch_dictionary  # simplemma's Dutch dictionary knows the word (any inflected form)

