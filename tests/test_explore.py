"""Filters, post tables, threads and topic charts for the exploratory notebooks: never an author, always masked."""

from __future__ import annotations

import random
import re

import numpy as np
import pandas as pd
import pytest

from feedback_analysis import explore

AUTHOR = re.compile(r"a_[0-9a-f]{16}")


def make_posts() -> pd.DataFrame:
    """Two threads and a few loose posts of one month, scored, with author pseudonyms and URLs."""
    rows = [
        # post_id, thread_id, parent, kind, minute, text, sentiment, service, thread_service, abuse, consensus, replies
        ("p1", "p1", None, "post", 0, "De vuilniszakken zijn weer niet opgehaald in de Kerkstraat", "negative",
         "afval", "afval", "none", "shared", 3),
        ("c1", "p1", "p1", "comment", 5, "Bij ons ook niet, bel 0470 12 34 56", "negative", "", "afval", "none",
         None, None),
        ("r1", "p1", "c1", "reply", 9, "Idem hier", "neutral", "", "afval", "none", None, None),
        ("c2", "p1", "p1", "comment", 7, "Bij mij wel opgehaald, dikke merci", "positive", "afval", "afval", "none",
         None, None),
        ("p2", "p2", None, "post", 20, "Het zwembad is proper, merci aan het personeel", "positive", "vrije_tijd",
         "vrije_tijd", "none", "isolated", 1),
        ("c3", "p2", "p2", "comment", 25, "Die badmeester is een idioot", "negative", "", "vrije_tijd",
         "offensive", None, None),
        ("p3", "p3", None, "post", 30, "Mooi weer vandaag <script>alert(1)</script>", "neutral", "", "", "none",
         None, None),
        ("p4", "p4", None, "post", 40, "De vuilniszakken zijn weer niet opgehaald in de Kerkstraat", "negative",
         "afval", "afval", "none", None, None),
    ]
    frame = pd.DataFrame(rows, columns=["post_id", "thread_id", "parent_id", "kind", "minute", "text", "sentiment",
                                        "service", "thread_service", "abuse", "consensus", "replies"])
    frame["created_at"] = pd.Timestamp("2026-10-03 08:00", tz="UTC") + pd.to_timedelta(frame.pop("minute"), unit="m")
    frame["month"] = "2026-10"
    frame["author_id"] = [f"a_{i:016x}" for i in range(len(frame))]
    frame["url"] = [f"https://facebook.com/groups/1/posts/{i}" for i in range(len(frame))]
    frame["is_duplicate"] = frame["post_id"] == "p4"
    frame["abuse_reason"] = np.where(frame["abuse"] == "none", "", "insult 'idioot'")
    return frame


@pytest.fixture
def posts() -> pd.DataFrame:
    return make_posts()


# --- selecting ------------------------------------------------------------------------------------------------

def test_pick_month_takes_the_latest_or_checks_the_one_asked(posts):
    assert explore.pick_month(["2026-09", "2026-10", "2026-08"]) == "2026-10"
    assert explore.pick_month(pd.Series(["2026-09", "2026-10"]), "2026-09") == "2026-09"
    with pytest.raises(ValueError, match="2026-09, 2026-10"):
        explore.pick_month(["2026-09", "2026-10"], "2025-01")
    with pytest.raises(ValueError, match="no posts"):
        explore.pick_month([])


@pytest.mark.parametrize("filters", [
    {}, {"service": "afval"}, {"sentiment": "negative"}, {"consensus": "shared"}, {"abuse": "offensive"},
    {"text_contains": "zwembad"}, {"service": "none"}, {"month": "2026-10", "include_duplicates": False},
])
def test_filter_posts_never_returns_an_author_or_a_link(posts, filters):
    selected = explore.filter_posts(posts, **filters)
    assert "author_id" not in selected.columns and "url" not in selected.columns
    assert not AUTHOR.search(selected.to_csv())


def test_filter_posts_by_each_filter(posts):
    ids = lambda **filters: list(explore.filter_posts(posts, **filters)["post_id"])
    assert ids() == list(posts["post_id"])
    # a reply counts for the service of its thread, as in the report
    assert ids(service="afval") == ["p1", "c1", "r1", "c2", "p4"]
    assert ids(service="none") == ["p3"]
    assert ids(service=["vrije_tijd", "none"]) == ["p2", "c3", "p3"]
    assert ids(service="afval", sentiment="negative") == ["p1", "c1", "p4"]
    assert ids(consensus="shared") == ["p1"]
    assert ids(abuse="offensive") == ["c3"]
    assert ids(text_contains="VUILNISZAKKEN") == ["p1", "p4"]
    assert ids(service="afval", include_duplicates=False) == ["p1", "c1", "r1", "c2"]
    # empty values select everything, as the notebooks' parameters do
    assert ids(service="", sentiment=None, topic="", consensus="", abuse="", text_contains="") == list(posts["post_id"])
    assert ids(month="2026-09") == []


def test_filter_posts_by_topic_only_when_there_are_topics(posts):
    with pytest.raises(ValueError, match="topic stage"):
        explore.filter_posts(posts, topic=1)
    with_topics = posts.assign(topic=[0, 0, -1, 0, 1, 1, -1, 0], topic_label=["afval"] * 2 + ["overige", "afval"]
                               + ["zwembad"] * 2 + ["overige", "afval"])
    assert list(explore.filter_posts(with_topics, topic=1)["post_id"]) == ["p2", "c3"]
    assert list(explore.filter_posts(with_topics, topic="zwembad")["post_id"]) == ["p2", "c3"]
    assert list(explore.filter_posts(with_topics, topic=[-1, "zwembad"])["post_id"]) == ["r1", "p2", "c3", "p3"]


def test_thread_of_gives_the_thread_in_order_from_any_of_its_posts(posts):
    for member in ("p1", "r1", "c2"):
        thread = explore.thread_of(posts, member)
        assert list(thread["post_id"]) == ["p1", "c1", "c2", "r1"]
        assert list(thread["depth"]) == [0, 1, 1, 2]
        assert "author_id" not in thread.columns and not AUTHOR.search(thread.to_csv())
    assert list(explore.thread_of(posts, "p3")["post_id"]) == ["p3"]
    with pytest.raises(KeyError):
        explore.thread_of(posts, "missing")


def test_busiest_thread(posts):
    assert explore.busiest_thread(posts) == "p1"
    assert explore.busiest_thread(explore.filter_posts(posts, service="vrije_tijd")) == "p2"
    assert explore.busiest_thread(explore.filter_posts(posts, service="none")) is None
    assert explore.busiest_thread(posts.drop(columns=["replies"])) is None


# --- showing --------------------------------------------------------------------------------------------------

def test_count_posts_per_service_and_sentiment(posts):
    table = explore.count_posts(posts)
    assert table.index[0] == "afval" and table.loc["afval", "total"] == 5
    assert table.loc["(none)", "neutral"] == 1
    assert explore.count_posts(posts.iloc[0:0]).empty


def test_post_table_masks_texts_shows_local_times_and_no_authors(posts):
    table = explore.post_table(posts, columns=["post_id", "author_id", "url", "created_at", "replies", "text"],
                               max_chars=40)
    assert list(table.columns) == ["post_id", "created_at", "replies", "text"]
    assert table.loc[0, "created_at"] == "2026-10-03 10:00"  # Europe/Brussels, summer time
    assert table.loc[0, "replies"] == "3" and table.loc[1, "replies"] == ""
    assert "0470" not in table.to_csv() and "[telefoonnummer]" in table.loc[1, "text"]
    assert all(len(text) <= 40 for text in table["text"])
    assert table.loc[0, "text"].endswith("…")


def test_table_html_escapes_and_shows_long_texts_in_full(posts):
    page = explore.table_html(explore.post_table(posts, max_chars=None), max_rows=7).data
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "De vuilniszakken zijn weer niet opgehaald in de Kerkstraat" in page
    assert "The first 7 of 8 rows" in page
    assert "a_0000" not in page and "facebook.com" not in explore.table_html(posts).data
    assert "No rows match" in explore.table_html(posts.iloc[0:0]).data


def test_month_browser_starts_on_the_parameters_and_filters_on_change(posts):
    browser = explore.month_browser(posts, service="afval", sentiment="negative")
    dropdowns = {child.description: child for box in browser.children[:2] for child in box.children}
    assert set(dropdowns) == {"service", "sentiment", "consensus", "abuse", "text"}  # no topics, no topic filter
    assert dropdowns["service"].value == "afval" and dropdowns["sentiment"].value == "negative"
    count, output = browser.children[2], browser.children[3]
    assert "<b>3</b> of 8" in count.value
    dropdowns["sentiment"].value = ""
    assert "<b>5</b> of 8" in count.value
    dropdowns["text"].value = "merci"
    shown = output.outputs[0]["data"]["text/html"]
    assert "dikke merci" in shown and "Kerkstraat" not in shown and not AUTHOR.search(shown)
    assert repr(browser).startswith("Month browser")


def test_month_browser_has_a_topic_filter_when_posts_have_topics(posts):
    with_topics = posts.assign(topic=0, topic_label="afval")
    browser = explore.month_browser(with_topics, topic="afval")
    dropdowns = {child.description: child for box in browser.children[:2] for child in box.children}
    assert dropdowns["topic"].value == "afval"


# --- topics ---------------------------------------------------------------------------------------------------

THEMES = {
    "afval": ["vuilniszakken", "ophaling", "restafval", "containerpark", "pmd", "vuilkar"],
    "zwembad": ["zwembad", "openingsuren", "zwemles", "kleedkamers", "badmeester", "sauna"],
    "parkeren": ["parkeerplaats", "parkeerboete", "parkeerkaart", "parking", "bewonerskaart", "parkeermeter"],
}


@pytest.fixture(scope="module")
def fitted():
    """A small month of themed posts and a topic model fitted on it (a few seconds)."""
    pytest.importorskip("bertopic")
    from feedback_analysis.topics import TopicModeler, small_settings

    rng = random.Random(3)
    rows = []
    for theme, words in THEMES.items():
        for i in range(30):
            picked = rng.sample(words, 3)
            rows.append({"post_id": f"{theme}{i}", "text": f"Amai, {picked[0]} en {picked[1]}, {picked[2]} toch",
                         "created_at": pd.Timestamp("2026-10-01", tz="UTC") + pd.Timedelta(hours=7 * len(rows)),
                         "author_id": f"a_{len(rows):016x}", "thread_service": theme, "sentiment": "negative"})
    posts = pd.DataFrame(rows).sample(frac=1, random_state=1).reset_index(drop=True)
    return posts, TopicModeler(small_settings()).fit(posts["text"])


def test_topic_tables_from_a_fitted_model(fitted):
    posts, modeler = fitted
    table = explore.topics_table(modeler)
    assert list(table.columns) == ["topic", "label", "posts", "share", "words"] and len(table) >= 2
    assert table["posts"].is_monotonic_decreasing
    labelled = explore.with_topics(posts, modeler)
    assert "author_id" not in labelled.columns and len(labelled) == len(posts)
    assert set(labelled["topic"]) >= set(table["topic"])
    examples = explore.topic_examples(modeler, posts)
    assert set(examples["topic"]) == set(table["topic"]) and examples["example"].str.len().gt(0).all()
    with pytest.raises(ValueError):
        explore.with_topics(posts.head(5), modeler)


def test_topic_charts_are_plotly_html_without_the_library(fitted):
    posts, modeler = fitted
    for kind, options in [("barchart", {"top_n_topics": 3}), ("documents", {}), ("heatmap", {}),
                          ("hierarchy", {}), ("topics_over_time", {})]:
        page = explore.topic_chart(modeler, kind, posts, **options).data
        assert 'class="plotly-graph-div"' in page and "Plotly.newPlot" in page, kind
        assert "plotly.js v" not in page and "cdn.plot.ly" not in page and "mathjax" not in page.lower(), kind
        assert not AUTHOR.search(page)
    with pytest.raises(ValueError, match="posts"):
        explore.topic_chart(modeler, "documents")
    with pytest.raises(ValueError, match="unknown chart"):
        explore.topic_chart(modeler, "pie")


def test_plotly_library_embeds_plotly_js_once():
    page = explore.plotly_library().data
    assert page.count("plotly.js v") == 1 and "window.Plotly" in page and "src=" not in page[:500]


def test_topic_charts_and_picture_say_why_when_there_are_no_topics():
    from feedback_analysis.topics import TopicModeler, small_settings

    modeler = TopicModeler(small_settings()).fit(["hallo", "merci", "ok"])
    assert modeler.model_ is None
    assert "Too few posts" in explore.topic_chart(modeler, "barchart").data
    figure = explore.plot_topic_words(modeler)
    assert figure.axes and not figure.axes[0].axison


def test_plot_topic_words_draws_one_panel_per_topic(fitted):
    _, modeler = fitted
    figure = explore.plot_topic_words(modeler, top_n_topics=2, n_words=4)
    assert len(figure.axes) == 2
    assert [t.get_text() for t in figure.axes[0].get_yticklabels()] == modeler.topics_[0]["words"][:4]


def test_short_labels_keep_whole_words():
    assert explore._short("3: gemiste ophaling, vuilniszakken, pmd", 28) == "3: gemiste ophaling"
    assert explore._short("3: zwembad", 28) == "3: zwembad"
