"""The shared Dutch text helper: accent folding, simplemma lookups, month names, Dutch numbers."""

import math

import pandas as pd
import pytest

from feedback_analysis import text_nl


@pytest.mark.parametrize("text, stripped", [
    ("financiële", "financiele"),
    ("Ça va, Chloë?", "Ca va, Chloe?"),
    ("héél 😀", "heel 😀"),       # other characters stay
    ("Søren", "Søren"),           # a letter Unicode does not decompose stays
    ("ﬁets", "fiets"),            # compatibility forms become plain letters
    ("plain ascii", "plain ascii"),
])
def test_strip_accents_keeps_case_and_other_characters(text, stripped):
    assert text_nl.strip_accents(text) == stripped


def test_fold_and_to_ascii():
    assert text_nl.fold("CAFÉ Één") == "cafe een"
    assert text_nl.to_ascii("né 😀 Søren") == "ne  Sren"
    assert text_nl.to_ascii("Denderbeke") == "Denderbeke"


def test_simplemma_lookups():
    assert text_nl.is_dutch_word("ambtenaar") and not text_nl.is_dutch_word("xqzvw")
    assert not text_nl.is_dutch_word("ambtenaar2")  # letters only
    assert text_nl.in_dutch_dictionary("bomen") and not text_nl.in_dutch_dictionary("xqzvw")
    assert text_nl.dutch_lemma("bomen") == "boom"
    assert "_" not in text_nl.dutch_lemma("opgehaald")


@pytest.mark.parametrize("month, lang, title", [
    ("2026-10", "nl", "oktober 2026"), ("2026-01", "en", "January 2026"), ("2025-12", "nl", "december 2025"),
])
def test_month_title(month, lang, title):
    assert text_nl.month_title(month, lang) == title


@pytest.mark.parametrize("value, lang, decimals, shown", [
    (1234.5, "nl", 1, "1.234,5"), (1234.5, "en", 1, "1,234.5"), (1_000_000, "nl", 0, "1.000.000"),
    (0.25, "nl", 2, "0,25"), (None, "nl", 0, "\u2013"), (math.nan, "en", 0, "\u2013"), (pd.NA, "nl", 0, "\u2013"),
])
def test_format_number_in_dutch_and_english(value, lang, decimals, shown):
    assert text_nl.format_number(value, lang, decimals) == shown


def test_report_formatter_agrees_with_the_shared_one():
    from feedback_analysis.report_data import format_number

    for value in (0, 7, 1234.5678, 98765432.1):
        for lang in ("nl", "en"):
            assert format_number(value, lang, 2) == text_nl.format_number(value, lang, 2)


def test_vocabularies_are_shared_by_the_schema_and_the_sample():
    from feedback_analysis import sample, schema, vocab

    assert schema.KINDS is vocab.KINDS is sample.KINDS
    assert schema.REACTION_COLUMNS == tuple(f"reactions_{r}" for r in sample.REACTIONS)
