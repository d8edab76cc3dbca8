"""SQL on the store: the views, the Python entry point, the command, and what a query may not do."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from typer.testing import CliRunner

import feedback_analysis
from feedback_analysis import pipeline, sql
from feedback_analysis.cli import app

runner = CliRunner()
AUTHOR = re.compile(r"a_[0-9a-f]{16}")


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    """The scraper fixture ingested and scored: (settings, the posts as the notebooks load them)."""
    from feedback_analysis.config import load_settings

    root = tmp_path_factory.mktemp("sql")
    settings = load_settings(data_dir=root / "data", environ={})
    fixtures = __import__("pathlib").Path(__file__).parent / "fixtures"
    report = pipeline.ingest([fixtures / "scraper" / "posts.jsonl", fixtures / "dyi"], settings)
    assert report.ok, report.errors
    pipeline.enrich(settings)
    return settings, pipeline.load_scored_posts(settings)


def test_feedback_view_joins_posts_scores_and_threads_like_the_notebooks(scored):
    settings, posts = scored
    result = feedback_analysis.query("select post_id, month, sentiment, service, thread_service, consensus "
                                     "from feedback order by post_id", settings=settings)
    expected = posts.sort_values("post_id")[["post_id", "month", "sentiment", "service", "thread_service", "consensus"]]
    assert len(result) == len(posts) > 0
    assert result["post_id"].tolist() == expected["post_id"].tolist()
    assert result["sentiment"].tolist() == expected["sentiment"].tolist()
    assert result["month"].tolist() == expected["month"].astype(str).tolist()
    assert result["thread_service"].fillna("").tolist() == expected["thread_service"].fillna("").tolist()
    assert result["consensus"].fillna("").tolist() == expected["consensus"].fillna("").tolist()
    counts = sql.query("select sentiment, count(*) as n from feedback group by 1", settings=settings)
    assert counts.set_index("sentiment")["n"].to_dict() == posts["sentiment"].value_counts().to_dict()


def test_texts_stay_masked_and_authors_pseudonymous(scored):
    settings, posts = scored
    result = sql.query("select author_id, text from posts", settings=settings)
    assert sorted(result["text"]) == sorted(posts["text"])  # exactly as stored: masked, nothing unmasked added
    assert result["author_id"].dropna().map(lambda a: bool(AUTHOR.fullmatch(a))).all()
    assert "url" not in sql.query("select * from feedback limit 1", settings=settings).columns  # a profile link


def test_topics_view_is_empty_until_topics_are_modelled(scored):
    settings, _ = scored
    assert sql.query("select * from topics", settings=settings).empty
    assert {"topic", "topic_label", "stable_topic"} <= set(sql.query("select * from feedback limit 1", settings=settings).columns)


@pytest.mark.parametrize("statement, problem", [
    ("copy (select * from posts) to 'out.csv'", "only SELECT"),
    ("create table x as select 1", "only SELECT"),
    ("select 1; select 2", "exactly one SELECT"),
    ("set enable_external_access = true", "only SELECT"),
    ("select * from read_csv('/etc/passwd')", ""),
    ("selec * from posts", "syntax error"),
    ("select nope from posts", "nope"),
    ("", "empty"),
])
def test_anything_but_one_select_inside_the_data_folder_is_refused_in_one_line(scored, statement, problem, tmp_path):
    settings, _ = scored
    with pytest.raises(sql.QueryError) as caught:
        sql.query(statement, settings=settings)
    message = str(caught.value)
    assert "\n" not in message and problem.lower() in message.lower()
    assert not (tmp_path / "out.csv").exists()


def test_an_empty_store_is_a_clear_error(settings):
    with pytest.raises(sql.QueryError, match="no posts yet"):
        sql.query("select 1", settings=settings)


def test_query_command_prints_a_table_or_writes_a_csv(scored, tmp_path):
    settings, posts = scored
    data = str(settings.data_dir)
    shown = runner.invoke(app, ["query", "select sentiment, count(*) as n from feedback group by 1 order by 1",
                                "--data-dir", data])
    assert shown.exit_code == 0, shown.output
    assert "sentiment" in shown.output and f"{posts['sentiment'].nunique()} rows" in shown.output
    out = tmp_path / "out" / "posts.csv"
    written = runner.invoke(app, ["query", "select post_id, sentiment from feedback", "--csv", str(out), "--data-dir", data])
    assert written.exit_code == 0, written.output
    assert len(pd.read_csv(out)) == len(posts)


def test_query_command_bad_sql_is_one_line_and_nonzero(scored):
    settings, _ = scored
    result = runner.invoke(app, ["query", "select nope from feedback", "--data-dir", str(settings.data_dir)])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: query:") and "Traceback" not in result.output
