"""Right to erasure (forget) and retention (purge): rows gone everywhere, reports marked, audit lines."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from feedback_analysis import pipeline, store
from feedback_analysis.cli import app

MAPPING = "post_id: id\nauthor: user\ncreated_at: time\ntext: message\nurl: link\nparent_id: parent\nreactions_like: likes\n"
ROWS = [
    # id, author, time, text, link, parent, likes
    ("1", "Sofie Janssens", "2026-10-03T08:00:00Z", "De containers aan de sporthal zijn weer overvol", "https://www.facebook.com/123/posts/1", "", "3"),
    ("2", "Piet Claes", "2026-10-03T09:00:00Z", "Klopt, al drie dagen niet geleegd", "", "1", "1"),
    ("3", "Sofie Janssens", "2026-11-05T10:00:00Z", "Bedankt aan de groendienst voor het snoeiwerk", "https://www.facebook.com/123/posts/3", "", "7"),
    ("4", "Piet Claes", "2026-11-06T10:00:00Z", "Wanneer wordt de Dorpsstraat heraangelegd?", "https://www.facebook.com/123/posts/4", "", "2"),
    ("5", "An Wouters", "2023-01-06T10:00:00Z", "Oude klacht over het zwembad dat dicht was", "https://www.facebook.com/123/posts/5", "", "0"),
    ("6", "Sofie Janssens", "2026-11-07T10:00:00Z", "Een rij met een kapotte telling", "", "", "-2"),
]


@pytest.fixture
def filled(settings, tmp_path):
    """A data folder with posts, scores, threads, topics, labels, quarantine and report notebooks."""
    export = tmp_path / "in" / "reacties.csv"
    export.parent.mkdir()
    pd.DataFrame(ROWS, columns=["id", "user", "time", "message", "link", "parent", "likes"]).to_csv(export, index=False)
    export.with_suffix(".columns.yaml").write_text(MAPPING)
    report = pipeline.ingest([export], settings)
    assert report.totals().stored == 5 and report.totals().quarantined == 1
    pipeline.enrich(settings)
    posts = store.read_posts(settings.posts_dir)
    for month, part in posts.groupby("month"):
        folder = settings.topics_dir / "assignments"
        folder.mkdir(parents=True, exist_ok=True)
        part[["post_id"]].assign(topic=0, topic_label="afval", stable_topic=0).to_parquet(folder / f"{month}.parquet")
    history = [{"month": m, "stable_topic": 0, "size": len(p), "label": "afval", "words": ["afval"],
                "local_topic": 0, "vector": {}, "examples": list(p["text"]), "example_ids": list(p["post_id"])}
               for m, p in posts.groupby("month")]
    (settings.topics_dir / "registry.json").write_text(json.dumps({"version": 1, "next_id": 1, "topics": {}, "history": history}))
    settings.labels_dir.mkdir(parents=True)
    posts[["post_id", "text"]].assign(service="afval").to_csv(settings.labels_dir / "20261201T100000.csv", index=False)
    old_quarantine = settings.quarantine_dir / "20230105T100000Z-ingest.csv"
    old_quarantine.write_text("reason,source_file,source_row,raw\nmissing id and text,x.csv,2,{}\n")
    for month in ("2023-01", "2026-10", "2026-11"):
        folder = settings.reports_dir / month
        folder.mkdir(parents=True)
        (folder / f"rapport-{month}.ipynb").write_text("{}")
        (folder / f"rapport-{month}.html").write_text("<html></html>")
        (folder / "figures.json").write_text(json.dumps({"inputs": "abc", "figures": {"posts": 2}}))
    return settings


def everything_text(settings) -> str:
    """Every file the suite keeps under the data folder and the reports folder, as text."""
    parts = []
    for root in (settings.data_dir, settings.reports_dir):
        for path in sorted(root.rglob("*")):
            if not path.is_file() or path.name == ".pseudonym_salt":
                continue
            if path.suffix == ".parquet":
                parts.append(pd.read_parquet(path).to_csv())
            else:
                parts.append(path.read_text("utf-8", errors="replace"))
    return "\n".join(parts)


def test_forget_an_author_removes_every_row_everywhere(filled):
    settings = filled
    posts = store.read_posts(settings.posts_dir)
    author_ids = set(posts.loc[posts["text"].str.contains("containers|snoeiwerk"), "author_id"])
    gone = set(posts.loc[posts["author_id"].isin(author_ids), "post_id"])
    assert len(author_ids) == 1 and len(gone) == 2

    result = pipeline.forget_author(settings, "sofie  JANSSENS")

    assert result.removed["posts"] == 2 and result.removed["scores"] == 2
    after = store.read_posts(settings.posts_dir)
    assert not after["post_id"].isin(list(gone)).any() and len(after) == 3
    assert not pd.read_parquet(settings.scores_path)["post_id"].isin(list(gone)).any()
    assert not pd.read_parquet(settings.threads_path)["post_id"].isin(list(gone)).any()
    for path in (settings.topics_dir / "assignments").glob("*.parquet"):
        assert not pd.read_parquet(path)["post_id"].isin(list(gone)).any()
    text = everything_text(settings)
    for sentence in ("containers aan de sporthal", "snoeiwerk", "kapotte telling", "Sofie", "Janssens"):
        assert sentence not in text, sentence
    assert result.removed["quarantine_rows"] == 1 and result.removed["labels"] == 2 and result.removed["topic_examples"] == 2
    assert result.reports_marked == ["2026-10", "2026-11"]
    assert not (settings.reports_dir / "2026-10" / "rapport-2026-10.ipynb").exists()
    assert (settings.reports_dir / "2023-01" / "rapport-2023-01.ipynb").exists()
    audit = settings.audit_log.read_text().splitlines()
    assert len(audit) == 1 and " forget by=author posts=2 " in audit[0]
    assert "anssens" not in audit[0].lower() and "csv:" not in audit[0]


def test_forget_changes_the_report_fingerprint_of_the_month(filled):
    from feedback_analysis.report import DEFAULT_NOTEBOOK, InputHasher

    before = InputHasher(filled, DEFAULT_NOTEBOOK, None).fingerprint("2026-10", "nl")[0]
    pipeline.forget(filled, urls=["https://www.facebook.com/123/posts/1?__cft__=abc"])
    after = InputHasher(filled, DEFAULT_NOTEBOOK, None).fingerprint("2026-10", "nl")[0]
    assert before != after
    assert "csv:1" not in set(store.read_posts(filled.posts_dir)["post_id"])


def test_forget_by_post_id_keeps_the_rest(filled):
    result = pipeline.forget(filled, post_ids=["4"])
    ids = set(store.read_posts(filled.posts_dir)["post_id"])
    assert result.removed["posts"] == 1 and "csv:4" not in ids and {"csv:1", "csv:2", "csv:3"} <= ids


def test_forget_an_unknown_author_removes_nothing_but_is_audited(filled):
    result = pipeline.forget_author(filled, "Niemand Bekend")
    assert result.total == 0 and len(store.read_posts(filled.posts_dir)) == 5
    assert "forget by=author posts=0" in filled.audit_log.read_text()


def test_purge_removes_what_is_older_than_the_retention(filled):
    (filled.reports_dir / "index.html").write_text('<a href="2023-01/rapport-2023-01.html">')
    result = pipeline.purge(filled, now=pd.Timestamp("2026-12-07", tz="UTC"))
    index = (filled.reports_dir / "index.html").read_text()
    assert "2023-01" not in index and "2026-11/rapport-2026-11.html" in index
    posts = store.read_posts(filled.posts_dir)
    assert result.removed["posts"] == 1 and posts["month"].min() == "2026-10"
    assert not (filled.quarantine_dir / "20230105T100000Z-ingest.csv").exists()
    assert not (filled.topics_dir / "assignments" / "2023-01.parquet").exists()
    assert not (filled.reports_dir / "2023-01" / "rapport-2023-01.ipynb").exists()
    assert (filled.reports_dir / "2023-01" / "figures.json").exists()  # aggregate figures stay
    assert not (filled.reports_dir / "2023-01" / "rapport-2023-01.html").exists()  # it quoted posts
    assert (filled.reports_dir / "2026-11" / "rapport-2026-11.html").exists()
    assert (filled.reports_dir / "2026-11" / "rapport-2026-11.ipynb").exists()
    assert "zwembad" not in everything_text(filled)
    assert " purge by=older_than_2024-12 posts=1 " in filled.audit_log.read_text()


def test_purge_with_retention_off_keeps_everything(filled):
    result = pipeline.purge(filled, retention_months=0)
    assert result.total == 0 and len(store.read_posts(filled.posts_dir)) == 5


def test_cli_forget_and_purge(filled, monkeypatch):
    runner = CliRunner()
    data = str(filled.data_dir)
    result = runner.invoke(app, ["forget", "--author", "Piet Claes", "--data-dir", data])
    assert result.exit_code == 0, result.output
    assert "2 posts" in result.output
    result = runner.invoke(app, ["purge", "--months", "24", "--data-dir", data])
    assert result.exit_code == 0, result.output
    assert len(filled.audit_log.read_text().splitlines()) == 2
    result = runner.invoke(app, ["forget", "--data-dir", data])
    assert result.exit_code == 2 and "error:" in result.output


def test_the_scheduled_job_enforces_the_retention(tmp_path):
    from feedback_analysis import schedule
    from feedback_analysis.config import load_settings

    settings = load_settings(data_dir=tmp_path / "data", environ={})
    job = schedule.report_job(settings, None, executable=["/opt/fa/bin/feedback-analysis"])
    service = schedule.systemd_units(job)["feedback-analysis-report.service"]
    pre = service.index("ExecStartPre=-/opt/fa/bin/feedback-analysis purge --data-dir")
    assert pre < service.index("ExecStart=/opt/fa/bin/feedback-analysis report --pending")
    line = schedule.cron_lines(job)[-1]
    assert "report --pending" in line and "/opt/fa/bin/feedback-analysis purge --data-dir" in line
    merged = schedule.merge_crontab(schedule.merge_crontab("", job), job)
    assert merged.count("purge") == 1


def test_forget_by_name_finds_rows_whose_author_is_a_platform_id(settings, tmp_path):
    export = tmp_path / "scraped.jsonl"
    post = {"post_id": "70", "text": "Nieuwe fietsenstalling aan het station", "timestamp": 1760000000,
            "username": "Gemeente Denderbeke", "user_id": "100",
            "comments_full": [{"comment_id": "71", "comment_text": "Eindelijk, dank u", "comment_time": "2025-10-09 10:00:00",
                               "commenter_name": "Georges Baert", "commenter_id": "555"},
                              {"comment_id": "72", "comment_text": "Te klein", "comment_time": "2025-10-09 11:00:00",
                               "commenter_name": "Lien Cools", "commenter_id": "556"}]}
    export.write_text(json.dumps(post) + "\n")
    pipeline.ingest([export], settings)
    result = pipeline.forget_author(settings, "Georges Baert")
    texts = set(store.read_posts(settings.posts_dir)["text"])
    assert result.removed["posts"] == 1 and "Eindelijk, dank u" not in texts and "Te klein" in texts
    assert pipeline.forget_author(settings, "555").removed["posts"] == 0  # already gone


def test_old_rows_ingested_again_are_purged_again(settings, tmp_path):
    export = tmp_path / "oud.csv"
    export.write_text("id,user,time,message\n1,Jo,2019-03-01T10:00:00Z,Heel oude klacht\n2,Jo,2026-11-01T10:00:00Z,Nieuwe vraag\n")
    export.with_suffix(".columns.yaml").write_text("post_id: id\nauthor: user\ncreated_at: time\ntext: message\n")
    for _ in range(2):  # a purge, then the old export ingested again, then the next scheduled purge
        pipeline.ingest([export], settings)
        assert pipeline.purge(settings, now=pd.Timestamp("2026-12-07", tz="UTC")).removed["posts"] == 1
        assert set(store.read_posts(settings.posts_dir)["text"]) == {"Nieuwe vraag"}
