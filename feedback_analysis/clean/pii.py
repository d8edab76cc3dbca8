"""Personal data out of post texts: typed placeholders for numbers and addresses, [NAME] for people.

Two maskers, both pure functions of the text:

* :func:`mask_pii` replaces phone numbers, e-mail addresses, IBANs, Belgian national register numbers
  and Belgian licence plates by the placeholders in :data:`PLACEHOLDERS`;
* :class:`NameMasker` replaces people's names: the names known from the batch (authors, names in
  titles), @mentions, and common first names from ``resources/first_names.txt`` when the context
  shows they are used as a name.

:func:`mask_personal_data` applies both to a Series. :func:`pseudonymise` turns an author's name into
a stable salted id; :func:`load_or_create_salt` is the only function here that touches a file.

``[URL:...]`` placeholders left by the cleaning step are never changed by either masker.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import unicodedata
from collections.abc import Callable, Iterable
from functools import cache
from importlib import resources
from pathlib import Path

import pandas as pd

PLACEHOLDERS: dict[str, str] = {
    "phone": "[PHONE]",
    "email": "[EMAIL]",
    "iban": "[IBAN]",
    "national_id": "[NATIONAL_ID]",
    "plate": "[PLATE]",
    "address": "[ADDRESS]",
    "name": "[NAME]",
    "mention": "[NAME]",
}

__all__ = [
    "PLACEHOLDERS",
    "NameMasker",
    "load_or_create_salt",
    "mask_personal_data",
    "mask_pii",
    "pseudonymise",
]

_URL_PLACEHOLDER = re.compile(r"(\[URL:[^\]]*\])")
# Every pattern below needs a digit or an '@' (or a spelled-out '(at)'), so most posts skip them all.
_PII_HINT = re.compile(r"[0-9@]")
_DIGIT = re.compile(r"[0-9]")

# Speed note: several patterns below start by consuming one character from a class and only then
# look behind. A pattern that starts with a plain character class lets the regex engine skip
# ahead to candidate characters in C, which is several times faster than trying a lookbehind at
# every position of every post.


def _outside_url_placeholders(text: str, mask: Callable[[str], str]) -> str:
    """Apply ``mask`` to the parts of ``text`` that are not ``[URL:...]`` placeholders."""
    if "[URL:" not in text:
        return mask(text)
    parts = _URL_PLACEHOLDER.split(text)
    # re.split with one group puts the placeholders at the odd positions.
    return "".join(part if index % 2 else mask(part) for index, part in enumerate(parts))


# --- e-mail -------------------------------------------------------------------------------------

_AT = r"(?:@|\s?[\[(]at[\])]\s?)"
_DOT = r"(?:\.|\s?[\[(]dot[\])]\s?)"
_EMAIL = re.compile(
    rf"(?<![\w.%+\-])[\w.%+\-]+{_AT}[\w\-]+(?:{_DOT}[\w\-]+)*{_DOT}[^\W\d_]{{2,}}(?![\w\-])",
    re.IGNORECASE,
)


def _may_hold_email(text: str) -> bool:
    return "@" in text or "at)" in text or "at]" in text or "AT)" in text or "AT]" in text


# --- IBAN ---------------------------------------------------------------------------------------

# Lengths of the IBANs people around here type most. A string of exactly this shape is masked even
# when its check digits are wrong: a typo in one's own account number is still personal data.
_IBAN_LENGTHS = {"BE": 16, "NL": 18, "LU": 20, "DE": 22, "FR": 27}
_IBAN_HINT = re.compile(r"[0-9](?:(?<=[A-Za-z]{2}[0-9])|(?<=[A-Z]{2} [0-9]))[0-9]")
_IBAN_CANDIDATE = re.compile(
    r"(?<![\w])(?:[A-Za-z]{2}|[A-Z]{2} )[0-9]{2}"  # country code (a space after it only if upper case)
    r"(?:[ \-]?[A-Za-z0-9]{4}){2,7}(?:[ \-]?[A-Za-z0-9]{1,3})?(?![\w])"
)
_IBAN_SEPARATOR = re.compile(r"([ \-])")


def _iban_checksum_ok(compact: str) -> bool:
    """ISO 13616 check: move the first four characters to the end, read letters as 10..35, mod 97."""
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def _is_iban(compact: str) -> bool:
    compact = compact.upper()
    if not 15 <= len(compact) <= 34 or sum(char.isdigit() for char in compact[4:]) < 6:
        return False
    if _IBAN_LENGTHS.get(compact[:2]) == len(compact):
        return compact[:2] != "BE" or compact[4:].isdigit()
    return _iban_checksum_ok(compact)


def _replace_iban(match: re.Match[str]) -> str:
    # The pattern may swallow a short word after the number ('BE.. 7034 is'); drop groups from the
    # end until what is left is an IBAN.
    parts = _IBAN_SEPARATOR.split(match.group())
    for end in range(len(parts), 0, -2):
        if _is_iban("".join(parts[0:end:2])):
            return PLACEHOLDERS["iban"] + "".join(parts[end:])
    return match.group()


# --- Belgian national register number -----------------------------------------------------------

_NATIONAL_ID = re.compile(
    r"[0-9](?<![\w.\-/+][0-9])"  # the first digit, not inside a longer number
    r"[0-9](?P<sep>[. ]?)[0-9]{2}(?P=sep)[0-9]{2}"  # YY MM DD
    r"[ .\-]?[0-9]{3}[ .\-]?[0-9]{2}"  # sequence number, check digits
    r"(?![\w])(?![.\-/][0-9])"
)


def _national_id_checksum_ok(digits: str) -> bool:
    """The last two digits are 97 minus the first nine mod 97; born in 2000 or later: '2' + nine."""
    check = int(digits[9:])
    return check in (97 - int(digits[:9]) % 97, 97 - int("2" + digits[:9]) % 97)


def _replace_national_id(match: re.Match[str]) -> str:
    digits = re.sub(r"[^0-9]", "", match.group())
    # Written the way the number is printed on the identity card (YY.MM.DD-...): that is a national
    # register number even if a digit was mistyped.
    printed_shape = match.group("sep") == "."
    if printed_shape or _national_id_checksum_ok(digits):
        return PLACEHOLDERS["national_id"]
    return match.group()


# --- phone numbers ------------------------------------------------------------------------------

_SPACE = r"[ \u00a0]"
_PHONE_SEP = rf"(?:{_SPACE}?[./\-]{_SPACE}?|{_SPACE})"
# A candidate is a whole run of digit groups that starts like a phone number (+, 00, a trunk 0 or
# an area code in brackets); the lookarounds make sure the run is taken whole, never the tail or
# the head of a longer number. A letter may follow ('0470 12 34 56 2x gebeld').
_PHONE_RUN = re.compile(
    rf"[+(0](?<![\w+][+(0])(?<![0-9][ ./\-][+(0])"
    rf"(?:(?<=\+)[0-9]+|(?<=\()0[0-9]{{0,3}}\){_SPACE}?[0-9]+|(?<=0)[0-9]*)"
    rf"(?:(?:{_PHONE_SEP}|{_SPACE}?\(0\){_SPACE}?)[0-9]+)*"
    rf"(?![0-9]|{_PHONE_SEP}[0-9]|{_SPACE}?\(0\))"
)
_PHONE_PARTS = re.compile(rf"({_PHONE_SEP})")
_DATE_START = re.compile(r"^[0-9]{1,2}[./\-](?:[0-9]{1,2}[./\-])?(?:19|20)[0-9]{2}(?![0-9])")
_ENTERPRISE_NUMBER = re.compile(r"^0[0-9]{3}\.[0-9]{3}\.[0-9]{3}$")  # a company's KBO/VAT number
_TIME_RANGE = re.compile(r"[0-9]{1,2}[.:h][0-5][0-9]\s?-\s?[0-9]{1,2}[.:h][0-5][0-9]")
# National significant number lengths (digits after the country code) of the countries whose
# numbers Belgian posts mention most.
_PHONE_NSN_LENGTHS = {
    "32": (8, 9), "31": (9, 9), "33": (9, 9), "352": (6, 11),
    "49": (6, 11), "44": (9, 10), "212": (9, 9), "90": (10, 10),
}


def _is_phone(run: str) -> bool:
    """Whether a run of digit groups is one Belgian, Dutch or international phone number."""
    if _DATE_START.match(run) or _TIME_RANGE.search(run) or _ENTERPRISE_NUMBER.match(run):
        return False
    international = run.startswith("+") or run.startswith("00")
    groups = [re.sub(r"[^0-9]", "", group) for group in _PHONE_PARTS.split(run.replace("(0)", ""))[::2]]
    # One-digit groups only occur right after a country code ('+32 9 ...', '+31 6 ...').
    if any(len(group) < 2 for group in groups[2 if international else 0:]):
        return False
    digits = "".join(groups) if international else re.sub(r"[^0-9]", "", run)
    if international:
        digits = digits[2:] if digits.startswith("00") else digits
        for code, (shortest, longest) in _PHONE_NSN_LENGTHS.items():
            if digits.startswith(code):
                national = digits[len(code):]
                # '+32 0470 ...' is a common way of writing it; the 0 does not count.
                national = national[1:] if national.startswith("0") else national
                return shortest <= len(national) <= longest
        # Other countries only with an explicit '+', and within the E.164 length limit.
        return run.startswith("+") and 9 <= len(digits) <= 15
    if len(digits) < 2 or digits[0] != "0" or digits[1] == "0":
        return False
    if digits.startswith(("0800", "0900", "090", "070", "078")):
        return 8 <= len(digits) <= 11
    return 9 <= len(digits) <= 10


def _mask_phone_run(run: str) -> str:
    """Mask a candidate run: whole if it is one number, otherwise the numbers found inside it.

    A run that is not one number can be a number followed by another figure ('0470 12 34 56 2x
    gebeld') or two numbers in a row; from each group that can start a number (the first one, or
    one after a space), the longest sequence of groups that is a phone number is masked.
    """
    if _is_phone(run):
        return PLACEHOLDERS["phone"]
    parts = _PHONE_PARTS.split(run)  # groups at even positions, separators at odd ones
    out: list[str] = []
    index = 0
    while index < len(parts):
        starts_number = index == 0 or (index % 2 == 0 and bool(set(parts[index - 1]) & {" ", "\u00a0"}))
        if starts_number and parts[index][:1] in "+(0":
            for last in range(len(parts) - 1, index - 1, -2):
                if _is_phone("".join(parts[index:last + 1])):
                    out.append(PLACEHOLDERS["phone"])
                    index = last + 1
                    break
            else:
                out.append(parts[index])
                index += 1
        else:
            out.append(parts[index])
            index += 1
    return "".join(out)


def _replace_phone(match: re.Match[str]) -> str:
    return _mask_phone_run(match.group())


# --- Belgian licence plates ---------------------------------------------------------------------

# Three-letter words that do turn up next to three digits in municipal posts.
_NOT_PLATE_LETTERS = frozenset(
    {"BTW", "EUR", "GFT", "PMD", "KMO", "CEO", "USD", "ISO", "NMB", "RSZ", "VAT", "TVA", "KBC", "MIN", "MAX"}
)
_PLATE = re.compile(
    r"[1-9A-Z](?<![\w\-].)"  # the first character, at the start of a word
    r"(?:(?<=[1-9])(?:"
    r"[ .\-]?[A-Z]{3}[ .\-]?[0-9]{3}|-?[a-z]{3}-?[0-9]{3}"  # since 2010: 1-ABC-123
    r"|[0-9]{2}-[A-Z]{3})"  # before 1973: 123-ABC
    r"|(?<=[A-Z])[A-Z]{2}-[0-9]{3})"  # 1973-2010: ABC-123
    r"(?![\w\-])"
)
_PLATE_CUE_WORDS = ("plaat", "kenteken", "plaque", "immatriculation")
_PLATE_CUE = re.compile(
    r"(?P<cue>\b(?:nummerpla(?:at|ten)|nummer\s?plaat|nr\.?\s?plaat|plaat|kenteken|plaque"
    r"|immatriculation)\b[^.!?\n]{0,30}?)"
    r"(?<![\w\-])(?P<plate>"
    r"[1-9][ .\-]?[a-z]{3}[ .\-]?[0-9]{3}"
    r"|[a-z]{3}[ .\-]?[0-9]{3}|[0-9]{3}[ .\-]?[a-z]{3}"
    # Dutch kentekens seen near the border: AB-12-CD, 12-ABC-3, AB-123-C, A-123-BC
    r"|[a-z]{2}-[0-9]{2}-[a-z]{2}|[0-9]{2}-[a-z]{2,3}-[0-9]{1,2}|[a-z]{1,2}-[0-9]{3}-[a-z]{1,2}"
    r")(?![\w\-])",
    re.IGNORECASE,
)


def _replace_plate(match: re.Match[str]) -> str:
    letters = re.sub(r"[^A-Za-z]", "", match.group()).upper()
    if letters in _NOT_PLATE_LETTERS:
        return match.group()
    return PLACEHOLDERS["plate"]


def _replace_cued_plate(match: re.Match[str]) -> str:
    plate = match.group("plate")
    letters = re.sub(r"[^A-Za-z]", "", plate)
    # After the bare word 'plaat', spaced lower-case words are a measurement ('plaat van 200 bij
    # 300'), not a plate; after 'nummerplaat' or 'kenteken' they are a plate typed carelessly.
    weak_cue = match.group("cue").lower().startswith("plaat")
    if (weak_cue and " " in plate and letters.islower()) or letters.upper() in _NOT_PLATE_LETTERS:
        return match.group()
    return match.group("cue") + PLACEHOLDERS["plate"]


# --- street addresses ----------------------------------------------------------------------------

# Street words, as the last part of a compound ('Kerkstraat', 'Stationsplein') or alone after a
# capitalised word ('Grote Markt'); Dutch and Belgian forms.
_STREET_SUFFIXES = (
    "straat", "str", "laan", "plein", "dreef", "steenweg", "weg", "lei", "kaai", "kade", "markt", "dijk",
    "gracht", "singel", "wegel", "dries", "kouter", "driesch", "meers", "straatje", "steeg",
)
# Also the end of ordinary nouns ('loopbaan', 'werkplaats', 'rechtbank'): a street only when capitalised.
_WEAK_STREET_SUFFIXES = ("baan", "hof", "pad", "plaats", "park", "veld", "berg", "hoek", "vest")
_FRENCH_STREETS = r"(?:rue|avenue|av\.|chauss[ée]e|boulevard|bd|place|chemin|all[ée]e|quai|impasse|drève|square)"
# After the number: what shows it was a count, a time or an amount, not a house number.
_NOT_HOUSE_NUMBER = (
    r"(?:jaar|jaren|keer|maal|dag|dagen|week|weken|maand|maanden|uur|u|h|min|minuten|seconden|km|m|meter|cm|"
    r"euro|eur|kg|ton|x|stuks|procent|personen|mensen|huizen|woningen|gezinnen|bewoners|inwoners|kinderen|"
    r"leerlingen|plaatsen|containers|auto'?s|bomen|ans|fois|jours|heures|minutes)\b"
)
_HOUSE_NUMBER = (
    r"(?:,?[ \t\u00a0]*(?:nr\.?|nummer|n°|no\.?)[ \t\u00a0]*|[ \t\u00a0]+)"
    rf"(?P<number>[0-9]{{1,4}})(?![0-9]|[.,:][0-9]|[ \t\u00a0]*{_NOT_HOUSE_NUMBER}|[ \t\u00a0]*[%€])"
    r"(?:[ \t\u00a0]?[a-zA-Z](?![\w]))?"  # 12A, 12 b
    r"(?:[ \t\u00a0]?[-/][ \t\u00a0]?[0-9]{1,4}[a-zA-Z]?(?![\w]))?"  # 7-9, 12/3
    r"(?:,?[ \t\u00a0]*(?:bus|bte|boîte|boite|b\.)[ \t\u00a0]*[0-9]{1,4}[a-zA-Z]?(?![\w]))?"  # bus 2
)
_ADDRESS = re.compile(
    r"(?<![\w\[])(?P<street>"
    rf"(?:(?P<before>[A-ZÀ-Ý][\w'’\-]*)[ \t\u00a0]+)?(?P<word>[\w'’\-]*?(?i:{'|'.join(_STREET_SUFFIXES + _WEAK_STREET_SUFFIXES)}))\.?"
    rf"|(?i:{_FRENCH_STREETS})(?:[ \t\u00a0]+[\w'’\-]+){{1,4}}?"
    rf"){_HOUSE_NUMBER}",
)


def _replace_address(match: re.Match[str]) -> str:
    word = match.group("word")
    if word is not None:
        # A bare street word ('in onze straat 3 keer') needs a capitalised word before it ('Grote Markt 5').
        if _compound_prefix(word) < 2 and not (match.group("before") and word[:1].isupper()):
            return match.group()
        if word.lower().rstrip(".").endswith(_WEAK_STREET_SUFFIXES) and not word[:1].isupper():
            return match.group()
    return PLACEHOLDERS["address"]


def _compound_prefix(word: str) -> int:
    """Letters before the street suffix: 'Kerkstraat' -> 4, 'straat' -> 0."""
    lowered = word.lower().rstrip(".")
    for suffix in sorted(_STREET_SUFFIXES + _WEAK_STREET_SUFFIXES, key=len, reverse=True):
        if lowered.endswith(suffix):
            return len(lowered) - len(suffix)
    return 0


def mask_addresses(text: str) -> str:
    """Street + house number ('Kerkstraat 12', 'Stationsstraat 45 bus 2', 'Grote Markt 5',
    'rue de la Station 12') as ``[ADDRESS]``: together they identify a household. A street without a
    number is kept (it says where a problem is, not who lives there)."""
    return _ADDRESS.sub(_replace_address, text)


def _mask_pii_plain(text: str) -> str:
    if _may_hold_email(text):
        text = _EMAIL.sub(PLACEHOLDERS["email"], text)
    if not _DIGIT.search(text):
        return text
    # Longest, most specific shapes first, so that the phone pattern cannot take half of an IBAN or
    # of a national register number.
    if _IBAN_HINT.search(text):
        text = _IBAN_CANDIDATE.sub(_replace_iban, text)
    text = _NATIONAL_ID.sub(_replace_national_id, text)
    text = _PHONE_RUN.sub(_replace_phone, text)
    text = mask_addresses(text)
    text = _PLATE.sub(_replace_plate, text)
    lowered = text.lower()
    if any(word in lowered for word in _PLATE_CUE_WORDS):
        text = _PLATE_CUE.sub(_replace_cued_plate, text)
    return text


def mask_pii(text: str) -> str:
    """Replace contact and identity numbers in one text by typed placeholders.

    In: a post text. Out: the same text with phone numbers ``[PHONE]``, e-mail addresses
    ``[EMAIL]``, IBANs ``[IBAN]``, Belgian national register numbers ``[NATIONAL_ID]`` and Belgian
    licence plates ``[PLATE]``. Everything else (emoji, punctuation, dates, times, amounts,
    postcodes, ``[URL:...]`` placeholders) is kept as it was. Empty text is returned unchanged.
    """
    if not text or not (_PII_HINT.search(text) or _may_hold_email(text)):
        return text
    return _outside_url_placeholders(text, _mask_pii_plain)


# --- names --------------------------------------------------------------------------------------

# Letters that Unicode does not decompose into a plain letter plus accents, and apostrophe variants.
_FOLD_EXTRA = str.maketrans(
    {"ø": "o", "ı": "i", "ł": "l", "đ": "d", "æ": "ae", "œ": "oe", "’": "'", "‘": "'", "`": "'",
     "-": " "}
)
_WHITESPACE = re.compile(r"\s+")


def _fold(text: str) -> str:
    """Lower case, no accents, hyphens as spaces, single spaces: the key names are looked up by."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD_EXTRA))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _WHITESPACE.sub(" ", plain).strip()


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


# --- pseudonyms ---------------------------------------------------------------------------------

_SALT_BYTES = 32


def load_or_create_salt(path: Path) -> bytes:
    """Read the pseudonym salt, or create it on first use.

    In: the salt file path. Out: the salt bytes. A new salt is 32 random bytes from :mod:`secrets`,
    written hex-encoded to a file only the owner can read (mode 0600), parent folders created. An
    existing file that does not hold hex text raises ValueError: replacing it silently would give
    every author a new id. The salt is never logged or printed.
    """
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        salt = secrets.token_bytes(_SALT_BYTES)
        try:
            # O_EXCL: if two processes start at once, the second one reads the first one's salt.
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "w", encoding="ascii") as handle:
                handle.write(salt.hex() + "\n")
            return salt
    content = path.read_text(encoding="ascii", errors="replace").strip()
    try:
        salt = bytes.fromhex(content)
    except ValueError:
        raise ValueError(f"{path}: not a pseudonym salt file (expected hex text)") from None
    if len(salt) < 16:
        raise ValueError(f"{path}: pseudonym salt is too short ({len(salt)} bytes, expected {_SALT_BYTES})")
    return salt


def pseudonymise(value: str | None, salt: bytes) -> str | None:
    """Salted, stable pseudonym for an author's name or id.

    In: the value and the salt. Out: ``'a_'`` + the first 16 hex characters of
    HMAC-SHA256(salt, value), where the value is first normalised (Unicode NFC, stripped, inner
    whitespace collapsed, casefolded) so that 'Jan Peeters ' and 'jan  peeters' get the same id.
    None, NaN and blank values give None.
    """
    if not isinstance(value, str):
        return None
    normalised = _WHITESPACE.sub(" ", unicodedata.normalize("NFC", value)).strip().casefold()
    if not normalised:
        return None
    digest = hmac.new(salt, normalised.encode("utf-8"), hashlib.sha256).hexdigest()
    return "a_" + digest[:16]


# --- links and file names -------------------------------------------------------------------------

# First path segments of facebook.com links that are not a person's username.
_FACEBOOK_PATHS = frozenset(
    """
    groups pages permalink.php story.php photo.php photo photos posts videos video.php watch events
    share sharer.php l.php reel reels hashtag media notes marketplace fundraisers gaming
    """.split()
)
_FACEBOOK_HOSTS = ("facebook.com", "fb.com", "fb.me", "m.facebook.com", "web.facebook.com", "mbasic.facebook.com")
_DYI_ARCHIVE_NAME = re.compile(r"(?i)(facebook-)(?!\[NAME\])([^/!\\]+?)(-\d{1,2}[-_]\d{1,2}[-_]\d{2,4}|-\d{4}[-_]\d{2}[-_]\d{2})")


def scrub_url(url: str | None) -> str | None:
    """A link without what may identify a person: query strings are dropped (tracking ids, e-mail
    addresses, ``profile.php?id=``), and a Facebook username in the path becomes ``[NAME]``.

    ``https://www.facebook.com/jan.peeters/posts/123?__cft__=x`` -> ``https://www.facebook.com/[NAME]/posts/123``;
    group, page and post links keep their numeric ids.
    """
    if not url:
        return url
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    path = parts.path
    if host.endswith(_FACEBOOK_HOSTS) or host in _FACEBOOK_HOSTS:
        segments = path.split("/")
        if len(segments) > 1 and segments[1] and not segments[1].isdigit() and segments[1].lower() not in _FACEBOOK_PATHS:
            segments[1] = PLACEHOLDERS["name"]
        path = "/".join(segments)
    path = mask_pii(path)
    return urlunsplit((parts.scheme, parts.netloc.split("@")[-1], path, "", ""))


_FILE_NAME_SEPARATORS = re.compile(r"[_.+\-]")


@cache
def _default_masker() -> NameMasker:
    return NameMasker(())


def scrub_file_name(name: str, masker: NameMasker | None = None) -> str:
    """A source file name without the account name Facebook puts in DYI archive names
    (``facebook-sofie.vandamme-2024-01-31-abc.zip``) and without people's names
    (``reacties_Sofie_Janssens.csv`` -> ``reacties_[NAME].csv``): names known in the batch and first
    names with their surname, with ``_ - . +`` read as spaces."""
    name = _DYI_ARCHIVE_NAME.sub(lambda m: f"{m.group(1)}{PLACEHOLDERS['name']}{m.group(3)}", name)
    masker = masker or _default_masker()
    spaced = _FILE_NAME_SEPARATORS.sub(" ", name)  # same length: spans hold for both
    pieces: list[str] = []
    position = 0
    for start, end in masker.name_spans(spaced):
        if spaced[start:end].strip().lower() in ("csv", "json", "jsonl", "xlsx", "zip", "txt", "tsv"):
            continue
        pieces += [name[position:start], PLACEHOLDERS["name"]]
        position = end
    return "".join(pieces) + name[position:] if pieces else name
