"""The labelling loop, end to end: labels saved with the notebook's form -> ``enrich`` -> the next report.

The sample municipality's generator knows what each post really says (its ground truth), so the analyst
here labels as a careful person would: the true sentiment of every post in the form, ticked and saved
with the Save button. On those labels a model trained on them beats the rules in cross-validation, so
``enrich`` switches to it, and the report's "Nauwkeurigheid op de eigen berichten van de gemeente" gives
the cross-validated accuracy and the number of labels. An analyst who only confirms the predictions gives
labels a trained model cannot beat the rules on: then the rules stay, and the report says so.
"""

from __future__ import annotations

import html
import re
import shutil

from feedback_analysis import labelling, learning, pipeline, report, report_data
from feedback_analysis.config import load_settings
from feedback_analysis.sample import generate_sample_posts, write_sample_exports

MONTH = "2026-10"
SAMPLE = dict(end_month=MONTH, months=1, posts_per_month=150)


def _page_text(path) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", path.read_text(encoding="utf-8"), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)).replace("\xa0", " "))


def test_labels_from_the_form_reach_the_scores_and_the_report(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # reports/ and no developer's feedback_analysis.yaml
    monkeypatch.delenv("FEEDBACK_ANALYSIS_DATA_DIR", raising=False)
    settings = load_settings(data_dir=tmp_path / "data", environ={})
    exports = write_sample_exports(tmp_path / "exports", **SAMPLE)
    assert pipeline.ingest([exports["dyi"].parent], settings).ok
    first = pipeline.enrich(settings)
    assert first.sentiment_model.startswith("rules")
    posts = pipeline.load_scored_posts(settings, [MONTH])

    # the analyst's form: the true sentiment set for every post, each ticked, then Save
    truth = generate_sample_posts(**SAMPLE).set_index("post_id")["sentiment"]
    sample = labelling.sample_for_labelling(posts, n=200, seed=0)
    editor = labelling.label_widgets(sample, report_data.service_labels("nl"), settings.labels_dir, analyst="AC")
    ticked = 0
    for (_, post), row in zip(editor.sample.iterrows(), editor.rows_):
        source_id = post["post_id"].split(":")[-1]
        if source_id in truth.index:  # a few DYI rows carry no id of the generator's: left unchecked
            row["sentiment"].value = truth[source_id]
            row["checked"].value = True
            ticked += 1
    editor.button.click()
    labels = learning.load_labels(settings.labels_dir)
    assert editor.last_path_ is not None and editor.last_path_.parent == settings.labels_dir
    assert len(labels) == ticked >= learning.MIN_LABELS

    # enrich: the trained model wins on these labels (cross-validated), so the store is scored again with it
    choice = learning.choose_sentiment_model(labels)
    assert choice.name == "learned" and choice.learned_macro_f1 >= choice.rules_macro_f1 + learning.MIN_GAIN
    second = pipeline.enrich(settings)
    assert second.sentiment_model.startswith("learned") and second.scored == second.rows
    assert second.version != first.version

    # the next report: cross-validated accuracy, with the count, and which model is in use
    built = report.build_report(settings, MONTH, lang="nl")
    assert built.status == "built"
    page = _page_text(built.paths.html)
    section = page[page.index("Nauwkeurigheid op de eigen berichten van de gemeente"):]
    expected = (f"Positief of negatief: {len(labels)} gelabelde teksten, "
                f"{report_data.format_percent(choice.learned_accuracy, 'nl').replace(chr(160), ' ')} juist, "
                f"macro-F1 {report_data.format_number(choice.learned_macro_f1, 'nl', 2)} "
                f"(kruisgevalideerd in {choice.folds} delen; in gebruik: een model getraind op deze labels")
    assert expected in section, section[:800]
    assert "Dienst:" in section  # the service labels (predictions kept, as ticked) are counted too

    # an analyst who only confirms the predictions: a trained model cannot beat the rules, the rules stay
    confirming = tmp_path / "confirming"
    shutil.copytree(settings.data_dir, confirming, ignore=shutil.ignore_patterns("labels"))
    other = load_settings(data_dir=confirming, environ={})
    predicted = sample.assign(sentiment=sample["post_id"].map(
        posts.set_index("post_id")["sentiment"]))  # the rules' own predictions, from before the labels
    labelling.save_labels(predicted, other.labels_dir)
    kept = pipeline.enrich(other)
    assert kept.sentiment_model.startswith("rules")
    confirmed = learning.load_labels(other.labels_dir)
    accuracy = report_data.labels_accuracy(confirmed, pipeline.read_scores(other),
                                           learning.choose_sentiment_model(confirmed))
    text = report_data.method_text("nl", accuracy).replace("\xa0", " ")
    assert f"Positief of negatief: {len(confirmed)} gelabelde teksten, 100 % juist" in text
    assert "in gebruik: de woordenlijsten" in text
