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
# # Check the scores on our own posts
#
# For the analysts who keep the analysis honest. Sentiment, service and abuse flags come from word lists
# and rules measured on other data; this notebook shows how well they do on the municipality's own posts
# and lets you correct them. It draws a sample from the last `period_months` months up to `month` (the
# latest month in the store unless set), shows the predictions in a form, and saves the posts you checked
# to `<data-dir>/labels/`.
#
# Nothing is saved until you click the form's Save button: a scheduled or papermill run of this notebook
# only shows the sample.

# %% tags=["parameters"]
data_dir = ""  # "" is the project's data folder (from the settings); else a path
config_path = ""
month = ""  # last month of the period, YYYY-MM; "" is the latest month in the store
period_months = 3  # months up to `month` to draw the sample from
sample_size = 100  # posts in the sample
seed = 0  # another seed gives another sample
allocation = "sqrt"  # spread over service and sentiment: sqrt, proportional or equal
analyst = ""  # your initials, saved with the labels (optional)
save_predictions_as_labels = False  # demos only: saves the unchecked predictions as labels. Keep False.

# %%
from IPython.display import Markdown

from feedback_analysis import explore, labelling, learning, pipeline, progress, report_data, store

# %%
settings = explore.notebook_settings(data_dir, config_path)
month = explore.pick_month(store.store_months(settings), month)
period = report_data.month_range(month, period_months)
posts = pipeline.load_scored_posts(settings, period)
labels = learning.load_labels(settings.labels_dir)
print(f"{len(posts)} posts from {period[0]} to {period[-1]}; {len(labels)} posts labelled so far "
      f"in {settings.labels_dir}")

# %% [markdown]
# ## How your labels are used
#
# - **A better sentiment model.** Once at least 60 posts have a sentiment label (and each sentiment you
#   used at least 5 times), `feedback-analysis enrich` trains a small model on your labels and compares it
#   with the rules by cross-validation: trained on four fifths of the labels, tested on the other fifth,
#   five times. The trained model replaces the rules only when its macro-F1 is at least 0.02 higher;
#   otherwise the rules stay. So a few careless labels cannot make things worse.
# - **Accuracy in the report.** The method section of every monthly report compares the scores with your
#   labels: how often sentiment, service and abuse flag were right on the municipality's own posts.
# - **Better word lists.** A post sent to the wrong service usually names a street, a team or a place the
#   word lists do not know: add it to the municipality's taxonomy file (`scoring.taxonomy` in the settings).
#
# Label what the post says, not what you think of the matter: "de vuilkar is weer niet gepasseerd" is
# negative about waste collection. Tick **checked** for every post you have read, also when the
# predictions were right: labels of only the mistakes would make the scores look worse than they are.

# %% [markdown]
# ## The labels so far

# %%
labelling.count_labels(labels)

# %% [markdown]
# How often the current scores agree with those labels (`accuracy`), and the macro-F1 (the mean of the
# F1 per label, so a rare label counts as much as a frequent one). When the sentiment model in use was
# trained on these very labels, its figure is too optimistic; the cross-validated figures under it are the
# fair comparison.

# %%
accuracy = report_data.labels_accuracy(labels, pipeline.read_scores(settings))
accuracy if len(accuracy) else Markdown("_No labelled post has a score yet: nothing to compare._")

# %%
with progress.notebook_bars() as bars:  # cross-validation: some seconds per fold with a few hundred labels
    choice = learning.choose_sentiment_model(labels, progress=bars)
Markdown(labelling.describe_model_choice(choice))

# %% [markdown]
# ## The sample
# `sample_size` posts of the period that nobody labelled before, without copy-paste duplicates, spread over
# the predicted service and sentiment. With `allocation = "sqrt"` a group gets posts in proportion to the
# square root of its size, so that rare combinations (praise for a small service) are checked too. The
# counts per predicted service and sentiment:

# %%
sample = labelling.sample_for_labelling(posts, sample_size, seed, labels, allocation=allocation)
explore.count_posts(sample, "service", "sentiment")

# %%
explore.table_html(explore.post_table(sample, ("post_id", "month", "kind", "sentiment", "service", "abuse", "text")),
                   sample_size)

# %% [markdown]
# ## Correct the labels
# For each post, set the sentiment, the service it is about (`no service` when it is about none) and the
# abuse flag, then tick **checked**; changing a drop-down ticks it for you. Choose `? not sure` to leave one
# label out. Click **Save checked rows** now and then: each click writes the rows that are new or changed
# since the last click to a new file in `labels/`.

# %%
labelling.label_widgets(sample, report_data.service_labels("nl", settings.scoring.taxonomy), settings.labels_dir,
                        analyst or None)

# %% [markdown]
# ## Saving without the form
# Only for demonstrations: with `save_predictions_as_labels = True` this cell saves the predictions of the
# whole sample as if they were checked. Such labels measure nothing (the scores agree with themselves), so
# the parameter stays False.

# %%
if save_predictions_as_labels:
    print(f"Saved the predictions as labels: {labelling.save_labels(sample, settings.labels_dir, analyst or None)}")
else:
    print("Nothing saved by this cell (save_predictions_as_labels is False).")

# %% [markdown]
# ## Next
# After saving, `feedback-analysis enrich` decides again between the rules and a trained model (and
# re-scores the store when the choice changes), and the next monthly report shows the accuracy on your
# labels. Run this notebook again for a fresh sample: posts you labelled are left out.
