"""Readers: one export format each, returning raw rows."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from feedback_analysis.ingest import IngestError, InputFile, NotAnExport, discover_inputs, load_mapping, read_export
from feedback_analysis.ingest.dyi import repair_mojibake, split_title
from feedback_analysis.schema import RAW_COLUMNS


def read_path(path: Path, **kwargs) -> pd.DataFrame:
    frames = [chunk for item in discover_inputs(path) for chunk in _safe(item, **kwargs)]
    return pd.concat(frames, ignore_index=True)


def _safe(item, **kwargs):
    try:
        yield from read_export(item.file, **kwargs)
    except NotAnExport:
        if not item.in_collection:
            raise


# --- DYI ----------------------------------------------------------------------------------------

def test_mojibake_is_repaired_exactly():
    mangled = "Café één ë ï 😀 €5".encode().decode("latin-1")
    assert repair_mojibake(mangled) == "Café één ë ï 😀 €5"
    assert repair_mojibake({"k": [mangled]}) == {"k": ["Café één ë ï 😀 €5"]}


def test_strings_that_were_not_mangled_stay_as_they_are():
    for text in ("Naïef", "plain ascii", "emoji 😀 kept", "€ 5"):
        assert repair_mojibake(text) == text


def test_dyi_folder_reads_posts_group_posts_and_comments(fixtures):
    rows = read_path(fixtures / "dyi")
    assert list(rows.columns) == list(RAW_COLUMNS)
    texts = rows["text"].dropna().tolist()
    assert "Café De Zwaan: één ë ï 😀 €5, proficiat aan de groendienst!" in texts
    assert "Al drie weken niet opgehaald in de Kerkstraat 😡" in texts
    assert set(rows["kind"]) == {"post", "comment"}
    # the photo-only post is read (to be counted as skipped later), with no text
    assert rows["text"].isna().sum() == 1
    assert (rows["source"] == "dyi").all()
    # the archive owner is the author of every row, also of entries without a title
    assert set(rows["author"]) == {"Sofie Van Damme"}


def test_dyi_titles_give_names_to_mask_and_never_text(fixtures):
    rows = read_path(fixtures / "dyi")
    assert "Jens De Smet" in "\n".join(rows["context_names"].dropna())
    assert not rows["text"].dropna().str.contains("heeft gereageerd").any()


def test_split_title_in_dutch_and_english():
    owner, others, group = split_title("Sofie Van Damme heeft gereageerd op het bericht van Jens De Smet.")
    assert owner == "Sofie Van Damme" and others == ["Jens De Smet"] and group is None
    owner, others, _ = split_title("Pieter Claes commented on Annelies Wouters's post.")
    assert owner == "Pieter Claes" and others == ["Annelies Wouters"]
    owner, _, group = split_title("Sofie Van Damme heeft iets geplaatst in Ge zijt van Denderbeke als….")
    assert group.startswith("Ge zijt van Denderbeke")


def test_dyi_old_names_and_bundled_objects(fixtures):
    rows = read_path(fixtures / "dyi_old")
    assert "Naïef om te denken dat dat gerepareerd wordt" in rows["text"].tolist()
    assert "Naïef maar ok" in rows["text"].tolist()  # not mangled in the file, kept as is
    assert "Leven in Denderbeke" in rows["group_name"].tolist()


def test_dyi_zip_archive_reads_like_the_folder(fixtures, tmp_path):
    archive = tmp_path / "facebook-export.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for file in (fixtures / "dyi").rglob("*.json"):
            handle.write(file, f"this_profile_activity/{file.relative_to(fixtures / 'dyi')}")
    from_zip = read_path(archive)
    from_folder = read_path(fixtures / "dyi")
    assert sorted(from_zip["text"].dropna()) == sorted(from_folder["text"].dropna())
    assert from_zip["source_file"].str.contains(r"facebook-export\.zip!").all()


def test_html_variant_asks_for_a_json_export(fixtures, tmp_path):
    with pytest.raises(IngestError, match="export it again as JSON"):
        list(discover_inputs(fixtures / "dyi_html"))
    archive = tmp_path / "html.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("posts/your_posts_1.html", "<html></html>")
    with pytest.raises(IngestError, match="export it again as JSON"):
        list(discover_inputs(archive))


@pytest.mark.parametrize("name, problem", [("truncated.json", "truncated JSON"), ("empty.json", "file is empty")])
def test_broken_json_is_a_one_line_error_naming_the_file(fixtures, name, problem):
    source = InputFile.from_path(fixtures / "corrupt" / name)
    with pytest.raises(IngestError) as caught:
        list(read_export(source))
    message = str(caught.value)
    assert name in message and problem in message and "\n" not in message


def test_empty_list_and_object_files_hold_no_rows(tmp_path):
    for content in ("[]", "{}"):
        path = tmp_path / "x.json"
        path.write_text(content)
        assert list(read_export(InputFile.from_path(path))) == []


def test_unknown_json_named_directly_is_an_error(tmp_path):
    path = tmp_path / "profile.json"
    path.write_text(json.dumps({"profile_v2": {"name": "x"}}))
    with pytest.raises(NotAnExport, match="unknown JSON format"):
        list(read_export(InputFile.from_path(path)))


# --- Graph API ------------------------------------------------------------------------------------

def test_graph_feed_with_nested_comments_replies_and_reactions(fixtures):
    rows = read_path(fixtures / "graph")
    by_id = rows.set_index("post_id")
    assert by_id.loc["111_1", "reactions_like"] == 7 and by_id.loc["111_1", "reactions_angry"] == 4
    assert by_id.loc["111_1", "share_count"] == 4
    assert by_id.loc["1_10", "parent_id"] == "111_1"
    assert by_id.loc["1_11", "parent_id"] == "1_10"
    assert by_id.loc["1_10", "reactions_like"] == 3
    assert "Karel Peeters" in by_id.loc["1_10", "context_names"]
    assert pd.isna(by_id.loc["111_2", "text"])  # photo-only


def test_graph_samples_from_real_responses(graph_samples):
    feed = read_path(graph_samples / "posts" / "feeds_default_fields_p1.json")
    assert len(feed) == 5 and feed["reactions_like"].notna().all() and feed["share_count"].notna().all()
    comments = read_path(graph_samples / "comments" / "comments_p1.json")
    # comments fetched alone: id and parent post come from the permalink
    assert comments["post_id"].str.match(r"^\d+_\d+$").all()
    assert comments["parent_id"].str.match(r"^19292868552_\d+$").all()
    keyed = read_path(graph_samples / "posts" / "multi_posts_data.json")
    assert keyed["post_id"].notna().all() and len(keyed) >= 2


def test_graph_group_metadata_is_not_an_export(graph_samples):
    with pytest.raises(NotAnExport):
        list(read_export(InputFile.from_path(graph_samples / "groups" / "group_fields.json")))


# --- facebook-scraper ----------------------------------------------------------------------------

def test_scraper_json_lines_with_comments_and_replies(fixtures):
    rows = read_path(fixtures / "scraper" / "posts.jsonl")
    assert rows["post_id"].tolist() == ["5001", "6001", "6002", "5002"]
    assert rows["parent_id"].tolist()[:3] == [None, "5001", "6001"]
    post = rows.iloc[0]
    assert post["reactions_like"] == 5 and post["reactions_angry"] == 3 and post["created_at"] == 1775376900
    assert "Bart Willems" in post["context_names"]


def test_scraper_json_list_is_detected(fixtures):
    rows = read_path(fixtures / "scraper" / "posts.json")
    assert (rows["source"] == "scraper").all() and len(rows) == 3


# --- CSV / XLSX --------------------------------------------------------------------------------------

def test_crowdtangle_csv_is_detected_without_a_mapping(fixtures):
    rows = read_path(fixtures / "crowdtangle.csv")
    assert (rows["source"] == "crowdtangle").all()
    assert rows.loc[0, "text"].startswith("De bib is vanaf maandag")
    assert rows.loc[0, "reactions_like"] == "10" and rows.loc[0, "group_name"] == "Gemeente Denderbeke"


def test_cp1252_semicolon_csv_with_a_mapping_beside_it(fixtures):
    rows = read_path(fixtures / "handmade_cp1252.csv")
    assert rows.loc[0, "text"].endswith("prachtig bij! €")
    assert rows.loc[2, "text"].startswith("Wanneer is het recyclagepark open? Café")
    assert rows["source_row"].tolist() == [2, 3, 4, 5, 6, 7]
    assert json.loads(rows.loc[3, "raw"])["Datum"] == "32/13/2026 25:61"


def test_utf8_bom_csv_with_explicit_mapping(fixtures):
    mapping = load_mapping(fixtures / "tweets.columns.yaml")
    rows = read_path(fixtures / "tweets_bom.csv", mapping=mapping)
    assert rows["post_id"].tolist() == ["t1", "t2"]
    assert rows.loc[0, "text"].endswith("😂")


def test_csv_without_a_fitting_mapping_lists_the_columns_found(fixtures):
    with pytest.raises(IngestError) as caught:
        list(read_export(InputFile.from_path(fixtures / "tweets_bom.csv")))
    assert "columns found: ['id', 'user', 'time', 'message']" in str(caught.value)


def test_mapping_naming_a_missing_column_lists_the_columns_found(fixtures, tmp_path):
    mapping_file = tmp_path / "m.yaml"
    mapping_file.write_text("text: body\ncreated_at: time\n")
    with pytest.raises(IngestError, match=r"columns found: \['id', 'user', 'time', 'message'\]"):
        list(read_export(InputFile.from_path(fixtures / "tweets_bom.csv"), mapping=load_mapping(mapping_file)))


def test_mapping_with_unknown_canonical_name_is_refused(tmp_path):
    mapping_file = tmp_path / "m.yaml"
    mapping_file.write_text("text: body\ncreated_at: time\nmessage_text: x\n")
    with pytest.raises(IngestError, match="unknown canonical name"):
        load_mapping(mapping_file)


def test_xlsx_with_title_rows_above_the_table_and_excel_dates(tmp_path):
    import datetime as dt

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Export of comments"])
    sheet.append(["Generated by a comment exporter"])
    sheet.append([])
    sheet.append(["Name", "Date", "Comment", "Likes", "Reply to"])
    sheet.append(["Jan Test", dt.datetime(2026, 2, 3, 14, 5), "Proper job, merci!", 2, None])
    sheet.append(["An Test", dt.datetime(2026, 2, 3, 15, 0), "Niet mee eens", 0, "c1"])
    path = tmp_path / "comments.xlsx"
    workbook.save(path)
    mapping_file = tmp_path / "map.yaml"
    mapping_file.write_text("author: Name\ncreated_at: Date\ntext: Comment\nreactions_like: Likes\nparent_id: Reply to\n")
    rows = read_path(path, mapping=load_mapping(mapping_file))
    assert rows["text"].tolist() == ["Proper job, merci!", "Niet mee eens"]
    assert rows.loc[0, "created_at"] == pd.Timestamp(2026, 2, 3, 14, 5)
    assert rows["source_row"].tolist() == [5, 6]
    assert (rows["source"] == "xlsx").all()


def test_corrupt_xlsx_is_a_clear_error(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(IngestError, match="broken.xlsx: cannot read XLSX"):
        list(read_export(InputFile.from_path(path)))


def test_unknown_file_type_is_refused(tmp_path):
    path = tmp_path / "notes.pdf"
    path.write_bytes(b"%PDF")
    with pytest.raises(IngestError, match="unknown file type"):
        list(read_export(InputFile.from_path(path)))


def test_missing_path_is_an_error(tmp_path):
    with pytest.raises(IngestError, match="no such file"):
        list(discover_inputs(tmp_path / "nope.json"))


# --- DYI read as a stream ---------------------------------------------------------------------

def _whole_and_streamed(source: InputFile, chunk_rows: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    from feedback_analysis.ingest.dyi import dyi_places, read_dyi, stream_dyi

    places = dyi_places(source)
    assert places is not None, f"{source.name} was not recognised as DYI from its first events"
    streamed = pd.concat(list(stream_dyi(source, places, chunk_rows=chunk_rows)), ignore_index=True)
    return read_dyi(source), streamed


@pytest.mark.parametrize("name", ["dyi/comments_and_reactions/posts_and_comments.json", "dyi/comments_and_reactions/comments_v2.json",
                                  "dyi/posts/your_posts_1.json", "dyi/groups/your_posts_in_groups.json",
                                  "dyi_old/comments.json", "dyi_old/unmangled.json"])
def test_streamed_dyi_gives_the_rows_of_a_whole_parse(fixtures, name):
    whole, streamed = _whole_and_streamed(InputFile.from_path(fixtures / name))
    pd.testing.assert_frame_equal(streamed, whole)


def test_streamed_dyi_of_a_generated_archive_in_chunks(tmp_path):
    from feedback_analysis.sample import write_benchmark_dyi_json

    path = write_benchmark_dyi_json(tmp_path / "comments.json", 0.3)
    whole, streamed = _whole_and_streamed(InputFile.from_path(path), chunk_rows=100)
    assert len(whole) > 300 and whole["author"].notna().all()
    pd.testing.assert_frame_equal(streamed, whole)


def test_streamed_dyi_layouts_bom_and_broken_entries(tmp_path):
    entry = {"timestamp": 1770199200, "title": "Jan Peeters heeft een bericht geplaatst.", "data": [{"post": "Caf\u00c3\u00a9 open"}]}
    untitled = {"timestamp": 1770199300, "data": [{"post": "Zonder titel"}]}
    layouts = {
        "list.json": [entry, untitled, entry],  # a bare list of posts
        "bundle.json": [{"your_posts_v2": [entry, "not an entry", untitled]}, {"comments_v2": [{"data": "wrong"}]}],
        "bom.json": {"status_updates_v2": [entry, untitled]},
    }
    for name, data in layouts.items():
        path = tmp_path / name
        text = json.dumps(data)
        path.write_bytes((b"\xef\xbb\xbf" if name == "bom.json" else b"") + text.encode())
        whole, streamed = _whole_and_streamed(InputFile.from_path(path), chunk_rows=2)
        pd.testing.assert_frame_equal(streamed, whole)
        untitled_rows = streamed[streamed["text"] == "Zonder titel"]
        assert (untitled_rows["author"] == "Jan Peeters").all() and streamed["text"].iloc[0] == "Café open"


def test_streamed_dyi_errors_name_the_file(tmp_path):
    truncated = tmp_path / "truncated.json"
    truncated.write_text('{"comments_v2": [{"timestamp": 1770199200, "data": [{"comment": {"comment": "Hal')
    with pytest.raises(IngestError, match="truncated.json: corrupt or truncated JSON"):
        list(read_export(InputFile.from_path(truncated)))
    bundle = tmp_path / "bundle.json"
    bundle.write_text('[{"comments_v2": []}, 5]')
    with pytest.raises(IngestError, match="bundle.json: unexpected int where a DYI object was expected"):
        list(read_export(InputFile.from_path(bundle)))


def test_xlsx_is_read_in_chunks_with_the_cell_values_pandas_reads(tmp_path):
    import datetime as dt

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Export of comments"])
    sheet.append([])
    sheet.append(["Name", "Date", "Comment", "Likes"])
    for i in range(7):
        sheet.append([f"Inwoner {i}", dt.datetime(2026, 3, 1 + i, 9, 30), f"Reactie nummer {i}" if i != 3 else "NA", 2.0 * i])
        if i == 4:
            sheet.append([])  # an empty row inside the table is skipped, its number is not reused
    path = tmp_path / "comments.xlsx"
    workbook.save(path)
    mapping = tmp_path / "map.yaml"
    mapping.write_text("author: Name\ncreated_at: Date\ntext: Comment\nreactions_like: Likes\n")
    source, columns = InputFile.from_path(path), load_mapping(mapping)
    chunks = list(read_export(source, mapping=columns, chunk_rows=3))
    assert [len(c) for c in chunks] == [3, 3, 1]
    chunked = pd.concat(chunks, ignore_index=True)
    whole = pd.concat(list(read_export(source, mapping=columns, chunk_rows=1000)), ignore_index=True)
    pd.testing.assert_frame_equal(chunked, whole)
    expected = pd.read_excel(path, header=2, dtype=object).dropna(how="all")
    assert chunked["text"].tolist() == expected["Comment"].where(expected["Comment"].notna(), "").tolist()
    assert chunked["reactions_like"].tolist() == expected["Likes"].tolist() == [0, 2, 4, 6, 8, 10, 12]
    assert chunked["source_row"].tolist() == [4, 5, 6, 7, 8, 10, 11]
    assert chunked["created_at"].iloc[0] == pd.Timestamp(2026, 3, 1, 9, 30)


def test_csv_with_malformed_rows_is_read_in_chunks_too(tmp_path):
    path = tmp_path / "t.csv"
    lines = ["id,user,time,message"] + [f"{i},u{i},2026-05-0{1 + i % 9}T12:00:00Z,Bericht {i}" for i in range(7)]
    lines.insert(4, "99,u,2026-05-01T12:00:00Z,te,veel,velden")
    path.write_text("\n".join(lines) + "\n")
    mapping = tmp_path / "t.columns.yaml"
    mapping.write_text("post_id: id\nauthor: user\ncreated_at: time\ntext: message\n")
    chunks = list(read_export(InputFile.from_path(path), chunk_rows=3))
    assert max(len(c) for c in chunks) <= 3
    rows = pd.concat(chunks, ignore_index=True)
    assert len(rows) == 8 and rows["text"].tolist()[:7] == [f"Bericht {i}" for i in range(7)]  # each good row once
    assert rows["problem"].iloc[-1] == "malformed CSV row: 6 fields where the header has 4"
