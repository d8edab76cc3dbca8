"""Thread consensus, compliments and the reaction signal."""

import pandas as pd
import pytest

from feedback_analysis.threads import (
    ThreadRules,
    is_compliment,
    label_consensus,
    mark_compliments,
    reply_stance,
    summarise_reactions,
    summarise_threads,
)


@pytest.mark.parametrize("text, sentiment, expected", [
    ("idem hier, al 2 weken", "neutral", "agree"),
    ("Bij ons ook niet opgehaald", "negative", "agree"),
    ("+1", "neutral", "agree"),
    ("valt toch mee hoor", "neutral", "disagree"),
    ("bij ons werd het gewoon opgehaald", "neutral", "disagree"),
    ("Super service, altijd goed geholpen", "positive", "disagree"),
    ("Weet iemand hoe laat ze komen?", "neutral", "none"),
])
def test_reply_stance_against_a_negative_post(text, sentiment, expected):
    assert reply_stance(text, sentiment, "negative") == expected


@pytest.mark.parametrize("agree, disagree, label", [(0, 0, "isolated"), (1, 0, "isolated"), (4, 0, "shared"),
                                                     (3, 1, "shared"), (2, 2, "contested"), (1, 3, "contested")])
def test_label_consensus(agree, disagree, label):
    assert label_consensus(agree, disagree, ThreadRules()) == label


def thread(replies, post_sentiment="negative"):
    rows = [{"post_id": "p", "thread_id": "p", "kind": "post", "author_id": "a_op", "text": "Weer niet opgehaald!",
             "sentiment": post_sentiment, "is_duplicate": False}]
    for i, (author, text, sentiment) in enumerate(replies):
        rows.append({"post_id": f"c{i}", "thread_id": "p", "kind": "comment", "author_id": author, "text": text,
                     "sentiment": sentiment, "is_duplicate": False})
    return pd.DataFrame(rows)


def test_a_complaint_that_replies_echo_is_shared():
    posts = thread([("a1", "idem", "neutral"), ("a2", "bij ons ook al 2 weken", "neutral"), ("a3", "schandalig", "negative")])
    summary = summarise_threads(posts).iloc[0]
    assert (summary["replies"], summary["agree"], summary["disagree"], summary["consensus"]) == (3, 3, 0, "shared")


def test_a_complaint_others_contradict_is_contested():
    posts = thread([("a1", "bij ons werd het gewoon opgehaald", "neutral"), ("a2", "valt toch mee", "neutral"),
                    ("a3", "idem", "neutral")])
    assert summarise_threads(posts).iloc[0]["consensus"] == "contested"


def test_the_authors_own_replies_do_not_count():
    posts = thread([("a_op", "idem", "neutral"), ("a_op", "nog altijd niet", "negative"), ("a1", "idem", "neutral")])
    summary = summarise_threads(posts).iloc[0]
    assert summary["replies"] == 1 and summary["consensus"] == "isolated"


def test_compliments_need_praise_and_a_service_or_staff():
    assert is_compliment("Dikke merci aan [NAME] van het onthaal!", "positive")
    assert is_compliment("Proficiat, mooi opgeruimd", "positive", service="groen")
    assert not is_compliment("Bedankt voor de tip", "positive")  # no service, no staff
    assert not is_compliment("Moet ik betalen aan het loket? Merci op voorhand", "positive", service="belastingen")
    assert not is_compliment("Merci aan de groendienst... voor niks", "negative")


@pytest.mark.parametrize("text", [
    "Geldt de blauwe zone ook op zaterdag? Dank u!",          # a yes/no question
    "Vraagje: hoe lang duurt een paspoort nog? Merci",
    "Iemand een goeie kattenopvang in de buurt? Dank u wel alvast",
    "Is het containerpark open op Paasmaandag?? merci jullie",
])
def test_thanks_after_a_question_is_no_compliment(text):
    assert not is_compliment(text, "positive", service="parkeren")


@pytest.mark.parametrize("text", [
    "Bedankt voor de snelle hulp aan het loket! Kan het volgende keer ook online? Merci",
    "Merci aan de wegenwerkers om die put zo snel te vullen ?",    # a lost emoji shown as '?'
])
def test_praise_beside_a_question_stays_a_compliment(text):
    assert is_compliment(text, "positive", service="wegen")
    posts = pd.DataFrame({"text": ["Chapeau voor de mannen van de groendienst"], "sentiment": ["positive"]})
    assert mark_compliments(posts)["compliment"].tolist() == [True]


def test_reactions_are_summarised_apart_from_text():
    posts = pd.DataFrame({
        "reactions_like": pd.array([10, None, 0], dtype="Int64"),
        "reactions_love": pd.array([3, None, 0], dtype="Int64"),
        "reactions_angry": pd.array([1, None, 4], dtype="Int64"),
    })
    out = summarise_reactions(posts)
    assert out["reactions_total"].tolist() == [14, pd.NA, 4]
    assert out["reaction_balance"].tolist() == [0.5, pd.NA, -1.0]


@pytest.mark.parametrize("text", [
    "Bedankt voor de mooie woorden [NAME]! We geven het compliment door aan de brandweer",
    "Dank u voor uw melding, de groendienst komt langs.",
    "Merci voor de lieve woorden, we geven het door aan het team van het onthaal!",
])
def test_thanks_for_a_message_or_for_kind_words_is_no_compliment(text):
    assert not is_compliment(text, "positive", service="groen")
