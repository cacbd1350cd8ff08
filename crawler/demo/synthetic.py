"""Seeded, deterministic article text for the synthetic benchmark site.

Sentences are assembled from small per-language word lists; the same (language, seed,
chain, index) always gives the same title, authors and paragraphs, 300-450 words long.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from crawler.demo.content import Publisher

_WORDS = {
    "en": {
        "subjects": ["The city council", "A regional bank", "The harbour authority", "Local farmers",
                     "The school board", "A small software firm", "The museum", "Residents",
                     "The transport office", "A youth orchestra", "The weather service",
                     "Volunteers", "The hospital trust", "A ferry operator", "Shop owners"],
        "verbs": ["approved", "questioned", "postponed", "announced", "reviewed", "expanded",
                  "criticised", "welcomed", "tested", "financed", "redesigned", "measured"],
        "objects": ["a plan for new cycle lanes", "the budget for the coming winter",
                    "a pilot project on the river", "the opening hours of the library",
                    "an offer for cheaper tickets", "the repairs on the old bridge",
                    "a programme for apprentices", "the rules for street markets",
                    "a study of the water quality", "the timetable of the night buses"],
        "tails": ["on Tuesday evening", "after a long debate", "despite strong objections",
                  "for the third time this year", "without a public vote", "to general surprise",
                  "ahead of the summer season", "in a crowded hall"],
        "quotes": ["said a spokesperson", "according to the minutes", "one member noted",
                   "the organisers explained", "a resident told reporters"],
        "names": ["Maya Holloway", "Tom Reyes", "Priya Lund", "Owen Castell", "Ruth Ambler",
                  "Felix Garner", "Nadia Brook", "Samuel Kerr"],
    },
    "fr": {
        "subjects": ["Le conseil municipal", "Une banque régionale", "La communauté de communes",
                     "Les producteurs locaux", "Le rectorat", "Une jeune entreprise",
                     "Le musée", "Les habitants", "La régie des transports", "Une chorale",
                     "Le service météorologique", "Des bénévoles", "L'hôpital", "Les commerçants"],
        "verbs": ["a approuvé", "a contesté", "a reporté", "a annoncé", "a examiné", "a élargi",
                  "a critiqué", "a salué", "a testé", "a financé", "a repensé", "a mesuré"],
        "objects": ["un projet de pistes cyclables", "le budget de l'hiver prochain",
                    "une expérience sur la rivière", "les horaires de la médiathèque",
                    "une offre de billets moins chers", "les travaux du vieux pont",
                    "un programme pour les apprentis", "le règlement des marchés",
                    "une étude sur la qualité de l'eau", "les horaires des bus de nuit"],
        "tails": ["mardi soir", "après un long débat", "malgré de fortes objections",
                  "pour la troisième fois cette année", "sans vote public", "à la surprise générale",
                  "avant la saison d'été", "dans une salle comble"],
        "quotes": ["a indiqué une porte-parole", "selon le compte rendu", "a relevé un élu",
                   "ont expliqué les organisateurs", "a confié une habitante"],
        "names": ["Léa Marchand", "Hugo Perrin", "Inès Carré", "Julien Roux", "Camille Faure",
                  "Nicolas Berthier", "Sophie Lemaire", "Antoine Giraud"],
    },
    "de": {
        "subjects": ["Der Stadtrat", "Eine Regionalbank", "Die Hafenverwaltung", "Landwirte aus der Region",
                     "Das Schulamt", "Ein kleines Softwarehaus", "Das Museum", "Anwohner",
                     "Die Verkehrsbetriebe", "Ein Jugendorchester", "Der Wetterdienst",
                     "Ehrenamtliche", "Das Klinikum", "Eine Fährgesellschaft", "Ladenbesitzer"],
        "verbs": ["billigte", "hinterfragte", "vertagte", "verkündete", "prüfte", "erweiterte",
                  "kritisierte", "begrüßte", "testete", "finanzierte", "überarbeitete", "vermaß"],
        "objects": ["einen Plan für neue Radwege", "den Haushalt für den kommenden Winter",
                    "ein Pilotprojekt am Fluss", "die Öffnungszeiten der Bücherei",
                    "ein Angebot für günstigere Fahrkarten", "die Reparatur der alten Brücke",
                    "ein Programm für Auszubildende", "die Regeln für Wochenmärkte",
                    "eine Studie zur Wasserqualität", "den Fahrplan der Nachtbusse"],
        "tails": ["am Dienstagabend", "nach langer Debatte", "trotz deutlicher Einwände",
                  "zum dritten Mal in diesem Jahr", "ohne öffentliche Abstimmung",
                  "zur allgemeinen Überraschung", "vor der Sommersaison", "in einem vollen Saal"],
        "quotes": ["sagte eine Sprecherin", "heißt es im Protokoll", "merkte ein Mitglied an",
                   "erklärten die Veranstalter", "sagte ein Anwohner"],
        "names": ["Lena Hofmann", "Jakob Krüger", "Mira Vogt", "Paul Brandt", "Greta Sommer",
                  "Emil Hartmann", "Nele Fischer", "Timo Albers"],
    },
}

_ZONES = {"en": "America/New_York", "fr": "Europe/Paris", "de": "Europe/Berlin"}


@dataclass(frozen=True, slots=True)
class SyntheticText:
    title: str
    description: str
    slug: str
    authors: tuple[str, ...]
    paragraphs: tuple[str, ...]


def zone(publisher: Publisher) -> ZoneInfo:
    return ZoneInfo(publisher.timezone or _ZONES[publisher.language])


def _slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60]


def _sentence(rng: random.Random, words: dict[str, list[str]], number: int) -> str:
    sentence = (f"{rng.choice(words['subjects'])} {rng.choice(words['verbs'])} "
                f"{rng.choice(words['objects'])} {rng.choice(words['tails'])}")
    if rng.random() < 0.3:
        sentence += f", {rng.choice(words['quotes'])}"
    return f"{sentence} ({number})."  # the running number keeps sentences distinct


def article_text(language: str, *, seed: int, chain: int, index: int) -> SyntheticText:
    """One article's text; identical arguments give identical text."""
    words = _WORDS[language]
    rng = random.Random(f"{seed}:{chain}:{index}")
    title = f"{rng.choice(words['subjects'])} {rng.choice(words['verbs'])} {rng.choice(words['objects'])}"
    target = rng.randint(300, 450)  # words
    sentences: list[str] = []
    words_so_far = 0
    while words_so_far < target:
        sentence = _sentence(rng, words, chain * 100_000 + index * 100 + len(sentences) + 1)
        sentences.append(sentence)
        words_so_far += len(sentence.split())
    paragraphs = [" ".join(sentences[i:i + 4]) for i in range(0, len(sentences), 4)]
    count = rng.choice((1, 1, 2))
    authors = tuple(rng.sample(words["names"], count))
    return SyntheticText(title=title, description=paragraphs[0].split(" (")[0] + ".",
                         slug=_slugify(title), authors=authors, paragraphs=tuple(paragraphs))
