"""The simulation: months of posts, reposts, closures, the officer's posts and reactions, as ground truth.

:func:`generate_sample_posts` builds the ground truth, one row per post, comment or reply, with the
labels later stages are measured against (service, sentiment, abuse, language, compliment, topic).
"""

from __future__ import annotations

import math
from bisect import bisect
from datetime import datetime, timedelta
from itertools import accumulate
from typing import Any

import pandas as pd

from feedback_analysis.sample.conversation import _Threads
from feedback_analysis.sample.voice import _Voice
from feedback_analysis.sample.world import (
    _CHITCHAT_SENTIMENT,
    _CHITCHAT_WEIGHT,
    _ENGLISH_RATE,
    _FRENCH_RATE,
    _HOUR_CUM,
    _OFFENSIVE_RATE,
    _REPOST_RATE,
    _SCRAPER_SHARE,
    _THREAT_RATE,
    CLOSURE_TOPIC,
    OFFICER_NAME,
    REACTIONS,
    SAMPLE_COLUMNS,
    SENTIMENTS,
    SERVICES,
    TIMEZONE,
    _cp1252,
    _local_ts,
    _Month,
    _month_list,
    _Row,
    _unambiguous,
)


class _Generator(_Voice, _Threads):
    """Builds the ground-truth rows; all randomness comes from one ``random.Random``."""

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

