"""Personal data out of post texts, part one: typed placeholders for numbers, e-mail addresses and streets.

:func:`mask_pii` replaces phone numbers, e-mail addresses, IBANs, Belgian national register numbers,
Belgian licence plates and street addresses by the placeholders in :data:`PLACEHOLDERS`. It is a pure
function of the text; ``[URL:...]`` placeholders left by the cleaning step are never changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

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


# Every match of _ADDRESS holds one of these words, in lower case once the text is lowered: a text
# without any of them skips the slow pattern, which is tried at every position.
_ADDRESS_WORDS = (*_STREET_SUFFIXES, *_WEAK_STREET_SUFFIXES, "rue", "av.", "avenue", "chaussee", "chaussée",
                  "boulevard", "bd", "place", "chemin", "allee", "allée", "quai", "impasse", "drève", "square")
# Letters that IGNORECASE matches to an ASCII letter while str.lower() does not give that letter
# alone (dotted capital I, Kelvin sign, long s): a text holding one takes the slow pattern.
_CASE_ODDITIES = "\u0130\u212a\u017f"


# A house number's first digit follows a space or the end of 'nr', 'nr.', 'nummer', 'n°', 'no', 'no.'.
_HOUSE_NUMBER_START = re.compile(r"[ \t\u00a0.ro°][0-9]")


def _may_hold_address(text: str) -> bool:
    """False when ``text`` cannot hold an address, tested without the slow pattern."""
    if not text.isascii() and any(char in text for char in _CASE_ODDITIES):
        return True
    lowered = text.lower()
    return bool(_HOUSE_NUMBER_START.search(lowered)) and any(word in lowered for word in _ADDRESS_WORDS)


def mask_addresses(text: str) -> str:
    """Street + house number ('Kerkstraat 12', 'Stationsstraat 45 bus 2', 'Grote Markt 5',
    'rue de la Station 12') as ``[ADDRESS]``: together they identify a household. A street without a
    number is kept (it says where a problem is, not who lives there)."""
    if not _may_hold_address(text):
        return text
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

