"""Constructions of the sentiment scorer beyond single words: postmodifiers, Flemish idioms, "wreed"."""

from __future__ import annotations

import pytest

from feedback_analysis.sentiment import LexiconSentiment


@pytest.fixture(scope="module")
def model() -> LexiconSentiment:
    return LexiconSentiment()


def label(model: LexiconSentiment, text: str) -> str:
    return model.score_text(text).label


@pytest.mark.parametrize(
    "text",
    [
        "Corruptie ten top in dat dossier",            # a complaint word as head
        "Wachtrijen ten top aan de balie",            # a head bad by situation, plain elsewhere
        "Nonchalance op zijn best bij de aannemer",
        "Rompslomp pur sang voor een vergunning",     # no praise word in the postmodifier
        "Gedoe troef op de gemeenteraad",
    ],
)
def test_postmodifier_after_a_bad_head_is_sarcastic(model, text):
    assert label(model, text) == "negative"
    assert any("postmodifier" in words or "(+" in words for _, _, words in model.analyse(text, explain=True)["hits"])


@pytest.mark.parametrize(
    "text",
    ["Klantvriendelijkheid ten top bij het onthaal", "Teamwerk op zijn best bij de brandweer",
     "Het buurtfeest was plezier pur sang", "Bediening ten top"],
)
def test_postmodifier_after_a_good_or_plain_head_stays_praise(model, text):
    assert label(model, text) == "positive"


def test_postmodifier_strengthens_its_head(model):
    assert model.score_text("chaos troef").score < model.score_text("chaos").score < 0
    # the same words apart are no postmodifier: the praise stays praise
    assert model.score_text("De file was erg. Top dat de gemeente iets doet").score > (
        model.score_text("Files ten top, dat de gemeente iets doet").score)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("wreed", "negative"),                          # alone it judges: awful, cruel
        ("tis echt wreed wat die mensen meemaken", "negative"),
        ("wreed lekker gegeten", "positive"),          # before an opinion word it only intensifies
        ("wreed tof gedaan", "positive"),
    ],
)
def test_wreed_alone_is_negative_but_intensifies_an_opinion_word(model, text, expected):
    assert label(model, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Ik heb mijn buik vol van die parkeerboetes",
        "Ge wordt er gek van, dat getoeter elke nacht",
        "We zitten met de handen in het haar voor de opvang",
        "Mijn broer voelt zich alleen in dat rusthuis",
        "Zo bekaf na die dienst op de spoed",
        "Die ambetanteriken van de overkant weer",
    ],
)
def test_flemish_idioms_of_being_fed_up_or_low_are_negative(model, text):
    assert label(model, text) == "negative"


def test_crazy_about_is_not_fed_up(model):
    # "zot van" without "worden" is fondness ("ik ben er zot van"), which the idioms leave alone
    assert label(model, "Ik ben zot van die nieuwe speeltuin") != "negative"


@pytest.mark.parametrize(
    ("word", "sign"),
    [("ruzietje", -1), ("miserieke", -1), ("zeverke", -1), ("pluimpje", 1), ("feestje", 1)],
)
def test_diminutives_keep_the_polarity_of_their_noun(model, word, sign):
    lexicon = model.lexicon
    assert word not in lexicon.own_words  # found through the noun it is made of
    assert lexicon.classify_token(word)[1] * sign > 0
    assert lexicon.classify_token("meisje")[1] == 0.0  # a noun that is no diminutive of an opinion word


@pytest.mark.parametrize(
    "text",
    ["Ik zou willen dat ze de brievenbus terugzetten", "Kwou dat de straat eens geveegd werd",
     "Kzou willen dat de bieb op zaterdag open was", "Ik wil terug naar vroeger, toen het hier rustig was"],
)
def test_contracted_and_modal_wishes_are_complaints(model, text):
    assert label(model, text) == "negative"


@pytest.mark.parametrize("text", ["Ik kom graag terug, net als vroeger", "We gaan graag terug naar dat terras"])
def test_coming_back_gladly_is_loyalty_not_a_lost_past(model, text):
    assert label(model, text) == "positive"


def test_phrases_match_in_flemish_spelling(model):
    # "niet om aan te zien" is written once in the lexicon; "nie" and "ni" reach it too
    for text in ("dat is niet om aan te zien", "da's nie om aan te zien", "da's ni om aan te zien"):
        assert label(model, text) == "negative"
        assert any("aan te zien" in words for _, _, words in model.analyse(text, explain=True)["hits"])


@pytest.mark.parametrize(
    "text",
    ["Proficiat aan de gemeente, weeral de straat opengebroken", "Goed bezig De Lijn, weer een halfuur te laat",
     "Super service, niemand die de telefoon opneemt"],
)
def test_praise_opening_with_its_addressee_before_a_complaint_is_sarcastic(model, text):
    assert label(model, text) == "negative"
    assert any("(ironic)" in words for _, _, words in model.analyse(text, explain=True)["hits"])


@pytest.mark.parametrize(
    "text",
    ["Proficiat aan de organisatoren, het was een prachtige dag",   # no complaint after it
     "Heerlijk eten, mooie zaal, prima bediening, één minpuntje"],   # a list of praise, not an opener
)
def test_praise_opening_without_a_complaint_or_in_a_list_is_meant(model, text):
    assert not any("(ironic)" in words for _, _, words in model.analyse(text, explain=True)["hits"])


def test_thanks_for_nothing_is_sarcastic_even_beside_an_institution(model):
    # thanking is the writer's own voice: the news damping does not reach it
    assert label(model, "Bedankt voor niets, stad Antwerpen") == "negative"
    assert label(model, "Dank u voor niks, gemeente") == "negative"
    assert label(model, "Bedankt aan de stad voor de snelle herstelling") == "positive"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Waar blijft de nieuwe speeltuin?", "negative"),              # impatience, no opinion word
        ("Hoelang nog voor de brug open is?", "negative"),
        ("Het wordt tijd dat er iets verandert in onze straat", "negative"),
        ("Wanneer gaan ze eindelijk de stoep herstellen?", "negative"),
        ("Wanneer opent het zwembad?", "neutral"),                   # a plain question asks
        ("Weet iemand waar de markt blijft staan?", "neutral"),
    ],
)
def test_impatience_is_a_complaint_but_a_plain_question_is_not(model, text, expected):
    assert label(model, text) == expected


def test_exclamative_praise_opener_is_sarcastic_before_a_complaint(model):
    text = "Wat een feest, weer eens een verhoging van de parkeertarieven"
    assert label(model, text) == "negative"
    assert any("(ironic)" in words for _, _, words in model.analyse(text, explain=True)["hits"])


def test_praise_against_a_complaint_with_maar_is_a_contrast_not_irony(model):
    text = "Mooie locatie, maar de keuken stelde teleur"   # a separable verb split by the verb-second order
    hits = model.analyse(text, explain=True)["hits"]
    assert label(model, text) == "negative"
    assert not any("(ironic)" in words for _, _, words in hits) and any("teleur" in words for _, _, words in hits)
