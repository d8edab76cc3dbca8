"""Where the benchmarks write the quality figures that the report's method section quotes.

Each benchmark calls :func:`record` with its stage and a list of items; the file
``feedback_analysis/resources/quality.json`` is rewritten with that stage replaced and the others kept, so
no figure in the report is ever typed by hand. An item is plain data::

    {"metric": "macro_f1", "value": 0.71, "n": 400, "data": "restaurant_sentences",
     "half": "report", "baseline": 0.56, "baseline_name": "pattern"}

``metric``, ``data`` and ``baseline_name`` are keys of ``method.metrics``, ``method.data`` and
``method.baselines`` in ``resources/report_text.yaml``; ``unit: percent`` shows the value as a share.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

QUALITY_JSON = Path(__file__).resolve().parent.parent / "feedback_analysis" / "resources" / "quality.json"


def record(stage: str, items: list[dict[str, Any]], path: Path = QUALITY_JSON) -> None:
    """Replace ``stage``'s figures in ``path`` with ``items`` (values rounded to 3 decimals)."""
    figures = json.loads(path.read_text("utf-8")) if path.exists() else {}
    rounded = [{k: round(v, 3) if isinstance(v, float) else v for k, v in item.items()} for item in items]
    figures[stage] = {"measured_on": date.today().isoformat(), "items": rounded}
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".quality-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(dict(sorted(figures.items())), handle, ensure_ascii=False, indent=2)
        handle.write("\n")
    os.replace(tmp, path)
