"""Feedback analysis: what citizens say about a municipality's services on social media."""

from __future__ import annotations

from feedback_analysis.deferred import defer_bertopic_plotting, defer_iri_syntax

__version__ = "0.1.0"

# BERTopic's charts (plotly, UMAP, numba) are imported when one is drawn, not with BERTopic: seconds of
# CPU in every process that models topics (each fleet worker's first task, the CLI's enrich and report);
# jsonschema's IRI grammar (built at import, a second) when an IRI is checked, which notebooks never need.
defer_bertopic_plotting()
defer_iri_syntax()


def query(sql: str, settings=None, data_dir=None, config_path=None):
    """Read-only SQL (DuckDB) on the store, as a DataFrame: ``feedback_analysis.query("select ...")``.

    The views and the rules are described in :mod:`feedback_analysis.sql`; imported on first use, so that
    importing the package stays cheap.
    """
    from feedback_analysis.sql import query as run

    return run(sql, settings=settings, data_dir=data_dir, config_path=config_path)
