"""Which topics come up in the posts: offline BERTopic, stable topic ids across months, emerging topics.

The default runs without torch, without a download and without UMAP (design and measurements:
``benchmarks/bench_topics.py``):

* embedding: :class:`LsaEmbedder`, word and phrase TF-IDF plus character n-gram TF-IDF reduced with SVD,
  trained on the month's posts themselves; a local sentence-transformers folder can replace it
  (``TopicSettings(embedding_model="path/to/folder")``, needs the ``semantic`` extra);
* no dimensionality reduction: UMAP compiles itself with numba in every new process (20 to 40 s before the
  first fit, more before the first transform) and costs about 10 s per 3,000 posts even then;
* clustering: :class:`SphericalKMeans` (k-means on unit vectors, about 1.8 * sqrt(posts) clusters, at most 60, none above a quarter of the posts;
  small clusters dissolved into their nearest neighbour); posts without a single topic word are -1;
* words: c-TF-IDF over words and two-word phrases as they appear in the posts (no stems), without Dutch,
  French, English stop words, Flemish filler, first names or placeholders, picked by :class:`CoherentWords`
  (co-occurring words, no repeats, not the same word in every topic).

* labels: a phrase from the posts, led by a noun, that most of a topic's posts contain and few others do
  (:mod:`.labels`); a cluster whose label occurs in fewer than half of its posts keeps only the posts it
  covers, the rest is -1 ("overige"), clustered once more; a reply in no topic takes its thread's topic;
  posts in another language than the month's form no topic ("andere taal");
* subjects: coarser clusters of the same embeddings (:mod:`.subjects`) carry the stable ids across months,
  so one event is one entry under "new", with every service it touches.

Same input and settings, same topics: the SVD and k-means are seeded (``TopicSettings.seed``), clusters are
numbered by their first post, then BERTopic orders them by size.

Public API (what ``feedback-analysis topics`` and the monthly pipeline call):

* :class:`TopicSettings`, :func:`build_topic_model`, :class:`TopicModeler`, :func:`fit_topics`;
* :func:`topics_by_group` (per service and sentiment), :func:`topic_sizes_by_month`;
* :class:`TopicRegistry` (stable ids under ``<data-dir>/processed/topics/``), :func:`fit_month_topics`,
  :func:`emerging_topics` (``nieuw`` / ``groeiend`` with the evidence);
* :func:`evaluate_topics` (NPMI, diversity, outlier share, number of topics) and :func:`nmi`.
"""

from .clustering import SphericalKMeans, auto_min_topic_size, auto_n_topics
from .evaluation import evaluate_topics, nmi, npmi_per_topic, topic_diversity
from .model import OUTLIER, OUTLIER_LABEL, TopicModeler, TopicSettings, build_topic_model, fit_topics, small_settings
from .registry import TopicRegistry, emerging_topics, fit_month_topics
from .representation import CoherentWords, topic_label
from .tables import topic_sizes_by_month, topics_by_group
from .text import TermAnalyzer, strip_placeholders, surface_forms, topic_stop_words

__all__ = [
    "OUTLIER", "OUTLIER_LABEL", "CoherentWords", "SphericalKMeans", "TermAnalyzer", "TopicModeler", "TopicRegistry",
    "TopicSettings", "auto_min_topic_size", "auto_n_topics", "build_topic_model", "emerging_topics",
    "evaluate_topics", "fit_month_topics", "fit_topics", "nmi", "npmi_per_topic", "small_settings",
    "strip_placeholders", "surface_forms", "topic_diversity", "topic_label", "topic_sizes_by_month",
    "topic_stop_words", "topics_by_group",
]


def __getattr__(name: str):
    # The embedders import BERTopic (seconds): only when asked for.
    if name in {"LsaEmbedder", "SentenceEmbedder", "load_sentence_model"}:
        from . import embedding

        return getattr(embedding, name)
    raise AttributeError(name)
