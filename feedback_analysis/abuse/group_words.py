"""Word classes that :mod:`.groups` combines with a named group: negations, copulas, modals, speech acts,
reported thoughts, refusals, weapons and the other closed classes of its Dutch constructions."""

from __future__ import annotations

import re

NEGATIONS = frozenset({"niet", "geen", "nooit", "nie", "ni", "gene", "niks", "niets", "nimmer", "allerminst", "niemand",
                       "behalve", "allesbehalve", "zomin", "evenmin"})  # "X zijn alles behalve P", "net zo min P als wij"
# "geen enkele van die X", "niet een van de X": a negated quantifier over the group, a few words before it
QUANTIFIER_GLUE = frozenset({"enkele", "enkel", "een", "van", "de", "die", "deze", "mijn", "onze", "het", "der", "alle"})
# A negated main clause with one of these denies its 'dat' clause; with an indignation word it does not
DENIAL_VERBS = frozenset({"gezegd", "zeggen", "zeg", "denk", "geloof", "geloven", "mening", "zo", "waar", "beweer",
                          "beweerd", "beweren", "klopt", "overtuigd"})
INDIGNATION = frozenset({"normaal", "oke", "ok", "logisch", "eerlijk", "kunnen", "kan", "aanvaardbaar", "juist", "goed",
                         "fair", "begrijpen", "snappen", "verstaan", "pikken", "verdragen", "slikken"})
# "zijn X eigenlijk wel echte mensen?": humanity and competence doubted in a question (not "wel welkom?")
DOUBTED = frozenset({"in staat", "mensen", "mens", "menselijk", "normaal", "normale", "echte", "slim", "slimme", "intelligent",
                     "intelligente", "beschaafd", "beschaafde", "te vertrouwen", "bekwaam", "capabel", "geschikt"})
# "wie wil er nu X in zijn straat?": the places of a neighbour
NEIGHBOURHOOD = frozenset({"burgemeester", "leider", "piloot", "president", "minister", "premier", "directeur",
                           "agent", "leerkracht", "dokter", "arts", "chauffeur", "team", "ploeg", "bedrijf", "firma", "kantoor", "huis", "club", "vereniging", "collega", "baas", "chef", "juf", "lief", "partner", "huisgenoot", "straat", "buurt", "wijk", "naast", "buur", "buren", "buurman", "buurvrouw", "klas", "school",
                           "dorp", "familie", "schoonzoon", "schoondochter", "appartement", "blok", "gebouw"})
# "waar X wonen, daalt de huizenprijs", "overal waar X komen, wordt het vuil": decline where the group comes
CONSEQUENCE_OPENERS = frozenset({"waar", "overal", "sinds", "zodra", "met"})
DECLINE = frozenset({"vaantjes", "knoppen", "ambras", "miserie", "problemen", "ruzie", "vechtpartijen", "overlast",
                     "lawaai", "verloedert", "verloederen", "verloederd", "vuil", "vuiler", "onveilig", "onveiliger", "achteruit",
                     "ellende", "stinkt", "stinken", "kapot", "vernield", "verpest", "verziekt"})
# Ways of speaking about people that a request to stop names: "stop met te zeggen dat ...", "hou op met X af te schilderen"
SPEECH_ACTS = frozenset({"zeggen", "beweren", "schrijven", "roepen", "noemen", "schilderen", "afschilderen", "wegzetten",
                         "verspreiden", "vergelijken", "uitlachen", "pesten", "beledigen", "uitschelden", "discrimineren",
                         "veralgemenen", "doen", "posten", "delen", "suggereren", "insinueren"})
OTHER_SPEAKERS = frozenset({"opa", "oma", "vader", "moeder", "pa", "ma", "nonkel", "tante", "buurman", "buurvrouw",
                            "collega", "baas", "leraar", "leerkracht", "oom", "grootvader", "grootmoeder", "schoonvader",
                            "schoonmoeder", "je", "jij", "u", "ge", "gij", "hij", "zij", "ze", "iemand", "men", "wie", "mensen",
                            "sommigen", "jullie", "die", "politici", "hij/zij"})
AFTER_NEGATED = ("hoor", "hor", "thuis", "pas", "aanpas", "integre")  # verbs negated after them: "X passen niet"
RELATIVE_HEADS = frozenset({"mensen", "iedereen", "personen", "types", "wie", "degenen", "diegenen", "zij", "ze"})
COPULAS = frozenset({"zijn", "is", "ben", "bent", "zijt", "was", "waren", "blijven", "blijft", "lijken", "lijkt",
                     "vind", "vindt", "vinden", "noem", "noemt", "beschouw", "als", "net", "zo", "zoals", "echt",
                     "gewoon", "allemaal", "altijd", "eigenlijk", "zowat", "stuk", "soort", "een", "horen", "hoort"})
FIRST_SUBJECTS = frozenset({"ik", "k", "we", "wij", "iemand", "men"})
FIRST_PERSON = frozenset({"ik", "k", "me", "mij", "we", "wij", "ons", "mijn", "mn", "kheb", "kga", "kzal", "kwil"})
NAMING = frozenset({"noemen", "noemt", "noemde", "noemden", "genoemd", "uitgemaakt", "uitgescholden"})
WEAPONS = frozenset({"mes", "messen", "knuppel", "knuppels", "geweer", "pistool", "bom", "bommen", "machete",
                     "fakkels", "kalasjnikov"})
EVERYDAY_GROUPS = frozenset({"vrouw", "wijf"})  # singular: a group only when generic ("een vrouw hoort ...")
SPECIFIC = frozenset({"de", "die", "deze", "dat", "mijn", "mn", "je", "jouw", "haar", "onze", "ons", "hun",
                      "uw", "diene", "dienen"})
ARTICLES = frozenset({"de", "het", "die", "deze", "dit", "een", "hun", "zijn", "haar", "soort", "zoveel", "veel",
                      "groeiende", "toenemende"})
# A hatred noun after one of these is someone else's hatred named ("de haat in de reacties"), not the writer's
HATRED_ARTICLES = frozenset({"de", "het", "die", "deze", "dit", "zoveel", "zulke", "hun", "zijn", "haar"})
# "X kunnen niet binnen omdat de lift stuk is": a reason, a place or a time makes it a situation, not a nature
ABILITY_CAUSES = frozenset({"door", "omdat", "want", "zonder", "hier", "binnen", "meer", "nog", "wegens", "omwille", "als",
                            "indien", "zolang", "sinds", "daar", "er", "deze", "dit", "die", "de", "het", "hun", "mogen", "mag", "moeten", "werk", "stemmen", "trouwen"})
# "X blijven (altijd) X": only these between the two mentions of the group
TAUTOLOGY_GLUE = frozenset({"blijven", "blijft", "altijd", "gewoon", "nu", "eenmaal", "toch", "nog", "steeds", "ook"})
# Emotions that are hatred only when negated: "ik kan X niet uitstaan", "ik kan ze niet luchten"
NEGATED_EMOTIONS = frozenset({"uitstaan", "luchten", "verdragen", "pruimen", "zien"})
# "X en geld, altijd hetzelfde liedje", "X en werken, dat gaat niet samen": a group paired with a vice
PAIRING_VERDICTS = frozenset({"liedje", "hetzelfde", "samen", "elkaar", "werelden", "combinatie", "verhaal"})
# "weer een X", "natuurlijk een X": blame laid on the group by habit
BLAME_MARKERS = frozenset({"weer", "alweer", "weeral", "natuurlijk", "uiteraard"})
# "zal wel weer een X geweest zijn": a guess that blames
BLAME_GUESS = frozenset({"was", "is", "het", "geweest", "wel", "zal", "zeker"})
# "sinds X hier wonen", "tot X kwamen": the time a place went downhill
SINCE = frozenset({"sinds", "sedert", "tot", "toen"})
INDEFINITE = frozenset({"een", "nen", "ne", "n", "enen"})  # "weer nen X": Flemish articles too
# "overal X", "alleen nog X": the group said to be everywhere, as a flood
EVERYWHERE = frozenset({"overal", "allemaal"})
# Hatred named as a thing ("al die haat tegen X"): a writer's disgust at it is not hate of the group
HATRED_THINGS = frozenset({"haat", "racisme", "discriminatie", "haatberichten", "haatreacties", "hetze", "uitspraken",
                           "reacties", "commentaren", "posts", "haatzaaierij", "vooroordelen", "pesterijen"})
# A positive adjective after a negation is the predicate denied, not the group: "geen echte vrouwen"
DENIED_QUALITIES = frozenset({"echte", "ware", "normale", "volwaardige", "gewone"})
# "wie wil er nu X als collega?": a role someone close to you plays
CLOSE_ROLES = frozenset({"collega", "buur", "buurman", "buurvrouw", "baas", "chef", "schoonzoon", "schoondochter",
                         "juf", "meester", "leerkracht", "dokter", "huisgenoot", "vriend", "vriendin", "lief", "partner"})
# "eerlijk gezegd", "kort gezegd": a hedge of the writer's own words, not a report of someone else's
HEDGES = (["eerlijk"], ["kort"], ["zacht"], ["anders"], ["ronduit"], ["plat"], ["simpel"], ["gewoon"])
# "iedereen die X uitscheldt ...": the people who abuse the group, named to condemn them
ABUSERS = frozenset({"iedereen", "mensen", "degenen", "diegenen", "wie", "types", "lui", "figuren", "personen"})
ABUSE_ACTS = frozenset({"uitscheldt", "uitschelden", "haat", "haten", "discrimineert", "discrimineren",
                        "pest", "pesten", "uitlacht", "uitlachen", "beledigt", "beledigen", "bedreigt", "bedreigen",
                        "aanvalt", "aanvallen", "slaat", "slaan", "uitsluit", "uitsluiten", "kleineert", "kleineren"})
STATES = frozenset({"dood", "kapot", "eraan", "kogel", "kogels", "galg", "doodstraf", "in brand", "sterven", "doodgaan"})
RECEIVED = frozenset({"bedreigd", "uitgescholden", "uitgemaakt", "aangevallen", "lastiggevallen"})
# "in mijn zaak komen geen X binnen", "ik zou nooit een X aannemen": refusing a group service, work or a home
REFUSALS = frozenset({"binnen", "aannemen", "aanwerven", "verhuren", "verhuur", "bedienen", "bedien", "toelaten",
                      "binnenlaten", "laat", "aanneem", "huren", "trouwen", "helpen", "help", "nemen", "neem"})
COMPARATIVES = frozenset({"beter", "betere", "veiliger", "mooier", "properder", "rustiger", "aangenamer", "leuker"})
SCOPE_ENDS = frozenset({"en", "maar", "want", "dus", "omdat"})  # "X zijn niet ziek en verdienen respect"
# Words read or heard, or written on a wall: with a quote they are someone else's words.
HEARD = frozenset({"las", "lees", "leest", "gelezen", "hoorde", "hoorden", "gehoord", "leuze", "leuzen", "graffiti",
                   "slogan", "slogans", "spandoek"})
# Thinking, believing, reading and hearing: a report of someone's view only together with a condemnation
# ("dat sommigen nog denken dat X P zijn, vind ik erg"), since "ze denken dat ..." often opens hate itself.
THOUGHTS = frozenset({"denken", "denkt", "dacht", "dachten", "geloven", "gelooft", "geloofde", "geloofden", "schrijven",
                      "lezen", "horen", "stond", "stonden", "idee", "gedachte", "verspreiden", "verspreidt", "insinueren",
                      "suggereerde", "schreven"})
SINGLE_QUOTE = re.compile(r"(?<![a-z0-9])'[^']{3,}'(?![a-z0-9])")
# A sentence opening with these says more about the group of the sentence before: "wat een ...", "allemaal ..."
CARRIERS = frozenset({"wat", "allemaal", "stuk", "echt", "pure", "puur", "zulk", "zulke"})
# "een goede X is een vertrokken X": only a gone (or dead) one is good
GONE = frozenset({"dode", "dooie", "dood", "doden", "vertrokken", "vertrekken", "onzichtbare", "afwezige", "uitgezette", "verdwenen", "begraven",
                  "weggestuurde", "uitgewezen", "geexecuteerde", "opgehangen", "teruggestuurde"})
NOT = frozenset({"niet", "nie", "ni"})  # "X horen hier nie": the Flemish forms too
ANSWERS = (["nee"], ["neen"], ["ja"])  # "vrouwen die nee zeggen": an answer, not words reported
# Hearsay before "maar" and no hateful word after it: a claim reported to rebut it ("ik hoor dat X P, maar ...")
HEARSAY = frozenset({"hoor", "hoort", "horen", "zogezegd", "zogenaamd", "zegt", "zeggen", "beweert", "beweren", "las", "lees"})
OPENING_NEGATIONS = frozenset({"nooit", "niemand", "nimmer"})
# "nooit heb ik zo'n vuile mensen gezien": an intensifier, not a negation of what follows
INTENSIFIED = frozenset({"zon", "zulke", "zulk", "zoveel", "zo'n"})
# "waarom moeten wij X dulden?": a question whether a group should be tolerated at all
TOLERANCE = frozenset({"dulden", "verdragen", "tolereren", "toelaten", "binnenlaten", "slikken",
                       "aanvaarden", "pikken", "opvangen", "onderhouden", "betalen"})
BREAKERS = frozenset({"dan", "alleen", "enkel", "zomaar", "eens", "meer", "slechts", "wachten"})  # "niet alleen X"
PRONOUNS = frozenset({"ze", "zij", "hen", "hun", "die", "deze", "dat", "het", "zon", "zulke", "zulk"})
MODALS = frozenset({"eindelijk", "moeten", "moet", "mogen", "mag", "zouden", "zou", "horen", "hoort", "weg", "buiten", "eruit",
                    "beter", "ga", "maar"})  # "ze kunnen beter teruggaan", "ga terug", "rot maar op"
GLUE_WORDS = frozenset({"ik", "k", "ga", "gaan", "we", "ze", "zijn", "is", "alle", "die", "de", "het", "een",
                        "haat", "walg", "van", "zij", "en", "maak", "wil", "zal"})
TARGET_CLASSES = frozenset({"group", "gadj", "ghead", "staff"})
PREDICATE_CLASSES = ("attribute", "dehumanising", "emotion", "positive", "exclusion", "stereotype")
SUFFIXES = ("", "e", "en", "s", "er", "ere", "st", "ste", "n")

# Particles of separable violent verbs said as a command: "knal die X neer", "maak ze af", "leg ze om"
COMMAND_PARTICLES = frozenset({"neer", "dood", "overhoop", "kapot", "plat", "af", "om"})
# After a violent phrase that opens a sentence, these make it an exhortation: "tegen de muur met X", "ophangen die X"
EXHORTATION_GLUE = frozenset({"met", "die", "al", "alle", "ze", "hen", "dat"})


def commanded(words: list[str], entries: list, imperatives: set[str]) -> bool:
    """Whether a sentence opens with a violent command: an imperative with its particle later on ("schiet die
    X neer") or another violent word ("steek hun moskee in brand"), or a violent phrase followed by its victim
    ("tegen de muur met X", "ophangen die X"). Questions and states ("kapot", "dood") are not commands."""
    if not words:
        return False
    first = entries[0]
    if words[0] in imperatives:
        return any(w in COMMAND_PARTICLES or (e and e[0] == "violence" and e[2] not in WEAPONS)
                   for w, e in zip(words[2:], entries[2:]))
    return bool(first) and first[0] == "violence" and first[2] not in STATES | WEAPONS \
        and (words[0].endswith("en") or " " in first[2]) and bool(EXHORTATION_GLUE.intersection(words[1:2]))

# A question answered no in the next sentence: "zijn X echt allemaal dieven? nee, natuurlijk niet"
ANSWERS_NO = (["nee"], ["neen"], ["nope"], ["natuurlijk", "niet"], ["uiteraard", "niet"], ["helemaal", "niet"])
# Irony that opens a post: "ja hoor, want alle X zijn P. wat een onzin", "tuurlijk zijn X P. gaat het nog?"
IRONY_OPENERS = (["ja", "hoor"], ["jaja"], ["ja", "ja"], ["tuurlijk"], ["ah", "ja"], ["jawel", "hoor"], ["alsof"])


def answered_no(tokens: list) -> bool:
    """Whether a sentence after a question opens with a no: the question was asked to deny its claim."""
    starts = {}
    for k, (_, sentence, _) in enumerate(tokens):
        starts.setdefault(sentence, k)
    words = [w for w, _, _ in tokens]
    return any(words[k:k + len(answer)] == answer for sentence, k in starts.items() if sentence > min(starts)
               for answer in ANSWERS_NO)


def ironic(tokens: list, condemnations: set[str]) -> bool:
    """An ironic opener with a condemnation or ridicule in a later sentence: the claim is mocked, not made."""
    words = [w for w, _, _ in tokens]
    if not any(words[:len(opener)] == opener for opener in IRONY_OPENERS):
        return False
    first = tokens[0][1]
    return any(sentence > first and (word in condemnations or (entry and entry[0] == "condemn"))
               for word, sentence, entry in tokens)


# Waters ("in het kanaal", "de rivier in") are a threat only with a verb of throwing or driving in the sentence:
# "gooi die X in het kanaal", not "veel X gaan vissen in de Schelde"
THROWING = frozenset({"gooien", "gooi", "gooit", "gegooid", "smijten", "smijt", "gesmeten", "duwen", "duw", "duwt",
                      "geduwd", "drijven", "drijf", "gedreven", "jagen", "jaag", "gejaagd", "kieperen", "kieper",
                      "gekieperd", "sleuren", "gesleurd", "verzuipen", "verdrinken", "werpen", "geworpen"})


# "om de kerstverlichting op te hangen": a determiner and a noun that names no one, just before the violent verb
THING_DETERMINERS = frozenset({"de", "het", "dat", "dit", "mijn", "onze", "uw"})
# The writer as the object of a verb ("gaat me vermoorden", "haat voor ons"): feared or suffered, not a threat.
SELF_OBJECTS = frozenset({"me", "mij", "ons"})


def _thing_before(n: int, entries: list, words: list[str]) -> bool:
    return n >= 2 and words[n - 2] in THING_DETERMINERS and entries[n - 1] is None and entries[n - 2] is None \
        and len(words[n - 1]) > 3 and words[n - 1].isalpha()


def with_drowning(entries: list, words: list[str]) -> list:
    """The entries of a sentence, a water read as violence when a verb of throwing is in the sentence, and no
    violence done to the writer ("mijn baas gaat me vermoorden": feared, not threatened)."""
    entries = [None if e and e[0] == "violence" and (SELF_OBJECTS.intersection(words[n - 1:n]) or _thing_before(n, entries, words))
               else e for n, e in enumerate(entries)]
    if not any(e and e[0] == "drowning" for e in entries):
        return entries
    thrown = not THROWING.isdisjoint(words)
    return [("violence", "", e[2]) if e and e[0] == "drowning" and thrown else (None if e and e[0] == "drowning" else e)
            for e in entries]
