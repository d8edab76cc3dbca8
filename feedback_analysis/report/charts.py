"""Charts of the monthly report: static matplotlib figures, sized to read on a laptop and on a phone.

Each ``plot_*`` function takes a table from :mod:`feedback_analysis.report_data` and returns a
:class:`matplotlib.figure.Figure` made without pyplot (so a notebook never shows a figure twice and no
figure stays in memory). Each takes a ``width`` in inches: the report draws every chart twice, at
:data:`WIDTH` for a laptop and on paper and at :data:`PHONE_WIDTH` (one column, legend below, fewer
ticks) for a phone, so the labels are as large on both. :func:`chart_html` does that and returns the HTML
the report shows, with a text alternative naming the chart's main figure; :func:`as_image` turns one
figure into an inline PNG (for the exploratory notebooks).

Colours are from the Okabe-Ito palette, readable with the common forms of colour blindness; negative and
positive also differ in marker and line style. Axis texts come from ``resources/report_text.yaml``.
"""

from __future__ import annotations

import base64
import html
import io
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from feedback_analysis.report.formatting import count_noun, format_number, format_percent, month_name
from feedback_analysis.report.shares import main_services
from feedback_analysis.report.statistics import SMALL_SAMPLE
from feedback_analysis.report.texts import text
from feedback_analysis.schema import KINDS
from feedback_analysis.threads import CONSENSUS_LABELS as CONSENSUS

# Okabe-Ito
NEGATIVE = "#D55E00"   # vermillion
POSITIVE = "#0072B2"   # blue
CONSENSUS_COLOURS = {"shared": "#D55E00", "contested": "#E69F00", "isolated": "#56B4E9"}
KIND_COLOURS = {"post": "#0072B2", "comment": "#56B4E9", "reply": "#009E73"}
GREY = "#666666"

WIDTH = 7.5            # inches: 750 px at 100 px per inch on a laptop and on paper
PHONE_WIDTH = 3.9      # inches: 390 px, shown at about its own size on a phone, so the fonts stay 9-11 pt
NARROW = 5.0           # below this width a chart uses its phone layout
DPI = 150
PHONE_DPI = 260        # phones have 2-3 device pixels per CSS pixel
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


def _empty(message: str, height: float = 1.6, width: float = WIDTH) -> Figure:
    figure = Figure(figsize=(width, height), layout="constrained")
    ax = figure.add_subplot()
    ax.axis("off")
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=11, color=GREY, wrap=True)
    figure.set_label(message)
    return figure


# --- text alternatives: what a chart shows and its main figure --------------------------------------

def _alt(name: str, lang: str, **values: object) -> str:
    main = text(f"alt_main.{name}", lang, **values) if values else ""
    return f"{text(f'alt.{name}', lang)} {main}".strip()


def _alt_shares(shares: pd.DataFrame, lang: str) -> str:
    top = shares.loc[shares["neg_share"].astype(float).fillna(-1).idxmax()]
    return _alt("shares", lang, service=top["label"], share=format_percent(top["neg_share"], lang),
                texts=count_noun(int(top["n"]), "text", lang))


def _alt_trend(trend: pd.DataFrame, services: list[str], lang: str) -> str:
    last = trend[trend["service"].isin(services) & trend["neg_share"].notna()]
    if last.empty:
        return _alt("trend", lang)
    last = last[last["month"] == last["month"].max()]
    top = last.loc[last["neg_share"].astype(float).idxmax()]
    return _alt("trend", lang, month_name=month_name(str(top["month"]), lang), service=top["label"],
                share=format_percent(top["neg_share"], lang))


def _alt_volume(volume: pd.DataFrame, month: str, lang: str) -> str:
    row = volume[volume["month"] == month]
    if row.empty:
        return _alt("volume", lang)
    counts = {kind: int(row[kind].iloc[0]) for kind in KINDS}
    number = lambda value: format_number(value, lang)  # noqa: E731
    return _alt("volume", lang, month_name=month_name(month, lang),
                total=count_noun(sum(counts.values()), "text", lang), posts=number(counts["post"]),
                comments=number(counts["comment"]), replies=number(counts["reply"]))


def _alt_consensus(consensus: pd.DataFrame, lang: str) -> str:
    totals = {label: format_number(consensus[label].sum(), lang) for label in CONSENSUS}
    top = consensus.loc[consensus["shared"].astype(float).idxmax()]
    return _alt("consensus", lang, service=top["label"], **totals)


def plot_service_shares(shares: pd.DataFrame, lang: str = "nl", min_n: int = SMALL_SAMPLE,
                        width: float = WIDTH) -> Figure:
    """Negative and positive share per service with their 95 % intervals (one axes).

    In: :func:`report_data.service_shares`. Services in table order, top to bottom; filled markers for
    services with at least ``min_n`` rows, open markers for fewer.
    """
    with rc_context(STYLE):
        if shares.empty:
            return _empty(text("shares.empty", lang), width=width)
        narrow = width < NARROW
        height = (1.7 if narrow else 1.3) + (0.5 if narrow else 0.42) * len(shares)
        figure = Figure(figsize=(width, height), layout="constrained")
        figure.set_label(_alt_shares(shares, lang))
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
        labels = [f"{_wrap(label, 16 if narrow else 24)} ({format_number(n, lang)})"
                  for label, n in zip(shares["label"], shares["n"])]
        ax.set_yticks(y, labels)
        ax.set_ylim(-0.6, len(shares) - 0.4)
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(_percent_axis(lang))
        ax.set_xlabel(text("shares.axis", lang))
        ax.grid(axis="y", visible=False)
        if narrow:
            ax.xaxis.set_major_locator(MaxNLocator(3))
            figure.legend(loc="outside lower center", ncols=2, frameon=False)
        else:
            ax.legend(loc="lower right", frameon=True, framealpha=0.9)
        ax.set_title(text("shares.chart_caption", lang, min_n=min_n), loc="left", fontsize=10, color=GREY, wrap=True)
        return figure


def plot_trend(trend: pd.DataFrame, services: list[str] | None = None, lang: str = "nl", columns: int | None = None,
               width: float = WIDTH) -> Figure:
    """Small multiples: negative (solid, with its 95 % band) and positive (dashed) share per month, one
    axes per service (two lines each).

    In: :func:`report_data.monthly_trend`; ``services`` to draw, in order (default
    :func:`report_data.main_services`). Months without rows leave a gap. ``columns`` of small charts:
    two, one on a phone (``width`` below :data:`NARROW`).
    """
    services = services if services is not None else main_services(trend)
    narrow = width < NARROW
    columns = columns or (1 if narrow else 2)
    with rc_context(STYLE):
        if trend.empty or not services or trend["month"].nunique() < 2:
            return _empty(text("trend.empty", lang), width=width)
        months = sorted(trend["month"].unique())
        rows = math.ceil(len(services) / columns)
        figure = Figure(figsize=(width, 0.6 + (2.0 if narrow else 2.3) * rows), layout="constrained")
        figure.set_label(_alt_trend(trend, services, lang))
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
        step = max(1, math.ceil(len(months) / (4 if narrow else 6)))
        ticks = x[::-1][::step][::-1]
        tick_labels = _month_ticks([months[i] for i in ticks], lang)
        for ax in figure.axes:
            ax.set_xticks(ticks, tick_labels)
            ax.tick_params(axis="x", labelbottom=True)
        figure.axes[0].legend(loc="upper left", frameon=True, framealpha=0.9, fontsize=9)
        return figure


def plot_volume(volume: pd.DataFrame, month: str, lang: str = "nl", width: float = WIDTH) -> Figure:
    """Stacked bars of texts per month and kind (posts, comments, replies), the report month outlined.

    In: :func:`report_data.volume_by_month` (one axes).
    """
    with rc_context(STYLE):
        if volume.empty:
            return _empty(text("coverage.no_data", lang, month_name=month_name(month, lang)).strip(),
                          width=width)
        narrow = width < NARROW
        figure = Figure(figsize=(width, 3.3 if narrow else 2.9), layout="constrained")
        figure.set_label(_alt_volume(volume, month, lang))
        ax = figure.add_subplot()
        months = volume["month"].tolist()
        x = np.arange(len(months))
        bottom = np.zeros(len(months))
        for kind in KINDS:
            values = volume[kind].to_numpy(dtype=float)
            ax.bar(x, values, bottom=bottom, color=KIND_COLOURS[kind], width=0.7,
                   label=text(f"kinds.{kind}", lang))
            bottom += values
        if month in months:
            position = months.index(month)
            ax.bar([position], [bottom[position]], width=0.78, fill=False, edgecolor="black", linewidth=1.6)
        if narrow:  # every third month, counted back from the report month
            shown = x[::-1][::3][::-1]
            ax.set_xticks(shown, _month_ticks([months[i] for i in shown], lang))
            figure.legend(loc="outside lower center", ncols=3, frameon=False)
        else:
            ax.set_xticks(x, _month_ticks(months, lang))
            ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
        ax.grid(axis="x", visible=False)
        ax.yaxis.set_major_locator(MaxNLocator(5, integer=True))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: format_number(v, lang)))
        ax.set_title(text("coverage.volume_caption", lang), loc="left", fontsize=10, color=GREY, wrap=True)
        return figure


def plot_consensus(consensus: pd.DataFrame, lang: str = "nl", width: float = WIDTH) -> Figure:
    """Horizontal stacked bars per service: negative posts that are shared, contested or isolated.

    In: :func:`report_data.consensus_table` (one axes), in table order, top to bottom.
    """
    with rc_context(STYLE):
        if consensus.empty:
            return _empty(text("consensus.empty", lang), width=width)
        narrow = width < NARROW
        figure = Figure(figsize=(width, (1.6 if narrow else 1.2) + (0.42 if narrow else 0.36) * len(consensus)),
                        layout="constrained")
        figure.set_label(_alt_consensus(consensus, lang))
        ax = figure.add_subplot()
        y = np.arange(len(consensus))[::-1]
        left = np.zeros(len(consensus))
        for label in CONSENSUS:
            values = consensus[label].to_numpy(dtype=float)
            ax.barh(y, values, left=left, color=CONSENSUS_COLOURS[label], height=0.65,
                    label=text(f"consensus_labels.{label}", lang))
            left += values
        ax.set_yticks(y, [_wrap(label, 16 if narrow else 24) for label in consensus["label"]])
        ax.grid(axis="y", visible=False)
        ax.xaxis.set_major_locator(MaxNLocator(4 if narrow else 6, integer=True))
        ax.set_xlabel(text("consensus.axis", lang))
        if narrow:
            figure.legend(loc="outside lower center", ncols=3, frameon=False)
        else:
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


def _data_url(figure: Figure, dpi: int) -> str:
    return "data:image/png;base64," + base64.b64encode(to_png(figure, dpi)).decode("ascii")


def figure_html(wide: Figure, phone: Figure | None = None) -> str:
    """A chart as HTML: ``<figure>`` with the ``wide`` version and, when given, the ``phone`` version, as
    inline PNGs whose ``alt`` text is the wide figure's label. The report's style sheet shows one of the
    two, by screen width (the wide one on paper); without that style sheet (in JupyterLab) the phone
    version stays hidden."""
    alt = html.escape(wide.get_label() or "")
    parts = [f'<img class="fa-chart-wide" src="{_data_url(wide, DPI)}" alt="{alt}" '
             f'width="{round(wide.get_figwidth() * 100)}" height="{round(wide.get_figheight() * 100)}">']
    if phone is not None:
        parts.append(f'<img class="fa-chart-phone" style="display: none" src="{_data_url(phone, PHONE_DPI)}" '
                     f'alt="{alt}" width="{round(phone.get_figwidth() * 100)}" '
                     f'height="{round(phone.get_figheight() * 100)}">')
    return f'<figure class="fa-chart">{"".join(parts)}</figure>'


def chart_html(plot: Callable[..., Figure], *args: Any, **kwargs: Any):
    """``plot(*args, **kwargs)`` drawn for a laptop and for a phone, as one ``IPython.display.HTML``
    chart (:func:`figure_html`) for the report: ``plots.chart_html(plots.plot_trend, trend, services, lang)``.
    """
    from IPython.display import HTML

    return HTML(figure_html(plot(*args, **kwargs), plot(*args, width=PHONE_WIDTH, **kwargs)))
