"""Routing reports of the kind a public-space report desk receives (Amsterdam's Signalen categories).

Every sentence here is new: none is in the benchmark halves. Each stands for a category of report and
the word class that carries it (the object, its state, a place), not for one wording.
"""

from __future__ import annotations

import pytest

from feedback_analysis.services import ServiceRouter
from feedback_analysis.services.matching import is_participle_prefix


@pytest.fixture(scope="module")
def rules() -> ServiceRouter:
    return ServiceRouter(model=None)


@pytest.mark.parametrize(("text", "service"), [
    # craft on the water: speeding, sinking, mooring (Signalen: overlast op het water) -> overlast
    ("motorboot scheurt veel te snel door het kanaaltje", "overlast"),
    ("jetski maakt rondjes bij de jachthaven", "overlast"),
    ("plezierboot al weken aangemeerd aan de passantensteiger", "overlast"),
    ("oud bootje zinkt langzaam bij de sluis", "overlast"),
    # fireworks named by their kind
    ("elke avond rotjes in de Beukenlaan", "overlast"),
    # a smell described by an adjective, not by "stank"
    ("rare chemische lucht in de wijk sinds de middag", "overlast"),
    # visitors of a bar or club outside it
    ("bezoekers van de nachtclub schreeuwen na sluitingstijd in de straat", "overlast"),
    # swimming in open water
    ("kinderen zwemmen in het kanaal bij de brug", "overlast"),
    # litter that floats is open water's (groen), whatever the litter is
    ("plastic flessen drijven in de vijver", "groen"),
    # banks and invasive plants
    ("beschoeiing langs de vaart is ingezakt", "groen"),
    ("japanse duizendknoop langs het jaagpad", "groen"),
    # material of waste and the parts of a container
    ("eternit golfplaten achter de garages gelegd", "afval"),
    ("inwerpopening van de glasbak zit dicht", "afval"),
    # through traffic and towing
    ("sluipverkeer door de woonwijk sinds de brug dicht is", "wegen_mobiliteit"),
    ("mijn wagen is weggesleept, waar moet ik die halen", "parkeren"),
    # an animal swarm hangs in a tree, but the report is about the animals
    ("bijenzwerm hangt in de haag van de buren", "dieren"),
])
def test_signalen_categories_are_routed_by_word_class(rules, text, service):
    assert rules.route_text(text)["service"] == service


def test_a_past_participle_is_no_compound(rules):
    # "opgesloten" must not be read as "opge|sloten" (ditches, groen)
    assert is_participle_prefix("opge") and is_participle_prefix("dichtge") and not is_participle_prefix("kerkge")
    assert "groen" not in rules.route_text("hond zit opgesloten in een auto in de zon")["services"].split(";")


def test_a_thing_above_a_place_is_not_the_place(rules):
    # "boven het fietspad" says where the branch hangs: the branch is the report
    assert rules.route_text("dikke tak hangt boven het fietspad")["service"] == "groen"


def test_a_verb_form_of_stuur_does_not_make_a_wreck(rules):
    routed = rules.route_text("ik stuur een foto van mijn fiets")
    assert "overlast" not in routed["services"].split(";")


@pytest.mark.parametrize(("text", "service"), [
    ("grofvuil staat bij de Brouwersgracht 100", "afval"),
    ("Nassaukade 10 lantaarnpaal brandt niet", "wegen_mobiliteit"),
])
def test_a_street_named_after_water_is_an_address_not_the_water(rules, text, service):
    routed = rules.route_text(text)
    assert routed["service"] == service and "groen" not in routed["services"].split(";")


def test_open_water_written_small_is_still_water(rules):
    assert rules.route_text("drijfvuil in de stadsgracht")["service"] == "groen"


@pytest.mark.parametrize(("text", "service"), [
    # speeding reported as a traffic situation -> the mobility service; asking for checks -> the police
    ("de bestelwagens denderen met 90 door de Lindelaan", "wegen_mobiliteit"),
    ("graag eens een snelheidscontrole, ze rijden hier 70 in de zone 30", "veiligheid"),
    # dealing and drug litter in public space -> overlast
    ("er wordt gedeald aan het jeugdcentrum", "overlast"),
    ("injectienaalden gevonden in de zandbak", "overlast"),
    # a rough sleeper reported -> overlast; shelter for someone -> sociaal
    ("man slaapt elke nacht in het bushokje", "overlast"),
    ("waar kan een dakloze vriend van mij deze winter opvang krijgen", "sociaal"),
    # a smell of gas is an emergency; caterpillar nests are taken off the trees by the green service
    ("ik ruik gas aan de voordeur van de buren", "veiligheid"),
    ("nest van processierupsen in de eik aan de school", "groen"),
])
def test_the_mapping_decisions_agree_with_the_signalen_table(rules, text, service):
    assert rules.route_text(text)["service"] == service
