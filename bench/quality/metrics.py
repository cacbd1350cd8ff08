"""The two body metrics, written from the datasets' READMEs.

- ``shingle_scores``: the Article Extraction Benchmark metric (aeb-dev): 4-token shingles as
  multisets, per-page tp/fp/fn normalised to sum 1, precision and recall averaged over pages,
  F1 from the two means.
- ``word_f1``: the WCXB metric (wcxb-dev): lower-cased ``\\w+`` token multisets, per-page F1.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+")
SHINGLE_SIZE = 4


def shingles(text: str | None, size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """Runs of ``size`` consecutive tokens (case kept); a shorter text is one shingle of all its tokens."""
    tokens = _TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    if len(tokens) < size:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


@dataclass(frozen=True, slots=True)
class PageCounts:
    """One page's tp, fp, fn, normalised so that they sum to 1 (all 0 when both texts are empty)."""

    tp: float
    fp: float
    fn: float


def page_counts(truth: str | None, predicted: str | None) -> PageCounts:
    expected, got = shingles(truth), shingles(predicted)
    tp = sum(min(count, got[shingle]) for shingle, count in expected.items())
    fp = sum(got.values()) - tp
    fn = sum(expected.values()) - tp
    total = tp + fp + fn
    if total == 0:
        return PageCounts(0.0, 0.0, 0.0)
    return PageCounts(tp / total, fp / total, fn / total)


def page_precision_recall(counts: PageCounts) -> tuple[float | None, float | None]:
    """Per-page precision and recall; None where the page does not count towards that mean."""
    tp, fp, fn = counts.tp, counts.fp, counts.fn
    if fp == 0 and fn == 0:
        # Both texts agree exactly (or are both empty, where neither mean counts the page).
        return (1.0 if tp > 0 else None, 1.0 if tp > 0 else None)
    precision = tp / (tp + fp) if tp + fp > 0 else None
    recall = tp / (tp + fn) if tp + fn > 0 else None
    return precision, recall


@dataclass(frozen=True, slots=True)
class ShingleScores:
    f1: float
    precision: float
    recall: float
    pages: int


def shingle_scores(pairs: Iterable[tuple[str | None, str | None]]) -> ShingleScores:
    """Score ``(truth, predicted)`` pairs with the aeb metric."""
    precisions: list[float] = []
    recalls: list[float] = []
    pages = 0
    for truth, predicted in pairs:
        pages += 1
        precision, recall = page_precision_recall(page_counts(truth, predicted))
        if precision is not None:
            precisions.append(precision)
        if recall is not None:
            recalls.append(recall)
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * p * r / (p + r) if p + r > 0 else 0.0
    return ShingleScores(f1=f1, precision=p, recall=r, pages=pages)


def word_f1(truth: str | None, predicted: str | None) -> float:
    """WCXB word F1 of one page."""
    expected = Counter(_TOKEN.findall((truth or "").lower()))
    got = Counter(_TOKEN.findall((predicted or "").lower()))
    if not expected:
        return 1.0 if not got else 0.0
    if not got:
        return 0.0
    overlap = sum((expected & got).values())
    if overlap == 0:
        return 0.0
    precision = overlap / sum(got.values())
    recall = overlap / sum(expected.values())
    return 2 * precision * recall / (precision + recall)
