"""Cleaning: raw reader rows -> clean, masked, typed posts (see ``schema.PostsSchema``).

Pure functions over DataFrames. The order inside :func:`clean_rows` matters: text is repaired and
normalised first, links become ``[URL:domain]`` placeholders before phone numbers are looked for
(a URL is full of digits), names are masked before other personal data, and language and the
duplicate key are computed on the masked text.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import ftfy
import ftfy.badness
import numpy as np
import pandas as pd

from feedback_analysis.clean import pii as privacy
from feedback_analysis.schema import COUNT_COLUMNS, POST_COLUMNS, row_contract_failures

# --- timestamps --------------------------------------------------------------------------------

_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_TZ_SUFFIX = re.compile(r"\s*\b(CET|CEST|UTC|GMT|Z)\s*$", re.IGNORECASE)
_TZ_OFFSETS = {"CET": "+01:00", "CEST": "+02:00", "UTC": "+00:00", "GMT": "+00:00", "Z": "+00:00"}
_NUMBER = re.compile(r"^\s*\d+(?:[.,]\d+)?\s*$")


def _localise(naive: pd.Series, timezone: str) -> pd.Series:
    # Ambiguous autumn hours are taken as standard time; non-existent spring hours move forward.
    return naive.dt.tz_localize(timezone, ambiguous=np.zeros(len(naive), dtype=bool), nonexistent="shift_forward").dt.tz_convert("UTC")


def _parse_numbers(values: pd.Series, timezone: str) -> pd.Series:
    numbers = pd.to_numeric(values.astype(str).str.replace(",", ".", regex=False), errors="coerce")
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[us, UTC]")
    millis = (numbers > 1e11) & (numbers < 1e14)  # beyond that: not a time (quarantined as unparseable)
    seconds = (numbers > 1e8) & (numbers <= 1e11)
    excel = (numbers > 20_000) & (numbers < 80_000)  # 1954..2119 as Excel day serials
    if millis.any():
        out[millis] = pd.to_datetime(numbers[millis], unit="ms", utc=True)
    if seconds.any():
        out[seconds] = pd.to_datetime(numbers[seconds], unit="s", utc=True)
    if excel.any():
        naive = _EXCEL_EPOCH + pd.to_timedelta(numbers[excel], unit="D")
        out[excel] = _localise(naive.dt.round("s"), timezone)
    return out


def _parse_strings(values: pd.Series, timezone: str, dayfirst: bool) -> pd.Series:
    text = values.astype(str).str.strip()
    # Time-zone abbreviations (CrowdTangle writes "2021-03-04 10:15:00 CET") become offsets.
    suffix = text.str.extract(_TZ_SUFFIX, expand=False)
    has_suffix = suffix.notna()
    if has_suffix.any():
        text = text.where(~has_suffix, text.str.replace(_TZ_SUFFIX, "", regex=True) + suffix.str.upper().map(_TZ_OFFSETS))
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[us, UTC]")
    iso = text.str.match(r"^\d{4}-\d{2}-\d{2}")
    # ISO strings first, in one vectorised call; only the rest goes through the slower mixed parser.
    for mask, kwargs in ((iso, {"format": "ISO8601"}), (~iso, {"format": "mixed", "dayfirst": dayfirst})):
        if not mask.any():
            continue
        subset = text[mask]
        aware = subset.str.contains(r"(?:[+-]\d{2}:?\d{2}|Z)$", regex=True)
        if aware.any():
            out[aware[aware].index] = pd.to_datetime(subset[aware], utc=True, errors="coerce", **kwargs)
        if (~aware).any():
            rest = subset[~aware]
            try:
                naive = pd.to_datetime(rest, errors="coerce", **kwargs)
            except (ValueError, TypeError):  # zones written inside the text, mixed with local times
                out[rest.index] = [_parse_one(value, timezone, dayfirst) for value in rest]
                continue
            if getattr(naive.dt, "tz", None) is not None:
                out[naive.index] = naive.dt.tz_convert("UTC")
            else:
                out[naive.index] = _localise(naive, timezone)
    return out


def _parse_one(value: str, timezone: str, dayfirst: bool) -> pd.Timestamp:
    """One timestamp in any format dateutil reads ("Wed Oct 10 20:19:24 +0000 2018"), in UTC, or NaT."""
    try:
        stamp = pd.Timestamp(pd.to_datetime(value, dayfirst=dayfirst))
        if stamp is not pd.NaT and stamp.tzinfo is None:
            stamp = stamp.tz_localize(timezone, ambiguous=False, nonexistent="shift_forward")
        return stamp.tz_convert("UTC") if stamp is not pd.NaT else pd.NaT
    except (ValueError, TypeError, OverflowError):
        return pd.NaT


def parse_timestamps(values: pd.Series, timezone: str = "Europe/Brussels", dayfirst: bool = True) -> pd.Series:
    """Parse creation times as sources write them into UTC timestamps; NaT where impossible.

    Handles Unix seconds and milliseconds, Excel day serials, ``datetime`` objects, ISO strings with
    offsets, CrowdTangle's ``CET``/``CEST`` suffixes and local (naive) strings, day-first by default.
    Naive values are local time in ``timezone``.
    """
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[us, UTC]")
    if values.empty:
        return out
    is_datetime = values.map(lambda v: isinstance(v, (pd.Timestamp, np.datetime64)) or hasattr(v, "isoformat"))
    is_number = values.map(lambda v: isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool))
    is_numeric_string = values.map(lambda v: isinstance(v, str) and bool(_NUMBER.match(v)))
    numeric = (is_number | is_numeric_string) & values.notna()
    strings = values.map(lambda v: isinstance(v, str)) & ~is_numeric_string
    if is_datetime.any():
        stamps = pd.to_datetime(values[is_datetime], errors="coerce", utc=False)
        if getattr(stamps.dt, "tz", None) is None:
            out[is_datetime] = _localise(stamps, timezone)
        else:
            out[is_datetime] = stamps.dt.tz_convert("UTC")
    if numeric.any():
        out[numeric] = _parse_numbers(values[numeric], timezone)
    if strings.any():
        try:
            out[strings] = _parse_strings(values[strings], timezone, dayfirst)
        except (ValueError, OverflowError):  # a date beyond what pandas holds (year 294247): one by one
            out[strings] = [_parse_one(str(v), timezone, dayfirst) for v in values[strings]]
    return out


def month_of(created_at: pd.Series, timezone: str = "Europe/Brussels") -> pd.Series:
    """YYYY-MM of each UTC timestamp, in the reporting time zone."""
    return created_at.dt.tz_convert(timezone).dt.strftime("%Y-%m")


# --- text --------------------------------------------------------------------------------------

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
    letters = [c for c in plain if c.isalpha()]
    if sum(c < "\u0250" for c in letters) < len(letters) / 2:  # mostly not Latin script
        return "other"
    hits = sorted(((sum(word in vocab for word in words), lang) for lang, vocab in _HINTS.items()), reverse=True)
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


# --- the cleaning step --------------------------------------------------------------------------

@dataclass(frozen=True)
class CleanResult:
    """Output of :func:`clean_rows`.

    ``posts`` has the store columns plus ``raw`` (the original record, for a later quarantine) and
    ``input_file`` (the file name as read; ``source_file`` has names scrubbed);
    ``skipped`` lists rows without text as ``source_file, post_id`` (id None when the source has none).
    """

    posts: pd.DataFrame
    quarantine: pd.DataFrame
    skipped: pd.DataFrame


QUARANTINE_COLUMNS = ("reason", "source_file", "source_row", "raw", "input_file")


def source_label(name: str, file_labels: dict[str, str] | None = None) -> str:
    """The name the store keeps for an input file: relative to the ingest root when known, else the
    file's own name (``archive.zip!member`` inside an archive): never a home folder."""
    if file_labels and name in file_labels:
        return file_labels[name]
    archive, bang, member = name.partition("!")
    return f"{Path(archive).name}!{member}" if bang else Path(name).name


def quarantine_rows(rows: pd.DataFrame, reasons: pd.Series | str, file_labels: dict[str, str] | None = None) -> pd.DataFrame:
    """Rows set aside with their original values (``raw``) and a ``reason``; ``source_file`` is the
    stored name, ``input_file`` the name as read (for the per-file summary; not written out)."""
    out = rows[["source_file", "source_row", "raw"]].copy()
    out.insert(0, "reason", reasons if isinstance(reasons, str) else reasons.loc[rows.index])
    out["input_file"] = out["source_file"].astype(str)
    out["source_file"] = out["input_file"].map(lambda f: source_label(f, file_labels))
    return out.reset_index(drop=True)


def _blank(series: pd.Series) -> pd.Series:
    return series.isna() | (series.astype(str).str.strip() == "")


def names_in(rows: pd.DataFrame) -> set[str]:
    """Display names seen in a batch (authors, names in titles): what the name masker looks for."""
    names: set[str] = set()
    for value in rows["author"].dropna():
        value = str(value).strip()
        if value and not value.replace("_", "").isdigit():
            names.add(value)
    for value in rows["context_names"].dropna():
        names.update(n.strip() for n in str(value).split("\n") if n.strip())
    return names


@dataclass(frozen=True)
class PlausibleWindow:
    """Creation times outside ``[earliest, latest]`` are quarantined: a post dated 1900 or 2999 is a
    broken export, not a month of its own."""

    earliest: pd.Timestamp = pd.Timestamp("2004-01-01", tz="UTC")  # Facebook did not exist before
    latest: pd.Timestamp | None = None  # None: a day after the time of ingest

    def bounds(self, now: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp]:
        return self.earliest, self.latest if self.latest is not None else now + pd.Timedelta(days=1)


# Control characters (C0 except tab and newlines, DEL, C1): NUL bytes and escapes from broken tools.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Counts above this are not counts of people reacting.
MAX_COUNT = 10**10


def strip_controls(value: object) -> object:
    """A text with control characters replaced by spaces (so words on either side stay apart)."""
    return _CONTROL.sub(" ", value) if isinstance(value, str) and _CONTROL.search(value) else value


def _first_reason(reasons: list[tuple[pd.Series, pd.Series | str]], index: pd.Index) -> pd.Series:
    """Per row, the reason of the first check it fails (None when it passes them all)."""
    out = pd.Series(None, index=index, dtype="object")
    for mask, reason in reasons:
        fresh = mask & out.isna()
        if fresh.any():
            out[fresh] = reason if isinstance(reason, str) else reason[fresh]
    return out


def _count_problems(rows: pd.DataFrame) -> list[tuple[pd.Series, pd.Series]]:
    checks = []
    for column in COUNT_COLUMNS:
        values = rows[column]
        if values.isna().all():
            continue
        numbers = pd.to_numeric(values.map(lambda v: str(v).replace(",", ".").strip() if v is not None else None),
                                errors="coerce")
        bad = (numbers < 0) | (numbers > MAX_COUNT)
        if bad.any():
            word = pd.Series("implausible", index=rows.index).where(numbers > MAX_COUNT, "negative")
            checks.append((bad.fillna(False), word + f" count in {column}: " + values.astype(str).str.slice(0, 30)))
    return checks


def clean_rows(
    rows: pd.DataFrame,
    salt: bytes,
    masker: privacy.NameMasker | None = None,
    timezone: str = "Europe/Brussels",
    dayfirst: bool = True,
    default_language: str = "nl",
    ingested_at: pd.Timestamp | None = None,
    plausible: PlausibleWindow | None = None,
    file_labels: dict[str, str] | None = None,
) -> CleanResult:
    """Raw reader rows -> clean posts (store columns except thread and duplicate links).

    Rows the reader could not use (``problem``), rows whose time cannot be read or lies outside the
    ``plausible`` window, rows with negative or absurd counts, rows whose text is nothing but control
    characters and rows with neither id nor text are quarantined with a reason; rows without text
    (photo-only posts) are counted as skipped. ``thread_id`` is set to the source's thread id when
    given (else None), ``kind`` may still be None: :func:`link_threads` fills both.
    ``file_labels`` maps a file name as read to the name the store keeps (relative to the ingest
    root); without it only the file's own name is kept, never its folders.
    """
    rows = rows.reset_index(drop=True)
    ingested_at = ingested_at if ingested_at is not None else pd.Timestamp.now(tz="UTC")
    earliest, latest = (plausible or PlausibleWindow()).bounds(pd.Timestamp(ingested_at).tz_convert("UTC"))
    quarantined: list[pd.DataFrame] = []
    for optional in ("problem", "author_name"):  # columns older callers may not pass
        if optional not in rows.columns:
            rows = rows.assign(**{optional: None})
    had_text = ~_blank(rows["text"])
    for column in ("text", "group_name", "url", "author"):
        rows[column] = rows[column].map(strip_controls)

    created = parse_timestamps(rows["created_at"], timezone, dayfirst)
    no_text = _blank(rows["text"])
    no_id = _blank(rows["post_id"])
    problem = rows["problem"].notna()
    empty = no_text & no_id & rows["created_at"].isna() & ~had_text
    missing = no_text & no_id & ~empty & (rows["source"] != "dyi") & ~had_text
    implausible = created.notna() & ((created < earliest) | (created > latest))
    bad_time = created.isna() & ~empty & ~missing & ~no_text
    reasons = _first_reason([
        (problem, rows["problem"].astype(str)),
        (empty, "record has no id, no text and no time"),
        (missing, "missing id and text"),
        (had_text & no_text, "text holds nothing but control characters"),
        (bad_time, "unparseable date: " + rows["created_at"].astype(str).str.slice(0, 60)),
        (implausible & ~no_text, f"date outside the plausible window {earliest:%Y-%m-%d} .. {latest:%Y-%m-%d}: "
         + rows["created_at"].astype(str).str.slice(0, 40)),
        *[(mask & ~no_text, reason) for mask, reason in _count_problems(rows)],
    ], rows.index)
    rejected = reasons.notna()
    if rejected.any():
        quarantined.append(quarantine_rows(rows[rejected], reasons, file_labels))
    no_text = no_text & ~rejected
    empty = missing = bad_time = rejected

    post_ids = pd.Series(
        [namespaced_id(s, v) for s, v in zip(rows["source"], rows["post_id"])], index=rows.index, dtype="object"
    )
    skipped_mask = no_text & ~empty & ~missing
    skipped = pd.DataFrame({"source_file": rows.loc[skipped_mask, "source_file"], "post_id": post_ids[skipped_mask]})
    good = ~(empty | missing | bad_time | skipped_mask)
    kept = rows[good].copy()
    created = created[good]
    post_ids = post_ids[good]
    if kept.empty:
        quarantine = pd.concat(quarantined, ignore_index=True) if quarantined else empty_quarantine()
        return CleanResult(empty_posts(), quarantine, skipped)

    # Ids: the source's own, namespaced, or a hash of source, author, time and raw text.
    no_source_id = post_ids.isna()
    if no_source_id.any():
        post_ids = post_ids.astype("object")
        post_ids[no_source_id] = [
            hashed_id(s, a, t, x)
            for s, a, t, x in zip(kept.loc[no_source_id, "source"], kept.loc[no_source_id, "author"],
                                  created[no_source_id], kept.loc[no_source_id, "text"])
        ]

    repair = kept["source"] != "dyi"  # DYI mojibake is repaired exactly by the reader; ftfy could guess wrong
    texts = pd.Series([normalise_text(str(t), bool(r)) for t, r in zip(kept["text"], repair)], index=kept.index,
                      dtype="object")
    vanished = texts == ""
    if vanished.any():  # only invisible characters or spaces
        quarantined.append(quarantine_rows(kept[vanished], "text is empty once invisible characters are removed",
                                           file_labels))
        kept, created, post_ids, texts = kept[~vanished], created[~vanished], post_ids[~vanished], texts[~vanished]
        if kept.empty:
            return CleanResult(empty_posts(), pd.concat(quarantined, ignore_index=True), skipped)
    texts = privacy.mask_personal_data(texts, masker)

    posts = pd.DataFrame(index=kept.index)
    posts["post_id"] = post_ids
    posts["parent_id"] = [namespaced_id(s, v) for s, v in zip(kept["source"], kept["parent_id"])]
    posts["thread_id"] = [namespaced_id(s, v) for s, v in zip(kept["source"], kept["thread_id"])]
    posts["kind"] = kept["kind"]
    posts["source"] = kept["source"]
    file_names = {f: privacy.scrub_file_name(source_label(str(f), file_labels), masker) for f in kept["source_file"].unique()}
    posts["source_file"] = kept["source_file"].map(file_names)
    posts["source_row"] = pd.array(kept["source_row"].astype("int64"), dtype="Int64")
    posts["group_name"] = kept["group_name"].map(lambda g: None if g is None or str(g).strip() == "" else str(g).strip())
    pseudonyms = {a: privacy.pseudonymise(str(a), salt) for a in kept["author"].dropna().unique()}
    posts["author_id"] = [pseudonyms.get(a) if a is not None else None for a in kept["author"]]
    # The pseudonym of the display name when the author is a platform id: `forget --author NAME` finds the rows.
    posts["author_alias"] = [privacy.pseudonymise(str(n), salt) if isinstance(n, str) and n and n != a else None
                             for n, a in zip(kept["author_name"], kept["author"])]
    posts["created_at"] = created.astype("datetime64[us, UTC]")
    posts["month"] = month_of(posts["created_at"], timezone)
    posts["text"] = texts
    posts["lang"] = detect_languages(texts, default_language)
    for column in COUNT_COLUMNS:
        posts[column] = pd.array(pd.to_numeric(kept[column], errors="coerce"), dtype="Float64").round().astype("Int64")
    posts["url"] = kept["url"].map(lambda u: None if u is None or str(u).strip() == "" else privacy.scrub_url(str(u)))
    posts["content_hash"] = [content_key(t) for t in texts]
    posts["duplicate_of"] = None
    posts["is_duplicate"] = False
    posts["ingested_at"] = pd.Timestamp(ingested_at).tz_convert("UTC")
    posts["raw"] = kept["raw"]
    posts["input_file"] = kept["source_file"].astype(str)  # the name as read, for the per-file summary
    posts, broken = _split_contract_failures(posts.reset_index(drop=True))
    if not broken.empty:
        broken = broken.assign(source_file=broken["input_file"].map(lambda f: source_label(f, file_labels)))
        quarantined.append(broken[list(QUARANTINE_COLUMNS)])
    quarantine = pd.concat(quarantined, ignore_index=True) if quarantined else empty_quarantine()
    return CleanResult(posts, quarantine, skipped)


def _split_contract_failures(posts: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows that would break the store's contract (``schema.PostsSchema``), set aside with the check
    they fail, so that one odd row never costs the batch. Returns (good rows, failing rows with
    ``reason, input_file, source_row, raw``)."""
    failing = row_contract_failures(posts)
    if not failing:
        return posts, pd.DataFrame(columns=["reason", "input_file", "source_row", "raw"])
    bad = posts.index.isin(list(failing))
    out = posts.loc[bad, ["input_file", "source_row", "raw"]].copy()
    out.insert(0, "reason", [f"breaks the store contract: {failing[i]}" for i in posts.index[bad]])
    return posts[~bad].reset_index(drop=True), out.reset_index(drop=True)


def empty_posts() -> pd.DataFrame:
    """An empty cleaned batch: the store's post columns plus ``raw``, ``input_file``, ``author_alias``."""
    return pd.DataFrame({column: pd.Series(dtype="object") for column in (*POST_COLUMNS, "raw", "input_file", "author_alias")})


def empty_quarantine() -> pd.DataFrame:
    """An empty quarantine table (``QUARANTINE_COLUMNS``)."""
    return pd.DataFrame({c: pd.Series(dtype="object") for c in QUARANTINE_COLUMNS})


# --- threads and duplicates over the whole store -------------------------------------------------

def link_threads(posts: pd.DataFrame, known: pd.DataFrame | None = None, strict_sources: Iterable[str] = ("csv", "xlsx", "crowdtangle", "scraper")) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fill ``kind`` and ``thread_id`` from parent links; quarantine rows whose parent is unknown.

    ``known`` holds ``post_id, parent_id, kind`` of rows outside ``posts`` (the store, skipped
    photo-only posts). Graph API comments fetched alone legitimately name posts that are not in the
    export: for them an unknown parent is kept as the thread root. For sources in ``strict_sources``
    the whole thread comes in the same export, so an unknown parent is a broken row.
    Returns (linked posts, rejected posts with a ``reason`` column).
    """
    frames = [posts[["post_id", "parent_id", "kind"]]]
    if known is not None and not known.empty:
        frames.append(known[["post_id", "parent_id", "kind"]])
    everything = pd.concat(frames, ignore_index=True).drop_duplicates("post_id", keep="first")
    everything = everything.astype("object").where(everything.notna(), None)
    parent_of = dict(zip(everything["post_id"], everything["parent_id"]))
    kind_of = dict(zip(everything["post_id"], everything["kind"]))
    posts = posts.astype({"parent_id": "object", "thread_id": "object", "kind": "object"})
    posts[["parent_id", "thread_id", "kind"]] = posts[["parent_id", "thread_id", "kind"]].where(
        posts[["parent_id", "thread_id", "kind"]].notna(), None
    )

    has_parent = posts["parent_id"].notna()
    unknown = has_parent & ~posts["parent_id"].isin(parent_of.keys()) & posts["source"].isin(list(strict_sources))
    rejected = posts[unknown]
    posts = posts[~unknown].copy()

    def root(post_id: str) -> str:
        seen = set()
        current = post_id
        while parent_of.get(current) is not None and current not in seen:
            seen.add(current)
            current = parent_of[current]
        return current

    given_thread = posts["thread_id"]
    posts["thread_id"] = given_thread.where(given_thread.notna(), posts["post_id"].map(root))

    def infer_kind(row_kind: object, parent: object) -> str:
        if row_kind in ("post", "comment", "reply"):
            return str(row_kind)
        if isinstance(row_kind, str) and row_kind.strip().lower() in _KIND_WORDS:
            return _KIND_WORDS[row_kind.strip().lower()]
        if parent is None:
            return "post"
        parent_kind = kind_of.get(parent)
        if parent_kind in ("comment", "reply") or (parent_kind is None and parent_of.get(parent) is not None):
            return "reply"
        return "comment"

    posts["kind"] = [infer_kind(k, p) for k, p in zip(posts["kind"], posts["parent_id"])]
    rejected = rejected.assign(reason="unknown parent " + rejected["parent_id"].astype(str))
    return posts, rejected


_KIND_WORDS = {
    "bericht": "post", "post": "post", "status": "post",
    "reactie": "comment", "comment": "comment", "opmerking": "comment",
    "antwoord": "reply", "reply": "reply", "answer": "reply", "réponse": "reply",
}


def mark_duplicates(posts: pd.DataFrame, min_chars: int = 40) -> pd.DataFrame:
    """Mark copy-paste duplicates and reposts: rows whose normalised text equals an earlier row's.

    In: ``post_id, created_at, content_hash`` and ``text`` or ``text_chars``. Out: a copy with
    ``duplicate_of`` and ``is_duplicate``. The earliest row (by time, then id) of each group is the
    original; the others point to it. Texts shorter than ``min_chars`` are never marked.
    """
    posts = posts.copy()
    chars = posts["text_chars"] if "text_chars" in posts.columns else posts["text"].str.len()
    order = posts[chars >= min_chars].sort_values(["created_at", "post_id"], kind="stable")
    first = order.groupby("content_hash", sort=False)["post_id"].transform("first")
    duplicate = first != order["post_id"]
    original = first[duplicate].astype("object").reindex(posts.index)
    posts["duplicate_of"] = original.where(original.notna(), None)
    posts["is_duplicate"] = original.notna()
    return posts
