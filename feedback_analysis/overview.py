"""What the store holds: row counts for the exploratory notebook and the `status` command."""

from __future__ import annotations

import pandas as pd

OVERVIEW_DIMENSIONS = ("month", "source", "kind", "lang")


def count_rows(posts: pd.DataFrame, by: str) -> pd.DataFrame:
    """Rows per value of one column, sorted by that value: columns ``<by>, rows, share``."""
    counts = posts[by].astype(str).value_counts().sort_index()
    return pd.DataFrame({by: counts.index, "rows": counts.to_numpy(), "share": (counts / counts.sum()).round(3).to_numpy()})


def rows_per_month(posts: pd.DataFrame, by: str) -> pd.DataFrame:
    """A month x ``by`` table of row counts (months as rows, zero where none)."""
    return pd.crosstab(posts["month"].astype(str), posts[by].astype(str)).sort_index()


def plot_rows_per_month(posts: pd.DataFrame, by: str = "kind", ax=None):
    """Stacked bars of rows per month, split by ``by``; returns the matplotlib Axes."""
    import matplotlib.pyplot as plt

    table = rows_per_month(posts, by)
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3.5))
    table.plot.bar(stacked=True, ax=ax, width=0.8)
    ax.set_xlabel("month")
    ax.set_ylabel("rows")
    ax.legend(title=by, frameon=False)
    ax.figure.tight_layout()
    return ax
