"""Constructions of threats, implicit hate and their benign look-alikes, by category (not the benchmark's cases)."""

from __future__ import annotations

import pytest

from feedback_analysis.abuse import AbuseDetector


@pytest.fixture(scope="module")
def detector() -> AbuseDetector:
    return AbuseDetector()


@pytest.mark.parametrize("text", [
    "ge zult het bezuren, we weten waar uw wagen staat",   # consequence, aimed at a car
    "ge gaat nooit meer kunnen lopen",                      # a consequence promised to the reader
    "die Bulgaren moeten we de rivier in jagen",            # driven into the water
    "die Albanezen gaan hier buiten in een lijkzak",        # body bag
    "ik ga die moslims eens goed toetakelen",               # harming verb besides killing
    "iemand zou die homo's van het dak moeten gooien",      # thrown to death, normative
])
def test_threat_constructions_are_threats(detector, text):
    assert detector.detect(text)[0] == "threat"


@pytest.mark.parametrize("text", [
    "typisch gedrag van Roemenen, altijd klagen",           # "typisch" a few words before the group
    "Marokkanen blijven Marokkanen",                        # X blijven X
    "vrouwen kunnen gewoon niet rijden",                    # ability denied to all of them
    "Er wonen veel Turken in de wijk. Dat zijn geen mensen meer.",  # person noun as predicate, carried
    "Mijn collega is lesbisch. Zulke mensen zijn ziek in hun hoofd.",  # group adjective as predicate, carried
    "een Afghaan als buurman? nooit van mijn leven",        # a close role refused in a question
    "vroeger was het hier proper, tot de Polen kwamen",     # decline since they came
])
def test_implicit_hate_is_flagged(detector, text):
    assert detector.detect(text)[0] != "none"


@pytest.mark.parametrize("text", [
    "ik schrok van de haat in de reacties over moslims",    # hatred of others, named by a noun
    "ik word ziek van al die haat tegen vluchtelingen",
    "iedereen die homo's uitscheldt is een lafaard",        # the abusers condemned
    "ik hoor vaak dat Turken lui zijn, maar mijn buren werken hard",  # rebutted after "maar"
    "het is niet omdat iemand moslim is dat hij gevaarlijk is",       # "het is niet omdat ... dat"
    "joden zijn niet minder waard dan wie ook",             # "niet minder waard" is negated
    "transgenders zijn gene zieke mensen",                  # the attribute is denied
    "supporters van Club zijn allemaal tuig",               # a non-protected group
    "fietsers zijn een plaag in het centrum",
    "op reis naar Lesbos deze zomer",                       # a place, not a slur
    "vermoorde agent nooit vergeten",                       # remembrance of a victim
    "vrouwen en mannen betalen hetzelfde tarief",           # two groups paired, no vice
])
def test_benign_look_alikes_are_not_flagged(detector, text):
    assert detector.detect(text)[0] == "none"


def test_controleur_is_staff(detector):
    assert detector.detect_all("die controleur op de tram is een vuile klootzak")[2] == "staff"


def test_insulting_a_person_among_non_protected_words_is_still_flagged(detector):
    assert detector.detect("jij bent een klootzak, net als alle supporters")[0] == "offensive"


def test_a_place_homonym_opening_a_sentence_is_still_read_as_the_group(detector):
    assert detector.detect("Lesbos zijn vies")[0] == "offensive"
    assert detector.detect("op het eiland Lesbos wonen veel vissers")[0] == "none"


@pytest.mark.parametrize("text", [
    "knal die Syriërs gewoon overhoop",                     # a violent command against a group
    "tegen de muur met al die Afghanen",                    # a verbless exhortation
    "ik hoop dat die Marokkaan onder een tram belandt",     # a death wished by a vehicle
    "die ambtenaar krijgt van mij een kogel",               # a blow promised
    "we zullen jullie vinden",                              # tracked down
    "ik ga die buurman een lesje leren",                    # taught a lesson
    "kga u eens goed afdrogen",                             # Flemish 'afdrogen': beaten up
    "die Tunesiërs verdienen de doodstraf",                 # a call for the death penalty: a threat
    "we komen met een stel messen naar die imam",           # armed visit, read by the learned model
])
def test_more_threat_constructions_are_threats(detector, text):
    assert detector.detect(text)[0] == "threat", detector.detect(text)


@pytest.mark.parametrize("text", [
    "die klootzakken van de stad laten alles verrotten",    # an institution as a whole
    "de vuilnisophaling is een bende sukkels",              # a service called a bunch of fools
    "ik ga nog iemand vermoorden als die bladblazer weer begint",  # exasperation, no one aimed at
    "dat kloteparkeerhuis moet je opblazen",                # violence said of a thing
    "die moordenaar moet levenslang krijgen",               # a legal penalty that is not death
    "stop met homo's weg te zetten als zieken",             # a separable speech act asked to stop
    "zijn Roma echt allemaal dieven? nee natuurlijk niet",  # a question answered no
    "ja hoor want alle transpersonen zijn gevaarlijk. wat een onzin",  # irony, then ridicule
    "mijn baas gaat me vermoorden als ik weer te laat ben",  # the writer fears it
    "de voorzitter van de raad moet die plannen afmaken",   # a norm about a thing, the person is its agent
    "ik steek dat gemeentehuis nog in brand van kwaadheid",  # an attack on a thing out of exasperation
    "veel Polen gaan vissen in de Schelde",                 # a water without anyone thrown in it
])
def test_complaints_and_counter_speech_are_not_flagged(detector, text):
    assert detector.detect(text)[0] == "none", detector.detect(text)


def test_a_person_is_still_insulted_next_to_an_institution(detector):
    assert detector.detect("die klootzak van het loket")[0] == "offensive"
    assert detector.detect("jullie zijn een bende sukkels")[0] == "offensive"
