"""Hate against identity groups, by construction: a group named in a sentence and what is said of it.

:class:`GroupHate` reads the ``identity_groups``, ``group_*``, ``threat_frames``, ``counter_*`` and
``denied_claims`` sections of ``resources/abuse_nl.yaml``. In each sentence it looks for a group
("Turken", "joodse mensen", "mensen met een beperking", or a pronoun "ze/zij/die/hen" after a
sentence that named one) and for what is said of it:

* a negative attribute or a dehumanising noun after a copula, an opinion verb, a comparison or in a
  question ("X zijn (allemaal) P", "ik vind X P", "waarom zijn X zo P?", "X zijn als ratten"), or an
  insulting adjective before the group ("domme X");
* a negative emotion of the writer ("ik walg van X", "X maken me razend");
* a negated positive ("X zijn geen mensen", "nooit respect voor X", "X horen hier niet");
* exclusion with a modal ("X moeten terug", "weg met X") and stereotypes ("X komen profiteren");
* a violent act in a frame of intent, plan, wish or norm: a threat ("we gaan een einde maken aan
  alle X", "X zouden allemaal opgehangen moeten worden").

A negation just before the predicate ("X zijn niet waardeloos"), a denied claim ("het klopt niet
dat ...") or counter-speech (a report or quote with a condemnation: "wie zegt dat X ratten zijn, is
een racist") makes the sentence innocent. Words are read through :mod:`.spelling`.
"""

from __future__ import annotations

from dataclasses import dataclass

from feedback_analysis.abuse import group_words as gw
from feedback_analysis.abuse.exclusion import exclusion_of
from feedback_analysis.abuse.forms import LABELS, _inflections
from feedback_analysis.abuse.spelling import Vocabulary, has_spaced_letters, is_dutch_word, plain, split_words, words_of


@dataclass(frozen=True)
class GroupFinding:
    """What the group layer found in one text: label, reason, group kind."""

    label: str
    reason: str
    kind: str


def _broken(negation: str, following: list[str]) -> bool:
    """Whether the words after a negation make it none: "niet alleen X", "niets (meer) dan X"."""
    if following[1:2] == ["dan"] and negation in ("niet", "nie", "ni", "geen") \
            and following[0] not in ("meer", "beter", "anders", "ander", "minder"):
        return False  # "niet crimineler dan wij": a denied comparison, not "niets (meer) dan X"
    return "dan" in following or (negation in ("niet", "nie", "ni") and following[:1] != ["meer"]
                                  and bool(gw.BREAKERS.intersection(following[:1])))


def _add_identity_groups(config: dict, add, forms: dict[str, tuple]) -> None:
    """The identity group words, with the diminutives of singular nouns ("die Marokkaantjes", "Turkjes")."""
    for kind, terms in (config.get("identity_groups") or {}).items():
        for term in terms:
            add(plain(str(term)).replace("'", ""), ("group", kind, term))
            if " " not in str(term) and len(str(term)) >= 4 and not str(term).endswith(("en", "s")):
                for suffix in ("tje", "tjes", "je", "jes"):
                    forms.setdefault(plain(str(term)) + suffix, ("group", kind, term))


def _entries(config: dict, key: str) -> list[str]:
    return [plain(str(w)).replace("'", "") for w in (config.get(key) or [])]


class GroupHate:
    """Hate and threats against identity groups, from the packaged word lists (see module doc)."""

    def __init__(self, config: dict):
        forms: dict[str, tuple] = {}
        self.phrases: dict[tuple[str, ...], tuple] = {}

        def add(term: str, entry: tuple, inflect: bool = False) -> None:
            words = tuple(term.split())
            if len(words) > 1:
                self.phrases.setdefault(words, entry)
                return
            for suffix in (gw.SUFFIXES if inflect else ("",)):
                forms.setdefault(term + suffix, entry)

        _add_identity_groups(config, add, forms)
        for kind, terms in (config.get("group_adjectives") or {}).items():
            for term in terms:
                add(plain(str(term)), ("gadj", kind, term))
        for term in (config.get("targets") or {}).get("staff") or []:
            term = plain(str(term))
            for form, how in _inflections(term, "staff").items():
                if how != "diminutive":
                    forms.setdefault(form, ("staff", "staff", term))
        for term in _entries(config, "group_nouns"):
            add(term, ("gnoun", "", term))
        for kind, terms in (config.get("group_phrase_heads") or {}).items():
            for term in terms:
                add(plain(str(term)), ("ghead", kind, term))
        predicates = config.get("group_predicates") or {}
        for cls in gw.PREDICATE_CLASSES:
            for term in _entries(predicates, cls):
                add(term, (cls, "", term), inflect=cls in ("attribute", "dehumanising"))
        for key in ("group_derogation", "insult_adjectives", "contempt_adjectives"):  # the rule engine's too
            for term in _entries(config, key):
                add(term, ("attribute", "", term), inflect=True)
        for key in ("group_violence", "group_drowning"):  # waters are violence only next to a throwing verb
            for term in _entries(config, key):
                add(term, ("drowning" if key == "group_drowning" else "violence", "", term))
        for key, cls in (("threat_frames", "frame"), ("counter_reports", "report"),
                         ("counter_condemnations", "condemn"), ("denied_claims", "denied")):
            for term in _entries(config, key):
                if cls in ("report", "denied") or " " in term:
                    add(term, (cls, "", term))
        self.frames = set(_entries(config, "threat_frames"))
        self.imperatives = set(_entries(config, "imperatives"))
        self.positives = {w for w in _entries(predicates, "positive") if " " not in w}
        self.condemnations = set(_entries(config, "counter_condemnations"))
        self.vocabulary = Vocabulary(forms, set(gw.GLUE_WORDS) | self.frames)
        # Condemnations that cannot be said of a group as well ("dom", "walgelijk" can): for reported thoughts
        # nor a bare negation ("ze denken dat ... . ik kan ze niet uitstaan" is not a condemnation)
        self.strict_condemnations = {w for w in self.condemnations
                                     if forms.get(w, ("",))[0] not in ("attribute", "dehumanising", "emotion")} - gw.NEGATIONS
        self._max_phrase = max((len(p) for p in self.phrases), default=1)
        self._cold: set[str] = set()
        self._last_read: tuple[str, list] = ("", [])
        self._fragments: set[str] = set()  # cold words outside the dictionary: maybe half a word
        self._target_forms = {f for f, e in forms.items() if e[0] in gw.TARGET_CLASSES}
        self._phrase_starts = {p[0] for p in self.phrases}
        self._phrase_seconds: dict[str, set[str]] = {}  # "de" starts phrases only before "grond", ...
        for phrase in self.phrases:
            self._phrase_seconds.setdefault(phrase[0], set()).add(phrase[1])
        # Group phrases ("dat soort volk", "hun eigen land"), by their last word, for the quick test.
        self._target_phrases: dict[str, list[tuple[str, ...]]] = {}
        for phrase, entry in self.phrases.items():
            if entry[0] in gw.TARGET_CLASSES:
                self._target_phrases.setdefault(phrase[-1], []).append(phrase)

    # -- reading ----------------------------------------------------------------------------------

    def read(self, text: str) -> list[tuple[str, int, tuple | None]]:
        """(word, sentence, entry) for every word, phrases merged and spelling resolved (the last text's kept:
        the learned second opinion reads the same post again)."""
        if self._last_read[0] == text:
            return self._last_read[1]
        out = self._read(text)
        self._last_read = (text, out)
        return out

    @property
    def last_read(self) -> str:
        """The text :meth:`read` read last."""
        return self._last_read[0]

    def _read(self, text: str) -> list[tuple[str, int, tuple | None]]:
        resolve, words = self.vocabulary.resolve, []
        for word, sentence in words_of(text):
            parts = resolve(word)
            words += [(p, sentence) for p in parts] if parts else [(word, sentence)]
        forms, phrases, starts, seconds = self.vocabulary.forms, self.phrases, self._phrase_starts, self._phrase_seconds
        out: list[tuple[str, int, tuple | None]] = []
        i, count = 0, len(words)
        while i < count:
            word, sentence = words[i]
            following = words[i + 1][0] if i + 1 < count else None
            if following is not None and word in starts and following in seconds[word]:
                keys = (tuple(w for w, _ in words[i:i + n]) for n in range(min(self._max_phrase, count - i), 1, -1))
                key = next((k for k in keys if k in phrases), None)  # the longest phrase starting here
                if key is not None:
                    out.append((" ".join(key), sentence, phrases[key]))
                    i += len(key)
                    continue
            joined = word + following if following is not None else ""
            if joined in forms and word not in forms:
                out.append((joined, sentence, forms[joined]))  # "wal gelijk", "ver moorden"
                i += 2
                continue
            head = "" if "vrij" not in word else word[:-5] if word.endswith("vrije") else word[:-4] if word.endswith("vrij") else ""
            if head and forms.get(head, ("",))[0] == "group":  # "een moslimvrije zone"
                out += [(head, sentence, forms[head]), ("vrije", sentence, ("exclusion", "", "vrije"))]
            else:
                out.append((word, sentence, forms.get(word)))
            i += 1
        return out

    # -- deciding ---------------------------------------------------------------------------------

    def detect(self, text: str, words: list[str] | None = None) -> GroupFinding | None:
        """The strongest finding about an identity group in ``text``, or None.

        A finding labelled ``none`` means the post reports or denies hate: nothing in it counts.
        """
        low = plain(text)
        if not self.mentions_target(low, words):
            return None
        tokens = self.read(text)
        if not any(entry and entry[0] in gw.TARGET_CLASSES for _, _, entry in tokens):
            return None
        words = [w for w, _, _ in tokens]
        if any(entry and entry[0] == "denied" for _, _, entry in tokens) or self.denied_complement(words):
            return GroupFinding("none", "denied claim", "")
        sentences: dict[int, list[int]] = {}
        for i, (_, sentence, _) in enumerate(tokens):
            sentences.setdefault(sentence, []).append(i)
        if self.countered(tokens, low):
            # "Ze zeggen dat X ook mensen zijn. Ik denk dat ze ratten zijn.": others' words reported, then the
            # writer's own view in a sentence of its own, with no report or condemnation in it
            own = [n for n in sorted(sentences) if self._own_view(tokens, sentences[n])]
            if own:
                return self._judge_sentences(tokens, {n: sentences[n] for n in own}, words, low,
                                             carried_from=self.group_in(tokens, list(range(len(tokens)))))
            return GroupFinding("none", "counter-speech", "")
        return self._judge_sentences(tokens, sentences, words, low)

    def _own_view(self, tokens: list, positions: list[int]) -> bool:
        """A sentence in which the writer states a view ("ik denk dat ...", "ik vind ...") and reports or condemns nothing."""
        words = [tokens[i][0] for i in positions]
        entries = [tokens[i][2] for i in positions]
        return (words[:1] in (["ik"], ["k"], ["wij"], ["we"]) and bool(set(words[1:3]) & {"denk", "vind", "weet", "zeg"})
                and not any(e and e[0] in ("report", "condemn", "denied") for e in entries)
                and not set(words) & self.condemnations and not set(words) & gw.NEGATIONS)

    def _judge_sentences(self, tokens: list, sentences: dict[int, list[int]], words: list[str], low: str,
                         carried_from: tuple[str, str] | None = None) -> GroupFinding | None:
        """The strongest finding over the sentences, a pronoun taking up the group of the sentence before."""
        previous: tuple[str, str] | None = carried_from
        previous_short = False
        best: GroupFinding | None = None
        for number in sorted(sentences):
            positions = sentences[number]
            group = self.group_in(tokens, positions)
            carried = previous_short or words[positions[0]] in gw.CARRIERS  # "... X gezien? wat een freaks"
            if group is None and previous and (any(words[i] in gw.PRONOUNS for i in positions) or carried):
                group = previous
            previous_short = len(positions) <= 3
            if group is None:
                continue
            previous = group
            finding = self.judge(tokens, positions, group, question="?" in low)
            if finding and (best is None or LABELS.index(finding.label) > LABELS.index(best.label)):
                best = finding
        return best

    def mentions_target(self, low: str, words: list[str] | None = None) -> bool:
        """Quick test: whether some word may name a group or staff (most posts leave here).

        ``words`` are the text's words when the caller has them already."""
        words = split_words(low) if words is None else words
        if self._names_phrase(words):
            return True
        cold, forms = self._cold, self.vocabulary.forms
        if cold.issuperset(words) and not has_spaced_letters(low):
            return not self._fragments.isdisjoint(words) and self._split_target(words)
        if has_spaced_letters(low):
            return True
        for word in set(words) - cold:
            if word.endswith(("vrij", "vrije")) and forms.get(word[:-4 if word.endswith("vrij") else -5], ("",))[0] == "group":
                return True
            for part in self.vocabulary.resolve(word) or (word,):
                entry = forms.get(part)
                if entry and entry[0] in gw.TARGET_CLASSES:
                    return True
            if len(cold) < 500_000:
                cold.add(word)
                if not is_dutch_word(word):
                    self._fragments.add(word)
        return not self._fragments.isdisjoint(words) and self._split_target(words)

    def _names_phrase(self, words: list[str]) -> bool:
        """Whether the words hold a group phrase of several words ("dat soort volk")."""
        lasts = self._target_phrases.keys() & set(words)
        if not lasts:
            return False
        for i, word in enumerate(words):
            for phrase in self._target_phrases[word] if word in lasts else ():
                if tuple(words[i - len(phrase) + 1:i + 1]) == phrase:
                    return True
        return False

    def _split_target(self, words: list[str]) -> bool:
        """A group or staff word split in two by a space: "mos lims"."""
        targets, fragments = self._target_forms, self._fragments
        for i, word in enumerate(words):
            if word in fragments and ((i and words[i - 1] + word in targets)
                                      or (i + 1 < len(words) and word + words[i + 1] in targets)):
                return True
        return False

    def group_in(self, tokens: list, positions: list[int]) -> tuple[str, str] | None:
        """(kind, words) of the first identity group named in the sentence; else ("staff", word) or
        ("person", word) for staff or some women named ("die wijven"), who can only be threatened here."""
        person = ""
        for n, i in enumerate(positions):
            entry = tokens[i][2]
            if not entry:
                continue
            following = [tokens[j][2] for j in positions[n + 1:n + 5]]
            if entry[0] == "group":
                before = tokens[positions[n - 1]][0] if n else ""
                if entry[2] in gw.EVERYDAY_GROUPS and before in gw.SPECIFIC:
                    person = person or tokens[i][0]
                    continue  # "de vrouw aan de kassa" is one woman, "een vrouw hoort ..." all of them
                return entry[1], tokens[i][0]
            if entry[0] == "gadj" and following and following[0] and following[0][0] in ("gnoun", "group", "staff"):
                return entry[1], f"{tokens[i][0]} {tokens[positions[n + 1]][0]}"
            after = tokens[positions[n + 1]][0] if n + 1 < len(positions) else ""
            if entry[0] == "gadj" and (after in ("is", "zijn", "was", "waren", "") and n and tokens[positions[n - 1]][0]
                                       in ("die", "hij", "zij", "ze", "is", "zijn", "ook")):
                return entry[1], tokens[i][0]  # "een collega die trans is", "hij is homo": the adjective as predicate
            if entry[0] == "gnoun":
                heads = [e for e in following if e and e[0] == "ghead"]
                if heads:
                    return heads[0][1], f"{tokens[i][0]} ... {heads[0][2]}"
        staff = [tokens[i][0] for i in positions if tokens[i][2] and tokens[i][2][0] == "staff"]
        if staff:
            return "staff", staff[0]
        return ("person", person) if person else None

    def countered(self, tokens: list, low: str) -> bool:
        """A report or quote of hate together with a condemnation of it."""
        words = {w for w, _, _ in tokens}
        ordered = [w for w, _, _ in tokens]
        for k, word in enumerate(ordered):
            if word in gw.RECEIVED and set(ordered[max(0, k - 3):k]) & {"werd", "word", "wordt", "werden", "ben", "zijn"}:
                return True  # "ik werd bedreigd: ...": abuse received, reported
        if self.asked_to_stop(ordered) or gw.ironic(tokens, self.strict_condemnations) or ("?" in low and gw.answered_no(tokens)):
            return True
        if "maar" in ordered:
            turn = ordered.index("maar")
            if gw.HEARSAY.intersection(ordered[:turn]) and not any(
                    e and e[0] in ("attribute", "dehumanising", "stereotype", "violence") for _, _, e in tokens[turn:]):
                return True  # "ik hoor vaak dat X zuipen, maar mijn collega's drinken minder": a rebuttal
        for k, word in enumerate(ordered[:-2]):
            if word in gw.ABUSERS and (word == "wie" or ordered[k + 1] == "die") \
                    and gw.ABUSE_ACTS.intersection(ordered[k + 1:k + 6]):
                return True  # "iedereen die X uitscheldt is een lafaard": those who abuse the group are condemned
        quoted = '"' in low or bool(gw.SINGLE_QUOTE.search(low))
        reported = any(e and e[0] == "report" and ordered[k - 1:k] not in gw.HEDGES for k, (_, _, e) in enumerate(tokens))
        reported = reported or quoted or "wie zegt" in low
        condemned = bool(words & self.condemnations) or any(e and e[0] == "condemn" for _, _, e in tokens)
        if not reported:
            thought = any(w in gw.THOUGHTS and (w not in ("horen", "lezen") or ordered[k - 1:k] == ["te"])
                          for k, w in enumerate(ordered))
            return thought and (bool(words & self.strict_condemnations)
                                or any(e and e[0] == "condemn" for _, _, e in tokens))
        for k, (word, sentence, entry) in enumerate(tokens):
            if word in gw.NAMING and not set(ordered[max(0, k - 3):k]) & gw.FIRST_PERSON:
                return True  # "X P noemen" is about words used, unless the writer does it
            if quoted and word in gw.HEARD:
                return True  # "ik las 'X moeten dood'", "de leuze 'X buiten'": words someone else wrote
            inverted = k + 1 < len(ordered) and ordered[k + 1] in gw.OTHER_SPEAKERS and tokens[k + 1][1] == sentence
            if entry and entry[0] == "report" and ordered[k - 1:k] not in gw.HEDGES + gw.ANSWERS and (set(ordered[max(0, k - 4):k]) & gw.OTHER_SPEAKERS or inverted
                                                   or k == 0 or tokens[k - 1][1] != sentence):
                return True  # "toen je zei dat ...", "zeggen dat X P zijn toont ...": someone else's words
        return condemned

    @staticmethod
    def denied_complement(words: list[str]) -> bool:
        """'ik heb nooit gezegd dat ...', 'het is niet zo dat ...', 'ik weiger te geloven dat ...': the main
        clause denies the claim in its 'dat' clause (but "ik vind het niet normaal dat ..." is indignation)."""
        if "dat" not in words:
            return False
        at = words.index("dat")
        matrix = words[max(0, at - 7):at]
        ends = [k for k, w in enumerate(matrix) if w in gw.SCOPE_ENDS]
        matrix = set(matrix[ends[-1] + 1:] if ends else matrix)  # "ik zeg het niet graag, maar dat ...": a hedge
        return (bool(matrix & (gw.NEGATIONS | {"weiger", "weigert"})) and bool(matrix & gw.DENIAL_VERBS)
                and not matrix & gw.INDIGNATION)

    @staticmethod
    def asked_to_stop(words: list[str]) -> bool:
        """'stop met X als P af te schilderen', 'wanneer stoppen we met X ...': the post asks to stop the hate
        (the infinitive with 'te' closes the request)."""
        at = next((k for k, w in enumerate(words[:4]) if w in ("stop", "stoppen", "hou", "houd")), None)
        if len(words) < 4 or at is None or "met" not in words[at + 1:at + 3]:
            return False
        if any(word == "te" and words[k + 1:k + 2] and (words[k + 1] in gw.SPEECH_ACTS or words[k - 1] + words[k + 1] in gw.SPEECH_ACTS)
               for k, word in enumerate(words)):  # "... weg te zetten als P": a separable speech act too
            return True  # "hou op met te beweren dat ...": the request names a way of speaking about people
        return "te" in words[-3:-1] and words[-1].endswith("en")

    @staticmethod
    def _hatred(words: list[str], n: int, emotion: str, wordset: set[str], hatred_named: bool, negated) -> str:
        """The writer's hatred said with the emotion word at n ('' when none): "ik walg van X", "X maken me
        razend", "niets dan haat voor X", "ik kan ze niet uitstaan"; not disgust at hatred named as a thing."""
        if hatred_named or (words[n - 1:n] and words[n - 1] in gw.HATRED_ARTICLES):
            return ""  # "ik word misselijk van al die haat tegen X", "ik schrok van de haat over X"
        if emotion in gw.NEGATED_EMOTIONS:  # "ik kan ze niet uitstaan"
            return f"niet {emotion}" if wordset & gw.FIRST_PERSON and negated(n, 4) else ""
        if negated(n):
            return ""
        if wordset & gw.FIRST_PERSON and not gw.NOT.intersection(words[n + 1:n + 3]):
            return emotion
        noun_of = words[n + 1:n + 2] in (["voor"], ["tegen"]) and (n == 0 or words[n - 1] not in gw.ARTICLES)
        noun_of = noun_of and not gw.ARTICLES.intersection(words[max(0, n - 3):n])  # "dit soort haat tegen X"
        if noun_of or gw.SELF_OBJECTS.intersection(words[n + 1:n + 2]):  # "niets dan haat voor X", not "de haat tegen X"
            return emotion
        return ""

    def judge(self, tokens: list, positions: list[int], group: tuple[str, str], question: bool) -> GroupFinding | None:
        """What one sentence (token ``positions``) says of ``group`` (kind, words): a threat, an offence,
        a ``none`` finding that vetoes the rules (a negated threat or group), or None."""
        words = [tokens[i][0] for i in positions]
        entries = gw.with_drowning([tokens[i][2] for i in positions], words)
        kind, name = group
        wordset = set(words)

        rhetorical = question and ("waarom" in wordset or words[:1] and words[0] in gw.COPULAS)

        def negated(n: int, reach: int = 3) -> bool:
            if rhetorical:  # "waarom ... niet", "zijn X niet gewoon ziek?"
                return False
            if words[0] in gw.OPENING_NEGATIONS and n < 8 and not wordset & gw.INTENSIFIED:
                return True  # "nooit zal ik X haten", "niemand vindt X P": the fronted negation rules the clause
            start = max(0, n - reach)
            start = max([start] + [k + 1 for k in range(start, n) if words[k] in gw.SCOPE_ENDS])
            # "niet meer of minder P dan wij": the whole phrase negates P
            count = sum((w == "minder" and words[k - 3:k] == ["niet", "meer", "of"])
                        or ((w in gw.NEGATIONS and words[k + 1:k + 4] != ["meer", "of", "minder"])
                            or (w == "minder" and words[k - 2:k] != ["meer", "of"])) and not _broken(w, words[k + 1:k + 3])
                        for k, w in enumerate(words[start:n], start))
            return count % 2 == 1  # "niet minder waard" is praise

        group_at = [n for n, e in enumerate(entries) if e and e[0] in ("group", "gnoun", "gadj")]
        # a person noun said of a group carried over ("dat zijn geen mensen") is a predicate, not the group named
        named_at = [n for n in group_at if entries[n][0] != "gnoun" or words[n] in name.split()]
        if named_at and any(w in gw.NEGATIONS and not _broken(w, words[k + 1:k + 3])
                            and words[k + 1:k + 2] != [] and words[k + 1] not in gw.DENIED_QUALITIES
                            and (k >= named_at[0] - 2 or gw.QUANTIFIER_GLUE.issuperset(words[k + 1:named_at[0]]))
                            for k, w in enumerate(words[:named_at[0]]) if k >= named_at[0] - 5) \
                and not any(e and e[0] == "positive" for e in entries):
            if wordset & gw.REFUSALS and wordset & (gw.FIRST_PERSON | {"hier", "zaak", "cafe", "huis", "winkel"}):
                return GroupFinding("offensive", f"exclusion (refused) of group '{name}'", kind)
            return GroupFinding("none", "negated group", kind)  # "een hekel aan de regen, niet aan X"
        frame = bool(wordset & self.frames) or words[:1] == ["dood"]
        # "X gaan er allemaal aan"; a violent command: "knal die X neer", "tegen de muur met X"
        commanded = not question and gw.commanded(words, entries, self.imperatives)
        if commanded or (frame and words[-1:] == ["aan"] and "er" in words[:-1] and kind not in ("staff", "person")
                         and not any(w in gw.NEGATIONS for w in words)):
            return GroupFinding("threat", f"threat (command '{words[0]}') against {kind if kind in ('staff', 'person') else 'group'} "
                                          f"'{name}'" if commanded else f"threat 'er ... aan' against group '{name}'", kind)
        for n, entry in enumerate(entries):
            said = frame or bool(gw.FIRST_SUBJECTS.intersection(words[max(0, n - 2):n]))  # "ik vermoord ..."
            said = said or (words[0] in gw.FIRST_SUBJECTS and bool(entry) and entry[2] not in gw.STATES | gw.WEAPONS)
            if entry and entry[0] == "violence" and said and not negated(n, 8) \
                    and not (kind in ("staff", "person") and entry[2] in gw.WEAPONS):  # "de ober bracht messen"
                return GroupFinding("threat", f"threat '{entry[2]}' against "
                                              f"{kind if kind in ('staff', 'person') else 'group'} '{name}'", kind)
            if entry and entry[0] == "violence" and said and negated(n, 8):
                return GroupFinding("none", "negated threat", kind)  # "geen enkele X verdient te sterven"
        if kind in ("staff", "person"):  # insults of persons are the rule engine's: a work complaint is not hate
            return None
        linked = bool(wordset & gw.COPULAS) or question
        hatred_named = any(w in gw.HATRED_THINGS and words[k - 1:k] and words[k - 1] in gw.HATRED_ARTICLES | {"al", "zoveel"}
                           for k, w in enumerate(words))
        named = [n for n, e in enumerate(entries) if e and e[0] in ("group", "gadj")]
        relative = bool(named) and any(words[k] in ("die", "wie") and (words[k] == "wie" or words[k - 1] in gw.RELATIVE_HEADS)
                                       for k in range(max(1, named[0] - 2), named[0]))
        for n, entry in enumerate(entries):
            if relative and entry and entry[0] in ("attribute", "dehumanising"):
                continue  # "mensen die X uitlachen zijn zielig": said of the people, not of X
            if words[n] in self.positives and entry and entry[0] != "positive" \
                    and not (entries[n - 1:n] and entries[n - 1] and entries[n - 1][0] == "gadj"):  # "zwarte mensen" names the group
                entry = ("positive", "", words[n])
            if not entry:
                continue
            cls = entry[0]
            if cls in ("attribute", "dehumanising") and not negated(n):
                after = entries[n + 1] if n + 1 < len(entries) else None
                before_group = bool(after and after[0] in ("group", "gnoun"))
                near = any(0 < n - g <= 3 for g in group_at)
                after_group = not group_at or n > group_at[0] or question or bool(wordset & {"dan", "als"})
                if (linked and after_group) or before_group or near:
                    what = "dehumanising" if cls == "dehumanising" else "derogation"
                    return GroupFinding("offensive", f"{what} '{entry[2]}' of group '{name}'", kind)
            if cls == "emotion":
                said = self._hatred(words, n, entry[2], wordset, hatred_named, negated)
                if said:
                    return GroupFinding("offensive", f"hatred '{said}' of group '{name}'", kind)
                continue
            if cls == "positive" and ("dan" in words[max(0, n - 2):n] or words[n - 1:n] == ["andere"]):
                continue  # "niet crimineler dan andere mensen": the compared, not a predicate
            after = cls == "positive" and words[n].startswith(gw.AFTER_NEGATED) and bool(gw.NOT.intersection(words[n + 1:n + 3]))
            after = after or (cls == "positive" and words[n - 1:n] == ["minder"])  # "minder slim", also asked
            # "hoe kan iemand X vertrouwen?": asked as if no one could
            asked = cls == "positive" and question and not wordset & gw.NEGATIONS and (
                words[:2] in (["hoe", "kan"], ["hoe", "kun"], ["wie", "kan"], ["wie", "heeft"], ["waarom", "zouden"],
                              ["waarom", "zou"], ["wat", "hebben"]) or "ooit" in wordset
                # "zijn X eigenlijk wel echte mensen?": doubted
                or (words[0] in ("zijn", "is", "kunnen", "kan") and "wel" in wordset and entry[2] in gw.DOUBTED))
            # "waarom kunnen X niet gewoon normaal doen?": asked why they cannot, as if they never do
            asked = asked or (cls == "positive" and question and "waarom" in wordset and bool(wordset & {"kunnen", "kan", "willen", "wil"})
                              and bool(wordset & {"niet", "nooit"}))
            if cls == "positive" and entries[n - 1:n] and entries[n - 1] and entries[n - 1][0] in ("attribute", "dehumanising"):
                continue  # "X zijn geen zieke mensen": the attribute is denied, not their humanity
            if cls == "positive" and (negated(n, 4) or after or asked):
                return GroupFinding("offensive", f"derogation (negated positive) '{entry[2]}' of group '{name}'", kind)
            if cls == "exclusion" and wordset & gw.MODALS and not negated(n, 2):
                return GroupFinding("offensive", f"exclusion '{entry[2]}' of group '{name}'", kind)
            if cls == "stereotype" and not negated(n, 2):
                return GroupFinding("offensive", f"derogation (stereotype) '{entry[2]}' of group '{name}'", kind)
        how = exclusion_of(words, group_at, question, negated)
        if how == "only a gone one is good" and wordset & {"dode", "dooie", "dood", "doden", "geexecuteerde", "begraven", "opgehangen"}:
            return GroupFinding("threat", f"threat (only a dead one is good) against group '{name}'", kind)
        return GroupFinding("offensive", f"exclusion ({how}) of group '{name}'", kind) if how else None
