"""Large synthetic exports for the ingest benchmarks, streamed to disk in constant memory."""

from __future__ import annotations

import csv
import json
import random
from datetime import UTC, datetime
from pathlib import Path

from feedback_analysis.sample.simulation import _Generator
from feedback_analysis.sample.world import (
    _MB,
    BENCHMARK_CSV_COLUMNS,
    OFFICER_NAME,
    SENTIMENTS,
    SERVICES,
    TIMEZONE,
    _local_ts,
    _mojibake,
)


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


def _write_json_list(path: Path, head: str, tail: str, target: int, items, indent: str) -> None:
    """Write ``head``, then serialised ``items`` as list members, until the file reaches ``target`` bytes
    (at least one item; at most one item more than asked), then ``tail``. Memory stays one item."""
    written = len(head.encode()) + len(tail.encode())
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(head)
        for n, text in enumerate(items):
            chunk = (indent if n == 0 else ",\n" + indent) + text
            handle.write(chunk)
            written += len(chunk.encode())
            if written >= target:
                break
        handle.write(tail)


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
    def entries():
        ts = _local_ts(datetime(2026, 10, 31, 23))
        while True:
            ts -= rng.randint(30, 3_600)
            entry = {
                "timestamp": ts,
                "data": [{"comment": {"timestamp": ts, "comment": _mojibake(_varied(rng, pool)),
                                      "author": owner, "group": group}}],
                "title": rng.choice(titles),
            }
            yield json.dumps(entry, indent=2, ensure_ascii=True).replace("\n", "\n    ")

    _write_json_list(path, '{\n  "comments_v2": [\n', "\n  ]\n}\n", target, entries(), indent="    ")
    return path


def _graph_time(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def _graph_reactions(rng: random.Random) -> dict:
    return {name: {"data": [], "summary": {"total_count": int(rng.expovariate(1 / weight))}}
            for name, weight in (("like", 6), ("love", 1), ("haha", 0.5), ("wow", 0.3), ("sad", 0.5), ("angry", 1))}


def write_benchmark_graph_json(path: Path, target_mb: float, seed: int = 0) -> Path:
    """Stream a Graph API feed page (``{"data": [...], "paging": ...}``) of about ``target_mb`` megabytes.

    Each post carries reaction totals, shares and a nested ``comments.data`` page of comments, some
    with replies of their own, newest post first; the file ends up at most one post larger than asked.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    generator, pool = _text_pool(seed, 4000)
    rng = random.Random(f"benchmark-graph-{seed}")
    target = int(target_mb * _MB)
    owner_id = "104857600123"
    people = [{"name": name, "id": str(10_000_000 + i)} for i, name in enumerate(generator.citizens[:300])]
    page = {"name": generator.group, "id": owner_id}
    head = '{\n "data": [\n'
    tail = ('\n ],\n "paging": {"cursors": {"before": "QVFIUmJlZAG9yZA", "after": "QVFIUmFmdGVy"},\n'
            '  "next": "https://graph.facebook.com/v19.0/' + owner_id + '/feed?after=QVFIUmFmdGVy"}\n}\n')
    def posts():
        ts = _local_ts(datetime(2026, 10, 31, 23))
        post_number, comment_number = 900_000_000, 5_000_000_000
        while True:
            ts -= rng.randint(600, 7_200)
            post_number += rng.randint(1, 99)
            post_id = f"{owner_id}_{post_number}"
            comments = []
            for _ in range(min(25, int(rng.expovariate(1 / 4)))):
                comment_number += rng.randint(1, 999)
                replies = []
                for _ in range(int(rng.expovariate(1 / 0.6))):
                    comment_number += rng.randint(1, 999)
                    replies.append({"id": f"{post_number}_{comment_number}", "message": _varied(rng, pool),
                                    "created_time": _graph_time(ts + rng.randint(60, 86_400)),
                                    "from": rng.choice(people), "like_count": int(rng.expovariate(1))})
                comment = {"id": f"{post_number}_{comment_number}", "message": _varied(rng, pool),
                           "created_time": _graph_time(ts + rng.randint(60, 43_200)), "from": rng.choice(people),
                           "like_count": int(rng.expovariate(1 / 2)), "comment_count": len(replies)}
                if replies:
                    comment["comments"] = {"data": replies}
                comments.append(comment)
            post = {"id": post_id, "message": _varied(rng, pool), "created_time": _graph_time(ts),
                    "permalink_url": f"https://www.facebook.com/{owner_id}/posts/{post_number}/",
                    "from": page, "shares": {"count": int(rng.expovariate(1 / 2))}, **_graph_reactions(rng),
                    "comments": {"data": comments, "summary": {"total_count": len(comments)}}}
            yield json.dumps(post, ensure_ascii=False)

    _write_json_list(path, head, tail, target, posts(), indent="  ")
    return path
