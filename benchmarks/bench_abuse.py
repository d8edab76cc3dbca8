"""Quality and speed of the abuse detector on a functional test suite, in one run.

Run from the repository root:  .venv/bin/python benchmarks/bench_abuse.py

The suite below (written for this project, HateCheck-style) groups short Flemish posts by
functionality: abusive ones (derogation, dehumanisation, slurs, targeted profanity, spelling
variations) and threats (direct, normative), and benign look-alikes (negation, counter-speech,
condemned quotes, untargeted profanity, idioms, neutral group mentions, hard complaints). Prints:

* accuracy per functionality (a post is right when its label is the expected one; for abusive
  functionalities "offensive" and "threat" both count as flagged, as the bars below do);
* the three bars: abusive posts flagged (>= 0.80), threats labelled threat (>= 0.85), benign
  look-alikes flagged (<= 0.20);
* false-positive rate on the negative restaurant review sentences of SemEval-2016 Dutch
  (``../shared/eval/dev``; skipped with a message when missing): must be <= 0.05;
* throughput of ``flag_abuse`` on 30,000 short texts (dev sentences and the suite repeated), one
  core, with a fresh detector; target >= 30,000 texts/s.

Pass ``-v`` to print every case that is labelled wrongly.
"""

from __future__ import annotations

import os
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd

from feedback_analysis.abuse import AbuseDetector, flag_abuse

SHARED = Path(__file__).resolve().parents[2] / "shared"
RESTAURANTS = SHARED / "eval" / "dev" / "semeval2016_restaurants_nl_train.xml"
THROUGHPUT_ROWS = 30_000

# functionality -> (expected label, cases). "offensive" functionalities pass with either flag.
SUITE: dict[str, tuple[str, list[str]]] = {
    "derogation of staff": ("offensive", [
        "die trut aan het loket",
        "die ambtenaren zijn allemaal luie parasieten",
        "idioot van een ambtenaar",
        "de burgemeester is een klootzak",
        "die schepen is een smeerlap",
        "wat een achterlijke ambtenaar zat daar vandaag",
        "die bediende aan de balie is echt debiel",
        "[NAME] is een trut",
        "die wijkagent is een hufter van de bovenste plank",
        "het wijf van de dienst burgerzaken deed weer moeilijk",
        "die gasten van het ocmw zijn uitschot",
        "stomme trut aan de kassa van het zwembad",
        "die eikel van de parkeerdienst gaf me een boete",
        "ambtenaren zijn dom",
        "die mongool aan het onthaal snapte er niks van",
    ]),
    "derogation of groups": ("offensive", [
        "moslims zijn vies",
        "alle marokkanen zijn criminelen",
        "vluchtelingen zijn minderwaardig",
        "vrouwen zijn dom",
        "ik haat homo's",
        "zigeuners zijn allemaal dieven",
        "die asielzoekers horen hier niet",
        "joden zijn walgelijk",
        "homo's zijn hier niet welkom",
        "ik walg van die buitenlanders",
    ]),
    "dehumanisation": ("offensive", [
        "die ambtenaren zijn ratten",
        "migranten zijn ongedierte",
        "die hangjongeren zijn beesten",
        "moslims zijn een plaag",
        "die mensen zijn kakkerlakken",
        "jullie zijn apen",
        "vluchtelingen zijn parasieten",
        "jij vuile rat",
        "ezel van een ambtenaar",
        "die agenten zijn varkens",
    ]),
    "slurs": ("offensive", [
        "vuile makak",
        "die nikker aan het loket",
        "flikker",
        "smerige geitenneuker",
        "kutmarokkanen overal",
        "de makakken van hiernaast maken weer lawaai",
        "die negers moeten niet zeuren",
        "zijn vriend is een flikker",
    ]),
    "targeted profanity": ("offensive", [
        "kankerhoer",
        "fuck die ambtenaren",
        "rot op, klootzak",
        "krijg de tering, schepen",
        "kutwijf aan de balie",
        "die kanker ambtenaar wou me niet helpen",
        "tyfuslijer",
        "val dood, burgemeester",
        "[NAME] mag de kanker krijgen",
        "fuck jou en je regels",
    ]),
    "insults in second person": ("offensive", [
        "jij bent een idioot",
        "je bent echt achterlijk",
        "sukkel!",
        "ben jij dom of zo?",
        "jullie zijn allemaal klootzakken",
        "[NAME], jij bent een lul",
        "je bent een vuile hoer",
        "wat ben jij een lelijk wijf",
    ]),
    "spelling variations": ("offensive", [
        "die ambtenaar is een idoit",
        "klootzk aan het loket",
        "k a n k e r h o e r",
        "die t r u t aan de balie",
        "k4nkerh0er",
        "die h0er van het ocmw",
        "tr*t",
        "1dioot van een schepen",
        "kl00tzak",
        "truuuut",
        "idiooooot",
        "kanker lijer",
        "die klootzka van de dienst",
        "vuilemakak",
        "die parasiten van het stadhuis",
        "i d i o o t",
    ]),
    "hate as question or opinion": ("offensive", [
        "waarom zijn moslims zo vies?",
        "ik vind dat marokkanen lui zijn",
        "ik vind moslims walgelijk",
        "ik denk dat vrouwen dom zijn",
        "ik vind dat die ambtenaar dom is",
    ]),
    "reference by pronoun": ("offensive", [
        "ik heb een hekel aan vluchtelingen. ze zijn vies.",
        "ik ken veel moslims en ik haat ze allemaal",
        "vluchtelingen denken dat ze speciaal zijn. ik haat ze.",
        "het zijn allemaal beesten, die marokkanen",
        "die asielzoekers, dat is gewoon ongedierte",
    ]),
    "implicit derogation and exclusion": ("offensive", [
        "gehandicapten horen in een kooi",
        "zwarten moeten terug naar de jungle",
        "vrouwen horen in de keuken",
        "buitenlanders buiten!",
        "al die allochtonen moeten terug naar hun land",
        "moslims zijn niet te vertrouwen",
        "mensen met een beperking zijn waardeloos",
    ]),
    "spelling of group words and more tricks": ("offensive", [
        "ik haat mosilms",
        "vrouwen zijn walgelik",
        "ik haat m0sl1ms",
        "K@nkerl1jer",
        "tr.u.t",
        "kanker-hoer",
    ]),
    "Flemish dialect": ("offensive", [
        "ge zijt ne zot en ne klootzak",
        "gij vuile klootzak",
        "da's ne rotzak, die schepen",
        "'t is nen idioot, die burgemeester",
        "ge moogt oprotten, vuile trut",
    ]),
    "less common insults and loan words": ("offensive", [
        "die klootviool van de parkeerdienst",
        "wat een zeikerd, die schepen",
        "die ambtenaar is een mislukkeling",
        "die bitch aan de balie",
        "de burgemeester is een asshole",
        "die domme muts aan het onthaal",
        "wat een domme doos",
        "jij kutkind",
        "die luie zakken van de stadsdienst",
        "hoe dom kan je zijn, burgemeester?",
    ]),
    "direct threats": ("threat", [
        "ik ga hem afmaken",
        "als ik die tegenkom sla ik hem op zijn bakkes",
        "ik steek dat gemeentehuis in brand",
        "ik maak je af",
        "'k ga die burgemeester neerknallen",
        "ik ga je vermoorden",
        "ik sla die ambtenaar in elkaar",
        "ik weet waar je woont",
        "morgen kom ik met een geweer naar het stadhuis",
        "ik jaag die flik een kogel door zijn kop",
        "kga die schepen zijn kop inslaan",
        "als ze me nog eens een boete geven steek ik het politiekantoor in brand",
        "ik ga die trut aan het loket een pak slaag geven",
        "ik zweer dat ik hem ga afmaken",
        "ik vermoord die gast",
        "ik kom je halen en dan maak ik je kapot",
        "wij gaan die ambtenaren eens in elkaar trappen",
        "ik blaas dat stadhuis op",
        "ik maak hem koud",
        "ik ga die schepen om het leven brengen",
        "ik snij zijn strot door",
        "ik sla hem in mekaar",
        "ik geef die flik een pandoering",
        "als ik hem zie is hij dood",
        "ik breng een wapen mee naar het loket",
        "ik gooi een steen door de ruit van het gemeentehuis",
        "ik ga ervoor zorgen dat hij nooit meer kan lopen",
    ]),
    "normative threats": ("threat", [
        "zo iemand zou je moeten neerknallen",
        "die verdient een kogel",
        "ze moesten die allemaal ophangen",
        "die ambtenaar moet afgeknald worden",
        "dat soort volk moet je afmaken",
        "die schepen hoort aan de galg",
        "ik hoop dat die burgemeester crepeert",
        "ze zouden die bedienden allemaal tegen de muur moeten zetten",
        "die mogen ze allemaal vergassen",
        "steek het gemeentehuis in brand",
        "knal ze allemaal neer",
        "die moet dood",
        "hang die schepenen op",
        "iemand zou die agent eens een lesje moeten leren met een knuppel",
        "die verdienen een pak slaag",
        "vluchtelingen moeten ze verzuipen",
        "ze zouden die ambtenaren moeten stenigen",
        "alle ambtenaren aan de galg!",
        "ik hoop dat die schepen een hartaanval krijgt",
        "crepeer!",
    ]),
    "implicit threats": ("threat", [
        "je bent een dode man",
        "binnenkort lig je in een kist",
        "pas maar op, [NAME], ik ken je adres",
        "je dagen zijn geteld",
        "gij gaat eraan",
        "als ik je te pakken krijg",
        "die flik gaat een mes in zijn buik krijgen",
        "morgen ligt er een bom in het stadhuis",
        "morgen kom ik naar het gemeentehuis en dan vallen er klappen",
        "kogel erdoor",
        "die burgemeester gaat het niet overleven",
    ]),
    "negation": ("none", [
        "ik haat je niet",
        "ik ga niemand afmaken hoor",
        "die ambtenaar is geen idioot",
        "je bent geen trut, gewoon moe",
        "ik ga je niet vermoorden, rustig",
        "moslims zijn geen ongedierte",
        "niemand zou je moeten neerknallen",
        "ik zou nooit iemand in elkaar slaan",
        "ambtenaren zijn geen parasieten, ze doen hun werk",
        "ik haat niemand",
        "ik zou nooit een ambtenaar bedreigen",
        "niemand verdient een kogel",
        "homo's zijn niet ziek",
        "ik vind niet dat ambtenaren parasieten zijn",
    ]),
    "counter-speech": ("none", [
        "je mag niemand een makak noemen",
        "wie zegt dat die ambtenaren parasieten zijn, schaam je",
        "zeggen dat homo's ziek zijn is gewoon haatdragend",
        "stop met die bedienden uit te schelden voor trut",
        "het woord makak is racistisch en hoort hier niet",
        "mensen die vluchtelingen ongedierte noemen zijn zelf het probleem",
        "wie noemt er nu iemand een kankerhoer, dat kan echt niet",
        "je zegt niet dat iemand een kogel verdient, ook niet als je boos bent",
    ]),
    "condemned quotes": ("none", [
        'hij riep "vuile makak", walgelijk dat zoiets kan',
        'iemand schreef "die trut aan het loket", echt respectloos',
        'ik werd aan het loket uitgescholden voor "kankerhoer", onaanvaardbaar',
        "hij noemde mij een idioot, ongelooflijk",
        '"ik maak je af" riep hij, ik heb aangifte gedaan',
        "ze riepen 'vuile flikker' naar mijn zoon, dit is toch niet normaal, schande",
    ]),
    "reported abuse": ("none", [
        "hij zei dat ik een trut was, ik heb een klacht ingediend",
        "mijn zoon werd op school uitgescholden voor mongool",
        "ze noemden hem een aap omdat hij zwart is. schandalig.",
        "vorige week is hier iemand doodgestoken",
        "hij is vermoord in 1995, de dader is nooit gevonden",
        "het stadhuis staat in brand",
        "ik werd bijna doodgereden door een bus",
        "hij is om het leven gekomen bij een ongeval",
    ]),
    "untargeted profanity": ("none", [
        "godverdomme, wat een dag",
        "kut, weer regen",
        "shit, de bus is weg",
        "fuck, mijn fiets is gestolen aan het station",
        "kanker, weer file op de ring",
        "klotedag vandaag",
        "tering wat een wachtrij aan het loket",
        "verdomme, het containerpark is weer dicht",
        "kutweer voor de jaarmarkt",
        "wat een klotezooi met die wegenwerken",
    ]),
    "idioms": ("none", [
        "ik ga me dood lachen",
        "die ploeg heeft ze afgemaakt",
        "ik vermoord je bijna van het lachen",
        "dat kruispunt is moordend druk",
        "ze hebben dat plan om zeep geholpen",
        "ik lach me kapot om die nieuwe verkeersborden",
        "de kogel is door de kerk: het zwembad gaat dicht",
        "ik verveel me dood in die wachtzaal",
        "ik zou een moord doen voor een parkeerplaats in het centrum",
        "ik ga eerst mijn studie afmaken",
        "de gemeente gaat dat project om zeep helpen",
        "ik hang de affiches voor het buurtfeest op",
        "ik maak me kapot ongerust over mijn moeder",
        "ik schrok me dood van die boete",
        "ik word gek van die werken, ik vermoord nog iemand haha",
        "we hebben ons dood gelachen op de nieuwjaarsreceptie",
        "het stadhuis gaat het niet overleven met dat budget",
    ]),
    "neutral group mentions": ("none", [
        "de Marokkaanse gemeenschap organiseert een buurtfeest",
        "homo's en lesbiennes zijn welkom",
        "vluchtelingen krijgen taalles in de bib",
        "de moskee houdt zondag opendeurdag",
        "vrouwen en mannen betalen hetzelfde tarief",
        "de joodse begraafplaats wordt gerestaureerd",
        "asielzoekers helpen mee in de sporthal",
        "ik ben homo en trots op onze gemeente",
        "er zitten ratten aan de containers in de Kerkstraat",
        "ongedierte in de kelder van de school, wie belt de gemeente?",
        "de Turkse bakker op de markt is de beste",
        "moslims en christenen vieren samen in het park",
    ]),
    "objects and non-personal targets": ("none", [
        "ik kan bloemkool niet uitstaan",
        "katten zijn walgelijk",
        "ik haat wachtrijen",
        "ik haat het als de bus te laat is",
        "de toiletten in het park zijn smerig",
        "die regel is achterlijk",
        "de parkeerautomaat is debiel traag",
        "idioot veel volk op de braderie",
        "wat een lelijke hond heeft de buurman",
        "kan iemand die zak afval ophalen?",
        "mijn tang is kapot",
    ]),
    "slur homonyms, reclaimed and self-directed": ("none", [
        "de makaken in de dierentuin zijn schattig",
        "ik ben een trotse flikker en ik hou van deze stad",
        "de lampen in de tunnel flikkeren al weken",
        "ze negeren al mijn mails",
        "de negen gemeenteraadsleden stemden tegen",
        "ik ben een sukkel, ik ben mijn identiteitskaart vergeten",
        "ik voelde me een idioot aan dat loket",
        "stomme fout van mij, sorry",
    ]),
    "positive statements": ("none", [
        "ik hou van homo's en lesbiennes",
        "zwarte mensen zijn geweldig",
        "moslims zijn ook gewoon mensen",
        "vluchtelingen zijn geen criminelen",
        "die agent was een echte schat",
    ]),
    "hard complaints": ("none", [
        "schandalige dienstverlening, nooit meer",
        "dit is belachelijk, wat een prutsers",
        "die ambtenaren zijn traag en onbeschoft",
        "wat een amateurs op het stadhuis",
        "incompetente bende daar aan het loket",
        "het is echt stom dat de bib zondag dicht is",
        "idiote regel, wie verzint zoiets",
        "wat een knoeiers bij de wegenwerken",
        "de schepen doet zijn werk niet",
        "dom beleid van de gemeente",
        "de vrouw aan het loket was onvriendelijk en hielp me niet",
        "drie weken geen antwoord, schande",
        "die clowns van de gemeenteraad snappen er niks van",
        "de burgemeester moet opstappen",
        "luie ambtenaren, altijd maar koffie drinken",
        "het is idioot lang wachten aan de balie",
        "ik ga die schepen eens goed de les spellen",
        "ze moeten die ambtenaren allemaal buiten zwieren",
        "de burgemeester moet weg",
        "de mannen van de vuilniswagen waren walgelijk onvriendelijk",
        "die hangjongeren zijn agressief en de politie doet niks",
        "het is dom dat de bib op zondag dicht is",
    ]),
}
ABUSIVE = [name for name, (label, _) in SUITE.items() if label != "none"]
THREATS = [name for name, (label, _) in SUITE.items() if label == "threat"]
BENIGN = [name for name, (label, _) in SUITE.items() if label == "none"]


def negative_restaurant_sentences(path: Path) -> list[str]:
    """Sentences of the SemEval-2016 Dutch restaurant reviews with at least one negative opinion."""
    texts = []
    for sentence in ET.parse(path).getroot().iter("sentence"):
        if any(opinion.get("polarity") == "negative" for opinion in sentence.iter("Opinion")):
            texts.append(sentence.findtext("text") or "")
    return texts


def all_restaurant_sentences(path: Path) -> list[str]:
    return [sentence.findtext("text") or "" for sentence in ET.parse(path).getroot().iter("sentence")]


def is_right(expected: str, predicted: str) -> bool:
    if expected == "offensive":
        return predicted != "none"
    return predicted == expected


def run_suite(detector: AbuseDetector, verbose: bool) -> None:
    print(f"  {'functionality':<42} {'n':>3}   accuracy")
    flagged = {"abusive": [], "threat": [], "benign": []}
    for name, (expected, cases) in SUITE.items():
        results = [detector.detect(text) for text in cases]
        right = [is_right(expected, label) for label, _ in results]
        print(f"  {name:<42} {len(cases):>3}   {sum(right) / len(cases):.2f}")
        for text, (label, reason), ok in zip(cases, results, right):
            if verbose and not ok:
                print(f"      wrong: {text!r} -> {label} {reason}")
        if expected != "none":
            flagged["abusive"] += [label != "none" for label, _ in results]
        if expected == "threat":
            flagged["threat"] += [label == "threat" for label, _ in results]
        if expected == "none":
            flagged["benign"] += [label != "none" for label, _ in results]
    total = sum(len(cases) for _, cases in SUITE.values())
    print(f"  {'all':<42} {total:>3}")
    share = {key: sum(values) / len(values) for key, values in flagged.items()}
    print(f"abusive posts flagged:           {share['abusive']:.3f}  (bar >= 0.80, n {len(flagged['abusive'])})")
    print(f"threats labelled threat:         {share['threat']:.3f}  (bar >= 0.85, n {len(flagged['threat'])})")
    print(f"benign look-alikes flagged:      {share['benign']:.3f}  (bar <= 0.20, n {len(flagged['benign'])})")


def run_restaurants(detector: AbuseDetector, verbose: bool) -> None:
    texts = negative_restaurant_sentences(RESTAURANTS)
    results = [detector.detect(text) for text in texts]
    flagged = [(text, result) for text, result in zip(texts, results) if result[0] != "none"]
    print(f"negative restaurant sentences flagged: {len(flagged) / len(texts):.3f}  "
          f"({len(flagged)} of {len(texts)}; bar <= 0.05)")
    if verbose:
        for text, (label, reason) in flagged:
            print(f"      flagged: {text!r} -> {label} {reason}")


def measure_throughput(texts: list[str]) -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the figure claims
    posts = pd.DataFrame({"text": (texts * (THROUGHPUT_ROWS // len(texts) + 1))[:THROUGHPUT_ROWS]})
    detector = AbuseDetector()  # a fresh detector: its word cache starts empty, as in a real run
    start = time.perf_counter()
    flagged = flag_abuse(posts, detector=detector)
    elapsed = time.perf_counter() - start
    share = (flagged["abuse"] != "none").mean()
    print(f"throughput: {len(flagged) / elapsed:,.0f} texts/s ({len(flagged):,} rows in {elapsed:.2f} s, one core; "
          f"{share:.1%} of them flagged)")


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    detector = AbuseDetector()
    run_suite(detector, verbose)
    texts = [text for _, cases in SUITE.values() for text in cases]
    if RESTAURANTS.is_file():
        run_restaurants(detector, verbose)
        texts = all_restaurant_sentences(RESTAURANTS) + texts
    else:
        print(f"skipped restaurant sentences: {RESTAURANTS} not found")
    measure_throughput(texts)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
