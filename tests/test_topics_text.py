"""Surface forms of topic words: the spelling shown is one the posts use, counted over repeated posts too."""

from __future__ import annotations

from feedback_analysis.topics.text import surface_forms


def test_the_most_frequent_spelling_wins_and_a_repeated_post_counts_each_time():
    texts = ["De PMD-zak scheurt", "De PMD-zak scheurt", "Pmd-zak weer niet opgehaald", None]
    assert surface_forms(texts, ["pmd-zak"]) == {"pmd-zak": "PMD-zak"}
    assert surface_forms(texts + ["Pmd-zak kapot", "Pmd-zak vol"], ["pmd-zak"]) == {"pmd-zak": "Pmd-zak"}


def test_the_lower_case_spelling_wins_when_it_occurs_and_unseen_terms_keep_theirs():
    texts = ["Gemiste Ophaling", "Gemiste Ophaling", "gemiste ophaling in de straat"]
    assert surface_forms(texts, ["gemiste ophaling", "zwembad"]) == {"gemiste ophaling": "gemiste ophaling",
                                                                      "zwembad": "zwembad"}


def test_an_analyzer_shares_the_terms_of_one_that_analyses_alike_only():
    from feedback_analysis.topics.text import TermAnalyzer

    first = TermAnalyzer(["de"])
    terms = first("De gemiste ophaling van de vuilniszakken")
    alike, other = TermAnalyzer(["de"]), TermAnalyzer(["de"], phrases=False)
    alike.share_cache(first)
    other.share_cache(first)
    assert alike._cache is first._cache and other._cache is not first._cache
    assert alike("De gemiste ophaling van de vuilniszakken") == terms
    assert "gemiste ophaling" not in other("De gemiste ophaling van de vuilniszakken")
