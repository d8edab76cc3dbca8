"""The shared cheap checks the scorers call before their expensive ones (``text_nl.SubsetIndex``), and
that the scores do not depend on them."""

from __future__ import annotations

import gc
import itertools
import random

from feedback_analysis import scoring, text_nl
from feedback_analysis.abuse import AbuseDetector
from feedback_analysis.abuse.context import _Context


def test_subset_index_finds_the_complete_sets_in_their_order():
    index = text_nl.SubsetIndex([{"a", "b"}, {"c"}, set(), {"b", "d", "a"}, {"a"}])
    assert index.within({"a", "b", "d"}) == [0, 2, 3, 4]
    assert index.within({"b", "d"}) == [2]  # an empty set is held by every text
    assert index.within(set()) == [2]
    assert index.within(["c", "x"]) == [1, 2]


def test_subset_index_agrees_with_trying_every_set():
    rng = random.Random(5)
    members = range(12)
    sets = [set(rng.sample(members, rng.randint(1, 4))) for _ in range(60)]
    index = text_nl.SubsetIndex(sets)
    for size in (0, 2, 5, 9, 12):  # fewer and more present members than filed ones
        for _ in range(30):
            present = set(rng.sample(members, size))
            assert index.within(present) == [n for n, s in enumerate(sets) if s <= present]


def test_abuse_patterns_found_through_the_index_are_those_tried_one_by_one():
    detector = AbuseDetector().rules
    texts = ["ik ga je vermoorden als je dat nog eens zegt", "die mensen moeten allemaal opgesloten worden",
             "de straat is weer vuil, schandalig", "wij veroordelen elke vorm van geweld tegen hen"]
    matched = 0
    for text in texts:
        tokens = detector._tokens(detector._prepare(text)[0])
        context = _Context(detector, tokens)
        present = set(itertools.chain.from_iterable(t.info.elements for t in tokens))
        expected = [p for p in detector._patterns if present.issuperset(p.ids) and list(context._find(p))]
        found = [pattern for kind in context.matches.values() for pattern, _ in kind]
        assert sorted(map(id, found)) == sorted(id(p) for p in expected for _ in list(context._find(p)))
        matched += bool(found)
    assert matched >= 2  # the texts do match patterns: the comparison is not empty


def test_scoring_restores_the_cycle_collector_settings():
    before = gc.get_threshold()
    with scoring._few_collections():
        assert gc.get_threshold()[0] >= scoring.GC_THRESHOLD
    assert gc.get_threshold() == before


def test_router_removes_placeholders_links_and_addresses_as_its_whole_pattern_does():
    from feedback_analysis.services.router import IGNORE_RE, without_ignored

    texts = ["mail jan@gent.be of @stad_gent!", "a@www.b.be", "[NAME]@x.be [URL:y.be] www.gent.be",
             "x@y.be\u00a0en\u2003@z", "lege @ en @@ tekens", "geen enkel teken"]
    rng = random.Random(3)
    texts += ["".join(rng.choice("ab@.[]NAME:_ \thtps:/w\u00a0") for _ in range(rng.randint(0, 30))) for _ in range(3000)]
    for text in texts:
        assert without_ignored(text) == IGNORE_RE.sub(" ", text), text


def test_piece_tokens_give_the_same_words_with_and_without_the_cache():
    pieces = text_nl.PieceTokens(str.split, limit=3)
    for text in ["de straat is vuil", "is de straat vuil", "de straat de straat", "", "nieuw woord hier"]:
        assert pieces(text) == text.split()
        assert pieces(text) == text.split()  # every piece cached now
