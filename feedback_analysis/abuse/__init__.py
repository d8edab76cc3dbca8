"""Abusive and threatening posts, flagged for a person to review (never removed automatically).

:func:`flag_abuse` and :meth:`AbuseDetector.transform` add five columns:

* ``abuse``: ``none``, ``offensive`` or ``threat`` (a threat wins over an insult in the same post);
* ``abuse_reason``: what matched, for the reviewer; empty for ``none``;
* ``abuse_action``: the suggested next step from :data:`ESCALATION`, in Dutch or English;
* ``abuse_target``: who is aimed at: ``person``, ``staff`` (of the municipality or others serving the
  public), ``group`` (an identity group) or ``none``;
* ``abuse_group``: for a group, which kind: ``origin``, ``religion``, ``gender``, ``sexuality``,
  ``disability`` or ``other``; empty otherwise.

Two layers read ``resources/abuse_nl.yaml`` (checked by :mod:`.lexicon`): the rule engine of
:mod:`.rules` (insults, slurs, profanity, threats against persons and buildings, negation,
idioms, counter-speech) and the identity-group layer of :mod:`.groups` (derogation, dehumanisation,
emotions, negated positives, exclusion and threats aimed at groups, read through the spelling
normalisation of :mod:`.spelling`). A post is flagged when either layer flags it, unless the group
layer reads it as counter-speech that reports hate to condemn it.

Where a hard complaint ends and abuse begins: words that judge how someone does their work ("wat
een prutsers", "amateurs", "onbeschoft", "incompetent") are a complaint and never flagged; words that
attack what a person is (intelligence, sex, body, origin, humanity or worth) are abuse when aimed at
someone. Profanity not aimed at anyone ("kut, weer regen") is not abuse, nor is a plural insult said of an
institution as a whole ("die klootzakken van de stad laten alles verrotten"), nor violence said of things
("die put moet je opblazen") or in exasperation ("ik ga nog iemand vermoorden als ...").

A call for the death penalty against a person or a group ("X verdienen de doodstraf") is a threat: a
normative call for a death, like "X zouden allemaal ... moeten worden". Calls for prison, fines or expulsion
are not threats (said of an identity group they are exclusion, offensive).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from feedback_analysis.abuse.group_words import EVERYDAY_GROUPS, FIRST_SUBJECTS, WEAPONS
from feedback_analysis.abuse.groups import GroupHate
from feedback_analysis.abuse.learned import LearnedFlag, masked, may_add
from feedback_analysis.abuse.lexicon import DEFAULT_LEXICON, load_lexicon
from feedback_analysis.abuse.rules import ESCALATION, LABELS, RuleDetector, label_texts
from feedback_analysis.abuse.spelling import plain

__all__ = ["AbuseDetector", "ESCALATION", "LABELS", "DEFAULT_LEXICON", "TARGETS", "GROUP_KINDS", "flag_abuse"]

TARGETS = ("none", "person", "staff", "group")
GROUP_KINDS = ("origin", "religion", "gender", "sexuality", "disability", "other")
COLUMNS = ("abuse", "abuse_reason", "abuse_action", "abuse_target", "abuse_group")
_STAFF_PLACES = ("loket", "balie", "onthaal", "stadhuis", "gemeentehuis", "ocmw")
# Someone addressed or singled out: then an insult is aimed at a person, even next to a group word
_PERSONAL = frozenset({"je", "jij", "jou", "u", "ge", "gij", "uw", "jullie", "hij", "hem", "zij", "haar"})


class AbuseDetector:
    """Offensive and threatening posts with a fit / transform interface (see the module doc).

    ``lexicon_path`` replaces the packaged ``resources/abuse_nl.yaml``. ``learned=False`` leaves out the
    learned second opinion of :mod:`.learned` (the rules alone); ``model_path`` replaces its packaged
    ``resources/abuse_model.json``. ``fit`` learns nothing: the model is trained by
    ``benchmarks/train_abuse_model.py``.
    """

    def __init__(self, lexicon_path: Path | None = None, learned: bool = True, model_path: Path | None = None):
        self.lexicon_path = lexicon_path
        config = load_lexicon(lexicon_path)
        self.rules = RuleDetector(lexicon_path, config=config)
        self.groups = GroupHate(config)
        self.learned = LearnedFlag.load(model_path) if learned else None
        self.nonprotected = frozenset(plain(str(w)) for w in config.get("nonprotected_groups") or [])
        self._place_names = tuple(str(w) for w in config.get("place_homonyms") or [])
        places = [re.escape(name) for name in self._place_names]
        # a capital after a lower-case word: a name inside a sentence, not the opening word
        self._places = re.compile(rf"(?<=[a-z,;:] )(?:{'|'.join(places)})\b") if places else None

    def detect(self, text: str) -> tuple[str, str]:
        """(label, reason) of one text: label is none / offensive / threat, reason '' for none."""
        label, reason, _, _ = self.detect_all(text)
        return label, reason

    def detect_all(self, text: str) -> tuple[str, str, str, str]:
        """(label, reason, target, group kind) of one text."""
        if not isinstance(text, str) or not text:
            return "none", "", "none", ""
        if self._places is not None and any(name in text for name in self._place_names) and self._places.search(text):
            text = self._places.sub("Plaats", text)  # "op reis naar Lesbos": a place
        low, words = self.rules._prepare(text)
        label, reason = self.rules.detect_prepared(low, words)
        finding = self.groups.detect(text, words)
        if label == "offensive" and finding is None and self.at_nonprotected_group(words):
            return "none", "", "none", ""
        if finding is not None and finding.label == "none":
            return "none", "", "none", ""
        if finding is not None:
            target, kind = (finding.kind, "") if finding.kind in ("staff", "person") else ("group", finding.kind)
            if LABELS.index(finding.label) >= LABELS.index(label):
                return finding.label, "; ".join(r for r in (finding.reason, reason) if r), target, kind
            return label, "; ".join((reason, finding.reason)), target, kind
        if label == "none":
            return self.second_opinion(text, words) if self.learned is not None else ("none", "", "none", "")
        return (label, reason, *self.target_of(text))

    def at_nonprotected_group(self, words: list[str]) -> bool:
        """Whether an insult is said of a group by profession, hobby or club ("fietsers zijn een plaag"):
        such a group is named, and no one is addressed or singled out ("jij", "hij")."""
        return not self.nonprotected.isdisjoint(words) and _PERSONAL.isdisjoint(words)

    def second_opinion(self, text: str, words: list[str]) -> tuple[str, str, str, str]:
        """The learned model's flag for a post the rules left alone: only where a group is named and
        nothing benign is in view (:func:`.learned.may_add`); otherwise none."""
        if self.groups.last_read != text:  # the group layer read the post only if it names a group or staff
            return "none", "", "none", ""
        tokens = self.groups.read(text)
        if not may_add(tokens, text, set(words)):
            return "none", "", "none", ""
        chance = self.learned.chance(masked(tokens))
        if chance <= self.learned.threshold:
            return "none", "", "none", ""
        target, kind = self.target_of(text)
        named = next((word for word, _, entry in tokens if entry and entry[0] in ("group", "gadj")), "")
        # a violent act in a post worded like abuse of a group is a threat, whatever its frame ("knal die X gewoon")
        armed = not FIRST_SUBJECTS.isdisjoint(word for word, _, _ in tokens)  # "we komen met messen": a weapon brought
        violent = next((entry[2] for _, _, entry in tokens if entry and entry[0] == "violence"
                        and (armed or entry[2] not in WEAPONS)), "")
        label, what = ("threat", f"violence '{violent}' ") if violent else ("offensive", "")
        return (label, f"worded like {what}abuse of group '{named}' (learned model, chance {chance:.2f}; no rule matched)",
                target, kind)

    def target_of(self, text: str) -> tuple[str, str]:
        """(target, group kind) of a flagged text: an identity group named in it (also inside a
        compound: "kutmarokkanen"), else staff, else a person."""
        tokens = self.groups.read(text)
        group = self.groups.group_in(tokens, list(range(len(tokens))))
        if group and group[0] not in ("staff", "person"):
            return "group", group[0]
        staff = "staff" if group and group[0] == "staff" else ""
        for word, _, entry in tokens:
            entry = entry or self._compound_entry(word)
            if entry and entry[0] == "group" and entry[2] not in EVERYDAY_GROUPS:
                return "group", entry[1]
            if entry and entry[0] == "staff":
                staff = "staff"
        adjective = next((entry for _, _, entry in tokens if entry and entry[0] == "gadj"), None)
        if adjective and not staff:
            return "group", adjective[1]  # "trouwen met een zwarte": the adjective as a noun
        if staff or any(place in plain(text) for place in _STAFF_PLACES):
            return "staff", ""
        return "person", ""

    def _compound_entry(self, word: str) -> tuple | None:
        forms = self.groups.vocabulary.forms
        for start in range(1, len(word) - 4):
            entry = forms.get(word[start:])
            if entry and entry[0] in ("group", "staff"):
                return entry
        return None

    def fit(self, texts: Iterable[str] | None = None, labels: Iterable[str] | None = None) -> AbuseDetector:
        """No training: the rules are fixed. Returns self, so the detector fits in a scikit-learn pipeline."""
        return self

    def transform(self, texts: Iterable[str], lang: str = "nl") -> pd.DataFrame:
        """Label texts; returns :data:`COLUMNS` (the action in ``lang``), one row per text.

        A Series keeps its index; other iterables get a 0..n-1 index. Missing texts are ``none``.
        """
        return label_texts(texts, self.detect_all, lang, extra=("abuse_target", "abuse_group"))


_DEFAULT: AbuseDetector | None = None


def _default_detector() -> AbuseDetector:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = AbuseDetector()
    return _DEFAULT


def flag_abuse(posts: pd.DataFrame, text_column: str = "text", detector: AbuseDetector | None = None,
               lang: str = "nl") -> pd.DataFrame:
    """A copy of ``posts`` with :data:`COLUMNS` added; rows and order kept.

    ``abuse_action`` is in Dutch (``lang='nl'``) or English (``lang='en'``).
    """
    if text_column not in posts.columns:
        raise KeyError(f"posts has no column {text_column!r}")
    detector = detector or _default_detector()
    flags = detector.transform(posts[text_column], lang=lang)
    out = posts.copy()
    for column in COLUMNS:
        out[column] = flags[column].to_numpy()
    return out
