"""The exploratory notebooks run top to bottom through papermill, without a person, on a small data folder.

The data folder is built once for the module: the fixture exports plus one generated month of the sample
municipality (enough posts for topics), ingested and scored. Each notebook runs in a fresh ``python3``
kernel, drawing inline as in JupyterLab (MPLBACKEND removed), and its outputs are checked; the topic explorer
is also converted to HTML with nbconvert, as an analyst would, to check that its charts come with plotly.js.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jupytext
import nbformat
import papermill
import pytest

from feedback_analysis import pipeline
from feedback_analysis.config import load_settings
from feedback_analysis.sample import write_sample_exports

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks" / "exploratory"
AUTHOR = re.compile(r"a_[0-9a-f]{16}")
NAMES = ("Sofie Van Damme", "Bart Willems", "Koen Wouters", "Mieke Peeters", "Jef Van Acker")

try:
    import bertopic  # noqa: F401

    from feedback_analysis.topics import TopicModeler, small_settings  # noqa: F401

    TOPICS_REASON = ""
except ImportError as exc:  # the topic stage or BERTopic is not installed
    TOPICS_REASON = f"topics are not usable here: {exc}"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    """Fixture exports (2021-03, 2026-01 to 2026-04) and a generated 2026-10, ingested and scored."""
    root = tmp_path_factory.mktemp("exploratory")
    fixtures = Path(__file__).parent / "fixtures"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)  # no feedback_analysis.yaml of the developer's
        patch.delenv("FEEDBACK_ANALYSIS_DATA_DIR", raising=False)
        settings = load_settings(data_dir=root / "data", environ={})
        exports = write_sample_exports(root / "exports", end_month="2026-10", months=1, posts_per_month=60)
        report = pipeline.ingest([fixtures / "dyi", fixtures / "scraper" / "posts.jsonl",
                                  fixtures / "handmade_cp1252.csv", exports["dyi"].parent], settings)
        assert report.ok, report.errors
        pipeline.enrich(settings)
    return settings.data_dir


def run(name: str, tmp_path: Path, monkeypatch, **parameters) -> tuple[dict, str]:
    """Execute a notebook through papermill; returns the executed notebook and the text of its outputs."""
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel must draw inline, as in JupyterLab
    output = tmp_path / f"{name}.ipynb"
    papermill.execute_notebook(str(NOTEBOOKS / f"{name}.ipynb"), str(output), parameters=parameters,
                               kernel_name="python3", progress_bar=False, cwd=str(tmp_path))
    executed = json.loads(output.read_text())
    outputs = json.dumps([cell.get("outputs", []) for cell in executed["cells"]])
    assert '"output_type": "error"' not in outputs
    return executed, outputs


@pytest.mark.parametrize("name, parameters", [
    ("02_month_explorer", {"data_dir", "config_path", "month", "service", "sentiment", "topic", "consensus", "abuse",
                           "text_contains", "thread_post_id", "max_rows"}),
    ("03_labelling", {"data_dir", "config_path", "month", "period_months", "sample_size", "seed", "allocation",
                      "analyst", "save_predictions_as_labels"}),
    ("04_topic_explorer", {"data_dir", "config_path", "month", "service", "fast", "top_n_topics", "intertopic_map"}),
])
def test_notebooks_declare_their_parameters_and_pair(name, parameters):
    assert set(papermill.inspect_notebook(str(NOTEBOOKS / f"{name}.ipynb"))) == parameters
    notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    paired = jupytext.read(NOTEBOOKS / f"{name}.py")
    assert [(c.cell_type, c.source) for c in notebook.cells] == [(c.cell_type, c.source) for c in paired.cells], \
        f"regenerate {name}.ipynb from its .py with jupytext"


def test_labelling_notebook_never_saves_predictions_by_default():
    parameters = papermill.inspect_notebook(str(NOTEBOOKS / "03_labelling.ipynb"))
    assert parameters["save_predictions_as_labels"]["default"] == "False"


def test_month_explorer_shows_the_filtered_posts_without_a_browser(data_dir, tmp_path, monkeypatch):
    _, outputs = run("02_month_explorer", tmp_path, monkeypatch, data_dir=str(data_dir), service="afval",
                     sentiment="negative")
    assert "2026-10:" in outputs  # the latest month by default
    assert "posts match: service = afval, sentiment = negative" in outputs
    assert "Month browser" in outputs  # the widgets' text form
    assert "table class=\\\"dataframe posts\\\"" in outputs  # the fallback table, also in an HTML copy
    assert "No topics are stored for this month" in outputs
    assert "depth" in outputs  # a thread was shown
    assert not AUTHOR.search(outputs) and not any(name in outputs for name in NAMES)


def test_labelling_notebook_shows_sample_form_and_accuracy_and_saves_nothing(data_dir, tmp_path, monkeypatch):
    from feedback_analysis import labelling
    from feedback_analysis.learning import load_labels

    # an analyst labelled two posts before
    labels_dir = data_dir / "labels"
    scored = pipeline.load_scored_posts(load_settings(data_dir=data_dir, environ={}), ["2026-10"])
    labelling.save_labels(scored.head(2), labels_dir, analyst="AC")
    before = sorted(labels_dir.iterdir())
    _, outputs = run("03_labelling", tmp_path, monkeypatch, data_dir=str(data_dir), sample_size=12, period_months=1)
    assert sorted(labels_dir.iterdir()) == before, "a run without a person saves nothing"
    assert "2 posts labelled so far" in outputs
    assert "macro_f1" in outputs and "Sentiment model with these labels: the rules" in outputs
    assert "Labelling form for 12 posts" in outputs
    assert "Nothing saved by this cell" in outputs
    assert not any(post_id in outputs for post_id in load_labels(labels_dir)["post_id"]), "labelled posts are left out"
    assert not AUTHOR.search(outputs) and not any(name in outputs for name in NAMES)


@pytest.mark.skipif(bool(TOPICS_REASON), reason=TOPICS_REASON or "topics usable")
def test_topic_explorer_charts_work_offline_in_html(data_dir, tmp_path, monkeypatch):
    from nbconvert import HTMLExporter

    executed, outputs = run("04_topic_explorer", tmp_path, monkeypatch, data_dir=str(data_dir))
    assert "2026-10:" in outputs and "topics." in outputs
    assert "image/png" in outputs  # the static picture
    assert "The topic stage has not recorded this month" in outputs
    page, _ = HTMLExporter().from_notebook_node(nbformat.reads(json.dumps(executed), as_version=4))
    # plotly.js is in the page once, and every chart has its div and its drawing call
    assert page.count("plotly.js v") == 1
    divs = re.findall(r'<div\b[^>]*\bclass="plotly-graph-div"[^>]*>', page)
    charts = [re.search(r'\bid="([0-9a-f-]{36})"', div).group(1) for div in divs]
    assert len(charts) == 5  # barchart, documents, heatmap, hierarchy, topics over time
    assert all(f'document.getElementById("{chart}")' in page for chart in charts)
    # nothing of plotly is loaded from elsewhere (nbconvert's own require.js and MathJax tags are not ours)
    assert not re.search(r"<script[^>]*\bsrc=[\"'][^\"']*(plot\.ly|plotly)", page)
    assert "application/vnd.plotly.v1+json" not in outputs
    assert not AUTHOR.search(outputs)
