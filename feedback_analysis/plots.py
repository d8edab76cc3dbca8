"""Charts of the monthly report: static matplotlib figures, sized to read on a laptop and on a phone.

Each ``plot_*`` function takes a table from :mod:`feedback_analysis.report_data` and returns a
:class:`matplotlib.figure.Figure` made without pyplot (so a notebook never shows a figure twice and no
figure stays in memory). :func:`as_image` turns a figure into an inline PNG for the report.

Colours are from the Okabe-Ito palette, readable with the common forms of colour blindness; negative and
positive also differ in marker and line style. Axis texts come from ``resources/report_text.yaml``.
"""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from feedback_analysis import report_data
from feedback_analysis.report_data import SMALL_SAMPLE, format_percent, text

# Okabe-Ito
NEGATIVE = "#D55E00"   # vermillion
POSITIVE = "#0072B2"   # blue
CONSENSUS_COLOURS = {"shared": "#D55E00", "contested": "#E69F00", "isolated": "#56B4E9"}
KIND_COLOURS = {"post": "#0072B2", "comment": "#56B4E9", "reply": "#009E73"}
GREY = "#666666"

WIDTH = 7.5            # inches: 750 px at 100 dpi, scaled down on a phone
DPI = 150
STYLE = {
    "font.size": 11, "axes.titlesize": 11, "axes.labelsize": 10.5, "xtick.labelsize": 10, "ytick.labelsize": 10,
    "legend.fontsize": 10, "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True,
    "grid.color": "#dddddd", "grid.linewidth": 0.8, "axes.axisbelow": True, "figure.facecolor": "white",
}


def _percent_axis(lang: str) -> FuncFormatter:
    return FuncFormatter(lambda value, _: format_percent(value, lang))


def _wrap(label: str, width: int = 24) -> str:
    """A long service label on two lines at a word boundary."""
    if len(label) <= width:
        return label
    cut = label.rfind(" ", 0, width)
    return label if cut <= 0 else f"{label[:cut]}\n{label[cut + 1:]}"


def _month_ticks(months: list[str], lang: str) -> list[str]:
    """Short month names; the year under the first month and under every January."""
    labels = []
    for position, month in enumerate(months):
        period = pd.Period(month, freq="M")
        name = text("months_short", lang)[period.month - 1]
        labels.append(f"{name}\n{period.year}" if position == 0 or period.month == 1 else name)
    return labels


def _empty(message: str, height: float = 1.6) -> Figure:
    figure = Figure(figsize=(WIDTH, height), layout="constrained")
    ax = figure.add_subplot()
    ax.axis("off")
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=11, color=GREY, wrap=True)
    figure.set_label(message)
    return figure


def plot_service_shares(shares: pd.DataFrame, lang: str = "nl", min_n: int = SMALL_SAMPLE) -> Figure:
    """Negative and positive share per service with their 95 % intervals (one axes).

    In: :func:`report_data.service_shares`. Services in table order, top to bottom; filled markers for
    services with at least ``min_n`` rows, open markers for fewer.
    """
    with rc_context(STYLE):
        if shares.empty:
            return _empty(text("shares.empty", lang))
        height = 1.3 + 0.42 * len(shares)
        figure = Figure(figsize=(WIDTH, height), layout="constrained")
        figure.set_label(text("alt.shares", lang))
        ax = figure.add_subplot()
        y = np.arange(len(shares))[::-1]
        small = shares["small_sample"].to_numpy(dtype=bool)
        for column, colour, marker, offset, name in (
                ("neg", NEGATIVE, "o", 0.14, text("shares.negative", lang)),
                ("pos", POSITIVE, "s", -0.14, text("shares.positive", lang))):
            share = shares[f"{column}_share"].to_numpy(dtype=float)
            low = shares[f"{column}_low"].to_numpy(dtype=float)
            high = shares[f"{column}_high"].to_numpy(dtype=float)
            # clipped: rounding can put a bound a hair on the wrong side of a share of 0 or 1
            errors = [np.clip(share - low, 0, None), np.clip(high - share, 0, None)]
            ax.errorbar(share, y + offset, xerr=errors, fmt="none", ecolor=colour,
                        elinewidth=1.6, capsize=3)
            ax.scatter(share[~small], (y + offset)[~small], color=colour, marker=marker, s=42, zorder=3, label=name)
            ax.scatter(share[small], (y + offset)[small], facecolors="white", edgecolors=colour, marker=marker,
                       s=42, linewidths=1.5, zorder=3)
        labels = [f"{_wrap(label)} ({report_data.format_number(n, lang)})"
                  for label, n in zip(shares["label"], shares["n"])]
        ax.set_yticks(y, labels)
        ax.set_ylim(-0.6, len(shares) - 0.4)
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(_percent_axis(lang))
        ax.set_xlabel(text("shares.axis", lang))
        ax.grid(axis="y", visible=False)
        ax.legend(loc="lower right", frameon=True, framealpha=0.9)
        ax.set_title(text("shares.chart_caption", lang, min_n=min_n), loc="left", fontsize=10, color=GREY, wrap=True)
        return figure


def plot_trend(trend: pd.DataFrame, services: list[str] | None = None, lang: str = "nl", columns: int = 2) -> Figure:
    """Small multiples: negative (solid, with its 95 % band) and positive (dashed) share per month, one
    axes per service (two lines each).

    In: :func:`report_data.monthly_trend`; ``services`` to draw, in order (default
    :func:`report_data.main_services`). Months without rows leave a gap.
    """
    services = services if services is not None else report_data.main_services(trend)
    with rc_context(STYLE):
        if trend.empty or not services or trend["month"].nunique() < 2:
            return _empty(text("trend.empty", lang))
        months = sorted(trend["month"].unique())
        rows = math.ceil(len(services) / columns)
        figure = Figure(figsize=(WIDTH, 0.6 + 2.3 * rows), layout="constrained")
        figure.set_label(text("alt.trend", lang))
        axes = figure.subplots(rows, columns, sharex=True, sharey=True, squeeze=False).ravel()
        x = np.arange(len(months))
        for ax, service in zip(axes, services):
            own = trend[trend["service"] == service].set_index("month").reindex(months)
            ax.fill_between(x, own["neg_low"].to_numpy(dtype=float), own["neg_high"].to_numpy(dtype=float),
                            color=NEGATIVE, alpha=0.15, linewidth=0)
            ax.plot(x, own["neg_share"].to_numpy(dtype=float), color=NEGATIVE, marker="o", markersize=4,
                    linewidth=2, label=text("shares.negative", lang))
            ax.plot(x, own["pos_share"].to_numpy(dtype=float), color=POSITIVE, marker="s", markersize=3.5,
                    linewidth=1.6, linestyle="--", label=text("shares.positive", lang))
            label = own["label"].dropna().iloc[0] if own["label"].notna().any() else service
            ax.set_title(_wrap(label, 34), loc="left")
            ax.set_ylim(0, 1)
            ax.yaxis.set_major_formatter(_percent_axis(lang))
            ax.yaxis.set_major_locator(MaxNLocator(4))
        for ax in axes[len(services):]:
            figure.delaxes(ax)
        step = max(1, math.ceil(len(months) / 6))
        ticks = x[::-1][::step][::-1]
        tick_labels = _month_ticks([months[i] for i in ticks], lang)
        for ax in figure.axes:
            ax.set_xticks(ticks, tick_labels)
            ax.tick_params(axis="x", labelbottom=True)
        figure.axes[0].legend(loc="upper left", frameon=True, framealpha=0.9, fontsize=9)
        return figure


def plot_volume(volume: pd.DataFrame, month: str, lang: str = "nl") -> Figure:
    """Stacked bars of texts per month and kind (posts, comments, replies), the report month outlined.

    In: :func:`report_data.volume_by_month` (one axes).
    """
    with rc_context(STYLE):
        if volume.empty:
            return _empty(text("coverage.no_data", lang, month_name=report_data.month_name(month, lang)).strip())
        figure = Figure(figsize=(WIDTH, 2.9), layout="constrained")
        figure.set_label(text("alt.volume", lang))
        ax = figure.add_subplot()
        months = volume["month"].tolist()
        x = np.arange(len(months))
        bottom = np.zeros(len(months))
        for kind in report_data.KINDS:
            values = volume[kind].to_numpy(dtype=float)
            ax.bar(x, values, bottom=bottom, color=KIND_COLOURS[kind], width=0.7,
                   label=text(f"kinds.{kind}", lang))
            bottom += values
        if month in months:
            position = months.index(month)
            ax.bar([position], [bottom[position]], width=0.78, fill=False, edgecolor="black", linewidth=1.6)
        ax.set_xticks(x, _month_ticks(months, lang))
        ax.grid(axis="x", visible=False)
        ax.yaxis.set_major_locator(MaxNLocator(5, integer=True))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: report_data.format_number(v, lang)))
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
        ax.set_title(text("coverage.volume_caption", lang), loc="left", fontsize=10, color=GREY)
        return figure


def plot_consensus(consensus: pd.DataFrame, lang: str = "nl") -> Figure:
    """Horizontal stacked bars per service: negative posts that are shared, contested or isolated.

    In: :func:`report_data.consensus_table` (one axes), in table order, top to bottom.
    """
    with rc_context(STYLE):
        if consensus.empty:
            return _empty(text("consensus.empty", lang))
        figure = Figure(figsize=(WIDTH, 1.2 + 0.36 * len(consensus)), layout="constrained")
        figure.set_label(text("alt.consensus", lang))
        ax = figure.add_subplot()
        y = np.arange(len(consensus))[::-1]
        left = np.zeros(len(consensus))
        for label in report_data.CONSENSUS:
            values = consensus[label].to_numpy(dtype=float)
            ax.barh(y, values, left=left, color=CONSENSUS_COLOURS[label], height=0.65,
                    label=text(f"consensus_labels.{label}", lang))
            left += values
        ax.set_yticks(y, [_wrap(label) for label in consensus["label"]])
        ax.grid(axis="y", visible=False)
        ax.xaxis.set_major_locator(MaxNLocator(6, integer=True))
        ax.set_xlabel(text("consensus.axis", lang))
        ax.legend(loc="lower right", frameon=True, framealpha=0.9)
        return figure


def to_png(figure: Figure, dpi: int = DPI) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    return buffer.getvalue()


def as_image(figure: Figure, dpi: int = DPI):
    """The figure as an inline PNG for a notebook (``IPython.display.Image``), shown at most
    :data:`WIDTH` inches wide at 100 px per inch (smaller on a narrow screen), with the figure's label
    (set by the ``plot_*`` functions) as its alternative text."""
    from IPython.display import Image

    width = round(figure.get_figwidth() * 100)
    return Image(data=to_png(figure, dpi), format="png", width=width, alt=figure.get_label() or None)
