"""How the rule engine reads one word: leet, inflections, compounds, typos (a mixin of
:class:`feedback_analysis.abuse.rules.RuleDetector`)."""

from __future__ import annotations

from feedback_analysis.abuse.forms import (
    _ABUSIVE_KINDS,
    _LOOSE,
    _PERSON_KINDS,
    _PREFIX_KEY,
    _STRETCH,
    _TYPO_KINDS,
    FUZZY_MIN_LETTERS,
    SWAP_MIN_LETTERS,
    WORD_CACHE_LIMIT,
    _is_dutch_word,
    _is_swap,
    _osa_distance_is_one,
    _skeleton,
    _Word,
)


class _WordAnalysis:
    """Word analysis for :class:`RuleDetector`: every word is analysed once and cached."""


    def _spellings(self, word: str) -> list[str]:
        """The word read with digits and symbols as letters: 'k4nk3r' -> ['kanker']; plain words as they are."""
        if word.isalpha():
            return [word]
        letters = sum(c.isalpha() for c in word)
        if letters < 2 or (len(word) > 1 and word[0].isdigit() and word[1].isdigit()):
            return [word]
        readings = [""]
        for char in word:
            options = char if char.isalpha() else self._leet.get(char, char)
            readings = [r + o for r in readings for o in options]
            if len(readings) > 64:
                return [word]
        return readings

    def _word(self, word: str) -> _Word:
        info = self._words.get(word)
        if info is None:
            if len(self._words) > WORD_CACHE_LIMIT:
                self._words.clear()
                self._triggers.clear()
                self._element_words.clear()
            info = self._words[word] = self._analyse(word)
            if info.trigger:
                self._triggers.add(word)
            if info.elements:
                self._element_words[word] = info.elements
        return info

    @staticmethod
    def _known(word: str) -> bool:
        return _is_dutch_word(word)

    def _analyse(self, word: str) -> _Word:
        """Everything one written word can be. Dictionary words are read as written; other words also
        with repeated letters squeezed ('truuuut') and, failing that, one typo away ('idoit')."""
        spellings = self._spellings(word)
        guarded = word in self._not_abusive
        forms: set[str] = set()
        kinds: dict[str, tuple[str, str, str]] = {}
        for spelling in spellings:
            keys = [spelling]
            if not self._known(spelling):
                # 'idiooooot' -> 'idioot', 'truuuut' -> 'trut'; then any doubling ('trutt', 'klotzak'),
                # unless squeezing gives a dictionary word of its own ('eeter' is 'eter', not 'etter').
                keys += [_STRETCH.sub(r"\1\1", spelling), _STRETCH.sub(r"\1", spelling)]
                skeleton = _skeleton(spelling)
                keys.append(skeleton if self._known(skeleton) else _LOOSE + skeleton)
            forms.update(keys)
            for key in dict.fromkeys(keys):
                how = "" if key == word else "spelling"
                for kind, (term, inflection) in self._index.get(key, {}).items():
                    if guarded and inflection != "base":
                        continue
                    kinds.setdefault(kind, (term, how, inflection))
        if _ABUSIVE_KINDS.isdisjoint(kinds) and not guarded:
            for spelling in spellings:
                self._analyse_compound(spelling, kinds, "glued" if spelling == word else "spelling")
        if _TYPO_KINDS.isdisjoint(kinds) and not guarded and "profanity" not in kinds:
            for spelling in spellings:
                if not self._known(spelling) and not self._known(_skeleton(spelling)):
                    self._analyse_typo(spelling, kinds, forms)
        patterns, elements = set(), set()
        for form in forms:
            patterns.update(self._anchors.get(form, ()))
            elements.update(self._element_forms.get(form, ()))
            for prefix, element_id, pattern_id in self._prefixes.get(form[:_PREFIX_KEY], ()):
                if form.startswith(prefix):
                    elements.add(element_id)
                    if pattern_id is not None:
                        patterns.add(pattern_id)
        fragment = (not kinds and not patterns and word.isalpha() and 4 <= len(word) <= 7 and word not in self._function
                    and _skeleton(word) in self._fragments and not self._known(word))
        return _Word(frozenset(forms), kinds, frozenset(patterns), frozenset(elements), fragment)

    def _analyse_compound(self, word: str, kinds: dict, how: str) -> None:
        """Glued words: a curse on a person ('kankerwijf'), or a compound ending in an insult ('ambtenarentuig')."""
        for prefix in self._curse_prefixes:
            if word.startswith(prefix) and len(word) - len(prefix) >= 3:
                rest = word[len(prefix):]
                head = self._index.get(rest) or (self._index.get(rest[1:]) if rest[0] in "se" else None) or {}
                if "slur" in head:
                    kinds["slur"] = (head["slur"][0], "glued" if how == "glued" else how, "base")  # "vuilemakak"
                elif not {"insult", "staff", "person", "group", "curse_head"}.isdisjoint(head):
                    kinds["curse_compound"] = (word, how, "base")
                else:
                    kinds.setdefault("profanity", (prefix, how, "base"))
                return
        known = None
        for split in range(3, len(word) - 3):
            head, modifier_text = self._index.get(word[split:]), word[:split]
            if not head:
                continue
            added = False
            if "building" in head and "building" not in kinds and not {"group", "slur"}.isdisjoint(self._index.get(modifier_text, {})):
                kinds["building"] = (head["building"][0], how, head["building"][1])  # "homobar", "moslimwinkel"
                return
            for kind in ("insult", "slur", "staff", "person"):
                if kind not in head or kind in kinds:
                    continue
                if kind in ("insult", "slur"):
                    # 'ambtenarentuig' yes, 'voertuig' no: a dictionary word needs a person in front.
                    modifier = self._index.get(modifier_text) or self._index.get(modifier_text.rstrip("s")) or {}
                    if known is None:
                        known = self._known(word)
                    if known and _PERSON_KINDS.isdisjoint(modifier):
                        continue
                elif len(word) - split < 5 or split < 4:
                    continue  # 'oktober' is not a waiter
                kinds[kind] = (head[kind][0], how, head[kind][1])
                added = True
            if added:
                return

    def _innocent_neighbour(self, word: str) -> bool:
        """Whether a dictionary word that is not in the lexicon is one edit away from word."""
        letters = "abcdefghijklmnopqrstuvwxyz"
        splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
        variants = {a + b[1:] for a, b in splits if b}
        variants |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
        variants |= {a + c + b[1:] for a, b in splits if b for c in letters}
        variants |= {a + c + b for a, b in splits for c in letters}
        variants.discard(word)
        return any(v not in self._index and self._known(v) for v in variants)

    def _analyse_typo(self, spelling: str, kinds: dict, forms: set[str]) -> None:
        if len(spelling) < SWAP_MIN_LETTERS:
            return
        form = _skeleton(spelling)
        candidates = set(self._fuzzy.get(form, ()))
        for i in range(len(form)):
            candidates.update(self._fuzzy.get(form[:i] + form[i + 1:], ()))
        for loose in sorted(candidates):
            candidate = loose[1:]
            if candidate[0] != form[0] or not _osa_distance_is_one(form, candidate):
                continue
            if len(spelling) < FUZZY_MIN_LETTERS and not _is_swap(form, candidate):
                continue
            if self._innocent_neighbour(spelling):
                return  # "nergers" is "nergens" mistyped, not "negers"
            for kind, (term, inflection) in self._index.get(loose, {}).items():
                if kind in _TYPO_KINDS:
                    kinds.setdefault(kind, (term, "typo", inflection))
            forms.add(loose)  # lets a misspelt violent verb match its pattern
            return
