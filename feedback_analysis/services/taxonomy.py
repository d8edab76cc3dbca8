"""The service taxonomy: a validated, frozen description of the services and the words that point to them.

The default taxonomy is ``resources/services.yaml``; a municipality extends it with a YAML file of the same
shape (see the comments at the top of that file). Every problem in a taxonomy file, a misspelled key
included, is a :class:`TaxonomyError` whose one-line message names the file and the key.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from feedback_analysis.packaged import load_packaged_yaml
from feedback_analysis.services.words import fold, tokens

DEFAULT_TAXONOMY = "resources/services.yaml"
DEFAULT_WEIGHTS = {"strong": 2.0, "normal": 1.0, "weak": 0.5}
# YAML list -> weight name. `foreign` holds French and English words, matched as whole words only.
WEIGHT_LISTS = {"strong": "strong", "terms": "normal", "weak": "weak", "foreign": "strong"}
_SERVICE_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_SERVICE_KEYS = {"label", "strong", "terms", "weak", "foreign", "together", "fallback", "drop"}
_TOP_KEYS = {"weights", "ignore", "services"}


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
        data = (load_packaged_yaml(text) if path is None else yaml.safe_load(text)) or {}
    except yaml.YAMLError as exc:
        problem = " ".join(str(exc).split())  # one line: PyYAML's message spans several
        raise TaxonomyError(f"{source}: not valid YAML ({problem})") from exc
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


def _suggest(word: str, known: Iterable[str]) -> str:
    """A hint naming the closest known word, or '' when none is close."""
    close = difflib.get_close_matches(str(word), sorted(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _check_keys(mapping: Mapping, allowed: set[str], where: str) -> None:
    """A misspelled or unknown key is an error that names it: "strnog" silently emptying a list would not."""
    unknown = sorted(map(str, set(mapping) - allowed))
    if unknown:
        hints = ", ".join(f"{key!r}{_suggest(key, allowed)}" for key in unknown)
        raise TaxonomyError(f"{where}: unknown key {hints}; allowed: {', '.join(sorted(allowed))}")


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
        if str(sid) not in merged["services"] and "label" not in spec:
            raise TaxonomyError(f"{where}: unknown service{_suggest(sid, merged['services'])}; a new service "
                                f"needs label: {{nl: ..., en: ...}}")
        target = merged["services"].setdefault(str(sid), {})
        drop = {fold(word).lstrip("=") for word in _word_list(spec.get("drop"), f"{where}.drop")}
        for key in ("strong", "terms", "weak", "foreign"):
            kept = [item for item in (target.get(key) or []) if fold(_item_text(item)).lstrip("=") not in drop]
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
        if any(len(tokens(w)) != 1 for w in words + with_words):
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
            if not tokens(text):
                raise TaxonomyError(f"{where}.{key}: {word!r} has no letters or digits")
            term = Term(text, weight, literal)
            known = best.get(fold(word))
            if known is None or known.weight < term.weight:
                best[fold(word)] = term
    if not best:
        raise TaxonomyError(f"{where}: has no terms (strong, terms or weak)")
    together = _parse_together(spec.get("together") or [], weights, f"{where}.together")
    return Service(sid, label["nl"].strip(), label["en"].strip(), tuple(best.values()), together,
                   bool(spec.get("fallback", False)))


class ServiceTaxonomy:
    """The services a post can be routed to, with their labels and weighted terms (frozen once built).

    ``ServiceTaxonomy.load()`` reads the packaged default; ``load(extra_path)`` adds a municipality's
    own YAML file of the same shape to it.
    """

    def __init__(self, services: Iterable[Service], ignore: Iterable[str] = ()):
        by_id: dict[str, Service] = {}
        for service in services:
            if service.id in by_id:
                raise TaxonomyError(f"service id {service.id!r} appears twice")
            by_id[service.id] = service
        # Frozen: a router indexes the taxonomy once, so a later change would be silently ignored.
        object.__setattr__(self, "services", MappingProxyType(by_id))
        object.__setattr__(self, "ignore", frozenset(fold(word) for word in ignore))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a ServiceTaxonomy is frozen; build a new one with load() or from_mapping()")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("a ServiceTaxonomy is frozen")

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



@lru_cache(maxsize=1)
def default_taxonomy() -> ServiceTaxonomy:
    """The packaged default taxonomy (read once)."""
    return ServiceTaxonomy.load()

