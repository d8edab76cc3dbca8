"""The report's charts: figures with the expected axes and lines, in the report language, never via pyplot."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from feedback_analysis import plots, report_data


def shares_table(rows: list[tuple[str, int, int, int]]) -> pd.DataFrame:
    """A table like report_data.service_shares from (service, n, negative, positive)."""
    frame = pd.DataFrame(rows, columns=["service", "n", "negative", "positive"])
    frame["label"] = frame["service"].str.capitalize()
    frame["neg_share"] = frame["negative"] / frame["n"]
    frame["pos_share"] = frame["positive"] / frame["n"]
    frame["neg_low"], frame["neg_high"] = report_data.wilson_interval(frame["negative"], frame["n"])
    frame["pos_low"], frame["pos_high"] = report_data.wilson_interval(frame["positive"], frame["n"])
    frame["small_sample"] = frame["n"] < report_data.SMALL_SAMPLE
    return frame


def trend_table(services: list[str], months: list[str]) -> pd.DataFrame:
    rows = []
    for s, service in enumerate(services):
        for m, month in enumerate(months):
            n = 40 + 5 * m
            negative = 5 + s + m
            rows.append({"month": month, "service": service, "label": service.capitalize(), "n": n,
                         "negative": negative, "positive": 10})
    frame = pd.DataFrame(rows)
    frame["neg_share"] = frame["negative"] / frame["n"]
    frame["pos_share"] = frame["positive"] / frame["n"]
    frame["neg_low"], frame["neg_high"] = report_data.wilson_interval(frame["negative"], frame["n"])
    return frame


def test_service_shares_chart_has_one_axes_with_every_service_and_both_shares():
    shares = shares_table([("afval", 88, 33, 18), ("parkeren", 12, 0, 12), ("groen", 40, 40, 0)])
    figure = plots.plot_service_shares(shares, "nl")
    assert isinstance(figure, Figure) and len(figure.axes) == 1
    ax = figure.axes[0]
    ticks = sorted(zip(ax.get_yticks(), (t.get_text() for t in ax.get_yticklabels())), reverse=True)
    assert [label for _, label in ticks] == ["Afval (88)", "Parkeren (12)", "Groen (40)"]  # table order, top down
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["negatief", "positief"]
    assert ax.get_xlabel() == "aandeel van de teksten"
    assert ax.xaxis.get_major_formatter()(0.4, 0) == "40\u00a0%" and ax.get_xlim() == (0, 1)
    assert figure.get_label().startswith("Per dienst")
    english = plots.plot_service_shares(shares, "en").axes[0]
    assert english.get_xlabel() == "share of texts"


def test_trend_chart_has_one_axes_per_service_and_two_lines_each():
    months = ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
    trend = trend_table(["afval", "parkeren", "groen"], months)
    figure = plots.plot_trend(trend, ["afval", "parkeren", "groen"], "nl")
    assert len(figure.axes) == 3  # the fourth cell of the 2 x 2 grid is removed
    assert [len(ax.get_lines()) for ax in figure.axes] == [2, 2, 2]
    assert [ax.get_title(loc="left") for ax in figure.axes] == ["Afval", "Parkeren", "Groen"]
    labels = [t.get_text() for t in figure.axes[0].get_xticklabels()]
    assert labels[0] == "mei\n2026" and labels[-1] == "okt"
    negative = figure.axes[0].get_lines()[0].get_ydata()
    assert np.allclose(negative, trend[trend["service"] == "afval"]["neg_share"])


def test_trend_chart_leaves_a_gap_for_a_month_without_texts():
    months = ["2026-08", "2026-09", "2026-10"]
    trend = trend_table(["afval"], months)
    trend.loc[1, ["n", "negative", "positive"]] = 0
    trend.loc[1, ["neg_share", "pos_share", "neg_low", "neg_high"]] = np.nan
    figure = plots.plot_trend(trend, None, "en")
    assert len(figure.axes) == 1 and np.isnan(figure.axes[0].get_lines()[0].get_ydata()[1])
    assert figure.axes[0].get_xticklabels()[0].get_text() == "Aug\n2026"


def test_volume_chart_stacks_the_three_kinds_per_month():
    volume = pd.DataFrame({"month": ["2026-09", "2026-10"], "post": [10, 12], "comment": [20, 25], "reply": [5, 0]})
    figure = plots.plot_volume(volume, "2026-10", "nl")
    ax = figure.axes[0]
    assert len(figure.axes) == 1
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["bericht", "reactie", "antwoord"]
    assert len(ax.patches) == 3 * 2 + 1  # three kinds per month, and the outline of the report month


def test_consensus_chart_has_a_bar_per_service_and_label():
    consensus = pd.DataFrame({"service": ["afval", "groen"], "label": ["Afval", "Groen"], "posts": [9, 2],
                              "shared": [3, 0], "contested": [1, 0], "isolated": [5, 2]})
    figure = plots.plot_consensus(consensus, "en")
    ax = figure.axes[0]
    assert len(figure.axes) == 1 and len(ax.patches) == 3 * 2
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["shared", "contested", "isolated"]


@pytest.mark.parametrize("make", [
    lambda: plots.plot_service_shares(shares_table([]).iloc[0:0], "nl"),
    lambda: plots.plot_trend(pd.DataFrame(columns=["month", "service", "n"]), None, "nl"),
    lambda: plots.plot_volume(pd.DataFrame(columns=["month", "post", "comment", "reply"]), "2026-10", "en"),
    lambda: plots.plot_consensus(pd.DataFrame(columns=["service", "label", "shared", "contested", "isolated"]), "nl"),
])
def test_charts_of_empty_tables_say_so_instead_of_failing(make):
    figure = make()
    assert isinstance(figure, Figure) and figure.get_label()
    assert figure.axes[0].texts


def test_charts_are_made_without_pyplot_and_embed_as_png():
    before = plt.get_fignums()
    figure = plots.plot_service_shares(shares_table([("afval", 30, 10, 10)]), "nl")
    assert plt.get_fignums() == before  # no figure left behind, none shown twice by the inline backend
    image = plots.as_image(figure)
    assert image.data[:8] == b"\x89PNG\r\n\x1a\n" and image.width == 750
    assert image.alt == figure.get_label()


def test_phone_versions_are_narrow_with_one_column_and_the_legend_below():
    months = ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
    trend = trend_table(["afval", "parkeren", "groen"], months)
    phone = plots.plot_trend(trend, ["afval", "parkeren", "groen"], "nl", width=plots.PHONE_WIDTH)
    assert phone.get_figwidth() == plots.PHONE_WIDTH and len(phone.axes) == 3
    assert len({round(ax.get_position().x0, 2) for ax in phone.axes}) == 1  # one column
    shares = plots.plot_service_shares(shares_table([("afval", 88, 33, 18), ("groen", 40, 10, 0)]), "nl",
                                       width=plots.PHONE_WIDTH)
    assert shares.axes[0].get_legend() is None and len(shares.legends) == 1  # below the chart, not over it
    volume = pd.DataFrame({"month": months, "post": [1] * 6, "comment": [2] * 6, "reply": [3] * 6})
    labels = [t.get_text() for t in plots.plot_volume(volume, "2026-10", "nl", width=plots.PHONE_WIDTH).axes[0]
              .get_xticklabels()]
    assert labels == ["jul\n2026", "okt"]  # every third month, counted back from the report month


def test_text_alternatives_say_what_the_chart_shows_and_its_main_figure():
    shares = shares_table([("afval", 88, 33, 18), ("groen", 40, 20, 0)])
    assert plots.plot_service_shares(shares, "nl").get_label().endswith(
        "Hoogste negatieve aandeel: Groen, 50\u00a0% van 40 teksten.")
    volume = pd.DataFrame({"month": ["2026-09", "2026-10"], "post": [10, 12], "comment": [20, 25], "reply": [5, 0]})
    assert plots.plot_volume(volume, "2026-10", "en").get_label().endswith(
        "In October 2026: 37 texts (12 posts, 25 comments, 0 replies).")
    consensus = pd.DataFrame({"service": ["afval", "groen"], "label": ["Afval", "Groen"], "posts": [9, 2],
                              "shared": [3, 0], "contested": [1, 0], "isolated": [5, 2]})
    assert "3 gedeelde, 1 betwiste en 7 alleenstaande" in plots.plot_consensus(consensus, "nl").get_label()
    trend = trend_table(["afval", "groen"], ["2026-09", "2026-10"])
    assert plots.plot_trend(trend, None, "nl").get_label().endswith(
        "In oktober 2026 het hoogste negatieve aandeel bij Groen: 16\u00a0%.")


def test_chart_html_holds_a_laptop_and_a_phone_png_with_the_same_text_alternative():
    shares = shares_table([("afval", 88, 33, 18), ("groen", 40, 20, 0)])
    page = plots.chart_html(plots.plot_service_shares, shares, "nl").data
    images = re.findall(r'<img class="(fa-chart-\w+)"[^>]*src="data:image/png;base64,[^"]+" alt="([^"]+)" '
                        r'width="(\d+)"', page)
    assert [(kind, int(width)) for kind, _, width in images] == [("fa-chart-wide", 750), ("fa-chart-phone", 390)]
    assert images[0][1] == images[1][1] and "Groen, 50" in images[0][1]
    assert 'class="fa-chart-phone" style="display: none"' in page  # hidden where the report's style sheet is absent
