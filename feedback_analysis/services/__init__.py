"""Which municipal service a post is about: words and compounds matched against a YAML taxonomy.

:class:`ServiceTaxonomy` holds the services (id, Dutch and English label, weighted terms). The default
taxonomy for a Flemish municipality is ``resources/services.yaml``; a municipality *extends* it with a
YAML file of the same shape (its street names, the name of its recycling park, its teams): terms are
added to the defaults, never replacing them, and new service ids may be added. See the comments at the
top of the YAML file for the format and the routing decisions (GAS-boete, parkeerboete, sewers ...).

:class:`ServiceRouter` (fit / transform) routes texts; :func:`tag_services` adds its columns to a
posts table. For every text it returns

* ``service``: the main service id, or ``''`` when no service is meant or the confidence is too low;
* ``services``: every service with real evidence, main one first, joined by ``;``;
* ``service_confidence`` in ``[0, 1]``;
* ``service_review``: a service was detected but the confidence is below the threshold (default 0.4,
  as in Amsterdam's Signalen), so a person should decide;
* ``service_terms``: the words that matched, per service, to explain the choice.

How words match. A word of a text is looked up by its form, its lemma (``simplemma``), the Snowball
Dutch stems of both (words of 6 letters or more) and without a plural ``-s``; a term by its form and
stem. So "geparkeerd", "parkeert" and "parkeren" meet, and "bomen" finds "boom". A word that is no term
is read as a Dutch compound: its head ("restafval|zakken", "Kasteel|park") and its modifier
("fietspad|herstel", "parkeer|boete", with a linking -s- or -en-) are looked up when the term part
has at least 4 letters and the rest is a word too (in simplemma's dictionary or the taxonomy), so
"smaakte" does not hide "akte" and "klassiek" no "klas". Hyphenated words ("pmd-zakken", "GAS-boete")
are tried whole, then part by part; diminutives lose their ending ("zakjes" -> "zak"). Street names
("Schoolstraat", "Molenhoek") are not split. Multi-word terms ("blauwe zone") match consecutive words, and a term written as two words ("stoep
tegels", "zwerf vuil") is read as one. A word no dictionary knows that is one typo away from a term of
6 letters or more (a letter left out or added, two letters swapped, d for t: "lantaarpaal", "onkruit",
"containr") counts 0.8 of that term.
French and English terms (the ``foreign`` lists) and terms written ``=word`` match whole words only.

How confidence is computed. Each matched term adds its weight (strong 2, normal 1, weak 0.5) to its
service, once per term; a compound's modifier counts 0.8 of it. Then:

* a word after a place or time preposition ("op de stoep", "bij de vuilbakken", "sinds die
  sluikstort") says where or when, not what: it counts half when the post also names a subject
  ("hondenpoep op de stoep" is dieren);
* when several services compete, the first thing named counts 1.25 times: short reports name their
  subject first ("meeuwen pikken de vuilniszakken open");
* ``together`` rules add evidence when two words co-occur ("auto" + "fietspad" is parking);
* a ``fallback`` service (dienstverlening: loket, openingsuren, afspraak) counts 0.4 of its evidence
  when a specific service has at least a normal term's worth ("loket burgerzaken" is burgerzaken).

``confidence = top / (sum of all services' evidence + PRIOR)``, ``PRIOR = 0.8``: the share of the
evidence that supports the chosen service, where the prior stands for the evidence a text needs before
it is about any service at all. One strong term alone gives 0.71, one normal term 0.56, one weak term
0.38 (review). Against a competing service: strong named first vs normal 0.58, normal first vs strong
0.49, normal vs normal 0.41, strong vs strong 0.47, weak vs weak 0.32 (review); every extra term of the
winner raises it, every extra service lowers it. When the two best services still have equal evidence
(one word that points to both), the confidence is capped at ``top / (2 * (top + PRIOR))``, below the
threshold: a tie cannot name one service.
``services`` lists the main service and every other with at least 0.5 evidence and 35 % of the main one.

Placeholders from the masking stage (``[PHONE]``, ``[URL:gent.be]``), links and @mentions are ignored.

The learned half. A short text (up to 200 characters: reports, not reviews) in which the rules found a
service word but are less than 0.45 confident is decided by a blend: 0.6 times the rules' shares (each
service's evidence, and the prior as the share of "no service", over their sum) plus 0.4 times the
probabilities of :class:`~feedback_analysis.services.model.ServiceModel`, a word and character n-gram
classifier trained at start-up on the taxonomy's terms and the team's example reports. The best service
is named when it outranks "no service" and reaches 0.75 times the threshold (0.3 by default); its blended
score is the confidence, and ``service_terms`` ends with the model's own answer, ``<label>: model
<probability>``. Texts without any service word are left alone (the model guessed no better there), and
rules at least 0.45 confident decide alone (0.6 scored the same and asked the model three times as often).
These constants were chosen by 5-fold cross-validation on the
tuning half (``benchmarks/bench_services.py``). ``ServiceRouter(model=None)`` routes by the rules alone.

Modules: :mod:`~feedback_analysis.services.taxonomy` (the validated, frozen taxonomy and its YAML files),
:mod:`~feedback_analysis.services.words` (normalising words), :mod:`~feedback_analysis.services.matching`
(term indexes, compounds), :mod:`~feedback_analysis.services.router` (evidence and confidence) and
:mod:`~feedback_analysis.services.model` (the learned half).
"""

from feedback_analysis.services.router import (
    DEFAULT_THRESHOLD,
    OUTPUT_COLUMNS,
    PRIOR,
    ServiceRouter,
    tag_services,
)
from feedback_analysis.services.taxonomy import (
    DEFAULT_TAXONOMY,
    DEFAULT_WEIGHTS,
    Service,
    ServiceTaxonomy,
    TaxonomyError,
    Term,
    Together,
    default_taxonomy,
)

__all__ = [
    "DEFAULT_TAXONOMY", "DEFAULT_THRESHOLD", "DEFAULT_WEIGHTS", "OUTPUT_COLUMNS", "PRIOR", "Service",
    "ServiceRouter", "ServiceTaxonomy", "TaxonomyError", "Term", "Together", "default_taxonomy", "tag_services",
]
