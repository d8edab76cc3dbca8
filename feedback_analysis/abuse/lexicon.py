"""Loading and checking ``resources/abuse_nl.yaml``: a misspelled section is a one-line error."""

from __future__ import annotations

from pathlib import Path

from feedback_analysis.packaged import load_yaml

DEFAULT_LEXICON = "resources/abuse_nl.yaml"

SECTIONS = frozenset("""
insults slurs insult_adjectives ambiguous_insults exclamation_insults insulting_attributes contempt_adjectives
group_derogation exclusion_phrases hate_verbs profanity curse_prefixes curse_heads targeted_profanity dismissals
curse_wishes staff_places group_phrases violence attacks death implicit_threats standalone_threats death_commands
first_person self_words intent_words past_auxiliaries normative wishes passive imperatives generic_subjects
negations negation_breakers conditionals hypotheticals clause_openers coordinators subjects speech_verbs
question_words condemnation meta_mentions victims passive_auxiliaries laughter idioms sport_verbs sport_context
targets possessives prepositions opinion_verbs copulas thing_subjects noun_determiners function_words leet
not_abusive prefilter_skip identity_groups group_adjectives group_nouns group_phrase_heads group_predicates
group_violence threat_frames counter_reports counter_condemnations denied_claims
""".split())
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
    for key, value in config.items():
        if key not in SECTIONS:
            raise ValueError(f"{name}: unknown key '{key}'")
        if key in NESTED:
            if not isinstance(value, dict):
                raise ValueError(f"{name}: '{key}' must be a mapping")
            unknown = sorted(set(value) - NESTED[key])
            if unknown:
                raise ValueError(f"{name}: unknown key '{key}.{unknown[0]}'")
    return config
