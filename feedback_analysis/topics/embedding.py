"""Document embedders for the topic model, behind BERTopic's ``BaseEmbedder`` interface.

- :class:`LsaEmbedder` (the default, offline, trained on the corpus itself): word and two-word-phrase TF-IDF
  plus character n-gram TF-IDF (``char_wb``, 3 to 5 letters), each row L2-normalised, side by side, reduced
  with truncated SVD (latent semantic analysis) and L2-normalised again. The word part carries the topic
  words; the character part lets spelling variants, inflections and Dutch compounds meet ("vuilniszak",
  "vuilniszakken", "pmd-zak"). The same fitted pipeline embeds single words, which BERTopic's
  word-level tools (maximal marginal relevance) need.
- :class:`SentenceEmbedder` wraps a sentence-transformers model; :func:`load_sentence_model` loads one
  from a local folder (the optional ``semantic`` extra). Nothing is ever downloaded.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from bertopic.backend import BaseEmbedder
from scipy import sparse
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from .text import TermAnalyzer, strip_placeholders

# From this many texts on, the SVD takes two power iterations instead of five (see LsaEmbedder).
LARGE_CORPUS = 10_000


def _char_text(text: str) -> str:
    return strip_placeholders(text or "").lower()


class LsaEmbedder(BaseEmbedder):
    """Word + character TF-IDF reduced with SVD: an embedder fitted on the texts it embeds.

    ``n_components`` is capped by the corpus (at most ``n_docs - 1``); ``seed`` fixes the randomised SVD;
    ``characters=False`` leaves the character n-grams out (measured: they help short posts).
    ``n_iter``: power iterations of the randomised SVD; None: scikit-learn's five below ``LARGE_CORPUS``
    texts, two from there on. On a generated 49k-post month the 100 dimensions then keep 65.4 % of the
    variance instead of 65.8 %, for about half the SVD's time (the costliest step of a big month's
    embedding); a small corpus keeps five (its SVD costs little).
    The first call of :meth:`embed` fits (or call :meth:`fit`); later calls only transform.
    """

    def __init__(self, n_components: int = 100, char_ngrams: tuple[int, int] = (3, 5), min_df: int = 2,
                 seed: int = 42, analyzer: TermAnalyzer | None = None, characters: bool = True,
                 n_iter: int | None = None) -> None:
        super().__init__()
        self.n_components = n_components
        self.n_iter = n_iter
        self.char_ngrams = char_ngrams
        self.characters = characters
        self.min_df = min_df
        self.seed = seed
        self.analyzer = analyzer or TermAnalyzer()
        self.words_: TfidfVectorizer | None = None
        self.chars_: TfidfVectorizer | None = None
        self.svd_: TruncatedSVD | None = None

    def _features(self, texts: list[str], fit: bool) -> sparse.csr_matrix:
        if fit:
            # min_df is lowered for tiny corpora so that a vocabulary always exists.
            min_df = self.min_df if len(texts) >= 4 * self.min_df else 1
            self.words_ = TfidfVectorizer(analyzer=self.analyzer, min_df=min_df, sublinear_tf=True, dtype=np.float32)
            self.chars_ = TfidfVectorizer(analyzer="char_wb", preprocessor=_char_text, ngram_range=self.char_ngrams,
                                          min_df=min_df, sublinear_tf=True, dtype=np.float32)
            blocks = [self.words_.fit_transform(texts)]
            if self.characters:
                blocks.append(self.chars_.fit_transform(texts))
        else:
            blocks = [self.words_.transform(texts)]
            if self.characters:
                blocks.append(self.chars_.transform(texts))
        return normalize(sparse.hstack(blocks, format="csr"))

    def fit(self, texts: list[str]) -> LsaEmbedder:
        self._fit_transform(list(texts))
        return self

    def _fit_transform(self, texts: list[str]) -> np.ndarray:
        features = self._features(texts, fit=True)
        n_components = max(1, min(self.n_components, features.shape[0] - 1, features.shape[1] - 1))
        self.svd_ = TruncatedSVD(n_components=n_components, n_iter=self._n_iter(features.shape[0]),
                                 random_state=self.seed)
        return normalize(self.svd_.fit_transform(features)).astype(np.float32)

    def _n_iter(self, n_docs: int) -> int:
        if self.n_iter is not None:
            return self.n_iter
        return 5 if n_docs < LARGE_CORPUS else 2

    def embed(self, documents: list[str], verbose: bool = False) -> np.ndarray:
        """Embeddings of ``documents`` (texts, words or phrases), one L2-normalised row each."""
        documents = [text or "" for text in documents]
        if self.svd_ is None:
            return self._fit_transform(documents)
        return normalize(self.svd_.transform(self._features(documents, fit=False))).astype(np.float32)


class SentenceEmbedder(BaseEmbedder):
    """Any object with ``encode(texts) -> array`` (a sentence-transformers model) as a BERTopic embedder."""

    def __init__(self, model) -> None:
        super().__init__()
        self.model = model

    def embed(self, documents: list[str], verbose: bool = False) -> np.ndarray:
        vectors = self.model.encode([text or "" for text in documents], show_progress_bar=False)
        return normalize(np.asarray(vectors, dtype=np.float32))


def load_sentence_model(path: str | os.PathLike, device: str = "cpu"):
    """A sentence-transformers model from a local folder; never downloads.

    Raises ``FileNotFoundError`` when the folder does not exist and ``ImportError`` with the install hint when
    the optional ``semantic`` extra (sentence-transformers) is not installed.
    """
    folder = Path(path).expanduser()
    if not folder.is_dir():
        raise FileNotFoundError(
            f"embedding_model must be a local sentence-transformers folder, and {folder} is not one "
            "(the topic stage never downloads a model)"
        )
    # Offline: a local folder needs no hub, and a missing file must fail instead of being fetched.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as error:
        raise ImportError(
            "embedding_model needs the optional sentence-transformers package: "
            "pip install 'feedback-analysis[semantic]' (or make semantic)"
        ) from error
    return SentenceTransformer(str(folder), device=device)
