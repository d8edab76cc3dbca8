"""Hostile inputs: one bad file or row never costs the others, and every row is accounted for."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from feedback_analysis import pipeline, store

GOOD_CSV = "id,user,time,message\nt1,Piet Claes,2026-05-01T12:00:00Z,De straat is weer proper\nt2,An Wouters,2026-05-02T08:00:00Z,Dank voor de snelle hulp\n"
MAPPING = "post_id: id\nauthor: user\ncreated_at: time\ntext: message\n"


def write_good_csv(folder: Path, name: str = "goed.csv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(GOOD_CSV, encoding="utf-8")
    (folder / name).with_suffix(".columns.yaml").write_text(MAPPING, encoding="utf-8")
    return folder / name


def assert_accounted(report: pipeline.IngestReport) -> None:
    for item in report.files:
        assert item.read == item.stored + item.updated + item.duplicates + item.quarantined + item.skipped, item


def ingest_with_good(settings, tmp_path, bad: Path) -> pipeline.IngestReport:
    good = write_good_csv(tmp_path / "in")
    report = pipeline.ingest([good, bad], settings)
    assert_accounted(report)
    stored = store.read_posts(settings.posts_dir)
    assert set(stored["text"]) >= {"De straat is weer proper", "Dank voor de snelle hulp"}, "good file lost"
    return report


def only_error_names(report, bad: Path) -> str:
    assert len(report.errors) == 1, report.errors
    message = report.errors[0]
    assert "\n" not in message and Path(bad).name in message
    return message


def test_zip_member_with_a_bad_crc_fails_alone(settings, tmp_path):
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as handle:
        handle.writestr("posts.jsonl", json.dumps({"post_id": "9", "text": "hallo daar", "timestamp": 1760000000}) + "\n")
    data = bytearray(archive.read_bytes())
    index = data.find(b"hallo daar")
    data[index] = ord("H")  # the stored bytes no longer match the CRC
    archive.write_bytes(bytes(data))
    report = ingest_with_good(settings, tmp_path, archive)
    assert "posts.jsonl" in only_error_names(report, archive)


def test_json_nested_very_deeply_fails_alone(settings, tmp_path):
    bad = tmp_path / "diep.json"
    bad.write_text("[" * 100_000 + "]" * 100_000)
    only_error_names(ingest_with_good(settings, tmp_path, bad), bad)


def test_csv_with_a_huge_field_is_read(settings, tmp_path):
    big = tmp_path / "groot.csv"
    big.write_text("id,user,time,message\nb1,Jo Peeters,2026-05-03T08:00:00Z," + "x" * 200_000 + "\n", encoding="utf-8")
    big.with_suffix(".columns.yaml").write_text(MAPPING)
    report = ingest_with_good(settings, tmp_path, big)
    assert report.ok, report.errors
    assert report.totals().stored == 3


def test_mapping_whose_options_is_not_a_mapping_fails_alone(settings, tmp_path):
    bad = write_good_csv(tmp_path / "other", "slecht.csv")
    bad.with_suffix(".columns.yaml").write_text(MAPPING + "options: 5\n")
    report = pipeline.ingest([write_good_csv(tmp_path / "in"), bad], settings)
    assert_accounted(report)
    assert len(report.errors) == 1 and "options" in report.errors[0] and "\n" not in report.errors[0]
    assert report.totals().stored == 2


def test_dyi_file_with_a_number_where_a_string_belongs(settings, tmp_path):
    bad = tmp_path / "your_posts_1.json"
    bad.write_text(json.dumps([
        {"timestamp": 1760000000, "title": 12345, "data": [{"post": 7}]},
        {"timestamp": 1760000100, "title": "Jan Peeters updated his status.", "data": [{"post": "Goed nieuws vandaag"}]},
    ]))
    report = ingest_with_good(settings, tmp_path, bad)
    item = next(f for f in report.files if f.file.endswith("your_posts_1.json"))
    assert item.error or item.quarantined >= 1


def test_scraper_comment_whose_replies_is_a_number(settings, tmp_path):
    bad = tmp_path / "scraped.jsonl"
    post = {"post_id": "55", "text": "Nieuwe speeltuin open", "timestamp": 1760000000,
            "comments_full": [{"comment_id": "56", "comment_text": "Eindelijk", "comment_time": "2025-10-09 10:00:00",
                               "commenter_name": "Lies Maes", "replies": 3}]}
    bad.write_text(json.dumps(post) + "\n")
    report = ingest_with_good(settings, tmp_path, bad)
    assert report.ok, report.errors
    assert "Eindelijk" in set(store.read_posts(settings.posts_dir)["text"])


def test_a_negative_count_quarantines_that_row_only(settings, tmp_path):
    bad = tmp_path / "telling.csv"
    bad.write_text("id,user,time,message,likes\nn1,Jo,2026-05-03T08:00:00Z,Mooi zo,-4\nn2,Jo,2026-05-03T09:00:00Z,Ook goed,3\n")
    bad.with_suffix(".columns.yaml").write_text(MAPPING + "reactions_like: likes\n")
    report = ingest_with_good(settings, tmp_path, bad)
    assert report.ok, report.errors
    item = next(f for f in report.files if f.file.endswith("telling.csv"))
    assert (item.stored, item.quarantined) == (1, 1)
    reasons = pd.read_csv(report.quarantine_file)["reason"]
    assert reasons.str.contains("negative").any()


@pytest.mark.parametrize("when", ["1900-01-05T10:00:00Z", "2999-01-05T10:00:00Z", "1970-01-01T00:00:00Z"])
def test_an_implausible_date_is_quarantined(settings, tmp_path, when):
    bad = tmp_path / "datum.csv"
    bad.write_text(f"id,user,time,message\nd1,Jo,{when},Verre tijden\nd2,Jo,2026-05-03T09:00:00Z,Nu\n")
    bad.with_suffix(".columns.yaml").write_text(MAPPING)
    report = ingest_with_good(settings, tmp_path, bad)
    stored = store.read_posts(settings.posts_dir)
    assert "Verre tijden" not in set(stored["text"])
    assert stored["month"].min() >= "2004-01"
    assert pd.read_csv(report.quarantine_file)["reason"].str.contains("date").any()


def test_nul_and_control_characters_never_reach_the_store(settings, tmp_path):
    bad = tmp_path / "nul.jsonl"
    lines = [
        {"post_id": "1", "text": "\x00\x00\x00", "timestamp": 1760000000},
        {"post_id": "2", "text": "De\x00brug is\x07 kapot\x1b", "timestamp": 1760000100},
    ]
    bad.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    report = ingest_with_good(settings, tmp_path, bad)
    texts = store.read_posts(settings.posts_dir)["text"]
    assert not texts.str.contains(r"[\x00-\x08\x0b-\x1f\x7f]", regex=True).any()
    assert any("brug is kapot" in t for t in texts)
    assert "[NAME]" not in " ".join(texts)
    item = next(f for f in report.files if f.file.endswith("nul.jsonl"))
    assert item.stored + item.quarantined + item.skipped == 2


def test_one_corrupt_json_line_is_quarantined_not_the_file(settings, tmp_path):
    bad = tmp_path / "lijnen.jsonl"
    bad.write_text(json.dumps({"post_id": "1", "text": "eerste", "timestamp": 1760000000}) + "\n{kapot\n"
                   + json.dumps({"post_id": "3", "text": "derde", "timestamp": 1760000200}) + "\n")
    report = ingest_with_good(settings, tmp_path, bad)
    item = next(f for f in report.files if f.file.endswith("lijnen.jsonl"))
    assert (item.read, item.stored, item.quarantined) == (3, 2, 1) and not item.error


def test_same_export_as_csv_and_xlsx_is_stored_once(settings, tmp_path):
    csv_file = write_good_csv(tmp_path / "in")
    xlsx = tmp_path / "in" / "goed_export.xlsx"
    pd.read_csv(csv_file, dtype=str).to_excel(xlsx, index=False)
    xlsx.with_suffix(".columns.yaml").write_text(MAPPING)
    pipeline.ingest([csv_file], settings)
    report = pipeline.ingest([xlsx], settings)
    assert_accounted(report)
    assert len(store.read_posts(settings.posts_dir)) == 2
    assert report.totals().duplicates == 2


def test_a_folder_with_nothing_readable_is_an_error(settings, tmp_path):
    folder = tmp_path / "leeg"
    folder.mkdir()
    (folder / "notes.md").write_text("nothing here")
    report = pipeline.ingest([folder], settings)
    assert not report.ok and "leeg" in report.errors[0] and "no readable export" in report.errors[0]


def test_an_unexpected_failure_in_cleaning_names_the_file(settings, tmp_path, monkeypatch):
    from feedback_analysis import clean

    original = clean.clean_rows

    def explode(rows, *args, **kwargs):
        if rows["source_file"].astype(str).str.contains("boem").any():
            raise KeyError("surprise")
        return original(rows, *args, **kwargs)

    monkeypatch.setattr(clean, "clean_rows", explode)
    bad = write_good_csv(tmp_path / "other", "boem.csv")
    report = pipeline.ingest([write_good_csv(tmp_path / "in"), bad], settings)
    assert_accounted(report)
    assert report.totals().stored == 2 and len(report.errors) == 1 and "boem.csv" in report.errors[0]


def test_source_file_is_relative_to_the_ingest_root_and_free_of_names(settings, tmp_path):
    folder = tmp_path / "home" / "sofie" / "exports"
    good = write_good_csv(folder / "2026", "reacties_Sofie_Janssens.csv")
    pipeline.ingest([folder], settings)
    stored = store.read_posts(settings.posts_dir)["source_file"].unique().tolist()
    assert stored == ["2026/reacties_[NAME].csv"], stored
    pipeline.ingest([good], settings)
    assert store.read_posts(settings.posts_dir)["source_file"].unique().tolist() == ["reacties_[NAME].csv"]


def test_quarantine_file_keeps_no_folders(settings, tmp_path):
    bad = tmp_path / "private" / "telling.csv"
    bad.parent.mkdir()
    bad.write_text("id,user,time,message,likes\nn1,Jo,2026-05-03T08:00:00Z,Mooi zo,-4\n")
    bad.with_suffix(".columns.yaml").write_text(MAPPING + "reactions_like: likes\n")
    report = pipeline.ingest([bad], settings)
    written = pd.read_csv(report.quarantine_file)
    assert written["source_file"].tolist() == ["telling.csv"] and "input_file" not in written.columns


def test_a_zip_bomb_member_fails_alone(settings, tmp_path):
    archive = tmp_path / "bom.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as handle:
        handle.writestr("posts.json", b" " * (30 * 2**20))  # 30 MB of spaces, a few kB packed
    report = ingest_with_good(settings, tmp_path, archive)
    assert "ZIP bomb" in only_error_names(report, archive)


def test_an_unreadable_file_fails_alone(settings, tmp_path):
    import os

    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    bad = write_good_csv(tmp_path / "other", "geheim.csv")
    bad.chmod(0)
    only_error_names(ingest_with_good(settings, tmp_path, bad), bad)


def test_a_xlsx_that_is_not_a_workbook_fails_alone(settings, tmp_path):
    bad = tmp_path / "kapot.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    only_error_names(ingest_with_good(settings, tmp_path, bad), bad)


def test_cli_summary_always_prints_and_the_exit_is_nonzero(settings, tmp_path):
    from typer.testing import CliRunner

    from feedback_analysis.cli import app

    bad = tmp_path / "diep.json"
    bad.write_text("[" * 50_000 + "]" * 50_000)
    good = write_good_csv(tmp_path / "in")
    result = CliRunner().invoke(app, ["ingest", str(good), str(bad), "--no-enrich", "--data-dir", str(settings.data_dir)])
    assert result.exit_code == 1 and "Ingest summary" in result.output and "0 -> 2 rows" in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "diep.json" in errors[0] and "Traceback" not in result.output


def test_the_plausible_window_is_a_setting(settings, tmp_path):
    import dataclasses

    narrow = dataclasses.replace(settings, ingest=dataclasses.replace(settings.ingest, plausible_from="2026-05-02"))
    report = pipeline.ingest([write_good_csv(tmp_path / "in")], narrow)
    assert (report.totals().stored, report.totals().quarantined) == (1, 1)
    assert "2026-05-02" in pd.read_csv(report.quarantine_file)["reason"][0]


def test_a_broken_archive_inside_a_folder_fails_alone(settings, tmp_path):
    folder = tmp_path / "in"
    write_good_csv(folder)
    (folder / "kapot.zip").write_bytes(b"PK\x03\x04 broken")
    report = pipeline.ingest([folder], settings)
    assert_accounted(report)
    assert report.totals().stored == 2 and len(report.errors) == 1 and "kapot.zip" in report.errors[0]


def test_a_csv_row_with_too_many_fields_is_quarantined_alone(settings, tmp_path):
    bad = tmp_path / "scheef.csv"
    bad.write_text("id,user,time,message\nr1,Jo,2026-05-03T08:00:00Z,Goed\nr2,Jo,2026-05-03T09:00:00Z,een,twee,drie\n"
                   "r3,An,2026-05-03T10:00:00Z,Ook goed\n")
    bad.with_suffix(".columns.yaml").write_text(MAPPING)
    report = ingest_with_good(settings, tmp_path, bad)
    item = next(f for f in report.files if f.file.endswith("scheef.csv"))
    assert (item.read, item.stored, item.quarantined, item.error) == (3, 2, 1, None)
    assert pd.read_csv(report.quarantine_file)["reason"].str.contains("malformed CSV row").any()
