"""The offence rules of the rule engine: insults, slurs, derogation, hatred and profanity (a mixin of
:class:`feedback_analysis.abuse.context._Context`)."""

from __future__ import annotations

from feedback_analysis.abuse.forms import (
    _ADVERB_HEADS,
    _BEHAVIOUR_HEADS,
    _DEGREE_WORDS,
    _EVERYDAY_GROUPS,
    _EXCLUSION_WORDS,
    _NAME_TOKEN,
    COPULA_REACH,
    MAX_GAP,
    TARGET_REACH,
    _Finding,
)

# A hatred noun after one of these names someone else's hatred ("de haat in de reacties"), not the writer's
_HATRED_NOUN_ARTICLES = frozenset({"de", "het", "die", "deze", "dit", "zoveel", "zulke", "hun", "zijn", "haar"})
# "een bende sukkels", "een stel idioten": a collective of insults, said of whatever the subject is
_COLLECTIVES = frozenset({"bende", "stel", "hoop", "zootje", "troep", "boel", "verzameling", "bos", "kudde"})


class _OffenceRules:
    """Offences found in the tokens of one text; needs the helpers of ``_Context``."""

    # -- offences ------------------------------------------------------------------------------------

    def offences(self) -> list[_Finding]:
        findings: list[_Finding] = []
        for i in range(len(self.tokens)):
            kinds = self.kinds(i)
            reason = ""
            if "slur" in kinds:
                reason = self.slur(i)
            if not reason and ("insult" in kinds or "curse_compound" in kinds):
                reason = self.insult(i)
            if not reason and "insult_adj" in kinds and "insult" not in kinds:
                reason = self.insulting_adjective(i)
            if not reason and "ambiguous" in kinds:
                reason = self.ambiguous(i)
            if not reason and "contempt" in kinds:
                reason = self.contempt(i)
            if not reason and i in self.groups:
                reason = self.derogation(i)
            if not reason and "derogation" in kinds:
                reason = self.derogation_by_pronoun(i)
            if reason:
                findings.append(_Finding("offensive", reason))
        for kind in ("hate_verbs", "targeted_profanity", "dismissals", "curse_wishes"):
            for _pattern, positions in self.matches.get(kind, []):
                reason = self.phrase(kind, positions)
                if reason:
                    findings.append(_Finding("offensive", reason))
        return findings

    def slur(self, i: int) -> str:
        if self.blocked(i) or self.self_directed(i):
            return ""
        return f"slur {self.describe(i, 'slur')}"

    def adjective_reading(self, i: int) -> bool:
        """'idioot systeem', 'die ambtenaar is debiel': a word that can be noun or adjective, used as adjective."""
        if self.kinds(i).get("insult_adj", ("", "", ""))[2] == "e":
            return True
        if self.same_clause(i, i - 1) and self.word(i - 1) in self.d._noun_determiners:
            return False
        copula = self.copula_before(i)
        if copula is not None and "een" not in {self.word(k) for k in range(copula + 1, i)}:
            return True
        if self.same_clause(i, i + 1) and self.word(i + 1) in _DEGREE_WORDS:
            return True
        return self.is_thing_after(i)

    def insult(self, i: int) -> str:
        kinds = self.kinds(i)
        kind = "insult" if "insult" in kinds else "curse_compound"
        if kind == "insult" and "insult_adj" in kinds and self.adjective_reading(i):
            return self.insulting_adjective(i)
        if self.blocked(i) or self.self_directed(i) or self.of_an_institution(i):
            return ""
        target = self.first_target(i)
        if not target and "insult_adj" in kinds and not self.vocative(i):
            return ""  # "debiel gewoon": about the situation, no one is named
        aimed = f" aimed at '{target}'" if target else ""
        label = "insult" if kind == "insult" else "curse on a person"
        return f"{label} {self.describe(i, kind)}{aimed}"

    def of_an_institution(self, i: int) -> bool:
        """'die klootzakken van de stad', 'de vuilnisophaling is een bende sukkels': a plural insult for an
        institution or a service as a whole is a hard complaint about how it works, not abuse of a person."""
        if self.kinds(i).get("insult", ("", "", ""))[2] != "plural":
            return False
        j = i + 2 if self.word(i + 2) not in ("de", "het", "t", "den") else i + 3
        if self.word(i + 1) == "van" and self.same_clause(i, j):
            return self.word(j) in self.d._institutions or self.word(j).endswith(("dienst", "diensten"))
        copula = self.copula_before(i)
        if copula is None or self.word(i - 1) not in _COLLECTIVES or self.word(i - 2) not in ("een", "ne", "nen"):
            return False
        clause = self.clause_of(i)
        return not any(self.is_person(k) for k in range(clause[0], copula))

    def vocative(self, i: int) -> bool:
        """'idioot!', 'wat een idioot', 'die idioot': the word is used as a noun for someone."""
        clause = self.clause_of(i)
        before = self.word(i - 1) if i > clause[0] else ""
        if len(clause) == 1 or before in self.d._noun_determiners:
            return True
        return any(self.word(j) in ("een", "ne", "nen", "zon") for j in range(max(clause[0], i - 3), i))

    def copula_before(self, i: int) -> int | None:
        clause = self.clause_of(i)
        for j in range(i - 1, max(clause[0], i - COPULA_REACH - 1) - 1, -1):
            if self.tokens[j].word in self.d._copulas:
                return j
        return None

    def predicated_of(self, i: int, groups_only: bool = False) -> str:
        """The person (or group) the word at i is said of: 'X is/zijn (echt) WORD', 'ben jij WORD'."""
        j = self.copula_before(i)
        clause = self.clause_of(i)
        if j is None:
            # "ik vind dat die ambtenaar dom is": the copula closes a subordinate clause
            if self.same_clause(i, i + 1) and self.word(i + 1) in self.d._copulas:
                j = i
            else:
                return self.opinion_of(i, groups_only) or self.asked_of(i, groups_only)
        if any(self.word(k) in self.d._prepositions for k in range(j + 1, i)):
            return ""  # "hij is gestorven aan kanker": the word is in a phrase, not said of him
        subjects = [k for k in (j + 1,) if k < i] + list(range(j - 1, max(clause[0], j - TARGET_REACH) - 1, -1))
        for k in subjects:
            word = self.tokens[k].word
            if word in self.d._self or word in self.d._thing_subjects:
                return ""
            in_phrase = k < j and (self.word(k - 1) in self.d._prepositions or self.word(k - 2) in self.d._prepositions)
            if groups_only:
                if k in self.groups and not in_phrase:
                    return self.describe_target(k)
            elif self.is_person(k) and not in_phrase:
                return self.describe_target(k)
            if k < j and word not in self.d._function:
                # "die bediende aan de balie is ...": step over a prepositional phrase after the subject
                if self.word(k - 1) in self.d._prepositions or self.word(k - 2) in self.d._prepositions:
                    continue
                return ""  # another noun is the subject
        return ""

    def asked_of(self, i: int, groups_only: bool) -> str:
        """'hoe dom kan je zijn?': the copula comes after the word and the person between them."""
        for j in range(i + 1, min(i + 4, self.clause_of(i)[-1] + 1)):
            if self.word(j) in self.d._copulas:
                for k in range(i + 1, j):
                    if (k in self.groups) if groups_only else self.is_person(k):
                        return self.describe_target(k)
                return ""
        return ""

    def opinion_of(self, i: int, groups_only: bool) -> str:
        """'ik vind moslims walgelijk', 'ik noem hem dom': the person between an opinion verb and the word."""
        clause = self.clause_of(i)
        verbs = [j for j in range(max(clause[0], i - TARGET_REACH), i) if self.word(j) in self.d._opinion_verbs]
        if not verbs:
            return ""
        for k in range(verbs[-1] + 1, i):
            if (k in self.groups) if groups_only else self.is_person(k):
                return self.describe_target(k)
        return ""

    def insulting_adjective(self, i: int) -> str:
        if self.same_clause(i, i + 1) and self.word(i + 1) in _ADVERB_HEADS:
            return ""  # "ze zijn daar dom bezig": about what they do
        target = ""
        if self.same_clause(i, i + 1) and self.names_person(i + 1):
            target = self.describe_target(i + 1)  # "debiele ambtenaar"
        target = target or self.predicated_of(i)
        if not target or self.blocked(i):
            return ""
        return f"insult {self.describe(i, 'insult_adj')} said of '{target}'"

    def ambiguous(self, i: int) -> str:
        """Animal, pest and thing words ('rat', 'ongedierte', 'zak'): only when said of a person."""
        if self.word(i - 1) == "zijn" and self.kinds(i)["ambiguous"][2] == "base":
            return ""  # "zijn poot stijf houden": his paw, not "they are"
        target = (self.predicated_of(i) or self.addressed(i) or self.of_a_person(i) or self.exclaimed(i)
                  or self.predicated_after(i) or self.compared(i) or self.at_staff_place(i) or self.resumed(i))
        if not target or self.blocked(i):
            return ""
        return f"dehumanising {self.describe(i, 'ambiguous')} said of '{target}'"

    def insulting_adjective_before(self, i: int) -> bool:
        j = i - 1
        return self.same_clause(i, j) and (
            self.word(j) in self.d._attributes or not {"contempt", "insult_adj", "derogation"}.isdisjoint(self.kinds(j)))

    def addressed(self, i: int) -> str:
        """'jij ezel', 'jij vuile rat'."""
        j = i - 2 if self.insulting_adjective_before(i) else i - 1
        return self.word(j) if self.same_clause(i, j) and self.word(j) in ("jij", "jullie", "gij", "ge") else ""

    def of_a_person(self, i: int) -> str:
        """'ezel van een ambtenaar'."""
        if self.word(i + 1) == "van" and self.word(i + 2) in ("een", "ne", "nen") and self.same_clause(i, i + 3):
            return self.describe_target(i + 3) if self.names_person(i + 3) else ""
        return ""

    def exclaimed(self, i: int) -> str:
        """'vuile rat!', 'wat een domme doos', 'wat een zak', '[NAME], vuile rat'."""
        clause = self.clause_of(i)
        adjective = self.insulting_adjective_before(i)
        wat_een = self.word(clause[0]) == "wat" and self.word(clause[0] + 1) in ("een", "zon") and i == clause[-1]
        if adjective and (len(clause) <= 3 or (wat_een and i - clause[0] == 3)) and not self.is_thing_after(i):
            return "exclamation"
        if wat_een and i - clause[0] == 2 and self.kinds(i)["ambiguous"][0] in self.d._exclamation_insults:
            return "exclamation"
        if adjective and any(self.tokens[j].word == _NAME_TOKEN for j in self.sentences[self.tokens[i].sentence]):
            return "[NAME]"
        return ""

    def predicated_after(self, i: int) -> str:
        """'wat een kwal is die schepen': the person comes after the copula."""
        j = i + 1
        if self.same_clause(i, j) and self.word(j) in self.d._copulas:
            for k in range(j + 1, min(j + 4, self.clause_of(i)[-1] + 1)):
                if self.is_person(k) and self.word(k) not in ("je", "ze", "het"):
                    return self.describe_target(k)
        return ""

    def compared(self, i: int) -> str:
        """'ze gedragen zich als beesten': a comparison with people named in the clause."""
        if self.word(i - 1) not in ("als", "zoals") or not self.same_clause(i, i - 1):
            return ""
        return next((self.describe_target(j) for j in self.clause_of(i) if j < i and self.names_person(j)), "")

    def at_staff_place(self, i: int) -> str:
        """'die koe aan het loket', 'die ratten van de groendienst': an animal word for the people of a service."""
        introduced = {self.word(i - 1), self.word(i - 2)} & {"die", "dat", "deze", "de", "een", "zon"}
        adjective = i > 0 and (self.word(i - 1) in self.d._attributes or not {"contempt", "insult_adj"}.isdisjoint(self.kinds(i - 1)))
        if not introduced and not adjective:
            return ""
        j = i + 2
        if self.word(i + 1) == "van" and self.same_clause(i, j) and self.word(j) in ("de", "het", "t", "den"):
            j += 1
        if self.word(i + 1) == "van" and self.same_clause(i, j):
            if not {"building", "staff"}.isdisjoint(self.kinds(j)) or self.word(j).endswith(("dienst", "diensten")):
                return f"van {self.word(j - 1)} {self.word(j)}"
        for _pattern, positions in self.matches.get("staff_places", []):
            if 0 < positions[0] - i <= MAX_GAP and self.same_clause(i, positions[0]):
                return " ".join(self.tokens[p].word for p in positions)
        return ""

    def resumed(self, i: int) -> str:
        """'die asielzoekers, dat is ongedierte': 'dat' takes up people named in the clause before."""
        j = self.copula_before(i)
        if j is None or self.word(j - 1) not in ("dat", "dit", "het") or self.same_clause(i, j - 2):
            if j is None or self.word(j - 1) not in ("dat", "dit", "het") or j - 1 != self.clause_of(i)[0]:
                return ""
        token = self.tokens[i]
        near = [k for k in self.sentences[token.sentence] if abs(self.tokens[k].clause - token.clause) == 1]
        return next((self.describe_target(k) for k in near if self.names_person(k)), "")

    def contempt(self, i: int) -> str:
        """'vuile marokkaan', 'vieze vent': contempt right before a person."""
        if not self.same_clause(i, i + 1) or self.blocked(i):
            return ""
        if self.names_person(i + 1):
            return f"contempt {self.describe(i, 'contempt')} for '{self.describe_target(i + 1)}'"
        if self.word(i - 1) in ("een", "ne", "nen", "zon") and self.word(i + 1) not in self.d._function:
            target = self.predicated_of(i)  # "die schepen is een vuile leugenaar"
            if target:
                return f"contempt {self.describe(i, 'contempt')} '{self.word(i + 1)}' said of '{target}'"
        return ""

    def derogation(self, i: int) -> str:
        """An identity group with a derogatory predicate or an exclusion in the same clause."""
        if self.word(i) in _EVERYDAY_GROUPS and self.word(i + 1) in self.d._prepositions:
            return ""
        for j in self.clause_of(i):
            if j <= i or j - i > 2 * COPULA_REACH + 2:
                continue
            kinds = self.kinds(j)
            kind = next((k for k in ("derogation", "insult", "slur", "ambiguous", "insult_adj") if k in kinds), None)
            if kind and self.predicated_of(j, groups_only=True) and not self.blocked(j) and not self.negated(i):
                return f"derogation of '{self.tokens[i].word}': {self.describe(j, kind)}"
        nxt = i + 1
        if self.same_clause(i, nxt) and self.word(nxt) in _EXCLUSION_WORDS and not self.same_clause(i, nxt + 1):
            if not self.countered([i]):
                return f"exclusion of '{self.tokens[i].word}': '{self.word(nxt)}'"  # "buitenlanders buiten!"
        for _pattern, positions in self.matches.get("exclusion_phrases", []):
            if self.tokens[positions[0]].clause == self.tokens[i].clause:
                if not self.negated(positions[0], exempt=set(positions)) and not self.countered([i] + positions):
                    phrase = " ".join(self.tokens[p].word for p in positions)
                    return f"exclusion of '{self.tokens[i].word}': '{phrase}'"
        return ""

    def derogation_by_pronoun(self, i: int) -> str:
        """'ik heb een hekel aan vluchtelingen. ze zijn vies.': 'ze' takes up a group named just before."""
        subject = self.predicated_of(i)
        if subject not in ("ze", "zij", "die") or self.blocked(i):
            return ""
        sentence = self.tokens[i].sentence
        earlier = self.sentences.get(sentence - 1, []) + self.sentences[sentence]
        groups = [self.tokens[k].word for k in earlier if k < i and k in self.groups]
        if not groups:
            return ""
        return f"derogation of '{groups[-1]}' (as '{subject}'): {self.describe(i, 'derogation')}"

    def phrase(self, kind: str, positions: list[int]) -> str:
        """Hatred, targeted profanity and dismissals ('rot op', 'krijg de tering')."""
        i, last = positions[0], positions[-1]
        if self.negated(i, exempt=set(positions), after=3) or self.countered(positions) or self.in_idiom(i):
            return ""
        phrase = " ".join(self.tokens[p].word for p in positions)
        if kind == "dismissals":
            # "rot op!" or "rot op met je regels", not "kanker op jonge leeftijd".
            ends = not self.same_clause(i, last + 1) or self.word(last + 1) in ("met", "jij", "gij", "ge", "jullie", "man")
            if ends or self.names_person(last + 1) or (self.same_clause(i, last + 1) and self.is_person(last + 1)):
                if i == self.clause_of(i)[0] or self.first_target(i):
                    return f"abusive dismissal '{phrase}'"
            return ""
        target = self.first_target(i)
        if not target:
            return ""
        if kind == "curse_wishes":
            token = self.tokens[i]
            frame = {self.tokens[j].word for j in self.sentences[token.sentence] if self.tokens[j].clause <= token.clause}
            if frame.isdisjoint(self.d._wishes | self.d._normative):
                return ""  # "mijn vader heeft kanker" is news, "ik hoop dat je kanker krijgt" a curse
            return f"curse '{phrase}' wished on '{target}'"
        if kind == "hate_verbs":
            if set(self.word(j) for j in self.clause_of(i)).isdisjoint(self.d._first_person | self.d._victims):
                return ""  # "de haat tegen moslims" is about hatred, not hatred itself
            if self.word(i - 1) in _HATRED_NOUN_ARTICLES:
                return ""  # "ik schrok van de haat in de reacties": the hatred of others, named by a noun
            if target in _BEHAVIOUR_HEADS and any(
                    self.word(j) == target and self.word(j + 1) in ("die", "met", "zonder")
                    for j in self.clause_of(i) if j + 1 < len(self.tokens)):
                return ""  # "een hekel aan mensen die hun afval droppen": people by what they do
            return f"hatred '{phrase}' of '{target}'"
        return f"profanity '{phrase}' aimed at '{target}'"

