"""How the invented citizens write: people, slot fillers (phones, IBANs, amounts), rendering and rough edges."""

from __future__ import annotations

import random
import re
from bisect import bisect
from itertools import accumulate

from feedback_analysis.sample.world import _SLOT, OFFICER_NAME, _phrase_bank, _Row, _slug, _swap_words, _word_pattern


class _Voice:
    """People and wording of the simulation; all randomness comes from one ``random.Random``."""

    def __init__(self, seed: int, municipality: str) -> None:
        self.bank = _phrase_bank()
        self.rng = random.Random(seed)
        self.municipality = municipality
        self.group = f"Ge zijt van {municipality} als\u2026"
        self.domain = f"{_slug(municipality)}.be"
        self.rows: list[_Row] = []
        self.end_year = 2026  # set from end_month by generate()
        self.window_end = 0  # first moment after the sample, set by generate()
        self._seq = 0
        self._reposts: list[_Row] = []
        self._typos = _word_pattern(self.bank["typos"])
        self._variants = _word_pattern(self.bank["variants"])
        digits = self.rng.randrange(100_000, 999_999)
        self.tel_gemeente = f"053 {str(digits)[:2]} {str(digits)[2:4]} {str(digits)[4:]}"
        self._build_people()
        self._slots = {
            "gemeente": lambda: municipality,
            "domein": lambda: self.domain,
            "website": lambda: f"www.{self.domain}",
            "tel_gemeente": lambda: self.tel_gemeente,
            "officer": lambda: OFFICER_NAME.split()[0],
            "n": lambda: str(self.rng.randint(2, 5)),
            "uur": self._hour_text,
            "bedrag": self._amount,
            "tel": self._phone,
            "email": self._email,
            "iban": self._iban,
            "rrn": self._national_number,
            "lijn": lambda: self.rng.choice(("lijn ", "", "")) + str(self.rng.randint(11, 98)),
            "datum": lambda: f"{self.rng.randint(1, 28)} {self.rng.choice(self.bank['slots']['maand'])}",
            "jaar": lambda: str(self.end_year),
            "naam": lambda: self._person().split()[0],
            "ouder": lambda: self._person().split()[0],
            "mention": lambda: self._person(),
        }

    # -- people -------------------------------------------------------------------------------
    def _build_people(self) -> None:
        names = self.bank["names"]
        rng = self.rng

        def combos(first: str, last: str, count: int) -> list[str]:
            pool = [f"{given} {family}" for given in names[first] for family in names[last]]
            return rng.sample(pool, min(count, len(pool)))

        citizens = combos("first_nl", "last_nl", 520)
        for origin in names["origins"]:
            pool = [f"{given} {family}" for given in origin["first"] for family in origin["last"]]
            citizens += rng.sample(pool, min(18, len(pool)))
        citizens = [name for name in citizens if name != OFFICER_NAME]
        rng.shuffle(citizens)
        self.citizens = citizens
        # A few people write most of the posts, as in every group.
        self.citizen_cum = tuple(accumulate(1.0 / (rank + 3) ** 0.8 for rank in range(len(citizens))))
        self.french = combos("first_fr", "last_fr", 40)
        self.english = combos("first_en", "last_en", 16)

    def _person(self, lang: str = "nl", avoid: str = "") -> str:
        rng = self.rng
        for _ in range(5):
            if lang == "fr" and rng.random() < 0.7:
                name = rng.choice(self.french)
            elif lang == "en" and rng.random() < 0.8:
                name = rng.choice(self.english)
            else:
                name = self.citizens[bisect(self.citizen_cum, rng.random() * self.citizen_cum[-1])]
            if name != avoid:
                return name
        return name

    # -- slot values ----------------------------------------------------------------------------
    def _hour_text(self) -> str:
        hour = self.rng.randint(8, 18)
        return f"{hour}u" if self.rng.random() < 0.6 else f"{hour}u{self.rng.choice((15, 30, 45))}"

    def _amount(self) -> str:
        rng = self.rng
        value = rng.choice((15, 25, 35, 45, 58, 75, 90, 120, 150, 185, 240, 350))
        pattern = rng.choice(("€ {v}", "{v} euro", "€{v},50", "{v},00 EUR", "{v}€", "€ {v},-"))
        return pattern.format(v=value)

    def _phone(self) -> str:
        rng = self.rng
        d = [str(rng.randrange(10)) for _ in range(8)]
        mobile = f"04{rng.choice('5789')}{d[0]}"
        # The ways people write a number: mobile with spaces, slashes and dots, international, a landline.
        forms = (
            f"{mobile} {d[1]}{d[2]} {d[3]}{d[4]} {d[5]}{d[6]}",
            f"{mobile}/{d[1]}{d[2]}.{d[3]}{d[4]}.{d[5]}{d[6]}",
            f"+32 {mobile[1:]} {d[1]}{d[2]} {d[3]}{d[4]} {d[5]}{d[6]}",
            f"+32 9 {d[1]}{d[2]}{d[3]} {d[4]}{d[5]} {d[6]}{d[7]}",
            f"053 {d[1]}{d[2]} {d[3]}{d[4]} {d[5]}{d[6]}",
            f"{mobile}{d[1]}{d[2]}{d[3]}{d[4]}{d[5]}{d[6]}",
        )
        return forms[rng.randrange(len(forms))]

    def _email(self) -> str:
        first, _, last = self._person().partition(" ")
        first, last = _slug(first), _slug(last)
        domain = self.rng.choice(self.bank["slots"]["mail_domains"])
        form = self.rng.randrange(3)
        if form == 0:
            return f"{first}.{last}@{domain}"
        if form == 1:
            return f"{first}{last}{self.rng.randint(60, 99)}@{domain}"
        return f"{first[0]}{last}@{domain}"

    def _iban(self) -> str:
        account = f"{self.rng.randrange(10 ** 9, 10 ** 10)}"
        check = int(account) % 97 or 97
        bban = f"{account}{check:02d}"
        iban_check = 98 - int(f"{bban}111400") % 97  # B=11, E=14, then "00"
        iban = f"BE{iban_check:02d}{bban}"
        return " ".join(iban[i:i + 4] for i in range(0, 16, 4))

    def _national_number(self) -> str:
        rng = self.rng
        born = f"{rng.randint(50, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        serial = f"{rng.randint(1, 997):03d}"
        check = 97 - int(born + serial) % 97
        return f"{born[:2]}.{born[2:4]}.{born[4:]}-{serial}.{check:02d}"

    def render(self, template: str, ctx: dict[str, str] | None = None) -> str:
        ctx = ctx or {}
        slots = self.bank["slots"]

        def fill(match: re.Match[str]) -> str:
            name = match.group(1)
            key = name.lower()
            if key in ctx:
                value = ctx[key]
            elif key in self._slots:
                value = self._slots[key]()
            else:
                value = self.rng.choice(slots[key])
            if "{" in value:
                value = self.render(value, ctx)
            return value[:1].upper() + value[1:] if name[0].isupper() else value

        return _SLOT.sub(fill, template)

    # -- how people write -----------------------------------------------------------------------
    def roughen(self, text: str, sentiment: str, frame: float = 0.0) -> str:
        """Word choice, typos, case, punctuation and emoji as people type them.

        ``frame`` is the chance of an opening and (separately) a closing phrase, for posts.
        """
        rng = self.rng
        bank = self.bank
        if frame and rng.random() < frame:
            opener = self.render(rng.choice(bank["openers"][sentiment]))
            if not opener.endswith((":", "!", ".", "?")):
                text = text[:1].lower() + text[1:]
            text = f"{opener} {text}"
        if frame and rng.random() < frame:
            if text[-1:].isalnum():
                text += rng.choice((".", "!", "!!", "", ".."))
            text = f"{text} {self.render(rng.choice(bank['closers'][sentiment]))}"
        text = _swap_words(self._variants, text, rng, 0.4)
        if rng.random() < 0.4:
            text = _swap_words(self._typos, text, rng, 0.35)
        if len(text) > 90 and rng.random() < 0.15:
            text = re.sub(r"([.!?]) ", r"\1\n", text, count=1)
        roll = rng.random()
        if sentiment == "negative" and roll < 0.04:
            text = text.upper()
        elif roll < 0.12:
            text = text.lower()
        elif roll < 0.35:
            text = text[:1].lower() + text[1:]
        if sentiment == "negative" and rng.random() < 0.25:
            text = text.rstrip(".!") + rng.choice(("!!", "!!!", "!!!!", " !!", "?!"))
        elif text.endswith(".") and rng.random() < 0.4:
            text = text[:-1]
        if rng.random() < 0.16:
            emoji = rng.choice(bank["slots"][{"negative": "emoji_neg", "positive": "emoji_pos"}.get(sentiment, "emoji_neu")])
            text = f"{text} {emoji * rng.choice((1, 1, 2, 3))}"
        if rng.random() < 0.05:
            text = text.replace(", ", ",")
        return text
