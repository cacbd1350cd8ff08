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

import re
from collections.abc import Sequence
from functools import cache, lru_cache
from itertools import chain, compress, filterfalse, repeat
from typing import NamedTuple

import numpy as np
from sentencex import segment
from threadpoolctl import threadpool_limits

MAX_SENTENCES = 3  # sentences in a summary
MAX_CANDIDATES = 150  # sentences ranked per article (the graph is quadratic in this)
MIN_WORDS = 5  # shorter sentences (datelines, captions, "Read more") are never chosen
MIN_CHARS_UNSPACED = 12  # the same floor for scripts written without spaces
NEAR_COPY = 0.8  # cosine above which a sentence repeats one already chosen
DAMPING = 0.85  # PageRank damping factor
ITERATIONS = 50  # power iterations at most
TOLERANCE = 1e-4  # stop when the scores (summing to 1) move less than this in total
_DAMPING = np.float64(DAMPING)  # the same number; numpy multiplies by its own float faster

_WORD = re.compile(r"\w+")
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")
_PARAGRAPH = re.compile(r"\n\s*\n")


class Sentence(NamedTuple):  # a tuple: made for every sentence of every article, at a quarter of a dataclass's cost
    position: int  # order in the article
    text: str
    terms: tuple[str, ...]


def split_sentences(text: str, language: str | None = None, *, limit: int | None = None) -> list[str]:
    """Sentences of ``text`` in order; paragraph breaks always end a sentence. ``limit``: only
    the first that many (the paragraphs after them are not segmented: each paragraph is cut on
    its own, so the ones before do not depend on them)."""
    code = (language or "en").split("-")[0].lower() or "en"
    sentences: list[str] = []
    for paragraph in _PARAGRAPH.split(text):
        paragraph = _spaced_once(paragraph)
        if paragraph:
            sentences.extend(s.strip() for s in segment(code, paragraph) if s.strip())
            if limit is not None and len(sentences) >= limit:
                return sentences[:limit]
    return sentences


def _spaced_once(paragraph: str) -> str:
    """``paragraph`` with its runs of white space made one space and its ends stripped. A printable
    string holds no white space but the space (every other one is a control or separator
    character), so one with no double space and none at either end is returned as it is,
    without splitting it into words."""
    if paragraph.isprintable() and "  " not in paragraph and paragraph[:1] != " " and paragraph[-1:] != " ":
        return paragraph
    return " ".join(paragraph.split())


def terms_of(sentence: str, *, unspaced: bool | None = None) -> tuple[str, ...]:
    """Lower-cased words; runs of unspaced script become overlapping character bigrams.
    ``unspaced``: whether the sentence holds unspaced script, when the caller knows."""
    words = _WORD.findall(sentence.lower())
    if not (_UNSPACED.search(sentence) if unspaced is None else unspaced):
        return tuple(filterfalse(str.isdigit, words))
    terms: list[str] = []
    for word in words:
        if _UNSPACED.search(word) and len(word) > 2:
            terms.extend(word[i : i + 2] for i in range(len(word) - 1))
        elif not word.isdigit():
            terms.append(word)
    return tuple(terms)


def _long_enough(sentence: str, terms: tuple[str, ...], *, unspaced: bool | None = None) -> bool:
    if _UNSPACED.search(sentence) if unspaced is None else unspaced:
        return len(sentence) >= MIN_CHARS_UNSPACED
    return len(terms) >= MIN_WORDS


def _candidate(position: int, sentence: str) -> Sentence | None:
    """The sentence with its terms, if it is long enough to stand alone (its script looked at once)."""
    unspaced = _UNSPACED.search(sentence) is not None
    terms = terms_of(sentence, unspaced=unspaced)
    return Sentence(position, sentence, terms) if _long_enough(sentence, terms, unspaced=unspaced) else None


class Candidates(NamedTuple):
    """The sentences long enough to stand alone (``_candidate``), in order, column by column."""

    positions: list[int]  # each one's place among the sentences
    texts: list[str]
    terms: list[Sequence[str]]


def _candidates(sentences: list[str]) -> Candidates:
    """``_candidate`` of each sentence. A text with no unspaced script (most) is lower-cased
    once, its sentences joined by line breaks (no sentence holds one; a line break is neither
    cased nor case-ignorable, so a Greek final sigma lowers as in its own sentence), and read
    with no step per sentence in Python (the maps and ``compress`` loop in C)."""
    text = "\n".join(sentences)
    if _UNSPACED.search(text):
        chosen = [sentence for position, raw in enumerate(sentences) if (sentence := _candidate(position, raw)) is not None]
        return Candidates(*map(list, zip(*chosen))) if chosen else Candidates([], [], [])
    terms = list(map(list, map(filterfalse, repeat(str.isdigit), map(str.split, _spaced_words(text.lower()).split("\n")))))
    kept = [len(words) >= MIN_WORDS for words in terms]
    return Candidates(list(compress(range(len(sentences)), kept)), list(compress(sentences, kept)), list(compress(terms, kept)))


def _spaced_words(text: str) -> str:
    """``text`` with every character but word characters (``_WORD``) and line breaks made a
    space, so that its words are what ``str.split`` finds between spaces (a word never holds
    white space), without the regular expression's walk through the text."""
    if not text:
        return text
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if points.max() > 0xFFFF:
        spaced = np.where(_kept(points), points, ord(" ")).astype(np.uint32)
    else:
        spaced = _bmp_spacing()[points]
    return spaced.tobytes().decode("utf-32-le")


def _kept(points: np.ndarray) -> np.ndarray:
    """Which code points are word characters (alphanumeric, as ``_WORD`` reads them, or ``_``) or a line break."""
    return np.strings.isalnum(points.view("<U1")) | (points == ord("_")) | (points == ord("\n"))


@cache
def _bmp_spacing() -> np.ndarray:
    """What ``_spaced_words`` makes of each code point of the Basic Multilingual Plane (built once
    a process, at its first summary: 256 KB)."""
    points = np.arange(0x10000, dtype=np.uint32)
    return np.where(_kept(points), points, ord(" ")).astype(np.uint32)


def _similarities(terms: list[Sequence[str]]) -> np.ndarray:
    """Cosine similarities of the sentences' unit-length TF-IDF vectors (zero diagonal), given their terms.

    The IDF is counted over these sentences. A dense matrix (at most MAX_CANDIDATES
    sentences): with numpy a summary costs about half the CPU of the pure-Python graph it
    replaced (2.0-2.4 ms against 4.1-5.4 ms per article on 221 aeb-dev and demo bodies,
    the same summaries).
    """
    vocabulary: dict[str, int] = {}  # term -> column, in order of first use
    columns = np.array([vocabulary.setdefault(term, len(vocabulary)) for term in chain.from_iterable(terms)], dtype=np.intp)
    count = len(terms)
    rows = np.repeat(np.arange(count), list(map(len, terms)))
    cells = count * len(vocabulary)  # term counts, one bincount over the flattened matrix
    matrix = np.bincount(rows * len(vocabulary) + columns, minlength=cells).reshape(count, -1).astype(float)
    document_frequency = np.add.reduce(matrix > 0, 0, np.intp)  # np.count_nonzero(matrix, axis=0)'s sum, called directly
    matrix *= np.log((1 + count) / (1 + document_frequency))
    norms = np.sqrt(np.add.reduce(matrix * matrix, axis=1))  # np.linalg.norm(matrix, axis=1) without its checks
    matrix /= np.where(norms > 0, norms, 1.0)[:, None]
    shared = matrix[:, document_frequency > 1]  # a term of one sentence links no pair
    _blas_on_one_thread()
    similarity = shared @ shared.T
    similarity.ravel()[:: count + 1] = 0.0  # the diagonal, as np.fill_diagonal steps through it
    return similarity


@cache
def _blas_on_one_thread() -> None:
    """Hold numpy's BLAS to one thread in this process (once, at its first summary). For these
    small products (at most MAX_CANDIDATES sentences) BLAS's threads cost more than they save
    beside a busy crawler on a shared machine (a 91 x 212 product: 860-1,550 us with its default
    threads, 55 us on one); numpy's own einsum, which starts none, took 385 us. docs/benchmarks.md,
    "Engineer cost-pool, session 11"."""
    threadpool_limits(limits=1, user_api="blas")


def rank(similarity: np.ndarray, prior: np.ndarray) -> np.ndarray:
    """Weighted PageRank by power iteration; ``prior`` is the random-jump distribution.
    Each step writes into arrays made once (numpy's ufuncs called with ``out`` as their last
    argument, sums by ``np.add.reduce``), and the product is ``np.dot`` (the vector times
    matrix product ``@`` computes, with less of numpy's dispatch around it)."""
    out_weight = np.add.reduce(similarity, 1)
    linked = out_weight > 0
    if linked.all():
        transition = similarity / out_weight[:, None]
    else:
        transition = np.zeros_like(similarity)
        transition[linked] = similarity[linked] / out_weight[linked, None]
    unlinked = np.flatnonzero(~linked)
    jump = (1 - DAMPING + DAMPING * 0.0) * prior  # what the prior gets while no sentence is unlinked
    scores, new, step = prior.copy(), np.empty_like(prior), np.empty_like(prior)
    for _ in range(ITERATIONS):
        # A sentence sharing no term with any other hands its score to the prior.
        if unlinked.size:
            jump = (1 - DAMPING + DAMPING * scores[unlinked].sum()) * prior
        np.add(jump, np.multiply(_DAMPING, np.dot(scores, transition, step), step), new)
        moved = np.add.reduce(np.absolute(np.subtract(new, scores, step), step))
        scores, new = new, scores
        if moved < TOLERANCE:
            break
    return scores


@lru_cache(maxsize=2 * MAX_CANDIDATES)
def lead_prior(count: int, *, lead_bias: bool = True) -> np.ndarray:
    """The random-jump distribution: 1 / (position + 2), or uniform without ``lead_bias``.
    Made once a process for each count, and read-only."""
    weights = 1.0 / (np.arange(count) + 2.0) if lead_bias else np.ones(count)
    prior = weights / weights.sum()
    prior.flags.writeable = False
    return prior


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
    candidates = _candidates(split_sentences(text, language, limit=MAX_CANDIDATES))
    count = len(candidates.texts)
    if not count:
        return None
    if count <= max_sentences:
        return " ".join(candidates.texts)
    similarity = _similarities(candidates.terms)
    scores = rank(similarity, lead_prior(count, lead_bias=lead_bias)).tolist()
    chosen: list[int] = []
    for index in sorted(range(count), key=lambda i: (-scores[i], i)):
        if all(similarity[index, other] < NEAR_COPY for other in chosen):
            chosen.append(index)
        if len(chosen) == max_sentences:
            break
    return " ".join(candidates.texts[i] for i in sorted(chosen))


def lead(text: str | None, language: str | None = None, *, max_sentences: int = MAX_SENTENCES) -> str | None:
    """The first ``max_sentences`` sentences long enough to stand alone: the baseline summary."""
    if not text:
        return None
    sentences = [s for s in split_sentences(text, language) if _long_enough(s, terms_of(s))]
    return " ".join(sentences[:max_sentences]) or None
