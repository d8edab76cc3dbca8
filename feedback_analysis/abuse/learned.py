"""A small learned second opinion where an identity group is named and the rules see nothing.

The rules explain what they flag; they miss hate said in words they do not list (stereotypes,
insinuations, rhetorical questions). :class:`LearnedFlag` scores such posts with a logistic
regression over character 2-5-grams and word 1-2-grams of the text with every group word replaced
by ``grp`` and every staff word by ``staf``, so that it learns how people speak about a group, not
which group. It is trained on the tuning half of the team's cases by
``benchmarks/train_abuse_model.py``, which writes ``resources/abuse_model.json`` (vocabulary, idf
and weights); scoring here is plain Python, so nothing is fitted or downloaded at run time.

It may only add a flag (never remove one), and only through :func:`may_add`: a group is named, the
group layer found nothing (no finding and no veto), and there is no negation, report,
condemnation or quote that the rules read as benign.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from feedback_analysis.packaged import load_yaml, resource_path_text

MODEL_FILE = "abuse_model.json"
_WORD_TOKEN = re.compile(r"(?u)\b\w\w+\b")
_BENIGN_WORDS = frozenset({"niet", "geen", "nooit", "niemand", "niets", "niks", "nie", "ni", "gene", "nimmer"})
# The model learned Dutch: a post with none of these is left alone ("never had any issue" is not Dutch)
_DUTCH = frozenset({"de", "het", "een", "en", "is", "zijn", "van", "die", "dat", "ik", "ze", "we", "je", "ge", "hier",
                    "hun", "er", "op", "in", "te", "met", "voor", "naar", "moeten", "altijd", "al", "ook", "maar",
                    "wat", "waarom", "wie", "hoe", "zo", "nog", "dan", "als", "wel", "onze", "ons", "mijn", "allemaal"})
_MASKS = {"group": "grp", "gadj": "grp", "staff": "staf"}


def masked(tokens: list[tuple[str, int, tuple | None]]) -> str:
    """The words read by the group layer, groups as ``grp`` and staff as ``staf``, joined by spaces."""
    return " ".join(_MASKS.get(entry[0], word) if entry else word for word, _, entry in tokens)


@lru_cache(maxsize=1)
def sentiment_words() -> tuple[frozenset[str], frozenset[str]]:
    """The single positive and negative words of the sentiment lexicon (``resources/sentiment_nl.yaml``)."""
    lexicon = load_yaml("sentiment_nl.yaml")

    def single(section: object) -> frozenset[str]:
        return frozenset(str(w).lower() for w in (section or {}) if " " not in str(w))

    return single(lexicon.get("positive")), single(lexicon.get("negative"))


def may_add(tokens: list[tuple[str, int, tuple | None]], text: str, written: set[str] | None = None) -> bool:
    """Whether the learned model may add a flag to a post the group layer found nothing in (see module doc).

    ``written`` are the words as written (lower case): a group word must be one of them, not a reading of a
    typo ("never" is not "neger"), the post must be Dutch, and not only praise ("transpersonen zijn moedig":
    positive words of the sentiment lexicon and no negative one)."""
    present = {entry[0] for _, _, entry in tokens if entry}
    words = {word for word, _, _ in tokens}
    if written is not None:
        named = {word for word, _, entry in tokens if entry and entry[0] in ("group", "gadj")}
        as_written = any(all(any(part in word for word in written) for part in name.split()) for name in named)
        if not as_written or not written & _DUTCH:  # "moslimvrouwen" holds "moslim"; "never" no "neger"
            return False
        positive, negative = sentiment_words()
        if written & positive and not written & negative:
            return False
    return (bool(present & {"group", "gadj"}) and not words & _BENIGN_WORDS
            and not present & {"report", "condemn", "denied"} and '"' not in text)


def char_wb_grams(text: str, low: int, high: int) -> list[str]:
    """Character n-grams inside word boundaries, padded with a space (as scikit-learn's ``char_wb``)."""
    grams = []
    for word in text.split():
        word = f" {word} "
        for n in range(low, high + 1):
            offset = 0
            grams.append(word[:n])
            while offset + n < len(word):
                offset += 1
                grams.append(word[offset:offset + n])
            if offset == 0:  # a word shorter than n counts once
                break
    return grams


def word_grams(text: str, low: int, high: int) -> list[str]:
    """Word n-grams of tokens of two or more word characters (as scikit-learn's default analyzer)."""
    tokens = _WORD_TOKEN.findall(text)
    grams = []
    for n in range(low, high + 1):
        grams += [" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]
    return grams


class LearnedFlag:
    """Logistic regression over tf-idf n-grams, read from ``resources/abuse_model.json``.

    The file holds ``threshold``, ``intercept`` and per feature block (``chars``, ``words``) its
    n-gram range and ``{gram: [idf, weight]}``; each block is l2-normalised on its own, with
    sublinear term frequency, as the training script's vectorisers do.
    """

    def __init__(self, model: dict):
        self.threshold = float(model["threshold"])
        self.intercept = float(model["intercept"])
        self.blocks = [(block["analyzer"], int(block["low"]), int(block["high"]), block["features"])
                       for block in model["blocks"]]

    @classmethod
    def load(cls, path: Path | None = None) -> LearnedFlag | None:
        """The packaged model (or the one at ``path``); None when the packaged file is absent."""
        try:
            text = Path(path).read_text("utf-8") if path else resource_path_text(MODEL_FILE)
        except FileNotFoundError:
            if path:
                raise
            return None
        try:
            return cls(json.loads(text))
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{path or MODEL_FILE}: not an abuse model ({error})") from None

    def chance(self, text: str) -> float:
        """Probability that the (masked, lower-case) text is abusive."""
        score = self.intercept
        for analyzer, low, high, features in self.blocks:
            grams = char_wb_grams(text, low, high) if analyzer == "char_wb" else word_grams(text, low, high)
            weighted, norm = 0.0, 0.0
            for gram, count in Counter(grams).items():
                feature = features.get(gram)
                if feature is None:
                    continue
                value = (1.0 + math.log(count)) * feature[0]
                norm += value * value
                weighted += value * feature[1]
            if norm:
                score += weighted / math.sqrt(norm)
        return 1.0 / (1.0 + math.exp(-score))

    def flags(self, text: str) -> bool:
        """Whether the chance is above the model's threshold."""
        return self.chance(text) > self.threshold
