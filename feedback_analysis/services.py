"""Which municipal service a post is about: words and compounds matched against a YAML taxonomy.

:class:`ServiceTaxonomy` holds the services (id, Dutch and English label, weighted terms). The default
taxonomy for a Flemish municipality is ``resources/services.yaml``; a municipality *extends* it with a
YAML file of the same shape (its street names, the name of its recycling park, its teams): terms are
added to the defaults, never replacing them, and new service ids may be added. See the comments at the
top of the YAML file for the format and the routing decisions (GAS-boete, parkeerboete, sewers ...).

:class:`ServiceRouter` (fit / transform) routes texts; :func:`tag_services` adds its columns to a
posts table. For every text it returns

* ``service``: the main service id, or ``''`` when no service is meant or the confidence is too low;
* ``services``: every service with real evidence, main one first, joined by ``;``;
* ``service_confidence`` in ``[0, 1]``;
* ``service_review``: a service was detected but the confidence is below the threshold (default 0.4,
  as in Amsterdam's Signalen), so a person should decide;
* ``service_terms``: the words that matched, per service, to explain the choice.

How words match. A word of a text is looked up by its form, its lemma (``simplemma``), the Snowball
Dutch stems of both (words of 6 letters or more) and without a plural ``-s``; a term by its form and
stem. So "geparkeerd", "parkeert" and "parkeren" meet, and "bomen" finds "boom". A word that is no term
is read as a Dutch compound: its head ("restafval|zakken", "Kasteel|park") and its modifier
("fietspad|herstel", "parkeer|boete", with a linking -s- or -en-) are looked up when the term part
has at least 4 letters and the rest is a word too (in simplemma's dictionary or the taxonomy), so
"smaakte" does not hide "akte" and "klassiek" no "klas". Hyphenated words ("pmd-zakken", "GAS-boete")
are tried whole, then part by part; diminutives lose their ending ("zakjes" -> "zak"). Street names
("Schoolstraat", "Molenhoek") are not split. Multi-word terms ("blauwe zone") match consecutive words.
French and English terms (the ``foreign`` lists) and terms written ``=word`` match whole words only.

How confidence is computed. Each matched term adds its weight (strong 2, normal 1, weak 0.5) to its
service, once per term; a compound's modifier counts 0.8 of it. Then:

* a word after a place or time preposition ("op de stoep", "bij de vuilbakken", "sinds die
  sluikstort") says where or when, not what: it counts half when the post also names a subject
  ("hondenpoep op de stoep" is dieren);
* when several services compete, the first thing named counts 1.25 times: short reports name their
  subject first ("meeuwen pikken de vuilniszakken open");
* ``together`` rules add evidence when two words co-occur ("auto" + "fietspad" is parking);
* a ``fallback`` service (dienstverlening: loket, openingsuren, afspraak) counts 0.4 of its evidence
  when a specific service has at least a normal term's worth ("loket burgerzaken" is burgerzaken).

``confidence = top / (sum of all services' evidence + PRIOR)``, ``PRIOR = 0.8``: the share of the
evidence that supports the chosen service, where the prior stands for the evidence a text needs before
it is about any service at all. One strong term alone gives 0.71, one normal term 0.56, one weak term
0.38 (review). Against a competing service: strong named first vs normal 0.58, normal first vs strong
0.49, normal vs normal 0.41, strong vs strong 0.47, weak vs weak 0.32 (review); every extra term of the
winner raises it, every extra service lowers it. When the two best services still have equal evidence
(one word that points to both), the confidence is capped at ``top / (2 * (top + PRIOR))``, below the
threshold: a tie cannot name one service.
``services`` lists the main service and every other with at least 0.5 evidence and 35 % of the main one.

Placeholders from the masking stage (``[PHONE]``, ``[URL:gent.be]``), links and @mentions are ignored.

A learned fallback. Short texts (reports, not reviews) the rules leave without a service, or send to
review, are given to :class:`~feedback_analysis.services_model.ServiceModel`, a character n-gram
classifier trained at start-up on the taxonomy's terms and the team's example reports. Its answer is
kept when its probability is at least 0.5 (0.8 when the rules found no service word at all); the
probability is then the confidence and ``service_terms`` ends with ``<service>: model <probability>``.
``ServiceRouter(model=None)`` routes by the rules alone.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import simplemma
import yaml
from stop_words import get_stop_words

DEFAULT_TAXONOMY = "resources/services.yaml"
OUTPUT_COLUMNS = ("service", "services", "service_confidence", "service_review", "service_terms")
DEFAULT_THRESHOLD = 0.4
DEFAULT_WEIGHTS = {"strong": 2.0, "normal": 1.0, "weak": 0.5}
# YAML list -> weight name. `foreign` holds French and English words, matched as whole words only.
WEIGHT_LISTS = {"strong": "strong", "terms": "normal", "weak": "weak", "foreign": "strong"}

# The scorer's constants (see the module docstring).
PRIOR = 0.8              # evidence a text needs before it is about a service at all
PLACE_FACTOR = 0.5       # a word after a place or time preposition, when the post also names a subject
FIRST_BONUS = 1.25       # between competing services, the first one named is usually the subject
MIN_SPECIFIC = 1.0       # evidence of a specific service that makes a fallback service step back
FALLBACK_FACTOR = 0.4    # a fallback service (dienstverlening) next to a specific one
MODIFIER_FACTOR = 0.8    # the first part of a compound: "fietspad|herstel"
SECONDARY_SHARE = 0.35   # a service is listed in `services` from this share of the main one ...
MIN_LISTED = 0.5         # ... and with at least a weak term's worth of evidence
MIN_PART = 4             # letters of a term found inside a compound
MIN_REST = 3             # letters left over in the compound
MIN_STEMMED = 6          # shorter words are matched by form and lemma only
LONG_HEAD = 6            # a compound head this long needs no known modifier ("Jozefs|school")
PLACE_WINDOW = 3         # content words after a place preposition that may be "the place"
CACHE_LIMIT = 300_000    # word analyses kept in memory

# Masked placeholders ([NAME], [URL:gent.be]), links, e-mail addresses and mentions carry no service.
_IGNORE_RE = re.compile(r"\[[A-Z][A-Z_]*(?::[^\]\s]*)?\]|https?://\S+|www\.\S+|\S+@\S+\.\w+|@\w+")
_TOKEN_RE = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_SERVICE_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_VOWELS = frozenset("aeiouy")
# Words after these say where or when, not what: "op de stoep", "in het park", "sinds die sluikstort".
_CONTEXT_WORDS = frozenset(
    "in op bij aan naast achter langs tegenover rond rondom nabij vlakbij onder tussen thv door over tegen "
    "na tijdens sinds sedert dans devant pres sur near outside at on".split())
# Between a place and a further place: "op de gevel van de bibliotheek".
_CONNECTORS = frozenset("van der des du of".split())
# A compound ending in one of these is a street or place name ("Schoolstraat"), not a service word.
_STREET_HEADS = ("straat", "laan", "plein", "dreef", "steenweg", "kaai", "wijk", "hoek", "lei")
_DIMINUTIVES = ("etjes", "etje", "tjes", "tje", "pjes", "pje", "jes", "je")
_VERBAL_NOUN_ENDINGS = ("ing", "heid")
_SERVICE_KEYS = {"label", "strong", "terms", "weak", "foreign", "together", "fallback", "drop"}
_TOP_KEYS = {"weights", "ignore", "services"}

# Function words are never service words, and a term's stem must not become one ("bijen" -> "bij").
# French function words are listed by hand: the full French list holds Dutch words ("vos", "plein").
_STOP_WORDS = frozenset(get_stop_words("dutch")) | frozenset(
    "ge gij da gy hé he ni nie nen ne k der den ten ter t le la les du des un une et au aux pour par avec ce cette "
    "est sont pas qui que il elle nous vous ils je tu se sa son ses mon ma mes ton leur leurs l d n s c j m "
    "qu".split())


class TaxonomyError(ValueError):
    """A taxonomy file cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Term:
    """A word or phrase that points to a service. ``literal`` terms match only their exact form."""

    text: str
    weight: float
    literal: bool = False


@dataclass(frozen=True)
class Together:
    """Evidence for a service when a word of ``words`` and a word of ``with_words`` occur in one post."""

    words: tuple[str, ...]
    with_words: tuple[str, ...]
    weight: float


@dataclass(frozen=True)
class Service:
    """One municipal service: its id, labels for reports, and the terms that point to it."""

    id: str
    label_nl: str
    label_en: str
    terms: tuple[Term, ...]
    together: tuple[Together, ...] = ()
    fallback: bool = False


# -- word normalisation ------------------------------------------------------------------------------

@lru_cache(maxsize=100_000)
def _fold(word: str) -> str:
    """Lower case without accents: "café" -> "cafe", "financiële" -> "financiele"."""
    word = word.lower()
    if word.isascii():
        return word
    return "".join(ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch))


@lru_cache(maxsize=1)
def _stemmer():
    # Imported on first use: importing nltk takes over a second (it loads scipy).
    from nltk.stem.snowball import SnowballStemmer

    return SnowballStemmer("dutch")


@lru_cache(maxsize=100_000)
def _stem(word: str) -> str:
    return _stemmer().stem(word)


@lru_cache(maxsize=100_000)
def _lemma(word: str) -> str:
    # simplemma writes separable verbs with an underscore ("op_halen").
    return simplemma.lemmatize(word, lang="nl").lower().replace("_", "")


def _stems(*words: str) -> set[str]:
    # Short words are not stemmed: the stemmer undoubles vowels, so "gaat" would become "gat" (a hole);
    # the lemma already joins short inflected forms ("bomen" -> "boom").
    return {_stem(word) for word in words if len(word) >= MIN_STEMMED}


@lru_cache(maxsize=100_000)
def _word_keys(word: str) -> tuple[str, ...]:
    """The forms under which a word of a text is looked up: its form, its lemma, the stems of both,
    the form without a plural -en (also when the dictionary does not know the word) or -s.

    The form comes first and the rest is sorted: when two terms of a service match one word, the one
    kept must not depend on the process's string hashing (``service_terms`` and the confidence would
    change from run to run)."""
    form = _fold(word)
    lemma = _fold(_lemma(word.lower()))
    keys = {form, lemma, *_stems(form, lemma), _verb_stem(form)}  # "glasbollen" -> "glasbol"
    if len(form) > 4 and form.endswith("s") and not form.endswith("ss"):
        keys.add(form[:-1])
    keys.discard(form)
    return (form, *sorted(key for key in keys if key)) if form else tuple(sorted(key for key in keys if key))


def _term_keys(word: str) -> frozenset[str]:
    """The forms under which a term is indexed: its form and stem (and without a plural -s).

    Not its lemma: a term's lemma can be another word ("sloot" -> "sluiten"), whereas a text word's
    lemma is how inflected forms ("geparkeerd" -> "parkeren") reach the term.
    """
    form = _fold(word)
    if form.endswith(_VERBAL_NOUN_ENDINGS):
        # The stem of "verzorging" or "voorstelling" is a verb ("verzorgd", "voorstelde"): use the plural.
        keys = {form, form + "en" if form.endswith("ing") else form[:-4] + "heden"}
    else:
        keys = {form, *_stems(form)}
    if len(form) > 4 and form.endswith("s") and not form.endswith("ss"):
        keys.add(form[:-1])
    return frozenset(key for key in keys if key == form or (len(key) >= 3 and key not in _STOP_WORDS))


def _canon(word: str) -> str:
    """One key per word, for phrases: the stem of the lemma."""
    return _stem(_fold(_lemma(word.lower())))


def _verb_stem(form: str) -> str:
    """The stem a Dutch verb or plural uses in compounds: parkeren -> parkeer, zwemmen -> zwem, ratten -> rat."""
    if len(form) < 5 or not form.endswith("en"):
        return ""
    rest = form[:-2]
    if len(rest) >= 2 and rest[-1] == rest[-2] and rest[-1] not in _VOWELS:
        return rest[:-1]
    if len(rest) >= 3 and rest[-1] not in _VOWELS and rest[-2] in "aeou" and rest[-3] not in _VOWELS:
        return rest[:-1] + rest[-2] + rest[-1]
    return rest


def _tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text.lower())


# -- the taxonomy ------------------------------------------------------------------------------------

def _read_yaml(path: Path | None) -> dict:
    if path is None:
        source = DEFAULT_TAXONOMY
        text = resources.files("feedback_analysis").joinpath(DEFAULT_TAXONOMY).read_text("utf-8")
    else:
        source = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise TaxonomyError(f"{source}: cannot read taxonomy ({exc})") from exc
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise TaxonomyError(f"{source}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise TaxonomyError(f"{source}: a taxonomy is a mapping with a 'services' key, got {type(data).__name__}")
    return data


def _word_list(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise TaxonomyError(f"{where}: expected a list of words, got {type(value).__name__}")
    words = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, (str, int, float)) or not str(item).strip():
            raise TaxonomyError(f"{where}: every entry must be a non-empty word or phrase, got {item!r}")
        words.append(str(item).strip())
    return words


def _term_items(value: Any, weights: dict[str, float], where: str, default: float) -> list[tuple[str, float]]:
    """A term list: words or phrases, or one-entry mappings ``{word: weight}`` (a number or strong/normal/weak)."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise TaxonomyError(f"{where}: expected a list of words, got {type(value).__name__}")
    items = []
    for item in value:
        if isinstance(item, dict):
            if len(item) != 1:
                raise TaxonomyError(f"{where}: a weighted term is one entry {{word: weight}}, got {item!r}")
            (word, weight), = item.items()
            if isinstance(weight, str) and weight in weights:
                weight = weights[weight]
            if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight <= 0:
                raise TaxonomyError(f"{where}: weight of {word!r} must be a positive number or "
                                    f"{'/'.join(weights)}, got {weight!r}")
            items.extend((text, float(weight)) for text in _word_list([word], where))
        else:
            items.extend((text, default) for text in _word_list([item], where))
    return items


def _check_keys(mapping: Mapping, allowed: set[str], where: str) -> None:
    unknown = sorted(set(mapping) - allowed)
    if unknown:
        raise TaxonomyError(f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}")


def _item_text(item: Any) -> str:
    return str(next(iter(item))) if isinstance(item, dict) and item else str(item)


def _merge(base: dict, extra: dict, source: str) -> dict:
    """Add a municipality's taxonomy to the default one: lists grow, labels and flags may change."""
    _check_keys(extra, {"ignore", "services"}, source)
    merged = {"weights": dict(base.get("weights") or {}),
              "ignore": list(base.get("ignore") or []) + _word_list(extra.get("ignore"), f"{source}: ignore"),
              "services": {sid: dict(spec) for sid, spec in (base.get("services") or {}).items()}}
    services = extra.get("services") or {}
    if not isinstance(services, dict):
        raise TaxonomyError(f"{source}: 'services' must map service ids to their terms")
    for sid, spec in services.items():
        where = f"{source}: services.{sid}"
        spec = spec or {}
        if not isinstance(spec, dict):
            raise TaxonomyError(f"{where}: expected a mapping (label, strong, terms, weak, ...)")
        _check_keys(spec, _SERVICE_KEYS, where)
        target = merged["services"].setdefault(str(sid), {})
        drop = {_fold(word).lstrip("=") for word in _word_list(spec.get("drop"), f"{where}.drop")}
        for key in ("strong", "terms", "weak", "foreign"):
            kept = [item for item in (target.get(key) or []) if _fold(_item_text(item)).lstrip("=") not in drop]
            added = spec.get(key) or []
            if not isinstance(added, list):
                raise TaxonomyError(f"{where}.{key}: expected a list of words, got {type(added).__name__}")
            target[key] = kept + added
        target["together"] = list(target.get("together") or []) + list(spec.get("together") or [])
        if "label" in spec:
            if not isinstance(spec["label"], dict):
                raise TaxonomyError(f"{where}.label: expected {{nl: ..., en: ...}}")
            target["label"] = {**(target.get("label") or {}), **spec["label"]}
        if "fallback" in spec:
            target["fallback"] = spec["fallback"]
    return merged


def _parse_together(value: Any, weights: dict[str, float], where: str) -> tuple[Together, ...]:
    if not isinstance(value, list):
        raise TaxonomyError(f"{where}: expected a list of {{words: [...], with: [...]}}")
    rules = []
    for i, rule in enumerate(value):
        spot = f"{where}[{i}]"
        if not isinstance(rule, dict):
            raise TaxonomyError(f"{spot}: expected {{words: [...], with: [...], weight: strong|normal|weak}}")
        _check_keys(rule, {"words", "with", "weight"}, spot)
        words, with_words = _word_list(rule.get("words"), f"{spot}.words"), _word_list(rule.get("with"), f"{spot}.with")
        if not words or not with_words:
            raise TaxonomyError(f"{spot}: both 'words' and 'with' need at least one word")
        if any(len(_tokens(w)) != 1 for w in words + with_words):
            raise TaxonomyError(f"{spot}: 'together' lists take single words, not phrases")
        weight = rule.get("weight", "strong")
        if isinstance(weight, str) and weight in weights:
            weight = weights[weight]
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight <= 0:
            raise TaxonomyError(f"{spot}.weight: must be a positive number or one of {', '.join(weights)}, "
                                f"got {weight!r}")
        rules.append(Together(tuple(words), tuple(with_words), float(weight)))
    return tuple(rules)


def _parse_service(sid: str, spec: Any, weights: dict[str, float], source: str) -> Service:
    where = f"{source}: services.{sid}"
    if not _SERVICE_ID_RE.match(sid):
        raise TaxonomyError(f"{where}: a service id is lower case letters, digits and '_' (like 'vrije_tijd')")
    if not isinstance(spec, dict):
        raise TaxonomyError(f"{where}: expected a mapping (label, strong, terms, weak, ...)")
    _check_keys(spec, _SERVICE_KEYS, where)
    label = spec.get("label")
    if isinstance(label, dict):
        # A comma inside an unquoted flow label ({nl: Groen, parken}) would silently add keys.
        _check_keys(label, {"nl", "en"}, f"{where}.label (quote a label that contains a comma)")
    if not isinstance(label, dict) or not all(isinstance(label.get(lang), str) and label[lang].strip()
                                              for lang in ("nl", "en")):
        raise TaxonomyError(f"{where}: needs a label with both languages, e.g. label: {{nl: Markten, en: Markets}}")
    best: dict[str, Term] = {}
    for key, weight_name in WEIGHT_LISTS.items():
        for word, weight in _term_items(spec.get(key), weights, f"{where}.{key}", weights[weight_name]):
            literal = word.startswith("=") or key == "foreign"
            text = word.lstrip("=").strip()
            if not _tokens(text):
                raise TaxonomyError(f"{where}.{key}: {word!r} has no letters or digits")
            term = Term(text, weight, literal)
            known = best.get(_fold(word))
            if known is None or known.weight < term.weight:
                best[_fold(word)] = term
    if not best:
        raise TaxonomyError(f"{where}: has no terms (strong, terms or weak)")
    together = _parse_together(spec.get("together") or [], weights, f"{where}.together")
    return Service(sid, label["nl"].strip(), label["en"].strip(), tuple(best.values()), together,
                   bool(spec.get("fallback", False)))


class ServiceTaxonomy:
    """The services a post can be routed to, with their labels and weighted terms.

    ``ServiceTaxonomy.load()`` reads the packaged default; ``load(extra_path)`` adds a municipality's
    own YAML file of the same shape to it.
    """

    def __init__(self, services: Iterable[Service], ignore: Iterable[str] = ()):
        self.services: dict[str, Service] = {}
        for service in services:
            if service.id in self.services:
                raise TaxonomyError(f"service id {service.id!r} appears twice")
            self.services[service.id] = service
        self.ignore = frozenset(_fold(word) for word in ignore)

    @classmethod
    def load(cls, extra_path: Path | str | None = None) -> ServiceTaxonomy:
        """The packaged default taxonomy, extended with the municipality's YAML file at ``extra_path``."""
        data = _read_yaml(None)
        source = DEFAULT_TAXONOMY
        if extra_path is not None:
            source = str(extra_path)
            data = _merge(data, _read_yaml(Path(extra_path)), source)
        return cls.from_mapping(data, source)

    @classmethod
    def from_mapping(cls, data: Mapping, source: str = "taxonomy") -> ServiceTaxonomy:
        """Build a taxonomy from an already loaded mapping (the YAML structure)."""
        _check_keys(data, _TOP_KEYS, source)
        weights = {**DEFAULT_WEIGHTS, **(data.get("weights") or {})}
        if set(weights) != set(DEFAULT_WEIGHTS) or not all(
                isinstance(v, (int, float)) and v > 0 for v in weights.values()):
            raise TaxonomyError(f"{source}: weights are strong, normal and weak, each a positive number")
        services = data.get("services")
        if not isinstance(services, dict) or not services:
            raise TaxonomyError(f"{source}: 'services' must map service ids to their labels and terms")
        parsed = [_parse_service(str(sid), spec, weights, source) for sid, spec in services.items()]
        return cls(parsed, _word_list(data.get("ignore"), f"{source}: ignore"))

    @property
    def ids(self) -> list[str]:
        return list(self.services)

    def label(self, service_id: str, lang: str = "nl") -> str:
        """The report label of a service in ``nl`` or ``en``; '' for no service."""
        if not service_id:
            return ""
        service = self.services[service_id]
        if lang == "nl":
            return service.label_nl
        if lang == "en":
            return service.label_en
        raise ValueError(f"label language must be 'nl' or 'en', got {lang!r}")

    def __contains__(self, service_id: object) -> bool:
        return service_id in self.services

    def __len__(self) -> int:
        return len(self.services)

    def __repr__(self) -> str:
        return f"ServiceTaxonomy({len(self.services)} services: {', '.join(self.services)})"


# -- matching -----------------------------------------------------------------------------------------

# Roles of a word for the place window; a capitalised unknown word after a preposition is the place's name.
_CONTENT, _CONTEXT, _CONNECTOR, _FUNCTION, _NAME = range(5)
# A word's analysis: phrase key, matches ((service index, weight, term), ...), together-groups, role.
_Analysis = tuple[str, tuple[tuple[int, float, str], ...], frozenset[int], int, bool]


class _Matcher:
    """Indexes of a taxonomy's terms, and the per-word analysis cache."""

    def __init__(self, taxonomy: ServiceTaxonomy):
        self.ids = taxonomy.ids
        self.fallback = [taxonomy.services[sid].fallback for sid in self.ids]
        self.ignore = taxonomy.ignore
        self.single: dict[str, dict[int, tuple[float, str]]] = {}
        self.literal: dict[str, dict[int, tuple[float, str]]] = {}
        self.modifier: dict[str, dict[int, tuple[float, str]]] = {}
        self.heads: dict[str, dict[int, tuple[float, str]]] = {}
        phrases: dict[str, dict[tuple[str, ...], dict[int, tuple[float, str]]]] = {}
        self.groups: dict[str, set[int]] = {}
        self.rules: list[tuple[int, int, int, float]] = []  # (group a, group b, service index, weight)
        self._group_count = 0
        for index, sid in enumerate(self.ids):
            service = taxonomy.services[sid]
            for term in service.terms:
                words = _tokens(term.text)
                if len(words) > 1:
                    key = tuple(_canon(word.replace("-", "")) for word in words)
                    _keep(phrases.setdefault(key[0], {}).setdefault(key, {}), index, term)
                elif term.literal:
                    _keep(self.literal.setdefault(_fold(words[0].replace("-", "")), {}), index, term)
                else:
                    self._index_word(words[0].replace("-", ""), index, term)
            for rule in service.together:
                first, second = self._group(rule.words), self._group(rule.with_words)
                self.rules.append((first, second, index, rule.weight))
        # Longest phrases first, so "lagere school" wins over a shorter phrase with the same start.
        self.phrases = {first: sorted(((key, tuple(hits.items())) for key, hits in by_key.items()),
                                      key=lambda item: -len(item[0]))
                        for first, by_key in phrases.items()}
        self.cache: dict[str, _Analysis] = {}

    def _index_word(self, word: str, index: int, term: Term) -> None:
        for key in _term_keys(word):
            _keep(self.single.setdefault(key, {}), index, term)
        form = _fold(word)
        # A compound's head is compared by its real forms (a stem such as "veren" from "vereniging"
        # would be found inside "reserveren"); its modifier also by the verb stem ("parkeer").
        if len(form) >= MIN_PART:
            _keep(self.heads.setdefault(form, {}), index, term)
        for key in {form, _stem(form), _verb_stem(form)}:
            if len(key) >= MIN_PART and key not in _STOP_WORDS:
                _keep(self.modifier.setdefault(key, {}), index, term)

    def _group(self, words: tuple[str, ...]) -> int:
        """Register a word list of a ``together`` rule; returns its group number."""
        group = self._group_count
        self._group_count += 1
        for word in words:
            for key in _word_keys(word.replace("-", "")):
                self.groups.setdefault(key, set()).add(group)
        return group

    # -- one word ---------------------------------------------------------------------------------
    def analyse(self, original: str) -> _Analysis:
        """Analyse one word as written (its case only tells a name from a common word)."""
        token = original.lower()
        joined = token.replace("-", "")
        form = _fold(joined)
        groups: set[int] = set()
        for key in _word_keys(joined):
            groups.update(self.groups.get(key, ()))
        matches: dict[int, tuple[float, str]] = {}
        if form not in self.ignore and form not in _STOP_WORDS:
            self._exact(joined, matches)
            if not matches and "-" in token:
                for part in token.split("-"):
                    if len(part) >= 2 and _fold(part) not in self.ignore:
                        found: dict[int, tuple[float, str]] = {}
                        self._exact(part, found) or self._compound(part, found)
                        for index, (weight, term) in found.items():
                            _keep_best(matches, index, weight, term)
            elif not matches:
                self._compound(joined, matches)
            if not matches:
                for ending in _DIMINUTIVES:
                    if form.endswith(ending) and len(form) - len(ending) >= 3:
                        base = form[: -len(ending)]
                        if self._exact(base, matches) or self._compound(base, matches):
                            break
        role = (_CONTEXT if form in _CONTEXT_WORDS else _CONNECTOR if form in _CONNECTORS
                else _FUNCTION if form in _STOP_WORDS else _NAME if original[:1].isupper() else _CONTENT)
        canon = _canon(joined)
        # "active": the word can add evidence (a term, a `together` word or a phrase's first word).
        active = bool(matches) or bool(groups) or canon in self.phrases
        result = (canon, tuple((i, w, t) for i, (w, t) in matches.items()), frozenset(groups), role, active)
        if len(self.cache) >= CACHE_LIMIT:
            self.cache.clear()
        self.cache[original] = result
        return result

    def _exact(self, word: str, out: dict[int, tuple[float, str]]) -> bool:
        found = False
        for key in _word_keys(word):
            for index, (weight, term) in self.single.get(key, {}).items():
                _keep_best(out, index, weight, term)
                found = True
        form = _fold(word)
        for key in (form, form[:-1] if form.endswith(("s", "x")) else ""):
            for index, (weight, term) in self.literal.get(key, {}).items():
                _keep_best(out, index, weight, term)
                found = True
        return found

    def _compound(self, word: str, out: dict[int, tuple[float, str]]) -> bool:
        """Look up the head and the modifier of a Dutch compound; False when it is not one."""
        form = _fold(word)
        if len(form) < MIN_PART + MIN_REST or not form.isalpha():
            return False
        if any(form.endswith(head) and len(form) > len(head) + 2 for head in _STREET_HEADS):
            return False  # a street or place name such as "Schoolstraat" or "Molenhoek"
        found = False
        for candidate in dict.fromkeys((form, _stem(form), _fold(_lemma(word)))):
            hit = next((candidate[i:] for i in range(MIN_REST, len(candidate) - MIN_PART + 1)
                        if candidate[i:] in self.heads
                        and (len(candidate) - i >= LONG_HEAD or self._is_word(candidate[:i], modifier=True))), None)
            if hit:
                for index, (weight, term) in self.heads[hit].items():
                    _keep_best(out, index, weight, term)
                found = True
                break
        for end in range(len(form) - MIN_REST, MIN_PART - 1, -1):
            prefix = form[:end]
            options = [prefix]  # with its linking -s- or -en- ("verkeers|bord", "honden|poep") or without
            if prefix.endswith("en"):
                options.append(prefix[:-2])
            elif prefix.endswith("s"):
                options.append(prefix[:-1])
            key = next((option for option in options if len(option) >= MIN_PART and option in self.modifier), None)
            if key and self._is_word(form[end:], modifier=False):
                for index, (weight, term) in self.modifier[key].items():
                    _keep_best(out, index, weight * MODIFIER_FACTOR, term)
                found = True
                break
        return found


    def _is_word(self, part: str, modifier: bool) -> bool:
        """Whether the rest of a compound is a word, so the split is real: "kasteel|park", not "gema|akte"."""
        # Before a short head, a 3-letter rest is too often a fragment ("sma|akte" in "smaakte").
        if len(part) < (MIN_PART if modifier else MIN_REST) or part in _STOP_WORDS:
            return False
        options = [part]
        if modifier and part.endswith("en"):
            options.append(part[:-2])
        elif modifier and part.endswith("s"):
            options.append(part[:-1])
        return any(option in self.single or option in self.modifier or _is_known(option)
                   for option in options if len(option) >= MIN_REST)


@lru_cache(maxsize=1)
def _dutch_dictionary():
    # simplemma.is_known takes about a millisecond per call; a lookup in its (cached) Dutch dictionary
    # takes well under one. Other simplemma versions fall back to the public function.
    try:
        from simplemma.strategies.dictionaries.dictionary_factory import DEFAULT_DICTIONARY_FACTORY

        return DEFAULT_DICTIONARY_FACTORY.get_dictionary("nl")
    except (ImportError, AttributeError):
        return None


@lru_cache(maxsize=100_000)
def _is_known(word: str) -> bool:
    """Whether simplemma's Dutch dictionary knows the word (any inflected form)."""
    dictionary = _dutch_dictionary()
    if dictionary is None:
        return simplemma.is_known(word, lang="nl")
    return dictionary.get(word) is not None or dictionary.get(word.capitalize()) is not None


def _keep(bucket: dict[int, tuple[float, str]], index: int, term: Term) -> None:
    _keep_best(bucket, index, term.weight, term.text)


def _keep_best(bucket: dict[int, tuple[float, str]], index: int, weight: float, term: str) -> None:
    known = bucket.get(index)
    if known is None or known[0] < weight:
        bucket[index] = (weight, term)


# -- the router ---------------------------------------------------------------------------------------

_EMPTY = ("", "", 0.0, False, "")


class ServiceRouter:
    """Routes texts to services. fit / transform shape; ``fit`` is a no-op for now.

    ``threshold``: below this confidence a post gets no main ``service`` and ``service_review`` is True.
    ``model``: a learned fallback (:class:`~feedback_analysis.services_model.ServiceModel`) asked about
    short texts the rules leave without a service; ``"default"`` is the packaged one, ``None`` none.
    Its answers say ``<service>: model <probability>`` in ``service_terms``.
    """

    def __init__(self, taxonomy: ServiceTaxonomy | None = None, threshold: float = DEFAULT_THRESHOLD,
                 model: Any = "default"):
        if not 0.0 <= threshold <= 1.0:
            raise ValueError(f"threshold must be in [0, 1], got {threshold}")
        self.taxonomy = taxonomy if taxonomy is not None else default_taxonomy()
        self.threshold = threshold
        self._matcher = _Matcher(self.taxonomy)
        if isinstance(model, str) and model == "default":
            from feedback_analysis.services_model import default_model

            model = default_model()
        self.model = model

    def fit(self, texts: Iterable[str] | None = None, labels: Iterable[str] | None = None) -> ServiceRouter:
        """Nothing to learn yet; later, analysts' labelled rows may tune weights or train a model."""
        return self

    def transform(self, texts: Iterable[str]) -> pd.DataFrame:
        """One row per text with the columns ``OUTPUT_COLUMNS``, in the order of ``texts``."""
        texts = list(texts)
        rows = [self._route(text) for text in texts]
        if self.model is not None:
            self._ask_model(texts, rows)
        frame = pd.DataFrame(rows, columns=list(OUTPUT_COLUMNS))
        if not rows:
            frame = frame.astype({"service": object, "services": object, "service_terms": object})
        return frame.astype({"service_confidence": "float64", "service_review": "bool"})

    def route_text(self, text: str) -> dict:
        """The output columns for one text, as a dict."""
        return self.transform([text]).iloc[0].to_dict()

    def _ask_model(self, texts: list, rows: list) -> None:
        """Give the model's service to short texts the rules left without one (rows are replaced in place)."""
        from feedback_analysis.services_model import MAX_CHARS, MIN_PROBABILITY, MIN_PROBABILITY_UNSEEN

        asked = [i for i, (text, row) in enumerate(zip(texts, rows))
                 if not row[0] and isinstance(text, str) and len(text) <= MAX_CHARS
                 and _TOKEN_RE.search(_IGNORE_RE.sub(" ", text))]
        if not asked:
            return
        labels, probabilities = self.model.predict([texts[i] for i in asked])
        for i, label, probability in zip(asked, labels, probabilities):
            _, listed, _, _, terms = rows[i]
            # Without any service word the model must be surer: it also reacts to look-alike words.
            needed = MIN_PROBABILITY if listed else MIN_PROBABILITY_UNSEEN
            if label not in self.taxonomy or probability < max(needed, self.threshold):
                continue
            services = ";".join(dict.fromkeys([label, *filter(None, listed.split(";"))]))
            explained = f"{terms}; " if terms else ""
            rows[i] = (label, services, round(float(probability), 3), False,
                       f"{explained}{label}: model {float(probability):.2f}")

    def _route(self, text: Any) -> tuple[str, str, float, bool, str]:
        if not isinstance(text, str):
            if text is None or (isinstance(text, float) and math.isnan(text)):
                return _EMPTY
            text = str(text)
        matcher = self._matcher
        cache = matcher.cache
        if "[" in text or "@" in text or "://" in text or "www." in text:
            text = _IGNORE_RE.sub(" ", text)
        tokens = _TOKEN_RE.findall(text)
        if not tokens:
            return _EMPTY
        infos = [cache.get(token) or matcher.analyse(token) for token in tokens]
        if not any(info[4] for info in infos):
            return _EMPTY
        hits: list[tuple[int, float, str, bool]] = []
        seen: dict[int, int] = {}  # together-group -> position of the first word in it
        window = 0  # content words left that may still be the place after a place preposition
        last_was_place = False
        i, count = 0, len(infos)
        while i < count:
            canon, matches, groups, role, active = infos[i]
            size, found = 1, matches
            if active:
                for group in groups:
                    seen.setdefault(group, i)
                for key, phrase_hits in matcher.phrases.get(canon, ()):
                    if i + len(key) <= count and all(infos[i + j][0] == key[j] for j in range(1, len(key))):
                        size, found = len(key), tuple((index, w, t) for index, (w, t) in phrase_hits)
                        for j in range(1, size):
                            for group in infos[i + j][2]:
                                seen.setdefault(group, i + j)
                        break
            if found:
                place = window > 0
                hits.extend((index, weight, term, place) for index, weight, term in found)
                window, last_was_place = 0, place
            elif role == _CONTEXT:
                window = PLACE_WINDOW
            elif role == _CONNECTOR:
                if last_was_place:
                    window = PLACE_WINDOW
            elif role == _CONTENT:
                last_was_place = False
                if window:
                    window -= 1
            elif role == _NAME:
                last_was_place = window > 0  # "in de Ringlaan" names the place: what follows is not it
                window = 0
            i += size
        rule_hits = [(index, weight, f"{tokens[seen[a]].lower()}+{tokens[seen[b]].lower()}")
                     for a, b, index, weight in matcher.rules if a in seen and b in seen and seen[a] != seen[b]]
        if not hits and not rule_hits:
            return _EMPTY
        return self._decide(hits, rule_hits)

    def _decide(self, hits, rule_hits) -> tuple[str, str, float, bool, str]:
        matcher = self._matcher
        has_subject = any(not place for *_, place in hits) or bool(rule_hits)
        # Between competing services, the first thing a report names is usually its subject.
        competing = len({index for index, *_ in hits} | {index for index, *_ in rule_hits}) > 1
        first = next((term for _, _, term, place in hits if not place), None) if competing else None
        evidence: dict[int, dict[str, float]] = {}
        for index, weight, term, place in hits:
            if place and has_subject:
                weight *= PLACE_FACTOR
            elif term == first:
                weight *= FIRST_BONUS
            terms = evidence.setdefault(index, {})
            if terms.get(term, 0.0) < weight:
                terms[term] = weight
        for index, weight, term in rule_hits:
            terms = evidence.setdefault(index, {})
            terms[term] = max(terms.get(term, 0.0), weight)
        totals = {index: sum(terms.values()) for index, terms in evidence.items()}
        if any(not matcher.fallback[index] and total >= MIN_SPECIFIC for index, total in totals.items()):
            for index in totals:
                if matcher.fallback[index]:
                    totals[index] *= FALLBACK_FACTOR
        ranked = sorted(totals, key=lambda index: (-totals[index], index))
        top = totals[ranked[0]]
        confidence = round(top / (sum(totals.values()) + PRIOR), 3)
        if len(ranked) > 1 and totals[ranked[1]] == top:
            confidence = min(confidence, round(0.5 * top / (top + PRIOR), 3))  # a tie cannot name one service
        listed = [ranked[0]] + [index for index in ranked[1:]
                                if totals[index] >= MIN_LISTED and totals[index] >= SECONDARY_SHARE * top]
        ids = matcher.ids
        main = ids[ranked[0]] if confidence >= self.threshold else ""
        explained = "; ".join(f"{ids[index]}: {', '.join(evidence[index])}" for index in ranked)
        return main, ";".join(ids[index] for index in listed), confidence, not main, explained


@lru_cache(maxsize=1)
def default_taxonomy() -> ServiceTaxonomy:
    """The packaged default taxonomy (read once)."""
    return ServiceTaxonomy.load()


@lru_cache(maxsize=1)
def _default_router() -> ServiceRouter:
    return ServiceRouter()


def tag_services(posts: pd.DataFrame, text_column: str = "text", router: ServiceRouter | None = None) -> pd.DataFrame:
    """A copy of ``posts`` with ``service``, ``services``, ``service_confidence``, ``service_review`` and
    ``service_terms`` added (see the module docstring); rows, order and index are kept."""
    if text_column not in posts.columns:
        raise KeyError(f"posts has no column {text_column!r}")
    router = router if router is not None else _default_router()
    result = router.transform(posts[text_column].tolist())
    tagged = posts.copy()
    for column in OUTPUT_COLUMNS:
        tagged[column] = result[column].to_numpy()
    return tagged
