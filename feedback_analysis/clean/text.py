"""Post text: repaired and normalised, links as placeholders, the language, ids and the duplicate key."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import urlsplit

import ftfy
import ftfy.badness
import numpy as np
import pandas as pd

# Invisible characters that only get in the way. ZWJ (U+200D) is kept: emoji sequences need it.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200e\u200f\u2060\ufeff\u202a-\u202e]")
_SPACES = re.compile(r"[^\S\n]+")
_NEWLINES = re.compile(r"\s*\n\s*\n\s*")
_URL = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"'()\[\]]+[^\s<>\"'()\[\].,;:!?]")
_PLACEHOLDER = re.compile(r"\[(?:URL:[^\]]*|PHONE|EMAIL|IBAN|NATIONAL_ID|PLATE|ADDRESS|NAME)\]")


def link_placeholder(url: str) -> str:
    """``[URL:domain]`` for a link: the domain says what was shared, the path may identify people."""
    target = url if "://" in url else f"http://{url}"
    host = (urlsplit(target).hostname or "").lower()
    host = host[4:] if host.startswith("www.") else host
    return f"[URL:{host}]" if host else "[URL]"


def normalise_text(text: str, repair_encoding: bool = True) -> str:
    """Repair mojibake (ftfy), decode HTML entities, NFC-normalise, drop invisible characters,
    collapse whitespace and replace links by placeholders. Emoji and punctuation are kept."""
    # ftfy's own quick test first: most non-ASCII posts (accents, emoji) are not mojibake.
    if repair_encoding and not text.isascii() and ftfy.badness.is_bad(text):
        text = ftfy.fix_text(text, unescape_html=False, uncurl_quotes=False, fix_line_breaks=True)
    if "&" in text:
        text = html.unescape(text)
    if not text.isascii():
        text = unicodedata.normalize("NFC", _INVISIBLE.sub("", text.replace("\u00a0", " ")))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _NEWLINES.sub("\n\n", _SPACES.sub(" ", text)).strip()
    if "http" in text or "www." in text:
        text = _URL.sub(lambda m: link_placeholder(m.group(0)), text)
    return text


# --- language ----------------------------------------------------------------------------------

# Function words that tell the three languages apart in short posts; words shared between them
# ("en", "a", "de", "is", "in", and "merci", which Flemings say as much as the French) are left out
# on purpose. Flemish colloquial forms are included.
_HINTS = {
    "nl": set("""ik je jij ge gij gij ze zij we wij het een van niet nie geen dat da die dit wat
        waar wanneer hoe waarom ook nog al maar want dus omdat zijn zijt heeft hebben wordt werd
        kan kunnen moet moeten mag wel hier daar nu toch echt heel zeer amai allez awel ambetant
        proficiat bedankt dank merci goed slecht weer alweer nooit altijd iemand niemand iets niks
        gemeente straat mensen opgehaald vandaag morgen gisteren bij naar voor met over""".split()) - {"merci"},
    "fr": set("""je tu il elle nous vous ils elles le la les une des du au aux est sont pas ne
        que qui quoi pour avec dans sur mais ou où très bien bonjour salut aussi encore
        toujours jamais rien quelqu quelque depuis chez cette ce ces mon ma mes votre nos leur
        c'est j'ai n'est qu'il d'un ramassage commune rue""".split()),
    "en": set("""i you he she we they the a an is are was were not no that this what where when
        how why also still but because have has had can could should would will my your our
        their thanks thank please anyone someone nothing always never today yesterday street
        town council the of to and with for it's don't i'm good great nice happy okay interested
        am my me awesome love lovely wonderful sorry hello""".split()) - {"a"},
}
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)
# Any character past the Latin blocks (other scripts, but also emoji and typographic signs).
_BEYOND_LATIN = re.compile("[^\x00-\u024f]")


# Word -> the languages whose hint list has it (one lookup per word instead of one per language).
_HINT_LANGUAGES: dict[str, tuple[str, ...]] = {
    word: tuple(lang for lang, vocab in _HINTS.items() if word in vocab) for word in set().union(*_HINTS.values())
}


@lru_cache(maxsize=1)
def _language_identifier():
    import py3langid.langid as langid

    identifier = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)
    # Languages a Flemish municipality's groups see; Afrikaans and Frisian absorb dialect spellings.
    identifier.set_languages(["nl", "af", "fy", "fr", "en", "de", "es", "it", "pt", "tr", "ar", "pl", "ro"])
    return identifier


def detect_language(text: str, default: str = "nl") -> str:
    """nl, fr, en or other for one (masked) text; short ambiguous texts fall back to ``default``.

    Function words decide when they are clear: short posts, where n-gram models guess wildly
    ("Proficiat!" comes out as English), and longer posts full of one language's function words.
    The rest goes by the character n-gram model (py3langid) on the first 400 characters.
    """
    plain = _PLACEHOLDER.sub(" ", text)
    words = [w.lower() for w in _WORD.findall(plain)]
    if not words:
        return "other"
    if _BEYOND_LATIN.search(plain):  # only then can the letters be mostly of another script
        letters = [c for c in plain if c.isalpha()]
        if sum(c < "\u0250" for c in letters) < len(letters) / 2:  # mostly not Latin script
            return "other"
    counts = dict.fromkeys(_HINTS, 0)
    for word in words:
        for lang in _HINT_LANGUAGES.get(word, ()):
            counts[lang] += 1
    hits = sorted(((count, lang) for lang, count in counts.items()), reverse=True)
    (top, best), (second, _) = hits[0], hits[1]
    clear_hint = top > second
    if clear_hint and (len(words) < 6 or (top >= 3 and top >= 3 * second)):
        return best
    lang, confidence = _language_identifier().classify(plain[:400])
    lang = {"af": "nl", "fy": "nl"}.get(lang, lang)
    known = lang in ("nl", "fr", "en")
    if confidence >= 0.8:
        return lang if known else "other"
    if len(words) >= 6 and known:
        return lang
    return best if clear_hint else (default if len(words) < 6 else "other")


def detect_languages(texts: Iterable[str], default: str = "nl") -> list[str]:
    """:func:`detect_language` for many texts, each distinct text looked at once."""
    cache: dict[str, str] = {}
    out = []
    for text in texts:
        if text not in cache:
            cache[text] = detect_language(text, default)
        out.append(cache[text])
    return out


# --- ids and duplicates -------------------------------------------------------------------------

_KEY_STRIP = re.compile(r"[\W_]+", re.UNICODE)


def content_key(text: str) -> str:
    """Hash of the text with case, punctuation and spacing ignored: equal for copy-paste reposts."""
    return hashlib.sha1(_KEY_STRIP.sub(" ", text.casefold()).strip().encode("utf-8")).hexdigest()[:20]


def hashed_id(source: str, author: object, created_at: pd.Timestamp, text: object) -> str:
    """Stable id for rows whose source gives none: a hash of source, author, time and text."""
    payload = "\x1f".join([id_namespace(source), str(author or ""), created_at.isoformat(), str(text or "")])
    return "h_" + hashlib.sha1(payload.encode("utf-8")).hexdigest()[:24]


def namespaced_id(source: str, value: object) -> str | None:
    """Source ids are unique per source only: prefix them with it."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or str(value).strip() == "":
        return None
    text = str(value).strip()
    if text.endswith(".0") and text[:-2].isdigit():  # spreadsheet tools turn ids into floats
        text = text[:-2]
    return f"{id_namespace(source)}:{text}"


def id_namespace(source: str) -> str:
    """The namespace of a source's ids: the same export saved as CSV or as XLSX has the same ids."""
    return "csv" if source == "xlsx" else source

