"""Synthetic exports of an invented Flemish municipality's Facebook group, for the demo, tests and benchmarks.

Nothing here is real: people, streets, phone numbers, e-mail addresses and IBANs are invented.
Everything is deterministic for a seed: the same arguments give byte-identical files.

- :func:`generate_sample_posts` builds the ground truth, one row per post, comment or reply, with the
  labels later stages are measured against (service, sentiment, abuse, language, compliment, topic).
- :func:`write_sample_exports` spreads that ground truth over three export formats (a DYI archive
  folder, facebook-scraper JSON lines, and a hand-made Windows-1252 CSV with its column mapping).
- :func:`write_benchmark_csv` and :func:`write_benchmark_dyi_json` stream large files for ingest benchmarks.

The phrase bank (Flemish tussentaal, with French and English) is ``resources/sample_phrases.yaml``.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import random
import re
import unicodedata
from bisect import bisect
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from importlib import resources
from itertools import accumulate
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import yaml

TIMEZONE = ZoneInfo("Europe/Brussels")
SERVICES = (
    "afval", "wegen_mobiliteit", "parkeren", "groen", "overlast", "veiligheid", "dieren", "burgerzaken",
    "sociaal", "onderwijs", "vrije_tijd", "omgeving", "belastingen", "dienstverlening",
)
SENTIMENTS = ("positive", "negative", "neutral")
ABUSE_LEVELS = ("none", "offensive", "threat")
LANGUAGES = ("nl", "fr", "en")
KINDS = ("post", "comment", "reply")
REACTIONS = ("like", "love", "care", "haha", "wow", "sad", "angry")  # same order as schema.REACTIONS
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
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "", ascii_text.lower()) or "gemeente"


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


class _Generator:
    """Builds the ground-truth rows; all randomness comes from one ``random.Random``."""

    def __init__(self, seed: int, municipality: str) -> None:
        self.bank = _phrase_bank()
        self.rng = random.Random(seed)
        self.municipality = municipality
        self.group = f"Ge zijt van {municipality} als\u2026"
        self.domain = f"{_slug(municipality)}.be"
        self.rows: list[_Row] = []
        self.end_year = 2026  # set from end_month by generate()
        self.window_end = 0  # first moment after the sample, set by generate()
        self._seq = 0
        self._reposts: list[_Row] = []
        self._typos = _word_pattern(self.bank["typos"])
        self._variants = _word_pattern(self.bank["variants"])
        digits = self.rng.randrange(100_000, 999_999)
        self.tel_gemeente = f"053 {str(digits)[:2]} {str(digits)[2:4]} {str(digits)[4:]}"
        self._build_people()
        self._slots = {
            "gemeente": lambda: municipality,
            "domein": lambda: self.domain,
            "website": lambda: f"www.{self.domain}",
            "tel_gemeente": lambda: self.tel_gemeente,
            "officer": lambda: OFFICER_NAME.split()[0],
            "n": lambda: str(self.rng.randint(2, 5)),
            "uur": self._hour_text,
            "bedrag": self._amount,
            "tel": self._phone,
            "email": self._email,
            "iban": self._iban,
            "rrn": self._national_number,
            "lijn": lambda: self.rng.choice(("lijn ", "", "")) + str(self.rng.randint(11, 98)),
            "datum": lambda: f"{self.rng.randint(1, 28)} {self.rng.choice(self.bank['slots']['maand'])}",
            "jaar": lambda: str(self.end_year),
            "naam": lambda: self._person().split()[0],
            "ouder": lambda: self._person().split()[0],
            "mention": lambda: self._person(),
        }

    # -- people -------------------------------------------------------------------------------
    def _build_people(self) -> None:
        names = self.bank["names"]
        rng = self.rng

        def combos(first: str, last: str, count: int) -> list[str]:
            pool = [f"{given} {family}" for given in names[first] for family in names[last]]
            return rng.sample(pool, min(count, len(pool)))

        citizens = combos("first_nl", "last_nl", 520)
        for origin in names["origins"]:
            pool = [f"{given} {family}" for given in origin["first"] for family in origin["last"]]
            citizens += rng.sample(pool, min(18, len(pool)))
        citizens = [name for name in citizens if name != OFFICER_NAME]
        rng.shuffle(citizens)
        self.citizens = citizens
        # A few people write most of the posts, as in every group.
        self.citizen_cum = tuple(accumulate(1.0 / (rank + 3) ** 0.8 for rank in range(len(citizens))))
        self.french = combos("first_fr", "last_fr", 40)
        self.english = combos("first_en", "last_en", 16)

    def _person(self, lang: str = "nl", avoid: str = "") -> str:
        rng = self.rng
        for _ in range(5):
            if lang == "fr" and rng.random() < 0.7:
                name = rng.choice(self.french)
            elif lang == "en" and rng.random() < 0.8:
                name = rng.choice(self.english)
            else:
                name = self.citizens[bisect(self.citizen_cum, rng.random() * self.citizen_cum[-1])]
            if name != avoid:
                return name
        return name

    # -- slot values ----------------------------------------------------------------------------
    def _hour_text(self) -> str:
        hour = self.rng.randint(8, 18)
        return f"{hour}u" if self.rng.random() < 0.6 else f"{hour}u{self.rng.choice((15, 30, 45))}"

    def _amount(self) -> str:
        rng = self.rng
        value = rng.choice((15, 25, 35, 45, 58, 75, 90, 120, 150, 185, 240, 350))
        pattern = rng.choice(("€ {v}", "{v} euro", "€{v},50", "{v},00 EUR", "{v}€", "€ {v},-"))
        return pattern.format(v=value)

    def _phone(self) -> str:
        rng = self.rng
        d = [str(rng.randrange(10)) for _ in range(8)]
        mobile = f"04{rng.choice('5789')}{d[0]}"
        choice = rng.randrange(6)
        if choice == 0:
            return f"{mobile} {d[1]}{d[2]} {d[3]}{d[4]} {d[5]}{d[6]}"
        if choice == 1:
            return f"{mobile}/{d[1]}{d[2]}.{d[3]}{d[4]}.{d[5]}{d[6]}"
        if choice == 2:
            return f"+32 {mobile[1:]} {d[1]}{d[2]} {d[3]}{d[4]} {d[5]}{d[6]}"
        if choice == 3:
            return f"+32 9 {d[1]}{d[2]}{d[3]} {d[4]}{d[5]} {d[6]}{d[7]}"
        if choice == 4:
            return f"053 {d[1]}{d[2]} {d[3]}{d[4]} {d[5]}{d[6]}"
        return f"{mobile}{d[1]}{d[2]}{d[3]}{d[4]}{d[5]}{d[6]}"

    def _email(self) -> str:
        first, _, last = self._person().partition(" ")
        first, last = _slug(first), _slug(last)
        domain = self.rng.choice(self.bank["slots"]["mail_domains"])
        form = self.rng.randrange(3)
        if form == 0:
            return f"{first}.{last}@{domain}"
        if form == 1:
            return f"{first}{last}{self.rng.randint(60, 99)}@{domain}"
        return f"{first[0]}{last}@{domain}"

    def _iban(self) -> str:
        account = f"{self.rng.randrange(10 ** 9, 10 ** 10)}"
        check = int(account) % 97 or 97
        bban = f"{account}{check:02d}"
        iban_check = 98 - int(f"{bban}111400") % 97  # B=11, E=14, then "00"
        iban = f"BE{iban_check:02d}{bban}"
        return " ".join(iban[i:i + 4] for i in range(0, 16, 4))

    def _national_number(self) -> str:
        rng = self.rng
        born = f"{rng.randint(50, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        serial = f"{rng.randint(1, 997):03d}"
        check = 97 - int(born + serial) % 97
        return f"{born[:2]}.{born[2:4]}.{born[4:]}-{serial}.{check:02d}"

    def render(self, template: str, ctx: dict[str, str] | None = None) -> str:
        ctx = ctx or {}
        slots = self.bank["slots"]

        def fill(match: re.Match[str]) -> str:
            name = match.group(1)
            key = name.lower()
            if key in ctx:
                value = ctx[key]
            elif key in self._slots:
                value = self._slots[key]()
            else:
                value = self.rng.choice(slots[key])
            if "{" in value:
                value = self.render(value, ctx)
            return value[:1].upper() + value[1:] if name[0].isupper() else value

        return _SLOT.sub(fill, template)

    # -- how people write -----------------------------------------------------------------------
    def roughen(self, text: str, sentiment: str, frame: float = 0.0) -> str:
        """Word choice, typos, case, punctuation and emoji as people type them.

        ``frame`` is the chance of an opening and (separately) a closing phrase, for posts.
        """
        rng = self.rng
        bank = self.bank
        if frame and rng.random() < frame:
            opener = self.render(rng.choice(bank["openers"][sentiment]))
            if not opener.endswith((":", "!", ".", "?")):
                text = text[:1].lower() + text[1:]
            text = f"{opener} {text}"
        if frame and rng.random() < frame:
            if text[-1:].isalnum():
                text += rng.choice((".", "!", "!!", "", ".."))
            text = f"{text} {self.render(rng.choice(bank['closers'][sentiment]))}"
        text = _swap_words(self._variants, text, rng, 0.4)
        if rng.random() < 0.4:
            text = _swap_words(self._typos, text, rng, 0.35)
        if len(text) > 90 and rng.random() < 0.15:
            text = re.sub(r"([.!?]) ", r"\1\n", text, count=1)
        roll = rng.random()
        if sentiment == "negative" and roll < 0.04:
            text = text.upper()
        elif roll < 0.12:
            text = text.lower()
        elif roll < 0.35:
            text = text[:1].lower() + text[1:]
        if sentiment == "negative" and rng.random() < 0.25:
            text = text.rstrip(".!") + rng.choice(("!!", "!!!", "!!!!", " !!", "?!"))
        elif text.endswith(".") and rng.random() < 0.4:
            text = text[:-1]
        if rng.random() < 0.16:
            emoji = rng.choice(bank["slots"][{"negative": "emoji_neg", "positive": "emoji_pos"}.get(sentiment, "emoji_neu")])
            text = f"{text} {emoji * rng.choice((1, 1, 2, 3))}"
        if rng.random() < 0.05:
            text = text.replace(", ", ",")
        return text

    # -- months ---------------------------------------------------------------------------------
    def plan_month(self, year: int, month: int, age: int) -> _Month:
        bank = self.bank
        start = _local_ts(datetime(year, month, 1))
        next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
        end = _local_ts(datetime(next_year, next_month, 1))
        days = (datetime(next_year, next_month, 1) - datetime(year, month, 1)).days
        weights, moods, families = [], {}, {}
        for service in SERVICES:
            spec = bank["services"][service]
            changes = [bank["seasonal"].get(service, {}).get(month, {}),
                       bank["trend"].get(service, {}).get(age, {})]
            volume = spec["weight"]
            mood = dict(spec["sentiment"])
            for change in changes:
                volume *= change.get("volume", 1.0)
                for sentiment in SENTIMENTS:
                    mood[sentiment] *= change.get(sentiment, 1.0)
                for family, factor in change.get("families", {}).items():
                    families[family] = families.get(family, 1.0) * factor
            weights.append(volume)
            moods[service] = mood
        weights.append(_CHITCHAT_WEIGHT)
        moods[""] = dict(_CHITCHAT_SENTIMENT)
        return _Month(year, month, age, start, end, days, (*SERVICES, ""), tuple(accumulate(weights)),
                      moods, families)

    def _pick(self, weights: dict[str, float]) -> str:
        keys = list(weights)
        return self.rng.choices(keys, weights=[weights[key] for key in keys])[0]

    def _moment(self, month: _Month, first_day: int = 0, hours: tuple[int, int] | None = None) -> int:
        rng = self.rng
        day = rng.randrange(first_day, month.days)
        if hours:
            hour = rng.randint(*hours)
        else:
            hour = bisect(_HOUR_CUM, rng.random() * _HOUR_CUM[-1])
        naive = datetime(month.year, month.month, 1) + timedelta(
            days=day, hours=hour, minutes=rng.randrange(60), seconds=rng.randrange(60))
        return _local_ts(naive)

    def _after(self, parent_ts: int, median_minutes: float) -> int:
        delay = max(30, int(math.exp(self.rng.gauss(math.log(median_minutes * 60), 1.4))))
        ts = _unambiguous(parent_ts + delay)
        if ts >= self.window_end - 60:
            room = max(1, self.window_end - 60 - parent_ts)
            ts = parent_ts + self.rng.randint(min(30, room), room)
        return ts

    # -- rows ------------------------------------------------------------------------------------
    def _add(self, **values: Any) -> _Row:
        self._seq += 1
        row = _Row(seq=self._seq, **values)
        self.rows.append(row)
        return row

    def _language(self) -> str:
        roll = self.rng.random()
        return "fr" if roll < _FRENCH_RATE else "en" if roll < _FRENCH_RATE + _ENGLISH_RATE else "nl"

    def _abuse(self) -> str:
        roll = self.rng.random()
        return "offensive" if roll < _OFFENSIVE_RATE else "threat" if roll < _OFFENSIVE_RATE + _THREAT_RATE else "none"

    def _abusive_text(self, level: str, service: str) -> tuple[str, str]:
        options = self.bank["abuse"][level]
        if service not in options:
            service = self.rng.choice(list(options))
        return self.roughen(self.render(self.rng.choice(options[service])), "negative", frame=0.25), service

    def _family(self, families: dict[str, list[str]], factors: dict[str, float]) -> tuple[str, str]:
        names = list(families)
        name = self.rng.choices(names, weights=[factors.get(n, 1.0) for n in names])[0]
        return name, self.rng.choice(families[name])

    def _foreign(self, lang: str, service: str, sentiment: str, ctx: dict[str, str]) -> tuple[str, str]:
        bank = self.bank["foreign"][lang]
        if not service:
            return self.render(self.rng.choice(bank["chitchat"][sentiment]), ctx), f"chitchat_{lang}"
        ctx = {**ctx, "thing": self.rng.choice(self.bank["services"][service][lang])}
        text = self.render(self.rng.choice(bank[sentiment]), ctx)
        if self.rng.random() < 0.1:
            text = text.lower()
        return text, f"{service}_{lang}"

    def post_content(self, month: _Month | None, service: str, sentiment: str,
                     lang: str) -> tuple[str, str, bool, str]:
        """Text, topic key, compliment flag and (possibly changed) sentiment of a new citizen post."""
        rng = self.rng
        factors = month.family_factor if month else {}
        if lang != "nl":
            if not service:
                sentiment = "neutral" if sentiment == "negative" else sentiment
            text, topic = self._foreign(lang, service, sentiment, {})
            return text, topic, False, sentiment
        if not service:
            topic, template = self._family(self.bank["chitchat"][sentiment], factors)
            return self.roughen(self.render(template), sentiment, frame=0.45), topic, False, sentiment
        spec = self.bank["services"][service]
        compliment = sentiment == "positive" and "compliments" in spec and rng.random() < 0.45
        families = spec["compliments"] if compliment else spec["posts"][sentiment]
        topic, template = self._family(families, factors)
        ctx = {"staff": rng.choice(spec["staff"]), "dienst": rng.choice(spec["dienst"])}
        text = self.roughen(self.render(template, ctx), sentiment, frame=0.5)
        return text, topic, compliment, sentiment

    def citizen_post(self, month: _Month) -> None:
        rng = self.rng
        if self._reposts and rng.random() < _REPOST_RATE:
            self._repost(month)
            return
        service = month.services[bisect(month.service_cum, rng.random() * month.service_cum[-1])]
        sentiment = self._pick(month.sentiment[service])
        lang = self._language()
        abuse = self._abuse() if lang == "nl" else "none"
        compliment = False
        if abuse != "none":
            sentiment = "negative"
            text, service = self._abusive_text(abuse, service)
            topic = f"abuse_{abuse}"
        else:
            text, topic, compliment, sentiment = self.post_content(month, service, sentiment, lang)
        post = self._add(kind="post", author=self._person(lang), ts=self._moment(month), text=text,
                         service=service, sentiment=sentiment, topic_key=topic, abuse=abuse, lang=lang,
                         is_compliment=compliment)
        if lang == "nl" and len(text) >= 40 and abuse == "none":
            self._reposts.append(post)
        self._thread(post)

    def _repost(self, month: _Month) -> None:
        """An exact copy-paste of an earlier post (a share chain, or someone posting it again)."""
        original = self.rng.choice(self._reposts)
        author = original.author if self.rng.random() < 0.4 else self._person()
        ts = max(original.ts + 3600, self._moment(month))
        if ts >= self.window_end - 60:
            ts = self._after(original.ts, 60)
        post = self._add(kind="post", author=author, ts=ts, text=original.text, service=original.service,
                         sentiment=original.sentiment, topic_key=original.topic_key, lang=original.lang,
                         is_compliment=original.is_compliment)
        self._thread(post)

    def closure_post(self, month: _Month, first_day: int) -> None:
        rng = self.rng
        closure = self.bank["closure"]
        lang = self._language()
        if lang == "nl":
            text = self.roughen(self.render(rng.choice(closure["posts"])), "negative", frame=0.5)
        else:
            text = self.render(rng.choice(closure[lang]))
        post = self._add(kind="post", author=self._person(lang), ts=self._moment(month, first_day), text=text,
                         service="burgerzaken", sentiment="negative", topic_key=CLOSURE_TOPIC, lang=lang)
        self._thread(post)

    # -- threads ---------------------------------------------------------------------------------
    def _poisson(self, mean: float) -> int:
        limit, count, product = math.exp(-min(mean, 30.0)), 0, self.rng.random()
        while product > limit:
            count += 1
            product *= self.rng.random()
        return count

    def _thread(self, post: _Row) -> None:
        mean = {"negative": 1.8, "positive": 1.0, "neutral": 1.3}[post.sentiment]
        if post.topic_key == CLOSURE_TOPIC or post.abuse != "none":
            mean = 2.8
        elif not post.service:
            mean = 1.0
        # Gamma-Poisson: most posts get a few reactions, some threads run long.
        for _ in range(self._poisson(self.rng.gammavariate(1.2, mean / 1.2))):
            comment = self._comment(post, post, "comment")
            replies = {"pushback": 0.9, "answer": 0.55, "tag": 0.5}.get(comment.role, 0.3)
            for _ in range(self._poisson(replies)):
                self._comment(post, comment, "reply")

    def _comment(self, root: _Row, parent: _Row, kind: str) -> _Row:
        rng = self.rng
        author = self._person(root.lang, avoid=parent.author)
        ts = self._after(parent.ts, 45 if kind == "comment" else 25)
        abuse = self._abuse()
        if abuse != "none":
            text, service = self._abusive_text(abuse, root.service)
            values = {"text": text, "service": service, "sentiment": "negative", "topic_key": f"abuse_{abuse}",
                      "role": "abuse"}
        else:
            role = self._role(parent)
            if role == "thanks" or (role == "defend" and parent.author != root.author):
                author = root.author
            if role == "tag_reply" and parent.mention:
                author = parent.mention
            values = self._comment_content(root, parent, role)
        likes = self._count(2.5 if values["role"] in ("agree", "abuse") else 1.2)
        reactions = {"like": likes}
        if values["sentiment"] == "positive" and rng.random() < 0.3:
            reactions["love"] = self._count(1.5)
        if values["role"] == "joke" and rng.random() < 0.5:
            reactions["haha"] = self._count(2)
        return self._add(kind=kind, author=author, ts=ts, parent=parent, root=root, abuse=abuse,
                         reactions=reactions, **values)

    def _role(self, parent: _Row) -> str:
        rng = self.rng
        if parent.kind != "post":
            special = {"answer": ("thanks", 0.55), "pushback": ("defend", 0.45), "tag": ("tag_reply", 0.7)}
            if parent.role in special and rng.random() < special[parent.role][1]:
                return special[parent.role][0]
        if parent.lang != "nl" and parent.kind == "post" and rng.random() < 0.12:
            return "language"
        roles, weights = zip(*_ROLE_WEIGHTS[parent.sentiment])
        return rng.choices(roles, weights=weights)[0]

    def _comment_content(self, root: _Row, parent: _Row, role: str) -> dict[str, Any]:
        rng = self.rng
        bank = self.bank
        generic = bank["generic"]
        service = root.service
        spec = bank["services"].get(service, {})
        ctx = {"ouder": parent.author.split()[0]}
        if spec:
            ctx.update(staff=rng.choice(spec["staff"]), dienst=rng.choice(spec["dienst"]))
        lang = root.lang if root.lang != "nl" and rng.random() < 0.55 else self._comment_language()
        sentiment = parent.sentiment
        compliment = False
        topic = role
        mention = ""

        if role == "pushback" and sentiment == "neutral" or role == "opinion" and not service:
            role = "agree"
        if role == "drift":
            service = rng.choice(SERVICES)
            spec = bank["services"][service]
            sentiment = "negative" if rng.random() < 0.7 else "positive"
            ctx.update(staff=rng.choice(spec["staff"]), dienst=rng.choice(spec["dienst"]))
            if rng.random() < 0.5:
                template, topic = rng.choice(spec["comments"][sentiment]), f"{service}_comment"
            else:
                topic, template = self._family(spec["posts"][sentiment], {})
            lang = "nl"
        elif role == "opinion":
            mood = {key: value for key, value in spec["sentiment"].items() if key != "neutral"}
            sentiment = self._pick(mood)
            template, topic = rng.choice(spec["comments"][sentiment]), f"{service}_comment"
        elif role in ("agree", "pushback", "defend"):
            if role == "pushback":
                sentiment = _OPPOSITE[sentiment]
            elif role == "defend":
                sentiment = root.sentiment
            template, topic, compliment = self._stance_template(root, role, sentiment, lang)
        elif role == "answer":
            sentiment = "neutral"
            if spec and rng.random() < 0.6:
                template, topic = rng.choice(spec["comments"]["neutral"]), f"{service}_answer"
            else:
                template = rng.choice(generic["answer"])
            if lang != "nl":
                template, topic = rng.choice(bank["foreign"][lang]["agree"]["neutral"]), f"answer_{lang}"
        else:  # tag, tag_reply, pm, thanks, joke, language: no opinion about a service
            sentiment = "positive" if role == "thanks" else "neutral"
            service, lang = "", "nl"
            template = rng.choice(generic[role])
            if role == "tag":
                mention = self._person(avoid=parent.author)
                ctx["mention"] = mention
        if lang != "nl" and role not in ("agree", "pushback", "answer", "defend"):
            lang = "nl"
        text = self.render(template, ctx)
        if role in ("agree", "pushback", "defend", "answer", "opinion") and rng.random() < 0.18:
            # People address whom they answer, by first name or with a tag.
            text = (f"@{parent.author} {text}" if rng.random() < 0.4
                    else f"{parent.author.split()[0]}, {text[:1].lower()}{text[1:]}")
        if lang == "nl":
            text = self.roughen(text, sentiment)
        elif rng.random() < 0.3:
            text = text.lower() if rng.random() < 0.5 else f"{text} {rng.choice(('!', '...', '🙂', '👍', '😕'))}"
        if role in ("tag", "tag_reply", "pm", "thanks", "joke", "language"):
            service = ""
        return {"text": text, "service": service, "sentiment": sentiment, "topic_key": topic, "role": role,
                "lang": lang, "is_compliment": compliment, "mention": mention}

    def _comment_language(self) -> str:
        roll = self.rng.random()
        return "fr" if roll < 0.04 else "en" if roll < 0.065 else "nl"

    def _stance_template(self, root: _Row, role: str, sentiment: str, lang: str) -> tuple[str, str, bool]:
        """A comment that agrees with, pushes back on, or defends a post: template, topic, compliment."""
        rng = self.rng
        bank = self.bank
        generic = bank["generic"]
        spec = bank["services"].get(root.service, {})
        if lang != "nl":
            kind = "pushback" if role == "pushback" else "agree"
            return rng.choice(bank["foreign"][lang][kind][sentiment]), f"{kind}_{lang}", False
        if role == "defend":
            return rng.choice(generic["defend"]), "defend", False
        if root.topic_key == CLOSURE_TOPIC and sentiment != "neutral" and rng.random() < 0.6:
            options = bank["closure"]["comments" if sentiment == "negative" else "pushback"]
            return rng.choice(options), CLOSURE_TOPIC, False
        if role == "agree" and sentiment == "positive" and "compliments" in spec and rng.random() < 0.2:
            topic, template = self._family(spec["compliments"], {})
            return template, topic, True
        if spec and rng.random() < 0.45:
            options = spec["pushback" if role == "pushback" else "comments"].get(sentiment)
            if options:
                return rng.choice(options), f"{root.service}_{role}", False
        return rng.choice(generic["pushback" if role == "pushback" else "agree"][sentiment]), role, False

    # -- the officer (DYI) -----------------------------------------------------------------------
    def officer_post(self, month: _Month, kind: str = "info", first_day: int = 0) -> None:
        rng = self.rng
        officer = self.bank["officer"]
        sentiment = "neutral"
        if kind == "poll":
            service, template, topic = "vrije_tijd", rng.choice(officer["poll"]), "officer_poll"
        elif kind == "closure":
            service, template, topic = "burgerzaken", rng.choice(self.bank["closure"]["officer"]), CLOSURE_TOPIC
        elif rng.random() < 0.15:
            service = rng.choice(list(officer["positive"]))
            template, topic, sentiment = rng.choice(officer["positive"][service]), "officer_news", "positive"
        else:
            service = rng.choice(list(officer["posts"]))
            template, topic = rng.choice(officer["posts"][service]), "officer_info"
        text = self.render(template)
        if kind == "info" and rng.random() < 0.6:
            text = f"{rng.choice(officer['openers'])} {text}"
        if kind == "info" and rng.random() < 0.6:
            text = f"{text} {self.render(rng.choice(officer['closers']))}"
        self._add(kind="post", author=OFFICER_NAME, ts=self._moment(month, first_day, hours=(8, 17)),
                  text=text, service=service, sentiment=sentiment, topic_key=topic,
                  reactions={"like": self._count(9), "love": self._count(1)}, shares=self._count(3))

    def officer_comment(self, month: _Month) -> None:
        rng = self.rng
        other = self._person()
        service = rng.choice(SERVICES)
        spec = self.bank["services"][service]
        sentiment = "positive" if rng.random() < 0.15 else "neutral"
        template = rng.choice(self.bank["officer"]["comments"][sentiment])
        ctx = {"ouder": other.split()[0], "dienst": rng.choice(spec["dienst"])}
        self._add(kind="comment", author=OFFICER_NAME, ts=self._moment(month, hours=(8, 18)),
                  text=self.render(template, ctx), service=service, sentiment=sentiment,
                  topic_key="officer_reply", role="officer", other=other)

    # -- counts ----------------------------------------------------------------------------------
    def _count(self, mean: float) -> int:
        return int(self.rng.expovariate(1.0 / mean)) if mean > 0 else 0

    def post_reactions(self, post: _Row) -> None:
        if post.reactions:
            return
        count = self._count
        viral = 4.0 if self.rng.random() < 0.04 else 1.0
        sentiment = post.sentiment
        reactions = {
            "like": count({"negative": 6, "positive": 14, "neutral": 3}[sentiment] * viral),
            "love": count((4 if post.is_compliment else 2) * viral) if sentiment == "positive" else count(0.2),
            "care": count(1.2) if sentiment != "neutral" else 0,
            "haha": count(1.5 if not post.service else 0.3),
            "wow": count(0.4),
            "sad": count(1.5) if sentiment == "negative" else count(0.1),
            "angry": count((8 if post.topic_key == CLOSURE_TOPIC else 4) * viral) if sentiment == "negative" else 0,
        }
        post.reactions = reactions
        if post.topic_key == "dieren_verloren":
            post.shares = count(12)
        elif self.rng.random() < 0.12:
            post.shares = count(2)

    # -- the whole sample ------------------------------------------------------------------------
    def generate(self, end_month: str, months: int, posts_per_month: int) -> list[_Row]:
        month_list = _month_list(end_month, months)
        self.end_year = month_list[-1][0]
        plans = [self.plan_month(year, month, len(month_list) - 1 - i) for i, (year, month) in enumerate(month_list)]
        self.window_end = plans[-1].end_ts
        for plan in plans:
            n_officer = max(1, round(posts_per_month / 60))
            n_citizen = max(0, posts_per_month - n_officer)
            closure_day = max(1, plan.days // 4)
            n_closure = max(1, round(posts_per_month * 0.1)) if plan.age == 0 else 0
            for index in range(n_citizen):
                if index < n_closure:
                    self.closure_post(plan, closure_day)
                else:
                    self.citizen_post(plan)
            for index in range(n_officer):
                if plan.age == 0 and index == 0:
                    self.officer_post(plan, "closure", first_day=min(plan.days - 1, closure_day + 7))
                elif plan.age == len(plans) // 2 and index == 0:
                    self.officer_post(plan, "poll")
                else:
                    self.officer_post(plan)
            for _ in range(max(1, round(posts_per_month / 12))):
                self.officer_comment(plan)
        self._finish()
        return self.rows

    def _finish(self) -> None:
        rng = self.rng
        for row in self.rows:
            if row.kind == "post":
                self.post_reactions(row)
                if row.author == OFFICER_NAME:
                    row.source = "dyi"
                else:
                    row.source = "scraper" if rng.random() < _SCRAPER_SHARE else "csv"
            elif row.root is None:
                row.source = "dyi"
        for row in self.rows:
            if row.root is not None:
                row.source = row.root.source
            if row.source == "csv":
                # A hand-made spreadsheet has minutes, not seconds, and no emoji.
                row.ts -= row.ts % 60
                row.text = _cp1252(row.text)
                row.author = _cp1252(row.author)
        self.rows.sort(key=lambda row: (row.ts, row.seq))
        next_id = rng.randrange(1_200_000_000_000_000, 1_900_000_000_000_000)
        for row in self.rows:
            next_id += rng.randrange(1_000, 5_000_000)
            row.post_id = str(next_id)


def _generate(end_month: str, months: int, posts_per_month: int, seed: int,
              municipality: str) -> tuple[_Generator, list[_Row]]:
    generator = _Generator(seed, municipality)
    return generator, generator.generate(end_month, months, posts_per_month)


def _frame(rows: list[_Row], group: str) -> pd.DataFrame:
    data: dict[str, list[Any]] = {
        "post_id": [row.post_id for row in rows],
        "parent_id": [row.parent.post_id if row.parent else None for row in rows],
        "kind": [row.kind for row in rows],
        "author": [row.author for row in rows],
        "created_at": pd.to_datetime([row.ts for row in rows], unit="s", utc=True).as_unit("us").tz_convert(TIMEZONE),
        "text": [row.text for row in rows],
        "group_name": [group] * len(rows),
        "service": [row.service for row in rows],
        "sentiment": [row.sentiment for row in rows],
        "abuse": [row.abuse for row in rows],
        "lang": [row.lang for row in rows],
        "is_compliment": [row.is_compliment for row in rows],
        "topic_key": [row.topic_key for row in rows],
    }
    for name in REACTIONS:
        data[f"reactions_{name}"] = [row.reactions.get(name, 0) for row in rows]
    data["share_count"] = [row.shares for row in rows]
    data["thread_id"] = [row.thread.post_id for row in rows]
    data["source"] = [row.source for row in rows]
    frame = pd.DataFrame(data, columns=list(SAMPLE_COLUMNS))
    for name in (*(f"reactions_{name}" for name in REACTIONS), "share_count"):
        frame[name] = frame[name].astype("int64")
    frame["is_compliment"] = frame["is_compliment"].astype(bool)
    return frame


def generate_sample_posts(end_month: str = "2026-10", months: int = 6, posts_per_month: int = 300,
                          seed: int = 42, municipality: str = "Denderbeke") -> pd.DataFrame:
    """The synthetic ground truth: one row per post, comment or reply, sorted by time.

    Columns (see ``SAMPLE_COLUMNS``): ``post_id`` (numeric string), ``parent_id`` (None for posts and for
    the officer's DYI comments, whose post is in no export), ``kind``, ``author`` (full name),
    ``created_at`` (tz-aware Europe/Brussels), ``text``, ``group_name``, ``service`` (an id from
    ``SERVICES`` or ''), ``sentiment``, ``abuse``, ``lang``, ``is_compliment``, ``topic_key`` (template
    family), ``reactions_like`` .. ``reactions_angry``, ``share_count``, and two helpers: ``thread_id`` (id
    of the thread's post) and ``source`` (the export a row is written to: dyi, scraper or csv).

    ``posts_per_month`` counts top-level posts, the officer's included; comments and replies come on top.
    Rows written to the CSV already carry what survives that format: times to the minute, text and
    names as Windows-1252 can hold them (emoji become '?').
    """
    generator, rows = _generate(end_month, months, posts_per_month, seed, municipality)
    return _frame(rows, generator.group)


# -- export writers ------------------------------------------------------------------------------------

def _user_id(name: str) -> str:
    return "1000" + _stable_digits(f"user:{name}", 11)


def _write_dyi(folder: Path, rows: list[_Row], group: str, domain: str) -> None:
    posts = sorted((row for row in rows if row.source == "dyi" and row.kind == "post"),
                   key=lambda row: (row.ts, row.seq))
    comments = [row for row in rows if row.source == "dyi" and row.kind != "post"]
    posted = f"{OFFICER_NAME} heeft iets geplaatst in {group}."
    entries = []
    for index, row in enumerate(posts):
        entry: dict[str, Any] = {"timestamp": row.ts}
        if row.topic_key == "officer_poll":
            options = ("Zaterdagvoormiddag", "Woensdagnamiddag", "Donderdagavond na het werk", "Maakt niet uit ☕")
            entry["attachments"] = [{"data": [{"poll": {
                "question": "Op welke dag wil jij naar het repair café?",
                "options": [{"option": option, "voted": i == 0} for i, option in enumerate(options)],
            }}]}]
        elif f"www.{domain}" in row.text:
            entry["attachments"] = [{"data": [{"external_context": {"url": f"https://www.{domain}/"}}]}]
        entry["data"] = [{"post": row.text}]
        if index == 1:  # an edited post: DYI adds an update timestamp next to the text
            entry["data"].append({"update_timestamp": row.ts + 5400})
        entry["title"] = posted
        entries.append(entry)
    if posts:
        # A photo without text, which the reader must skip.
        anchor = posts[len(posts) // 2]
        photo_ts = anchor.ts + 86_400
        entries.append({
            "timestamp": photo_ts,
            "attachments": [{"data": [{"media": {
                "uri": f"photos_and_videos/{_slug(group)}_photos/{_stable_digits(str(photo_ts), 17)}.jpg",
                "creation_timestamp": photo_ts,
                "title": "",
            }}]}],
            "data": [],
            "title": posted,
        })
    entries.sort(key=lambda entry: entry["timestamp"], reverse=True)

    comment_entries = []
    for row in sorted(comments, key=lambda row: (row.ts, row.seq), reverse=True):
        comment_entries.append({
            "timestamp": row.ts,
            "data": [{"comment": {"timestamp": row.ts, "comment": row.text, "author": OFFICER_NAME,
                                  "group": group}}],
            "title": f"{OFFICER_NAME} heeft gereageerd op het bericht van {row.other}.",
        })

    for relative, payload in (("groups/your_posts_in_groups.json", {"group_posts_v2": entries}),
                              ("comments_and_reactions/comments_v2.json", {"comments_v2": comment_entries})):
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(_mojibake(payload), indent=2, ensure_ascii=True) + "\n", encoding="ascii")


def _write_scraper(path: Path, rows: list[_Row], group_id: str) -> None:
    children: dict[int, list[_Row]] = {}
    for row in rows:
        if row.source == "scraper" and row.parent is not None:
            children.setdefault(row.parent.seq, []).append(row)

    def comment_record(row: _Row) -> dict[str, Any]:
        user = _user_id(row.author)
        reactions = {name: n for name, n in row.reactions.items() if n}
        return {
            "comment_id": row.post_id,
            "comment_url": f"https://www.facebook.com/groups/{group_id}/permalink/{row.thread.post_id}/"
                           f"?comment_id={row.post_id}",
            "commenter_id": user,
            "commenter_url": f"https://www.facebook.com/profile.php?id={user}",
            "commenter_name": row.author,
            "comment_text": row.text,
            "comment_time": _local_text(row.ts),
            "comment_reactions": reactions or None,
            "comment_reaction_count": sum(reactions.values()),
            "replies": [comment_record(reply) for reply in children.get(row.seq, [])],
        }

    posts = [row for row in rows if row.source == "scraper" and row.kind == "post"]
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for post in sorted(posts, key=lambda row: (row.ts, row.seq), reverse=True):  # newest first, like a scraper
            comments = [comment_record(row) for row in children.get(post.seq, [])]
            reactions = {name: n for name, n in post.reactions.items() if n}
            total = sum(reactions.values())
            user = _user_id(post.author)
            record = {
                "post_id": post.post_id,
                "text": post.text,
                "post_text": post.text,
                "shared_text": "",
                "original_text": None,
                "time": _local_text(post.ts),
                "timestamp": post.ts,
                "image": None,
                "images": [],
                "video": None,
                "likes": total,
                "comments": len(comments) + sum(len(c["replies"]) for c in comments),
                "shares": post.shares,
                "post_url": f"https://www.facebook.com/groups/{group_id}/permalink/{post.post_id}/",
                "link": None,
                "user_id": user,
                "username": post.author,
                "user_url": f"https://www.facebook.com/profile.php?id={user}",
                "is_live": False,
                "available": True,
                "reactions": reactions,
                "reaction_count": total,
                "comments_full": comments,
            }
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def _excel_serial(ts: int) -> str:
    local = datetime.fromtimestamp(ts, TIMEZONE).replace(tzinfo=None)
    serial = (local - _EXCEL_EPOCH) / timedelta(days=1)
    return f"{serial:.10f}".rstrip("0").rstrip(".")


def _write_csv(path: Path, rows: list[_Row], group: str, group_id: str, seed: int, year: int) -> None:
    rng = random.Random(f"csv-{seed}")
    selected = [row for row in rows if row.source == "csv"]
    records = []
    for row in selected:
        date = (_excel_serial(row.ts) if rng.random() < _EXCEL_SERIAL_SHARE
                else _local_text(row.ts, "%d/%m/%Y %H:%M"))
        link = f"https://www.facebook.com/groups/{group_id}/permalink/{row.post_id}/" if row.kind == "post" else ""
        records.append([row.post_id, row.parent.post_id if row.parent else "", row.author, date, row.text,
                        _cp1252(group), str(row.reactions.get("like", 0)), link])
    # Two broken rows a hand-made sheet always has: a date nobody can read, and a row without a message.
    top_id = max((int(row.post_id) for row in rows), default=1_000_000_000_000_000)
    if records:
        third = len(records) // 3
        records.insert(third, [str(top_id + 7), "", "Gilbert Van Impe", CSV_BAD_DATE.format(year=year),
                               "Weet iemand of het recyclagepark open is op zaterdag?", _cp1252(group), "0", ""])
        bad_date_id = str(top_id + 7)
        parent = next((r for r in reversed(records[: 2 * len(records) // 3]) if not r[1] and r[0] != bad_date_id),
                      records[0])
        records.insert(2 * len(records) // 3, [str(top_id + 13), parent[0], "Rita De Smet", parent[3], "",
                                               _cp1252(group), "1", ""])
    with path.open("w", encoding="cp1252", errors="replace", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        writer.writerows(records)


def _write_columns(path: Path) -> None:
    header = ("# Column mapping for export_tool.csv: canonical name -> column in the file.\n"
              "# The file is Windows-1252, semicolon separated, with day-first dates (some as Excel serials).\n")
    path.write_text(header + yaml.safe_dump(CSV_COLUMN_MAPPING, sort_keys=False, allow_unicode=True),
                    encoding="utf-8")


def write_sample_exports(out_dir: Path, end_month: str = "2026-10", months: int = 6, posts_per_month: int = 300,
                         seed: int = 42, municipality: str = "Denderbeke") -> dict[str, Path]:
    """Write the ground truth of :func:`generate_sample_posts` (same arguments) as three exports.

    - ``out_dir/dyi/``: an unpacked DYI archive of the communication officer: her group posts in
      ``groups/your_posts_in_groups.json`` and her comments in ``comments_and_reactions/comments_v2.json``,
      strings mojibake-escaped; plus one photo-only post (``data: []``) that is not in the ground truth.
    - ``out_dir/scraper_posts.jsonl``: facebook-scraper records, UTF-8, one post a line with its
      ``comments_full`` and their ``replies``.
    - ``out_dir/export_tool.csv``: Windows-1252, ``;``-separated, dates ``dd/mm/yyyy HH:MM`` or Excel
      serials; two extra broken rows (an unreadable date, an empty message) not in the ground truth.
    - ``out_dir/export_tool.columns.yaml``: the column mapping of that CSV.

    Each row of the ground truth is in exactly one export, with its whole thread.
    Returns ``{"dyi": folder, "scraper": path, "csv": path, "columns": path}``.
    """
    out_dir = Path(out_dir)
    generator, rows = _generate(end_month, months, posts_per_month, seed, municipality)
    group_id = "10" + _stable_digits(f"group:{municipality}", 13)
    paths = {
        "dyi": out_dir / "dyi",
        "scraper": out_dir / "scraper_posts.jsonl",
        "csv": out_dir / "export_tool.csv",
        "columns": out_dir / "export_tool.columns.yaml",
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_dyi(paths["dyi"], rows, generator.group, generator.domain)
    _write_scraper(paths["scraper"], rows, group_id)
    _write_csv(paths["csv"], rows, generator.group, group_id, seed, generator.end_year)
    _write_columns(paths["columns"])
    return paths


# -- benchmark writers ---------------------------------------------------------------------------------

def _text_pool(seed: int, size: int) -> tuple[_Generator, list[str]]:
    """Rendered post and comment texts to draw benchmark rows from (constant size)."""
    generator = _Generator(seed, "Denderbeke")
    rng = generator.rng
    pool = []
    for _ in range(size):
        service = rng.choice((*SERVICES, ""))
        sentiment = rng.choice(SENTIMENTS)
        if rng.random() < 0.6:
            pool.append(generator.post_content(None, service, sentiment, generator._language())[0])
        else:
            options = generator.bank["generic"]["agree"][sentiment]
            ctx = {"ouder": generator._person().split()[0]}
            pool.append(generator.roughen(generator.render(rng.choice(options), ctx), sentiment, frame=0.3))
    return generator, pool


def _varied(rng: random.Random, pool: list[str]) -> str:
    text = rng.choice(pool)
    roll = rng.random()
    if roll < 0.35:
        return f"{text} ({rng.randint(2, 40)}x gemeld)" if roll < 0.1 else f"{text} #{rng.randint(1, 9999)}"
    return text


def write_benchmark_csv(path: Path, rows: int, seed: int = 0) -> Path:
    """Stream a UTF-8, comma-separated CSV of ``rows`` synthetic posts, comments and replies.

    Columns: ``id``, ``parent`` (empty for posts), ``author``, ``date`` (ISO 8601 with the Brussels
    offset), ``message``, ``likes``. Memory use does not grow with ``rows``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    generator, pool = _text_pool(seed, 4000)
    rng = random.Random(f"benchmark-csv-{seed}")
    people = generator.citizens
    ts = _local_ts(datetime(2025, 1, 1))
    step = max(1, (365 * 86_400) // max(rows, 1))
    next_id = 3_000_000_000_000_000 + seed * 10_000_000_000
    recent_posts: list[int] = []
    recent_comments: list[int] = []
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(BENCHMARK_CSV_COLUMNS)
        for _ in range(rows):
            next_id += rng.randint(1, 999)
            ts += rng.randint(0, 2 * step)
            roll = rng.random()
            if roll < 0.3 or not recent_posts:
                parent = ""
                recent_posts.append(next_id)
                del recent_posts[:-50]
            elif roll < 0.8 or not recent_comments:
                parent = str(rng.choice(recent_posts))
                recent_comments.append(next_id)
                del recent_comments[:-100]
            else:
                parent = str(rng.choice(recent_comments))
            writer.writerow((next_id, parent, rng.choice(people),
                             datetime.fromtimestamp(ts, TIMEZONE).isoformat(), _varied(rng, pool),
                             int(rng.expovariate(1 / 3))))
    return path


def write_benchmark_dyi_json(path: Path, target_mb: float, seed: int = 0) -> Path:
    """Stream a DYI ``comments_v2`` JSON file of about ``target_mb`` megabytes (1 MB = 1,000,000 bytes).

    Same shape and mojibake escaping as a real archive, newest comment first; the file ends up at most
    one entry (well under a kilobyte) larger than asked.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    generator, pool = _text_pool(seed, 4000)
    rng = random.Random(f"benchmark-dyi-{seed}")
    target = int(target_mb * _MB)
    owner = _mojibake(OFFICER_NAME)
    group = _mojibake(generator.group)
    titles = [_mojibake(f"{OFFICER_NAME} heeft gereageerd op het bericht van {name}.")
              for name in generator.citizens[:300]]
    head, tail = '{\n  "comments_v2": [\n', "\n  ]\n}\n"
    ts = _local_ts(datetime(2026, 10, 31, 23))
    written = len(head) + len(tail)
    with path.open("w", encoding="ascii", newline="\n") as handle:
        handle.write(head)
        first = True
        while written < target or first:
            ts -= rng.randint(30, 3_600)
            entry = {
                "timestamp": ts,
                "data": [{"comment": {"timestamp": ts, "comment": _mojibake(_varied(rng, pool)),
                                      "author": owner, "group": group}}],
                "title": rng.choice(titles),
            }
            text = json.dumps(entry, indent=2, ensure_ascii=True).replace("\n", "\n    ")
            chunk = ("    " if first else ",\n    ") + text
            handle.write(chunk)
            written += len(chunk)
            first = False
        handle.write(tail)
    return path
