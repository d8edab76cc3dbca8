"""Service routing: taxonomy loading and extension, word matching, confidence, and the table contract."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from feedback_analysis.services import (
    DEFAULT_THRESHOLD,
    OUTPUT_COLUMNS,
    ServiceRouter,
    ServiceTaxonomy,
    TaxonomyError,
    default_taxonomy,
    tag_services,
)
from feedback_analysis.services.model import read_examples
from feedback_analysis.services.router import BLEND_FLOOR

DEFAULT_IDS = [
    "afval", "wegen_mobiliteit", "parkeren", "groen", "overlast", "veiligheid", "dieren", "burgerzaken",
    "sociaal", "onderwijs", "vrije_tijd", "omgeving", "belastingen", "dienstverlening",
]


@pytest.fixture(scope="module")
def router() -> ServiceRouter:
    return ServiceRouter()


def route(router: ServiceRouter, text: str) -> dict:
    return router.route_text(text)


# -- the default taxonomy ------------------------------------------------------------------------

def test_default_ids_are_exactly_the_agreed_ones():
    assert ServiceTaxonomy.load().ids == DEFAULT_IDS


def test_every_default_service_has_dutch_and_english_labels():
    taxonomy = ServiceTaxonomy.load()
    for service_id in taxonomy.ids:
        assert taxonomy.label(service_id, "nl").strip()
        assert taxonomy.label(service_id, "en").strip()
    assert taxonomy.label("afval") == taxonomy.label("afval", "nl")
    assert taxonomy.label("") == ""
    with pytest.raises(ValueError):
        taxonomy.label("afval", "fr")


# -- matching words ------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "service"), [
    ("De restafvalzakken zijn niet opgehaald", "afval"),
    ("pmd-zakken blijven staan", "afval"),
    ("Onze gft-container stinkt", "afval"),
    ("Dat fietspadherstel duurt eeuwig", "wegen_mobiliteit"),
    ("Wanneer wordt het Kasteelpark eens onderhouden?", "groen"),
    ("Parkeerboete gekregen", "parkeren"),
    ("Hondenpoepzakjes zijn op", "dieren"),
])
def test_dutch_compounds_are_split_into_known_words(router, text, service):
    assert route(router, text)["service"] == service


def test_street_names_are_not_read_as_compounds(router):
    result = route(router, "Wegenwerken in de Schoolstraat")
    assert result["services"] == "wegen_mobiliteit"


@pytest.mark.parametrize(("text", "service"), [
    ("Er wordt elke dag fout geparkeerd", "parkeren"),
    ("Hij parkeert altijd voor mijn deur", "parkeren"),
    ("Alle bomen in onze straat zijn gekapt", "groen"),
    ("Het gras is nog altijd niet gemaaid", "groen"),
    ("Mijn identiteitskaarten zijn verlopen", "burgerzaken"),
    ("Iemand heeft hier zakken afval gedumpt", "afval"),
])
def test_inflected_forms_match_through_lemmas_and_stems(router, text, service):
    assert route(router, text)["service"] == service


def test_a_post_can_name_several_services(router):
    result = route(router, "Ratten bij de vuilbakken")
    assert result["service"] == "dieren"
    assert result["services"].split(";") == ["dieren", "afval"]
    assert "ratten" in result["service_terms"] and "vuilbak" in result["service_terms"]


def test_decided_cases_from_the_taxonomy(router):
    gas = route(router, "GAS-boete voor hondenpoep")
    assert (gas["service"], gas["services"]) == ("belastingen", "belastingen;dieren")
    parking = route(router, "Parkeerboete gekregen terwijl mijn schijf er lag")
    assert parking["services"].split(";")[:2] == ["parkeren", "belastingen"]
    assert route(router, "Wateroverlast, de straatkolk is verstopt")["service"] == "wegen_mobiliteit"


def test_counter_service_words_yield_to_the_service_they_are_about(router):
    assert route(router, "Loket burgerzaken weer gesloten")["service"] == "burgerzaken"
    assert route(router, "Openingsuren van het recyclagepark zijn veranderd")["service"] == "afval"
    assert route(router, "Wat zijn de openingsuren van het gemeentehuis?")["service"] == "dienstverlening"


def test_a_place_after_a_preposition_counts_less_than_the_subject(router):
    assert route(router, "Hondenpoep op de stoep")["service"] == "dieren"
    assert route(router, "Auto geparkeerd op het fietspad")["service"] == "parkeren"
    assert route(router, "Kapotte bank in het park")["service"] == "wegen_mobiliteit"


@pytest.mark.parametrize(("text", "service"), [
    ("Les poubelles n'ont pas été ramassées", "afval"),
    ("La piscine est encore fermée", "vrije_tijd"),
    ("Rendez-vous pour la carte d'identité impossible", "burgerzaken"),
    ("The streetlight in our street is broken", "wegen_mobiliteit"),
    ("Dog poo everywhere on the pavement", "dieren"),
])
def test_french_and_english_terms(router, text, service):
    assert route(router, text)["service"] == service


def test_foreign_words_are_not_found_inside_dutch_words(router):
    assert route(router, "Misschien een domme vraag")["services"] == ""


# -- no service, review, confidence ---------------------------------------------------------------

@pytest.mark.parametrize("text", ["idem hier", "+1", "😂😂😂", "Proficiat!", "Merci [NAME]!", "", "   ", None,
                                  float("nan")])
def test_chitchat_has_no_service_and_is_not_sent_to_review(router, text):
    result = router.route_text(text)
    assert result == {"service": "", "services": "", "service_confidence": 0.0, "service_review": False,
                      "service_terms": ""}


def test_placeholders_are_ignored(router):
    assert route(router, "[NAME] [PHONE] [EMAIL] [URL:parkeren-denderbeke.be] @Sofie")["services"] == ""
    result = route(router, "Sluikstort gemeld [PHONE] [EMAIL], zie [URL:denderbeke.be/parkeren]")
    assert (result["service"], result["services"]) == ("afval", "afval")
    assert result["service_terms"].startswith("afval: sluikstort")


def tiny_taxonomy() -> ServiceTaxonomy:
    return ServiceTaxonomy.from_mapping({"services": {
        "afval": {"label": {"nl": "Afval", "en": "Waste"}, "strong": ["sluikstort"], "weak": ["zak"]},
        "groen": {"label": {"nl": "Groen", "en": "Green"}, "terms": ["boom"]},
        "loket": {"label": {"nl": "Loket", "en": "Desk"}, "terms": ["loket"], "fallback": True},
    }})


def test_weak_evidence_goes_to_review_instead_of_being_guessed():
    result = ServiceRouter(tiny_taxonomy(), model=None).route_text("Er staat een zak")
    assert result["service"] == ""
    assert result["services"] == "afval"
    assert result["service_review"] is True
    assert 0.0 < result["service_confidence"] < 0.4


def test_the_review_threshold_is_configurable():
    assert ServiceRouter(tiny_taxonomy(), threshold=0.3, model=None).route_text("Er staat een zak")["service"] == "afval"
    with pytest.raises(ValueError):
        ServiceRouter(tiny_taxonomy(), threshold=1.5)


def test_confidence_grows_with_evidence_and_falls_with_competition():
    router = ServiceRouter(tiny_taxonomy(), model=None)
    strong = router.route_text("sluikstort")["service_confidence"]
    normal = router.route_text("boom")["service_confidence"]
    weak = router.route_text("zak")["service_confidence"]
    assert 1.0 >= strong > normal > 0.4 > weak > 0.0
    tie = router.route_text("boom en loket en boom")  # a fallback service alone is a real service
    assert tie["service"] == "groen"
    contested = router.route_text("zak en boom")
    assert contested["service"] == "groen" and contested["service_confidence"] < normal


def test_a_tie_between_two_services_is_sent_to_review():
    taxonomy = ServiceTaxonomy.from_mapping({"services": {
        "a": {"label": {"nl": "A", "en": "A"}, "strong": ["appel", "fruit"]},
        "b": {"label": {"nl": "B", "en": "B"}, "strong": ["peer", "fruit"]},
    }})
    router = ServiceRouter(taxonomy, model=None)  # the rules alone; a model may break a tie
    tie = router.route_text("fruit")
    assert tie["service"] == "" and tie["service_review"] is True
    assert set(tie["services"].split(";")) == {"a", "b"}
    # Between different words, the one named first is taken as the subject.
    assert router.route_text("peer en appel")["service"] == "b"


# -- municipality extension ----------------------------------------------------------------------

EXTENSION = """
services:
  afval:
    strong: [Recyclagepark De Bremhoek, Bremhoek]
  wegen_mobiliteit:
    terms: [Ringlaan]
    drop: [klok]
  markten:
    label: {nl: Markten en kermissen, en: Markets and fairs}
    strong: [marktkramer, standplaats]
ignore: [Heibos]
"""


def test_a_municipality_yaml_adds_its_own_words_and_services(tmp_path):
    path = tmp_path / "denderbeke_services.yaml"
    path.write_text(EXTENSION, encoding="utf-8")
    default = ServiceRouter()
    extended = ServiceRouter(ServiceTaxonomy.load(path))

    assert default.route_text("Lange wachtrij aan de Bremhoek")["service"] != "afval"
    assert extended.route_text("Lange wachtrij aan de Bremhoek")["service"] == "afval"
    assert extended.route_text("Weeral druk op de ringlaan")["service"] == "wegen_mobiliteit"
    assert extended.route_text("Geen standplaats meer voor de marktkramers")["service"] == "markten"
    # The defaults are still there, except what the municipality dropped.
    assert extended.route_text("Sluikstort aan de glasbol")["service"] == "afval"
    assert default.route_text("De klok staat stil")["service"] == "wegen_mobiliteit"
    assert extended.route_text("De klok staat stil")["services"] == ""

    taxonomy = extended.taxonomy
    assert taxonomy.ids == DEFAULT_IDS + ["markten"]
    assert taxonomy.label("markten", "en") == "Markets and fairs"
    assert taxonomy.label("afval") == ServiceTaxonomy.load().label("afval")


def test_extension_errors_name_the_file_and_the_problem(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("services:\n  markten:\n    terms: [marktkramer]\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"bad\.yaml.*markten.*label"):
        ServiceTaxonomy.load(path)
    path.write_text("services:\n  afval:\n    sterk: [container]\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"bad\.yaml.*unknown key.*sterk"):
        ServiceTaxonomy.load(path)
    path.write_text("services:\n  groen:\n    label: {nl: Groen, parken, en: Parks}\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match=r"label.*quote"):  # the comma split the label
        ServiceTaxonomy.load(path)
    path.write_text("weights: {strong: 5}\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match="weights"):
        ServiceTaxonomy.load(path)
    with pytest.raises(TaxonomyError, match="cannot read"):
        ServiceTaxonomy.load(tmp_path / "missing.yaml")


@pytest.mark.parametrize("content, named", [
    ("services:\n  afval:\n    strnog: [container]\n", r"services\.afval.*'strnog'.*did you mean 'strong'"),
    ("services:\n  overlast:\n    terms: [lawaai]\n    fallbak: true\n", r"services\.overlast.*'fallbak'.*'fallback'"),
    ("servics:\n  afval:\n    terms: [container]\n", r"'servics'.*did you mean 'services'"),
    ("services:\n  aval:\n    terms: [container]\n", r"services\.aval.*unknown service.*did you mean 'afval'"),
    ("services:\n  afval:\n    together: [{words: [zak], wiht: [meeuw]}]\n", r"together\[\d+\].*'wiht'.*allowed: weight, with, words"),
    ("services: [afval\n  - x: :\n", r"not valid YAML"),
])
def test_a_misspelled_key_is_one_line_naming_the_file_and_the_key(tmp_path, content, named):
    path = tmp_path / "gemeente_services.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TaxonomyError) as caught:
        ServiceTaxonomy.load(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    assert re.search(named, message), message


def test_a_taxonomy_is_frozen_once_built():
    taxonomy = ServiceTaxonomy.load()
    with pytest.raises(AttributeError):
        taxonomy.ignore = frozenset({"heibos"})
    with pytest.raises(TypeError):
        taxonomy.services["markten"] = taxonomy.services["afval"]
    with pytest.raises(AttributeError):
        taxonomy.services["afval"].terms = ()
    assert "markten" not in taxonomy


def test_weighted_and_literal_terms():
    taxonomy = ServiceTaxonomy.from_mapping({"services": {
        "veiligheid": {"label": {"nl": "Veiligheid", "en": "Safety"}, "strong": ["=brand", {"gas-lek": 3}]},
    }})
    router = ServiceRouter(taxonomy)
    assert router.route_text("Brand in de straat")["service"] == "veiligheid"
    assert router.route_text("De lamp brandt niet")["services"] == ""  # "=brand" is not the verb "branden"
    assert router.route_text("gas-lek")["service_confidence"] > router.route_text("brand")["service_confidence"]


# -- the table contract --------------------------------------------------------------------------

def test_tag_services_keeps_rows_order_and_index(router):
    posts = pd.DataFrame(
        {"text": ["Hondenpoep op de stoep", "idem hier", None, "Zwembad weer dicht"], "likes": [3, 0, 1, 2]},
        index=[40, 7, 12, 3],
    )
    before = posts.copy()
    tagged = tag_services(posts, router=router)

    pd.testing.assert_frame_equal(posts, before)  # the input is not changed
    assert list(tagged.index) == [40, 7, 12, 3]
    assert list(tagged.columns) == ["text", "likes", *OUTPUT_COLUMNS]
    assert tagged["service"].tolist() == ["dieren", "", "", "vrije_tijd"]
    assert tagged["service_confidence"].dtype == "float64"
    assert tagged["service_review"].dtype == "bool"


def test_tag_services_reads_another_text_column():
    posts = pd.DataFrame({"bericht": ["Sluikstort aan de kerk"]})
    assert tag_services(posts, text_column="bericht")["service"].tolist() == ["afval"]
    with pytest.raises(KeyError):
        tag_services(posts)


def test_transform_and_route_text_agree(router):
    texts = ["Lantaarnpaal brandt niet meer", "Geluidsoverlast van café tot 3 uur", "haha", "Er staat een zak"]
    frame = router.fit().transform(texts)
    assert list(frame.columns) == list(OUTPUT_COLUMNS)
    assert frame.to_dict("records") == [router.route_text(text) for text in texts]
    empty = router.transform([])
    assert list(empty.columns) == list(OUTPUT_COLUMNS) and len(empty) == 0


def test_outputs_are_consistent_on_the_sample_data(router):
    from feedback_analysis.sample import generate_sample_posts

    posts = generate_sample_posts(months=1, posts_per_month=80)
    tagged = tag_services(posts, router=router)
    confidence = tagged["service_confidence"]
    assert confidence.between(0.0, 1.0).all() and not confidence.map(math.isnan).any()
    assert ((tagged["service"] != "") | tagged["service_review"] | (tagged["services"] == "")).all()
    routed = tagged[tagged["service"] != ""]
    assert (routed["services"].str.split(";").str[0] == routed["service"]).all()
    assert (tagged.loc[tagged["service_review"], "service"] == "").all()
    assert set(tagged["service"]) <= set(DEFAULT_IDS) | {""}


def test_routing_does_not_depend_on_the_process_string_hashing():
    import subprocess
    import sys

    code = ("from feedback_analysis.services import ServiceRouter; r = ServiceRouter(); "
            "print([r.route_text(t) for t in ['Aanmeldsysteem voor de scholen is een loterij, ons kind moet naar "
            "een school ver weg', 'Proberen bellen naar burgerzaken: 3 keer gebeld']])")
    outputs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                              env={**__import__("os").environ, "PYTHONHASHSEED": seed}).stdout
               for seed in ("1", "2", "3", "4")}
    assert len(outputs) == 1 and "onderwijs" in outputs.pop()


class _StubModel:
    """Gives ``label`` the probability ``probability`` and spreads the rest; records what it was asked."""

    def __init__(self, label: str, probability: float, classes=("afval", "groen", "loket", "none")):
        self.label, self.probability, self.asked = label, probability, []
        self.classes_ = np.array(list(dict.fromkeys([*classes, label])))

    def predict_proba(self, texts):
        self.asked.extend(texts)
        rest = (1 - self.probability) / (len(self.classes_) - 1)
        row = np.where(self.classes_ == self.label, self.probability, rest)
        return np.tile(row, (len(texts), 1))


def test_the_model_decides_a_review_case_and_says_so_in_the_terms():
    with_model = ServiceRouter().route_text("Er staat een zak")
    assert with_model["service"] == "afval" and not with_model["service_review"]
    assert "afval: model" in with_model["service_terms"]
    assert with_model["service_confidence"] >= BLEND_FLOOR * DEFAULT_THRESHOLD
    without = ServiceRouter(model=None).route_text("Er staat een zak")
    assert without["service"] == "" and without["service_review"]


def test_the_model_leaves_chitchat_alone():
    chitchat = ["idem hier", "Proficiat!", "Mooie zonsondergang vanavond", "Iemand een goede loodgieter?",
                "Gelukkige verjaardag mama", "Zelfde hier", "Helemaal akkoord"]
    assert ServiceRouter().transform(chitchat)["service"].tolist() == [""] * len(chitchat)


def test_the_model_is_asked_only_about_short_texts_with_a_service_word_the_rules_are_unsure_of():
    sure = _StubModel("groen", 0.99)
    router = ServiceRouter(tiny_taxonomy(), model=sure)
    assert router.route_text("Het ziet er hier niet uit")["service"] == ""  # no service word: no guess
    assert router.route_text("Er staat een zak")["service"] == "groen"     # weak rules: the blend decides
    assert router.route_text("Een sluikstort")["service"] == "afval"       # sure rules decide alone
    long_text = "Er staat een zak. " * 20
    assert router.route_text(long_text)["service"] == ""
    assert sure.asked == ["Er staat een zak"]


def test_an_unsure_model_does_not_override_the_rules():
    unsure = _StubModel("groen", 0.3)
    result = ServiceRouter(tiny_taxonomy(), model=unsure).route_text("zak en boom")
    assert result["service"] == ServiceRouter(tiny_taxonomy(), model=None, threshold=0.0).route_text(
        "zak en boom")["service"] == "groen"
    assert ServiceRouter(tiny_taxonomy(), model=_StubModel("none", 0.99)).route_text("Er staat een zak")[
        "service"] == ""


def test_the_model_never_names_a_service_outside_the_taxonomy():
    router = ServiceRouter(tiny_taxonomy(), model=_StubModel("dieren", 0.99))
    for text in ("Het ziet er hier niet uit", "Er staat een zak"):
        assert router.route_text(text)["service"] in {"", "afval", "groen", "loket"}


def test_the_packaged_examples_are_the_tuning_half():
    tune = Path(__file__).resolve().parents[1] / "benchmarks" / "cases" / "services_tune.csv"
    if not tune.exists():
        pytest.skip("benchmarks/cases not present")
    from importlib import resources

    packaged = resources.files("feedback_analysis").joinpath("resources/services_examples.csv").read_text("utf-8")
    assert packaged == tune.read_text("utf-8")
    texts, labels = read_examples(packaged)
    assert len(texts) > 200 and set(labels) <= set(default_taxonomy().ids) | {"none"}


def test_no_reporting_case_is_a_training_example():
    cases = Path(__file__).resolve().parents[1] / "benchmarks" / "cases"
    if not (cases / "services_report.csv").exists():
        pytest.skip("benchmarks/cases not present")
    from importlib import resources

    packaged = resources.files("feedback_analysis").joinpath("resources/services_examples.csv").read_text("utf-8")
    trained = {text.lower().strip() for text in read_examples(packaged)[0]}
    for name in ("services_report.csv", "services_signalen_report.csv"):
        reported = read_examples((cases / name).read_text("utf-8"), name)[0]
        assert not trained & {text.lower().strip() for text in reported}, name


def test_the_signalen_category_table_names_only_default_services_and_covers_every_main_category():
    import json
    from importlib import resources

    import yaml

    table = yaml.safe_load(resources.files("feedback_analysis").joinpath("resources/signalen_services.yaml")
                           .read_text("utf-8"))
    ids = set(DEFAULT_IDS) | {"none"}
    for main, spec in table.items():
        assert spec["default"] in ids, main
        assert set((spec.get("sub") or {}).values()) <= ids, main
    tree = Path(__file__).resolve().parents[2] / "shared" / "taxonomies" / "amsterdam_signalen_categories.json"
    if not tree.exists():
        pytest.skip("../shared/taxonomies not present")
    categories = {row["pk"]: row["fields"] for row in json.loads(tree.read_text("utf-8"))}
    mains = {fields["name"] for fields in categories.values() if fields.get("parent") is None}
    assert mains == set(table)
    subs = {fields["name"] for fields in categories.values() if fields.get("parent") is not None}
    assert {name for spec in table.values() for name in (spec.get("sub") or {})} <= subs


def test_the_old_model_module_still_imports():
    from feedback_analysis import services_model
    from feedback_analysis.services import model

    assert services_model.ServiceModel is model.ServiceModel
    assert services_model.default_model is model.default_model


@pytest.mark.parametrize(("text", "service"), [
    # situations that name no service, recognised by word class (needs, noise sources, crime verbs, pollutants)
    ("Mijn opa is dement en woont nog helemaal alleen", "sociaal"),
    ("We zitten met achterstallige facturen en de elektriciteit wordt afgesloten", "sociaal"),
    ("De hond van de achterburen jankt elke dag", "overlast"),
    ("Ze stoken elke avond plastic en tuinafval in hun tuin", "overlast"),
    ("Iemand laat diesel in de beek lopen", "omgeving"),
    ("Onze huisbaas herstelt het lekkend dak niet", "omgeving"),
    ("Gisteren is haar tas afgerukt aan het station", "veiligheid"),
    ("Motards razen hier met 120 door het dorp", "wegen_mobiliteit"),  # speeding: see the decisions in services.yaml
    # everyday words of those classes do not route a review or a chat on their own
    ("Het eten was lekker, maar geen aanrader voor die prijs", ""),
    ("De eigenaar van het restaurant was heel vriendelijk", ""),
    ("Slaatje met stokbrood en een bolletje ijs met slagroom uit de spuitbus", ""),
])
def test_situations_are_routed_by_word_class(router, text, service):
    assert route(router, text)["service"] == service


@pytest.mark.parametrize(("text", "service"), [
    ("heel de stoep ligt vol met zwerf vuil", "afval"),          # a term written as two words
    ("adres verandering doorgeven", "burgerzaken"),
    ("de stoep tegels liggen los", "wegen_mobiliteit"),
    ("lantaarpaal voor nr 7 doet het niet", "wegen_mobiliteit"),  # a letter left out
    ("onkruit tussen de klinkers op het plein", "groen"),        # d written as t
    ("glas container zit vol", "afval"),
])
def test_split_and_misspelled_terms_are_found(text, service):
    assert ServiceRouter(model=None).route_text(text)["service"] == service


def test_a_misspelling_is_one_typo_and_only_for_unknown_words():
    from feedback_analysis.services.matching import is_typo

    assert is_typo("containr", "container") and is_typo("troittoir", "trottoir") and is_typo("brnad", "brand")
    assert is_typo("geparkeert", "geparkeerd")
    assert not is_typo("slagroom", "slagboom") and not is_typo("park", "park") and not is_typo("parkje", "park")
    router = ServiceRouter(model=None)
    assert router.route_text("een bolletje ijs met slagroom")["service"] == ""
    assert router.route_text("de stoep en de rijweg")["services"] == "wegen_mobiliteit"  # "de" + "stoep" not joined
