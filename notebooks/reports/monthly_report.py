# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.7
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["remove-cell"]
# <!--
# Monthly report: what residents of the municipality say on social media about its services, for
# managers and heads of service who only read the report. Period: one calendar month (parameter `month`),
# compared with the month before, the three months before and the last twelve months.
# The report runner executes it with papermill and converts it to HTML without code. All visible text
# is written by the package in the language `lang` (nl or en), so the static cells of this notebook
# hold only comments like this one (invisible in the report) and section rules.
# -->

# %% tags=["parameters"]
month = "2026-10"
data_dir = "data"
config_path = ""
lang = "nl"

# %%
import warnings

warnings.filterwarnings("ignore")

from pathlib import Path

from IPython.display import HTML, Markdown, display

from feedback_analysis import pipeline, plots, report, report_data
from feedback_analysis.config import load_settings

# %% [markdown] tags=["remove-cell"]
# <!-- Data: the scored posts of the twelve months up to `month` (texts of `month` only), the service
# names, the topics when the topic stage has run, and the tables several sections share. -->

# %%
settings = load_settings(Path(config_path) if config_path else None, data_dir=Path(data_dir))
posts = report_data.load_report_posts(settings, month)
labels = report_data.service_labels(lang, settings.scoring.taxonomy)

# %%
topics = pipeline.load_month_topics(settings, month, posts)
emerging = pipeline.load_emerging_topics(settings, month)

# %%
shares = report_data.service_shares(posts, month, labels, lang)
overall = report_data.overall_shares(posts, month, lang)
consensus = report_data.consensus_table(posts, month, labels, lang)
flagged = report_data.flagged_posts(posts, month, lang, settings.timezone)

# %% [markdown] tags=["remove-cell"]
# <!-- 1. Header: municipality, month, what the report answers and for whom, what the data covers and its
# gaps (days without rows, sources or groups missing against last month); then the table of contents. -->

# %%
cover = report_data.coverage(posts, month, settings.timezone)
display(Markdown(report_data.header(settings.municipality, month, cover, lang)))
HTML(report_data.contents_html(lang))

# %%
plots.chart_html(plots.plot_volume, report_data.volume_by_month(posts, month), month, lang)

# %% [markdown]
# ---
# <!-- 2. Key findings: plain sentences generated from the figures of the sections below. -->

# %%
display(Markdown(report_data.section("findings", lang)))
Markdown(report_data.key_findings(shares, lang, report_data.main_topics(topics), overall, consensus, flagged))

# %% [markdown]
# ---
# <!-- 3. Positive and negative per service: shares with Wilson intervals, changes against last month and
# the three months before, two-proportion z-test, small samples marked. -->

# %%
display(Markdown(report_data.section("shares", lang)))
plots.chart_html(plots.plot_service_shares, shares, lang)

# %%
HTML(report_data.shares_html(shares, lang, overall))

# %% [markdown]
# ---
# <!-- 4. Trend over twelve months for the services with the most texts. -->

# %%
trend = report_data.monthly_trend(posts, month, labels, lang)
display(Markdown(report_data.section("trend", lang)))
plots.chart_html(plots.plot_trend, trend, report_data.main_services(trend), lang)

# %% [markdown]
# ---
# <!-- 5. Topics per service (negative versus positive) and new or growing topics, with masked examples. -->

# %%
display(Markdown(report_data.section("topics", lang)))
display(Markdown(report_data.topics_text(topics, lang, labels, emerging=emerging,
                                         n_texts=len(report_data.month_posts(posts, month)))))
HTML(report_data.discussed_posts_html(posts, month, labels, lang))

# %% [markdown]
# ---
# <!-- 6. Shared versus isolated complaints, with examples and the advice: listen first. -->

# %%
display(Markdown(report_data.section("consensus", lang)))
plots.chart_html(plots.plot_consensus, consensus, lang)

# %%
display(HTML(report_data.consensus_html(consensus, lang)))
HTML(report_data.shared_examples_html(report_data.shared_examples(posts, month, labels, lang), lang))

# %% [markdown]
# ---
# <!-- 7. Compliments to pass on to the teams. -->

# %%
display(Markdown(report_data.section("compliments", lang)))
display(Markdown(report_data.compliments_summary(posts, month, labels, lang)))
HTML(report_data.compliments_html(report_data.compliments(posts, month, labels, lang, settings.timezone), lang))

# %% [markdown]
# ---
# <!-- 8. Texts flagged as offensive or threatening, with the reason and the escalation step. -->

# %%
display(Markdown(report_data.section("flagged", lang)))
display(Markdown(report_data.flagged_summary(flagged, lang)))
HTML(report_data.flagged_html(flagged, lang))

# %% [markdown]
# ---
# <!-- 9. Method and limits: how the figures are made, measured accuracy (benchmarks, and the analysts'
# labels when there are any), statistics, privacy. -->

# %%
accuracy = report_data.analyst_accuracy(settings)
display(Markdown(report_data.section("method", lang)))
Markdown(report_data.method_text(lang, accuracy, settings.scoring.service_threshold))

# %% [markdown] tags=["remove-cell"]
# <!-- Key figures of the month for figures.json (nothing is shown). -->

# %%
figures = report_data.key_figures(month, cover, shares, overall, consensus, flagged,
                                  report_data.compliments_count(posts, month), settings.municipality, topics,
                                  emerging)
report.publish_figures(figures)
