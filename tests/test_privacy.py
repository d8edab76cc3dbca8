"""Tests for feedback_analysis.privacy. All names and numbers here are invented."""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import stat
import sys

import pandas as pd
import pytest

from feedback_analysis.privacy import (
    PLACEHOLDERS,
    NameMasker,
    load_or_create_salt,
    mask_personal_data,
    mask_pii,
    pseudonymise,
    scrub_file_name,
)

KNOWN_NAMES = ["Marleen Van den Broeck", "Jan Peeters", "Céline Dubois", "Roos Maes", "Gemeente Denderbeke"]


@pytest.fixture(scope="module")
def masker() -> NameMasker:
    return NameMasker(KNOWN_NAMES)


# --- placeholders -------------------------------------------------------------------------------


def test_placeholders_are_the_agreed_texts():
    assert PLACEHOLDERS == {
        "phone": "[PHONE]",
        "email": "[EMAIL]",
        "iban": "[IBAN]",
        "national_id": "[NATIONAL_ID]",
        "plate": "[PLATE]",
        "address": "[ADDRESS]",
        "name": "[NAME]",
        "mention": "[NAME]",
    }


# --- phone numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "0470 12 34 56",
        "0470/12.34.56",
        "0470123456",
        "+32 470 12 34 56",
        "0032470123456",
        "+32470123456",
        "+32 0470 12 34 56",
    ],
)
def test_mask_pii_masks_belgian_mobile_numbers(number):
    assert mask_pii(f"Bel me op {number} na 18u") == "Bel me op [PHONE] na 18u"


@pytest.mark.parametrize(
    "number",
    ["09 123 45 67", "09/123.45.67", "02 511 22 33", "053/78.90.12", "+32 (0)9 123 45 67", "(09) 123 45 67"],
)
def test_mask_pii_masks_belgian_landline_numbers(number):
    assert mask_pii(f"Het loket: {number}.") == "Het loket: [PHONE]."


@pytest.mark.parametrize(
    "number", ["06-12345678", "+31 6 12345678", "0031612345678", "020-1234567", "06 1234 5678"]
)
def test_mask_pii_masks_dutch_numbers(number):
    assert mask_pii(f"tel {number}") == "tel [PHONE]"


@pytest.mark.parametrize("number", ["0800 12 345", "0800-12345"])
def test_mask_pii_masks_free_numbers(number):
    assert mask_pii(f"Gratis: {number}") == "Gratis: [PHONE]"


def test_mask_pii_masks_a_phone_number_in_brackets():
    assert mask_pii("(0470 12 34 56)") == "([PHONE])"


def test_mask_pii_masks_two_phone_numbers_in_a_row():
    assert mask_pii("09 123 45 67 - 0470 12 34 56") == "[PHONE] - [PHONE]"


def test_mask_pii_masks_a_phone_number_followed_by_another_figure():
    assert mask_pii("0470 12 34 56 2x gebeld") == "[PHONE] 2x gebeld"


def test_mask_pii_masks_a_phone_number_after_a_date():
    assert mask_pii("op 01/03/2024 0470 12 34 56 gebeld") == "op 01/03/2024 [PHONE] gebeld"


@pytest.mark.parametrize(
    "text",
    [
        "Dat was in 2024 al zo",
        "Gesloten op 12/03/2024 en 01/04/2024",
        "op 01/03/2024 14:30 begint het",
        "om 14:30 of 09:00",
        "open van 08.30-12.00 13.30-17.00",
        "Parkeren kost € 25,50 per dag",
        "9000 Gent",
        "in onze straat 3 keer geweest",
        "Kerkstraat 12 keer gebeld",
        "om 12 uur aan de Kerkstraat",
        "PMD ophaling",
        "3 keer, 45 minuten, 0,5 liter",
        "50% korting",
        "0 2 4 6 8 10 12 14 16",
        "ondernemingsnummer 0123.456.789",
        "Meer info op [URL:gent.be]",
        "Zie [URL:example.be/info/0470123456] voor info",
    ],
)
def test_mask_pii_keeps_ordinary_numbers(text):
    assert mask_pii(text) == text


# --- e-mail -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "eva.claes@example.be",
        "info@dienst.voorbeeldgemeente.be",
        "jan.peeters+loket@example.com",
        "J.Peeters@Example.BE",
        "eva (at) example (dot) be",
        "eva[at]example.be",
    ],
)
def test_mask_pii_masks_email_addresses(address):
    assert mask_pii(f"Mail naar {address}, graag.") == "Mail naar [EMAIL], graag."


def test_mask_pii_keeps_mentions_for_the_name_masker():
    assert mask_pii("@jan.peeters kijk eens") == "@jan.peeters kijk eens"


# --- IBAN ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "iban",
    [
        "BE97 0012 3456 7890",
        "BE97001234567890",
        "BE97-0012-3456-7890",
        "BE 97 0012 3456 7890",
        "be59 7310 0456 7812",
        "NL02 ABNA 0123 4567 89",
        "NL02ABNA0123456789",
        "DE12 5001 0517 0648 4898 90",
        "GB42 ABCD 1234 5612 3456 78",
    ],
)
def test_mask_pii_masks_ibans(iban):
    assert mask_pii(f"Storten op {iban} aub") == "Storten op [IBAN] aub"


def test_mask_pii_keeps_the_word_after_an_iban():
    assert mask_pii("BE97 0012 3456 7890 is mijn rekening") == "[IBAN] is mijn rekening"


def test_mask_pii_masks_a_belgian_iban_with_wrong_check_digits():
    # Privacy over precision: a mistyped account number of the Belgian shape is still masked.
    assert mask_pii("rekening BE11 0012 3456 7890") == "rekening [IBAN]"


def test_mask_pii_keeps_an_iban_shape_of_no_known_country_with_wrong_check_digits():
    text = "code XY12 3456 7890 1234"
    assert "[IBAN]" not in mask_pii(text)


def test_mask_pii_does_not_let_the_phone_pattern_take_part_of_an_iban():
    assert mask_pii("BE97 0012 3456 7890") == "[IBAN]"


# --- national register number -------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    ["90.04.12-157.43", "90041215743", "900412 157 43", "90.04.12 157-43", "05.09.21-284.59", "05092128459"],
)
def test_mask_pii_masks_national_register_numbers(number):
    assert mask_pii(f"Mijn rijksregisternummer is {number}.") == "Mijn rijksregisternummer is [NATIONAL_ID]."


def test_mask_pii_masks_the_printed_shape_even_with_a_wrong_checksum():
    assert mask_pii("nr 90.04.12-157.44") == "nr [NATIONAL_ID]"


def test_mask_pii_keeps_eleven_digits_with_a_wrong_checksum():
    assert mask_pii("bestelling 90041215744") == "bestelling 90041215744"


def test_mask_pii_does_not_let_the_phone_pattern_take_part_of_a_national_register_number():
    assert mask_pii("0470 12 34 56 05.09.21-284.59") == "[PHONE] [NATIONAL_ID]"


# --- licence plates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "plate", ["1-ABC-123", "1ABC123", "1 ABC 123", "2-XYZ-987", "ABC-123", "123-ABC", "1-abc-123"]
)
def test_mask_pii_masks_belgian_plates(plate):
    assert mask_pii(f"De wagen met {plate} staat er weer") == "De wagen met [PLATE] staat er weer"


@pytest.mark.parametrize("text", ["nummerplaat abc 123", "kenteken AB-12-CD", "nummerplaat: 1 abc 123"])
def test_mask_pii_masks_loose_plates_after_a_plate_word(text):
    assert mask_pii(text).endswith("[PLATE]")


@pytest.mark.parametrize(
    "text",
    [
        "File op de A12, de E40, de N60 en de R4",
        "COVID-19 maatregelen",
        "Een plaat van 200 bij 300",
        "Nog 3 PMD 120 liter zakken",
        "Wachttijd: 1 uur",
    ],
)
def test_mask_pii_keeps_roads_and_other_codes(text):
    assert mask_pii(text) == text


# --- mask_pii in general --------------------------------------------------------------------------


def test_mask_pii_keeps_emoji_and_punctuation():
    text = "Super!! 👍👍 Bel 0470 12 34 56 😡 ..."
    assert mask_pii(text) == "Super!! 👍👍 Bel [PHONE] 😡 ..."


def test_mask_pii_keeps_url_placeholders_around_personal_data():
    assert mask_pii("[URL:gent.be] of 0470 12 34 56") == "[URL:gent.be] of [PHONE]"


def test_mask_pii_returns_texts_without_digits_unchanged():
    text = "De bib is vanaf maandag terug open, welkom!"
    assert mask_pii(text) is text
    assert mask_pii("") == ""


def test_mask_pii_masks_several_kinds_in_one_text():
    text = "Eva (eva@example.be, 0470 12 34 56) betaalde met BE97 0012 3456 7890 voor 1-ABC-123"
    assert mask_pii(text) == "Eva ([EMAIL], [PHONE]) betaalde met [IBAN] voor [PLATE]"


# --- names --------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["Jan Peeters", "jan peeters", "JAN PEETERS", "Jan  Peeters"])
def test_name_masker_masks_known_full_names_in_any_case(masker, text):
    assert masker(f"Ik zag {text} gisteren") == "Ik zag [NAME] gisteren"


@pytest.mark.parametrize("text", ["Céline Dubois", "Celine Dubois", "celine dubois", "CÉLINE DUBOIS"])
def test_name_masker_ignores_accents(masker, text):
    assert masker(f"dank je {text}!") == "dank je [NAME]!"


def test_name_masker_finds_an_accented_text_for_a_name_known_without_accents():
    assert NameMasker(["Celine Dubois"])("Céline Dubois belde") == "[NAME] belde"


def test_name_masker_masks_parts_of_known_names(masker):
    assert masker("Volgens Marleen klopt dat") == "Volgens [NAME] klopt dat"
    assert masker("Van den Broeck zei het ook") == "[NAME] zei het ook"
    assert masker("Dubois had gelijk") == "[NAME] had gelijk"


def test_name_masker_never_masks_particles_alone(masker):
    text = "De bib van de gemeente is van den beste, zei le maire"
    assert masker(text) == text


def test_name_masker_ignores_organisation_and_id_authors():
    masker = NameMasker(["Gemeente Denderbeke", "100004567891234", None, "", float("nan")])
    assert masker("Denderbeke is een mooie gemeente") == "Denderbeke is een mooie gemeente"


def test_name_masker_keeps_display_names_with_emoji():
    assert NameMasker(["Eva Claes 🌻"])("eva claes was er") == "[NAME] was er"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@jan.peeters klopt", "[NAME] klopt"),
        ("@Jan Peeters dat klopt", "[NAME] dat klopt"),
        ("@Eva Claes dat klopt", "[NAME] dat klopt"),
        ("@[1234:Jan] ja hoor", "[NAME] ja hoor"),
        ("@jan peeters klopt", "[NAME] klopt"),
    ],
)
def test_name_masker_masks_mentions(masker, text, expected):
    assert masker(text) == expected


def test_name_masker_keeps_mentions_of_organisation_pages(masker):
    assert masker("Zie @Gemeente Denderbeke en @stad.gent") == "Zie @Gemeente Denderbeke en @stad.gent"


def test_name_masker_keeps_e_mail_like_text(masker):
    # E-mail addresses are mask_pii's job; the '@' inside one is not a mention.
    assert masker("[EMAIL] en info@example.be") == "[EMAIL] en info@example.be"


def test_name_masker_masks_capitalised_first_names(masker):
    assert masker("Ik heb Sarah gisteren nog gezien") == "Ik heb [NAME] gisteren nog gezien"
    assert masker("Mohamed en Elif hielpen mee") == "[NAME] en [NAME] hielpen mee"


def test_name_masker_masks_a_first_name_with_its_surname_as_one_name(masker):
    assert masker("Buurman Kevin Wouters parkeert daar") == "Buurman [NAME] parkeert daar"
    assert masker("Eva de Smet en Ben Vermeulen") == "[NAME] en [NAME]"


@pytest.mark.parametrize(
    "text",
    [
        "Bedankt Eva!",
        "bedankt eva!",
        "merci sarah",
        "Dank aan Koen voor de hulp",
        "dankzij Youssef",
        "Collega Hanne hielp",
        "Groetjes, Lotte",
    ],
)
def test_name_masker_masks_first_names_after_a_cue(masker, text):
    masked = masker(text)
    assert "[NAME]" in masked
    assert not re.search(r"(?i)eva|sarah|koen|youssef|hanne|lotte", masked)


@pytest.mark.parametrize(
    "text", ["Mevrouw Janssens was vriendelijk", "mr Claes belde", "Dhr. Van Damme belde terug"]
)
def test_name_masker_masks_surnames_after_a_form_of_address(masker, text):
    masked = masker(text)
    assert "[NAME]" in masked
    assert not re.search(r"Janssens|Claes|Damme", masked)


@pytest.mark.parametrize(
    "text",
    [
        "Ben je morgen thuis?",
        "Ik ben blij met de nieuwe bib",
        "Wil je dat nog eens uitleggen?",
        "Roos is mijn lievelingsbloem",
        "Mark dat in je agenda",
        "Max 30 km/u in de schoolstraat",
        "Toon uw identiteitskaart aan het loket",
        "In het Frans en het Nederlands",
        "Lieve mensen, bedankt!",
        "Elke dag hetzelfde",
        "Hoop doet leven",
        "Bedankt! Ben je er morgen ook?",
    ],
)
def test_name_masker_keeps_first_names_that_are_ordinary_words(masker, text):
    assert masker(text) == text


def test_name_masker_masks_ambiguous_first_names_with_a_surname_or_cue(masker):
    assert masker("Ben Vermeulen kwam langs") == "[NAME] kwam langs"
    assert masker("Merci Mark!") == "Merci [NAME]!"


def test_name_masker_masks_an_ambiguous_known_name_part_inside_a_sentence(masker):
    # 'Roos Maes' is a known author: 'Roos' mid-sentence is her, at the start it may be the flower.
    assert masker("Ik sprak met Roos erover") == "Ik sprak met [NAME] erover"
    assert masker("Roos is mooi") == "Roos is mooi"


def test_name_masker_keeps_a_surname_that_is_a_word_at_the_start_of_a_sentence():
    masker = NameMasker(["Hilde Bos"])
    assert masker("Bos en veld zijn hier mooi") == "Bos en veld zijn hier mooi"
    assert masker("Ik heb met Bos gesproken") == "Ik heb met [NAME] gesproken"


@pytest.mark.parametrize(
    "text",
    [
        "Gent en Aalst doen het beter",
        "PMD en GFT worden maandag opgehaald",
        "In april en mei is het containerpark langer open",
        "April is de drukste maand",
        "Op 15 Jan 2024 was het druk",
        "Het Sint-Jan ziekenhuis",
        "Koning Albert en Sint-Niklaas",
        "In de Jan Breydelstraat staat alles vol",
        "De Pieter Coutereelstraat is afgesloten",
        "Stad Gent en Gemeente Denderbeke",
    ],
)
def test_name_masker_keeps_places_months_and_services(masker, text):
    assert masker(text) == text


def test_name_masker_masks_hyphenated_first_names(masker):
    assert masker("Marie-Louise komt ook") == "[NAME] komt ook"
    assert masker("Jean-Pierre Dubois kwam") == "[NAME] kwam"


def test_name_masker_keeps_url_placeholders(masker):
    assert masker("[URL:example.be/Jan-Peeters] van Jan Peeters") == "[URL:example.be/Jan-Peeters] van [NAME]"


def test_name_masker_keeps_emoji_and_punctuation(masker):
    assert masker("Bedankt Sarah!!! 👏👏 Top 😀") == "Bedankt [NAME]!!! 👏👏 Top 😀"


def test_name_masker_with_no_known_names_still_masks_first_names():
    assert NameMasker([])("Ik zag Sarah") == "Ik zag [NAME]"


def _invented_word(number: int) -> str:
    letters = ""
    for _ in range(4):
        number, digit = divmod(number, 26)
        letters += chr(ord("a") + digit)
    return "Zo" + letters


def test_name_masker_handles_many_known_names():
    names = [f"{_invented_word(index)} {_invented_word(index + 5000)}" for index in range(2000)]
    masker = NameMasker(names)
    last_first, last_surname = names[-1].lower().split()
    text = f"{last_first} {last_surname} en {names[7].split()[1]}"
    assert masker(text) == "[NAME] en [NAME]"


# --- mask_personal_data -------------------------------------------------------------------------


def test_mask_personal_data_applies_both_maskers(masker):
    texts = pd.Series(["Bel Jan Peeters op 0470 12 34 56", "jan.peeters@example.be"])
    assert mask_personal_data(texts, masker).tolist() == ["Bel [NAME] op [PHONE]", "[EMAIL]"]


def test_mask_personal_data_without_masker_only_masks_numbers_and_addresses():
    texts = pd.Series(["Bel Jan Peeters op 0470 12 34 56"])
    assert mask_personal_data(texts).tolist() == ["Bel Jan Peeters op [PHONE]"]


def test_mask_personal_data_keeps_missing_values_index_and_name(masker):
    texts = pd.Series(
        ["Sarah 0470 12 34 56", None, float("nan")], index=[10, 11, 12], name="text", dtype=object
    )
    masked = mask_personal_data(texts, masker)
    assert masked.index.tolist() == [10, 11, 12]
    assert masked.name == "text"
    assert masked[10] == "[NAME] [PHONE]"
    assert masked[11] is None
    assert math.isnan(masked[12])


def test_mask_personal_data_keeps_a_string_dtype(masker):
    texts = pd.Series(["Sarah", None], dtype="string")
    masked = mask_personal_data(texts, masker)
    assert masked.dtype == texts.dtype
    assert masked[0] == "[NAME]"
    assert masked.isna().tolist() == [False, True]


def test_mask_personal_data_does_not_change_its_input(masker):
    texts = pd.Series(["Sarah 0470 12 34 56"])
    mask_personal_data(texts, masker)
    assert texts[0] == "Sarah 0470 12 34 56"


# --- salt and pseudonyms ------------------------------------------------------------------------


def test_load_or_create_salt_creates_a_hex_salt_file_with_parent_folders(tmp_path):
    path = tmp_path / "nested" / "folder" / ".pseudonym_salt"
    salt = load_or_create_salt(path)
    assert len(salt) == 32
    assert bytes.fromhex(path.read_text().strip()) == salt


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_load_or_create_salt_makes_the_file_private(tmp_path):
    path = tmp_path / ".pseudonym_salt"
    load_or_create_salt(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_load_or_create_salt_reads_an_existing_salt(tmp_path):
    path = tmp_path / ".pseudonym_salt"
    first = load_or_create_salt(path)
    assert load_or_create_salt(path) == first


def test_load_or_create_salt_gives_a_new_salt_per_file(tmp_path):
    assert load_or_create_salt(tmp_path / "a") != load_or_create_salt(tmp_path / "b")


def test_load_or_create_salt_refuses_a_file_that_is_not_a_salt(tmp_path):
    path = tmp_path / ".pseudonym_salt"
    path.write_text("not a salt\n")
    with pytest.raises(ValueError, match="salt"):
        load_or_create_salt(path)
    assert path.read_text() == "not a salt\n"


def test_load_or_create_salt_does_not_print_the_salt(tmp_path, capsys, caplog):
    salt = load_or_create_salt(tmp_path / ".pseudonym_salt")
    captured = capsys.readouterr()
    assert salt.hex() not in captured.out + captured.err + caplog.text


def test_pseudonymise_is_a_salted_hmac_of_the_normalised_value():
    salt = bytes(range(32))
    expected = "a_" + hmac.new(salt, b"jan peeters", hashlib.sha256).hexdigest()[:16]
    assert pseudonymise("Jan Peeters", salt) == expected


def test_pseudonymise_maps_spelling_variants_to_one_id():
    salt = b"s" * 32
    variants = ["Jan Peeters", "jan peeters", " Jan Peeters ", "JAN  PEETERS"]
    ids = {pseudonymise(value, salt) for value in variants}
    assert len(ids) == 1
    assert re.fullmatch(r"a_[0-9a-f]{16}", ids.pop())


def test_pseudonymise_gives_different_ids_for_different_people_and_salts():
    salt = b"s" * 32
    assert pseudonymise("Jan Peeters", salt) != pseudonymise("Eva Claes", salt)
    assert pseudonymise("Jan Peeters", salt) != pseudonymise("Jan Peeters", b"t" * 32)


@pytest.mark.parametrize("value", [None, "", "   ", float("nan")])
def test_pseudonymise_gives_none_for_missing_values(value):
    assert pseudonymise(value, b"s" * 32) is None


def test_an_ambiguous_first_name_opening_a_sentence_with_a_comma_is_masked():
    masker = NameMasker(["Leen Verhulst", "Frank Test"])
    assert masker("Leen, hier ook!!") == "[NAME], hier ook!!"
    assert masker("Frank, amai ik dacht dat ik de enige was") == "[NAME], amai ik dacht dat ik de enige was"
    assert masker("Een lening, of leen het bij de bib") == "Een lening, of leen het bij de bib"
    assert masker("hans, ik was er donderdag") == "[NAME], ik was er donderdag"
    assert masker("Ja, ik was er ook. bilal, jij?") == "Ja, ik was er ook. [NAME], jij?"


def test_scrub_url_removes_usernames_and_query_strings():
    from feedback_analysis.privacy import scrub_url

    assert scrub_url("https://www.facebook.com/jan.peeters/posts/123?__cft__=abc") == "https://www.facebook.com/[NAME]/posts/123"
    assert scrub_url("https://www.facebook.com/profile.php?id=100001234") == "https://www.facebook.com/[NAME]"
    assert scrub_url("https://www.facebook.com/groups/123456/posts/789/") == "https://www.facebook.com/groups/123456/posts/789/"
    assert scrub_url("https://www.facebook.com/19292868552/posts/10158349356748553/") == "https://www.facebook.com/19292868552/posts/10158349356748553/"
    assert scrub_url("https://example.be/contact?mail=jan@example.be") == "https://example.be/contact"
    assert scrub_url(None) is None


def test_scrub_file_name_removes_the_account_name_of_dyi_archives():
    from feedback_analysis.privacy import scrub_file_name

    name = "exports/facebook-sofie.vandamme-2024-01-31-AbCdEf.zip!this_profile_activity/posts/your_posts_1.json"
    assert scrub_file_name(name) == "exports/facebook-[NAME]-2024-01-31-AbCdEf.zip!this_profile_activity/posts/your_posts_1.json"
    assert scrub_file_name("data/raw/sample/export_tool.csv") == "data/raw/sample/export_tool.csv"
    masker = NameMasker(["Sofie Van Damme"])
    assert scrub_file_name("exports/Sofie Van Damme/comments.json", masker) == "exports/[NAME]/comments.json"


def test_first_names_written_without_capitals_are_masked():
    masker = NameMasker([])
    assert masker("merci aan mieke van de bib") == "merci aan [NAME] van de bib"
    assert masker("volledig akkoord hans") == "volledig akkoord [NAME]"
    assert masker("eddy check uw berichten") == "[NAME] check uw berichten"
    known = NameMasker(["Amadou Diallo", "Jan Bos"])
    assert known("stuur mij eens een berichtje amadou") == "stuur mij eens een berichtje [NAME]"
    assert known("in het bos achter de school") == "in het bos achter de school"
    # ordinary words that are also names stay
    assert masker("ik ben er morgen, de roos bloeit") == "ik ben er morgen, de roos bloeit"


# --- issue 14: surnames in lower case, addresses, file names ----------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "dank aan eline maes",
        "Eline maes heeft gelijk",
        "merci aan jan de smet voor de hulp",
        "bedankt sofie van den broeck",
        "dank aan mark peeters",
        "tinne janssens zei het al",
    ],
)
def test_name_masker_takes_a_lower_case_surname_with_the_first_name(text):
    masked = NameMasker([])(text)
    assert "[NAME]" in masked
    for surname in ("maes", "smet", "broeck", "peeters", "janssens"):
        assert surname not in masked.lower()


@pytest.mark.parametrize(
    "text",
    ["eline van de gemeente belde terug", "Sint-Jan peeters", "de roos is mooi", "jan bos in en uit"],
)
def test_name_masker_keeps_words_after_a_first_name_that_are_no_surname(text):
    masked = NameMasker([])(text)
    assert any(word in masked for word in ("gemeente", "Sint-Jan", "roos", "bos"))


@pytest.mark.parametrize(
    "text",
    [
        "Kerkstraat 12 is weer vuil",
        "Stationsstraat 45 bus 2, 9300 Aalst",
        "kapotte stoep aan de Grote Markt 5",
        "Hoogstraat 12/3 heeft geen bak gekregen",
        "dorpstraat nr. 12a",
        "kerkstraat 7-9",
        "Laan van de vrede, Molenweg 104B bus 11",
        "rue de la Station 12",
        "Avenue Louise 54 bte 3",
    ],
)
def test_mask_pii_masks_street_and_house_number(text):
    masked = mask_pii(text)
    assert "[ADDRESS]" in masked
    assert not any(token in masked for token in ("12", "45", " 5", "104B", "54", "7-9"))


@pytest.mark.parametrize(
    "text",
    ["Startsein verbetering 228 woningen", "de werkplaats 3 dagen dicht", "ingang 2 is gesloten",
     "vanaf 7 april meer zaken", "onze regering 12 maanden", "het park 4 keer per jaar gemaaid"],
)
def test_mask_pii_keeps_nouns_that_end_like_a_street(text):
    assert mask_pii(text) == text and NameMasker([])(text) == text


def test_mask_pii_keeps_a_street_without_a_number():
    assert mask_pii("De Kerkstraat ligt weer open, 3 weken te laat") == "De Kerkstraat ligt weer open, 3 weken te laat"


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("reacties_Sofie_Janssens.csv", "reacties_"),
        ("reacties_sofie_janssens.csv", "reacties_"),
        ("comments-jan-peeters-2024.csv", "comments-"),
        ("export_piet_claes.xlsx", "export_"),
    ],
)
def test_scrub_file_name_masks_names_between_separators(name, kept):
    scrubbed = scrub_file_name(name, NameMasker(["Piet Claes"]))
    assert scrubbed.startswith(kept) and "[NAME]" in scrubbed
    assert not any(part in scrubbed.lower() for part in ("sofie", "janssens", "peeters", "claes"))


@pytest.mark.parametrize("name", ["posts.jsonl", "sample/export_tool.csv", "your_posts_1.json", "feed_p1.json"])
def test_scrub_file_name_keeps_ordinary_names(name):
    assert scrub_file_name(name) == name
