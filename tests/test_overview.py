"""Row counts of the store, as the exploratory notebook and `status` show them."""

import pandas as pd

from feedback_analysis.overview import count_rows, plot_rows_per_month, rows_per_month


def posts():
    return pd.DataFrame({"month": ["2026-01", "2026-01", "2026-02"], "kind": ["post", "comment", "post"]})


def test_count_rows_gives_rows_and_shares_sorted_by_value():
    table = count_rows(posts(), "kind")
    assert table.to_dict("list") == {"kind": ["comment", "post"], "rows": [1, 2], "share": [0.333, 0.667]}


def test_rows_per_month_fills_zeros():
    table = rows_per_month(posts(), "kind")
    assert table.loc["2026-02", "comment"] == 0 and table.loc["2026-01", "post"] == 1


def test_plot_rows_per_month_draws_one_bar_per_month_and_kind():
    ax = plot_rows_per_month(posts(), "kind")
    assert len(ax.patches) == 4 and [t.get_text() for t in ax.get_xticklabels()] == ["2026-01", "2026-02"]
