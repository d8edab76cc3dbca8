"""Section 9, method and limits: how each figure is computed, the measured quality of each stage (from
``resources/quality.json``, written by the benchmarks) and the agreement with the analysts' labels."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from feedback_analysis.report.formatting import _missing, format_number, format_percent
from feedback_analysis.report.statistics import SMALL_SAMPLE
from feedback_analysis.report.texts import text


def _benchmark_value(item: Mapping[str, Any], value: float, lang: str) -> str:
    if item.get("unit") == "percent":
        return format_percent(value, lang, decimals=1 if 0 < value < 0.01 else 0)
    return format_number(value, lang, decimals=len(str(value).split(".")[-1]) if "." in str(value) else 0)


def quality_figures() -> dict[str, Any]:
    """The measured quality of each stage, as ``make bench`` wrote it to ``resources/quality.json``
    (``{stage: {"measured_on": date, "items": [...]}}``, see ``benchmarks/quality.py``)."""
    raw = resources.files("feedback_analysis").joinpath("resources/quality.json").read_text("utf-8")
    return json.loads(raw)


def benchmark_lines(lang: str = "nl") -> list[str]:
    """The measured quality of each stage (:func:`quality_figures`), one Markdown line each."""
    lines = []
    for stage, measured in quality_figures().items():
        items = measured["items"]
        rendered = []
        for item in items:
            metric = text(f"method.metrics.{item['metric']}", lang, value=_benchmark_value(item, item["value"], lang))
            data = text(f"method.data.{item['data']}", lang, n=format_number(item.get("n", 0), lang))
            baseline = ""
            if "baseline" in item:
                baseline = " (" + text(f"method.baselines.{item['baseline_name']}", lang,
                                       value=_benchmark_value(item, item["baseline"], lang)) + ")"
            rendered.append(text("method.benchmark_item", lang, metric=metric, data=data, baseline=baseline))
        lines.append(f"- {text(f'method.stages.{stage}', lang)}: {'; '.join(rendered)}.")
    return lines


def _macro_f1(truth: list[str], predicted: list[str]) -> float:
    """Macro-F1 over the labels the analysts used (a label only predicted does not count); NaN if none."""
    from sklearn.metrics import f1_score

    labels = sorted(set(truth))
    if not labels:
        return math.nan
    return float(f1_score(truth, predicted, labels=labels, average="macro", zero_division=0))


_NO_SERVICE = {"none", "geen", "-", "–", "nvt", "n/a"}


def analyst_accuracy(settings: Any) -> pd.DataFrame:
    """:func:`labels_accuracy` for the analysts' labels in ``settings.labels_dir`` against the stored scores,
    with the sentiment model chosen on them (``learning.choose_sentiment_model``). Without labels the
    result is the same empty table, and neither the scores nor the sentiment rules are loaded for it."""
    from feedback_analysis.learning import choose_sentiment_model, load_labels
    from feedback_analysis.stages.enrich import read_scores

    labels = load_labels(settings.labels_dir)
    if labels is None or labels.empty or "post_id" not in labels.columns:
        return labels_accuracy(labels, pd.DataFrame())
    return labels_accuracy(labels, read_scores(settings), choose_sentiment_model(labels))


def labels_accuracy(labels: pd.DataFrame, scores: pd.DataFrame, choice: Any = None) -> pd.DataFrame:
    """How well the scores agree with the analysts' labels (``<data-dir>/labels/*.csv``).

    In: labels from :func:`feedback_analysis.learning.load_labels` (``post_id`` and any of ``sentiment,
    service, abuse``; an empty cell is "not labelled", for service "none"/"geen" means no service) and
    scores with ``post_id`` and the same columns (``pipeline.read_scores``). Out: one row per labelled
    task with ``task, n, accuracy, macro_f1`` (labelled rows found among the scores); empty when none.

    ``choice``: the sentiment model choice on these labels (``learning.choose_sentiment_model``). When it
    holds cross-validated figures, the sentiment row gives those instead (a model trained on the labels
    would agree with them too well), with ``model`` (``learned`` or ``rules``, the one in use), ``folds``,
    ``rules_macro_f1`` and ``learned_macro_f1``; otherwise those columns are empty.
    """
    columns = ["task", "n", "accuracy", "macro_f1", "model", "folds", "rules_macro_f1", "learned_macro_f1"]
    if labels is None or labels.empty or "post_id" not in labels.columns or scores.empty:
        return pd.DataFrame(columns=columns)
    merged = labels.merge(scores, on="post_id", how="inner", suffixes=("_label", ""))
    rows = []
    for task in ("sentiment", "service", "abuse"):
        if f"{task}_label" not in merged.columns or task not in merged.columns:
            continue
        truth = merged[f"{task}_label"].fillna("").astype(str).str.strip()
        chosen = truth != ""
        truth = truth[chosen]
        if task == "service":
            truth = truth.where(~truth.str.lower().isin(_NO_SERVICE), "")
        predicted = merged.loc[chosen, task].fillna("").astype(str)
        if truth.empty:
            continue
        truth_list, predicted_list = truth.tolist(), predicted.tolist()
        accuracy = float(np.mean([t == p for t, p in zip(truth_list, predicted_list)]))
        rows.append({"task": task, "n": len(truth_list), "accuracy": accuracy,
                     "macro_f1": _macro_f1(truth_list, predicted_list)})
    if choice is not None and getattr(choice, "folds", 0) and choice.accuracy is not None:
        rows = [row for row in rows if row["task"] != "sentiment"]
        rows.insert(0, {"task": "sentiment", "n": choice.n_labels, "accuracy": choice.accuracy,
                        "macro_f1": choice.macro_f1, "model": choice.name, "folds": choice.folds,
                        "rules_macro_f1": choice.rules_macro_f1, "learned_macro_f1": choice.learned_macro_f1})
    return pd.DataFrame(rows, columns=columns)


def _model_note(row: Any, lang: str) -> str:
    """Which sentiment model the figure is of and how it was measured, for a row of :func:`labels_accuracy`
    made with the model choice; "" for other rows."""
    model = getattr(row, "model", None)
    if _missing(model) or model not in ("learned", "rules"):
        return ""
    return " " + text(f"method.labels_{model}", lang, folds=format_number(row.folds, lang),
                learned=format_number(row.learned_macro_f1, lang, 2), rules=format_number(row.rules_macro_f1, lang, 2))


def method_text(lang: str = "nl", accuracy: pd.DataFrame | None = None, service_threshold: float = 0.4,
                min_n: int = SMALL_SAMPLE) -> str:
    """How sentiment, services, topics, consensus and abuse flags are computed, their measured accuracy
    (the benchmarks, and ``accuracy`` on the municipality's own labels from :func:`labels_accuracy`), the
    statistics used, the limits and privacy, as Markdown."""
    paragraphs = [text(f"method.{key}", lang).strip() for key in ("counted", "sentiment")]
    paragraphs.append(text("method.services", lang, threshold=format_percent(service_threshold, lang)).strip())
    paragraphs += [text(f"method.{key}", lang).strip() for key in ("topics", "consensus", "abuse")]
    paragraphs.append(text("method.statistics", lang, min_n=min_n).strip())
    paragraphs.append("\n".join([text("method.accuracy_title", lang), "", text("method.accuracy_intro", lang), "",
                                 *benchmark_lines(lang), "", text("method.suite_note", lang).strip()]))
    if accuracy is not None and len(accuracy):
        items = []
        for row in accuracy.itertuples(index=False):
            f1 = "" if _missing(row.macro_f1) or row.task != "sentiment" else \
                text("method.labels_f1", lang, value=format_number(row.macro_f1, lang, 2))
            items.append("- " + text("method.labels_item", lang, task=text(f"method.tasks.{row.task}", lang),
                                     n=format_number(row.n, lang), accuracy=format_percent(row.accuracy, lang), f1=f1)
                         + _model_note(row, lang))
        paragraphs.append("\n".join([text("method.labels_title", lang), "", text("method.labels_intro", lang).strip(),
                                     "", *items]))
    else:
        paragraphs.append("\n".join([text("method.labels_title", lang), "", text("method.labels_none", lang).strip()]))
    paragraphs += [text("method.limits", lang).strip(), text("method.privacy", lang).strip()]
    return "\n\n".join(paragraphs)

