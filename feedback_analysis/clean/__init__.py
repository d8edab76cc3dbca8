"""Cleaning: raw reader rows -> clean, masked, typed posts (see ``schema.PostsSchema``), and the privacy
rules that apply on the way.

- ``timestamps``: every export's dates -> UTC; the month of a post.
- ``text``: repaired, normalised text, link placeholders, language, ids and the duplicate key.
- ``pii``, ``name_words``, ``names``: personal data out of texts (numbers and addresses, then names).
- ``pseudonyms``: salted author ids; links and file names without people's names.
- ``rows``: :func:`clean_rows`, the cleaning step that applies all of the above to a chunk.
- ``threads``: parent links, kinds and copy-paste duplicates over the whole store.

Pure functions over DataFrames; the salt file behind :func:`load_or_create_salt` belongs to the store.
"""

from feedback_analysis.clean.names import NameMasker, mask_personal_data
from feedback_analysis.clean.pii import PLACEHOLDERS, mask_addresses, mask_pii
from feedback_analysis.clean.pseudonyms import load_or_create_salt, pseudonymise, scrub_file_name, scrub_url
from feedback_analysis.clean.rows import (
    MAX_COUNT,
    QUARANTINE_COLUMNS,
    CleanResult,
    PlausibleWindow,
    TextMemo,
    clean_rows,
    empty_posts,
    empty_quarantine,
    names_in,
    quarantine_rows,
    source_label,
    strip_controls,
)
from feedback_analysis.clean.text import (
    content_key,
    detect_language,
    detect_languages,
    hashed_id,
    id_namespace,
    link_placeholder,
    namespaced_id,
    normalise_text,
)
from feedback_analysis.clean.threads import link_threads, mark_duplicates
from feedback_analysis.clean.timestamps import month_of, parse_timestamps

__all__ = [
    "MAX_COUNT", "PLACEHOLDERS", "QUARANTINE_COLUMNS", "CleanResult", "NameMasker", "PlausibleWindow", "TextMemo", "clean_rows",
    "content_key", "detect_language", "detect_languages", "empty_posts", "empty_quarantine", "hashed_id",
    "id_namespace", "link_placeholder", "link_threads", "load_or_create_salt", "mark_duplicates", "mask_addresses",
    "mask_personal_data", "mask_pii", "month_of", "names_in", "namespaced_id", "normalise_text", "parse_timestamps",
    "pseudonymise", "quarantine_rows", "scrub_file_name", "scrub_url", "source_label", "strip_controls",
]
