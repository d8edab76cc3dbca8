"""Authors as stable salted ids, and links and file names without people's names.

The salt file itself is read and written by the store (:mod:`feedback_analysis.store.salt`).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from functools import cache
from pathlib import Path

from feedback_analysis.clean.name_words import _WHITESPACE
from feedback_analysis.clean.names import NameMasker
from feedback_analysis.clean.pii import PLACEHOLDERS, mask_pii


def load_or_create_salt(path: Path) -> bytes:
    """Read the pseudonym salt, or create it on first use (the file is the store's: see
    :func:`feedback_analysis.store.salt.load_or_create_salt`)."""
    from feedback_analysis.store.salt import load_or_create_salt as load

    return load(path)


def pseudonymise(value: str | None, salt: bytes) -> str | None:
    """Salted, stable pseudonym for an author's name or id.

    In: the value and the salt. Out: ``'a_'`` + the first 16 hex characters of
    HMAC-SHA256(salt, value), where the value is first normalised (Unicode NFC, stripped, inner
    whitespace collapsed, casefolded) so that 'Jan Peeters ' and 'jan  peeters' get the same id.
    None, NaN and blank values give None.
    """
    if not isinstance(value, str):
        return None
    normalised = _WHITESPACE.sub(" ", unicodedata.normalize("NFC", value)).strip().casefold()
    if not normalised:
        return None
    digest = hmac.new(salt, normalised.encode("utf-8"), hashlib.sha256).hexdigest()
    return "a_" + digest[:16]


# --- links and file names -------------------------------------------------------------------------

# First path segments of facebook.com links that are not a person's username.
_FACEBOOK_PATHS = frozenset(
    """
    groups pages permalink.php story.php photo.php photo photos posts videos video.php watch events
    share sharer.php l.php reel reels hashtag media notes marketplace fundraisers gaming
    """.split()
)
_FACEBOOK_HOSTS = ("facebook.com", "fb.com", "fb.me", "m.facebook.com", "web.facebook.com", "mbasic.facebook.com")
_DYI_ARCHIVE_NAME = re.compile(r"(?i)(facebook-)(?!\[NAME\])([^/!\\]+?)(-\d{1,2}[-_]\d{1,2}[-_]\d{2,4}|-\d{4}[-_]\d{2}[-_]\d{2})")


def scrub_url(url: str | None) -> str | None:
    """A link without what may identify a person: query strings are dropped (tracking ids, e-mail
    addresses, ``profile.php?id=``), and a Facebook username in the path becomes ``[NAME]``.

    ``https://www.facebook.com/jan.peeters/posts/123?__cft__=x`` -> ``https://www.facebook.com/[NAME]/posts/123``;
    group, page and post links keep their numeric ids.
    """
    if not url:
        return url
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    path = parts.path
    if host.endswith(_FACEBOOK_HOSTS) or host in _FACEBOOK_HOSTS:
        segments = path.split("/")
        if len(segments) > 1 and segments[1] and not segments[1].isdigit() and segments[1].lower() not in _FACEBOOK_PATHS:
            segments[1] = PLACEHOLDERS["name"]
        path = "/".join(segments)
    path = mask_pii(path)
    return urlunsplit((parts.scheme, parts.netloc.split("@")[-1], path, "", ""))


_FILE_NAME_SEPARATORS = re.compile(r"[_.+\-]")


@cache
def _default_masker() -> NameMasker:
    return NameMasker(())


def scrub_file_name(name: str, masker: NameMasker | None = None) -> str:
    """A source file name without the account name Facebook puts in DYI archive names
    (``facebook-sofie.vandamme-2024-01-31-abc.zip``) and without people's names
    (``reacties_Sofie_Janssens.csv`` -> ``reacties_[NAME].csv``): names known in the batch and first
    names with their surname, with ``_ - . +`` read as spaces."""
    name = _DYI_ARCHIVE_NAME.sub(lambda m: f"{m.group(1)}{PLACEHOLDERS['name']}{m.group(3)}", name)
    masker = masker or _default_masker()
    spaced = _FILE_NAME_SEPARATORS.sub(" ", name)  # same length: spans hold for both
    pieces: list[str] = []
    position = 0
    for start, end in masker.name_spans(spaced):
        if spaced[start:end].strip().lower() in ("csv", "json", "jsonl", "xlsx", "zip", "txt", "tsv"):
            continue
        pieces += [name[position:start], PLACEHOLDERS["name"]]
        position = end
    return "".join(pieces) + name[position:] if pieces else name
