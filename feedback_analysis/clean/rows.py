"""The cleaning step: raw reader rows -> clean, masked, typed posts (see ``schema.PostsSchema``).

The order inside :func:`clean_rows` matters: text is repaired and normalised first, links become
``[URL:domain]`` placeholders before phone numbers are looked for (a URL is full of digits), names are
masked before other personal data, and language and the duplicate key are computed on the masked text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from feedback_analysis.clean.names import NameMasker, mask_personal_data
from feedback_analysis.clean.pseudonyms import pseudonymise, scrub_file_name, scrub_url
from feedback_analysis.clean.text import content_key, detect_languages, hashed_id, namespaced_id, normalise_text
from feedback_analysis.clean.timestamps import month_of, parse_timestamps
from feedback_analysis.schema import COUNT_COLUMNS, POST_COLUMNS, row_contract_failures
from feedback_analysis.vocab import PLAUSIBLE_FROM


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
    for value in pd.unique(rows["author"].dropna().astype(str).to_numpy(dtype=object)):  # each author once
        value = str(value).strip()
        if value and not value.replace("_", "").isdigit():
            names.add(value)
    for value in pd.unique(rows["context_names"].dropna().astype(str).to_numpy(dtype=object)):
        names.update(n.strip() for n in str(value).split("\n") if n.strip())
    return names


class TextMemo:
    """What cleaning makes of each distinct text, remembered across the chunks of one ingest batch.

    Copy-paste posts and replies such as 'Eens!' repeat a text many times; each distinct text is
    normalised, masked, its language detected and its duplicate key computed once. The results
    depend on the text and the name masker only, so one memo serves one masker (one batch). At most
    ``limit`` texts are remembered per table: memory stays bounded whatever the batch size.
    """

    def __init__(self, limit: int = 100_000) -> None:
        self.limit = limit
        self._normalised: dict[tuple[str, bool], str] = {}
        self._analysed: dict[str, tuple[str, str, str]] = {}

    def _room(self, table: dict, incoming: int) -> None:
        if len(table) + incoming > self.limit:
            table.clear()

    def normalised(self, texts: list[str], repair: list[bool]) -> list[str]:
        """:func:`normalise_text` of each text (``repair``: whether mojibake may be repaired)."""
        keys = list(zip(texts, repair))
        table = self._normalised
        self._room(table, len(keys))
        for key in keys:
            if key not in table:
                table[key] = normalise_text(*key)
        return [table[key] for key in keys]

    def analysed(self, texts: pd.Series, masker: NameMasker | None,
                 default_language: str) -> tuple[pd.Series, list[str], list[str]]:
        """Normalised texts -> (masked texts, same index; their languages; their duplicate keys)."""
        table = self._analysed
        values = texts.tolist()
        self._room(table, len(values))
        fresh = list(dict.fromkeys(t for t in values if t not in table))
        if fresh:
            masked = mask_personal_data(pd.Series(fresh, dtype="object"), masker).tolist()
            for text, clean_text, lang in zip(fresh, masked, detect_languages(masked, default_language)):
                table[text] = (clean_text, lang, content_key(clean_text))
        results = [table[t] for t in values]
        return (pd.Series([r[0] for r in results], index=texts.index, dtype="object"),
                [r[1] for r in results], [r[2] for r in results])


@dataclass(frozen=True)
class PlausibleWindow:
    """Creation times outside ``[earliest, latest]`` are quarantined: a post dated 1900 or 2999 is a
    broken export, not a month of its own."""

    earliest: pd.Timestamp = pd.Timestamp(PLAUSIBLE_FROM, tz="UTC")  # Facebook did not exist before
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
    masker: NameMasker | None = None,
    timezone: str = "Europe/Brussels",
    dayfirst: bool = True,
    default_language: str = "nl",
    ingested_at: pd.Timestamp | None = None,
    plausible: PlausibleWindow | None = None,
    file_labels: dict[str, str] | None = None,
    memo: TextMemo | None = None,
) -> CleanResult:
    """Raw reader rows -> clean posts (store columns except thread and duplicate links).

    Rows the reader could not use (``problem``), rows whose time cannot be read or lies outside the
    ``plausible`` window, rows with negative or absurd counts, rows whose text is nothing but control
    characters and rows with neither id nor text are quarantined with a reason; rows without text
    (photo-only posts) are counted as skipped. ``thread_id`` is set to the source's thread id when
    given (else None), ``kind`` may still be None: :func:`link_threads` fills both.
    ``file_labels`` maps a file name as read to the name the store keeps (relative to the ingest
    root); without it only the file's own name is kept, never its folders. ``memo`` (see
    :class:`TextMemo`) carries the work done per distinct text from one chunk to the next; it must
    have been used with the same ``masker`` only.
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

    memo = memo if memo is not None else TextMemo()
    repair = kept["source"] != "dyi"  # DYI mojibake is repaired exactly by the reader; ftfy could guess wrong
    texts = pd.Series(memo.normalised([str(t) for t in kept["text"]], repair.tolist()), index=kept.index,
                      dtype="object")
    vanished = texts == ""
    if vanished.any():  # only invisible characters or spaces
        quarantined.append(quarantine_rows(kept[vanished], "text is empty once invisible characters are removed",
                                           file_labels))
        kept, created, post_ids, texts = kept[~vanished], created[~vanished], post_ids[~vanished], texts[~vanished]
        if kept.empty:
            return CleanResult(empty_posts(), pd.concat(quarantined, ignore_index=True), skipped)
    texts, languages, keys = memo.analysed(texts, masker, default_language)

    posts = pd.DataFrame(index=kept.index)
    posts["post_id"] = post_ids
    posts["parent_id"] = [namespaced_id(s, v) for s, v in zip(kept["source"], kept["parent_id"])]
    posts["thread_id"] = [namespaced_id(s, v) for s, v in zip(kept["source"], kept["thread_id"])]
    posts["kind"] = kept["kind"]
    posts["source"] = kept["source"]
    file_names = {f: scrub_file_name(source_label(str(f), file_labels), masker) for f in kept["source_file"].unique()}
    posts["source_file"] = kept["source_file"].map(file_names)
    posts["source_row"] = pd.array(kept["source_row"].astype("int64"), dtype="Int64")
    posts["group_name"] = kept["group_name"].map(lambda g: None if g is None or str(g).strip() == "" else str(g).strip())
    pseudonyms = {a: pseudonymise(str(a), salt) for a in kept["author"].dropna().unique()}
    posts["author_id"] = [pseudonyms.get(a) if a is not None else None for a in kept["author"]]
    # The pseudonym of the display name when the author is a platform id: `forget --author NAME` finds the rows.
    posts["author_alias"] = [pseudonymise(str(n), salt) if isinstance(n, str) and n and n != a else None
                             for n, a in zip(kept["author_name"], kept["author"])]
    posts["created_at"] = created.astype("datetime64[us, UTC]")
    posts["month"] = month_of(posts["created_at"], timezone)
    posts["text"] = texts
    posts["lang"] = languages
    for column in COUNT_COLUMNS:
        posts[column] = pd.array(pd.to_numeric(kept[column], errors="coerce"), dtype="Float64").round().astype("Int64")
    posts["url"] = kept["url"].map(lambda u: None if u is None or str(u).strip() == "" else scrub_url(str(u)))
    posts["content_hash"] = keys
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

