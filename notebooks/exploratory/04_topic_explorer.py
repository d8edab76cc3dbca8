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

# %% [markdown]
# # Which topics come up this month?
#
# For analysts who want to look under the topic section of the monthly report: the topic model is fitted
# on the posts of one month (the latest in the store unless `month` is set; one service only if `service`
# is set) and shown through BERTopic's own charts: the words of each topic, the posts on a map, how
# similar the topics are, and the topics day by day.
#
# The charts are interactive (hover, zoom, click a legend entry), also in an HTML copy of this notebook,
# which needs no internet: the chart library is embedded once, above the first chart. Topic numbers are
# those of this run; the report keeps topics apart across months with its own, stable numbers.

# %% tags=["parameters"]
data_dir = ""  # "" is the project's data folder (from the settings); else a path
config_path = ""
month = ""  # YYYY-MM; "" is the latest month in the store
service = ""  # only the posts about this service (as in the report, replies count for their thread); "" for all
fast = True  # fewer embedding dimensions: seconds instead of tens of seconds on a large month
top_n_topics = 12  # topics in the charts
intertopic_map = False  # BERTopic's intertopic distance map needs UMAP: 10 to 40 s more

# %%
from IPython.display import Markdown

from feedback_analysis import explore, pipeline, plots, store
from feedback_analysis.topics import (
    TopicModeler,
    TopicSettings,
    small_settings,
    topics_by_group,
)

# %%
settings = explore.notebook_settings(data_dir, config_path)
month = explore.pick_month(store.store_months(settings), month)
posts = explore.filter_posts(pipeline.load_scored_posts(settings, [month]), service=service, include_duplicates=False)
modeler = TopicModeler(small_settings() if fast else TopicSettings()).fit(posts["text"])
print(f"{month}: {len(posts)} posts (copy-paste duplicates left out), {len(modeler.topics_)} topics.",
      modeler.message_)

# %% [markdown]
# ## The topics
# Each topic with its posts, its share of the month and its words: the words that set its posts apart
# from the others, as people wrote them. Posts without a single topic word (greetings, emoji, "idem") are
# topic -1, `overige`, and are not listed.

# %%
explore.table_html(explore.topics_table(modeler), 60)

# %% [markdown]
# The largest topics and their most typical words, as a plain picture that survives printing and e-mail
# (the longer the bar, the more typical the word for the topic).

# %%
plots.as_image(explore.plot_topic_words(modeler, top_n_topics=8))

# %% [markdown]
# ## BERTopic's charts
# This cell puts the chart library (plotly.js, about 5 MB) into the page, once; the charts below use it.

# %%
explore.plotly_library()

# %% [markdown]
# ### Words per topic

# %%
explore.topic_chart(modeler, "barchart", top_n_topics=top_n_topics, n_words=6)

# %% [markdown]
# ### The posts on a map
# Every post is a dot, placed by what it says (its embedding, reduced to two dimensions); dots of one topic
# share a colour, grey dots have no topic. Hover over a dot to read the post. Topics far apart are distinct
# subjects; overlapping topics share words.

# %%
explore.topic_chart(modeler, "documents", posts)

# %% [markdown]
# ### How similar the topics are
# The similarity of every two topics (darker is more alike), and the tree in which the most similar
# topics join first. Two topics that join early are often one subject seen from two sides.

# %%
explore.topic_chart(modeler, "heatmap", top_n_topics=top_n_topics)

# %%
explore.topic_chart(modeler, "hierarchy", top_n_topics=top_n_topics)

# %% [markdown]
# ### Day by day
# Posts per topic and day (Europe/Brussels). A peak on one day is usually one event: a missed collection
# round, a storm, a closed road.

# %%
explore.topic_chart(modeler, "topics_over_time", posts, top_n_topics=8)

# %% [markdown]
# ### Intertopic distance map
# BERTopic's classic map of topics as circles. It needs UMAP, which takes 10 to 40 seconds to start, so
# it is drawn only with `intertopic_map = True`.

# %%
explore.topic_chart(modeler, "topics") if intertopic_map else Markdown("_Not drawn: `intertopic_map` is False._")

# %% [markdown]
# ## Topics per service and sentiment
# Per service and sentiment, the topics of its posts and the words that set them apart: what the negative
# posts about a service talk about, next to the positive ones.

# %%
topics_by_group(explore.with_topics(posts, modeler), by=("thread_service", "sentiment")).head(40)

# %% [markdown]
# ## Examples
# The posts closest to the centre of each topic (masked).

# %%
explore.table_html(explore.topic_examples(modeler, posts), 3 * top_n_topics)

# %% [markdown]
# ## What the report recorded
# The topics the topic stage recorded for this month in the registry, with their stable numbers. They were
# fitted with the pipeline's settings, so they may differ a little from the topics above.

# %%
history = pipeline.load_topic_history(settings)
recorded = history[history["month"] == month][["stable_topic", "label", "size", "words"]]
recorded if len(recorded) else Markdown("_The topic stage has not recorded this month (yet)._")
