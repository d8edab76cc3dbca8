"""One pass over a text's tokens: opinion words with their negations, modifiers and clauses.

:class:`ClauseScan` walks the tokens left to right and collects, per clause, the opinion "hits"
(``[value, words, position, negated]``) with the clause's weight (contrast), exclamation marks and
question damping. Each kind of token has its own small method; the state they share (open negation,
modifier, "te", concession ...) lives on the scan, which is made anew for every text.
"""

from __future__ import annotations

from feedback_analysis.sentiment import rules
from feedback_analysis.sentiment.lexicon import PARTICIPLE_RE, STRETCH_RE, PlainWord, SentimentLexicon
from feedback_analysis.sentiment.rules import CONTRAST, INTENS, NEG, PLAIN

QUOTES = frozenset('"\'“”‘’„«»')


class ClauseScan:
    """The clauses of one tokenized text; call :meth:`run` once.

    After the run: ``clauses`` (weight, exclamations, question damping, hits), ``spans`` (first and
    end token of each clause), ``regrets`` (indexes of regret clauses) and the counters ``negations``,
    ``exclamations``, ``caps_words``, ``letter_words``, ``emoji_sum``.
    """

    def __init__(self, lexicon: SentimentLexicon, tokens: list[tuple[str, str, str]]):
        self.lex = lexicon
        self.tokens = tokens
        self.clauses: list[tuple[float, int, float, list]] = []
        self.spans: list[tuple[int, int]] = []
        self.regrets: set[int] = set()
        self.hits: list[list] = []       # [value, words, position, negated] of the current clause
        self.segment = 0                 # first hit after the last comma: post-negation reaches no further
        self.weight = 1.0
        self.negation_left = 0           # words a negation still reaches
        self.pending = -1                # position of a negation not yet used, for "lekker was het niet"
        self.modifier, self.modifier_left, self.too_left = 1.0, 0, 0
        self.persistent = False          # "al drie weken" seen in this clause
        self.negations = self.exclamations = self.caps_words = self.letter_words = 0
        self.emoji_sum = 0.0
        self.recent: list[tuple[int, str, str]] = []  # (position, form, lemma) of the clause's last words
        self.hit_factor, self.conceding = 1.0, False  # "hoewel X, Y": X counts less, Y more
        self.clause_start = 0
        # Cues for the constructions read after the scan, so texts without any skip them cheaply.
        self.cues: set[str] = set()      # words of lexicon.construction_cues seen
        self.eye_roll = False            # 🙄, 😒 ...
        self.question = False            # a "?" somewhere
        self.quoted = False              # a quotation mark somewhere
        self.judging = False             # the writer's own judgement found by a construction ("chaos troef")

    def run(self, shortcut: bool = True) -> ClauseScan:
        """Scan the tokens. ``shortcut=False`` sends every word through the full rules (for tests:
        the result is the same, only slower)."""
        tokens, plain_info, recent = self.tokens, self.lex.plain_info, self.recent
        # Words no rule reacts to and that open or close nothing (most words): their lemma, cached.
        simple = self.lex.simple_words if shortcut else {}
        window = rules.PAIR_WINDOW
        letters = caps = 0  # counted here for the words skipped, added to the scan's counters at the end
        i, n = 0, len(tokens)
        while i < n:
            kind, low, raw = tokens[i]
            if kind == "word":
                lemma = simple.get(low)
                if lemma is None:
                    info = plain_info(low) if shortcut else None
                    if info is not None and not (info.phrase_start or info.post_negation_start or info.breaks_scope):
                        lemma = info.lemma
                if lemma is not None and not (self.too_left or self.negation_left or self.modifier_left):
                    # Most words: plain, and no scope open for them to move on; what _skip_plain does.
                    letters += 1
                    if len(raw) >= 3 and raw.isupper():
                        caps += 1
                    recent.append((i, low, lemma))
                    if len(recent) > window:
                        del recent[0]
                    i += 1
                    continue
                if lemma is not None:  # a simple word inside an open scope
                    info = plain_info(low)
                i = self._word(i) if info is None or not self._skip_plain(i, info) else i + 1
            elif kind == "punct":
                i = self._punctuation(i)
            elif kind == "emoticon" or kind == "other":
                i = self._symbol(i)
            else:
                i += 1  # a number
        self.letter_words += letters
        self.caps_words += caps
        self.close_clause(0, 0.0, n)
        return self

    def _skip_plain(self, i: int, info: PlainWord) -> bool:
        """Count a plain word and move the scopes on, as :meth:`_word` would; False (nothing done) when
        the context makes it more than plain: a phrase or post-negation starting here, a "te" or
        negation waiting for it."""
        _, low, raw = self.tokens[i]
        if self.too_left or (self.negation_left and info.completes):
            return False
        if info.phrase_start and self.lex.match_phrase(self.tokens, i) is not None:
            return False
        if info.post_negation_start and i + 1 < len(self.tokens) and (
                (low, self.tokens[i + 1][1]) in self.lex.post_negations):
            return False
        self.letter_words += 1
        if len(raw) >= 3 and raw.isupper():
            self.caps_words += 1
        recent = self.recent
        recent.append((i, low, info.lemma))
        if len(recent) > rules.PAIR_WINDOW:
            del recent[0]
        if info.breaks_scope:
            if self.negation_left:
                self.negation_left = 0
                self.resolve_negation(i)
            self.modifier_left = 0
        else:
            if self.negation_left and len(low) > 3:
                self.negation_left -= 1
                if self.negation_left == 0:
                    self.resolve_negation(i)
            if self.modifier_left:
                self.modifier_left -= 1
        return True

    # -- shared steps ------------------------------------------------------------------------------

    def add(self, value: float, words: str, position: int, negated: bool) -> None:
        self.hits.append([value * self.hit_factor, words, position, negated])

    def resolve_negation(self, at: int) -> None:
        """An unused negation that ends its clause negates the opinion word just before it
        ("sympathiek zijn ze niet", "plezant is anders"); one without any is a weak complaint."""
        tokens, hits, pending = self.tokens, self.hits, self.pending
        if pending >= 0 and len(hits) > self.segment:
            last = hits[-1]
            # Only verbs ("doen", "gegeten") and adverbs ("echt") may follow such a negation.
            trailing = any(
                tokens[k][0] == "word" and not self.lex.may_trail_negation(tokens[k][1])
                for k in range(pending + 1, at)
            )
            if not trailing and pending - last[2] <= 5 and not last[3]:
                last[0] = self.lex.negate(last[0])
                last[3] = True
                last[1] = f"{last[1]} (+{tokens[pending][1]})"
                pending = -1
        if pending >= 0 and rules.UNUSED_NEGATION:
            # "ze namen niet op", "geen drankkaart aangeboden": something expected did not happen.
            hits.append([rules.UNUSED_NEGATION * self.hit_factor, "(" + tokens[pending][1] + ")", pending, True])
        self.pending = -1

    def close_clause(self, exclaim: int, question: float, at: int) -> None:
        self.resolve_negation(at)
        self.clauses.append((self.weight, exclaim, question, self.hits))
        self.spans.append((self.clause_start, at))
        self.clause_start = at + 1
        self.hits = []
        self.segment = 0
        self.hit_factor, self.conceding = 1.0, False
        self.recent.clear()

    def _end_scopes(self) -> None:
        self.negation_left = self.modifier_left = self.too_left = 0

    # -- tokens by kind ----------------------------------------------------------------------------

    def _punctuation(self, i: int) -> int:
        low = self.tokens[i][1]
        if low == "," or low[0] in "-–—()[]":
            # A comma ends the scope of negations and modifiers, not the clause.
            self.resolve_negation(i)
            self._end_scopes()
            self.segment = len(self.hits)
            if self.conceding:
                self.hit_factor, self.conceding = rules.AFTER_CONTRAST, False
            return i + 1
        exclaim = low.count("!")
        self.exclamations += exclaim
        self.question = self.question or "?" in low
        # A question ("weet iemand ...?", "is het nog open?") mostly asks, it does not judge.
        self.close_clause(exclaim, rules.QUESTION_DAMPING if "?" in low and "!" not in low else 0.0, i)
        self._end_scopes()
        self.persistent = False
        return i + 1

    def _symbol(self, i: int) -> int:
        kind, low, raw = self.tokens[i]
        polarity = self.lex.emoticons.get(low) if kind == "emoticon" else self.lex.emoji_polarity(raw)
        if kind == "other":
            if raw.replace("\ufe0f", "") in self.lex.irony_emoji:
                self.eye_roll = True
            elif raw in QUOTES:
                self.quoted = True
        if polarity:
            self.emoji_sum += polarity
            self.add(polarity, raw, i, True)
        return i + 1

    def _word(self, i: int) -> int:
        tokens, lex = self.tokens, self.lex
        _, low, raw = tokens[i]
        self.letter_words += 1
        caps = len(raw) >= 3 and raw.isupper()
        self.caps_words += caps
        if low in lex.construction_cues:
            self.cues.add(low)
        if i == 0 and low in lex.salutations and lex.is_salutation(tokens):
            return i + 1
        following = tokens[i + 1][1] if i + 1 < len(tokens) else ""
        if (low, following) in lex.post_negations:
            self.resolve_negation(i)
            self.pending = i + 1
            return i + 2
        if low in lex.concessive:
            self.hit_factor, self.conceding = rules.BEFORE_CONTRAST, True
            return i + 1
        phrase = lex.match_phrase(tokens, i)
        if phrase is not None:
            return self._phrase(i, *phrase)
        token_kind, value, lemma = lex.classify_token(low)
        pair_value = None
        if low in lex.pairs or lemma in lex.pairs:
            pair_value = lex.match_pair(low, lemma, self.recent, tokens, i, self.negation_left > 0)
        self.recent.append((i, low, lemma))
        if len(self.recent) > rules.PAIR_WINDOW:
            del self.recent[0]
        if pair_value is not None:
            token_kind, value = PLAIN, pair_value
        if token_kind == NEG or (i and (tokens[i - 1][1], low) in lex.negation_bigrams):
            return self._negation(i, low, following)
        if token_kind == INTENS:
            own = lex.own_polarity(low)
            if own == 0.0 or lex.modifies_next(tokens, i + 1):
                self.modifier = self.modifier * value if self.modifier_left else value
                self.modifier_left = 2
                return i + 1
            value = own  # "super!", "bijzonder" on their own are opinion words
        elif token_kind == CONTRAST:
            return self._contrast(i, low, following)
        if low in lex.too:
            self.too_left = 1
            return i + 1
        if (self.negation_left or low in lex.complaint_cues) and self._complaint_pattern(i, low, value):
            return i + 1
        if value != 0.0:
            self._opinion(i, low, value, caps)
        elif self.too_left and lex.is_adjective_like(low, lemma):
            # "niet te lang (moeten) wachten": the negation covers "te lang" and what follows.
            self.add(lex.negate(rules.TOO_PENALTY) if self.negation_left else rules.TOO_PENALTY, "te " + low, i, True)
            self.too_left = 0
            self.pending = -1
        else:
            self._plain_word(i, low)
        return i + 1

    def _phrase(self, i: int, length: int, value: float) -> int:
        value *= self.modifier if self.modifier_left else 1.0
        negated = self.tokens[i][1] in self.lex.negations
        if self.negation_left and not negated:
            value = self.lex.negate(value)
            negated = True
            self.pending = -1
        self.add(value, " ".join(t[1] for t in self.tokens[i:i + length]), i + length - 1, negated)
        last = self.tokens[i + length - 1][1]
        if last in self.lex.construction_cues:  # "op zijn best": a postmodifier's last word, inside a phrase
            self.cues.add(last)
        self._end_scopes()
        return i + length

    def _negation(self, i: int, low: str, following: str) -> int:
        if (low, following) in self.lex.negation_breakers:
            return i + 2 if following not in self.lex.intensifiers else i + 1
        self.resolve_negation(i)
        self.negations += 1
        self.negation_left = rules.NEGATION_SCOPE
        self.pending = i
        if self.persistent:
            self.add(rules.PERSISTENT_NEGATION, "al ... " + low, i, True)  # "al drie weken niet ..."
            self.persistent = False
        return i + 1

    def _contrast(self, i: int, low: str, following: str) -> int:
        tokens = self.tokens
        if self.is_optative(i):
            # "had ik het maar geweten", "was het maar zo": a regret, not a contrast.
            self.add(rules.REGRET, tokens[self.clause_start][1] + " ... " + low, i, True)
            self.regrets.add(len(self.clauses))
            return i + 1
        # "niet alleen ... maar ook", "maar liefst", "maar 5 euro" are no contrast.
        if following not in self.lex.contrast_breakers and not (i + 1 < len(tokens) and tokens[i + 1][0] == "number"):
            self.close_clause(0, 0.0, i)
            self.clauses[:] = [(min(w, rules.BEFORE_CONTRAST), e, q, h) for w, e, q, h in self.clauses]
            self.weight = rules.AFTER_CONTRAST
            self._end_scopes()
        return i + 1

    def is_optative(self, at: int) -> bool:
        """True for "maar" in a verb-first past clause with a subject: "had ik het maar geweten"."""
        words = [low for kind, low, _ in self.tokens[self.clause_start:at] if kind == "word"]
        # A subject right after the verb: "was lekker maar duur" (subject dropped) stays a contrast.
        return 2 <= len(words) <= 5 and words[0] in self.lex.optative_verbs and words[1] in self.lex.optative_subjects

    def _complaint_pattern(self, i: int, low: str, value: float) -> bool:
        """Complaints without an opinion word; True when the word is used up by one."""
        lex, tokens = self.lex, self.tokens
        if low in lex.persistence and lex.is_time_span(tokens, i + 1, lex.time_units):
            self.persistent = True
            self.add(rules.PERSISTENCE, low + " ...", i, True)
        elif low in lex.persistence and lex.is_time_span(tokens, i + 1, lex.repeat_counts):
            self.persistent = True  # "al drie keer": a complaint only if a negation follows
        elif low in lex.repetition:
            self.add(rules.REPETITION, low, i, True)
        elif low in lex.nobody:
            self.add(rules.NOBODY, low, i, True)
        elif self.negation_left and (
            low in lex.response_nouns
            or (value == 0.0 and low not in lex.participle_exceptions and PARTICIPLE_RE.match(low))
        ):
            # "geen antwoord", "niet opgehaald", "nog steeds niet hersteld"
            self.add(rules.NOT_DONE, "neg + " + low, i, True)
            self.negation_left, self.pending = 0, -1
            return True
        return False

    def _opinion(self, i: int, low: str, value: float, caps: bool) -> None:
        if self.modifier_left:
            value *= self.modifier
        comparative = low.endswith(("er", "ere")) and low not in self.lex.own_words
        if value > 0 and comparative and self.lex.after_modal(self.recent):
            value *= rules.MODAL_COMPARATIVE  # "mag wat vriendelijker", "kon beter"
        if self.too_left and value <= 0.15:
            value = min(value, 0.0) + rules.TOO_PENALTY  # "te duur", "veel te klein"
        if caps:
            value *= rules.CAPS_BOOST
        if STRETCH_RE.search(low):
            value *= rules.STRETCH_BOOST
        negated = False
        if self.negation_left:
            value = self.lex.negate(value)
            self.negation_left, self.pending, negated = 0, -1, True
        self.add(value, low, i, negated)
        self.modifier_left = self.too_left = 0

    def _plain_word(self, i: int, low: str) -> None:
        if low in self.lex.scope_breakers:
            # A new clause ("die", "dat", "omdat", "en") ends the reach of a negation.
            if self.negation_left:
                self.negation_left = 0
                self.resolve_negation(i)
            self.modifier_left = 0
        # Small words keep the scopes alive ("niet zo'n goede", "niet echt lekker").
        elif self.negation_left and len(low) > 3:
            self.negation_left -= 1
            if self.negation_left == 0:
                self.resolve_negation(i)
        if self.modifier_left:
            self.modifier_left -= 1
        if self.too_left:
            self.too_left -= 1
