"""Exclusion of an identity group without a listed predicate, for :mod:`.groups`: better off without it,
a right denied to it, asked whether to tolerate it, blamed by habit, decline where it comes, "X blijven X"."""

from __future__ import annotations

from feedback_analysis.abuse import group_words as gw


def exclusion_of(words: list[str], group_at: list[int], question: bool, negated) -> str:
    """How a sentence shuts the group out without a listed predicate: better off without it, a right
    denied to it ("X mogen nooit ..."), or asked whether to tolerate it ("waarom moeten we X dulden?")."""
    wordset = set(words)
    for n, word in enumerate(words):
        if word == "zonder" and any(0 < g - n <= 3 for g in group_at) and wordset & gw.COMPARATIVES and not negated(n):
            return "better without"
    if group_at and wordset & {"mogen", "mag"} and not wordset & {"worden", "wordt", "word"} \
            and any(w in ("niet", "nooit", "geen") for w in words[group_at[0] + 1:]) and words[0] not in ("je", "we", "wij"):
        return "denied right"
    asked = "waarom" in wordset or "lang" in wordset or words[0] in ("moeten", "moet", "blijven", "gaan")
    if question and wordset & gw.TOLERANCE and asked and not negated(len(words)):
        return "whether to tolerate"
    if question and words[:2] == ["sinds", "wanneer"] and group_at and wordset & {"mogen", "mag", "zeggen", "beslissen",
                                                                                 "bepalen", "eisen"}:
        return "asked since when they may"  # "sinds wanneer hebben X hier iets te zeggen?"
    if question and words[:1] == ["wie"] and wordset & {"wil", "wilt", "willen", "zou"} and wordset & gw.NEIGHBOURHOOD:
        return "whether anyone wants them near"  # "wie wil er nu X in zijn straat?"
    if words[:1] and words[0] in gw.CONSEQUENCE_OPENERS and group_at and group_at[0] <= 4 \
            and wordset & gw.DECLINE and not negated(len(words)):
        return "decline where they come"  # "waar X wonen, daalt de huizenprijs"
    if any(set(words[max(0, g - 2):g]) & gw.SINCE for g in group_at) and (wordset & gw.DECLINE or "vroeger" in wordset) \
            and wordset & {"wonen", "kwamen", "komen", "zijn", "zitten", "kwam", "woont", "er", "hier"}:
        return "decline since they came"  # "vroeger was het hier proper, tot de X kwamen"
    between = words[group_at[0] + 1:group_at[-1]] if len(group_at) > 1 else []
    if between and words[group_at[0]] == words[group_at[-1]] and {"blijven", "blijft"} & set(between) \
            and gw.TAUTOLOGY_GLUE.issuperset(between) and not negated(len(words)):
        return "they stay what they are"  # "X blijven X": a nature no one can change
    if group_at and group_at[0] <= 1 and words[group_at[0] + 1:group_at[0] + 2] in (["kunnen"], ["kan"]) \
            and set(words[group_at[0] + 2:group_at[0] + 4]) & {"niet", "nie", "geen", "nooit"} \
            and words[-1].endswith("en") and not wordset & gw.ABILITY_CAUSES and not question:
        return "ability denied to all of them"  # "X kunnen (gewoon) niet autorijden": incompetence ascribed
    if len(group_at) == 1 and group_at[0] == 0 and words[1:2] == ["en"] and (wordset & gw.PAIRING_VERDICTS) and (
            wordset & {"liedje", "verhaal"} or {"altijd", "hetzelfde"} <= wordset
            or wordset & (gw.NEGATIONS | {"onmogelijk", "nooit"})):
        return "paired with a vice"  # "X en geld, altijd hetzelfde liedje"
    if any(words[g - 1:g] and words[g - 1] in gw.EVERYWHERE and not words[g + 1:] for g in group_at):
        return "everywhere them"  # "ons land is niet meer van ons, overal X"
    if question and any(words[g - 1:g] and words[g - 1] in gw.INDEFINITE and set(words[g + 1:g + 4]) & {"in", "als", "naast"}
                        and set(words[g + 1:g + 5]) & gw.NEIGHBOURHOOD for g in group_at):
        return "whether anyone wants them near"  # "een X in ons team?", "een X als buurman?"
    if any(words[g - 1:g] and words[g - 1] in gw.INDEFINITE and set(words[max(0, g - 4):g - 1]) & gw.BLAME_MARKERS
           and (set(words[max(0, g - 5):g]) & gw.BLAME_GUESS or words[g + 1:g + 2] == ["die"]) for g in group_at) and not negated(len(words)):
        return "blamed by habit"  # "natuurlijk was het weer een X"
    if group_at and words[max(0, group_at[0] - 2):group_at[0]][:1] in (["bij"], ["naar"]) \
            and wordset & gw.FIRST_PERSON and wordset & {"nie", "niet", "ni", "nooit", "nimmer"} and not question:
        return "refused"  # "bij een zwarte dokter ga ik niet": a service refused because of who gives it
    if any("typisch" in words[max(0, g - 4):g] for g in group_at):
        return "typically them"  # "typisch X, altijd klagen"
    if question and "bestaan" in wordset and wordset & {"nog", "eigenlijk", "uberhaupt"}:
        return "whether it should exist"  # "waarom bestaan X eigenlijk nog?"
    if any(words[g - 1:g] in (["goede"], ["beste"]) for g in group_at) and len(group_at) > 1 \
            and words[group_at[0] + 1:group_at[0] + 3] in (["is", "een"], ["is", "de"]) and wordset & gw.GONE:
        return "only a gone one is good"  # "een goede X is een vertrokken X"
    return ""
