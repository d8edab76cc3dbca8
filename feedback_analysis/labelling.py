"""Analysts' labels: a sample to check, a form to correct it in, and the CSV files the scorer learns from.

The labelling notebook (``notebooks/exploratory/03_labelling.ipynb``) draws a sample of scored posts
(:func:`sample_for_labelling`), shows it in a form (:func:`label_widgets`) where an analyst corrects the
predicted sentiment, service and abuse label of each post, and saves the checked rows with
:func:`save_labels` to ``<data-dir>/labels/<YYYYmmddTHHMMSS>.csv``. Those files are what
:func:`feedback_analysis.learning.load_labels` reads: ``learning.choose_sentiment_model`` trains a model on
them (used only when it beats the rules in cross-validation) and the report's method section shows the
accuracy on them (:func:`feedback_analysis.report_data.labels_accuracy`).

Only rows the analyst ticked as checked are saved, corrected or not: a file with only the corrections
would make the scorer look worse than it is. A label file holds ``post_id, text, sentiment, service, abuse,
labelled_at`` (and ``analyst`` when one is given): the masked text as stored, never an author or a name.
In the ``service`` column ``none`` means "about no service"; an empty cell means "not labelled".
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping
from pathlib import Path

import ipywidgets as widgets
import numpy as np
import pandas as pd

from feedback_analysis.abuse import LABELS as ABUSE_LABELS
from feedback_analysis.report_data import readable_text
from feedback_analysis.sentiment import LABELS as SENTIMENT_LABELS
from feedback_analysis.store.labels import write_label_file

LABEL_COLUMNS = ("post_id", "text", "sentiment", "service", "abuse", "labelled_at")
SAMPLE_COLUMNS = ("post_id", "month", "kind", "text", "sentiment", "service", "abuse")
NO_SERVICE = "none"
STRATA = ("service", "sentiment")
ALLOCATIONS = ("sqrt", "proportional", "equal")
_UNSURE = ("? not sure", "")


# --- the sample ------------------------------------------------------------------------------------------

def _labelled_ids(already_labelled: pd.DataFrame | Iterable[str] | None) -> set[str]:
    if already_labelled is None:
        return set()
    if isinstance(already_labelled, pd.DataFrame):
        return set(already_labelled["post_id"].astype(str)) if "post_id" in already_labelled.columns else set()
    return {str(value) for value in already_labelled}


def _allocate(sizes: pd.Series, n: int, allocation: str) -> pd.Series:
    """Rows to draw per stratum: ``n`` shared by the ``allocation`` weights, never more than a stratum has.

    Quotas are rounded by largest remainder; rows a small stratum cannot give are shared again among the
    others.
    """
    if allocation not in ALLOCATIONS:
        raise ValueError(f"allocation must be one of {', '.join(ALLOCATIONS)}, not {allocation!r}")
    total = min(int(n), int(sizes.sum()))
    taken = pd.Series(0, index=sizes.index)
    while (left := total - int(taken.sum())) > 0:
        room = sizes - taken
        candidates = room[room > 0].index
        size = sizes[candidates].astype(float)
        weights = {"sqrt": np.sqrt(size), "proportional": size, "equal": size * 0 + 1}[allocation]
        quota = weights / weights.sum() * left
        share = np.minimum(np.floor(quota), room[candidates]).astype(int)
        remainders = (quota - np.floor(quota)).where(share < room[candidates])
        for stratum in remainders.dropna().sort_values(ascending=False, kind="stable").index[:left - share.sum()]:
            share[stratum] += 1
        taken[candidates] += share
    return taken


def sample_for_labelling(posts: pd.DataFrame, n: int = 200, seed: int = 0,
                         already_labelled: pd.DataFrame | Iterable[str] | None = None,
                         by: Iterable[str] = STRATA, allocation: str = "sqrt") -> pd.DataFrame:
    """A sample of scored posts to check, spread over the predicted service and sentiment.

    In: scored posts (``pipeline.load_scored_posts``). Left out: rows without a letter or not scored yet,
    copy-paste duplicates (``is_duplicate``, and the same text twice), and posts already labelled
    (``already_labelled``: the labels table of ``learning.load_labels`` or post ids).

    Strata are the combinations of the ``by`` columns (predicted, own ``service``, empty as ``none``, and
    ``sentiment``). With ``allocation="sqrt"`` a stratum gets rows in proportion to the square root of its
    size: small strata (a rare service's praise) are checked more than their share, so that every kind of
    prediction is checked, while large strata still get most rows. ``"proportional"`` mirrors the month
    (accuracy on the sample is then the accuracy on all posts), ``"equal"`` gives every stratum the same.

    Out: at most ``n`` rows, shuffled, columns :data:`SAMPLE_COLUMNS` that ``posts`` has, plus ``stratum``;
    the same ``seed`` and input give the same sample. Never an author id.
    """
    by = list(by)
    # a text without a single letter ("???", emoji lost in a Windows-1252 export) cannot be judged
    usable = posts[posts["text"].fillna("").astype(str).str.contains(r"[^\W\d_]", regex=True)]
    usable = usable[usable["sentiment"].notna()] if "sentiment" in usable.columns else usable.iloc[0:0]
    if "is_duplicate" in usable.columns:
        usable = usable[~usable["is_duplicate"].fillna(False).astype(bool)]
    usable = usable[~usable["post_id"].astype(str).isin(_labelled_ids(already_labelled))]
    same_text = usable["text"].astype(str).str.lower().str.split().str.join(" ")
    usable = usable[~same_text.duplicated()]
    columns = [c for c in SAMPLE_COLUMNS if c in usable.columns]
    if usable.empty or n <= 0:
        return pd.DataFrame(columns=[*columns, "stratum"])
    keys = usable[by].fillna("").astype(str)
    if "service" in keys.columns:
        keys["service"] = keys["service"].replace("", NO_SERVICE)
    stratum = keys.agg(" / ".join, axis=1)
    sizes = stratum.value_counts().sort_index()
    quota = _allocate(sizes, n, allocation)
    rng = np.random.default_rng(seed)
    chosen = []
    for name, count in quota.items():
        members = np.flatnonzero((stratum == name).to_numpy())
        chosen.extend(rng.choice(members, size=int(count), replace=False).tolist())
    chosen = rng.permutation(np.asarray(chosen, dtype=int))
    sample = usable.iloc[chosen][columns].copy()
    sample["stratum"] = stratum.iloc[chosen].to_numpy()
    return sample.reset_index(drop=True)


# --- saving ------------------------------------------------------------------------------------------------

def _check_values(frame: pd.DataFrame, column: str, allowed: Iterable[str]) -> None:
    wrong = sorted(set(frame[column]) - set(allowed) - {""})
    if wrong:
        raise ValueError(f"{column}: unknown label(s) {', '.join(map(repr, wrong))}; use {', '.join(allowed)} or ''")


def save_labels(frame: pd.DataFrame, labels_dir: Path | str, analyst: str | None = None,
                now: pd.Timestamp | None = None) -> Path:
    """Write labelled rows to ``<labels_dir>/<YYYYmmddTHHMMSS>.csv`` (UTC) and return its path.

    In: ``post_id, text`` and any of ``sentiment, service, abuse`` (an empty cell: not labelled; service
    ``none``: about no service); other columns are not written, so no author or name reaches the file.
    ``analyst`` (initials, optional) is written as a column. Rows with no label at all are left out.
    The file is written under a temporary name and renamed, so ``learning.load_labels`` never reads half a
    file; a file of the same second is never overwritten (the name moves on by a second).
    Raises ValueError for an unknown sentiment or abuse label, or when no row has a label.
    """
    if "post_id" not in frame.columns or "text" not in frame.columns:
        raise ValueError("labels need the columns post_id and text")
    table = pd.DataFrame({"post_id": frame["post_id"].astype(str), "text": frame["text"].fillna("").astype(str)})
    for column in ("sentiment", "service", "abuse"):
        values = frame[column] if column in frame.columns else pd.Series("", index=frame.index)
        table[column] = values.fillna("").astype(str).str.strip()
    _check_values(table, "sentiment", SENTIMENT_LABELS)
    _check_values(table, "abuse", ABUSE_LABELS)
    table = table[(table[["sentiment", "service", "abuse"]] != "").any(axis=1)]
    if table.empty:
        raise ValueError("no row has a label: nothing to save")
    now = pd.Timestamp.now(tz="UTC") if now is None else pd.Timestamp(now)
    now = (now.tz_localize("UTC") if now.tzinfo is None else now.tz_convert("UTC")).floor("s")
    table["labelled_at"] = now.isoformat(timespec="seconds")
    if analyst:
        table["analyst"] = str(analyst)
    path = write_label_file(Path(labels_dir), table, now)
    return path


def count_labels(labels: pd.DataFrame) -> pd.DataFrame:
    """How many posts are labelled per task (the index: sentiment, service, abuse), and with which values:
    columns ``labelled, values`` ("negative 12, positive 8")."""
    rows = []
    for task in ("sentiment", "service", "abuse"):
        values = labels[task].fillna("").astype(str) if task in labels.columns else pd.Series(dtype=str)
        values = values[values != ""]
        counts = values.value_counts()
        rows.append({"task": task, "labelled": len(values),
                     "values": ", ".join(f"{value} {count}" for value, count in counts.items())})
    return pd.DataFrame(rows, columns=["task", "labelled", "values"]).set_index("task")


# --- the form ----------------------------------------------------------------------------------------------

class LabelEditor(widgets.VBox):
    """The form :func:`label_widgets` returns: one row per post with its text, three drop-downs prefilled
    with the predictions and a "checked" box, and a Save button above them.

    :meth:`labels` gives the checked rows as they stand; :meth:`save` (what the button does) writes those
    that are new or changed since the last save with :func:`save_labels`.
    """

    def __init__(self, sample: pd.DataFrame, services: Mapping[str, str], labels_dir: Path | str,
                 analyst: str | None = None, lang: str = "nl") -> None:
        self.sample = sample.reset_index(drop=True)
        self.labels_dir = Path(labels_dir)
        self.analyst = analyst
        self.saved_: dict[str, tuple[str, str, str]] = {}
        self.last_path_: Path | None = None
        named = [(f"{label} ({sid})", sid) for sid, label in services.items()]
        service_options = [("— no service", NO_SERVICE), *named]
        self.rows_ = []
        boxes = []
        for position, post in self.sample.iterrows():
            predicted_service = str(post.get("service") or "") or NO_SERVICE
            options = list(service_options)
            if predicted_service not in services and predicted_service != NO_SERVICE:
                options.append((predicted_service, predicted_service))
            sentiment = widgets.Dropdown(options=[*[(v, v) for v in SENTIMENT_LABELS], _UNSURE],
                                         value=_known(post.get("sentiment"), SENTIMENT_LABELS), description="sentiment",
                                         layout=widgets.Layout(width="14rem"))
            service = widgets.Dropdown(options=[*options, _UNSURE], value=predicted_service, description="service",
                                       layout=widgets.Layout(width="22rem"))
            abuse = widgets.Dropdown(options=[*[(v, v) for v in ABUSE_LABELS], _UNSURE],
                                     value=_known(post.get("abuse"), ABUSE_LABELS), description="abuse",
                                     layout=widgets.Layout(width="14rem"))
            checked = widgets.Checkbox(value=False, description="checked", indent=False,
                                       layout=widgets.Layout(width="7rem"))
            for dropdown in (sentiment, service, abuse):
                dropdown.observe(lambda change, box=checked: setattr(box, "value", True), names="value")
            checked.observe(self._update_progress, names="value")
            meta = html.escape(" · ".join(str(post[c]) for c in ("month", "kind") if c in post and pd.notna(post[c])))
            text = html.escape(readable_text(post["text"], lang))
            label = widgets.HTML(f"<div style='line-height:1.4'><small>{position + 1}. {meta}</small><br>{text}</div>")
            self.rows_.append({"sentiment": sentiment, "service": service, "abuse": abuse, "checked": checked})
            boxes.append(widgets.VBox([label, widgets.HBox([sentiment, service, abuse, checked])],
                                      layout=widgets.Layout(border_bottom="1px solid #ddd", padding="0.4rem 0")))
        self.progress = widgets.HTML()
        self.status = widgets.HTML()
        self.button = widgets.Button(description="Save checked rows", button_style="primary", icon="save")
        self.button.on_click(lambda _: self.save())
        self._update_progress()
        super().__init__([widgets.HBox([self.button, self.progress]), self.status, *boxes])

    def __repr__(self) -> str:
        return (f"Labelling form for {len(self.sample)} posts (open the notebook in Jupyter to use it; "
                "nothing is saved until its Save button is clicked)")

    def _update_progress(self, _=None) -> None:
        done = sum(row["checked"].value for row in self.rows_)
        self.progress.value = f"&nbsp; {done} of {len(self.rows_)} posts checked"

    def labels(self) -> pd.DataFrame:
        """The checked rows with their current values: ``post_id, text, sentiment, service, abuse``."""
        rows = [{"post_id": str(post["post_id"]), "text": post["text"],
                 **{task: row[task].value for task in ("sentiment", "service", "abuse")}}
                for (_, post), row in zip(self.sample.iterrows(), self.rows_) if row["checked"].value]
        return pd.DataFrame(rows, columns=["post_id", "text", "sentiment", "service", "abuse"])

    def save(self) -> Path | None:
        """Save the checked rows that are new or changed since the last save; returns the file or None."""
        labels = self.labels()
        values = dict(zip(labels["post_id"], zip(labels["sentiment"], labels["service"], labels["abuse"])))
        fresh = labels[[self.saved_.get(pid) != value for pid, value in values.items()]]
        fresh = fresh[(fresh[["sentiment", "service", "abuse"]] != "").any(axis=1)]
        if fresh.empty:
            self.status.value = "<em>Nothing new to save: tick “checked” for the posts you have read.</em>"
            return None
        path = save_labels(fresh, self.labels_dir, self.analyst)
        self.saved_.update({pid: values[pid] for pid in fresh["post_id"]})
        self.last_path_ = path
        self.status.value = f"Saved {len(fresh)} labels to <code>{html.escape(str(path))}</code>."
        return path


def _known(value: object, allowed: Iterable[str]) -> str:
    value = "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
    return value if value in allowed else ""


def label_widgets(sample: pd.DataFrame, taxonomy_ids: Mapping[str, str] | Iterable[str], labels_dir: Path | str,
                  analyst: str | None = None, lang: str = "nl") -> LabelEditor:
    """The labelling form (an ipywidgets VBox, see :class:`LabelEditor`) for a sample of
    :func:`sample_for_labelling`. ``taxonomy_ids``: the service ids (``ServiceTaxonomy.ids``), or a mapping
    of id to label (``report_data.service_labels``) to show readable names. The Save button writes to
    ``labels_dir`` (``settings.labels_dir``)."""
    services = dict(taxonomy_ids) if isinstance(taxonomy_ids, Mapping) else {sid: sid for sid in taxonomy_ids}
    return LabelEditor(sample, services, labels_dir, analyst, lang)


def describe_model_choice(choice) -> str:
    """One Markdown paragraph on :func:`feedback_analysis.learning.choose_sentiment_model`'s choice: which
    sentiment model the scorer uses with these labels, why, and the cross-validated macro-F1 of both."""
    name = "a model trained on your labels" if choice.name == "learned" else "the rules (word lists)"
    figures = ""
    if choice.rules_macro_f1 is not None and choice.learned_macro_f1 is not None:
        figures = (f" Cross-validated macro-F1 on {choice.n_labels} labelled posts: rules {choice.rules_macro_f1:.3f}, "
                   f"trained model {choice.learned_macro_f1:.3f}.")
    return f"**Sentiment model with these labels: {name}.** Why: {choice.reason}.{figures}"
