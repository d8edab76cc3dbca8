"""The rule engine applied to the tokens of one text: clauses, targets, negation, counter-speech
and threats; offences come from :mod:`.offences`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from feedback_analysis.abuse.forms import (
    _ABUSIVE_KINDS,
    _EXASPERATION,
    _NAME_TOKEN,
    _PERSON_KINDS,
    _REFLEXIVES,
    _SELF_OBJECTS,
    NEGATION_REACH,
    TARGET_REACH,
    _Finding,
    _Pattern,
    _Token,
)
from feedback_analysis.abuse.offences import _OffenceRules

if TYPE_CHECKING:
    from feedback_analysis.abuse.rules import RuleDetector


class _Context(_OffenceRules):
    """The rules, applied to the tokens of one text."""

    def __init__(self, detector: RuleDetector, tokens: list[_Token]):
        self.d = detector
        self.tokens = tokens
        self.clauses: dict[int, list[int]] = {}
        self.sentences: dict[int, list[int]] = {}
        self.speech: dict[int, list[int]] = {}
        self.words = {token.word for token in tokens}
        present: set[int] = set()
        speech = detector._speech
        clauses, sentences = self.clauses, self.sentences
        # Clause and sentence numbers come in runs: the list of the run is looked up once.
        clause = sentence = None
        in_clause: list[int] = []
        in_sentence: list[int] = []
        for i, token in enumerate(tokens):  # one pass: this runs for every post with a suspect word
            if token.clause != clause:
                clause = token.clause
                in_clause = clauses.setdefault(clause, [])
            in_clause.append(i)
            if token.sentence != sentence:
                sentence = token.sentence
                in_sentence = sentences.setdefault(sentence, [])
            in_sentence.append(i)
            elements = token.info.elements
            if elements:
                present |= elements
            if token.word in speech and not token.quoted:
                self.speech.setdefault(sentence, []).append(i)
        # Every pattern whose words all occur is matched, in order and within one clause.
        self.matches: dict[str, list[tuple[_Pattern, list[int]]]] = {}
        for number in detector._complete_patterns.within(present):
            pattern = detector._patterns[number]
            for positions in self._find(pattern):
                self.matches.setdefault(pattern.kind, []).append((pattern, positions))
        self.condemned = bool(self.matches.get("condemnation"))
        # Identity groups: group nouns, and person nouns made one by an adjective or phrase ("zwarte mensen").
        self.groups = {i for i, t in enumerate(tokens) if "group" in t.info.kinds}
        for _pattern, positions in self.matches.get("group_phrases", []):
            self.groups.update(p for p in positions if not {"person", "staff"}.isdisjoint(tokens[p].info.kinds))
        self._sporty: bool | None = None

    @property
    def sporty(self) -> bool:
        """Whether the post talks about sport (read once, when a threat needs it)."""
        if self._sporty is None:
            context = self.d._sport_context
            self._sporty = any(not t.info.forms.isdisjoint(context) for t in self.tokens)
        return self._sporty

    # -- pattern matching ---------------------------------------------------------------------------

    def _find(self, pattern: _Pattern) -> Iterable[list[int]]:
        """Every match of the pattern inside one clause, as the token positions of its elements."""
        for members in self.clauses.values():
            for start in range(len(members)):
                if pattern.ids[0] in self.tokens[members[start]].info.elements:
                    positions = self._extend(pattern, members, 1, start, [start])
                    if positions:
                        yield [members[p] for p in positions]

    def _extend(self, pattern: _Pattern, members: list[int], j: int, previous: int, positions: list[int]):
        if j == len(pattern.elements):
            return positions
        last = min(len(members) - 1, previous + 1 + pattern.gaps[j])
        for p in range(previous + 1, last + 1):
            if pattern.ids[j] in self.tokens[members[p]].info.elements:
                found = self._extend(pattern, members, j + 1, p, positions + [p])
                if found:
                    return found
        return None

    # -- helpers -------------------------------------------------------------------------------------

    def clause_of(self, i: int) -> list[int]:
        return self.clauses[self.tokens[i].clause]

    def word(self, i: int) -> str:
        return self.tokens[i].word if 0 <= i < len(self.tokens) else ""

    def same_clause(self, i: int, j: int) -> bool:
        return 0 <= j < len(self.tokens) and self.tokens[j].clause == self.tokens[i].clause

    def kinds(self, i: int) -> dict:
        return self.tokens[i].info.kinds

    def names_person(self, i: int) -> bool:
        """A person noun, staff word, group or [NAME] placeholder at i."""
        return self.tokens[i].word == _NAME_TOKEN or not _PERSON_KINDS.isdisjoint(self.kinds(i))

    def is_thing_after(self, i: int) -> bool:
        """True when the word after i is a content word that is not a person: a thing noun."""
        j = i + 1
        if not self.same_clause(i, j):
            return False
        token = self.tokens[j]
        if token.word in self.d._function or token.info.patterns or self.names_person(j):
            return False
        if {"insult_adj", "contempt"} & token.info.kinds.keys() and "insult" not in token.info.kinds \
                and j + 1 < len(self.tokens) and self.same_clause(j, j + 1):
            return self.is_thing_after(j)  # "die stomme parkeerapp": the adjective's noun decides
        return {"insult", "slur", "insult_adj", "ambiguous", "body", "contempt"}.isdisjoint(token.info.kinds)

    def is_person(self, i: int, skip_generic_near: set[int] | None = None, things: bool = False) -> bool:
        """Whether token i names a person (with things=True also a building) the words can be aimed at."""
        word = self.tokens[i].word
        if word in self.d._self:
            return False
        if self.names_person(i) or (things and "building" in self.kinds(i)):
            return True
        if skip_generic_near is not None and word in self.d._generic:
            # "zou je moeten ...", "ze moeten ...": the agent; but "laat ze ...": the victim
            near = [n for n in skip_generic_near if abs(i - n) == 1 and (self.word(n) not in ("laat", "laten") or word in ("we", "wij"))
                    and not (i == n + 1 and self.same_clause(n, n - 1) and self.word(n - 1) in self.d._generic | self.d._first_person)]
            # ... but in "ge moet ze ...", "ik zou ze ..." the subject stands before the modal: 'ze' is the victim
            if i == self.clause_of(i)[0] or near:
                return False
        if word in self.d._pronouns:
            return True
        if word in self.d._determiners and word not in ("dat", "dit"):
            previous = i - 1
            if self.same_clause(i, previous) and self.word(previous) not in self.d._function and not self.names_person(previous) \
                    and not self.tokens[previous].info.patterns and _ABUSIVE_KINDS.isdisjoint(self.kinds(previous)):
                return False  # "de mayonaise die ...": a relative pronoun for the thing before it
            return not self.is_thing_after(i)
        return word in self.d._possessives and self.same_clause(i, i + 1) and "body" in self.kinds(i + 1)

    def negated(self, i: int, exempt: set[int] = frozenset(), after: int = 0) -> bool:
        """A negation before i in its clause (or up to `after` words behind it), not inside a condition."""
        clause = self.clause_of(i)
        first, last = max(clause[0], i - NEGATION_REACH), min(clause[-1], i + after)
        conditionals = [j for j in range(first, last + 1) if self.tokens[j].word in self.d._conditionals]
        for j in range(first, last + 1):
            if j in exempt or self.tokens[j].word not in self.d._negations:
                continue
            if self.word(j + 1) in self.d._negation_breakers and (self.word(j + 2), self.word(j + 3)) != ("of", "minder") \
                    and j + 1 != i:  # "niet minder waard": the breaker is the phrase itself, which is negated
                continue  # "niet meer", but "niet meer of minder P" negates P
            # "als je niet betaalt ...", "zou het niet fijn zijn als ...": a condition splits the scope
            if any(min(i, j) < c < max(i, j) for c in conditionals) or any(c < j < i for c in conditionals):
                continue
            return True
        return False

    def countered(self, positions: list[int]) -> str:
        """Why the words at positions are mentioned rather than meant ('' when they are meant)."""
        i = positions[0]
        token = self.tokens[i]
        sentence = self.sentences[token.sentence]
        speech = self.speech.get(token.sentence, [])
        if any(self.tokens[p].quoted for p in positions) and (self.condemned or speech):
            return "quoted"
        if any(self.word(j) in self.d._meta for j in range(i - 3, i) if self.same_clause(i, j)):
            return "named"
        for s in speech:
            if self.condemned:
                return "condemned"
            before = [self.tokens[j].word for j in sentence[max(0, sentence.index(s) - 12):sentence.index(s)]]
            if any(w in self.d._questions for w in before) or any(w in self.d._negations for w in before[-4:]):
                return "countered"
            if any(w in self.d._conditionals for w in before):
                return "countered"  # "als je iemand een trut noemt, ..."
            objects = [k for k in range(s - 3, s) if self.same_clause(s, k) and self.word(k) in ("me", "mij", "ons")]
            after = [k for k in range(s + 1, s + 4) if self.same_clause(s, k) and self.word(k) in self.d._victims]
            if objects or after:
                return "reported"  # "hij noemde mij een trut", "hij zei dat ik een trut was", "hij heeft me uitgescholden"
            if self.word(s - 1) in self.d._passive_auxiliaries or any(
                    self.word(k) in self.d._passive_auxiliaries for k in range(s - 4, s) if self.same_clause(s, k)):
                if self.word(s).startswith(("ge", "uitge")):
                    return "reported"  # "mijn zoon werd uitgescholden voor ..."
        return ""

    def in_idiom(self, i: int) -> bool:
        return any(self.tokens[p[0]].clause == self.tokens[i].clause for _, p in self.matches.get("idioms", []))

    def blocked(self, i: int, after: int = 0) -> bool:
        hypothetical = any(self.word(j) in self.d._hypotheticals for j in self.clause_of(i) if j < i)
        return hypothetical or self.negated(i, after=after) or bool(self.countered([i]))

    def self_directed(self, i: int) -> bool:
        """'wat ben ik een sukkel': the nearest person before the word is the writer."""
        for j in range(i - 1, max(self.clause_of(i)[0], i - TARGET_REACH) - 1, -1):
            word = self.tokens[j].word
            if word in self.d._first_person or word in self.d._victims:
                return True
            if self.is_person(j):
                return False
        return False

    def first_target(self, i: int, reach: int = TARGET_REACH) -> str:
        clause = self.clause_of(i)
        window = range(max(clause[0], i - reach), min(clause[-1], i + reach) + 1)
        order = sorted((j for j in window if j != i), key=lambda j: (abs(j - i), j > i))
        for j in order:
            if self.is_person(j):
                return self.describe_target(j)
        return ""

    def describe_target(self, j: int) -> str:
        word = self.tokens[j].word
        if word == _NAME_TOKEN:
            return "[NAME]"
        if word in self.d._possessives and self.same_clause(j, j + 1) and "body" in self.kinds(j + 1):
            return f"{word} {self.tokens[j + 1].word}"
        return word

    def describe(self, i: int, kind: str) -> str:
        term, how, _ = self.kinds(i)[kind]
        written = self.tokens[i].word
        if how in ("spelling", "typo") or " " in written or (how == "glued" and kind != "curse_compound"):
            return f"'{term}' (written '{written}')"
        return f"'{written}'"

    # -- threats -------------------------------------------------------------------------------------

    def threats(self) -> list[_Finding]:
        findings = []
        for kind in ("implicit_threats", "standalone_threats", "violence", "attacks", "death"):
            for _pattern, positions in self.matches.get(kind, []):
                reason = self.threat_reason(kind, positions)
                if reason:
                    findings.append(_Finding("threat", reason))
        return findings

    def threat_reason(self, kind: str, positions: list[int]) -> str:
        i, last = positions[0], positions[-1]
        clause = self.clause_of(i)
        exempt = {p for p in positions if self.tokens[p].word in self.d._negations}
        if self.negated(last, exempt=exempt) or self.negated(i, exempt=exempt) or self.countered(positions):
            return ""
        if self.in_idiom(i):
            return ""
        if any(not self.tokens[p].info.forms.isdisjoint(self.d._sport_verbs) for p in positions) and self.sporty:
            return ""
        phrase = " ".join(self.tokens[p].word for p in positions)
        if kind == "standalone_threats":
            return f"threat: '{phrase}'"
        if kind == "implicit_threats":
            # the pronoun inside the phrase ("weet waar je woont") names the person
            named = [p for p in positions if self.word(p) in self.d._pronouns | self.d._determiners | self.d._possessives]
            target = self.word(named[0]) if named else next(
                (self.describe_target(j) for j in clause if self.is_person(j)), "")
            return f"threat: '{phrase}' aimed at '{target}'" if target else ""
        frame = self.frame(kind, positions, clause)
        if not frame:
            return ""
        frame_name, frame_words = frame
        # "je moet dat afmaken": in an active norm the generic subject is the agent, not the victim.
        active_norm = frame_name == "norm" and kind != "death" and not any(
            self.tokens[j].word in self.d._passive or self.tokens[j].word.startswith("verdien") for j in clause)
        skip = frame_words if active_norm else None
        if active_norm and kind == "violence" and frame_words and any(
                self.word(j) in self.d._noun_determiners and self.is_thing_after(j)
                and not self.tokens[j + 1].info.kinds and self.word(j + 1) not in self.d._pronouns
                for j in range(min(frame_words) + 1, i)):
            return ""  # "de voorzitter moet die plannen afmaken": a thing is what the norm is about
        if kind == "violence" and self.word(i - 2) in self.d._noun_determiners and self.same_clause(i - 2, i) \
                and self.is_thing_after(i - 2) and not self.tokens[i - 1].info.kinds and self.word(i - 1) not in self.d._pronouns:
            return ""  # "om de lampen op te hangen": the object just before the verb is a thing
        if kind != "death" and self.word(i - 1) in _SELF_OBJECTS and self.same_clause(i, i - 1):
            return ""  # "mijn baas gaat me vermoorden": the writer fears it, no one is threatened
        target = ""
        window = range(max(clause[0], i - 2 * TARGET_REACH), min(clause[-1], last + 2 * TARGET_REACH) + 1)
        for j in sorted(window, key=lambda j: (abs(j - i), j < i)):
            if j in positions and self.tokens[j].word not in self.d._possessives:
                continue
            if self.is_person(j, skip_generic_near=skip, things=(kind == "attacks")):
                target = self.describe_target(j)
                break
        if not target and kind == "death" and frame_name == "command":
            target = "the reader"  # "crepeer!" is said to someone
        if not target:
            return ""
        if kind == "attacks" and any(self.word(j) == "van" and _EXASPERATION.intersection((self.word(j + 1), self.word(j + 2))) for j in clause):
            return ""  # "ik zou dat stadhuis in de fik steken van frustratie": said of a thing, out of exasperation
        if any(self.word(j) in _REFLEXIVES for j in range(i + 1, last)) and kind != "death":
            return ""  # "ik maak me kapot ...": the writer does it to themselves
        if target in ("iemand", "iedereen") and (not self.words.isdisjoint(self.d._laughter) or "nog" in self.words):
            return ""  # "ik vermoord nog iemand haha", "ik ga nog iemand vermoorden als ...": exasperation, no one aimed at
        what = {"violence": "violence", "attacks": "attack", "death": "death wish"}[kind]
        return f"threat: {what} '{phrase}' ({frame_name}) aimed at '{target}'"

    def frame(self, kind: str, positions: list[int], clause: list[int]) -> tuple[str, set[int]] | None:
        """How the violent words are said: wish, norm, first-person intent or command (None: a report)."""
        words = [self.tokens[j].word for j in clause]
        first = self.tokens[positions[0]]
        wishes = {j for j in clause if self.tokens[j].word in self.d._wishes}
        earlier = [self.tokens[j] for j in self.sentences[first.sentence] if self.tokens[j].clause < first.clause]
        if wishes or any(t.word in self.d._wishes for t in earlier):
            return "wish", wishes
        normative = {j for j in clause if self.tokens[j].word in self.d._normative}
        if normative:
            return "norm", normative
        if kind == "death":
            if clause[0] == positions[0] and words[0] in self.d._death_commands:
                return "command", set()  # "crepeer!"
            before = [self.tokens[j].word for j in self.sentences[first.sentence] if j < positions[0]]
            if any(w in self.d._conditionals for w in before) and not set(before).isdisjoint(self.d._first_person):
                return "condition", set()  # "als ik hem zie is hij dood"
            return None
        present = set(words)
        if not present.isdisjoint(self.d._first_person):
            if present.isdisjoint(self.d._past) or not present.isdisjoint(self.d._intent):
                return "first-person intent", set()
        if words and words[0] == "wie" and "mee" in words:
            return "incitement", set()  # "wie steekt er mee het gemeentehuis in brand?"
        start = 0
        while start < len(clause) and words[start] in ("gewoon", "gwn", "maar", "allemaal", "eens", "nu"):
            start += 1
        if self.word(positions[0] - 1) in ("en", "dan") and words[clause.index(positions[0])] in self.d._imperatives:
            return "command", set()  # "zet ze tegen de muur en schiet ze neer"
        if start < len(clause) and clause[start] == positions[0]:
            # "knal ze neer", "ophangen die gasten!"
            if words[start] in self.d._imperatives or (words[start].endswith("en") and len(words[start]) > 5):
                return "command", set()
        return None

