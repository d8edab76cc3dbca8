"""Publishing the month's key figures from the report notebook to the runner (``report.publish_figures``)."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from feedback_analysis.store import reports as storage

# The runner tells the kernel where publish_figures() should write; unset in JupyterLab.
FIGURES_ENV = "FEEDBACK_ANALYSIS_FIGURES_PATH"


def publish_figures(figures: Mapping[str, Any]) -> None:
    """Hand the month's key figures to the report runner; call it in the notebook's last cell.

    ``figures`` maps a name to a JSON value (numbers, text, booleans, lists, mappings; numpy and pandas
    scalars are converted, NaN becomes null). Put the headline figures first: the reports index shows
    the first three plain values; a name ending in ``_share`` is a fraction shown as a percentage.
    Several calls add up (a later value for the same name wins).

    Under the runner the figures go to the file named by ``FEEDBACK_ANALYSIS_FIGURES_PATH``; in
    JupyterLab (no such variable) they are only checked. Returns None, so nothing shows in the report.
    """
    cleaned = _json_ready(dict(figures), "figures")
    for key in cleaned:
        if not isinstance(key, str) or not key:
            raise TypeError(f"figure names must be non-empty strings, got {key!r}")
    target = os.environ.get(FIGURES_ENV)
    if not target:
        return None
    storage.merge_json(Path(target), cleaned)
    return None


def _json_ready(value: Any, where: str) -> Any:
    """``value`` as plain JSON data: numpy/pandas scalars unwrapped, NaN and NA as None."""
    if isinstance(value, Mapping):
        return {str(k): _json_ready(v, f"{where}[{k!r}]") for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_ready(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if hasattr(value, "item") and not hasattr(value, "__len__"):  # numpy scalar
        return _json_ready(value.item(), where)
    if hasattr(value, "tolist") and not hasattr(value, "columns"):  # numpy array, pandas Series
        return _json_ready(value.tolist(), where)
    if type(value).__name__ in {"NAType", "NaTType"}:
        return None
    if hasattr(value, "isoformat"):  # dates and timestamps
        return value.isoformat()
    raise TypeError(f"{where}: {type(value).__name__} is not a JSON value; pass numbers, text, lists or mappings")
