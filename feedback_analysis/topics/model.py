"""The topic model: settings, the offline BERTopic setup, and the fit / transform wrapper.

:func:`build_topic_model` assembles BERTopic from offline parts (see the package docstring for why each):
``LsaEmbedder`` (or a local sentence-transformers folder), no dimensionality reduction, ``SphericalKMeans``,
a ``CountVectorizer`` over :class:`TermAnalyzer` terms, c-TF-IDF, and ``CoherentWords``.

:class:`TopicModeler` fits it on texts and keeps what later stages need:

* ``labels_``: the topic of every fitted text (-1: outlier; texts without a single topic word always are);
* ``topics_``: ``[{"topic", "label", "words", "size"}]`` without -1, largest first, words as in the posts;
* ``message_``: a plain sentence when the month was too small for (many) topics, else ``""``;
* ``representative_docs_``: per topic, the indices of the texts closest to its centre;
* ``topic_vectors_``: per topic, its c-TF-IDF weights by term, to recognise it in another month.

Below ``settings.min_docs`` texts with words (40) nothing is fitted: every text is -1 and ``message_`` says
why. Below ``settings.small_corpus`` (300) a smaller, faster setup is used: 30 SVD dimensions, about
0.5 * sqrt(n) topics instead of 1.8 * sqrt(n), ten k-means restarts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.preprocessing import normalize

from .clustering import SphericalKMeans, auto_min_topic_size, auto_n_topics
from .labels import Labeller
from .leftovers import keep_covered, rehome, second_pass
from .representation import CoherentWords
from .subjects import find_subjects
from .text import TermAnalyzer, surface_forms, topic_stop_words, useful_phrases

if TYPE_CHECKING:
    from bertopic import BERTopic

OUTLIER = -1
OUTLIER_LABEL = "overige"
OTHER_LANGUAGE_LABEL = "andere taal"  # posts in another language than the month's: no theme of their own
VECTOR_TERMS = 50


@dataclass(frozen=True)
class TopicSettings:
    """Everything that shapes the topics; the defaults are the offline setup measured in the benchmarks.

    seed: fixes the SVD and k-means: the same texts and settings give the same topics, run after run.
    min_topic_size: smallest topic kept (smaller clusters are dissolved); None: an eighth of the average
        cluster size, at least 3 (8 for 3,000 posts).
    nr_topics: number of k-means clusters; None: about 1.8 * sqrt(posts), at most 60 (60 for 3,000 posts).
        Dissolving small clusters can leave fewer topics.
    embedding_model: path of a local sentence-transformers folder (needs the ``semantic`` extra); None: the
        offline LsaEmbedder trained on the posts themselves. Never a hub name: nothing is downloaded.
    language: language of the posts, for stop words: Dutch ('nl') adds the Flemish filler list
        ``resources/topics_stopwords_nl.txt``; Dutch, French and English stop words are always removed
        (posts mix them). Any code the stop-words package knows is accepted.
    top_n_words: words per topic (10).
    n_components: SVD dimensions of the LsaEmbedder (30 on the small path).
    phrases: allow two-word phrases ("gemiste ophaling") among the topic words.
    min_df: a term must occur in this many posts to count.
    coherence, diversity, reuse: weights of CoherentWords (co-occurrence, redundancy, reuse across topics).
    min_similarity: cosine similarity to a topic centre below which a dissolved or new post stays -1.
    min_docs: fewer posts with words than this: no topics, a message.
    small_corpus: fewer posts with words than this: the smaller setup.
    extra_stop_words: more words to keep out of topic descriptions (a municipality's own name, say).
    n_examples: representative posts kept per topic.
    min_coverage: a topic whose label (``labels.Labeller``) occurs in fewer of its texts than this is a
        catch-all: its texts become -1 ("overige") instead of a theme.
    max_share: a cluster holding more than this share of the posts with words is split (k-means within it).
    rehome: give a post left without a topic the topic whose label it contains (``leftovers.rehome``).
    second_pass: cluster the posts with words left without a topic once more (``leftovers.second_pass``).
    inherit_thread: in a month of the store, a reply in no topic takes the topic of its thread's first post
        (``registry.inherit_thread_topics``).
    subject_factor: about this * sqrt(posts) subjects, the broad themes that keep ids across months
        (:mod:`.subjects`); ``nr_subjects`` fixes their number instead.
    """

    seed: int = 42
    min_topic_size: int | None = None
    nr_topics: int | None = None
    embedding_model: str | None = None
    language: str = "nl"
    top_n_words: int = 10
    n_components: int = 100
    phrases: bool = True
    min_df: int = 2
    coherence: float = 0.5
    diversity: float = 0.2
    reuse: float = 0.15
    min_similarity: float = 0.0
    min_docs: int = 40
    small_corpus: int = 300
    extra_stop_words: tuple[str, ...] = ()
    n_examples: int = 3
    min_coverage: float = 0.5
    max_share: float = 0.25
    rehome: bool = True
    second_pass: bool = True
    inherit_thread: bool = True
    subject_factor: float = 0.6
    nr_subjects: int | None = None


def stop_words_for(settings: TopicSettings) -> frozenset[str]:
    """The stop words the settings ask for (see ``TopicSettings.language``)."""
    words = set(topic_stop_words())
    if settings.language != "nl":
        from stop_words import get_stop_words

        words |= set(get_stop_words(settings.language))
    return frozenset(words | {word.lower() for word in settings.extra_stop_words})


def _embedder(settings: TopicSettings, analyzer: TermAnalyzer, small: bool):
    from .embedding import LsaEmbedder, SentenceEmbedder, load_sentence_model

    if settings.embedding_model:
        return SentenceEmbedder(load_sentence_model(settings.embedding_model))
    n_components = min(settings.n_components, 30) if small else settings.n_components
    return LsaEmbedder(n_components=n_components, min_df=settings.min_df, seed=settings.seed, analyzer=analyzer)


def build_topic_model(settings: TopicSettings, n_docs: int) -> BERTopic:
    """An unfitted BERTopic with the offline parts, sized for ``n_docs`` texts (see the module docstring)."""
    from bertopic import BERTopic
    from bertopic.dimensionality import BaseDimensionalityReduction
    from bertopic.vectorizers import ClassTfidfTransformer

    small = n_docs < settings.small_corpus
    # A small month gets fewer, broader topics: about 0.5 * sqrt(n) (7 for 200 posts).
    n_topics = settings.nr_topics or (max(2, round(0.5 * n_docs ** 0.5)) if small else auto_n_topics(n_docs))
    min_size = settings.min_topic_size or auto_min_topic_size(n_docs, n_topics)
    analyzer = TermAnalyzer(stop_words_for(settings), phrases=settings.phrases)
    return BERTopic(
        language="multilingual",  # not "english": BERTopic would strip every non-ASCII letter
        top_n_words=settings.top_n_words,
        min_topic_size=min_size,
        embedding_model=_embedder(settings, analyzer, small),
        umap_model=BaseDimensionalityReduction(),
        hdbscan_model=SphericalKMeans(n_topics, min_size=min_size, min_similarity=settings.min_similarity,
                                      seed=settings.seed, n_init=10 if small else 3, max_share=settings.max_share),
        vectorizer_model=CountVectorizer(analyzer=analyzer),
        ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True),
        representation_model=[CoherentWords(top_n=settings.top_n_words, coherence=settings.coherence,
                                            diversity=settings.diversity, reuse=settings.reuse)],
    )


def _as_texts(texts) -> list[str]:
    return ["" if text is None or (isinstance(text, float) and np.isnan(text)) else str(text) for text in texts]


class TopicModeler:
    """Fit topics on texts, then assign texts to them (see the module docstring for the fitted attributes).

    ``model_factory(settings, n_docs) -> BERTopic`` builds the model; tests pass a smaller one.
    """

    def __init__(self, settings: TopicSettings = TopicSettings(),
                 model_factory: Callable[[TopicSettings, int], BERTopic] = build_topic_model) -> None:
        self.settings = settings
        self.model_factory = model_factory
        self.model_: BERTopic | None = None
        self.vocabulary_: dict[str, int] = {}
        self.labels_: np.ndarray = np.zeros(0, dtype=np.int64)
        self.topics_: list[dict] = []
        self.message_ = ""
        self.representative_docs_: dict[int, list[int]] = {}
        self.topic_vectors_: dict[int, dict[str, float]] = {}
        self.subject_labels_: np.ndarray = np.zeros(0, dtype=np.int64)
        self.subjects_: list[dict] = []

    # -- fitting -----------------------------------------------------------------------------------

    def fit(self, texts) -> TopicModeler:
        texts = _as_texts(texts)
        settings = self.settings
        analyzer = TermAnalyzer(stop_words_for(settings), phrases=settings.phrases)
        has_words = self._fit_vocabulary(texts, analyzer)
        n_active = int(has_words.sum())
        self.model_, self.topics_, self.representative_docs_, self.topic_vectors_ = None, [], {}, {}
        self.labels_ = np.full(len(texts), OUTLIER, dtype=np.int64)
        self.subject_labels_, self.subjects_ = self.labels_.copy(), []
        if n_active < settings.min_docs:
            self.message_ = (
                f"Too few posts for topics: {n_active} of {len(texts)} have words to go on, "
                f"at least {settings.min_docs} are needed. Every post is left without a topic (-1)."
            )
            return self
        model = self.model_factory(settings, n_active)
        model.vectorizer_model.set_params(vocabulary=self.vocabulary_)
        if isinstance(model.vectorizer_model.analyzer, TermAnalyzer):
            model.vectorizer_model.analyzer.share_cache(analyzer)  # the embedder's analyzer too (the same one)
        embeddings = self._embed(model, texts, has_words)  # the first call fits the LsaEmbedder
        topics, _ = model.fit_transform(texts, embeddings=embeddings)
        self.model_ = model
        self.labels_ = np.asarray(topics, dtype=np.int64)
        labeller = self._describe(texts, embeddings)
        counts = model.vectorizer_model.transform(texts)
        self.subject_labels_, self.subjects_ = find_subjects(
            embeddings, counts, model.vectorizer_model.get_feature_names_out(), labeller,
            factor=settings.subject_factor, min_coverage=settings.min_coverage, max_share=settings.max_share,
            seed=settings.seed, k=settings.nr_subjects)
        self.message_ = self._size_message(n_active, len(texts))
        return self

    def _fit_vocabulary(self, texts: list[str], analyzer: TermAnalyzer) -> np.ndarray:
        """Terms in at least min_df texts; returns which texts have at least one of them."""
        min_df = self.settings.min_df if len(texts) >= 4 * self.settings.min_df else 1
        vectorizer = CountVectorizer(analyzer=analyzer, min_df=min_df)
        try:
            counts = vectorizer.fit_transform(texts)
        except ValueError:  # no term at all: empty, placeholder-only or stop-word-only texts
            self.vocabulary_ = {}
            return np.zeros(len(texts), dtype=bool)
        document_frequency = dict(zip(vectorizer.get_feature_names_out(), np.asarray((counts > 0).sum(axis=0)).ravel()))
        phrases = useful_phrases(document_frequency, min_df=max(3, min_df))
        terms = sorted(term for term in document_frequency if " " not in term or term in phrases)
        self.vocabulary_ = {term: i for i, term in enumerate(terms)}
        return np.asarray(counts.getnnz(axis=1) > 0)

    def _has_words(self, texts: list[str]) -> np.ndarray:
        if not self.vocabulary_ or self.model_ is None:
            return np.zeros(len(texts), dtype=bool)
        counts = self.model_.vectorizer_model.transform(texts)
        return np.asarray(sparse.csr_matrix(counts).getnnz(axis=1) > 0)

    @staticmethod
    def _embed(model: BERTopic, texts: list[str], has_words: np.ndarray) -> np.ndarray:
        """Embeddings of texts; rows of texts without words are zero (the clusterer makes them -1)."""
        embedder = model.embedding_model
        active = np.flatnonzero(has_words)
        vectors = embedder.embed([texts[i] for i in active])
        embeddings = np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
        embeddings[active] = vectors
        return embeddings

    def _size_message(self, n_active: int, n_texts: int) -> str:
        if n_active < self.settings.small_corpus:
            return (f"Small month: {n_active} of {n_texts} posts have words to go on, so a quick model found "
                    f"{len(self.topics_)} topics; read them as hints.")
        return ""

    def _describe(self, texts: list[str], embeddings: np.ndarray) -> Labeller:
        """Fill topics_, representative_docs_ and topic_vectors_ from the fitted BERTopic; returns the
        Labeller over the texts (the subjects are labelled with it too).

        Each cluster is labelled (:class:`Labeller`); where the label occurs in fewer than ``min_coverage`` of
        its texts, the cluster is a catch-all and keeps only the texts that contain the label (when at least
        ``min_size`` do), the rest become -1. The texts with words left at -1 are clustered once more
        (:func:`.leftovers.second_pass`), then rehomed by label (:func:`.leftovers.rehome`)."""
        model, settings = self.model_, self.settings
        labeller = Labeller(texts, stop_words_for(settings))
        min_size = max(3, int(model.min_topic_size or 3))
        found = {}
        for topic in sorted(set(self.labels_.tolist()) - {OUTLIER}):
            members = np.flatnonzero(self.labels_ == topic)
            label = keep_covered(self.labels_, labeller, members, min_size, settings.min_coverage)
            if label:
                found[topic] = label
        if settings.second_pass:
            found.update(second_pass(self.labels_, labeller, embeddings, min_size, settings.min_coverage,
                                     start=max(found, default=-1) + 1, seed=settings.seed))
        self.topics_ = [{"topic": int(topic), "label": label, "words": [], "size": 0} for topic, label in found.items()]
        if settings.rehome:
            rehome(self.labels_, self.topics_, labeller, embeddings, settings.max_share)
        self._vectors_and_words(texts, embeddings)
        self.topics_.sort(key=lambda item: (-item["size"], item["topic"]))
        return labeller

    def _vectors_and_words(self, texts: list[str], embeddings: np.ndarray) -> None:
        """Sizes, c-TF-IDF term weights (``topic_vectors_``), words and representative texts of ``topics_``
        over the final assignment."""
        from .subjects import subject_vectors

        model, settings = self.model_, self.settings
        counts = sparse.csr_matrix(model.vectorizer_model.transform(texts))
        terms = model.vectorizer_model.get_feature_names_out()
        ids = [item["topic"] for item in self.topics_]
        self.topic_vectors_ = subject_vectors(counts, self.labels_, ids, terms)
        forms = surface_forms(texts, {word for vector in self.topic_vectors_.values() for word in vector})
        self.representative_docs_ = {}
        for item in self.topics_:
            members = np.flatnonzero(self.labels_ == item["topic"])
            item["size"] = len(members)
            item["words"] = [forms.get(word, word) for word in list(self.topic_vectors_.get(item["topic"], {}))[: settings.top_n_words]]
            self.representative_docs_[item["topic"]] = self._closest(members, embeddings, texts)

    def _closest(self, members: np.ndarray, embeddings: np.ndarray, texts: list[str]) -> list[int]:
        """Indices of the members nearest the topic's centre, one per distinct text."""
        vectors = normalize(embeddings[members])
        centre = normalize(vectors.mean(axis=0, keepdims=True))
        order = members[np.argsort(-(vectors @ centre.T).ravel(), kind="stable")]
        chosen, seen = [], set()
        for index in order:
            key = " ".join(texts[index].lower().split())
            if key not in seen:
                seen.add(key)
                chosen.append(int(index))
            if len(chosen) == self.settings.n_examples:
                break
        return chosen

    # -- using the fitted model ----------------------------------------------------------------------

    def labels_for(self, topics) -> list[str]:
        """The label of each topic id (``OUTLIER_LABEL`` for -1)."""
        labels = {item["topic"]: item["label"] for item in self.topics_}
        return [labels.get(int(topic), OUTLIER_LABEL) for topic in topics]

    def transform(self, texts) -> pd.DataFrame:
        """``topic`` and ``topic_label`` for each text (nearest topic centre; -1 without words or topics)."""
        texts = _as_texts(texts)
        topics = np.full(len(texts), OUTLIER, dtype=np.int64)
        if self.model_ is not None and texts:
            has_words = self._has_words(texts)
            if has_words.any():
                embeddings = self._embed(self.model_, texts, has_words)
                predicted, _ = self.model_.transform(texts, embeddings=embeddings)
                known = {item["topic"] for item in self.topics_}
                topics = np.array([topic if topic in known else OUTLIER for topic in predicted], dtype=np.int64)
        return pd.DataFrame({"topic": topics, "topic_label": self.labels_for(topics)})

    def fit_transform(self, texts) -> pd.DataFrame:
        """Fit, then the fitted texts' ``topic`` and ``topic_label`` (as in ``labels_``)."""
        self.fit(texts)
        return pd.DataFrame({"topic": self.labels_, "topic_label": self.labels_for(self.labels_)})

    def subjects_with_vectors(self, texts=None, ids=None) -> list[dict]:
        """``subjects_`` (the month's broad themes, :mod:`.subjects`) as :meth:`topics_with_vectors` gives
        topics: with ``examples`` / ``example_ids`` (the posts nearest each subject's centre, one per text)."""
        texts = _as_texts(texts) if texts is not None else None
        ids = list(ids) if ids is not None else None
        result = []
        for item in self.subjects_:
            chosen, seen = [], set()
            for index in item["members"]:
                key = " ".join(texts[index].lower().split()) if texts is not None else index
                if key not in seen:
                    seen.add(key)
                    chosen.append(index)
                if len(chosen) == self.settings.n_examples:
                    break
            result.append({
                **{key: value for key, value in item.items() if key != "members"},
                "examples": [texts[i] for i in chosen] if texts is not None else [],
                "example_ids": [str(ids[i]) for i in chosen] if ids is not None else [],
            })
        return result

    def topics_with_vectors(self, texts=None, ids=None) -> list[dict]:
        """``topics_`` plus ``vector`` (term weights) and ``examples`` / ``example_ids`` (representative texts).

        ``texts`` are the fitted texts (masked) and ``ids`` their post ids; this is what
        :meth:`TopicRegistry.match_and_update` takes.
        """
        texts = _as_texts(texts) if texts is not None else None
        ids = list(ids) if ids is not None else None
        result = []
        for item in self.topics_:
            indices = self.representative_docs_.get(item["topic"], [])
            result.append({
                **item,
                "vector": self.topic_vectors_.get(item["topic"], {}),
                "examples": [texts[i] for i in indices] if texts is not None else [],
                "example_ids": [str(ids[i]) for i in indices] if ids is not None else [],
            })
        return result


def fit_topics(posts: pd.DataFrame, text_column: str = "text",
               settings: TopicSettings = TopicSettings()) -> tuple[pd.DataFrame, list[dict]]:
    """Topics of a posts table.

    In: any table with a text column. Out: a copy with every column and row, in order, plus ``topic`` (int,
    -1 for outliers) and ``topic_label``; and the topics as in topics.json: ``[{"topic", "label", "words",
    "size"}]`` without -1. The copy's ``attrs["topic_message"]`` holds the modeler's message ("" when fine).
    """
    modeler = TopicModeler(settings).fit(posts[text_column].tolist())
    return _with_topics(posts, modeler), [dict(item) for item in modeler.topics_]


def _with_topics(posts: pd.DataFrame, modeler: TopicModeler) -> pd.DataFrame:
    result = posts.copy()
    result["topic"] = modeler.labels_.astype(np.int64)
    result["topic_label"] = modeler.labels_for(modeler.labels_)
    result.attrs["topic_message"] = modeler.message_
    return result


def small_settings(settings: TopicSettings = TopicSettings(), **changes) -> TopicSettings:
    """Settings for fast runs (tests, notebooks on sample data): fewer SVD dimensions, same behaviour."""
    return replace(settings, **{"n_components": 20, **changes})
