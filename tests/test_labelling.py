"""The labelling sample, the form and the label files: stratified, no repeats, nothing saved unasked, readable by
the scorer, never an author."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from feedback_analysis import labelling, report_data
from feedback_analysis.learning import choose_sentiment_model, load_labels

AUTHOR = re.compile(r"a_[0-9a-f]{16}")
FILE_NAME = re.compile(r"^\d{8}T\d{6}\.csv$")


def make_posts(per_stratum: dict[tuple[str, str], int] | None = None) -> pd.DataFrame:
    """Scored posts with the given number of rows per (service, sentiment)."""
    per_stratum = per_stratum or {("afval", "negative"): 200, ("afval", "positive"): 40, ("", "neutral"): 100,
                                  ("parkeren", "negative"): 9, ("zwembad", "positive"): 1}
    rows = []
    for (service, sentiment), count in per_stratum.items():
        for i in range(count):
            rows.append({"post_id": f"{service or 'geen'}-{sentiment}-{i}", "month": "2026-10", "kind": "post",
                         "text": f"bericht {i} over {service or 'niets'} ({sentiment})", "sentiment": sentiment,
                         "service": service, "abuse": "none", "author_id": f"a_{len(rows):016x}",
                         "is_duplicate": False})
    return pd.DataFrame(rows)


# --- the sample ------------------------------------------------------------------------------------------------

def test_sample_covers_every_stratum_and_leans_towards_small_ones():
    posts = make_posts()
    sample = labelling.sample_for_labelling(posts, n=50, seed=0)
    assert len(sample) == 50 and sample["post_id"].is_unique
    counts = sample["stratum"].value_counts()
    assert set(counts.index) == {"afval / negative", "afval / positive", "none / neutral", "parkeren / negative",
                                 "zwembad / positive"}
    # square-root allocation: the largest stratum gets most, but less than its share of the posts (57 %)
    assert counts["afval / negative"] == counts.max() and counts["afval / negative"] / 50 < 200 / 350
    assert counts["zwembad / positive"] == 1
    proportional = labelling.sample_for_labelling(posts, n=50, seed=0, allocation="proportional")
    assert proportional["stratum"].value_counts()["afval / negative"] == round(50 * 200 / 350)


def test_sample_is_reproducible_and_shuffled():
    posts = make_posts()
    first = labelling.sample_for_labelling(posts, n=30, seed=4)
    assert first.equals(labelling.sample_for_labelling(posts, n=30, seed=4))
    assert not first["post_id"].equals(labelling.sample_for_labelling(posts, n=30, seed=5)["post_id"])
    assert first["stratum"].nunique() > 1 and not first["stratum"].is_monotonic_increasing


def test_sample_skips_labelled_duplicate_unscored_and_letterless_posts():
    posts = make_posts({("afval", "negative"): 6})
    posts.loc[0, "is_duplicate"] = True
    posts.loc[1, "text"] = posts.loc[2, "text"].upper()  # the same text again, louder
    posts.loc[3, "sentiment"] = None  # not scored yet
    posts.loc[4, "text"] = "??? 👍"
    labels = pd.DataFrame({"post_id": [posts.loc[5, "post_id"]], "text": ["x"], "sentiment": ["negative"]})
    sample = labelling.sample_for_labelling(posts, n=10, already_labelled=labels)
    assert list(sample["post_id"]) == [posts.loc[1, "post_id"]] or list(sample["post_id"]) == [posts.loc[2, "post_id"]]
    ids = labelling.sample_for_labelling(make_posts(), n=400, already_labelled=["afval-negative-0"])["post_id"]
    assert len(ids) == 349 and "afval-negative-0" not in set(ids)


def test_sample_never_holds_an_author():
    sample = labelling.sample_for_labelling(make_posts(), n=20)
    assert list(sample.columns) == [*labelling.SAMPLE_COLUMNS, "stratum"]
    assert not AUTHOR.search(sample.to_csv())
    assert labelling.sample_for_labelling(make_posts().iloc[0:0], n=5).empty


@pytest.mark.parametrize("allocation", labelling.ALLOCATIONS)
def test_allocation_adds_up_and_never_exceeds_a_stratum(allocation):
    sizes = pd.Series({"a": 1000, "b": 50, "c": 3, "d": 1})
    for n in (0, 1, 3, 40, 500, 1054, 5000):
        quota = labelling._allocate(sizes, n, allocation)
        assert quota.sum() == min(n, sizes.sum()) and (quota <= sizes).all() and (quota >= 0).all()
    with pytest.raises(ValueError):
        labelling._allocate(sizes, 5, "random")


# --- saving ------------------------------------------------------------------------------------------------------

def test_saved_labels_are_what_the_scorer_reads_and_hold_no_author(tmp_path):
    frame = make_posts({("afval", "negative"): 3}).assign(author="Sofie Van Damme")
    frame.loc[2, "service"] = "none"
    path = labelling.save_labels(frame, tmp_path / "labels", analyst="AC",
                                 now=pd.Timestamp("2026-11-02 09:15:07", tz="Europe/Brussels"))
    assert path.name == "20261102T081507.csv" and FILE_NAME.match(path.name)
    written = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert list(written.columns) == [*labelling.LABEL_COLUMNS, "analyst"]
    assert set(written["labelled_at"]) == {"2026-11-02T08:15:07+00:00"}
    content = path.read_text()
    assert "Sofie" not in content and not AUTHOR.search(content)
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left
    loaded = load_labels(tmp_path / "labels")
    assert list(loaded["post_id"]) == list(frame["post_id"]) and list(loaded["service"]) == ["afval", "afval", "none"]


def test_save_labels_never_overwrites_and_the_newest_label_wins(tmp_path):
    moment = pd.Timestamp("2026-11-02 08:00:00", tz="UTC")
    first = pd.DataFrame({"post_id": ["p1", "p2"], "text": ["a", "b"], "sentiment": ["negative", "neutral"]})
    second = pd.DataFrame({"post_id": ["p1"], "text": ["a"], "sentiment": ["positive"]})
    paths = [labelling.save_labels(first, tmp_path, now=moment), labelling.save_labels(second, tmp_path, now=moment)]
    assert [p.name for p in paths] == ["20261102T080000.csv", "20261102T080001.csv"]
    loaded = load_labels(tmp_path).set_index("post_id")
    assert loaded.loc["p1", "sentiment"] == "positive" and loaded.loc["p2", "sentiment"] == "neutral"
    assert loaded.loc["p1", "service"] == "" and "analyst" not in loaded.columns


def test_save_labels_refuses_unknown_labels_and_empty_rows(tmp_path):
    with pytest.raises(ValueError, match="sentiment"):
        labelling.save_labels(pd.DataFrame({"post_id": ["p"], "text": ["t"], "sentiment": ["boos"]}), tmp_path)
    with pytest.raises(ValueError, match="abuse"):
        labelling.save_labels(pd.DataFrame({"post_id": ["p"], "text": ["t"], "abuse": ["rude"]}), tmp_path)
    with pytest.raises(ValueError, match="nothing to save"):
        labelling.save_labels(pd.DataFrame({"post_id": ["p"], "text": ["t"], "sentiment": [""]}), tmp_path)
    with pytest.raises(ValueError, match="post_id"):
        labelling.save_labels(pd.DataFrame({"text": ["t"], "sentiment": ["negative"]}), tmp_path)
    path = labelling.save_labels(pd.DataFrame({"post_id": ["p", "q"], "text": ["t", "u"],
                                               "sentiment": ["negative", ""]}), tmp_path)
    assert list(load_labels(tmp_path)["post_id"]) == ["p"] and path.exists()


def test_a_failed_save_leaves_no_label_file(tmp_path, monkeypatch):
    def broken(self, path, **options):
        Path(path).write_text("post_id,text\nhalf")
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", broken)
    with pytest.raises(OSError):
        labelling.save_labels(pd.DataFrame({"post_id": ["p"], "text": ["t"], "sentiment": ["negative"]}), tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_saved_labels_measure_accuracy_with_the_report_function(tmp_path):
    assert labelling.__dict__.get("labels_accuracy") is None  # reused from report_data, not rewritten
    labels = pd.DataFrame({"post_id": ["p1", "p2"], "text": ["a", "b"], "sentiment": ["negative", "positive"],
                           "service": ["afval", "none"], "abuse": ["none", "none"]})
    labelling.save_labels(labels, tmp_path)
    scores = pd.DataFrame({"post_id": ["p1", "p2"], "sentiment": ["negative", "negative"], "service": ["afval", ""],
                           "abuse": ["none", "none"]})
    accuracy = report_data.labels_accuracy(load_labels(tmp_path), scores).set_index("task")
    assert accuracy.loc["sentiment", "accuracy"] == 0.5 and accuracy.loc["service", "accuracy"] == 1.0


def test_count_labels_and_model_choice_text():
    labels = pd.DataFrame({"post_id": ["p1", "p2", "p3"], "sentiment": ["negative", "negative", ""],
                           "service": ["afval", "", ""]})
    counts = labelling.count_labels(labels)
    assert counts.loc["sentiment", "labelled"] == 2 and counts.loc["sentiment", "values"] == "negative 2"
    assert counts.loc["abuse", "labelled"] == 0
    text = labelling.describe_model_choice(choose_sentiment_model(labels))
    assert "the rules" in text and "at least 60" in text


# --- the form ------------------------------------------------------------------------------------------------------

@pytest.fixture
def sample() -> pd.DataFrame:
    posts = make_posts({("afval", "negative"): 2, ("", "neutral"): 1, ("eigen_dienst", "positive"): 1})
    return labelling.sample_for_labelling(posts, n=4, seed=1)


def test_form_is_prefilled_with_the_predictions_and_saves_nothing_by_itself(sample, tmp_path):
    import ipywidgets

    form = labelling.label_widgets(sample, {"afval": "Afval en netheid", "groen": "Groen"}, tmp_path / "labels")
    assert isinstance(form, ipywidgets.VBox) and len(form.rows_) == 4
    for (_, post), row in zip(sample.iterrows(), form.rows_):
        assert row["sentiment"].value == post["sentiment"] and row["abuse"].value == "none"
        assert row["service"].value == (post["service"] or "none")  # a service the taxonomy lacks stays
        assert row["checked"].value is False
    assert form.labels().empty and not (tmp_path / "labels").exists()
    assert repr(form).startswith("Labelling form for 4 posts")
    assert not AUTHOR.search(str([child for child in form.children]))


def test_form_saves_checked_rows_once_and_changes_again(sample, tmp_path):
    form = labelling.label_widgets(sample, ["afval", "groen"], tmp_path, analyst="AC")
    form.rows_[0]["sentiment"].value = "positive" if form.rows_[0]["sentiment"].value != "positive" else "neutral"
    assert form.rows_[0]["checked"].value is True  # a correction ticks the row
    form.rows_[1]["checked"].value = True  # read and found right
    assert "2 of 4" in form.progress.value
    form.button.click()
    first = load_labels(tmp_path)
    assert list(first["post_id"]) == list(sample["post_id"][:2]) and set(first["analyst"]) == {"AC"}
    assert first.loc[0, "sentiment"] == form.rows_[0]["sentiment"].value
    assert form.save() is None and "Nothing new" in form.status.value
    form.rows_[1]["abuse"].value = "offensive"
    path = form.save()
    assert list(pd.read_csv(path, dtype=str)["post_id"]) == [sample["post_id"][1]]
    assert len(list(tmp_path.glob("*.csv"))) == 2 and "Saved 1 labels" in form.status.value


def test_form_leaves_out_a_label_marked_not_sure(sample, tmp_path):
    form = labelling.label_widgets(sample, ["afval"], tmp_path)
    form.rows_[0]["service"].value = ""
    saved = pd.read_csv(form.save(), dtype=str, keep_default_na=False)
    assert saved.loc[0, "service"] == "" and saved.loc[0, "sentiment"] == sample.loc[0, "sentiment"]
