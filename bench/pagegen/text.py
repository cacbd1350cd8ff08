"""Made-up text for generated pages: sentences, headlines, names, dates, prices.

The words are a small generic vocabulary (or invented syllables, for pages in no known
language): what detection may learn from a generated page is its structure, never its words.
"""

from __future__ import annotations

import random
import string
from datetime import datetime, timedelta

_NOUNS = (
    "council plan river school market team city project report family water road garden village museum "
    "board study price season bridge library station harbour forest valley festival company worker student "
    "doctor teacher farmer driver player court budget energy housing transport weather history science music "
    "island region county network system service engine window kitchen table field train airport hospital "
    "record game match league coach summer winter morning evening answer question result method design model"
).split()
_VERBS = (
    "opened closed planned built moved changed started finished showed found asked told gave kept reached "
    "raised lowered followed joined left met won lost shared tested measured replaced improved reviewed "
    "approved rejected delayed explained described expected reported announced visited"
).split()
_ADJECTIVES = (
    "new old local small large early late public private quiet busy green long short final first second "
    "main central northern southern eastern western annual recent popular difficult simple modern careful"
).split()
_SMALL = "the a its their this that every some".split()  # no "we"/"our": first person is a voice, not noise
_LINKS = "and but while after before because although when since".split()
_FIRST = "Anna Ben Carla David Elena Farid Greta Hugo Ines Jonas Kim Lena Marco Nora Omar Paula Rui Sara Tomas Vera".split()
_LAST = "Alvarez Berg Costa Dubois Eriksen Fischer Garcia Horvat Ivanova Jensen Kowalski Lindqvist Moreau Novak Olsen Petrov".split()
_MONTHS = "January February March April May June July August September October November December".split()
_SYLLABLES = "ka lo mi ne ru ta vo si de ba gu ri po len mar tis kon vel dra shu".split()


class Text:
    """A seeded source of made-up text; ``invented`` pages use syllable words instead of English."""

    def __init__(self, rng: random.Random, *, invented: bool = False) -> None:
        self.rng = rng
        self.invented = invented
        self._vocab = [self._invented_word() for _ in range(300)] if invented else None

    def _invented_word(self) -> str:
        return "".join(self.rng.choice(_SYLLABLES) for _ in range(self.rng.randint(1, 3)))

    def word(self, kind: tuple[str, ...] = _NOUNS) -> str:
        return self.rng.choice(self._vocab) if self._vocab else self.rng.choice(kind)

    def sentence(self, words: tuple[int, int] = (8, 26), voice: str | None = None) -> str:
        """A sentence; ``voice`` "business" speaks for a company ("we", "our"), "personal" is a
        blogger or a reviewer ("I", "we tested"), "news" quotes people. Any voice mentions money now and then."""
        rng = self.rng
        target = rng.randint(*words)
        out: list[str] = []
        while len(out) < target:
            out += [rng.choice(_SMALL), self.word(_ADJECTIVES), self.word(), self.word(_VERBS), rng.choice(_SMALL), self.word()]
            if len(out) < target and rng.random() < 0.4:
                out.append(rng.choice(_LINKS))
        out = out[:target]
        if rng.random() < 0.15:
            out.insert(rng.randrange(len(out)), str(rng.randint(2, 990)))
        if rng.random() < 0.025:  # money: news reports it, reviews compare it
            out.insert(rng.randrange(len(out)), self.price())
        if voice in ("business", "personal") and not self.invented and rng.random() < 0.6:
            words = ("we", "our", "us", "our team", "we offer") if voice == "business" else ("I", "we", "my", "our", "we tested")
            for _ in range(rng.randint(1, 2)):
                out.insert(rng.randrange(len(out)), rng.choice(words))
        text = " ".join(out)
        if voice == "news" and not self.invented and rng.random() < 0.2:
            return f"{text[0].upper()}{text[1:]}, {rng.choice(('said', 'according to', 'told reporters'))} {self.name()}."
        end = rng.choice(".....?!") if rng.random() < 0.95 else ""
        if rng.random() < 0.1:
            return f'"{text[0].upper()}{text[1:]}{end}" {self.name()} {self.word(_VERBS)}.'
        return text[0].upper() + text[1:] + end

    def paragraph(self, sentences: tuple[int, int] = (1, 5), words: tuple[int, int] = (8, 26), voice: str | None = None) -> str:
        return " ".join(self.sentence(words, voice) for _ in range(self.rng.randint(*sentences)))

    def editorial_headline(self) -> str:
        """A headline that promises an explanation or a list."""
        rng = self.rng
        forms = (
            f"How to {self.word(_VERBS)} {self.headline((2, 6)).lower()}",
            f"What is {self.headline((1, 4)).lower()}?",
            f"{rng.randint(3, 25)} best {self.headline((1, 4)).lower()}",
            f"Why {self.headline((3, 7)).lower()}",
            f"{self.headline((2, 5))}: a guide",
            f"{rng.randint(3, 15)} ways to {self.word(_VERBS)} {self.headline((1, 4)).lower()}",
        )
        return rng.choice(forms)

    def headline(self, words: tuple[int, int] = (4, 11)) -> str:
        n = self.rng.randint(*words)
        parts = [self.word(self.rng.choice((_NOUNS, _ADJECTIVES, _VERBS))) for _ in range(n)]
        return " ".join(p.capitalize() if self.rng.random() < 0.5 else p for p in parts).capitalize()

    def label(self, words: tuple[int, int] = (1, 3)) -> str:
        return " ".join(self.word() for _ in range(self.rng.randint(*words))).capitalize()

    def name(self) -> str:
        if self._vocab:
            return f"{self.word().capitalize()} {self.word().capitalize()}"
        return f"{self.rng.choice(_FIRST)} {self.rng.choice(_LAST)}"

    def username(self) -> str:
        return self.rng.choice((self.word() + str(self.rng.randint(1, 999)), self.name().replace(" ", "_").lower(), self.word() + self.word()))

    def slug(self, words: tuple[int, int] = (3, 9)) -> str:
        return "-".join(self.word().lower() for _ in range(self.rng.randint(*words)))

    def token(self, length: int = 6) -> str:
        return "".join(self.rng.choice(string.ascii_lowercase + string.digits) for _ in range(length))

    def moment(self, start: datetime | None = None) -> datetime:
        start = start or datetime(2023, 1, 1, 6, 0)
        return start + timedelta(minutes=self.rng.randint(0, 3 * 365 * 24 * 60))

    def date_text(self, when: datetime) -> str:
        """The date as a page shows it, in one of the common forms."""
        month = _MONTHS[when.month - 1]
        forms = (
            f"{month} {when.day}, {when.year}",
            f"{when.day} {month} {when.year}",
            f"{month[:3]} {when.day}, {when.year}",
            f"{when:%Y-%m-%d}",
            f"{when.day:02d}.{when.month:02d}.{when.year}",
            f"{when.month}/{when.day}/{when.year}",
            f"{month} {when.day}, {when.year} at {when:%I:%M} {'am' if when.hour < 12 else 'pm'}",
            f"{when:%d/%m/%Y %H:%M}",
        )
        return self.rng.choice(forms)

    def price(self) -> str:
        value = self.rng.choice((self.rng.randint(3, 99) + 0.99, self.rng.randint(10, 900), self.rng.randint(5, 300) + 0.5))
        symbol = self.rng.choice("$$€£")
        amount = f"{value:,.2f}" if isinstance(value, float) else f"{value}"
        return f"{symbol}{amount}" if symbol != "€" or self.rng.random() < 0.5 else f"{amount} €"
