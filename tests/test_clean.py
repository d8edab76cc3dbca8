"""Cleaning: timestamps, text normalisation, links, language, ids, threads and duplicates."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from feedback_analysis import clean
from feedback_analysis.schema import RAW_COLUMNS


def stamps(*values, dayfirst=True):
    return clean.parse_timestamps(pd.Series(list(values), dtype="object"), "Europe/Brussels", dayfirst)


def test_timestamps_from_every_shape_sources_write():
    parsed = stamps(
        1767261600,                        # Unix seconds (DYI)
        "1767261600000",                   # Unix milliseconds as text
        "2021-07-09T00:04:27+0000",        # Graph API
        "2021-03-04 10:15:00 CET",         # CrowdTangle
        "2021-07-04 18:00:00 CEST",
        "03/04/2026 14:05",                # day-first local time
        46115.5,                           # Excel serial (local noon)
        "46115,5",                         # Excel serial written with a decimal comma
        dt.datetime(2026, 2, 3, 14, 5),    # Excel date cell (naive local)
        "2026-04-05 11:00:00",             # scraper local time
    )
    expected = [
        "2026-01-01T10:00:00Z", "2026-01-01T10:00:00Z", "2021-07-09T00:04:27Z", "2021-03-04T09:15:00Z",
        "2021-07-04T16:00:00Z", "2026-04-03T12:05:00Z", "2026-04-03T10:00:00Z", "2026-04-03T10:00:00Z",
        "2026-02-03T13:05:00Z", "2026-04-05T09:00:00Z",
    ]
    assert [t.isoformat().replace("+00:00", "Z") for t in parsed] == expected
    assert str(parsed.dt.tz) == "UTC"


def test_zones_written_in_the_text_mixed_with_local_times():
    parsed = stamps("Wed Oct 10 20:19:24 +0000 2018", "10/10/2018 20:19", "Oct 10, 2018 8:19 PM", "gisteren")
    assert parsed.tolist()[:3] == [pd.Timestamp("2018-10-10T20:19:24Z"), pd.Timestamp("2018-10-10T18:19:00Z"),
                                   pd.Timestamp("2018-10-10T18:19:00Z")]
    assert pd.isna(parsed.iloc[3])


def test_unparseable_dates_become_nat():
    parsed = stamps("32/13/2026 25:61", "gisteren", None, "")
    assert parsed.isna().all()


def test_month_is_taken_in_brussels_time():
    created = stamps("2026-03-31T22:30:00+0000")  # 00:30 on 1 April in Brussels
    assert clean.month_of(created).tolist() == ["2026-04"]


def test_normalise_text_keeps_emoji_and_punctuation():
    text = clean.normalise_text("  Amai   😡😡 !!!\r\n\r\n\r\nNie   goe\u200b &amp; traag…  ")
    assert text == "Amai 😡😡 !!!\n\nNie goe & traag…"


def test_normalise_text_repairs_mojibake_from_other_tools():
    mangled = "CafÃ© Ã©Ã©n â‚¬5"
    assert clean.normalise_text(mangled) == "Café één €5"
    assert clean.normalise_text("Café één €5") == "Café één €5"


def test_links_become_placeholders_that_keep_the_domain():
    text = clean.normalise_text("Info: https://www.denderbeke.be/afval?id=42, zie ook www.example.org/x.")
    assert text == "Info: [URL:denderbeke.be], zie ook [URL:example.org]."


@pytest.mark.parametrize("text, lang", [
    ("Al drie weken niet opgehaald, schandalig", "nl"),
    ("Proficiat!", "nl"),
    ("amai da was rap", "nl"),
    ("Merci pour le ramassage des poubelles", "fr"),
    ("Bonjour, quelqu'un sait si la piscine est ouverte?", "fr"),
    ("Thanks for fixing the road so quickly", "en"),
    ("Does anyone know when the pool opens?", "en"),
    ("😀😀👍", "other"),
    ("Good", "en"),
    ("Happy July 4th! 🇺🇸", "en"),
    ("شكرا جزيلا للبلدية", "other"),
    ("merci!", "nl"),
    ("Das ist wirklich eine Katastrophe mit dem Verkehr hier", "other"),
])
def test_language_of_short_posts(text, lang):
    assert clean.detect_language(text) == lang


def test_content_key_ignores_case_punctuation_and_spacing():
    assert clean.content_key("Weer eens DICHT!!") == clean.content_key("weer eens dicht")
    assert clean.content_key("weer eens dicht") != clean.content_key("weer eens open")


def test_hashed_ids_are_stable_and_differ_by_content():
    when = pd.Timestamp("2026-01-01", tz="UTC")
    first = clean.hashed_id("csv", "a", when, "x")
    assert first == clean.hashed_id("csv", "a", when, "x")
    assert first != clean.hashed_id("csv", "a", when, "y")
    assert clean.namespaced_id("csv", 12.0) == "csv:12" and clean.namespaced_id("csv", " ") is None


def raw(**columns) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    base = {column: [None] * n for column in RAW_COLUMNS}
    base.update(source=["csv"] * n, source_file=["f.csv"] * n, source_row=list(range(2, n + 2)), raw=["{}"] * n)
    base.update(columns)
    return pd.DataFrame(base, dtype="object")


def test_clean_rows_quarantines_bad_dates_and_skips_rows_without_text():
    rows = raw(
        post_id=["1", "2", "3", None],
        created_at=["03/04/2026 14:05", "32/13/2026", "05/04/2026 10:00", None],
        text=["Proficiat aan de groendienst", "Kapotte datum", "", None],
        author=["Jef Test", "Jef Test", "Tom Test", None],
    )
    result = clean.clean_rows(rows, salt=b"s" * 32)
    assert result.posts["post_id"].tolist() == ["csv:1"]
    assert sorted(result.quarantine["reason"]) == ["record has no id, no text and no time", "unparseable date: 32/13/2026"]
    assert result.skipped["post_id"].tolist() == ["csv:3"]
    post = result.posts.iloc[0]
    assert post["author_id"].startswith("a_") and post["month"] == "2026-04" and post["lang"] == "nl"


def test_clean_rows_without_id_uses_a_stable_hash():
    rows = raw(created_at=["2026-04-05 10:00"], text=["Zonder id"], author=["X"])
    first = clean.clean_rows(rows, salt=b"s" * 32).posts["post_id"].iloc[0]
    second = clean.clean_rows(rows, salt=b"s" * 32).posts["post_id"].iloc[0]
    assert first == second and first.startswith("h_")


def posts_frame(rows):
    frame = pd.DataFrame(rows, columns=["post_id", "parent_id", "kind", "source", "thread_id"])
    return frame.astype("object").where(frame.notna(), None)


def test_link_threads_infers_kind_and_thread_root():
    posts = posts_frame([
        ["p", None, None, "scraper", None],
        ["c", "p", None, "scraper", None],
        ["r", "c", None, "scraper", None],
    ])
    linked, rejected = clean.link_threads(posts)
    assert linked["kind"].tolist() == ["post", "comment", "reply"]
    assert linked["thread_id"].tolist() == ["p", "p", "p"]
    assert rejected.empty


def test_link_threads_rejects_unknown_parents_only_where_threads_are_complete():
    posts = posts_frame([
        ["csv:6", "csv:99", None, "csv", None],
        ["graph:1_10", "graph:111_1", None, "graph", None],
    ])
    linked, rejected = clean.link_threads(posts)
    assert rejected["post_id"].tolist() == ["csv:6"]
    assert rejected["reason"].iloc[0] == "unknown parent csv:99"
    assert linked["thread_id"].tolist() == ["graph:111_1"] and linked["kind"].tolist() == ["comment"]


def test_link_threads_uses_parents_already_in_the_store():
    known = posts_frame([["csv:1", None, "post", "csv", "csv:1"]])
    linked, rejected = clean.link_threads(posts_frame([["csv:2", "csv:1", None, "csv", None]]), known)
    assert rejected.empty and linked["thread_id"].tolist() == ["csv:1"]


def test_mark_duplicates_keeps_the_earliest_as_original():
    text = "Het recyclagepark is weer eens dicht zonder verwittiging"
    posts = pd.DataFrame({
        "post_id": ["b", "a", "c", "d", "e"],
        "created_at": pd.to_datetime(["2026-01-02", "2026-01-01", "2026-01-03", "2026-01-04", "2026-01-05"], utc=True),
        "text": [text, text, text.upper() + "!!", "Proficiat!", "Proficiat!"],
    })
    posts["content_hash"] = posts["text"].map(clean.content_key)
    marked = clean.mark_duplicates(posts, min_chars=40)
    assert marked["is_duplicate"].tolist() == [True, False, True, False, False]
    assert marked["duplicate_of"].tolist() == ["a", None, "a", None, None]


# --- the array versions of link_threads and mark_duplicates against the plain walks they replaced --

def _reference_link_threads(posts, known, strict=("csv", "xlsx", "crowdtangle", "scraper")):
    everything = pd.concat([posts[["post_id", "parent_id", "kind"]], known[["post_id", "parent_id", "kind"]]],
                           ignore_index=True).drop_duplicates("post_id", keep="first")
    everything = everything.astype("object").where(everything.notna(), None)
    parent_of = dict(zip(everything["post_id"], everything["parent_id"]))
    kind_of = dict(zip(everything["post_id"], everything["kind"]))
    unknown = posts["parent_id"].notna() & ~posts["parent_id"].isin(parent_of.keys()) & posts["source"].isin(strict)
    kept = posts[~unknown]

    def root(post_id):
        seen, current = set(), post_id
        while parent_of.get(current) is not None and current not in seen:
            seen.add(current)
            current = parent_of[current]
        return current

    def kind(row_kind, parent):
        words = {"reactie": "comment", "antwoord": "reply", "post": "post", "comment": "comment", "reply": "reply"}
        if isinstance(row_kind, str) and row_kind.strip().lower() in words:
            return words[row_kind.strip().lower()]
        if parent is None:
            return "post"
        parent_kind = kind_of.get(parent)
        if parent_kind in ("comment", "reply") or (parent_kind is None and parent_of.get(parent) is not None):
            return "reply"
        return "comment"

    threads = [t if t is not None else root(p) for t, p in zip(kept["thread_id"], kept["post_id"])]
    kinds = [kind(k, p) for k, p in zip(kept["kind"], kept["parent_id"])]
    return threads, kinds, sorted(posts.loc[unknown, "post_id"])


def test_link_threads_matches_the_walk_over_chains_cycles_and_unknown_parents():
    import random

    rng = random.Random(7)
    for _ in range(30):
        size = rng.randint(1, 60)
        ids = [f"x:{i}" for i in range(size)]
        rows = []
        for i, post_id in enumerate(ids):
            roll = rng.random()
            parent = None if roll < 0.3 else (f"x:{rng.randint(0, size + 5)}" if roll < 0.95 else f"x:{i}")
            rows.append([post_id, parent, rng.choice([None, None, "Reactie", "post", "reply", "???"]),
                         rng.choice(["csv", "graph"]), rng.choice([None, None, "x:0"]) if rng.random() < 0.2 else None])
        frame = posts_frame(rows)
        cut = rng.randint(0, size)
        known = frame.iloc[cut:][["post_id", "parent_id", "kind"]]
        batch = frame.iloc[:cut].reset_index(drop=True)
        linked, rejected = clean.link_threads(batch, known)
        threads, kinds, refused = _reference_link_threads(batch, known)
        assert linked["thread_id"].tolist() == threads
        assert linked["kind"].tolist() == kinds
        assert sorted(rejected["post_id"]) == refused


def test_mark_duplicates_matches_a_stable_sort_by_time_then_id():
    import random

    rng = random.Random(3)
    texts = ["Het recyclagepark is weer eens dicht zonder verwittiging", "Kort", "De straatverlichting in onze wijk is al weken stuk"]
    rows = []
    for _ in range(400):
        text = rng.choice(texts)
        rows.append({"post_id": f"p{rng.randint(0, 300)}", "text": text,
                     "created_at": pd.Timestamp("2026-01-01", tz="UTC") + pd.Timedelta(hours=rng.randint(0, 50)),
                     "content_hash": clean.content_key(text) if rng.random() < 0.95 else None})
    posts = pd.DataFrame(rows)
    marked = clean.mark_duplicates(posts, min_chars=10)
    eligible = posts[(posts["text"].str.len() >= 10) & posts["content_hash"].notna()]
    order = eligible.sort_values(["created_at", "post_id"], kind="stable")
    first = order.groupby("content_hash", sort=False)["post_id"].transform("first")
    expected = first[first != order["post_id"]].reindex(posts.index)
    assert marked["duplicate_of"].tolist() == [v if isinstance(v, str) else None for v in expected]
    assert marked["is_duplicate"].tolist() == expected.notna().tolist()


def test_a_memo_shared_by_chunks_gives_what_each_chunk_gives_alone():
    mangled = "Café één keer bellen naar Jef Peeters op 0470 12 34 56".encode().decode("latin-1")
    texts = [mangled, mangled, "Amai, Jef Peeters woont Kerkstraat 12", "Merci Jef!", "Merci Jef!", "Good job council"]
    rows = raw(post_id=[str(i) for i in range(len(texts))], created_at=["2026-04-05 10:00"] * len(texts), text=texts,
               author=["Jef Peeters"] * len(texts), source=["csv", "dyi", "csv", "csv", "csv", "csv"])
    masker = clean.NameMasker({"Jef Peeters"})
    memo = clean.TextMemo(limit=3)  # small, so that it is also emptied between the chunks
    shared = [clean.clean_rows(part, b"s" * 32, masker, memo=memo).posts for part in (rows.iloc[:3], rows.iloc[3:], rows)]
    alone = [clean.clean_rows(part, b"s" * 32, masker).posts for part in (rows.iloc[:3], rows.iloc[3:], rows)]
    for with_memo, without in zip(shared, alone):
        pd.testing.assert_frame_equal(with_memo.drop(columns=["ingested_at"]), without.drop(columns=["ingested_at"]))
    texts = shared[2]["text"].tolist()
    assert texts[0] != texts[1]  # the DYI copy is not repaired by ftfy: the memo tells them apart
    assert "[NAME]" in texts[2] and "[ADDRESS]" in texts[2] and "[PHONE]" in texts[0]
