"""The analysts' label files (``<data-dir>/labels/<YYYYmmddTHHMMSS>.csv``), one per save."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from feedback_analysis.store.files import write_csv_atomic

LABEL_COLUMNS = ("post_id", "text", "sentiment", "service", "abuse")


def label_files(labels_dir: Path) -> list[Path]:
    """The label files in ``labels_dir``, oldest first (their names are their save times)."""
    folder = Path(labels_dir)
    return sorted(folder.glob("*.csv")) if folder.is_dir() else []


def read_labels(labels_dir: Path) -> pd.DataFrame:
    """All labelled rows in ``labels_dir``, the newest label per post winning; every cell is text."""
    files = label_files(labels_dir)
    if not files:
        return pd.DataFrame(columns=list(LABEL_COLUMNS))
    frames = [pd.read_csv(f, dtype=str, keep_default_na=False).assign(_file=f.name) for f in files]
    labels = pd.concat(frames, ignore_index=True)
    if "post_id" in labels.columns:
        labels = labels.drop_duplicates("post_id", keep="last")
    return labels.drop(columns=["_file"]).reset_index(drop=True)


def write_label_file(labels_dir: Path, table: pd.DataFrame, now: pd.Timestamp) -> Path:
    """Save ``table`` as a new label file named after ``now`` (a second later while that name is
    taken), checked against ``LabelsSchema`` and written atomically. Returns its path."""
    from feedback_analysis.store.schemas import LabelsSchema, validate

    folder = Path(labels_dir)
    folder.mkdir(parents=True, exist_ok=True)
    moment = now
    while (folder / f"{moment:%Y%m%dT%H%M%S}.csv").exists():
        moment += pd.Timedelta(seconds=1)
    path = folder / f"{moment:%Y%m%dT%H%M%S}.csv"
    write_csv_atomic(validate(LabelsSchema, table), path)
    return path
