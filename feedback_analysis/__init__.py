"""Feedback analysis: what citizens say about a municipality's services on social media."""

from __future__ import annotations

__version__ = "0.1.0"


def query(sql: str, settings=None, data_dir=None, config_path=None):
    """Read-only SQL (DuckDB) on the store, as a DataFrame: ``feedback_analysis.query("select ...")``.

    The views and the rules are described in :mod:`feedback_analysis.sql`; imported on first use, so that
    importing the package stays cheap.
    """
    from feedback_analysis.sql import query as run

    return run(sql, settings=settings, data_dir=data_dir, config_path=config_path)
