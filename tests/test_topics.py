"""Topics: output shape, readable words, determinism, small months, stable ids across months, emerging topics.

The posts are made up here, per theme, with Flemish filler and masking placeholders around the theme words,
and fitted with ``small_settings`` (fewer SVD dimensions): the whole file runs in seconds.
"""

from __future__ import annotations

import json
import math
import random
import re
import sys
import types

import numpy as np
import pandas as pd
import pytest

from feedback_analysis.topics import (
    OUTLIER_LABEL,
    TermAnalyzer,
    TopicModeler,
    TopicRegistry,
    emerging_topics,
    evaluate_topics,
    fit_month_topics,
    fit_topics,
    nmi,
    small_settings,
    topic_sizes_by_month,
    topic_stop_words,
    topics_by_group,
)

THEMES = {
    "afval": ["vuilniszakken", "gemiste ophaling", "restafval", "containerpark", "pmd-zakken", "vuilkar", "glasbol"],
    "parkeren": ["parkeerplaats", "blauwe zone", "parkeerboete", "parkeerkaart", "parking", "foutparkeerders"],
    "zwembad": ["zwembad", "openingsuren", "zwemles", "kleedkamers", "badmeester", "zwembadtarief"],
    "wegen": ["fietspad", "putten", "asfalt", "wegenwerken", "omleiding", "voetpad", "Kerkstraat"],
    "bib": ["bibliotheek", "boeken", "uitlenen", "leesclub", "bibkaart", "voorleesuur"],
    "hitte": ["hittegolf", "drinkwater", "waterfontein", "verkoeling", "zonnecrème", "ventilator"],
}
FILLER = ["amai", "allez", "ge", "da's", "nie", "wa", "hé", "echt", "gewoon", "zo", "[NAME]", "[PHONE]",
          "[URL:denderbeke.be]", "[EMAIL]", "haha", "toch", "ook", "de", "het", "een", "en", "is", "van"]
PLACEHOLDER = re.compile(r"\[[A-Z_]+(?::[^\]]*)?\]")


def make_posts(themes: dict[str, int], seed: int = 1) -> pd.DataFrame:
    """``count`` made-up posts per theme, shuffled, with ids, service and sentiment columns."""
    rng = random.Random(seed)
    rows = []
    for theme, count in themes.items():
        words = THEMES[theme]
        for i in range(count):
            picked = rng.sample(words, 3)
            sentiment = "negative" if i % 2 else "positive"
            judgement = ["schandalig traag", "kapot"] if sentiment == "negative" else ["proper", "dikke merci"]
            text = (f"{rng.choice(FILLER).capitalize()} {picked[0]} {rng.choice(FILLER)} {picked[1]}, "
                    f"{rng.choice(FILLER)} {rng.choice(judgement)} {picked[2]} {rng.choice(FILLER)}!")
            rows.append({"text": text, "service": theme, "sentiment": sentiment, "theme": theme})
    rng.shuffle(rows)
    frame = pd.DataFrame(rows)
    frame.insert(0, "post_id", [f"p{seed}_{i}" for i in range(len(frame))])
    return frame


@pytest.fixture(scope="module")
def month_a() -> pd.DataFrame:
    return make_posts({"afval": 40, "parkeren": 40, "zwembad": 40, "wegen": 40, "bib": 40}, seed=1)


@pytest.fixture(scope="module")
def fitted(month_a):
    return fit_topics(month_a, settings=small_settings(nr_topics=5))


def test_output_keeps_every_row_and_column_in_order(month_a, fitted):
    posts, _ = fitted
    assert list(posts.columns) == [*month_a.columns, "topic", "topic_label"]
    assert posts["post_id"].tolist() == month_a["post_id"].tolist()
    assert posts["text"].tolist() == month_a["text"].tolist()
    assert posts["topic"].dtype == np.int64
    assert posts.loc[posts["topic"] == -1, "topic_label"].eq(OUTLIER_LABEL).all()
    assert month_a.columns.tolist() == ["post_id", "text", "service", "sentiment", "theme"]  # input untouched


def test_topics_json_shape(fitted):
    posts, topics = fitted
    assert 2 <= len(topics) <= 5
    json.dumps(topics)
    for item in topics:
        assert set(item) == {"topic", "label", "words", "size"}
        assert isinstance(item["topic"], int) and item["topic"] >= 0
        assert isinstance(item["label"], str) and item["label"]
        assert 1 <= len(item["words"]) <= 10 and all(isinstance(word, str) for word in item["words"])
        assert item["size"] == int((posts["topic"] == item["topic"]).sum())
    assert posts["topic"].eq(-1).mean() <= 0.2


def test_topics_follow_the_themes(month_a, fitted):
    posts, _ = fitted
    assert nmi(posts["theme"], posts["topic"]) > 0.8


def test_no_stop_words_filler_or_placeholders_in_words(fitted):
    _, topics = fitted
    stop = topic_stop_words()
    for item in topics:
        for phrase in item["words"]:
            assert "[" not in phrase and "]" not in phrase
            for word in phrase.lower().split():
                assert word not in stop, phrase
                assert word not in {"name", "phone", "url", "email", "amai", "allez", "ge", "nie", "wa", "hé"}


def test_words_appear_verbatim_in_the_posts(month_a, fitted):
    _, topics = fitted
    texts = [PLACEHOLDER.sub(" ", text) for text in month_a["text"]]
    phrases = [word for item in topics for word in item["words"]]
    assert any(" " in phrase for phrase in phrases), "two-word phrases such as 'blauwe zone' are shown"
    for phrase in phrases:
        pattern = re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)")
        assert any(pattern.search(text) for text in texts), phrase


def test_same_input_gives_same_topics(month_a, fitted):
    posts, topics = fitted
    again_posts, again_topics = fit_topics(month_a, settings=small_settings(nr_topics=5))
    assert again_topics == topics
    assert again_posts["topic"].tolist() == posts["topic"].tolist()


def test_automatic_settings_give_a_sensible_number_of_topics(month_a):
    modeler = TopicModeler(small_settings()).fit(month_a["text"])
    assert 3 <= len(modeler.topics_) <= 12
    assert "Small month" in modeler.message_


def test_transform_assigns_new_posts_to_their_theme(month_a):
    modeler = TopicModeler(small_settings(nr_topics=5)).fit(month_a["text"])
    fitted_labels = pd.Series(modeler.labels_).groupby(month_a["theme"].to_numpy()).agg(lambda s: s.mode()[0])
    new = make_posts({"zwembad": 3, "bib": 3}, seed=7)
    result = modeler.transform(new["text"])
    assert list(result.columns) == ["topic", "topic_label"]
    assert result["topic"].tolist() == [fitted_labels[theme] for theme in new["theme"]]
    assert modeler.transform(["", "   ", "[NAME] [PHONE]"])["topic"].tolist() == [-1, -1, -1]


@pytest.mark.parametrize("texts", [
    [],
    ["", "  ", None, float("nan")],
    ["[NAME] [PHONE] [URL:x.be] [EMAIL]"] * 30,
    ["amai allez ge da nie wa hé"] * 50,
    make_posts({"afval": 10, "bib": 10})["text"].tolist(),
])
def test_small_or_empty_months_give_a_message_not_an_error(texts):
    posts = pd.DataFrame({"text": texts, "n": range(len(texts))})
    result, topics = fit_topics(posts, settings=small_settings())
    assert topics == []
    assert result["topic"].eq(-1).all() and len(result) == len(texts)
    assert "Too few posts" in result.attrs["topic_message"]


def test_empty_and_placeholder_only_posts_are_outliers_in_a_real_month(month_a):
    extra = pd.DataFrame({"text": ["", "   ", "[NAME]", "[URL:x.be] 😂😂", None]})
    posts = pd.concat([month_a[["text"]], extra], ignore_index=True)
    result, _ = fit_topics(posts, settings=small_settings(nr_topics=5))
    assert result["topic"].tail(5).tolist() == [-1] * 5


def test_term_analyzer_phrases_stop_words_and_accents():
    analyzer = TermAnalyzer()
    terms = analyzer("Amai, héél de week GEMISTE ophaling. Vuilkar kwam nie! [NAME] zei: bel [PHONE]")
    assert "gemiste ophaling" in terms and "gemiste" in terms
    assert "ophaling vuilkar" not in terms  # a full stop ends a phrase
    assert not {"amai", "héél", "nie", "name", "phone", "kwam"} & set(terms)


def test_registry_keeps_ids_across_months_and_gives_new_topics_new_ids(tmp_path, month_a):
    registry = TopicRegistry.load(tmp_path / "processed" / "topics")
    march, march_topics = fit_month_topics(month_a, "2026-03", registry, settings=small_settings(nr_topics=5, nr_subjects=5))
    registry.save()
    april_posts = make_posts({"afval": 30, "parkeren": 30, "zwembad": 30, "wegen": 30, "bib": 30, "hitte": 40}, seed=2)
    registry = TopicRegistry.load(tmp_path / "processed" / "topics")
    april, april_topics = fit_month_topics(april_posts, "2026-04", registry, settings=small_settings(nr_topics=6, nr_subjects=6))

    def stable_by_theme(posts):
        return posts[posts["stable_topic"] >= 0].groupby("theme")["stable_topic"].agg(lambda s: s.mode()[0])

    before, after = stable_by_theme(march), stable_by_theme(april)
    for theme in ["afval", "parkeren", "zwembad", "wegen", "bib"]:
        assert before[theme] == after[theme], theme
    assert after["hitte"] not in set(before)
    assert {item["stable_topic"] for item in april_topics} == set(april["stable_topic"]) - {-1}

    # Running April again changes nothing; the history has one row per month and topic.
    rerun, _ = fit_month_topics(april_posts, "2026-04", registry, settings=small_settings(nr_topics=6, nr_subjects=6))
    assert rerun["stable_topic"].tolist() == april["stable_topic"].tolist()
    history = registry.history
    assert set(history.columns) >= {"month", "stable_topic", "size", "label"}
    assert not history.duplicated(["month", "stable_topic"]).any()
    assert history.loc[history["month"] == "2026-04", "size"].sum() == (april["stable_topic"] >= 0).sum()
    examples = history.loc[history["month"] == "2026-04", "examples"].iloc[0]
    assert examples and all(text in set(april_posts["text"]) for text in examples)

    emerging = emerging_topics(history, "2026-04")
    assert emerging.loc[emerging["status"] == "nieuw", "stable_topic"].tolist() == [after["hitte"]]


def history_frame(sizes: dict[int, list[int]], months: list[str]) -> pd.DataFrame:
    rows = []
    for topic, counts in sizes.items():
        for month, count in zip(months, counts):
            if count:
                rows.append({"month": month, "stable_topic": topic, "size": count, "label": f"t{topic}",
                             "words": [f"w{topic}"], "examples": [f"voorbeeld {topic} {month}"],
                             "example_ids": [f"id{topic}{month}"]})
    return pd.DataFrame(rows)


def test_emerging_topics_new_and_growing_with_evidence():
    months = ["2025-12", "2026-01", "2026-02", "2026-03", "2026-04"]
    history = history_frame({0: [10, 10, 12, 11, 12], 1: [0, 0, 0, 0, 9], 2: [5, 5, 6, 4, 20], 3: [0, 0, 0, 0, 2],
                             4: [8, 0, 0, 0, 9], 5: [2, 2, 2, 2, 5]}, months)
    result = emerging_topics(history, "2026-04")
    status = dict(zip(result["stable_topic"], result["status"]))
    assert status == {1: "nieuw", 2: "groeiend", 4: "groeiend"}  # 3 too small, 5 grows by less than 5 posts
    growing = result.set_index("stable_topic").loc[2]
    assert growing["posts"] == 20 and growing["recent_average"] == 5.0 and growing["ratio"] == 4.0
    assert growing["previous"] == "2026-01: 5, 2026-02: 6, 2026-03: 4"
    assert growing["examples"] == ["voorbeeld 2 2026-04"] and growing["example_ids"] == ["id22026-04"]
    assert math.isinf(result.set_index("stable_topic").loc[4, "ratio"])
    assert result["status"].tolist()[0] == "nieuw"

    first = emerging_topics(history, "2025-12")
    assert first.empty and "first month" in first.attrs["message"]


def test_topics_by_group_contrasts_negative_and_positive_posts(fitted):
    posts, _ = fitted
    table = topics_by_group(posts, by=("service", "sentiment"))
    assert list(table.columns) == ["service", "sentiment", "topic", "topic_label", "posts", "share", "words",
                                   "cell_label", "coverage", "rows"]
    assert table["posts"].sum() == (posts["topic"] != -1).sum()
    for _, group in table.groupby(["service", "sentiment"]):
        assert group["share"].sum() <= 1.0 + 1e-9
    afval = table[table["service"] == "afval"].groupby("sentiment")["words"].agg(lambda w: set(sum(w, [])))
    assert {"schandalig", "traag", "kapot"} & afval["negative"]
    assert not {"schandalig", "traag", "kapot"} & afval["positive"]


def test_topic_sizes_by_month():
    posts = pd.DataFrame({"month": ["2026-03"] * 3 + ["2026-04"] * 2, "topic": [0, 0, -1, 0, 1],
                          "topic_label": ["a", "a", OUTLIER_LABEL, "a", "b"]})
    table = topic_sizes_by_month(posts)
    assert table.to_dict("records") == [
        {"month": "2026-03", "topic": 0, "topic_label": "a", "posts": 2, "share": 2 / 3},
        {"month": "2026-03", "topic": -1, "topic_label": OUTLIER_LABEL, "posts": 1, "share": 1 / 3},
        {"month": "2026-04", "topic": 0, "topic_label": "a", "posts": 1, "share": 0.5},
        {"month": "2026-04", "topic": 1, "topic_label": "b", "posts": 1, "share": 0.5},
    ]


def test_evaluate_topics_by_hand():
    texts = ["appel peer", "appel peer", "kers", "appel", "peer kers"]
    result = evaluate_topics(texts, [0, 0, 1, -1, 1], {0: ["appel", "peer"], 1: ["kers", "appel"]})
    p_appel, p_peer, p_both = 3 / 5, 3 / 5, 2 / 5
    first = math.log(p_both / (p_appel * p_peer)) / -math.log(p_both)
    assert result["npmi"] == pytest.approx((first + -1.0) / 2)  # kers and appel never meet: -1
    assert result["diversity"] == 0.75 and result["outlier_share"] == 0.2 and result["n_topics"] == 2
    assert nmi(["a", "a", "b", "b"], [1, 1, 0, 0]) == pytest.approx(1.0)
    assert nmi(["a", "a", "b", "b"], [1, 1, 0, -1], outliers="drop") == pytest.approx(1.0)


class _FakeSentenceTransformer:
    """Stands in for sentence_transformers.SentenceTransformer: hashed bag of words, no model files."""

    loaded: list[str] = []

    def __init__(self, path: str, device: str = "cpu") -> None:
        self.loaded.append(path)

    def encode(self, texts, show_progress_bar=False):
        vectors = np.zeros((len(texts), 64), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in TermAnalyzer()(text):
                vectors[row, sum(map(ord, word)) % 64] += 1.0
        return vectors


def test_semantic_path_loads_a_local_folder(tmp_path, monkeypatch, month_a):
    monkeypatch.setitem(sys.modules, "sentence_transformers",
                        types.SimpleNamespace(SentenceTransformer=_FakeSentenceTransformer))
    folder = tmp_path / "my-model"
    folder.mkdir()
    posts, topics = fit_topics(month_a, settings=small_settings(embedding_model=str(folder), nr_topics=5))
    assert _FakeSentenceTransformer.loaded[-1] == str(folder)
    assert topics and posts["topic"].ge(0).mean() > 0.8
    with pytest.raises(FileNotFoundError, match="never downloads"):
        fit_topics(month_a, settings=small_settings(embedding_model=str(tmp_path / "missing")))


# --- labels, catch-alls, subjects -------------------------------------------------------------------

def test_label_is_a_recurring_phrase_that_covers_the_group_and_sets_it_apart():
    from feedback_analysis.topics.labels import Labeller, label_coverage

    group = ["Weer PMD niet opgehaald in onze straat", "pmd niet opgehaald, derde keer!", "Ons PMD niet opgehaald",
             "Blauwe zakken staan er nog, PMD niet opgehaald", "Vuilkar vergeten, zakken staan nog buiten"]
    rest = ["Het zwembad is proper", "Mooie straat met bomen", "De bib heeft nieuwe boeken", "Straat vol putten",
            "[NAME] zegt dat de straat proper is"] * 4
    labeller = Labeller(group + rest)
    label, words = labeller.label(range(len(group)))
    assert label.startswith("PMD niet opgehaald")  # as written, the stop word inside kept
    assert "straat" not in words  # common elsewhere: it does not set the group apart
    assert labeller.coverage(range(len(group)), label) >= 0.8
    assert label_coverage(group + rest, [0] * 5 + [-1] * 20, {0: label}) == labeller.coverage(range(5), label)


def test_names_and_placeholders_never_make_a_label():
    from feedback_analysis.topics.labels import Labeller

    group = ["[NAME] van de bib was super", "Merci [NAME] van de bib", "[NAME] [NAME] bib top", "bib [NAME] bedankt"]
    label, _ = Labeller(group + ["iets anders hier"] * 6).label(range(4))
    assert "NAME" not in label.upper() and "bib" in label


def test_catch_alls_become_overige_and_no_topic_holds_more_than_a_quarter(month_a):
    # Half of the month is one kind of short chatter without a shared word: no theme, and no topic may take
    # it all.
    rng = random.Random(3)
    chatter = [" ".join(rng.sample(["zalig", "weekend", "mensen", "weer", "morgen", "altijd", "zomer", "vandaag",
                                    "iedereen", "bedankt", "later", "vrienden", "misschien", "straks"], 3))
               for _ in range(200)]
    texts = month_a["text"].tolist() + chatter
    modeler = TopicModeler(small_settings()).fit(texts)
    assigned = modeler.labels_[modeler.labels_ >= 0]
    assert np.bincount(assigned).max() <= 0.25 * (np.asarray([t != "" for t in texts]).sum()) + 1
    from feedback_analysis.topics.labels import label_coverage

    labels = {item["topic"]: item["label"] for item in modeler.topics_}
    assert label_coverage(texts, modeler.labels_.tolist(), labels) >= 0.7
    assert all(item["label"] != OUTLIER_LABEL for item in modeler.topics_)


def test_one_event_touching_two_services_is_new_once_with_both(tmp_path, month_a):
    registry = TopicRegistry.load(tmp_path)
    fit_month_topics(month_a.assign(author_id=[f"a{i}" for i in range(len(month_a))]), "2026-03", registry,
                     settings=small_settings(nr_topics=5, nr_subjects=5))
    rng = random.Random(5)
    closure = [{"text": f"{rng.choice(['Loket', 'Het loket'])} burgerzaken {rng.choice(['gesloten', 'toe', 'dicht'])}, "
                        f"{rng.choice(['afspraak', 'identiteitskaart', 'paspoort'])} {rng.choice(['kwijt', 'gemist'])}",
                "service": rng.choice(["burgerzaken", "dienstverlening"]), "sentiment": "negative", "theme": "closure"}
               for _ in range(40)]
    april = pd.concat([make_posts({"afval": 40, "parkeren": 40, "zwembad": 40, "wegen": 40, "bib": 40}, seed=7),
                       pd.DataFrame(closure)], ignore_index=True)
    april["post_id"] = [f"q{i}" for i in range(len(april))]
    april["author_id"] = [f"a{i % 150}" for i in range(len(april))]
    april["created_at"] = pd.Timestamp("2026-04-03T10:00:00Z")
    fit_month_topics(april, "2026-04", registry, settings=small_settings(nr_topics=7, nr_subjects=6))
    emerging = emerging_topics(registry.history, "2026-04")
    new = emerging[emerging["status"] == "nieuw"]
    assert len(new) == 1, new
    row = new.iloc[0]
    assert "burgerzaken" in row["label"].lower() or "loket" in row["label"].lower()
    assert set(row["services"]) == {"burgerzaken", "dienstverlening"}
    assert row["started"] == "2026-04-03" and len(row["examples"]) == 2

    # The same posts by one author are no trend.
    history = registry.history.copy()
    history.loc[history["stable_topic"] == row["stable_topic"], "authors"] = 1
    assert row["stable_topic"] not in set(emerging_topics(history, "2026-04")["stable_topic"])


def test_a_weak_match_gets_a_new_id_but_is_not_news():
    registry = TopicRegistry()
    registry.match_and_update("2026-01", [{"topic": 0, "label": "zwembad", "words": [], "size": 20,
                                           "vector": {"zwembad": 0.8, "openingsuren": 0.6}}])
    mapping = registry.match_and_update("2026-02", [
        {"topic": 0, "label": "openingsuren", "words": [], "size": 20,
         "vector": {"openingsuren": 0.5, "bibliotheek": 0.85, "boeken": 0.2}, "services": ["bib"]},
        {"topic": 1, "label": "hittegolf", "words": [], "size": 20, "vector": {"hittegolf": 1.0}, "services": ["sport"]},
        {"topic": 2, "label": "haha", "words": [], "size": 20, "vector": {"haha": 1.0}, "services": []}])
    assert mapping[0] != 0  # cosine 0.3: below the match threshold, so not joined to "zwembad"
    emerging = emerging_topics(registry.history, "2026-02")
    # New: only the subject unlike anything before that touches a service (chatter about none is no theme).
    assert emerging.loc[emerging["status"] == "nieuw", "label"].tolist() == ["hittegolf"]


def test_a_subject_of_replies_to_another_subjects_posts_joins_it():
    from feedback_analysis.topics.registry import merge_reply_subjects

    posts = pd.DataFrame({"post_id": ["r1", "r2", "c1", "c2", "c3", "x1", "x2"],
                          "thread_id": ["r1", "r2", "r1", "r2", "r1", "x1", "x1"]})
    subjects = np.array([0, 0, 1, 1, 1, 2, 2])  # 1: replies under subject 0's posts; 2: its own thread
    assert merge_reply_subjects(posts, subjects) == {1: 0}
    assert merge_reply_subjects(posts.drop(columns=["thread_id"]), subjects) == {}


def test_posts_in_another_language_form_no_theme(tmp_path, month_a):
    french = pd.DataFrame({"post_id": [f"fr{i}" for i in range(30)], "service": "afval", "sentiment": "negative",
                           "theme": "fr", "text": [f"Les poubelles ne sont pas ramassées rue {i % 5}, c'est honteux"
                                                   for i in range(30)]})
    posts = pd.concat([month_a.assign(lang="nl"), french.assign(lang="fr")], ignore_index=True)
    posts["author_id"] = [f"a{i}" for i in range(len(posts))]
    result, topics = fit_month_topics(posts, "2026-03", TopicRegistry.load(tmp_path),
                                      settings=small_settings(nr_topics=5, nr_subjects=5))
    assert list(result["post_id"]) == list(posts["post_id"])
    other = result[result["lang"] == "fr"]
    assert (other["topic"] == -1).all() and (other["topic_label"] == "andere taal").all()
    assert (other["stable_topic"] == -1).all()
    assert not any("poubelles" in item["label"].lower() for item in topics)
    assert (result.loc[result["lang"] == "nl", "topic"] >= 0).mean() > 0.5


def test_a_label_is_led_by_a_noun_not_a_verb_or_adjective():
    from feedback_analysis.topics.labels import Labeller

    group = [f"Veel te duur, de kinderen kunnen niet spelen in het {place} want de speeltuin is dicht"
             for place in ("park", "park", "bos", "park", "bos", "park")]
    rest = [f"Het zwembad is weer open, {word}" for word in ("fijn", "top", "super", "merci", "eindelijk", "mooi")]
    labeller = Labeller(group + rest)
    label, words = labeller.label(range(len(group)))
    assert words and all(labeller.is_noun(word) for word in words)
    assert not {"duur", "spelen"} & set(words)
    assert "speeltuin" in label.lower() or "kinderen" in label.lower()


def test_a_reply_in_no_topic_takes_its_threads_topic():
    from feedback_analysis.topics.registry import inherit_thread_topics

    posts = pd.DataFrame({"post_id": ["p1", "r1", "r2", "p2", "r3", "r4"],
                          "thread_id": ["p1", "p1", "p1", "p2", "p2", "p9"]})
    topics = np.array([4, -1, 7, -1, -1, -1])
    assert inherit_thread_topics(posts, topics).tolist() == [4, 4, 7, -1, -1, -1]
    assert inherit_thread_topics(posts.drop(columns="thread_id"), topics).tolist() == topics.tolist()


def test_a_phrase_runs_from_a_noun_to_a_noun_or_participle_within_one_clause():
    from feedback_analysis.topics.labels import Labeller

    labeller = Labeller(["De PMD is weer niet opgehaald", "Parkeren in de blauwe zone", "Die omleiding rijdt raar",
                         "De belasting verdubbeld en de PMD ligt er nog", "Een omleiding via de zone"])
    assert labeller.well_formed("pmd niet opgehaald") and labeller.well_formed("blauwe zone")
    assert not labeller.well_formed("omleiding rijdt")  # ends in a finite verb
    assert not labeller.well_formed("verdubbeld en de pmd")  # starts with a verb, joins two clauses


def test_cell_labels_leave_out_extra_stop_words():
    posts = pd.DataFrame({"text": ["Groetjes uit Denderbeke, de markt is vuil"] * 4
                          + ["Het zwembad is dicht, de markt is proper"] * 4,
                          "service": ["a"] * 4 + ["b"] * 4, "topic": [0] * 4 + [1] * 4})
    plain = topics_by_group(posts, by=("service",))
    named = topics_by_group(posts, by=("service",), stop_words=["Denderbeke"])
    assert "denderbeke" in plain.loc[0, "cell_label"].lower()
    assert "denderbeke" not in named.loc[0, "cell_label"].lower()


def test_the_main_language_is_the_posts_not_the_report_settings():
    from feedback_analysis.topics.registry import own_language

    posts = pd.DataFrame({"lang": ["nl", "nl", "fr", "other", None, "nl", "en"]})
    assert own_language(posts).tolist() == [True, True, False, True, True, True, False]
    assert own_language(pd.DataFrame({"lang": ["other", None]})).tolist() == [True, True]
    assert own_language(pd.DataFrame({"text": ["a"]})).tolist() == [True]


def test_term_analyzer_cache_gives_the_same_terms_and_is_not_pickled():
    import pickle

    text = "De PMD-zak niet opgehaald in de Kerkstraat, weer niet opgehaald!"
    fresh = TermAnalyzer()._terms(text)
    analyzer = TermAnalyzer()
    first = analyzer(text)
    first.append("changed by the caller")
    assert analyzer(text) == fresh == TermAnalyzer()(text)
    assert "niet opgehaald" in fresh or "opgehaald" in fresh
    copy = pickle.loads(pickle.dumps(analyzer))
    assert copy._cache == {} and copy(text) == fresh


def test_labeller_analyses_a_repeated_text_once_with_the_same_result():
    from feedback_analysis.topics.labels import Labeller

    texts = ["Gemiste ophaling van het PMD", "Gemiste ophaling van het PMD", "Straatlamp stuk in de Dorpsstraat"]
    labeller = Labeller(texts)
    assert labeller.texts[0] is labeller.texts[1]
    assert labeller.texts[0].words == Labeller(texts[:1]).texts[0].words
    assert labeller.document_frequency == Labeller([texts[0], "x", texts[2]]).document_frequency + Labeller([texts[0]]).document_frequency
