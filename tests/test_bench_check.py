"""The independent check cases in benchmarks/cases/check_*.csv keep the shape bench_check.py reads."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

from feedback_analysis.services import ServiceTaxonomy

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "benchmarks" / "cases"
ABUSIVE = {"derogation_attribute", "derogation_emotion", "dehumanisation", "implicit", "threat_direct",
           "threat_normative", "slur", "question", "opinion", "pronoun", "spelling", "personal_insult"}
CONTROLS = {"counter_speech", "negated", "neutral_group", "positive_group", "nonprotected", "profanity",
            "complaint"}


def read(name: str) -> pd.DataFrame:
    return pd.read_csv(CASES / f"check_{name}.csv", dtype=str, keep_default_na=False)


def test_abuse_cases_cover_every_category_with_valid_labels():
    cases = read("abuse")
    assert list(cases.columns) == ["text", "label", "target", "category"]
    assert set(cases["label"]) == {"none", "offensive", "threat"}
    assert set(cases["target"]) <= {"person", "staff", "group", "none", "object"}
    counts = cases["category"].value_counts()
    assert set(counts.index) == ABUSIVE | CONTROLS
    assert counts.min() >= 25
    controls = cases["category"].isin(CONTROLS)
    assert (cases.loc[controls, "label"] == "none").all()
    assert (cases.loc[~controls, "label"] != "none").all()
    assert (cases.loc[cases["category"].str.startswith("threat"), "label"] == "threat").all()
    assert cases["text"].is_unique


def test_sentiment_cases_have_three_balanced_labels():
    cases = read("sentiment")
    assert list(cases.columns) == ["text", "label"]
    counts = cases["label"].value_counts()
    assert set(counts.index) == {"positive", "negative", "neutral"}
    assert len(cases) >= 300 and counts.min() >= 90
    assert cases["text"].is_unique


def test_service_cases_use_default_service_ids():
    cases = read("services")
    assert list(cases.columns) == ["text", "service"]
    ids = set(ServiceTaxonomy.load().ids)
    assert set(cases["service"]) == ids | {"none"}
    assert len(cases) >= 250
    assert 0.05 <= (cases["service"] == "none").mean() <= 0.15
    assert cases["text"].is_unique


def test_bench_check_refuses_an_unknown_area(capsys):
    spec = importlib.util.spec_from_file_location("bench_check", ROOT / "benchmarks" / "bench_check.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    with pytest.raises(SystemExit) as exit_info:
        bench.main(["sentimnet"])
    assert exit_info.value.code != 0
    assert "unknown area sentimnet" in capsys.readouterr().err
