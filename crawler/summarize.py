"""Extractive summaries: at most three sentences of the article itself, in its language.

Method (TextRank with a lead prior, Mihalcea & Tarau 2004; the lead prior as in
position-biased PageRank):

1. The body is cut into paragraphs (blank lines), each paragraph into sentences by
   ``sentencex`` with the article's language rules (any language code; unknown codes
   fall back to generic punctuation rules).
2. Each sentence becomes a TF-IDF vector of its words, the IDF counted over the
   sentences of this article, so words found in most sentences ("the", "le", "der")
   weigh almost nothing in any language, with no stop-word lists. Scripts written
   without spaces (Chinese, Japanese, Thai) are compared by character bigrams.
3. Sentences are nodes of a graph whose edges are the cosine similarities of their
   vectors; PageRank ranks them. The random jump favours earlier sentences with
   weight 1 / (position + 2): news puts the point first, and the measured gain over
   a uniform jump is in docs/benchmarks.md. A central sentence late in the article
   still beats an isolated early one.
4. The best sentences (at most ``max_sentences``, skipping near-copies of one already
   chosen) are printed in their order in the article.

Pure functions, no Scrapy: the summarize pipeline, the CLI and the benchmark call
``summarize``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from sentencex import segment

MAX_SENTENCES = 3  # sentences in a summary
MAX_CANDIDATES = 150  # sentences ranked per article (the graph is quadratic in this)
MIN_WORDS = 5  # shorter sentences (datelines, captions, "Read more") are never chosen
MIN_CHARS_UNSPACED = 12  # the same floor for scripts written without spaces
NEAR_COPY = 0.8  # cosine above which a sentence repeats one already chosen
DAMPING = 0.85  # PageRank damping factor
ITERATIONS = 50  # power iterations at most
TOLERANCE = 1e-4  # stop when the scores (summing to 1) move less than this in total

_WORD = re.compile(r"\w+")
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")
_PARAGRAPH = re.compile(r"\n\s*\n")


@dataclass(frozen=True, slots=True)
class Sentence:
    position: int  # order in the article
    text: str
    terms: tuple[str, ...]


def split_sentences(text: str, language: str | None = None) -> list[str]:
    """Sentences of ``text`` in order; paragraph breaks always end a sentence."""
    code = (language or "en").split("-")[0].lower() or "en"
    sentences: list[str] = []
    for paragraph in _PARAGRAPH.split(text):
        paragraph = " ".join(paragraph.split())
        if paragraph:
            sentences.extend(s.strip() for s in segment(code, paragraph) if s.strip())
    return sentences


def terms_of(sentence: str) -> tuple[str, ...]:
    """Lower-cased words; runs of unspaced script become overlapping character bigrams."""
    terms: list[str] = []
    for word in _WORD.findall(sentence.lower()):
        if _UNSPACED.search(word) and len(word) > 2:
            terms.extend(word[i : i + 2] for i in range(len(word) - 1))
        elif not word.isdigit():
            terms.append(word)
    return tuple(terms)


def _long_enough(sentence: str, terms: tuple[str, ...]) -> bool:
    if _UNSPACED.search(sentence):
        return len(sentence) >= MIN_CHARS_UNSPACED
    return len(terms) >= MIN_WORDS


def _vectors(sentences: list[Sentence]) -> list[dict[str, float]]:
    """Unit-length TF-IDF vectors, the IDF counted over these sentences."""
    count = len(sentences)
    document_frequency = Counter(term for s in sentences for term in set(s.terms))
    vectors = []
    for sentence in sentences:
        weights = {
            term: tf * math.log((1 + count) / (1 + document_frequency[term]))
            for term, tf in Counter(sentence.terms).items()
        }
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vectors.append({term: w / norm for term, w in weights.items() if w > 0})
    return vectors


def _similarities(vectors: list[dict[str, float]]) -> list[dict[int, float]]:
    """Cosine similarity of every pair sharing a term, through an inverted index."""
    postings: dict[str, list[tuple[int, float]]] = {}
    for index, vector in enumerate(vectors):
        for term, weight in vector.items():
            postings.setdefault(term, []).append((index, weight))
    edges: list[dict[int, float]] = [{} for _ in vectors]
    for entries in postings.values():
        for a in range(len(entries)):
            i, wi = entries[a]
            for j, wj in entries[a + 1 :]:
                edges[i][j] = edges[i].get(j, 0.0) + wi * wj
                edges[j][i] = edges[i][j]
    return edges


def rank(edges: list[dict[int, float]], prior: list[float]) -> list[float]:
    """Weighted PageRank by power iteration; ``prior`` is the random-jump distribution."""
    count = len(edges)
    out_weight = [sum(neighbours.values()) for neighbours in edges]
    scores = list(prior)
    for _ in range(ITERATIONS):
        # A sentence sharing no term with any other hands its score to the prior.
        dangling = sum(scores[i] for i in range(count) if out_weight[i] == 0)
        new = [(1 - DAMPING + DAMPING * dangling) * prior[i] for i in range(count)]
        for i, neighbours in enumerate(edges):
            if out_weight[i]:
                share = DAMPING * scores[i] / out_weight[i]
                for j, weight in neighbours.items():
                    new[j] += share * weight
        moved = sum(abs(a - b) for a, b in zip(new, scores))
        scores = new
        if moved < TOLERANCE:
            break
    return scores


def lead_prior(count: int, *, lead_bias: bool = True) -> list[float]:
    """The random-jump distribution: 1 / (position + 2), or uniform without ``lead_bias``."""
    weights = [1.0 / (i + 2) if lead_bias else 1.0 for i in range(count)]
    total = sum(weights)
    return [w / total for w in weights]


def summarize(
    text: str | None,
    language: str | None = None,
    *,
    max_sentences: int = MAX_SENTENCES,
    lead_bias: bool = True,
) -> str | None:
    """At most ``max_sentences`` sentences of ``text`` ranked by TextRank, in article order.

    Returns None for a text with no sentence long enough to stand alone.
    """
    if not text:
        return None
    candidates = []
    for position, raw in enumerate(split_sentences(text, language)[:MAX_CANDIDATES]):
        terms = terms_of(raw)
        if _long_enough(raw, terms):
            candidates.append(Sentence(position, raw, terms))
    if not candidates:
        return None
    if len(candidates) <= max_sentences:
        return " ".join(s.text for s in candidates)
    vectors = _vectors(candidates)
    edges = _similarities(vectors)
    scores = rank(edges, lead_prior(len(candidates), lead_bias=lead_bias))
    chosen: list[int] = []
    for index in sorted(range(len(candidates)), key=lambda i: (-scores[i], i)):
        if all(edges[index].get(other, 0.0) < NEAR_COPY for other in chosen):
            chosen.append(index)
        if len(chosen) == max_sentences:
            break
    return " ".join(candidates[i].text for i in sorted(chosen))


def lead(text: str | None, language: str | None = None, *, max_sentences: int = MAX_SENTENCES) -> str | None:
    """The first ``max_sentences`` sentences long enough to stand alone: the baseline summary."""
    if not text:
        return None
    sentences = [s for s in split_sentences(text, language) if _long_enough(s, terms_of(s))]
    return " ".join(sentences[:max_sentences]) or None
