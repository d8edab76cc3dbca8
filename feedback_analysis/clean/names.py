"""Personal data out of post texts, part two: people's names become ``[NAME]``.

:class:`NameMasker` replaces the names known from the batch (authors, names in titles), @mentions,
and common first names from ``resources/first_names.txt`` when the context shows they are used as a
name. :func:`mask_personal_data` applies :func:`~feedback_analysis.clean.pii.mask_pii` and the masker
to a Series.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import pandas as pd

from feedback_analysis.clean.name_words import (
    _AFTER_FORM_OF_ADDRESS,
    _COMMON_WORDS,
    _FORMS_OF_ADDRESS,
    _MENTIONS,
    _MONTH_ABBREVIATIONS,
    _NOT_NAMES,
    _ORGANISATION_WORDS,
    _PARTICLES,
    _PLACE_SUFFIXES,
    _TAIL,
    _TITLES,
    _WORD_SURNAMES,
    _at_sentence_start,
    _first_names,
    _fold,
    _fold_word,
    _is_capitalised,
    _is_cue,
    _strip_accents_in_place,
    _surnames,
    _trie_pattern,
    _words_before,
)
from feedback_analysis.clean.pii import PLACEHOLDERS, _outside_url_placeholders, mask_pii


class NameMasker:
    """Replaces people's names in texts by ``[NAME]``; built once per ingest batch.

    In: the names known in the batch (authors' display names, names in titles); ``None``, empty
    strings, ids and organisation names ('Gemeente X', 'Bibliotheek Y') among them are ignored.
    Calling the masker on a text returns the text with ``[NAME]`` for:

    * a known full name, in any case and with or without accents ('celine peeters');
    * a part of a known name of three letters or more, capitalised ('Marleen'), and a surname with
      its particles ('Van den Broeck'); particles, places and months alone are never masked, and a
      part that is also a word ('Roos', 'Bos') is not masked at the start of a sentence;
    * @mentions with the capitalised surname after them: '@jan.peeters', '@Jan Peeters',
      '@[1234:Jan]';
    * a first name from ``resources/first_names.txt`` used as a name: capitalised (also at the start
      of a sentence), or followed by a capitalised surname (masked with it), or after a cue such as
      'bedankt', 'merci', 'dank aan', 'collega' (then also in lower case). Names that are also
      ordinary words ('Roos', 'Ben', 'Mark') need the surname or the cue;
    * the capitalised word after a form of address ('mevrouw Janssens', 'Dhr. Claes').

    Saints, royals and streets named after people are kept ('Sint-Jan', 'Koning Albert',
    'Jan Breydelstraat'). All names are compiled into one regex (a trie), so the cost per text
    hardly grows with the number of names.
    """

    def __init__(self, names: Iterable[str]) -> None:
        first_names = _first_names()
        self._first = first_names
        self._ambiguous = {name for name, ambiguous in first_names.items() if ambiguous} | _WORD_SURNAMES
        self._full: set[str] = set()
        self._parts: set[str] = set()
        for name in names:
            self._add_known_name(name, self._ambiguous)
        words = self._full | self._parts | set(first_names) | _FORMS_OF_ADDRESS
        self._names = re.compile(
            rf"(?<![\w@.'’])(?P<name>{_trie_pattern(words)})(?!\w)(?:(?=(?P<tail>{_TAIL}))|)"
        )

    def _add_known_name(self, name: object, ambiguous: set[str]) -> None:
        if not isinstance(name, str):
            return
        # Emoji, digits and other decoration in display names are dropped; a platform id leaves
        # nothing.
        tokens = [
            token for token in _fold(name.replace("_", " ")).split()
            if token.replace("'", "").replace(".", "").isalpha()
        ]
        if not tokens or any(token in _ORGANISATION_WORDS for token in tokens):
            return
        if len(tokens) > 1:
            self._full.add(" ".join(tokens))
        elif len(tokens[0]) >= 4 and tokens[0] not in _NOT_NAMES | _COMMON_WORDS | ambiguous:
            # A one-word display name ('Marleen', 'jpeeters') is masked in any case, like a full
            # name, unless it is also an ordinary word.
            self._full.add(tokens[0])
        for index, token in enumerate(tokens):
            if token in _PARTICLES:
                continue
            if len(token) >= 3 and token not in _NOT_NAMES and token not in _COMMON_WORDS:
                self._parts.add(token)
            # 'Van den Broeck': the surname with the particles in front of it, as one unit.
            start = index
            while start > 0 and tokens[start - 1] in _PARTICLES:
                start -= 1
            if start < index:
                self._parts.add(" ".join(tokens[start:index + 1]))

    def name_spans(self, text: str) -> list[tuple[int, int]]:
        """The (start, end) of every name in ``text`` (no @mentions), in order, not overlapping."""
        spans: list[tuple[int, int]] = []
        for match in self._names.finditer(_strip_accents_in_place(text)):
            if spans and match.start() < spans[-1][1]:
                continue
            span = self._name_span(text, match)
            if span is not None:
                spans.append(span)
        return spans

    def __call__(self, text: str) -> str:
        """In: a post text. Out: the text with ``[NAME]`` for every person's name found in it."""
        if not text:
            return text
        return _outside_url_placeholders(text, self._mask_plain)

    def _mask_plain(self, text: str) -> str:
        if "@" in text:
            text = self._replace(text, _MENTIONS, self._mention_span)
        # Names are matched on a copy without accents (same length), decisions use the original.
        return self._replace(text, self._names, self._name_span, _strip_accents_in_place(text))

    @staticmethod
    def _replace(
        text: str,
        pattern: re.Pattern[str],
        masked_span: Callable[[str, re.Match[str]], tuple[int, int] | None],
        scanned: str | None = None,
    ) -> str:
        """Replace by [NAME] the span that ``masked_span`` gives for each match (None: keep it).

        ``scanned`` is the text the pattern runs on if not ``text`` itself; it must have the same
        length, so that match positions hold for both.
        """
        pieces: list[str] = []
        position = 0
        for match in pattern.finditer(text if scanned is None else scanned):
            if match.start() < position:
                continue  # inside a surname already masked together with its first name
            span = masked_span(text, match)
            if span is None:
                continue
            pieces.append(text[position:span[0]])
            pieces.append(PLACEHOLDERS["name"])
            position = span[1]
        if not pieces:
            return text
        pieces.append(text[position:])
        return "".join(pieces)

    def _surname_follows(self, text: str, match: re.Match[str]) -> bool | None:
        """True if a capitalised surname follows the match, None if the match names a street."""
        if match.start("tail") < 0:
            return False
        tail = text[match.start("tail"):match.end("tail")]
        core = tail.split()[-1].lstrip("-")
        folded = _fold_word(core)
        if folded.replace(" ", "").endswith(_PLACE_SUFFIXES):
            return None
        if not core[0].isupper() or folded in _PARTICLES or folded in _NOT_NAMES or folded in _COMMON_WORDS:
            return False
        # A shouted word ('Jan PMD') is not a surname, unless the whole name is shouted.
        return not (core.isupper() and len(core) > 1 and not text[match.start():match.end()].isupper())

    def _mention_span(self, text: str, match: re.Match[str]) -> tuple[int, int] | None:
        """A mention is masked with the surname that follows it ('@Jan Peeters', and '@jan peeters'
        when that name is known); a mention of an organisation's page ('@Stad Gent') is kept."""
        handle = _fold(re.sub(r"[._\[\]:0-9]+", " ", match.group("name")[1:]))
        if handle.split(" ", 1)[0] in _ORGANISATION_WORDS:
            return None
        if self._surname_follows(text, match):
            return match.start(), match.end("tail")
        if match.start("tail") >= 0 and _fold(text[match.start() + 1:match.end("tail")]) in self._full:
            return match.start(), match.end("tail")
        return match.start(), match.end()

    def _surname_after_form_of_address(self, text: str, end: int) -> tuple[int, int] | None:
        """The span of the surname after a form of address ending at ``end``, if there is one.

        Names the masker knows are left to the name pattern, which also takes the first name in
        'Dr. Jan Peeters' along.
        """
        after = _AFTER_FORM_OF_ADDRESS.match(text, end)
        if after is None:
            return None
        core = after.group("core")
        folded = _fold_word(core)
        if (
            not core[0].isupper()
            or folded in _NOT_NAMES
            or folded in _COMMON_WORDS
            or folded in self._first
            or folded in self._parts
        ):
            return None
        return after.start("surname"), after.end("surname")

    def _name_span(self, text: str, match: re.Match[str]) -> tuple[int, int] | None:
        """The span to replace by [NAME] for this match, or None to keep the match as it is."""
        end = self._name_end(text, match)
        if end is None:
            folded = _fold_word(text[match.start():match.end()])
            if folded in _FORMS_OF_ADDRESS:
                return self._surname_after_form_of_address(text, match.end())
            return None
        return match.start(), end

    def _name_end(self, text: str, match: re.Match[str]) -> int | None:
        """Where the [NAME] placeholder for this match ends, or None to keep the match as it is;
        a surname written in lower case ('dank aan eline maes') goes with the name it follows."""
        end = self._name_end_as_written(text, match)
        if end == match.end():
            return self._lowercase_surname_end(text, match) or end
        if end is None and match.start("tail") >= 0:
            folded = _fold_word(text[match.start():match.end()])
            earlier, previous, gap = _words_before(text, match.start())
            if (folded in self._first or folded in self._parts) and folded not in _NOT_NAMES and previous not in _TITLES \
                    and self._surname_follows(text, match) is not None:
                return self._lowercase_surname_end(text, match)  # 'dank aan mark peeters', 'mark peeters'
        return end

    def _lowercase_surname_end(self, text: str, match: re.Match[str]) -> int | None:
        """The end of a surname in lower case right after a name: a common Belgian or Dutch surname
        (``resources/surnames.txt``) or a part of a name known in the batch, with its particles."""
        if match.start("tail") < 0 or text[match.start("tail")] == "-":
            return None
        words = text[match.start("tail"):match.end("tail")].split()
        core = _fold_word(words[-1])
        if core in _COMMON_WORDS or core in _NOT_NAMES or core in _PARTICLES or core.endswith(_PLACE_SUFFIXES):
            return None
        if len(words) == 1 and core in _WORD_SURNAMES:
            return None  # 'jan bos' may be a wood; 'jan de bos' is a name
        known = " ".join(_fold_word(w) for w in words) in self._parts or core in self._parts
        if known or "".join(_fold_word(w) for w in words) in _surnames():
            return match.end("tail")
        return None

    def _name_end_as_written(self, text: str, match: re.Match[str]) -> int | None:
        surname = self._surname_follows(text, match)
        with_surname = match.end("tail") if surname else match.end()
        if surname is None:
            return None  # a street: 'Jan Breydelstraat'
        start = match.start()
        earlier, previous, gap = _words_before(text, start)
        if previous in _TITLES and "," not in gap and ":" not in gap:
            return None  # a saint, a king, a place: 'Sint-Jan', 'Koning Albert'
        word = text[start:match.end()]
        folded = _fold_word(word)
        if folded in self._full:
            return match.end()
        if folded in _MONTH_ABBREVIATIONS and previous.isdigit():
            return None  # '15 Jan 2024'
        capitalised = _is_capitalised(word)
        # 'Leen, hier ook!', 'hans, ik was er ook': a name opening a sentence and followed by a comma
        # addresses someone, capitalised or not.
        if text.startswith(",", match.end()) and _at_sentence_start(text, start) and (
            folded in self._parts or folded in self._first
        ):
            return match.end()
        cue = _is_cue(earlier, previous, gap)
        ambiguous = folded in self._ambiguous
        if folded in self._parts:
            core = folded.split()[-1]  # 'van den broeck' -> 'broeck'
            if capitalised and (cue or core not in self._ambiguous or not _at_sentence_start(text, start)):
                return with_surname
            if cue or (core not in self._ambiguous and len(core) >= 4):  # 'stuur mij een berichtje amadou'
                return match.end()
        if folded in self._first:
            if capitalised and (surname or cue or not ambiguous):
                return with_surname
            # Social media is often written without capitals ('merci aan mieke', 'akkoord hans'):
            # a first name that is no ordinary word is a name in any case.
            if not ambiguous and len(folded) >= 3:
                return match.end()
        return None


def mask_personal_data(texts: pd.Series, masker: NameMasker | None = None) -> pd.Series:
    """Mask personal data in a Series of texts.

    In: a Series of str (None and NaN allowed) and an optional :class:`NameMasker`. Out: a new Series
    with the same index and name, where each text went through :func:`mask_pii` and then the masker;
    None and NaN are kept as they are. A pandas string dtype is kept, anything else becomes object.
    Numbers and e-mail addresses are masked first, so that an address such as
    'jan.peeters@example.be' becomes one ``[EMAIL]`` rather than a name and a rest.
    """
    if masker is None:
        values = [mask_pii(text) if isinstance(text, str) else text for text in texts]
    else:
        values = [masker(mask_pii(text)) if isinstance(text, str) else text for text in texts]
    dtype = texts.dtype if isinstance(texts.dtype, pd.StringDtype) else object
    return pd.Series(values, index=texts.index, name=texts.name, dtype=dtype)

