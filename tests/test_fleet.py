"""A region's municipalities on Dask (`feedback-analysis fleet run`) and `enrich --scheduler`.

The cluster is a small LocalCluster started by a fixture (two single-threaded worker processes,
localhost only) and closed when the module's tests end, also when one fails. Worker processes, as in
production: a report notebook run from a worker thread of the test process would share the asyncio
state other tests leave behind. The workers start in a folder holding a stray settings file and
with a data folder in the environment, which every municipality must ignore. The municipalities are
small generated ones; their reports use the tiny report notebook of the runner tests.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from feedback_analysis import fleet, fleet_workers, pipeline, store
from feedback_analysis.cli import app
from feedback_analysis.config import load_settings
from feedback_analysis.sample import write_sample_exports

FIXTURES = Path(__file__).parent / "fixtures"
NOTEBOOK = FIXTURES / "notebooks" / "report_ok.ipynb"
MONTH = "2026-10"  # complete long before the tests run
runner = CliRunner()


def make_municipality(root: Path, name: str, seed: int = 7, corrupt: bool = False, config: bool = True) -> dict:
    """A municipality's folder: its config and one month of generated exports (the same exports for
    the same seed, whichever the municipality), with a truncated JSON export when ``corrupt``."""
    folder = root / name.lower()
    folder.mkdir(parents=True)
    if config:
        (folder / "feedback_analysis.yaml").write_text(f"municipality: {name}\n", encoding="utf-8")
    write_sample_exports(folder / "raw", end_month=MONTH, months=1, posts_per_month=12, seed=seed)
    if corrupt:
        shutil.copy(FIXTURES / "corrupt" / "truncated.json", folder / "raw" / "truncated.json")
    return {"name": name, "data": f"{name.lower()}/data", "config": f"{name.lower()}/feedback_analysis.yaml",
            "raw": f"{name.lower()}/raw", "reports": f"{name.lower()}/reports"}


def write_fleet(root: Path, entries: list[dict]) -> Path:
    path = root / "fleet.yaml"
    path.write_text(yaml.safe_dump({"municipalities": entries}, sort_keys=False), encoding="utf-8")
    return path


# --- the fleet file (no cluster needed) ------------------------------------------------------------

def test_fleet_file_paths_are_relative_to_it_with_defaults(tmp_path):
    path = write_fleet(tmp_path, [{"name": "Aalter", "data": "a/data", "config": "a/cfg.yaml"},
                                  {"name": "Beveren", "data": "/srv/b", "config": "b.yaml", "raw": "in/b", "reports": "out/b"}])
    a, b = fleet.load_fleet(path)
    assert a == fleet.Municipality("Aalter", tmp_path / "a/data", tmp_path / "a/cfg.yaml",
                                   tmp_path / "a/data/raw", tmp_path / "a/data/reports")
    assert (b.data_dir, b.raw_dir, b.reports_dir) == (Path("/srv/b"), tmp_path / "in/b", tmp_path / "out/b")


@pytest.mark.parametrize(("content", "message"), [
    ("municipalities: []\n", "expected a list under 'municipalities:'"),
    ("- name: x\n", "expected a list under 'municipalities:'"),
    ("municipalities:\n  - name: A\n    data: a\n", "municipality 1: missing config"),
    ("municipalities:\n  - {name: A, data: a, config: c, salt: s}\n", "unknown key(s) salt"),
    ("municipalities:\n  - {name: A, data: a, config: c}\n  - {name: B, data: a, config: d}\n", "share a data folder"),
    ("municipalities:\n  - {name: A, data: a, config: c}\n  - {name: B, data: b, config: d, raw: a/raw}\n", "share a raw folder"),
    ("municipalities:\n  - {name: A, data: a, config: c}\n  - {name: a, data: b, config: d}\n", "share a name"),
    ("municipalities: [\n", "cannot read the fleet file"),
])
def test_unusable_fleet_file_is_one_line_naming_it(tmp_path, content, message):
    path = tmp_path / "fleet.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(fleet.FleetError) as caught:
        fleet.load_fleet(path)
    assert str(caught.value).startswith(str(path)) and message in str(caught.value)
    result = runner.invoke(app, ["fleet", "run", str(path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output and message in result.output


def test_missing_fleet_file_is_a_usage_error(tmp_path):
    result = runner.invoke(app, ["fleet", "run", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2 and "fleet file not found" in result.output


def test_only_new_or_changed_exports_are_picked(settings, tmp_path):
    raw = tmp_path / "raw"
    (raw / "dyi").mkdir(parents=True)
    (raw / "dyi" / "posts.json").write_text("[]", encoding="utf-8")
    (raw / "a.csv").write_text("x\n", encoding="utf-8")
    (raw / "a.columns.yaml").write_text("text: x\n", encoding="utf-8")
    (raw / "notes.md").write_text("not an export", encoding="utf-8")
    (raw / ".hidden.json").write_text("{}", encoding="utf-8")
    found = fleet.new_exports(settings, raw)
    assert sorted(p.name for p in found) == ["a.csv", "dyi"]
    fleet._record_exports(settings, found)
    assert fleet.new_exports(settings, raw) == {}
    (raw / "dyi" / "comments.json").write_text("[]", encoding="utf-8")  # a folder changes with any file in it
    assert [p.name for p in fleet.new_exports(settings, raw)] == ["dyi"]


def test_missing_raw_folder_or_config_fails_that_municipality_only_in_one_line(tmp_path):
    config = tmp_path / "a.yaml"
    config.write_text("municipality: Aalter\n", encoding="utf-8")
    item = fleet.Municipality("Aalter", tmp_path / "a", config, tmp_path / "nowhere", tmp_path / "r")
    result = fleet.update_municipality(item)
    assert result.error == f"ingest: {tmp_path / 'nowhere'}: raw folder not found"
    assert (result.rows, result.exports, result.built) == (0, 0, 0)
    config.write_text("language: nl\n", encoding="utf-8")
    assert fleet.update_municipality(item).error == \
        f"config: {config}: does not name the municipality; add `municipality: Aalter`"
    config.write_text("municipality: [unclosed\n", encoding="utf-8")
    result = fleet.update_municipality(item)
    assert result.error.startswith(f"config: {config}: not valid YAML") and "\n" not in result.error


# --- on the cluster ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def stray(tmp_path_factory) -> Path:
    """A working folder with a settings file of its own, and a data folder named in the environment."""
    folder = tmp_path_factory.mktemp("elsewhere")
    (folder / "feedback_analysis.yaml").write_text("municipality: Stray\nreports_dir: stray-reports\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def client(stray):
    pytest.importorskip("distributed")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(stray)  # the worker processes inherit both
        patch.setenv("FEEDBACK_ANALYSIS_DATA_DIR", str(stray / "data"))
        with fleet.cluster_client(workers=2, warm=True) as dask_client:
            assert len(dask_client.scheduler_info()["workers"]) == 2
            patch.undo()
            yield dask_client


@pytest.fixture(scope="module")
def region(tmp_path_factory, client, stray):
    """Four municipalities, run once through the CLI on the test's cluster: Aalter and Beveren get the
    same exports; Cinderbeke also a truncated one; Dessel has no config file."""
    root = tmp_path_factory.mktemp("region")
    entries = [make_municipality(root, "Aalter"), make_municipality(root, "Beveren"),
               make_municipality(root, "Cinderbeke", seed=8, corrupt=True),
               make_municipality(root, "Dessel", config=False)]
    # Aalter routes some everyday words to a service of its own; Beveren, with the same posts, must not.
    (root / "aalter" / "services.yaml").write_text(
        "services:\n  testdienst:\n    label: {nl: Testdienst, en: Test service}\n    strong: [altijd, straat, bedankt]\n",
        encoding="utf-8")
    (root / "aalter" / "feedback_analysis.yaml").write_text("municipality: Aalter\nscoring: {taxonomy: services.yaml}\n",
                                                            encoding="utf-8")
    path = write_fleet(root, entries)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(stray)
        patch.setenv("FEEDBACK_ANALYSIS_DATA_DIR", str(stray / "data"))
        result = runner.invoke(app, ["fleet", "run", str(path), "--scheduler", client.scheduler.address,
                                     "--notebook", str(NOTEBOOK)])
    return root, path, result


def settings_of(root: Path, name: str):
    folder = root / name.lower()
    settings = load_settings(folder / "feedback_analysis.yaml", data_dir=folder / "data", environ={})
    return settings


def test_fleet_runs_every_municipality_and_fails_only_the_broken_ones(region):
    root, _, result = region
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = {name: next(line for line in result.output.splitlines() if line.startswith(f"{name}:"))
             for name in ("Aalter", "Beveren", "Cinderbeke", "Dessel")}
    assert lines["Aalter"].startswith("Aalter: ok") and lines["Beveren"].startswith("Beveren: ok")
    assert "failed: ingest:" in lines["Cinderbeke"] and "truncated.json" in lines["Cinderbeke"]
    assert "failed: config:" in lines["Dessel"] and "not found" in lines["Dessel"]
    assert "Fleet summary" in result.output and "2 of 4 municipalities done, 2 failed." in result.output
    for name in ("Aalter", "Beveren", "Cinderbeke"):  # a bad export does not stop its own municipality's reports
        figures = root / name.lower() / "reports" / MONTH
        assert list(figures.glob("*.html")), name
    assert not (root / "dessel" / "data").exists()


def test_municipalities_keep_their_own_salt_store_and_reports(region, stray):
    root, _, _ = region
    a, b, c = (settings_of(root, name) for name in ("Aalter", "Beveren", "Cinderbeke"))
    assert a.salt_path.read_bytes() != b.salt_path.read_bytes()
    authors_a = set(store.read_posts(a.posts_dir)["author_id"])
    authors_b = set(store.read_posts(b.posts_dir)["author_id"])
    assert len(authors_a) == len(authors_b) > 3  # the same people, pseudonymised with each one's own salt
    assert not authors_a & authors_b
    services_a = pd.read_parquet(a.scores_path)["service"]
    services_b = pd.read_parquet(b.scores_path)["service"]
    assert (services_a == "testdienst").sum() > 0 and (services_b == "testdienst").sum() == 0
    for settings, name in ((a, "Aalter"), (c, "Cinderbeke")):
        rows = len(store.read_posts(settings.posts_dir, months=[MONTH]))
        figures = json.loads(next((root / name.lower() / "reports" / MONTH).glob("*.json")).read_text())
        assert figures["figures"]["posts"] == rows  # each report read its own store
        assert name in (root / name.lower() / "reports" / "index.html").read_text(encoding="utf-8")
    assert not (stray / "data").exists() and not (stray / "stray-reports").exists()


def test_second_run_ingests_nothing_and_skips_up_to_date_reports(region, client):
    root, path, _ = region
    items = {item.name: item for item in fleet.load_fleet(path)}
    results = fleet.run_fleet(list(items.values())[:3], client, notebook=NOTEBOOK)
    aalter, beveren, cinderbeke = results
    assert (aalter.ok, aalter.exports, aalter.new_rows, aalter.built, aalter.skipped) == (True, 0, 0, 0, 1)
    assert aalter.rows == len(store.read_posts(settings_of(root, "Aalter").posts_dir))
    assert list(aalter.stages) == ["ingest", "enrich", "report"] and sum(aalter.stages.values()) <= aalter.seconds + 0.2
    assert beveren.ok
    # Two single-threaded workers on this machine: each task may use half of its cores for its inner work.
    assert aalter.processes == beveren.processes == max(1, fleet_workers.usable_cores() // 2)
    assert aalter.cpu_seconds > 0
    # The unreadable export is tried again (and fails again); the readable ones are not re-read.
    assert cinderbeke.exports == 1 and cinderbeke.error.startswith("ingest:") and cinderbeke.skipped == 1


def test_workers_import_the_stages_once_when_they_join(client):
    import sys

    warm = client.run(lambda dask_worker: fleet_workers.WARM_PLUGIN in dask_worker.plugins
                      and all(name in sys.modules for name in fleet_workers.WARM_MODULES))
    assert list(warm.values()) == [True, True]
    # A second run on the same (long-lived) cluster does not warm its workers again.
    fleet_workers.warm_workers(client)
    assert list(client.run(lambda: fleet_workers.WARMED[0]).values()) == [1, 1]


def test_new_export_is_ingested_and_its_month_rebuilt(region, client, tmp_path):
    root, path, _ = region
    item = fleet.load_fleet(path)[1]
    write_sample_exports(tmp_path / "more", end_month=MONTH, months=1, posts_per_month=5, seed=99)
    shutil.copy(tmp_path / "more" / "scraper_posts.jsonl", item.raw_dir / "more_posts.jsonl")
    before = len(store.read_posts(settings_of(root, "Beveren").posts_dir))
    (result,) = fleet.run_fleet([item], client, notebook=NOTEBOOK)
    assert result.ok, result.error
    assert result.exports == 1 and result.new_rows > 0 and result.rows == before + result.new_rows
    assert result.built == 1


def test_enrich_on_the_cluster_gives_the_serial_scores(tmp_path, client):
    serial = load_settings(None, data_dir=tmp_path / "serial", environ={})
    write_sample_exports(tmp_path / "raw", end_month=MONTH, months=3, posts_per_month=15, seed=3)
    pipeline.ingest([tmp_path / "raw"], serial)
    shutil.copytree(serial.data_dir, tmp_path / "parallel")
    parallel = load_settings(None, data_dir=tmp_path / "parallel", environ={})
    one = pipeline.enrich(serial)
    calls = []
    scorer = fleet.cluster_scorer(client, part_rows=20)

    def counting(model, rows):
        calls.append(sorted(rows["month"].unique()))
        return scorer(model, rows)

    other = pipeline.enrich(parallel, score_parts=counting)
    assert calls == [["2026-08", "2026-09", "2026-10"]] and one.scored == other.scored > 60
    for path in ("scores_path", "threads_path"):
        left = pd.read_parquet(getattr(serial, path)).sort_values("post_id").reset_index(drop=True)
        right = pd.read_parquet(getattr(parallel, path)).sort_values("post_id").reset_index(drop=True)
        pd.testing.assert_frame_equal(left, right)


def test_enrich_cli_with_scheduler(tmp_path, client, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FEEDBACK_ANALYSIS_DATA_DIR", raising=False)
    settings = load_settings(None, data_dir=tmp_path / "data", environ={})
    write_sample_exports(tmp_path / "raw", end_month=MONTH, months=1, posts_per_month=10, seed=5)
    pipeline.ingest([tmp_path / "raw"], settings)
    result = runner.invoke(app, ["enrich", "--data-dir", str(settings.data_dir), "--scheduler", client.scheduler.address])
    assert result.exit_code == 0, result.output
    assert "rows scored" in result.output
    assert len(pd.read_parquet(settings.scores_path)) == len(store.read_posts(settings.posts_dir))


def test_unreachable_scheduler_is_one_line(tmp_path, monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr(fleet, "CONNECT_TIMEOUT", "1s")
    path = write_fleet(tmp_path, [{"name": "A", "data": "a", "config": "a.yaml"}])
    result = runner.invoke(app, ["fleet", "run", str(path), "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 1
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.output and "Traceback" not in result.output


def test_scheduler_without_workers_is_one_line(tmp_path, monkeypatch):
    distributed = pytest.importorskip("distributed")
    monkeypatch.setattr(fleet, "CONNECT_TIMEOUT", "1s")
    path = write_fleet(tmp_path, [{"name": "A", "data": "a", "config": "a.yaml"}])
    with distributed.LocalCluster(n_workers=0, processes=False, host="127.0.0.1", protocol="tcp",
                                  dashboard_address="127.0.0.1:0") as empty:
        result = runner.invoke(app, ["fleet", "run", str(path), "--scheduler", empty.scheduler_address])
    assert result.exit_code == 1
    assert f"the Dask scheduler at {empty.scheduler_address} has no workers" in result.output
    assert not (tmp_path / "a").exists()
