"""Per-system scores over the per-page extractions, with the comparison rules of compare.py."""

from __future__ import annotations

from dataclasses import dataclass, field

from bench.quality.compare import any_author_found, has_time, same_day, same_day_near_midnight, same_instant, same_title
from bench.quality.datasets import AEB, FUNDUS, WCXB, Page
from bench.quality.metrics import shingle_scores, word_f1
from bench.quality.systems import FIELDS, Extraction


ERROR_SAMPLE_CHARS = 100


@dataclass(slots=True)
class PageResult:
    page: Page
    extractions: dict[str, Extraction]  # system -> what it returned


@dataclass(slots=True)
class Ratio:
    """hits / total, printed as a share with its counts."""

    hits: int = 0
    total: int = 0

    def add(self, hit: bool) -> None:
        self.hits += int(hit)
        self.total += 1

    @property
    def value(self) -> float | None:
        return self.hits / self.total if self.total else None


@dataclass(slots=True)
class FundusScores:
    """fundus-dev: every page is a real news article."""

    body_f1: float | None = None  # word F1 (the wcxb metric), averaged over pages
    pages: int = 0
    title: Ratio | None = None
    day: Ratio | None = None  # calendar day, a day's tolerance near midnight (compare.py)
    instant: Ratio | None = None  # within a minute, over the truths that have a time of day
    author: Ratio | None = None  # any one true name found
    detection_recall: Ratio | None = None  # pages called articles


@dataclass(slots=True)
class SystemScores:
    aeb_f1: float | None = None
    aeb_precision: float | None = None
    aeb_recall: float | None = None
    aeb_pages: int = 0
    wcxb_body_f1: float | None = None
    wcxb_articles: int = 0
    title: Ratio | None = None
    date: Ratio | None = None
    author: Ratio | None = None
    detection_precision: Ratio | None = None
    detection_recall: Ratio | None = None
    fundus: FundusScores | None = None
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)


def score_system(system: str, results: list[PageResult]) -> SystemScores:
    scores = SystemScores()
    offers = FIELDS[system]
    aeb_pairs: list[tuple[str, str | None]] = []
    body_f1s: list[float] = []
    title, date, author = Ratio(), Ratio(), Ratio()
    precision, recall = Ratio(), Ratio()
    for result in results:
        extraction = result.extractions.get(system)
        if extraction is None:
            continue
        if extraction.error:
            scores.errors += 1
            if len(scores.error_samples) < 3:
                message = " ".join(extraction.error.split())[:ERROR_SAMPLE_CHARS]
                scores.error_samples.append(f"{result.page.dataset}/{result.page.page_id[:12]}: {message}")
        truth = result.page.truth
        if result.page.dataset == AEB:
            aeb_pairs.append((truth.body, extraction.body))
            continue
        if result.page.dataset != WCXB:
            continue
        if "is_article" in offers:
            if extraction.is_article:
                precision.add(truth.is_article)
            if truth.is_article:
                recall.add(bool(extraction.is_article))
        if not truth.is_article:
            continue
        body_f1s.append(word_f1(truth.body, extraction.body))
        if truth.title:
            title.add(same_title(truth.title, extraction.title))
        if truth.published:
            date.add(same_day(truth.published, extraction.published))
        if truth.author:
            author.add(any_author_found(truth.author, extraction.authors))
    if aeb_pairs:
        aeb = shingle_scores(aeb_pairs)
        scores.aeb_f1, scores.aeb_precision, scores.aeb_recall, scores.aeb_pages = aeb.f1, aeb.precision, aeb.recall, aeb.pages
    if body_f1s:
        scores.wcxb_body_f1 = sum(body_f1s) / len(body_f1s)
        scores.wcxb_articles = len(body_f1s)
    scores.title = title if "title" in offers and title.total else None
    scores.date = date if "published" in offers and date.total else None
    scores.author = author if "authors" in offers and author.total else None
    if "is_article" in offers and (precision.total or recall.total):
        scores.detection_precision, scores.detection_recall = precision, recall
    scores.fundus = score_fundus(system, results)
    return scores


def score_fundus(system: str, results: list[PageResult]) -> FundusScores | None:
    """The fundus-dev measures of one system; None when the run had no fundus-dev page."""
    offers = FIELDS[system]
    body_f1s: list[float] = []
    title, day, instant, author, recall = Ratio(), Ratio(), Ratio(), Ratio(), Ratio()
    for result in results:
        extraction = result.extractions.get(system)
        if result.page.dataset != FUNDUS or extraction is None:
            continue
        truth = result.page.truth
        body_f1s.append(word_f1(truth.body, extraction.body))
        recall.add(bool(extraction.is_article))
        if truth.title:
            title.add(same_title(truth.title, extraction.title))
        if truth.published:
            day.add(same_day_near_midnight(truth.published, extraction.published))
            if has_time(truth.published):
                instant.add(same_instant(truth.published, extraction.published))
        if truth.author:
            author.add(any_author_found(truth.author, extraction.authors))
    if not body_f1s:
        return None
    return FundusScores(
        body_f1=sum(body_f1s) / len(body_f1s),
        pages=len(body_f1s),
        title=title if "title" in offers and title.total else None,
        day=day if "published" in offers and day.total else None,
        instant=instant if "instant" in offers and instant.total else None,
        author=author if "authors" in offers and author.total else None,
        detection_recall=recall if "is_article" in offers else None,
    )
