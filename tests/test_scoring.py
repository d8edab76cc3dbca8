"""Scoring: every stage's columns added in one pass, rows and order kept."""

import pandas as pd

from feedback_analysis import scoring
from feedback_analysis.scoring import SCORE_COLUMNS, Scorer, TextScores, scorer_version


def test_score_keeps_rows_order_and_columns_and_adds_all_scores():
    table = pd.DataFrame({"id": ["b", "a", "c", "d"], "message": [
        "Dikke merci aan de mannen van de groendienst, het park ligt er prachtig bij!",
        "Al drie weken niet opgehaald, schandalig",
        "die trut aan het loket",
        None,
    ]}, index=[10, 5, 7, 1])
    scored = Scorer.for_municipality().score(table, "message")
    assert list(scored.columns) == ["id", "message", *SCORE_COLUMNS]
    assert list(scored.index) == [10, 5, 7, 1] and scored["id"].tolist() == ["b", "a", "c", "d"]
    assert scored["sentiment"].tolist()[:2] == ["positive", "negative"]
    assert scored.loc[10, "service"] == "groen" and scored.loc[10, "compliment"]
    assert scored.loc[5, "service"] == "afval"
    assert scored.loc[7, "abuse"] == "offensive" and "trut" in scored.loc[7, "abuse_reason"]
    assert scored.loc[1, "sentiment"] == "neutral" and scored.loc[1, "abuse"] == "none"
    signs = scored["sentiment_score"].apply(lambda s: (s > 0) - (s < 0))
    expected = scored["sentiment"].map({"positive": 1, "negative": -1, "neutral": 0})
    assert ((signs == expected) | (scored["sentiment"] == "neutral")).all()


def test_english_report_language_changes_the_escalation_text():
    table = pd.DataFrame({"text": ["ik ga hem afmaken"]})
    scored = Scorer.for_municipality(lang="en").score(table)
    assert scored.loc[0, "abuse"] == "threat" and scored.loc[0, "abuse_action"] == "report to the platform and the police"


def test_municipality_words_change_the_routing_and_the_version(tmp_path):
    extra = tmp_path / "denderbeke.yaml"
    extra.write_text("services:\n  afval:\n    strong: [Bremhoek]\n")
    table = pd.DataFrame({"text": ["Weer een uur aanschuiven aan de Bremhoek"]})
    assert Scorer.for_municipality().score(table).loc[0, "service"] != "afval"
    assert Scorer.for_municipality(extra).score(table).loc[0, "service"] == "afval"
    assert scorer_version((extra,)) != scorer_version()


def test_the_version_covers_the_scoring_code_and_the_model_files(monkeypatch):
    from feedback_analysis import scoring

    sources = {path.relative_to(path.parents[1]).as_posix() for path in scoring.scorer_sources()}
    assert {"abuse/learned.py", "abuse/spelling.py", "services/model.py", "sentiment/constructions.py"} <= sources
    before = scoring.scorer_version()
    real = scoring.resource_bytes
    monkeypatch.setattr(scoring, "resource_bytes", lambda name: real(name) + (b"x" if name == "abuse_model.json" else b""))
    scoring._packaged_digest.cache_clear()
    try:
        assert scoring.scorer_version() != before
    finally:
        monkeypatch.undo()
        scoring._packaged_digest.cache_clear()
    assert scoring.scorer_version() == before


def _mixed_table(rows: int) -> pd.DataFrame:
    texts = [
        "Lantaarnpaal brandt niet meer in de Dorpsstraat",
        "Grofvuil naast de container, al een week",
        "die trut aan het loket",
        "Dikke merci aan de groendienst!",
        "ik ga hem afmaken",
        "idem hier",
        "",
    ]
    return pd.DataFrame({"text": [f"{texts[i % len(texts)]} {i // 3}" if i % 5 else texts[i % len(texts)]
                                  for i in range(rows)]})


def test_parallel_scoring_gives_the_same_table_as_serial():
    table = _mixed_table(300)
    serial = Scorer(workers=1).score(table)
    parallel = Scorer(workers=2, parallel_min_texts=20).score(table)
    pd.testing.assert_frame_equal(parallel, serial)
    assert parallel["service"].eq("wegen_mobiliteit").any() and parallel["abuse"].eq("threat").any()


def test_repeated_texts_get_the_scores_of_their_first_copy():
    table = pd.DataFrame({"text": ["Hondenpoep op de stoep", None, "Hondenpoep op de stoep", "nergens over", None]},
                         index=[4, 3, 2, 1, 0])
    scored = Scorer().score(table)
    assert list(scored.index) == [4, 3, 2, 1, 0]
    assert scored.loc[4, SCORE_COLUMNS].tolist() == scored.loc[2, SCORE_COLUMNS].tolist()
    assert scored.loc[4, "service"] == "dieren" and scored.loc[1, "service"] == ""
    assert scored.loc[3, SCORE_COLUMNS].tolist() == scored.loc[0, SCORE_COLUMNS].tolist()


def test_empty_table_keeps_its_columns():
    scored = Scorer().score(pd.DataFrame({"text": pd.Series([], dtype=object)}))
    assert list(scored.columns) == ["text", *SCORE_COLUMNS] and scored.empty


def test_texts_scored_across_parts_in_workers_match_one_serial_pass():
    # Several parts, tickets open while the next part is handed over, small pieces for the workers and a
    # memory of texts that starts afresh midway: every part gets what one serial pass gives its rows.
    table = _mixed_table(400)
    serial = Scorer(workers=1).score(table)
    parts = [table.iloc[start:start + 90] for start in range(0, len(table), 90)]
    with TextScores(Scorer(workers=2, parallel_min_texts=20), chunk_texts=7, max_texts=120) as texts:
        tickets = [texts.submit(part["text"]) for part in parts[:2]]
        scored = [texts.collect(tickets[0])]
        for part in parts[2:]:
            tickets.append(texts.submit(part["text"]))
        assert texts._pool is not None and len(texts._known) <= 120 + 90
        later = {i: texts.collect(tickets[i]) for i in reversed(range(1, len(tickets)))}  # any order
        scored += [later[i] for i in range(1, len(tickets))]
    pd.testing.assert_frame_equal(pd.concat(scored, ignore_index=True), serial[list(SCORE_COLUMNS)])


def test_a_worker_that_dies_leaves_the_same_scores(monkeypatch):
    table = _mixed_table(200)
    serial = Scorer(workers=1).score(table)
    with TextScores(Scorer(workers=2, parallel_min_texts=20), chunk_texts=10) as texts:
        ticket = texts.submit(table["text"])
        texts._sent[1] = (scoring._failed(), texts._sent[1][1])  # as if that worker was killed
        scored = texts.collect(ticket)
    pd.testing.assert_frame_equal(scored, serial[list(SCORE_COLUMNS)])


def test_the_service_model_is_trained_only_when_a_text_may_be_blended():
    from feedback_analysis.services import ServiceRouter
    from feedback_analysis.services.model import MAX_CHARS

    router = ServiceRouter()
    review = "De lantaarnpaal in onze straat is al weken kapot en niemand komt kijken. " * 4
    assert len(review) > MAX_CHARS
    router.transform([review])
    router.prepare([review])
    assert router._model == "default"  # long texts are never blended: nothing trained
    router.prepare([review, "Lantaarnpaal kapot"])
    assert router._model != "default" and router.model is router._model


def test_texts_go_to_the_workers_in_order_with_smaller_pieces_at_the_end():
    texts = [str(i) for i in range(10_000)]
    pieces = list(scoring._chunks(texts, 1_000, 2))
    assert [t for piece in pieces for t in piece] == texts
    sizes = [len(piece) for piece in pieces]
    assert sizes[:8] == [1_000] * 8 and max(sizes[8:]) < 1_000 and sizes[-1] <= scoring.TAIL_TEXTS
    assert sizes[8:] == sorted(sizes[8:], reverse=True)
