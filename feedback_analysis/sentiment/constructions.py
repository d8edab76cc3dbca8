"""Constructions read over whole clauses after the scan, and the final score.

Regret and nostalgia ("had ik het maar geweten", "wil terug gelukkig zijn zoals vroeger"), wishes and
counterfactuals ("ik wou dat ze ...", "had gehoopt op ..."), irony ("Tof zeg, weeral geen bus", praise
beside 🙄, de "snelle" dienst), rhetorical questions ("waarom duurt dat altijd zo lang?") and news reports
of bad events ("De politie zoekt getuigen ...") change the hits a
:class:`~feedback_analysis.sentiment.scan.ClauseScan` found; :func:`aggregate` weighs the clauses into one
score. The word lists live in ``resources/sentiment_nl.yaml``.
"""

from __future__ import annotations

import math

from feedback_analysis.sentiment import rules
from feedback_analysis.sentiment.lexicon import SentimentLexicon
from feedback_analysis.sentiment.scan import QUOTES, ClauseScan


def mark_lost_good(scan: ClauseScan) -> None:
    """A praise word wished back ("wil terug gelukkig zijn"), placed in the past ("toen het
    vroeger nog gezellig was") or in a regret ("was het maar zo eenvoudig") speaks of something
    lost: it counts as a complaint."""
    lex, tokens, clauses, spans = scan.lex, scan.tokens, scan.clauses, scan.spans
    if not scan.regrets and not scan.cues & (lex.past_markers | lex.return_words):
        return
    for index, ((_, _, _, clause_hits), (start, end)) in enumerate(zip(clauses, spans)):
        words = {low for kind, low, _ in tokens[start:end] if kind == "word"}
        past = bool(words & lex.past_markers) or index in scan.regrets
        wish_back = bool(words & lex.return_words) and bool(words & lex.wish_words)
        if not (past or wish_back):
            continue
        turned = False
        for hit in clause_hits:
            # "ik kom hier graag terug" is loyalty: the wish word itself is no lost good.
            if hit[0] > 0 and not hit[3] and hit[1] not in lex.wish_words | lex.return_words:
                hit[0] = abs(hit[0]) * rules.LOST_GOOD
                hit[1] = f"{hit[1]} (lost)"
                hit[3] = turned = True
        if wish_back and not turned and words & lex.past_markers and not any(hit[0] < 0 for hit in clause_hits):
            _wish_back_the_past(lex, tokens, start, end, clause_hits)


def _wish_back_the_past(lex: SentimentLexicon, tokens, start: int, end: int, clause_hits: list) -> None:
    """ "ik wil terug naar vroeger", "kzou willen dat ik terug kon naar vroeger": the past itself is the good
    thing wished back, when "naar" + the past marker follow the return word closely; "ik kom graag terug,
    net als vroeger" is loyalty."""
    for k in range(start, end):
        if tokens[k][1] in lex.return_words:
            following = [token[1] for token in tokens[k + 1:min(k + 4, end)]]
            past = lex.past_markers.intersection(following[following.index("naar") + 1:]) if "naar" in following else ()
            if past:
                clause_hits.append([rules.WISH, f"{tokens[k][1]} naar {min(past)}", k, True])
                return


def mark_irony(scan: ClauseScan) -> None:
    """Praise used ironically becomes a complaint.

    Signals: an eye-roll emoji (🙄, 😒) or an opening "ja hoor" turn every praise word; a praise
    interjection that opens the text ("Tof zeg, ...", "Fantastisch, ...", "Gelukkig ...") turns when
    the text also complains somewhere else ("weeral geen bus"); see also :func:`mark_shaped_sarcasm`.
    """
    lex, tokens, clauses, spans = scan.lex, scan.tokens, scan.clauses, scan.spans
    # A marker's first word ("ja", "jaja") is a construction cue: texts without one skip the clause loop.
    rolled = scan.eye_roll or (not scan.cues.isdisjoint(lex.irony_marker_starts)
                               and any(opens_with_marker(lex, tokens, start) for start, _ in spans))
    if rolled:
        for _, _, _, clause_hits in clauses:
            _make_ironic(clause_hits, len(tokens))
        return
    # Only the text's opening interjection: "Terecht." later in a text is usually sincere.
    (_, _, _, first_hits), (start, end) = clauses[0], spans[0]
    opener = ironic_opener(lex, tokens, start, end, first_hits)
    if opener is not None:
        complains = any(hit[0] < 0 for _, _, _, clause_hits in clauses[1:] for hit in clause_hits) or any(
            hit[0] < 0 and hit[2] > opener for hit in first_hits
        )
        # "Mooie locatie, maar de keuken stelde teleur" weighs praise against a complaint: no irony
        if complains and not any(tokens[k][1] in lex.contrasts for k in range(opener, len(tokens))):
            _make_ironic(first_hits, opener)
            return
    if rules.SHAPED_SARCASM and mark_shaped_sarcasm(scan):
        return
    if opener is None:
        mark_ironic_closer(scan)


def mark_shaped_sarcasm(scan: ClauseScan) -> bool:
    """Praise that opens a text, up to its first comma ("Lekker bezig,", "Nog eens proficiat aan het
    bestuur,", "Top geregeld weer,"), is sarcastic when what follows praises nothing and describes a
    situation bad by its shape ("... de fuif is weer verboden", "drie uur in de file", "een bus per uur").
    Returns whether it turned the praise."""
    lex, tokens, clauses = scan.lex, scan.tokens, scan.clauses
    first_hits, (start, end) = clauses[0][3], scan.spans[0]
    comma = next((k for k in range(start, min(end, start + rules.OPENER_WORDS + 1)) if tokens[k][1] == ","), None)
    if comma is None:
        return False
    opening = [hit for hit in first_hits if hit[2] < comma]
    praise = sum(hit[0] for hit in opening if hit[0] > 0)
    if not praise or any(hit[0] < 0 for hit in opening):
        return False
    later = [hit for hit in first_hits if hit[2] > comma] + [hit for *_, hits in clauses[1:] for hit in hits]
    if sum(hit[0] for hit in later if hit[0] > 0) >= praise / 2:
        return False
    first_praise = min(hit[2] for hit in opening if hit[0] > 0)
    if not bad_shape(lex, tokens, first_praise + 1):
        return False
    _make_ironic(first_hits, comma)
    return True


def mark_ironic_closer(scan: ClauseScan) -> None:
    """A praise interjection that closes a text made only of complaints is sarcastic: "Loket dicht,
    telefoon: niemand. Proficiat gemeente!". It counts only when no earlier clause praises and no
    contrast word ("maar", "toch", "gelukkig") turns the text towards the good news."""
    lex, tokens, clauses, spans = scan.lex, scan.tokens, scan.clauses, scan.spans
    # The last clause with words: "Proficiat! !!" ends in an empty one.
    last = next((k for k in range(len(spans) - 1, -1, -1)
                 if any(tokens[t][0] == "word" for t in range(*spans[k]))), 0)
    if last < 1:
        return
    (_, _, _, last_hits), (start, end) = clauses[last], spans[last]
    if closing_interjection(tokens, start, end, last_hits) is None:
        return
    earlier = [hit for _, _, _, clause_hits in clauses[:last] for hit in clause_hits]
    earlier_words = {low for kind, low, _ in tokens[:start] if kind == "word"}
    if (any(hit[0] < 0 for hit in earlier) and not any(hit[0] > 0 for hit in earlier)
            and not earlier_words & lex.contrast_turns):
        for hit in last_hits:  # the applause emoji that go with it are sarcastic too
            if hit[0] > 0:
                hit[0] *= rules.IRONY
                hit[1] = f"{hit[1]} (ironic)"
                hit[3] = True


def closing_interjection(tokens, start: int, end: int, clause_hits) -> int | None:
    """Position of a praise word that opens a short closing clause ("Proficiat gemeente!", "Bravo!",
    "Merci hé"): at most two more words follow it (an aside in brackets aside), none of them an
    opinion word. Else None."""
    bracket = next((k for k in range(start, end) if tokens[k][1] in "(["), end)
    words = [k for k in range(start, bracket) if tokens[k][0] == "word"]
    if not words or len(words) > 3:
        return None
    hit_positions = {hit[2] for hit in clause_hits}
    for value, phrase, position, _ in clause_hits:
        opens = position - words[0] + 1 == len(phrase.split())
        if value > 0 and opens and not hit_positions & {k for k in words if k > position}:
            return position
    return None


def _make_ironic(clause_hits: list[list], until: int) -> None:
    """Turn the praise hits up to token ``until`` into complaints (hits already negated stay)."""
    for hit in clause_hits:
        if hit[0] > 0 and not hit[3] and hit[2] <= until:
            hit[0] *= rules.IRONY
            hit[1] = f"{hit[1]} (ironic)"
            hit[3] = True


def ironic_opener(lex: SentimentLexicon, tokens, start: int, end: int, clause_hits) -> int | None:
    """Position of the end of a clause-opening praise interjection, else None.

    The interjection stands on its own ("Fantastisch, ...", "Bravo!", "Goed bezig.") or with a
    particle ("tof zeg", "merci hé"); sentence adverbs like "gelukkig" open one too ("gelukkig
    moeten we maar drie maanden wachten").
    """
    first = next((k for k in range(start, end) if tokens[k][0] == "word"), None)
    if first is None:
        return None
    if tokens[first][1] in lex.irony_adverbs:
        return first
    starts = {first}
    if tokens[first][1] == "wat" and first + 2 < end and tokens[first + 1][1] == "een":
        starts = {first + 1, first + 2}  # an exclamative opens too: "Wat een service, ...", "Wat een feest, ..."
    for value, words, position, _ in clause_hits:
        # The praise is the clause's first word or a phrase starting there ("goed bezig").
        if value > 0 and position - len(words.split()) + 1 in starts:
            after = position + 1
            if after < len(tokens) and tokens[after][1] in lex.irony_particles:
                return after
            if after >= end or tokens[after][0] == "punct":
                return position
            if rules.ADDRESSED_OPENER:
                # "Proficiat aan de gemeente, ...", "Goed bezig De Lijn, ...", "Super service, ...": the
                # praise with its addressee or object up to a comma, with no other opinion word before
                # it and no praise after it ("Heerlijk eten, mooie omgeving, ..." lists praise); a praise word
                # right after the first is part of it ("Top geregeld, ...")
                others = {hit[2] for hit in clause_hits if hit[2] not in (position, after) or hit[0] < 0}
                for k in range(after, min(end, after + rules.OPENER_WORDS)):
                    if k in others or tokens[k][0] != "word":
                        comma = tokens[k][1] == "," and k not in others
                        return k - 1 if comma and not any(hit[0] > 0 and hit[2] > k for hit in clause_hits) else None
            return None
    return None


def opens_with_marker(lex: SentimentLexicon, tokens, start: int) -> bool:
    """Whether the clause at ``start`` opens with an irony marker ("ja hoor", "jaja")."""
    words = " ".join(low for kind, low, _ in tokens[start:start + 3] if kind == "word")
    return any(words == marker or words.startswith(marker + " ") for marker in lex.irony_markers)


def mark_scare_quotes(scan: ClauseScan) -> None:
    """A praise word alone between quotes is used ironically: de "snelle" dienstverlening."""
    tokens = scan.tokens
    if not scan.quoted:
        return
    for _, _, _, clause_hits in scan.clauses:
        for hit in clause_hits:
            if hit[0] <= 0 or hit[3]:
                continue
            first, last = hit[2] - len(hit[1].split()) + 1, hit[2]
            inside = 0 < first and last + 1 < len(tokens)
            if inside and tokens[first - 1][2] in QUOTES and tokens[last + 1][2] in QUOTES:
                hit[0] *= rules.IRONY
                hit[1] = f'"{hit[1]}" (ironic)'
                hit[3] = True


def mark_rhetorical(scan: ClauseScan) -> None:
    """A why/how question with "altijd", "toch", "nu eens" is a complaint: "waarom duurt dat altijd zo lang?"."""
    lex, tokens, clauses, spans = scan.lex, scan.tokens, scan.clauses, scan.spans
    if not scan.question or not scan.cues & lex.question_words:
        return
    for index, ((weight, exclaim, _question, clause_hits), (start, end)) in enumerate(zip(clauses, spans)):
        if end >= len(tokens) or "?" not in tokens[end][1]:
            continue
        words = [low for kind, low, _ in tokens[start:end] if kind == "word"]
        # "waarom nog geen twee sterren?" asks for more of a good thing: not a complaint.
        if (words and words[0] in lex.question_words and set(words[1:]) & lex.rhetorical_particles
                and not set(words) & {"geen", "niet", "nie", "ni"}):
            clause_hits.append([rules.RHETORICAL, words[0] + " ...?", start, True])
            clauses[index] = (weight, exclaim, 0.0, clause_hits)


def aggregate(clauses: list[tuple[float, int, float, list]], explain: bool) -> dict:
    """Weigh each clause's hits (contrast, "!!", questions, polarity) and squash the sum into [-1, 1]."""
    raw_score = pos_sum = neg_sum = 0.0
    explained = []
    for clause_weight, exclaim, question, clause_hits in clauses:
        if not clause_hits:
            continue
        factor = clause_weight
        if exclaim >= 2:
            factor *= rules.EXCLAMATION_BOOST
        elif exclaim == 1:
            factor *= rules.SINGLE_EXCLAMATION_BOOST
        if question:
            factor *= question
        for value, words, _, _ in clause_hits:
            value *= factor * (rules.NEGATIVE_WEIGHT if value < 0 else rules.POSITIVE_WEIGHT)
            if value < 0:
                neg_sum += value
            else:
                pos_sum += value
            raw_score += value
            if explain:
                explained.append((round(factor, 2), round(value, 3), words))
    result = {
        "score": float(raw_score / math.sqrt(raw_score * raw_score + rules.SQUASH)),
        "raw": raw_score,
        "positive": pos_sum,
        "negative": neg_sum,
    }
    if explain:
        result["hits"] = explained
    return result


def mark_wishes(scan: ClauseScan) -> None:
    """A wish, a let-down hope or a counterfactual is a complaint about what is missing: "ik wou dat ze
    eens luisterden", "had gehoopt op meer begrip", "ze hadden beter ...", "als ze nu eens ...", "ik mis
    de tijd dat ...", "vroeger kon je nog ...", "het zou fijn zijn moesten ze ...". Praise words in the
    wish speak of what is missing; a wish without any adds a weak complaint."""
    lex, tokens = scan.lex, scan.tokens
    if not scan.cues & lex.wish_cues:
        return
    # Only clauses holding a word that may start a wish can hold one (speed: most clauses hold none).
    starts = lex.wish_starts
    marked = [k for k, token in enumerate(tokens) if token[1] in starts]
    next_mark, count = 0, len(marked)
    for (_, _, _, clause_hits), (start, end) in zip(scan.clauses, scan.spans):
        while next_mark < count and marked[next_mark] < start:
            next_mark += 1
        if next_mark == count:
            break
        if marked[next_mark] >= end:
            continue
        positions = [k for k in range(start, end) if tokens[k][0] == "word"]
        words = [tokens[k][1] for k in positions]
        found = wish_start(lex, words)
        if found is None:
            continue
        at = positions[found]
        turned = False
        for hit in clause_hits:
            if hit[0] > 0 and not hit[3] and hit[2] >= at:
                hit[0] = min(hit[0] * rules.LOST_GOOD, rules.WISH)  # a mild "handig" still makes a wish
                hit[1] = f"{hit[1]} (wished)"
                hit[3] = turned = True
        if not turned:
            clause_hits.append([rules.WISH, " ".join(words[found:found + 3]) + " ...", at, True])


def wish_start(lex: SentimentLexicon, words: list[str]) -> int | None:
    """Index in ``words`` where a wish pattern starts, or where "zou" + ... + a condition starts; else None."""
    by_first, count = lex.wish_by_first, len(words)
    for k, word in enumerate(words):
        for pattern in by_first.get(word, ()):
            if k + len(pattern) <= count and all(words[k + j] in pattern[j] for j in range(1, len(pattern))):
                return k
    for k, word in enumerate(words):
        if word in lex.counterfactual_modals and not lex.conditions.isdisjoint(words[k + 1:]):
            return k
    return None


def bad_shape(lex: SentimentLexicon, tokens, start: int) -> bool:
    """Whether the tokens from ``start`` describe a situation bad by its shape: again ("weer", "alweer"),
    still ("nog altijd"), the n-th time ("voor de derde keer", "3de keer") or a span counted in time
    ("drie uur in de file", "om 6u 's morgens")."""
    rest = [(kind, low) for kind, low, _ in tokens[start:] if kind in ("word", "number")]
    for k, (kind, low) in enumerate(rest):
        following = rest[k + 1][1] if k + 1 < len(rest) else ""
        if low in lex.again_words or (low, following) in lex.still_pairs:
            return True
        if (low in lex.ordinals and following in lex.repeat_counts) or (low == "per" and following in lex.time_units):
            return True
        # "binnen vijf minuten", "in twee dagen": a span that counts speed, not a wait.
        if (kind == "number" or low in lex.count_words) and not (k and rest[k - 1][1] in lex.speed_words):
            after = following if following not in ("de", "e", "ste") else (rest[k + 2][1] if k + 2 < len(rest) else "")
            if following in lex.time_units or following == "u" or after in lex.repeat_counts:
                return True
    return False


def damp_news(scan: ClauseScan) -> None:
    """A third-person report of a bad event ("De politie zoekt getuigen van de inbraak", "Het gemeentehuis
    is morgen gesloten wegens een staking") informs rather than complains: with a news cue (an
    institution, a reporting verb, a day or time) and no first or second person, judging word, "!",
    emoji or question, its complaint words count less."""
    lex = scan.lex
    if (not scan.cues & lex.news_cues or scan.exclamations or scan.eye_roll or scan.question
            or scan.emoji_sum or scan.judging):
        return
    words = {low for kind, low, _ in scan.tokens if kind == "word"}
    if words & lex.writer_words or words & lex.intensifiers.keys():
        return
    for _, _, _, clause_hits in scan.clauses:
        for hit in clause_hits:
            if hit[0] < 0:
                hit[0] *= rules.NEWS_DAMPING


def mark_postmodifiers(scan: ClauseScan) -> None:
    """An intensifying postmodifier ("ten top", "op zijn best", "pur sang", "troef") takes the polarity of
    the head right before it: after a complaint word or a head bad by situation ("bureaucratie ten top",
    "wachttijden ten top", "chaos troef") its praise is sarcastic and the head weighs more; after any
    other head ("service ten top", "gezelligheid pur sang") the praise stays and the head weighs more."""
    lex, tokens = scan.lex, scan.tokens
    if scan.cues.isdisjoint(lex.postmodifiers):
        return
    by_position = {hit[2]: hit for _, _, _, clause_hits in scan.clauses for hit in clause_hits}
    for end, (_, low, _) in enumerate(tokens):
        for key in lex.postmodifiers.get(low, ()):
            start = end - len(key) + 1
            if start < 1 or tokens[start - 1][0] != "word" or any(
                    tokens[start + k][1] != word for k, word in enumerate(key)):
                continue
            head, head_hit = tokens[start - 1][1], by_position.get(start - 1)
            praise = [hit for position, hit in by_position.items()
                      if start <= position <= end and hit[0] > 0 and not hit[3]]
            scan.judging = True  # a postmodifier judges: no news report says "chaos troef"
            if head_hit is not None:
                head_hit[0] *= rules.POSTMODIFIED_HEAD
                head_hit[1] = f"{head_hit[1]} (+{' '.join(key)})"
                bad = head_hit[0] < 0
            else:
                bad = head in lex.negative_heads or lex.classify_token(head)[2] in lex.negative_heads
            if not bad:
                continue
            for hit in praise:
                hit[0] = -hit[0]
                hit[1] = f"{hit[1]} (postmodifier)"
                hit[3] = True
            if not praise and head_hit is None:
                clause = next(k for k, (first, last) in enumerate(scan.spans) if first <= end <= last)
                scan.clauses[clause][3].append([rules.POSTMODIFIED_PLAIN, f"{head} {' '.join(key)}", end, True])
