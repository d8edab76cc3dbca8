"""The monthly report's tables and sentences, on small hand-made tables; and the report notebook."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import papermill
import pytest
import yaml
from scipy import stats

from feedback_analysis import report_data
from feedback_analysis.report_data import (
    count_noun,
    format_change,
    format_days,
    format_percent,
    key_findings,
    month_name,
    service_sentence,
    two_proportion_test,
    wilson_interval,
)
from feedback_analysis.threads import is_compliment

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "reports" / "monthly_report.ipynb"
NBSP = "\u00a0"


def plain(value: str) -> str:
    """Text with no-break spaces as plain spaces, to compare with readable expectations."""
    return value.replace(NBSP, " ").replace("\u2212", "-")


# --- a small scored store, made by hand ------------------------------------------------------------

def make_posts(rows: list[dict]) -> pd.DataFrame:
    """Scored posts as ``pipeline.load_scored_posts`` returns them, with defaults for unnamed columns."""
    defaults = {
        "kind": "post", "source": "csv", "group_name": "Ge zijt van Testdorp als", "author_id": "a_secret_author",
        "text": "tekst", "lang": "nl", "is_duplicate": False, "sentiment": "neutral", "service": "",
        "thread_service": "", "compliment": False, "abuse": "none", "abuse_reason": "", "abuse_action": "",
        "abuse_target": "none", "abuse_group": "", "reactions_like": 0, "replies": np.nan, "agree": np.nan, "disagree": np.nan, "consensus": np.nan,
    }
    frame = pd.DataFrame([{**defaults, **row} for row in rows])
    frame["post_id"] = [f"p{i}" for i in range(len(frame))]
    frame["thread_id"] = frame["post_id"]
    if "created_at" not in frame:
        frame["created_at"] = [f"{m}-10T12:00:00Z" for m in frame["month"]]
    frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True)
    return frame


def rows_for(month: str, service: str, negative: int, positive: int, neutral: int, **extra) -> list[dict]:
    rows = []
    for sentiment, count in (("negative", negative), ("positive", positive), ("neutral", neutral)):
        rows += [{"month": month, "thread_service": service, "service": service, "sentiment": sentiment, **extra}
                 for _ in range(count)]
    return rows


@pytest.fixture
def posts() -> pd.DataFrame:
    rows = []
    # afval: 50 % negative in October against 10 % in September (and in the two months before)
    rows += rows_for("2026-10", "afval", 20, 10, 10)
    rows += rows_for("2026-09", "afval", 4, 16, 20)
    rows += rows_for("2026-08", "afval", 4, 16, 20)
    rows += rows_for("2026-07", "afval", 4, 16, 20)
    # parkeren: few texts, a large change that is not tested
    rows += rows_for("2026-10", "parkeren", 8, 1, 1)
    rows += rows_for("2026-09", "parkeren", 1, 4, 5)
    # groen: stable and positive
    rows += rows_for("2026-10", "groen", 6, 24, 10)
    rows += rows_for("2026-09", "groen", 6, 24, 10)
    # rows that must not count
    rows += rows_for("2026-10", "afval", 30, 0, 0, is_duplicate=True)
    rows += rows_for("2026-10", "", 30, 0, 0)
    rows.append({"month": "2026-10", "thread_service": "afval", "sentiment": None})
    return make_posts(rows)


LABELS = {"afval": "Afval en netheid", "parkeren": "Parkeren", "groen": "Groen"}


# --- statistics ---------------------------------------------------------------------------------------

def test_wilson_interval_known_values():
    low, high = wilson_interval(0, 10)
    assert low == 0 and high == pytest.approx(1.959963984540054**2 / (10 + 1.959963984540054**2))  # 0.2775
    low, high = wilson_interval(5, 10)
    assert low == pytest.approx(0.2366, abs=1e-4) and high == pytest.approx(0.7634, abs=1e-4)
    for k, n in ((1, 7), (38, 100), (81, 263), (30, 30)):
        expected = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
        assert wilson_interval(k, n) == pytest.approx((expected.low, expected.high), abs=1e-9)


def test_wilson_interval_on_arrays_and_empty_samples():
    low, high = wilson_interval(np.array([0, 3, 0]), np.array([10, 12, 0]))
    assert low.shape == (3,) and math.isnan(low[2]) and math.isnan(high[2])
    assert np.all(low[:2] <= np.array([0, 0.25])) and np.all(high[:2] >= np.array([0, 0.25]))


def test_two_proportion_test_matches_chi_square_without_correction():
    z, p = two_proportion_test(45, 100, 30, 100)
    assert z == pytest.approx(2.191, abs=1e-3)
    chi2, p_chi2, _, _ = stats.chi2_contingency([[45, 55], [30, 70]], correction=False)
    assert p == pytest.approx(p_chi2) and z**2 == pytest.approx(chi2)
    assert math.isnan(two_proportion_test(3, 10, 0, 0)[1])


# --- formatting -------------------------------------------------------------------------------------

def test_month_names_and_ranges():
    assert month_name("2026-10", "nl") == "oktober 2026"
    assert month_name("2026-03", "en") == "March 2026"
    assert report_data.month_range("2026-02", 4) == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert report_data.previous_month("2026-01") == "2025-12"
    with pytest.raises(ValueError):
        month_name("2026-10", "fr")


def test_percentages_changes_and_days_in_both_languages():
    assert plain(format_percent(0.384, "nl")) == "38 %"
    assert format_percent(0.384, "en") == "38%"
    assert plain(format_percent(0.002, "nl", decimals=1)) == "0,2 %"
    assert format_percent(float("nan"), "nl") == "–"
    assert plain(format_change(0.12, "nl")) == "+12 pt"
    assert plain(format_change(-0.031, "en")) == "-3 pt"
    assert report_data.format_number(12345.5, "nl", 1) == "12.345,5"
    assert report_data.format_number(12345.5, "en", 1) == "12,345.5"
    assert format_days([3, 4, 5, 17, 20], "2026-10", "nl") == "3–5, 17 en 20 oktober"
    assert format_days([3, 4, 5, 17], "2026-10", "en") == "October 3–5 and 17"
    assert count_noun(1, "text", "nl") == "1 tekst" and count_noun(2, "threat", "en") == "2 threats"


def test_texts_have_the_same_keys_in_both_languages_and_no_duplicate_keys():
    class Strict(yaml.SafeLoader):
        pass

    def mapping(loader, node, deep=False):
        keys = [loader.construct_object(k, deep=deep) for k, _ in node.value]
        assert len(keys) == len(set(keys)), f"duplicate key in report_text.yaml: {keys}"
        return yaml.SafeLoader.construct_mapping(loader, node, deep)

    Strict.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    raw = (ROOT / "feedback_analysis" / "resources" / "report_text.yaml").read_text("utf-8")
    texts = yaml.load(raw, Loader=Strict)

    def keys(node, prefix=""):
        if isinstance(node, dict):
            return {k for key, value in node.items() for k in keys(value, f"{prefix}{key}.")} | {prefix}
        return {prefix}

    assert keys(texts["nl"]) == keys(texts["en"])


def test_every_benchmark_figure_has_its_texts_in_both_languages():
    for lang in ("nl", "en"):
        for stage, measured in report_data.quality_figures().items():
            assert report_data.text(f"method.stages.{stage}", lang)
            for item in measured["items"]:
                assert isinstance(item["value"], (int, float))
                assert report_data.text(f"method.data.{item['data']}", lang, n=item.get("n", 0))
                report_data.text(f"method.metrics.{item['metric']}", lang, value="x")


def test_section_headings_follow_the_language():
    assert report_data.section("shares", "nl").startswith(
        '<h2 id="section-shares" class="fa-section">Positief en negatief per dienst</h2>')
    assert report_data.section("shares", "en").startswith(
        '<h2 id="section-shares" class="fa-section">Positive and negative per service</h2>')
    assert "eerst luisteren" in report_data.section("consensus", "nl")


def test_contents_link_to_every_section_heading_in_the_language():
    for lang, title in (("nl", "Complimenten voor de teams"), ("en", "Compliments for the teams")):
        contents = report_data.contents_html(lang)
        targets = re.findall(r'href="#([^"]+)"', contents)
        assert targets == [report_data.section_id(name) for name in report_data.SECTIONS]
        assert all(f'id="{target}"' in report_data.section(target.removeprefix("section-"), lang) for target in targets)
        assert f">{title}</a>" in contents


def test_tables_mark_text_and_figure_columns_and_escape_cells():
    table = pd.DataFrame({"Dienst": ["Afval <b>", "Alle diensten"], "Tekst": ["lang & breed", None], "n": ["3", "5"]})
    page = report_data._html_table(table, wide=["Dienst", "Tekst"], bold_last_row=True)
    assert '<th scope="col" class="text">Dienst</th>' in page and '<th scope="col" class="num">n</th>' in page
    assert '<td class="text" data-label="Tekst">lang &amp; breed</td>' in page
    assert "Afval &lt;b&gt;" in page and '<td class="text" data-label="Tekst"></td>' in page
    assert page.count('<tr class="total">') == 1 and "style=" not in page


# --- 1. coverage ---------------------------------------------------------------------------------------

def test_coverage_finds_missing_days_sources_and_groups():
    rows = [{"month": "2026-09", "source": "dyi", "group_name": "Buurtgroep", "created_at": "2026-09-05T10:00:00Z"}]
    rows += [{"month": "2026-09", "source": "scraper", "group_name": None, "created_at": "2026-09-06T10:00:00Z"}] * 40
    # October: every day except 3-5 and 17 (in Brussels time), no dyi, no Buurtgroep, far fewer scraper rows
    days = [d for d in range(1, 32) if d not in (3, 4, 5, 17)]
    rows += [{"month": "2026-10", "source": "csv", "created_at": f"2026-10-{d:02d}T10:00:00Z"} for d in days]
    rows += [{"month": "2026-10", "source": "scraper", "group_name": None, "kind": "comment",
              "created_at": "2026-10-02T10:00:00Z"}]
    # 23:30 UTC on 16 October is 17 October in Brussels: the 17th has a row after all
    rows += [{"month": "2026-10", "source": "csv", "kind": "reply", "created_at": "2026-10-16T23:30:00Z"}]
    cover = report_data.coverage(make_posts(rows), "2026-10", "Europe/Brussels")
    assert cover["missing_days"] == [3, 4, 5]
    assert cover["missing_sources"] == {"dyi": 1}
    assert cover["new_sources"] == {"csv": len(days) + 1}
    assert cover["shrunk_sources"] == {"scraper": [1, 40.0]}
    assert cover["missing_groups"] == {"Buurtgroep": 1}
    assert (cover["posts"], cover["comments"], cover["replies"]) == (len(days), 1, 1)
    text = plain(report_data.coverage_text(cover, "nl"))
    assert "3–5 oktober" in text and "Bron Facebook-archief DYI ontbreekt" in text and "Buurtgroep" in text
    assert "October 3–5" in report_data.coverage_text(cover, "en")


def test_coverage_of_an_empty_month_says_there_is_no_data(posts):
    cover = report_data.coverage(posts, "2027-01")
    assert cover["rows"] == 0 and cover["missing_days"] == []
    assert "geen gegevens voor januari 2027" in report_data.header("Testdorp", "2027-01", cover, "nl").lower()


# --- 3. shares per service ------------------------------------------------------------------------

def test_service_shares_count_only_rows_with_a_service_no_copies_and_scored(posts):
    shares = report_data.service_shares(posts, "2026-10", LABELS).set_index("service")
    assert list(shares.index) == ["afval", "groen", "parkeren"]  # most texts first
    afval = shares.loc["afval"]
    assert (afval["n"], afval["negative"], afval["positive"], afval["neutral"]) == (40, 20, 10, 10)
    assert afval["neg_share"] == 0.5 and afval["label"] == "Afval en netheid"
    assert (afval["neg_low"], afval["neg_high"]) == pytest.approx(wilson_interval(20, 40))
    assert afval["prev_n"] == 40 and afval["neg_change"] == pytest.approx(0.4)
    assert afval["mean3_n"] == 120 and afval["mean3_neg_share"] == pytest.approx(0.1)


def test_significance_flag_needs_a_real_change_and_enough_texts(posts):
    shares = report_data.service_shares(posts, "2026-10", LABELS).set_index("service")
    assert shares.loc["afval", "neg_significant"] and shares.loc["afval", "neg_significant_mean3"]
    assert shares.loc["afval", "neg_p"] < 0.001
    groen = shares.loc["groen"]
    assert not groen["neg_significant"] and groen["neg_change"] == 0 and groen["neg_p"] == pytest.approx(1)
    # parkeren: 80 % against 10 %, p < 0.05, but only 10 texts in each month: not marked
    parkeren = shares.loc["parkeren"]
    assert parkeren["neg_p"] < 0.05 and not parkeren["neg_significant"]


def test_small_sample_flag(posts):
    shares = report_data.service_shares(posts, "2026-10", LABELS, min_n=30).set_index("service")
    assert shares["small_sample"].to_dict() == {"afval": False, "groen": False, "parkeren": True}
    html = report_data.shares_html(shares.reset_index(), "nl")
    assert "weinig teksten, voorzichtig interpreteren" in html and "two-proportion z-test" in html


def test_overall_shares_pool_all_services(posts):
    overall = report_data.overall_shares(posts, "2026-10", "nl")
    assert len(overall) == 1 and overall.loc[0, "n"] == 90 and overall.loc[0, "negative"] == 34
    assert overall.loc[0, "label"] == "Alle diensten samen"


# --- 2. key findings -------------------------------------------------------------------------------------

def share_row(**values) -> dict:
    row = {"service": "afval", "label": "Afval", "n": 88, "neg_share": 0.38, "pos_share": 0.2, "prev_n": 70,
           "neg_change": 0.12, "neg_significant": True, "neg_change_mean3": 0.1, "neg_significant_mean3": True,
           "mean3_neg_share": 0.28, "small_sample": False, "positive": 18}
    row.update(values)
    return row


def test_service_sentence_in_dutch_and_english_with_a_topic():
    row = share_row()
    assert plain(service_sentence(row, "nl", "de gemiste PMD-ophaling")) == (
        "**Afval** (88 teksten): 38 % negatief, 12 punten hoger dan vorige maand (een duidelijke stijging), "
        "vooral over de gemiste PMD-ophaling.")
    assert service_sentence(row, "en") == (
        "**Afval** (88 texts): 38% negative, 12 points higher than last month (a significant rise).")


def test_service_sentence_says_when_a_change_may_be_chance_or_the_sample_is_small():
    chance = share_row(neg_change=-0.07, neg_significant=False, neg_significant_mean3=False)
    assert "7 punten lager dan vorige maand (dat kan toeval zijn)" in service_sentence(chance, "nl")
    small = share_row(n=12, neg_change=0.01, neg_significant=False, neg_significant_mean3=False, small_sample=True)
    assert "1 punt hoger dan vorige maand (weinig teksten, voorzichtig interpreteren)" in service_sentence(small, "nl")
    first = share_row(prev_n=0, neg_change=float("nan"), neg_significant=False, neg_significant_mean3=False)
    assert "geen vergelijking met vorige maand" in service_sentence(first, "nl")


def test_key_findings_from_a_small_table():
    shares = pd.DataFrame([
        share_row(),
        share_row(service="groen", label="Groen", n=40, neg_share=0.1, pos_share=0.6, neg_change=0.0,
                  neg_significant=False, neg_significant_mean3=False, positive=24),
        share_row(service="parkeren", label="Parkeren", n=12, neg_share=0.7, neg_change=0.3,
                  neg_significant=False, neg_significant_mean3=False, small_sample=True),
    ])
    consensus = pd.DataFrame({"service": ["afval"], "label": ["Afval"], "posts": [9], "shared": [3],
                              "contested": [1], "isolated": [5]})
    flagged = pd.DataFrame({"abuse": ["threat", "offensive"]})
    nl = plain(key_findings(shares, "nl", {"afval": "de gemiste PMD-ophaling"}, consensus=consensus, flagged=flagged,
                            max_services=1))
    lines = nl.splitlines()
    assert lines[0].startswith("- **Afval** (88 teksten): 38 % negatief, 12 punten hoger")
    assert lines[0].endswith("vooral over de gemiste PMD-ophaling.")
    assert "- **Groen** (40 teksten) wordt het meest positief besproken: 60 % positief." in lines
    assert "3 klachten met bijval van wie reageert (gedeeld), vooral over Afval." in nl
    assert "2 teksten gemarkeerd als beledigend of bedreigend, waarvan 1 bedreiging" in nl
    assert "Parkeren" not in nl  # small samples are not chosen while larger ones remain
    en = key_findings(shares, "en", consensus=consensus, flagged=flagged, max_services=1)
    assert "**Afval** (88 texts): 38% negative, 12 points higher than last month (a significant rise)." in en
    assert "mostly about" not in en and "1 threat among them" in en


def test_key_findings_without_any_significant_change_say_so(posts):
    shares = report_data.service_shares(posts, "2026-10", LABELS)
    calm = shares.assign(neg_significant=False, neg_significant_mean3=False)
    assert "Geen enkele dienst verschilt duidelijk van vorige maand." in key_findings(calm, "nl")
    assert "no findings" in key_findings(shares.iloc[0:0], "en")


# --- 4. trend ----------------------------------------------------------------------------------------------

def test_monthly_trend_starts_at_the_first_month_with_data_and_keeps_gaps(posts):
    trend = report_data.monthly_trend(posts, "2026-10", LABELS)
    assert sorted(trend["month"].unique()) == ["2026-07", "2026-08", "2026-09", "2026-10"]
    parkeren = trend[trend["service"] == "parkeren"].set_index("month")
    assert parkeren.loc["2026-07", "n"] == 0 and math.isnan(parkeren.loc["2026-07", "neg_share"])
    assert parkeren.loc["2026-10", "neg_share"] == pytest.approx(0.8)
    assert report_data.main_services(trend, 2) == ["afval", "groen"]


def test_volume_by_month_counts_kinds_without_copies(posts):
    volume = report_data.volume_by_month(posts, "2026-10").set_index("month")
    assert list(volume.columns) == ["post", "comment", "reply"]
    assert volume.loc["2026-10", "post"] == 40 + 10 + 40 + 30 + 1  # every row but the 30 copies


# --- 5. topics -------------------------------------------------------------------------------------------

def test_topics_text_without_topics_says_they_are_not_available():
    assert "nog niet beschikbaar" in report_data.topics_text(None, "nl")
    assert "not available" in report_data.topics_text(pd.DataFrame(columns=report_data.TOPIC_COLUMNS), "en")
    assert report_data.main_topics(None) == {}


TOPIC_ROWS = [
    {"service": "afval", "sentiment": "negative", "topic_label": "PMD niet opgehaald", "words": ["pmd", "zak"],
     "size": 14, "status": "nieuw", "coverage": 0.9, "post_ids": ["p1", "p2"], "stable_topic": 4},
    {"service": "afval", "sentiment": "negative", "topic_label": "zwerfvuil", "words": ["zwerfvuil"],
     "size": 30, "status": "", "coverage": 0.8, "post_ids": ["p3"], "stable_topic": 5},
    {"service": "afval", "sentiment": "negative", "topic_label": "dinges", "words": ["dinges"],
     "size": 40, "status": "", "coverage": 0.2, "post_ids": ["p4"], "stable_topic": 6},
    {"service": "afval", "sentiment": "positive", "topic_label": "vriendelijke ophalers", "words": ["ophalers"],
     "size": 5, "status": "", "coverage": 1.0, "post_ids": ["p5"], "stable_topic": 7},
    {"service": "afval", "sentiment": "positive", "topic_label": "twee keer", "words": ["keer"],
     "size": 2, "status": "", "coverage": 1.0, "post_ids": ["p6"], "stable_topic": 8},
]
EMERGING = pd.DataFrame([{
    "stable_topic": 4, "label": "loket burgerzaken gesloten", "status": "nieuw", "posts": 14, "authors": 9,
    "services": ["burgerzaken", "afval"], "started": "2026-10-03",
    "examples": ["Loket dicht, bel 0475 12 34 56", "<b>weer</b> dicht", "derde"], "post_ids": ["p1", "p2"]}])


def test_topics_text_shows_labelled_topics_per_service_and_one_entry_per_new_topic():
    topics = pd.DataFrame(TOPIC_ROWS)
    text = report_data.topics_text(topics, "nl", LABELS, emerging=EMERGING, n_texts=500)
    assert "**Afval en netheid**" in text
    assert "- Negatief: zwerfvuil (30 teksten); PMD niet opgehaald (14 teksten)" in text
    # A catch-all whose label covers few of its texts, and a two-text cell, are no themes.
    assert "dinges" not in text and "twee keer" not in text
    assert text.count("loket burgerzaken gesloten") == 1
    assert "nieuw sinds 3 okt" in text and "Burgerzaken" in text and "Afval en netheid" in text.split("Nieuw")[-1]
    assert "9 schrijvers" in text
    assert "0475" not in text and "\\[telefoonnummer\\]" in text and "<b>" not in text and "derde" not in text
    assert "new since" in report_data.topics_text(topics, "en", LABELS, emerging=EMERGING)
    assert report_data.main_topics(topics) == {"afval": "zwerfvuil"}


def test_small_month_says_too_little_text_and_shows_the_most_discussed_posts():
    text = report_data.topics_text(pd.DataFrame(TOPIC_ROWS), "nl", LABELS, emerging=EMERGING, n_texts=80)
    assert "te weinig teksten (80" in text and "zwerfvuil" not in text
    posts = make_posts([
        {"month": "2026-10", "thread_service": "afval", "text": "Veel reacties op deze", "replies": 9},
        {"month": "2026-10", "thread_service": "afval", "text": "Weinig reacties", "replies": 1},
        {"month": "2026-10", "thread_service": "afval", "text": "Reactie op iets", "kind": "comment", "replies": 20},
    ])
    table = report_data.discussed_posts(posts, "2026-10", LABELS, "nl")
    assert table["Tekst"].tolist()[:2] == ["Veel reacties op deze", "Weinig reacties"]
    assert "Veel reacties op deze" in report_data.discussed_posts_html(posts, "2026-10", LABELS, "nl")
    assert report_data.discussed_posts_html(posts, "2026-10", LABELS, "nl", min_texts=2) == ""


def test_topics_audit_lists_every_shown_topic_with_its_posts():
    audit = report_data.topics_audit(pd.DataFrame(TOPIC_ROWS), EMERGING)
    assert [item["label"] for item in audit] == ["zwerfvuil", "PMD niet opgehaald", "vriendelijke ophalers",
                                                "loket burgerzaken gesloten"]
    assert audit[1] == {"label": "PMD niet opgehaald", "services": ["afval"], "sentiment": "negative",
                        "status": "nieuw", "size": 14, "post_ids": ["p1", "p2"]}
    assert audit[-1]["services"] == ["burgerzaken", "afval"] and audit[-1]["status"] == "nieuw"
    json.dumps(audit)


# --- 6. shared and isolated complaints -----------------------------------------------------------------

@pytest.fixture
def threads() -> pd.DataFrame:
    return make_posts([
        {"month": "2026-10", "thread_service": "afval", "sentiment": "negative", "consensus": "shared", "replies": 8,
         "agree": 6, "disagree": 1, "text": "Al drie weken geen PMD opgehaald in de Kerkstraat", "reactions_like": 4},
        {"month": "2026-10", "thread_service": "afval", "sentiment": "negative", "consensus": "shared", "replies": 3,
         "agree": 3, "disagree": 0, "text": "Containerpark weer dicht zonder uitleg, mail [EMAIL]"},
        {"month": "2026-10", "thread_service": "afval", "sentiment": "negative", "consensus": "contested", "replies": 4,
         "agree": 1, "disagree": 3, "text": "Vuilkar te vroeg"},
        {"month": "2026-10", "thread_service": "afval", "sentiment": "negative", "text": "Geen reacties hierop"},
        {"month": "2026-10", "thread_service": "parkeren", "sentiment": "negative", "consensus": "isolated",
         "replies": 1, "agree": 1, "disagree": 0, "text": "Boete gekregen"},
        {"month": "2026-10", "thread_service": "parkeren", "sentiment": "negative", "consensus": "shared", "replies": 5,
         "agree": 5, "disagree": 0, "text": "Al drie weken geen PMD opgehaald in de Kerkstraat!", "is_duplicate": True},
        {"month": "2026-10", "thread_service": "afval", "sentiment": "positive", "consensus": "shared", "replies": 5,
         "agree": 5, "disagree": 0, "text": "Top ophaling"},
        {"month": "2026-10", "thread_service": "afval", "sentiment": "negative", "kind": "comment", "text": "idem"},
        {"month": "2026-09", "thread_service": "afval", "sentiment": "negative", "consensus": "shared", "replies": 5,
         "agree": 5, "disagree": 0, "text": "Vorige maand"},
    ])


def test_consensus_table_counts_negative_top_level_posts(threads):
    table = report_data.consensus_table(threads, "2026-10", LABELS)
    assert table.to_dict("records") == [
        {"service": "afval", "label": "Afval en netheid", "posts": 4, "shared": 2, "contested": 1, "isolated": 1},
        {"service": "parkeren", "label": "Parkeren", "posts": 1, "shared": 0, "contested": 0, "isolated": 1},
    ]
    html = report_data.consensus_html(table, "en")
    assert "Shared" in html and "All services together" in html


def test_shared_examples_show_masked_text_and_reply_counts_never_the_author(threads):
    examples = report_data.shared_examples(threads, "2026-10", LABELS, "nl")
    assert list(examples.columns) == ["service", "label", "text", "replies", "agree"]
    assert examples["text"].tolist() == ["Al drie weken geen PMD opgehaald in de Kerkstraat",
                                         "Containerpark weer dicht zonder uitleg, mail [e-mailadres]"]
    assert examples["agree"].tolist() == [6, 3]
    html = report_data.shared_examples_html(examples, "nl")
    assert "a_secret_author" not in html and "Instemmend" in html


# --- 7. compliments ---------------------------------------------------------------------------------------

def test_compliments_per_service_most_liked_first_masked_and_without_author():
    praise = ["Merci groendienst, het Molenpark ligt er piekfijn bij", "Chapeau voor de nieuwe bloembakken op de markt",
              "De speeltuin is eindelijk hersteld, proficiat", "Wat een mooie rotondes dit jaar, bedankt",
              "Dank aan de ploeg die de bomen heeft gesnoeid"]
    rows = [{"month": "2026-10", "thread_service": "groen", "compliment": True, "sentiment": "positive",
             "text": text, "reactions_like": i, "created_at": f"2026-10-{i + 1:02d}T10:00:00Z"}
            for i, text in enumerate(praise)]
    rows += [{"month": "2026-10", "thread_service": "groen", "compliment": True, "sentiment": "positive",
              "text": "Goeiemorgen! Dank aan de ploeg die de bomen heeft gesnoeid!!", "reactions_like": 2}]
    rows += [{"month": "2026-10", "thread_service": "burgerzaken", "compliment": True, "sentiment": "positive",
              "text": "Dank aan Jan aan het loket, mail jan.peeters@example.be of bel 0475 12 34 56",
              "reactions_like": 1}]
    # Scoring decides what a compliment is (threads.is_compliment); the report shows what it stored.
    question = "Hoe lang mag ik in de blauwe zone staan? Merci!"
    rows += [{"month": "2026-10", "thread_service": "parkeren", "sentiment": "positive", "text": question,
              "compliment": is_compliment(question, "positive", "parkeren")}]
    rows += [{"month": "2026-10", "thread_service": "groen", "compliment": True, "is_duplicate": True,
              "text": "Kopie", "reactions_like": 100}]
    rows += [{"month": "2026-09", "thread_service": "groen", "compliment": True, "text": "Vorige maand",
              "reactions_like": 100}]
    posts = make_posts(rows)
    selected = report_data.compliments(posts, "2026-10", LABELS, "nl", per_service=3)
    assert "author_id" not in selected.columns
    groen = selected[selected["service"] == "groen"]
    # most liked first; the reposted compliment with a greeting around it is shown once
    assert groen["reactions"].tolist() == [4, 3, 2] and groen["text"].iloc[0].startswith("Dank aan de ploeg")
    assert selected["service"].tolist() == ["groen"] * 3 + ["burgerzaken"]  # no question, no copy, no other month
    quote = selected.loc[selected["service"] == "burgerzaken", "text"].iloc[0]
    assert "jan.peeters" not in quote and "0475" not in quote and "[e-mailadres]" in quote
    html = report_data.compliments_html(selected, "nl")
    assert "a_secret_author" not in html and "okt" in html
    assert report_data.compliments_summary(posts, "2026-10", LABELS, "nl") == (
        "7 complimenten deze maand, de meeste voor Groen.")


# --- 8. flagged posts -------------------------------------------------------------------------------------

def test_flagged_posts_put_threats_against_staff_before_other_threats_and_insults():
    posts = make_posts([
        {"month": "2026-10", "abuse": "offensive", "abuse_target": "staff", "text": "a",
         "created_at": "2026-10-01T10:00:00Z"},
        {"month": "2026-10", "abuse": "threat", "abuse_target": "group", "text": "b", "created_at": "2026-10-02T10:00:00Z"},
        {"month": "2026-10", "abuse": "threat", "abuse_target": "staff", "text": "c", "created_at": "2026-10-03T10:00:00Z"},
        {"month": "2026-10", "abuse": "threat", "abuse_target": "person", "text": "d",
         "created_at": "2026-10-01T09:00:00Z"},
    ])
    assert report_data.flagged_posts(posts, "2026-10")["text"].tolist() == ["c", "d", "b", "a"]


def test_flagged_posts_threats_first_with_reason_and_step_in_the_language():
    long_text = "Die ambtenaar is een idioot " + "echt waar " * 40
    posts = make_posts([
        {"month": "2026-10", "abuse": "offensive", "abuse_reason": "insult 'idioot' aimed at 'ambtenaar'",
         "text": long_text, "created_at": "2026-10-02T10:00:00Z"},
        {"month": "2026-10", "abuse": "threat", "abuse_reason": "threat: 'met een knuppel'", "kind": "comment",
         "text": "ik kom met een knuppel", "created_at": "2026-10-20T10:00:00Z", "group_name": None,
         "source": "scraper"},
        {"month": "2026-10", "abuse": "none", "text": "gewoon"},
        {"month": "2026-09", "abuse": "threat", "text": "vorige maand"},
    ])
    flagged = report_data.flagged_posts(posts, "2026-10", "nl")
    assert "author_id" not in flagged.columns
    assert flagged["abuse"].tolist() == ["threat", "offensive"]
    assert flagged["reason"].tolist() == ["bedreiging ('met een knuppel')", "belediging ('idioot')"]
    assert flagged["action"].tolist() == ["meld het bij het platform en bij de politie",
                                          "vraag de beheerder van de groep om het bericht te verwijderen"]
    assert flagged["where"].tolist() == ["scraper van openbare Facebookpagina's", "Ge zijt van Testdorp als"]
    assert len(flagged["text"].iloc[1]) <= report_data.EXCERPT_CHARS and flagged["text"].iloc[1].endswith("…")
    english = report_data.flagged_posts(posts, "2026-10", "en")
    assert english["action"].iloc[0] == "report to the platform and the police"
    assert english["reason"].iloc[1] == "insult ('idioot')"
    html = report_data.flagged_html(flagged, "nl")
    assert "a_secret_author" not in html and "Volgende stap" in html
    assert report_data.flagged_summary(flagged, "nl") == "Gemarkeerd: 2 teksten, waarvan 1 beledigend en 1 bedreiging."


def test_texts_cannot_inject_html_into_tables_or_markdown():
    assert report_data.escape_markdown("<script>x</script> *vet* [link](http://x)") == (
        "&lt;script&gt;x&lt;/script&gt; \\*vet\\* \\[link\\](http://x)")
    table = pd.DataFrame({"label": ["Afval"], "text": ["<img src=x onerror=alert(1)>"], "replies": [1], "agree": [1]})
    assert "<img" not in report_data.shared_examples_html(table, "nl")


# --- 9. method ----------------------------------------------------------------------------------------------

def test_labels_accuracy_compares_analyst_labels_with_scores():
    labels = pd.DataFrame({"post_id": ["a", "b", "c", "d", "x"],
                           "sentiment": ["positive", "negative", "negative", "", "neutral"],
                           "service": ["afval", "geen", "", "groen", "afval"]})
    scores = pd.DataFrame({"post_id": ["a", "b", "c", "d"], "sentiment": ["positive", "negative", "neutral", "neutral"],
                           "service": ["afval", "", "afval", "afval"], "abuse": ["none"] * 4})
    accuracy = report_data.labels_accuracy(labels, scores).set_index("task")
    assert accuracy.loc["sentiment", "n"] == 3 and accuracy.loc["sentiment", "accuracy"] == pytest.approx(2 / 3)
    assert accuracy.loc["sentiment", "macro_f1"] == pytest.approx((1 + 2 / 3) / 2)
    assert accuracy.loc["service", "n"] == 3 and accuracy.loc["service", "accuracy"] == pytest.approx(2 / 3)
    assert "abuse" not in accuracy.index
    assert report_data.labels_accuracy(pd.DataFrame(columns=["post_id", "text", "sentiment"]), scores).empty
    text = plain(report_data.method_text("nl", accuracy.reset_index()))
    assert "Positief of negatief: 3 gelabelde teksten, 67 % juist, macro-F1 0,83" in text


def test_analyst_accuracy_without_labels_reads_neither_scores_nor_rules(settings, monkeypatch):
    from feedback_analysis import learning
    from feedback_analysis.stages import enrich

    def unused(*args, **kwargs):
        raise AssertionError("not needed without labels")

    monkeypatch.setattr(enrich, "read_scores", unused)
    monkeypatch.setattr(learning, "choose_sentiment_model", unused)
    accuracy = report_data.analyst_accuracy(settings)
    expected = report_data.labels_accuracy(pd.DataFrame(), pd.DataFrame())
    assert accuracy.empty and list(accuracy.columns) == list(expected.columns)


def test_analyst_accuracy_with_labels_is_labels_accuracy_on_the_stored_scores(settings, monkeypatch):
    from feedback_analysis import learning
    from feedback_analysis.stages import enrich

    labels = pd.DataFrame({"post_id": ["a", "b"], "sentiment": ["positive", "negative"]})
    scores = pd.DataFrame({"post_id": ["a", "b"], "sentiment": ["positive", "positive"]})
    monkeypatch.setattr(learning, "load_labels", lambda folder: labels)
    monkeypatch.setattr(enrich, "read_scores", lambda settings: scores)
    monkeypatch.setattr(learning, "choose_sentiment_model", lambda labels: None)
    accuracy = report_data.analyst_accuracy(settings)
    assert accuracy.equals(report_data.labels_accuracy(labels, scores))
    assert accuracy.set_index("task").loc["sentiment", "accuracy"] == pytest.approx(0.5)


def test_method_text_holds_the_benchmarks_and_the_privacy_promise():
    nl = report_data.method_text("nl")
    first = report_data.quality_figures()["sentiment"]["items"][0]
    assert f"macro-F1 {report_data._benchmark_value(first, first['value'], 'nl')}" in nl
    assert "nooit personen" in nl and "nog geen gelabelde teksten" in nl and "Wilson" in nl
    en = report_data.method_text("en", service_threshold=0.5)
    assert f"macro-F1 {report_data._benchmark_value(first, first['value'], 'en')}" in en and "never individuals" in en and "below 50%" in en


# --- figures.json --------------------------------------------------------------------------------------------

def test_key_figures_are_plain_json_with_the_headline_first(posts, threads):
    shares = report_data.service_shares(posts, "2026-10", LABELS)
    overall = report_data.overall_shares(posts, "2026-10")
    flagged = report_data.flagged_posts(make_posts([{"month": "2026-10", "abuse": "threat"}]), "2026-10")
    figures = report_data.key_figures("2026-10", report_data.coverage(posts, "2026-10"), shares, overall,
                                      report_data.consensus_table(threads, "2026-10"), flagged, 7, "Testdorp")
    assert json.loads(json.dumps(figures)) == figures
    assert list(figures)[:3] == ["posts", "comments", "negative_share"]
    assert figures["negative_share"] == pytest.approx(34 / 90, abs=1e-4)
    assert figures["abuse_flags"] == 1 and figures["flagged"] == {"total": 1, "offensive": 0, "threat": 1}
    assert figures["shared_complaints"] == 2 and figures["compliments"] == 7
    assert figures["top_service"] == "Afval en netheid"
    assert figures["services"]["afval"]["negative_significant"] is True
    assert figures["services"]["parkeren"]["small_sample"] is True


# --- the notebook ------------------------------------------------------------------------------------------------

def test_report_notebook_declares_exactly_the_runner_parameters():
    assert set(papermill.inspect_notebook(str(NOTEBOOK))) == {"month", "data_dir", "config_path", "lang"}


@pytest.fixture(scope="module")
def small_store(tmp_path_factory):
    """Two months of sample data, ingested and scored."""
    from feedback_analysis import pipeline
    from feedback_analysis.config import load_settings
    from feedback_analysis.sample import write_sample_exports

    folder = tmp_path_factory.mktemp("report")
    write_sample_exports(folder / "exports", end_month="2026-10", months=2, posts_per_month=60)
    settings = load_settings(data_dir=folder / "data", environ={})
    pipeline.ingest([folder / "exports"], settings)
    pipeline.enrich(settings)
    return settings


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_report_notebook_runs_and_renders_without_code_or_personal_data(small_store, tmp_path, monkeypatch, lang):
    from nbconvert import HTMLExporter

    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel draws inline, as under the runner
    output = tmp_path / "out.ipynb"
    papermill.execute_notebook(str(NOTEBOOK), str(output), kernel_name="python3", progress_bar=False,
                               cwd=str(tmp_path), parameters={"month": "2026-10", "data_dir": str(small_store.data_dir),
                                                              "config_path": "", "lang": lang})
    executed = nbformat.read(output, as_version=4)
    outputs = [o for cell in executed.cells for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.output_type in ("error", "stream")]  # no tracebacks, warnings or prints
    charts = [o["data"]["text/html"] for o in outputs if 'class="fa-chart"' in o.get("data", {}).get("text/html", "")]
    assert len(charts) == 4  # volume, shares, trend, consensus: each a laptop and a phone PNG with a text alternative
    assert all(c.count('src="data:image/png;base64,') == 2 and c.count('alt="') == 2 for c in charts)
    assert all(re.search(r'alt="[^"]*\d', c) for c in charts)  # the alternative names the chart's main figure
    body, _ = HTMLExporter(exclude_input=True).from_notebook_node(executed)
    assert "report_data." not in body and "from feedback_analysis" not in body
    posts = pd.read_parquet(small_store.posts_dir)
    assert not any(author in body for author in posts["author_id"].dropna().unique())
    heading = "Positief en negatief per dienst" if lang == "nl" else "Positive and negative per service"
    assert heading in body and ("oktober 2026" if lang == "nl" else "October 2026") in body


def test_placeholders_are_shown_in_words_in_the_report_language():
    stored = "Bel [NAME] op [PHONE], ze woont op [ADDRESS]"
    assert report_data.readable_text(stored, "nl") == "Bel [naam] op [telefoonnummer], ze woont op [adres]"
    assert report_data.readable_text(stored, "en") == "Bel [name] op [phone number], ze woont op [address]"
