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


# -- tokens by white-space piece: the scorers' tokenizers give what one pass over the whole text gives --

# Texts that reach the corners: emoticons at piece edges, dashes with and without spaces, unusual white
# space (no-break, em space, tabs, line breaks, separators), apostrophes, leet, placeholders, mentions.
_EDGE_TEXTS = [
    "", "   ", "a - b", "a -b", "- a", "a -", "a\u00a0-\u00a0b", "heel   -   goed", "tab\t-\tx", "x\x1c-\x1cy",
    "xD xd:) :-) (: <3 ^_^ 8) 8-)", "ok.\n\n- niet!!", "x\u2003d", "\u200bxd", "woord’s l'eau homo's z'n",
    "a—b c — d", "#HeelSlecht #top", "k a n k e r", "tr*t h0er $ukkel k4nk3r|lijer", "[NAME] @jan mail@x.be",
    "Stoep-tegels los, zwerf-vuil...", "Dikke merci!!! 👍👍 super", "’t is wa", "e-mail:info@gent.be?",
]


def _corner_texts(count: int = 3000) -> list[str]:
    import random

    rnd = random.Random(5)
    alphabet = list("ab xXdD:;=8-'^o()[]pP/\\|*3$@<_–—…!?.,\n\t\u00a0é’#1AZ")
    return _EDGE_TEXTS + ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 40))) for _ in range(count)]


def test_piece_tokens_match_a_pass_over_the_whole_text():
    import re

    words = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
    by_piece = text_nl.PieceTokens(words.findall, limit=50)  # small: the memory starts afresh several times
    for text in _corner_texts():
        assert by_piece(text) == words.findall(text), text
    assert len(by_piece._pieces) <= 50


def test_sentiment_tokens_match_a_pass_over_the_whole_text():
    from feedback_analysis.sentiment import lexicon

    model = lexicon.SentimentLexicon()
    for text in _corner_texts():
        cleaned = lexicon._IGNORE_RE.sub(" ", text)
        if "#" in cleaned:
            cleaned = lexicon._HASHTAG_RE.sub(lambda tag: " " + lexicon._CAMEL_RE.sub(" ", tag.group(1)) + " ", cleaned)
        assert model.tokenize(text) == lexicon._tokens_of(cleaned), text
    assert ("punct", "-", "-") in model.tokenize("goed - slecht")  # the spaced dash is still a clause break


def test_abuse_words_match_a_pass_over_the_whole_text():
    from feedback_analysis.abuse import forms, rules

    for text in _corner_texts():
        low = text.lower()
        assert rules._plain_words(low) == forms._PLAIN_WORD_RE.findall(low), text
        assert rules._plain_words(text) == forms._PLAIN_WORD_RE.findall(text), text
        assert rules._SYMBOL_WORDS(low) == forms._WORD_RE.findall(low), text


def test_abuse_patterns_with_a_late_look_behind_find_what_the_plain_ones_find():
    import re

    from feedback_analysis.abuse import forms, spelling

    plain = {
        forms._INWORD_APOSTROPHE: re.compile(r"(?<=[^\W_])'(?=[^\W_])"),
        forms._PLACEHOLDER_RE: re.compile(r"\[([A-Z][A-Z_]*)(?::[^\]\s]*)?\]|(?<!\w)@\w+"),
        spelling._APOSTROPHE_RE: re.compile(r"(?<=[a-z])['’](?=[a-z])"),
    }
    for text in _corner_texts():
        for fast, slow in plain.items():
            assert [m.span() for m in fast.finditer(text)] == [m.span() for m in slow.finditer(text)], text
        low = text.lower()
        assert spelling.has_spaced_letters(low) == bool(spelling._SPACED_RE.search(low)), text
    assert spelling.has_spaced_letters("jullie zijn r a t t e n")


def test_services_words_match_a_pass_over_the_whole_text():
    from feedback_analysis.services import router, words

    for text in _corner_texts():
        assert router._WORDS_BY_PIECE(text) == words.TOKEN_RE.findall(text), text
