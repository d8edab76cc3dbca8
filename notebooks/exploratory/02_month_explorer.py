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
# # What did people say this month?
#
# For analysts who want to read behind the figures of the monthly report: the posts, comments and replies
# of one month (the latest month in the store, unless `month` is set), filtered by service, sentiment,
# topic, thread label or abuse flag. Texts are masked (names, phone numbers, e-mail addresses and account
# numbers are replaced) and shown without their authors.
#
# In Jupyter, use the drop-downs under "Browse the month". An HTML copy of this notebook cannot run them,
# so the section after it shows the posts for the filters set in the parameters cell.

# %% tags=["parameters"]
data_dir = ""  # "" is the project's data folder (from the settings); else a path
config_path = ""
month = ""  # YYYY-MM; "" is the latest month in the store
service = "afval"  # a service id, "none" for posts about no service, "" for all
sentiment = "negative"  # positive, negative or neutral; "" for all
topic = ""  # a topic number or label, when the topic stage has run; "" for all
consensus = ""  # thread label of top-level posts: shared, contested or isolated; "" for all
abuse = ""  # none, offensive or threat; "" for all
text_contains = ""  # a piece of text the posts must contain; "" for all
thread_post_id = ""  # a post whose thread to read; "" is the busiest thread among the filtered posts
max_rows = 30  # posts shown per table

# %%
from IPython.display import Markdown, display

from feedback_analysis import explore, pipeline, store

# %%
settings = explore.notebook_settings(data_dir, config_path)
month = explore.pick_month(store.store_months(settings), month)
posts = pipeline.load_scored_posts(settings, [month])
print(f"{month}: {len(posts)} posts, comments and replies, {posts['sentiment'].notna().sum()} of them scored")

# %% [markdown]
# ## Per service and sentiment
# The month's rows per service and predicted sentiment: where there is something to read. A reply counts
# for the service of the post it answers, as in the report; `(none)` is about no municipal service.

# %%
explore.count_posts(posts, "thread_service", "sentiment")

# %% [markdown]
# ## Browse the month
# Pick a service, sentiment, topic (when the topic stage has run), thread label or abuse flag, or type a
# word: the matching posts appear below the drop-downs (the first `max_rows`). The thread label says how
# the replies took a post: `shared` (others agree), `contested` (others push back) or `isolated`.

# %%
explore.month_browser(posts, service, sentiment, topic, consensus, abuse, text_contains, max_rows)

# %% [markdown]
# ## The posts for the parameters
# The same table for the filters of the parameters cell, so that it is also in an HTML copy.

# %%
filters = {"service": service, "sentiment": sentiment, "topic": topic, "consensus": consensus, "abuse": abuse,
           "text_contains": text_contains}
selected = explore.filter_posts(posts, **filters)
print(f"{len(selected)} of {len(posts)} posts match: {explore.options_summary(filters)}")
explore.table_html(explore.post_table(selected), max_rows)

# %% [markdown]
# ## Topics
# How many of the month's posts fall in each topic, per sentiment. Topics per post are there once the
# topic stage has stored them; until then, `04_topic_explorer` fits the month's topics on the spot.

# %%
if "topic_label" in posts.columns:
    display(explore.count_posts(posts, "topic_label", "sentiment"))
else:
    display(Markdown("_No topics are stored for this month yet, so there is no topic filter._"))

# %% [markdown]
# ## One thread
# A top-level post with its comments and replies, in order (`depth` 0 is the post, 1 a comment, 2 a reply):
# the post of `thread_post_id`, else the one with the most replies among the posts above. Replies written
# in a later month are not loaded here.

# %%
thread_post = thread_post_id or explore.busiest_thread(selected) or explore.busiest_thread(posts)
if thread_post:
    thread = explore.thread_of(posts, thread_post)
    columns = ("depth", "created_at", "kind", "sentiment", "service", "abuse", "text")
    display(explore.table_html(explore.post_table(thread, columns), max_rows))
else:
    print("No post with replies this month.")

# %% [markdown]
# ## Flagged posts
# Posts flagged as offensive or threatening, with what matched. Each flag is for a person to review:
# offensive, ask the group's admin to act; a threat, report it to the platform and the police.

# %%
flagged = explore.filter_posts(posts, abuse=["offensive", "threat"])
explore.table_html(explore.post_table(flagged, ("post_id", "created_at", "kind", "abuse", "abuse_reason", "text")),
                   max_rows)
