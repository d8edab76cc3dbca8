"""Matching words against a taxonomy: the term indexes, compound splitting and the per-word analysis cache.

A word that is no term is read as a Dutch compound: its head ("restafval|zakken", "Kasteel|park") and its
modifier ("fietspad|herstel", "parkeer|boete", with a linking -s- or -en-) are looked up when the term part
has at least 4 letters and the rest is a word too. Street names ("Schoolstraat") are not split;
diminutives lose their ending ("zakjes" -> "zak"); multi-word terms match consecutive words.
"""

from __future__ import annotations

from feedback_analysis.services.taxonomy import ServiceTaxonomy, Term
from feedback_analysis.services.words import (
    CONNECTORS,
    CONTEXT_WORDS,
    DIMINUTIVES,
    MIN_PART,
    MIN_REST,
    STOP_WORDS,
    STREET_HEADS,
    canon,
    fold,
    is_known,
    lemma,
    stem,
    term_keys,
    tokens,
    verb_stem,
    word_keys,
)

MODIFIER_FACTOR = 0.8    # the first part of a compound: "fietspad|herstel"
FUZZY_FACTOR = 0.8       # a misspelled term: "lantaarpaal", "onkruit", "containr"
FUZZY_MIN = 6            # letters a word needs before a misspelling of a term is looked for
LONG_HEAD = 6            # a compound head this long needs no known modifier ("Jozefs|school")
CACHE_LIMIT = 300_000    # word analyses kept in memory

# Roles of a word for the place window; a capitalised unknown word after a preposition is the place's name.
CONTENT, CONTEXT, CONNECTOR, FUNCTION, NAME = range(5)
# A word's analysis: phrase key, matches ((service index, weight, term), ...), together-groups, role,
# activity (0, 1, 2: see `analyse`), the second words that make it a term written apart ("stoep" ->
# {"tegels", ...}), and its folded form.
Analysis = tuple[str, tuple[tuple[int, float, str], ...], frozenset[int], int, int, frozenset[str], str]
NO_PAIRS: frozenset[str] = frozenset()


class Matcher:
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
                words = tokens(term.text)
                if len(words) > 1:
                    key = tuple(canon(word.replace("-", "")) for word in words)
                    keep(phrases.setdefault(key[0], {}).setdefault(key, {}), index, term)
                elif term.literal:
                    keep(self.literal.setdefault(fold(words[0].replace("-", "")), {}), index, term)
                else:
                    self._index_word(words[0].replace("-", ""), index, term)
            for rule in service.together:
                first, second = self._group(rule.words), self._group(rule.with_words)
                self.rules.append((first, second, index, rule.weight))
        # The rules by their first group (position, second group, service index, weight): a text meets few groups.
        self.rules_by_first: dict[int, list[tuple[int, int, int, float]]] = {}
        for position, (first, second, index, weight) in enumerate(self.rules):
            self.rules_by_first.setdefault(first, []).append((position, second, index, weight))
        # By first and second word, longest first, so "lagere school" wins over a shorter phrase with the same
        # start; a phrase is only compared in full when its second word follows (common first words: "door").
        self.phrases: dict[str, dict[str, list]] = {}
        for first, by_key in phrases.items():
            for key, hits in sorted(by_key.items(), key=lambda item: -len(item[0])):
                self.phrases.setdefault(first, {}).setdefault(key[1], []).append((key, tuple(hits.items())))
        self.cache: dict[str, Analysis] = {}
        # Terms written as two words ("stoep tegels"): first part -> the second parts that complete a term.
        # Both parts must be words ("echt|scheiding", not "vi|aduct").
        pairs: dict[str, set[str]] = {}
        for key in (*self.single, *self.literal):
            for i in range(2, len(key) - 2):
                first, second = key[:i], key[i:]
                if key.isalpha() and first not in STOP_WORDS and second not in STOP_WORDS \
                        and (first in self.single or is_known(first)) and (second in self.single or is_known(second)):
                    pairs.setdefault(first, set()).update((second, second + "s"))
        self.split_pairs = {first: frozenset(seconds) for first, seconds in pairs.items()}
        # Misspellings: every single-word term of FUZZY_MIN letters or more under its form and each form with
        # one letter left out; a text word meets a term when one of its such forms does (one edit apart).
        self.fuzzy: dict[str, dict[int, tuple[float, str]]] = {}
        for index, sid in enumerate(self.ids):
            for term in taxonomy.services[sid].terms:
                form = fold(term.text.replace("-", ""))
                if not term.literal and len(form) >= FUZZY_MIN and form.isalpha():
                    for key in one_letter_less(form) | {form}:
                        keep(self.fuzzy.setdefault(key, {}), index, term)

    def _index_word(self, word: str, index: int, term: Term) -> None:
        for key in term_keys(word):
            keep(self.single.setdefault(key, {}), index, term)
        form = fold(word)
        # A compound's head is compared by its real forms (a stem such as "veren" from "vereniging"
        # would be found inside "reserveren"); its modifier also by the verb stem ("parkeer").
        if len(form) >= MIN_PART:
            keep(self.heads.setdefault(form, {}), index, term)
        for key in {form, stem(form), verb_stem(form)}:
            if len(key) >= MIN_PART and key not in STOP_WORDS:
                keep(self.modifier.setdefault(key, {}), index, term)

    def _group(self, words: tuple[str, ...]) -> int:
        """Register a word list of a ``together`` rule; returns its group number."""
        group = self._group_count
        self._group_count += 1
        for word in words:
            for key in word_keys(word.replace("-", "")):
                self.groups.setdefault(key, set()).add(group)
        return group

    # -- one word ---------------------------------------------------------------------------------
    def analyse(self, original: str) -> Analysis:
        """Analyse one word as written (its case only tells a name from a common word)."""
        token = original.lower()
        joined = token.replace("-", "")
        form = fold(joined)
        groups: set[int] = set()
        for key in word_keys(joined):
            groups.update(self.groups.get(key, ()))
        matches: dict[int, tuple[float, str]] = {}
        if form not in self.ignore and form not in STOP_WORDS:
            self._exact(joined, matches)
            if not matches and "-" in token:
                for part in token.split("-"):
                    if len(part) >= 2 and fold(part) not in self.ignore:
                        found: dict[int, tuple[float, str]] = {}
                        self._exact(part, found) or self._compound(part, found)
                        for index, (weight, term) in found.items():
                            keep_best(matches, index, weight, term)
            elif not matches and not (original[:1].isupper() and is_water_street(form)):
                self._compound(joined, matches)
            if not matches:
                for ending in DIMINUTIVES:
                    if form.endswith(ending) and len(form) - len(ending) >= 3:
                        base = form[: -len(ending)]
                        if self._exact(base, matches) or self._compound(base, matches):
                            break
            if not matches:
                self._misspelled(form, matches)
        role = (CONTEXT if form in CONTEXT_WORDS else CONNECTOR if form in CONNECTORS
                else FUNCTION if form in STOP_WORDS else NAME if original[:1].isupper() else CONTENT)
        phrase_key = canon(joined)
        # "active": the word can add evidence: 2 as a `together` word or a phrase's first word (the router
        # looks further), 1 as a term only, 0 not at all.
        active = 2 if groups or phrase_key in self.phrases else 1 if matches else 0
        result = (phrase_key, tuple((i, w, t) for i, (w, t) in matches.items()), frozenset(groups), role, active,
                  self.split_pairs.get(form, NO_PAIRS) if "-" not in token else NO_PAIRS, form)
        if len(self.cache) >= CACHE_LIMIT:
            self.cache.clear()
        self.cache[original] = result
        return result

    def _misspelled(self, form: str, out: dict[int, tuple[float, str]]) -> None:
        """A term one typo away (see :func:`is_typo`), for a word no dictionary knows: "lantaarpaal", "onkruit",
        "containr". Street names are left alone."""
        if len(form) < FUZZY_MIN or not form.isalpha() or form.endswith(STREET_HEADS) or is_known(form):
            return
        for key in one_letter_less(form) | {form}:
            for index, (weight, term) in self.fuzzy.get(key, {}).items():
                if is_typo(form, fold(term.replace("-", ""))):
                    keep_best(out, index, weight * FUZZY_FACTOR, term)

    def _exact(self, word: str, out: dict[int, tuple[float, str]]) -> bool:
        found = False
        for key in word_keys(word):
            for index, (weight, term) in self.single.get(key, {}).items():
                keep_best(out, index, weight, term)
                found = True
        form = fold(word)
        for key in (form, form[:-1] if form.endswith(("s", "x")) else ""):
            for index, (weight, term) in self.literal.get(key, {}).items():
                keep_best(out, index, weight, term)
                found = True
        return found

    def _compound(self, word: str, out: dict[int, tuple[float, str]]) -> bool:
        """Look up the head and the modifier of a Dutch compound; False when it is not one."""
        form = fold(word)
        if len(form) < MIN_PART + MIN_REST or not form.isalpha():
            return False
        if any(form.endswith(head) and len(form) > len(head) + 2 for head in STREET_HEADS):
            return False  # a street or place name such as "Schoolstraat" or "Molenhoek"
        found = False
        for candidate in dict.fromkeys((form, stem(form), fold(lemma(word)))):
            hit = next((candidate[i:] for i in range(MIN_REST, len(candidate) - MIN_PART + 1)
                        if candidate[i:] in self.heads and not is_participle_prefix(candidate[:i])
                        and (len(candidate) - i >= LONG_HEAD or self._is_word(candidate[:i], modifier=True))), None)
            if hit:
                for index, (weight, term) in self.heads[hit].items():
                    keep_best(out, index, weight, term)
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
                    keep_best(out, index, weight * MODIFIER_FACTOR, term)
                found = True
                break
        return found


    def _is_word(self, part: str, modifier: bool) -> bool:
        """Whether the rest of a compound is a word, so the split is real: "kasteel|park", not "gema|akte"."""
        # Before a short head, a 3-letter rest is too often a fragment ("sma|akte" in "smaakte").
        if len(part) < (MIN_PART if modifier else MIN_REST) or part in STOP_WORDS:
            return False
        options = [part]
        if modifier and part.endswith("en"):
            options.append(part[:-2])
        elif modifier and part.endswith("s"):
            options.append(part[:-1])
        return any(option in self.single or option in self.modifier or is_known(option)
                   for option in options if len(option) >= MIN_REST)



# Letters people write for one another (d/t: "onkruit", "geparkeert"); any other changed letter makes
# another word more often than a typo ("slagroom" is no "slagboom").
SOUND_ALIKE = frozenset({("d", "t"), ("t", "d"), ("c", "k"), ("k", "c"), ("s", "z"), ("z", "s"), ("f", "v"),
                         ("v", "f"), ("i", "y"), ("y", "i")})


def is_typo(written: str, term: str) -> bool:
    """Whether ``written`` is ``term`` with one letter left out or added, two neighbours swapped, or one
    letter replaced by one that sounds alike."""
    if written == term or abs(len(written) - len(term)) > 1:
        return False
    if len(written) != len(term):
        short, long = sorted((written, term), key=len)
        return any(long[:i] + long[i + 1:] == short for i in range(len(long)))
    diff = [i for i, (a, b) in enumerate(zip(written, term)) if a != b]
    if len(diff) == 1:
        return (written[diff[0]], term[diff[0]]) in SOUND_ALIKE
    return len(diff) == 2 and diff[1] == diff[0] + 1 and written[diff[0]] == term[diff[1]] \
        and written[diff[1]] == term[diff[0]]


# A verb's particle before "ge" opens a past participle, not a compound: "opge|sloten" is no ditch (sloten),
# "afge|sloten", "dichtge|groeid", "omver|gereden".
PARTICLES = frozenset("op af in uit toe aan door om vast weg over neer mee terug dicht los open kapot stuk binnen buiten "
                      "achter voor na bij samen omver tegen vol leeg".split())


def is_participle_prefix(part: str) -> bool:
    """Whether ``part`` is what a separable verb puts before its participle's stem ("opge", "dichtge", "ge")."""
    return part == "ge" or (part.endswith("ge") and part[:-2] in PARTICLES)


# Dutch street names that end in a word of open water or a dike ("Keizersgracht", "Nassaukade", "Zeeburgerdijk"):
# written with a capital, such a compound names the address, not the canal.
WATER_STREET_HEADS = ("gracht", "kade", "singel", "dijk", "burgwal", "haven", "vaart")


def is_water_street(form: str) -> bool:
    """Whether a (capitalised) word looks like a street named after water: a modifier of 3+ letters and a head."""
    return any(form.endswith(head) and len(form) >= len(head) + 3 for head in WATER_STREET_HEADS)


def one_letter_less(form: str) -> set[str]:
    """The forms of ``form`` with one letter left out."""
    return {form[:i] + form[i + 1:] for i in range(len(form))}


def keep(bucket: dict[int, tuple[float, str]], index: int, term: Term) -> None:
    """Keep ``term`` for service ``index`` in ``bucket`` unless a heavier term is already there."""
    keep_best(bucket, index, term.weight, term.text)


def keep_best(bucket: dict[int, tuple[float, str]], index: int, weight: float, term: str) -> None:
    """Keep (weight, term) for service ``index`` in ``bucket`` when it outweighs what is there."""
    known = bucket.get(index)
    if known is None or known[0] < weight:
        bucket[index] = (weight, term)

