"""Learning from analysts' labels: the trained model is used only when it beats the rules."""

import pandas as pd

from feedback_analysis.learning import LearnedSentiment, choose_sentiment_model, load_labels
from feedback_analysis.sample import generate_sample_posts


def sample_labels(n=600):
    truth = generate_sample_posts(months=2, posts_per_month=150, seed=3)
    truth = truth[truth["lang"] == "nl"].head(n)
    return pd.DataFrame({"post_id": truth["post_id"], "text": truth["text"], "sentiment": truth["sentiment"]})


def test_too_few_labels_keep_the_rules():
    choice = choose_sentiment_model(sample_labels().head(20))
    assert choice.name == "rules" and "at least" in choice.reason and choice.n_labels == 20


def test_choice_is_made_on_cross_validated_figures():
    choice = choose_sentiment_model(sample_labels())
    assert choice.n_labels > 100
    assert 0 <= choice.rules_macro_f1 <= 1 and 0 <= choice.learned_macro_f1 <= 1
    if choice.name == "learned":
        assert choice.learned_macro_f1 >= choice.rules_macro_f1 + 0.02
    else:
        assert choice.learned_macro_f1 < choice.rules_macro_f1 + 0.02


def test_learned_model_scores_agree_with_labels_in_sign():
    labels = sample_labels()
    model = LearnedSentiment().fit(labels["text"], labels["sentiment"])
    out = model.transform(["Dikke merci aan de groendienst, prachtig werk!", "Al drie weken niet opgehaald, schandalig"])
    assert list(out["sentiment"]) == ["positive", "negative"]
    assert out["sentiment_score"].iloc[0] > 0 > out["sentiment_score"].iloc[1]


def test_load_labels_keeps_the_newest_label_per_post(tmp_path):
    (tmp_path / "2026-01.csv").write_text("post_id,text,sentiment\np1,a,negative\np2,b,neutral\n")
    (tmp_path / "2026-02.csv").write_text("post_id,text,sentiment\np1,a,positive\n")
    labels = load_labels(tmp_path).set_index("post_id")
    assert labels.loc["p1", "sentiment"] == "positive" and len(labels) == 2
