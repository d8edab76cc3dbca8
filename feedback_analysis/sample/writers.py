"""Writers that spread the ground truth over three export formats.

A DYI archive folder, facebook-scraper JSON lines, and a hand-made Windows-1252 CSV with its column mapping.
Everything is deterministic for a seed: the same arguments give byte-identical files.
"""

from __future__ import annotations

import csv
import json
import random
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from feedback_analysis.sample.simulation import _generate
from feedback_analysis.sample.world import (
    _EXCEL_EPOCH,
    _EXCEL_SERIAL_SHARE,
    CSV_BAD_DATE,
    CSV_COLUMN_MAPPING,
    CSV_COLUMNS,
    OFFICER_NAME,
    TIMEZONE,
    _cp1252,
    _local_text,
    _mojibake,
    _Row,
    _slug,
    _stable_digits,
)


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

