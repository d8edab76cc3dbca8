"""Reading one month closely: filters, post tables, threads and topic charts for the exploratory notebooks.

The notebooks in ``notebooks/exploratory/`` load the scored posts of a month
(:func:`feedback_analysis.pipeline.load_scored_posts`) and call these functions; nothing here reads or writes
the data folder.

* selecting: :func:`pick_month`, :func:`filter_posts`, :func:`thread_of`, :func:`busiest_thread`;
* showing: :func:`count_posts`, :func:`post_table` (the texts masked once more for display, see
  :func:`feedback_analysis.report_data.readable_text`), :func:`table_html`, and :func:`month_browser`, the
  ipywidgets form of :func:`filter_posts`;
* topics (a fitted :class:`feedback_analysis.topics.TopicModeler`): :func:`with_topics`, :func:`topics_table`,
  :func:`topic_examples`, :func:`plot_topic_words` (a static matplotlib chart), and :func:`topic_chart`, which
  draws one of BERTopic's own plotly visualisations as HTML.

Privacy: every table that leaves this module is without :data:`HIDDEN_COLUMNS`: the author's pseudonym (we
follow themes, never individuals) and the post's URL (a link leads to the author's profile).

Plotly in notebooks that are converted to HTML: a plotly figure left as the last value of a cell is shown
through the ``application/vnd.plotly.v1+json`` output, which nbconvert drops, so the chart is blank in the HTML
file. Here a figure becomes a ``text/html`` output (a ``<div>`` and the script that draws it), and
:func:`plotly_library` embeds plotly.js itself, once per notebook, so the HTML file works offline and loads
nothing from a CDN.
"""

from __future__ import annotations

import html
import os
import textwrap
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
import numpy as np
import pandas as pd
from matplotlib import rc_context
from matplotlib.figure import Figure

from feedback_analysis.config import Settings, load_settings
from feedback_analysis.report_data import readable_text

if TYPE_CHECKING:
    from IPython.display import HTML

    from feedback_analysis.topics import TopicModeler

HIDDEN_COLUMNS = ("author_id", "url")
TABLE_COLUMNS = ("post_id", "depth", "created_at", "kind", "thread_service", "sentiment", "abuse", "consensus",
                 "replies", "topic_label", "text")
THREAD_COLUMNS = ("post_id", "parent_id", "kind", "created_at", "sentiment", "service", "abuse", "text")
NO_SERVICE = "none"    # the filter value for posts about no service
MAX_ROWS = 50
LABEL_CHARS = 28      # topic labels in charts: longer ones overlap in BERTopic's bar chart
_KIND_ORDER = {"post": 0, "comment": 1, "reply": 2}


# --- settings ------------------------------------------------------------------------------------------

def notebook_settings(data_dir: str | Path = "", config_path: str | Path = "") -> Settings:
    """The settings for a notebook's parameters ``data_dir`` and ``config_path``; ``""`` means "as the
    project says": the config file in ``FEEDBACK_ANALYSIS_CONFIG`` (``make lab`` sets it), else
    ``feedback_analysis.yaml`` in the working folder, and the data folder of those settings (or
    ``FEEDBACK_ANALYSIS_DATA_DIR``, which ``make lab`` sets to the project's, as an absolute path).
    A kernel in JupyterLab runs in the notebook's folder, so a relative ``data`` would point there."""
    from feedback_analysis.lab import CONFIG_ENV

    config = Path(config_path) if config_path else None
    if config is None and os.environ.get(CONFIG_ENV):
        config = Path(os.environ[CONFIG_ENV])
    return load_settings(config, data_dir=Path(data_dir) if data_dir else None)


# --- selecting -----------------------------------------------------------------------------------------

def pick_month(months: Iterable[str], month: str = "") -> str:
    """``month`` when the store holds it, the latest month of ``months`` when ``month`` is empty.

    Raises ValueError naming the months there are when ``month`` is not among them or there are none.
    """
    available = sorted({str(m) for m in months if pd.notna(m) and str(m)})
    if not available:
        raise ValueError("The store holds no posts yet: run `feedback-analysis ingest` first.")
    if not month:
        return available[-1]
    if month not in available:
        raise ValueError(f"No posts for {month}; the store holds {available[0]} to {available[-1]}: "
                         f"{', '.join(available)}")
    return month


def _is_set(value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return value != ""
    if isinstance(value, (list, tuple, set, frozenset)):
        return len(value) > 0
    return True


def _as_list(value: object) -> list:
    return list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]


def _require(posts: pd.DataFrame, column: str, why: str) -> None:
    if column not in posts.columns:
        raise ValueError(f"These posts have no `{column}` column: {why}")


def filter_posts(posts: pd.DataFrame, month: str | list[str] | None = None, service: str | list[str] | None = None,
                 sentiment: str | list[str] | None = None, topic: int | str | list | None = None,
                 consensus: str | list[str] | None = None, abuse: str | list[str] | None = None,
                 text_contains: str | None = None, include_duplicates: bool = True) -> pd.DataFrame:
    """The rows of ``posts`` that match every filter given, without :data:`HIDDEN_COLUMNS`.

    In: scored posts (``pipeline.load_scored_posts``). A filter left at None or ``""`` selects everything; a
    list selects any of its values. ``service`` is matched against ``thread_service`` when the table has it
    (a reply counts for the service of its thread, as in the report), else ``service``; ``"none"`` selects
    posts about no service. ``topic`` matches the ``topic`` id or the ``topic_label`` (the table has them
    only when the topic stage has run). ``consensus`` is ``shared``, ``contested`` or ``isolated`` (top-level
    posts with replies); ``abuse`` is ``none``, ``offensive`` or ``threat``. ``text_contains`` is a
    case-insensitive piece of text. ``include_duplicates=False`` leaves out copy-paste duplicates.

    Out: the matching rows in their order, index reset, every column but the hidden ones.
    """
    keep = pd.Series(True, index=posts.index)
    if _is_set(month):
        keep &= posts["month"].astype(str).isin([str(m) for m in _as_list(month)])
    if _is_set(service):
        column = "thread_service" if "thread_service" in posts.columns else "service"
        _require(posts, column, "score the store first (`feedback-analysis enrich`).")
        wanted = ["" if s == NO_SERVICE else str(s) for s in _as_list(service)]
        keep &= posts[column].fillna("").astype(str).isin(wanted)
    if _is_set(sentiment):
        _require(posts, "sentiment", "score the store first (`feedback-analysis enrich`).")
        keep &= posts["sentiment"].isin(_as_list(sentiment))
    if _is_set(topic):
        _require(posts, "topic", "the topic stage has not run for these posts.")
        wanted = [str(t) for t in _as_list(topic)]
        by_id = posts["topic"].astype("Int64").astype(str).isin(wanted)
        by_label = posts["topic_label"].astype(str).isin(wanted) if "topic_label" in posts.columns else False
        keep &= by_id | by_label
    if _is_set(consensus):
        _require(posts, "consensus", "thread summaries are made by `feedback-analysis enrich`.")
        keep &= posts["consensus"].isin(_as_list(consensus))
    if _is_set(abuse):
        _require(posts, "abuse", "score the store first (`feedback-analysis enrich`).")
        keep &= posts["abuse"].isin(_as_list(abuse))
    if _is_set(text_contains):
        keep &= posts["text"].fillna("").str.contains(str(text_contains), case=False, regex=False)
    if not include_duplicates and "is_duplicate" in posts.columns:
        keep &= ~posts["is_duplicate"].fillna(False).astype(bool)
    return posts.loc[keep].drop(columns=list(HIDDEN_COLUMNS), errors="ignore").reset_index(drop=True)


def thread_of(posts: pd.DataFrame, post_id: str) -> pd.DataFrame:
    """The thread that ``post_id`` belongs to: its top-level post, then comments and replies by time.

    In: store rows with ``post_id, thread_id, kind, created_at, text`` (the thread's other rows must be in
    ``posts``: a reply written in the next month is not, unless that month is loaded too). ``post_id`` may be
    any row of the thread. Out: the columns of :data:`THREAD_COLUMNS` that ``posts`` has, plus ``depth``
    (0 post, 1 comment, 2 reply); the texts as stored (masked); never the authors.
    Raises KeyError when ``post_id`` is not in ``posts``.
    """
    match = posts.loc[posts["post_id"] == post_id, "thread_id"]
    if match.empty:
        raise KeyError(f"post {post_id!r} is not among these posts")
    thread_id = match.iloc[0] if pd.notna(match.iloc[0]) else post_id
    rows = posts[(posts["thread_id"] == thread_id) | (posts["post_id"] == thread_id)].copy()
    rows["depth"] = rows["kind"].map(_KIND_ORDER).fillna(1).astype(int)
    rows["_top"] = (rows["post_id"] != thread_id).astype(int)
    rows = rows.sort_values(["_top", "created_at", "post_id"], kind="stable")
    columns = [c for c in THREAD_COLUMNS if c in rows.columns and c not in HIDDEN_COLUMNS]
    return rows[["depth", *columns]].reset_index(drop=True)


def busiest_thread(posts: pd.DataFrame) -> str | None:
    """The ``post_id`` of the top-level post with the most replies among ``posts`` (None when none has)."""
    if "replies" not in posts.columns:
        return None
    tops = posts[(posts["kind"] == "post") & posts["replies"].fillna(0).gt(0)]
    if tops.empty:
        return None
    return str(tops.sort_values(["replies", "post_id"], ascending=[False, True], kind="stable")["post_id"].iloc[0])


# --- showing -------------------------------------------------------------------------------------------

def count_posts(posts: pd.DataFrame, rows: str = "thread_service", columns: str = "sentiment") -> pd.DataFrame:
    """Posts per value of ``rows`` (lines) and ``columns`` (columns), with a ``total`` column, largest first.

    Empty values of ``rows`` are shown as ``(none)``.
    """
    if posts.empty:
        return pd.DataFrame(columns=["total"])
    lines = posts[rows].fillna("").astype(str).replace("", "(none)")
    table = pd.crosstab(lines, posts[columns].fillna("").astype(str))
    table["total"] = table.sum(axis=1)
    table = table.sort_values("total", ascending=False, kind="stable")
    table.index.name, table.columns.name = rows, columns
    return table


def post_table(posts: pd.DataFrame, columns: Iterable[str] = TABLE_COLUMNS, max_chars: int | None = 300,
               lang: str = "nl", timezone: str = "Europe/Brussels") -> pd.DataFrame:
    """Posts ready to read: the ``columns`` that ``posts`` has (never :data:`HIDDEN_COLUMNS`), ``created_at``
    in local time to the minute, ``text`` masked once more for display and cut after ``max_chars``.
    """
    shown = [c for c in columns if c in posts.columns and c not in HIDDEN_COLUMNS]
    table = posts[shown].copy()
    if "created_at" in table.columns:
        moments = pd.to_datetime(table["created_at"], utc=True).dt.tz_convert(timezone)
        table["created_at"] = moments.dt.strftime("%Y-%m-%d %H:%M")
    if "text" in table.columns:
        table["text"] = [readable_text(value, lang, max_chars) for value in table["text"]]
    if "replies" in table.columns:  # a float column only because posts without replies have none
        table["replies"] = [("" if pd.isna(value) else str(int(value))) for value in table["replies"]]
    return table.reset_index(drop=True)


def table_html(table: pd.DataFrame, max_rows: int = MAX_ROWS) -> HTML:
    """A table (posts, topics) as HTML for a notebook: every cell escaped, long texts in full (pandas' own
    display cuts them at 50 characters), left-aligned, at most ``max_rows`` rows with a note saying how many
    there are. Never shows :data:`HIDDEN_COLUMNS`."""
    from IPython.display import HTML

    table = table.drop(columns=list(HIDDEN_COLUMNS), errors="ignore")
    if table.empty:
        return HTML("<p><em>No rows match.</em></p>")
    shown = table.head(max_rows).astype(object).where(table.head(max_rows).notna(), "")
    body = shown.to_html(index=False, escape=True, border=0, classes="posts")
    note = f"<p><em>The first {len(shown)} of {len(table)} rows.</em></p>" if len(table) > len(shown) else ""
    return HTML(_TABLE_STYLE + note + body)


# JupyterLab (and nbconvert's lab template) right-aligns output tables with a fixed layout, which pushes a
# long text column off the page; these rules outrank its selectors.
_TABLE_STYLE = """<style>
.jp-RenderedHTMLCommon table.posts, table.posts {table-layout: auto; width: 100%; margin-left: 0; margin-right: auto;}
:not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon table.posts td, :not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon
table.posts th, table.posts td, table.posts th {text-align: left; vertical-align: top; white-space: normal;}
table.posts td:last-child {min-width: 18em;}
</style>"""


class MonthBrowser(widgets.VBox):
    """The widget :func:`month_browser` returns: its text form (what a notebook shows where widgets cannot be
    drawn) is one sentence instead of every child widget."""

    def __repr__(self) -> str:
        return "Month browser: drop-downs and the matching posts (open the notebook in Jupyter to use it)"


def month_browser(posts: pd.DataFrame, service: str | None = None, sentiment: str | None = None,
                  topic: str | None = None, consensus: str | None = None, abuse: str | None = None,
                  text_contains: str | None = None, max_rows: int = MAX_ROWS, lang: str = "nl") -> MonthBrowser:
    """Drop-downs for :func:`filter_posts` over ``posts``, with the matching posts below them (ipywidgets).

    The first values are the arguments, so the form opens on the notebook's parameters. The options are the
    values the posts have, with their counts; the topic drop-down is there only when ``posts`` has topics.
    The table is written into an ``Output`` widget directly, so it also works without a browser (papermill).
    """
    service_column = "thread_service" if "thread_service" in posts.columns else "service"
    fields = {"service": service_column, "sentiment": "sentiment", "topic": "topic_label",
              "consensus": "consensus", "abuse": "abuse"}
    start = {"service": service, "sentiment": sentiment, "topic": topic, "consensus": consensus, "abuse": abuse}
    dropdowns = {}
    for name, column in fields.items():
        if column not in posts.columns:
            continue
        values = posts[column].fillna("").astype(str)
        if name == "service":
            values = values.replace("", NO_SERVICE)
        counts = values[values != ""].value_counts()
        options = [("(all)", "")] + [(f"{value} ({count})", value) for value, count in counts.items()]
        first = "" if start[name] is None else str(start[name])
        if first not in {value for _, value in options}:
            options.append((f"{first} (0)", first))
        dropdowns[name] = widgets.Dropdown(options=options, value=first, description=name)
    search = widgets.Text(value=text_contains or "", description="text", placeholder="a word in the text")
    count = widgets.HTML()
    output = widgets.Output()

    def refresh(_=None) -> None:
        chosen = {name: dropdown.value for name, dropdown in dropdowns.items()}
        matched = filter_posts(posts, text_contains=search.value, **chosen)
        count.value = f"<b>{len(matched)}</b> of {len(posts)} posts match"
        output.outputs = ()
        output.append_display_data(table_html(post_table(matched, lang=lang), max_rows))

    for control in [*dropdowns.values(), search]:
        control.observe(refresh, names="value")
    refresh()
    controls = list(dropdowns.values())
    return MonthBrowser([widgets.HBox(controls[:3]), widgets.HBox([*controls[3:], search]), count, output])


# --- topics --------------------------------------------------------------------------------------------

def with_topics(posts: pd.DataFrame, modeler: TopicModeler) -> pd.DataFrame:
    """``posts`` (the rows the modeler was fitted on, in order) with ``topic`` and ``topic_label`` added."""
    if len(modeler.labels_) != len(posts):
        raise ValueError(f"the topic model was fitted on {len(modeler.labels_)} texts, not these {len(posts)} posts")
    result = posts.drop(columns=list(HIDDEN_COLUMNS), errors="ignore").copy()
    result["topic"] = np.asarray(modeler.labels_, dtype=np.int64)
    result["topic_label"] = modeler.labels_for(modeler.labels_)
    return result


def topics_table(modeler: TopicModeler) -> pd.DataFrame:
    """The fitted topics, largest first: ``topic, label, posts, share, words`` (share of all fitted texts)."""
    rows = [{"topic": item["topic"], "label": item["label"], "posts": item["size"],
             "share": round(item["size"] / max(len(modeler.labels_), 1), 3), "words": ", ".join(item["words"])}
            for item in modeler.topics_]
    return pd.DataFrame(rows, columns=["topic", "label", "posts", "share", "words"])


def topic_examples(modeler: TopicModeler, posts: pd.DataFrame, max_chars: int = 200, lang: str = "nl") -> pd.DataFrame:
    """The posts closest to each topic's centre: ``topic, label, example`` (masked for display)."""
    texts = posts["text"].tolist()
    rows = [{"topic": item["topic"], "label": item["label"], "example": readable_text(texts[i], lang, max_chars)}
            for item in modeler.topics_ for i in modeler.representative_docs_.get(item["topic"], [])]
    return pd.DataFrame(rows, columns=["topic", "label", "example"])


def plot_topic_words(modeler: TopicModeler, top_n_topics: int = 8, n_words: int = 5) -> Figure:
    """A static version of BERTopic's bar chart: the ``n_words`` best words of the largest topics with their
    c-TF-IDF weight, one small panel per topic. A PNG of it needs no JavaScript (print, e-mail)."""
    from feedback_analysis.plots import GREY, POSITIVE, STYLE, WIDTH

    with rc_context(STYLE):
        shown = modeler.topics_[:top_n_topics]
        if modeler.model_ is None or not shown:
            figure = Figure(figsize=(WIDTH, 1.4), layout="constrained")
            ax = figure.add_subplot()
            ax.axis("off")
            ax.text(0.5, 0.5, modeler.message_ or "No topics.", ha="center", va="center", color=GREY, wrap=True)
            return figure
        columns = min(3, len(shown))
        lines = -(-len(shown) // columns)
        figure = Figure(figsize=(WIDTH, (0.28 * n_words + 0.9) * lines), layout="constrained")
        figure.set_label("The largest topics and their most typical words")
        for position, item in enumerate(shown):
            ax = figure.add_subplot(lines, columns, position + 1)
            weights = [weight for word, weight in modeler.model_.get_topic(item["topic"]) if word][:n_words]
            words = item["words"][: len(weights)]
            y = np.arange(len(words))[::-1]
            ax.barh(y, weights, color=POSITIVE, height=0.7)
            ax.set_yticks(y, words, fontsize=8.5)
            title = textwrap.fill(f"{item['topic']}: {item['label']} ({item['size']})", 26)
            ax.set_title(title, loc="left", fontsize=9)
            ax.tick_params(axis="x", labelsize=7.5)
            ax.grid(axis="y", visible=False)
        return figure


def _name_topics(model: Any, modeler: TopicModeler) -> None:
    """Give BERTopic our labels, so its charts say "3: gemiste ophaling" like the tables do."""
    topics = sorted({int(t) for t in model.topics_})
    names = [_short(f"{t}: {label}") for t, label in zip(topics, modeler.labels_for(topics))]
    model.set_topic_labels(names)


def _short(label: str, width: int = LABEL_CHARS) -> str:
    """A label cut after its last whole word (or comma-separated term) that fits in ``width`` characters."""
    if len(label) <= width:
        return label
    cut = label[:width].rstrip(", ")
    for separator in (",", " "):
        if separator in cut[3:]:
            return cut[: cut.rindex(separator)].rstrip(", ")
    return cut


def _message_html(message: str) -> HTML:
    from IPython.display import HTML

    return HTML(f"<p><em>{html.escape(message)}</em></p>")


CHARTS = {
    "barchart": "visualize_barchart",            # best words per topic
    "documents": "visualize_documents",          # every post as a point (2-D SVD of its embedding, no UMAP)
    "heatmap": "visualize_heatmap",              # similarity of topics
    "hierarchy": "visualize_hierarchy",          # which topics merge first
    "topics_over_time": "visualize_topics_over_time",  # posts per topic and day
    "topics": "visualize_topics",                # intertopic distance map: UMAP, 10 to 40 s the first time
}


def topic_chart(modeler: TopicModeler, kind: str, posts: pd.DataFrame | None = None, lang: str = "nl",
                timezone: str = "Europe/Brussels", **options: Any) -> HTML:
    """One of BERTopic's own plotly visualisations of the fitted topics, as HTML (see :func:`plotly_html`).

    ``kind`` names the chart (:data:`CHARTS`: ``barchart``, ``documents``, ``heatmap``, ``hierarchy``,
    ``topics_over_time``, ``topics``); ``options`` go to BERTopic's ``visualize_*`` method as they are.
    ``documents`` and ``topics_over_time`` need the fitted ``posts`` (texts, masked again for the hover
    boxes, and ``created_at``, counted per local day). Charts are labelled like the tables. When the month
    had too few posts for topics, or the chart needs more topics than there are, the result is a sentence.
    """
    if kind not in CHARTS:
        raise ValueError(f"unknown chart {kind!r}; one of {', '.join(CHARTS)}")
    model = modeler.model_
    if model is None:
        return _message_html(modeler.message_ or "No topics were fitted.")
    n_topics = len(modeler.topics_)
    if n_topics < (2 if kind in {"heatmap", "hierarchy", "topics"} else 1):
        return _message_html(f"Only {n_topics} topic(s) this month: the {kind} chart needs more.")
    _name_topics(model, modeler)
    options = {"custom_labels": True, **options}
    if kind in {"documents", "topics_over_time"}:
        if posts is None or len(posts) != len(modeler.labels_):
            raise ValueError(f"the {kind} chart needs the posts the topics were fitted on")
        texts = [str(t) if pd.notna(t) else "" for t in posts["text"]]
        if kind == "documents":
            shown = [readable_text(t, lang, 160) for t in texts]
            figure = model.visualize_documents(shown, reduced_embeddings=_document_map(model, texts), **options)
        else:
            days = pd.to_datetime(posts["created_at"], utc=True).dt.tz_convert(timezone).dt.tz_localize(None)
            over_time = model.topics_over_time(texts, days.dt.floor("D").tolist())
            figure = model.visualize_topics_over_time(over_time, **options)
    else:
        figure = getattr(model, CHARTS[kind])(**options)
    return plotly_html(figure)


def _document_map(model: Any, texts: list[str]) -> np.ndarray:
    """Two coordinates per text: its embedding reduced with truncated SVD (BERTopic would run UMAP)."""
    from sklearn.decomposition import TruncatedSVD

    embeddings = np.asarray(model.embedding_model.embed(texts), dtype=np.float64)
    if embeddings.shape[1] < 3:
        return np.pad(embeddings, ((0, 0), (0, max(0, 2 - embeddings.shape[1]))))[:, :2]
    return TruncatedSVD(n_components=2, random_state=0).fit_transform(embeddings)


def plotly_library() -> HTML:
    """plotly.js itself (about 4.8 MB), to show once in a notebook before its first chart: the charts of
    :func:`plotly_html` use it, in Jupyter and in the HTML file nbconvert makes, without internet."""
    from IPython.display import HTML
    from plotly.offline import get_plotlyjs

    return HTML('<script type="text/javascript">window.PlotlyConfig = {MathJaxConfig: "local"};</script>\n'
                f'<script type="text/javascript">{get_plotlyjs()}</script>')


def plotly_html(figure: Any, height: int | None = None) -> HTML:
    """A plotly figure as a ``text/html`` output: its ``<div>`` and drawing script, without plotly.js (see
    :func:`plotly_library`) and without MathJax (which would come from a CDN)."""
    from IPython.display import HTML

    if height is not None:
        figure.update_layout(height=height)
    page = figure.to_html(include_plotlyjs=False, include_mathjax=False, full_html=False, default_width="100%",
                          config={"displaylogo": False, "responsive": True})
    return HTML(page)


def options_summary(values: Mapping[str, object]) -> str:
    """The filters that are set, as one line ("service = afval, sentiment = negative"), or "no filters"."""
    chosen = [f"{name} = {value}" for name, value in values.items() if _is_set(value)]
    return ", ".join(chosen) if chosen else "no filters"
