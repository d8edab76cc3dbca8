"""The invented municipality: its constants, the phrase bank, time and text helpers, the row types.

Nothing here is real: people, streets, phone numbers, e-mail addresses and IBANs are invented.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from importlib import resources
from itertools import accumulate
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from feedback_analysis.text_nl import to_ascii
from feedback_analysis.vocab import KINDS, REACTIONS  # noqa: F401 - part of the sample's vocabulary

TIMEZONE = ZoneInfo("Europe/Brussels")
SERVICES = (
    "afval", "wegen_mobiliteit", "parkeren", "groen", "overlast", "veiligheid", "dieren", "burgerzaken",
    "sociaal", "onderwijs", "vrije_tijd", "omgeving", "belastingen", "dienstverlening",
)
SENTIMENTS = ("positive", "negative", "neutral")
ABUSE_LEVELS = ("none", "offensive", "threat")
LANGUAGES = ("nl", "fr", "en")
CLOSURE_TOPIC = "burgerzaken_closed"
OFFICER_NAME = "Anaïs Claeys"  # the communication officer whose DYI archive is exported

SAMPLE_COLUMNS = (
    "post_id", "parent_id", "kind", "author", "created_at", "text", "group_name", "service", "sentiment",
    "abuse", "lang", "is_compliment", "topic_key", *(f"reactions_{name}" for name in REACTIONS),
    "share_count", "thread_id", "source",
)

# The hand-made CSV export and its column mapping (canonical name -> column in the file).
CSV_COLUMNS = ("Bericht ID", "Reactie op", "Naam", "Datum", "Bericht", "Groep", "Vind-ik-leuks", "Link")
CSV_COLUMN_MAPPING = {
    "post_id": "Bericht ID",
    "parent_id": "Reactie op",
    "author": "Naam",
    "created_at": "Datum",
    "text": "Bericht",
    "group": "Groep",
    "reactions_like": "Vind-ik-leuks",
    "url": "Link",
}
CSV_BAD_DATE = "32/13/{year} 25:61"
BENCHMARK_CSV_COLUMNS = ("id", "parent", "author", "date", "message", "likes")

_CHITCHAT_WEIGHT = 8.0
_CHITCHAT_SENTIMENT = {"negative": 0.2, "positive": 0.25, "neutral": 0.55}
_OFFENSIVE_RATE = 0.010
_THREAT_RATE = 0.003
_FRENCH_RATE = 0.05
_ENGLISH_RATE = 0.03
_REPOST_RATE = 0.008
_SCRAPER_SHARE = 0.55  # of citizens' threads; the rest goes to the CSV
_EXCEL_SERIAL_SHARE = 0.05
_EXCEL_EPOCH = datetime(1899, 12, 30)
_MB = 1_000_000  # benchmark sizes are in SI megabytes

# Diurnal rhythm of a Facebook group: quiet at night, busiest in the evening.
_HOUR_WEIGHTS = (1.2, 0.7, 0.4, 0.25, 0.2, 0.35, 0.9, 2.0, 3.0, 3.5, 3.6, 3.8,
                 4.2, 4.0, 3.8, 3.8, 4.0, 4.5, 5.0, 5.8, 6.2, 5.8, 4.2, 2.4)
_HOUR_CUM = tuple(accumulate(_HOUR_WEIGHTS))

# Who answers what: role weights for a comment, by the sentiment of what it answers.
_ROLE_WEIGHTS = {
    "negative": (("agree", 50), ("pushback", 16), ("tag", 9), ("answer", 6), ("joke", 5), ("drift", 6),
                 ("opinion", 8)),
    "positive": (("agree", 58), ("pushback", 13), ("tag", 10), ("joke", 6), ("drift", 6), ("opinion", 7)),
    "neutral": (("answer", 42), ("agree", 14), ("tag", 12), ("pm", 6), ("joke", 5), ("drift", 8),
                ("opinion", 13)),
}
_OPPOSITE = {"negative": "positive", "positive": "negative"}
_SLOT = re.compile(r"\{(\w+)\}")


@lru_cache(maxsize=1)
def _phrase_bank() -> dict[str, Any]:
    text = resources.files("feedback_analysis").joinpath("resources/sample_phrases.yaml").read_text("utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", to_ascii(text).lower()) or "gemeente"


def _stable_digits(text: str, digits: int) -> str:
    """Digits derived from a text, so ids do not depend on Python's hash seed."""
    value = int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16)
    return str(value % 10 ** digits).zfill(digits)


def _month_list(end_month: str, months: int) -> list[tuple[int, int]]:
    match = re.fullmatch(r"(\d{4})-(\d{2})", end_month)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"end_month must look like 2026-10, got {end_month!r}")
    if months < 1:
        raise ValueError(f"months must be at least 1, got {months}")
    index = int(match.group(1)) * 12 + int(match.group(2)) - 1
    return [(i // 12, i % 12 + 1) for i in range(index - months + 1, index + 1)]


def _unambiguous(ts: int) -> int:
    """Move a moment out of the repeated hour of the autumn clock change.

    Local naive times in the CSV and scraper exports would otherwise be ambiguous.
    """
    while True:
        naive = datetime.fromtimestamp(ts, TIMEZONE).replace(tzinfo=None)
        if naive.replace(tzinfo=TIMEZONE, fold=0).utcoffset() == naive.replace(tzinfo=TIMEZONE, fold=1).utcoffset():
            return ts
        ts += 3600


def _local_ts(naive: datetime) -> int:
    return _unambiguous(int(naive.replace(tzinfo=TIMEZONE).timestamp()))


def _local_text(ts: int, pattern: str = "%Y-%m-%d %H:%M:%S") -> str:
    return datetime.fromtimestamp(ts, TIMEZONE).strftime(pattern)


def _mojibake(value: Any) -> Any:
    """Write strings the way DYI archives do: every UTF-8 byte as its own character."""
    if isinstance(value, str):
        return value.encode("utf-8").decode("latin-1")
    if isinstance(value, list):
        return [_mojibake(item) for item in value]
    if isinstance(value, dict):
        return {key: _mojibake(item) for key, item in value.items()}
    return value


def _word_pattern(choices: dict[str, list[str]]) -> tuple[re.Pattern[str], dict[str, list[str]]]:
    """One regex matching any of the words (longest first), to replace them in one pass."""
    words = sorted(choices, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w'])(?:" + "|".join(re.escape(word) for word in words) + r")(?![\w'])")
    return pattern, choices


def _swap_words(table: tuple[re.Pattern[str], dict[str, list[str]]], text: str, rng: random.Random,
                chance: float) -> str:
    pattern, choices = table

    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        return rng.choice(choices[word]) if rng.random() < chance else word

    return pattern.sub(swap, text)


def _cp1252(text: str) -> str:
    """What survives a save as Windows-1252: emoji and other characters become '?'."""
    return text.encode("cp1252", errors="replace").decode("cp1252")


@dataclass(slots=True, eq=False)
class _Row:
    seq: int
    kind: str
    author: str
    ts: int
    text: str
    service: str
    sentiment: str
    topic_key: str
    role: str = "post"
    parent: _Row | None = None
    root: _Row | None = None
    abuse: str = "none"
    lang: str = "nl"
    is_compliment: bool = False
    reactions: dict[str, int] = field(default_factory=dict)
    shares: int = 0
    source: str = ""
    post_id: str = ""
    other: str = ""  # DYI only: whose post the officer answered (appears in the title)
    mention: str = ""  # full name tagged in the text, who may answer

    @property
    def thread(self) -> _Row:
        return self.root or self


@dataclass(slots=True)
class _Month:
    year: int
    month: int
    age: int  # months before the last month
    start_ts: int
    end_ts: int
    days: int
    services: tuple[str, ...]
    service_cum: tuple[float, ...]
    sentiment: dict[str, dict[str, float]]
    family_factor: dict[str, float]

