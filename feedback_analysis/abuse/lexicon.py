"""Loading and checking ``resources/abuse_nl.yaml``: a misspelled section is a one-line error."""

from __future__ import annotations

from pathlib import Path

from feedback_analysis.packaged import load_yaml

DEFAULT_LEXICON = "resources/abuse_nl.yaml"

NESTED = {
    "targets": frozenset({"pronouns", "determiners", "staff", "persons", "groups", "buildings", "body_parts"}),
    "identity_groups": frozenset({"origin", "religion", "gender", "sexuality", "disability", "other"}),
    "group_adjectives": frozenset({"origin", "religion", "gender", "sexuality", "disability", "other"}),
    "group_phrase_heads": frozenset({"origin", "religion", "gender", "sexuality", "disability", "other"}),
    "group_predicates": frozenset({"attribute", "dehumanising", "emotion", "positive", "exclusion", "stereotype"}),
}


def load_lexicon(path: Path | None = None) -> dict:
    """The abuse word lists (the packaged file, or ``path``); ValueError naming the file and an unknown key."""
    name = str(path) if path is not None else DEFAULT_LEXICON
    config = load_yaml(Path(DEFAULT_LEXICON).name, path)
    if not isinstance(config, dict):
        raise ValueError(f"{name}: expected a mapping of word lists at the top level")
    # An unknown top-level key is refused by load_yaml (the packaged file's keys are the sections);
    # the keys of the nested groups are checked here.
    for key, value in config.items():
        if key in NESTED:
            if not isinstance(value, dict):
                raise ValueError(f"{name}: '{key}' must be a mapping")
            unknown = sorted(set(value) - NESTED[key])
            if unknown:
                raise ValueError(f"{name}: unknown key '{key}.{unknown[0]}'")
    return config
