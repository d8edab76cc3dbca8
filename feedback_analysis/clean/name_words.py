"""The words the name masker knows: first names, surnames, particles, cues, and words that are not names.

Also the folding and trie helpers that turn a word list into one fast pattern.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from importlib import resources

from feedback_analysis.text_nl import strip_accents

# Letters that Unicode does not decompose into a plain letter plus accents, and apostrophe variants.
_FOLD_EXTRA = str.maketrans(
    {"ø": "o", "ı": "i", "ł": "l", "đ": "d", "æ": "ae", "œ": "oe", "’": "'", "‘": "'", "`": "'",
     "-": " "}
)
_WHITESPACE = re.compile(r"\s+")


def _fold(text: str) -> str:
    """Lower case, no accents, hyphens as spaces, single spaces: the key names are looked up by."""
    return _WHITESPACE.sub(" ", strip_accents(text.casefold().translate(_FOLD_EXTRA))).strip()


def _fold_word(word: str) -> str:
    """:func:`_fold` with a fast path for the plain ASCII words most names are."""
    if word.isascii() and word.isalpha():
        return word.lower()
    return _fold(word)


@cache
def _accent_table() -> dict[int, str]:
    """Accented Latin letter -> the same letter without accent, in the same case ('É' -> 'E').

    Every character maps to exactly one character, so a text translated with this table has the
    same length as the original and a match in it points at the same place in the original. The
    name pattern can then spell each letter as a two-character class ('[Ee]'), which compiles
    fast, instead of listing all accented forms.
    """
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        char = chr(code)
        folded = _fold(char)
        if len(folded) == 1 and "a" <= folded <= "z":
            table[code] = folded.upper() if char.isupper() else folded
    return table


def _strip_accents_in_place(text: str) -> str:
    """``text`` with accented letters replaced one for one by plain ones (see :func:`_accent_table`)."""
    return text if text.isascii() else text.translate(_accent_table())


def _char_pattern(char: str) -> str:
    # Explicit cases rather than re.IGNORECASE: the regex engine rejects a trie branch whose first
    # class does not match in one step, which keeps the pattern fast however many names it holds.
    if "a" <= char <= "z":
        return f"[{char.upper()}{char}]"
    if char == " ":
        return r"[\s\-]+"  # 'Jean Pierre', 'Jean-Pierre'
    if char == "'":
        return "['’`]?"  # "D'Hondt", 'D’Hondt', 'DHondt'
    if char == ".":
        return r"\.?"
    return re.escape(char)


def _trie_pattern(words: Iterable[str]) -> str:
    """One regex alternation for many folded words, as a trie, so that matching does not slow down
    with the number of names. Longer words are tried before their prefixes."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_node_pattern(trie)


def _trie_node_pattern(node: dict[str, dict]) -> str:
    branches = [
        _char_pattern(char) + _trie_node_pattern(child) for char, child in sorted(node.items()) if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


# Surname particles, never masked on their own.
_PARTICLES = frozenset(
    """
    van von vanden vander vande de den der des du le la vd v.d. ter ten te 't del della da di dos el
    al bin ibn
    """.split()
)
# 'Ben' is a first name on its own but a particle in 'Youssef Ben Ali'.
_PARTICLE_PATTERN = "(?:" + "|".join(
    re.escape(particle) for particle in sorted(_PARTICLES | {"ben"}, key=len, reverse=True)
) + ")"

# Words that are never a person's name on their own, though they can be part of a display name
# ('Stad Gent') or follow a first name ('Jan Gent'): months, days, places, services.
_NOT_NAMES = frozenset(
    """
    januari februari maart april mei juni juli augustus september oktober november december
    janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre
    maandag dinsdag woensdag donderdag vrijdag zaterdag zondag
    lundi mardi mercredi jeudi vendredi samedi dimanche
    gent aalst antwerpen brussel bruxelles leuven brugge mechelen kortrijk hasselt genk oostende
    dendermonde lokeren ninove geraardsbergen oudenaarde ronse eeklo deinze wetteren zele hamme
    temse beveren lier geel mol turnhout herentals aarschot tienen diest vilvoorde halle zaventem
    ieper roeselare waregem tielt torhout knokke blankenberge nieuwpoort veurne poperinge menen
    harelbeke izegem lommel tongeren bilzen beringen namen namur luik liege bergen mons charleroi
    doornik tournai waver wavre merelbeke destelbergen lochristi evergem drongen gentbrugge ledeberg
    mariakerke wondelgem oostakker zwijnaarde melle zottegem amsterdam rotterdam utrecht eindhoven
    belgie belgique vlaanderen wallonie nederland frankrijk europa schelde leie dender
    pmd gft ocmw cpas bpost proximus telenet delhaize colruyt aldi lidl lijn nmbs sncb mivb vrt vtm
    fluvius recypark containerpark stad gemeente politie brandweer
    """.split()
)
# Capitalised at the start of a sentence or as a shout, these are not a surname after a first name.
_COMMON_WORDS = frozenset(
    """
    de het een en of maar want dus ik jij je u hij zij ze wij we jullie dat dit die deze wat wie
    waar wanneer hoe waarom ja nee neen niet geen ook nog wel zo dan toen nu hier daar er is zijn
    was waren heb hebt heeft hebben had kan kunnen moet moeten mag zal zou wordt worden gaat gaan
    komt komen bedankt dank merci thanks sorry proficiat hallo hoi dag goedemorgen goeiemorgen
    goedenavond groetjes super top mooi goed leuk prima inderdaad klopt helaas gelukkig echt zeker
    misschien graag alvast veel ok oke okay voor met op in aan bij naar uit over om tot na door
    zonder tegen onder tussen sinds tijdens the and le la les et tu il elle nous vous bonjour oui non
    mevrouw meneer mijnheer juffrouw collega
    """.split()
)
# Words in a display name that show the author is an organisation, not a person.
_ORGANISATION_WORDS = frozenset(
    """
    gemeente stad politie politiezone ocmw cpas vzw asbl bv nv bvba cvba srl sprl school
    bibliotheek bib brandweer dienst team club fc kfc sk vc bc jeugdhuis cultuurcentrum comite
    oudercomite wijkcomite buurtcomite zwembad sporthal parochie kerk facebook instagram groep group
    pagina page official officieel nieuws news radio tv krant commune ville
    """.split()
)
# Common Flemish and Dutch surnames that are also ordinary words: as a part of a known name they are
# masked inside a sentence but not at its start ('Bos is hier mooi').
_WORD_SURNAMES = frozenset(
    """
    bos wit smet vos wolf haan valk vink vogel koning keizer bakker visser smit mulder boer brouwer
    kok groot klein jong oude hoek berg beek dijk broek veld bosch meulen molen hout steen kuiper
    schepper snijder timmerman verhoeven zwart bruin rood groen
    """.split()
)
_MONTH_ABBREVIATIONS = frozenset({"jan"})

# Words right before a name that show it is one ('bedankt Jan', 'mevrouw Peeters').
_CUES = frozenset(
    """
    bedankt merci dankjewel dankuwel dankzij mevrouw meneer mijnheer juffrouw juf meester collega
    dokter hallo hoi hey proficiat groetjes groeten madame monsieur mademoiselle
    """.split()
)
_ABBREVIATED_CUES = frozenset({"mr", "mevr", "mvr", "dhr", "dr", "mme", "mlle"})  # may end with '.'
_CUES_AFTER_DANK = frozenset({"aan", "u", "je", "jullie"})  # 'dank aan Jan', 'dank je Eva'
# Words right before a first name that make it part of a place or an institution ('Sint-Jan').
_TITLES = frozenset(
    "sint st ste sainte saint san santa heilige koning koningin prins prinses keizer".split()
)
_PLACE_SUFFIXES = (
    "straat", "laan", "plein", "dreef", "steenweg", "lei", "kaai", "markt", "park", "school", "kerk",
    "ziekenhuis", "kliniek", "zaal", "centrum", "college", "instituut",
)
_SENTENCE_END = frozenset(".!?…:;\n\"“”([")
_MENTION = r"@(?<![\w.+\-@]@)(?:\[[^\]\n]{1,80}\]|\w(?:[\w.\-]*\w)?)"
# The word after a name, with any particles before it: looked at (not consumed) to decide whether
# the name comes with a surname. A hyphen joins double first names ('Marie-Louise').
_TAIL = rf"(?:[ \t\u00a0]+|-)(?:(?i:{_PARTICLE_PATTERN})[ \t\u00a0]+){{0,3}}[^\W\d_][\w'’\-]*"
_MENTIONS = re.compile(rf"(?P<name>{_MENTION})(?:(?=(?P<tail>{_TAIL}))|)")
# Forms of address: the capitalised word after one is a surname even if nobody in the batch has
# it ('mevrouw Janssens', 'Dhr. Claes'). They are in the name pattern, so no extra pass is needed.
_FORMS_OF_ADDRESS = frozenset(
    """
    mevrouw mevr mvr meneer mijnheer mr dhr juffrouw juf meester dokter dr madame mme mlle
    mademoiselle monsieur
    """.split()
)
_AFTER_FORM_OF_ADDRESS = re.compile(
    r"\.?[ \t\u00a0]+"
    rf"(?P<surname>(?:(?i:{_PARTICLE_PATTERN})[ \t\u00a0]+){{0,3}}(?P<core>[^\W\d_][\w'’\-]*))"
)


@cache
def _surnames() -> frozenset[str]:
    """Folded common surnames in Belgium and the Netherlands, from surnames.txt (one per line)."""
    text = resources.files("feedback_analysis").joinpath("resources/surnames.txt").read_text("utf-8")
    # 'Van der Meer' counts as 'vandermeer' only: 'meer' alone is a word.
    return frozenset(_fold(line).replace(" ", "") for line in text.splitlines() if line.strip() and not line.startswith("#"))


@cache
def _first_names() -> dict[str, bool]:
    """Folded first name -> whether it is ambiguous (also an ordinary word), from first_names.txt."""
    text = resources.files("feedback_analysis").joinpath("resources/first_names.txt").read_text("utf-8")
    names: dict[str, bool] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        ambiguous = line.endswith("*")
        folded = _fold(line.rstrip("*"))
        letters = sum(char.isalpha() for char in folded)
        ambiguous = ambiguous or letters < 3 or folded in _NOT_NAMES or folded in _COMMON_WORDS
        names[folded] = names.get(folded, False) or ambiguous
    return names


def _words_before(text: str, start: int) -> tuple[str, str, str]:
    """The two words before ``start`` (lower case) and the characters between them and ``start``."""
    head = text[max(0, start - 40):start]
    stripped = head.rstrip(" \t\u00a0,:.-")
    words = stripped.rsplit(None, 2)[-2:]
    previous = words[-1].lower() if words else ""
    earlier = words[-2].lower() if len(words) == 2 else ""
    return earlier, previous, head[len(stripped):]


def _is_cue(earlier: str, previous: str, gap: str) -> bool:
    if previous in _ABBREVIATED_CUES:
        return True
    if "." in gap or "-" in gap:
        return False  # a sentence or a compound ended between the cue and the name
    return previous in _CUES or (previous in _CUES_AFTER_DANK and earlier == "dank")


def _is_capitalised(word: str) -> bool:
    last = word.split()[-1].split("-")[-1] if word.strip() else word
    return bool(last) and last[0].isupper()


def _at_sentence_start(text: str, start: int) -> bool:
    head = text[max(0, start - 40):start].rstrip()
    return not head or head[-1] in _SENTENCE_END

