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
# # What is in the store?
#
# For analysts, after an ingest: how many posts, comments and replies the store holds per month,
# where they come from (export format), and in which language they are written. Use it to spot
# coverage gaps (a month with few rows, a source that stopped) before reading any analysis.
# All text in the store is already pseudonymised and masked.

# %% tags=["parameters"]
data_dir = ""  # "" is the project's data folder (from the settings); else a path

# %%
from feedback_analysis import explore, store
from feedback_analysis.overview import count_rows, plot_rows_per_month, rows_per_month

settings = explore.notebook_settings(data_dir)
posts = store.read_posts(settings.posts_dir)
print(f"{len(posts)} rows in {settings.posts_dir}, {posts['month'].nunique()} months")

# %% [markdown]
# ## Rows per month
# Posts, comments and replies per month (in Europe/Brussels time). A sudden drop usually means an
# export is missing for that month, not that citizens went quiet.

# %%
plot_rows_per_month(posts, "kind");

# %%
rows_per_month(posts, "kind")

# %% [markdown]
# ## Where the rows come from
# Each export format is a different window on the conversation: a DYI archive holds only its
# owner's own activity, a scraper sees what was public when it ran.

# %%
plot_rows_per_month(posts, "source");

# %%
count_rows(posts, "source")

# %% [markdown]
# ## Languages
# Most posts are Dutch; French and English occur near Brussels and the language border. Rows marked
# `other` are mostly emoji-only reactions or very short replies.

# %%
count_rows(posts, "lang")

# %% [markdown]
# ## Copy-paste duplicates
# Reposts and pasted texts are kept but marked, so that later counts can leave them out.

# %%
count_rows(posts, "is_duplicate")
