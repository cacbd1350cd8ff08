"""Generated newscrawl databases for the analyst benchmark: N articles with news-like text.

Text: words drawn from a fixed vocabulary of 40,000 made-up words with Zipf frequencies
(like real text: a few words everywhere, most words rare), sentences of 8-30 words,
paragraphs of 2-5 sentences, bodies of log-normally distributed length around 800 words
(about 5.5 KB, the size MEASURED.md used), titles of 6-14 words. Three phrases are
planted at known rates so phrase queries have answers. 24 sites in three languages,
dates spread over three years, each site's articles linked into a prev/next chain.
The summary column holds the first three sentences (the real summariser would take
hours over 200,000 articles and does not change what is measured here).

Rows are written through the real schema (``open_database``: FTS5 kept by triggers) in
transactions of ``BATCH`` rows. Everything follows from ``SEED``: the same N gives the
same database, and all sizes share vocabulary and query set. Words are drawn with numpy,
a body at a time (a million articles in minutes, not hours); ``schema`` stops the
migrations early, to build a database in an older layout.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import sqlite_utils

from crawler.storage.schema import migrate

SEED = 20250311
VOCABULARY = 40_000  # distinct words
ZIPF_EXPONENT = 1.07  # word frequency ~ 1 / rank^s
BODY_WORDS_MEDIAN = 800
BODY_WORDS_SIGMA = 0.45  # of the log-normal: most bodies 400-2,000 words
SITES = 24
LANGUAGES = ("en", "de", "fr")
BATCH = 2_000  # rows per transaction
PLANTED = {  # phrase -> share of articles whose body contains it
    "harbour bridge closure": 0.01,
    "regional water authority": 0.002,
    "night train timetable": 0.0002,
}
START = datetime(2022, 1, 1, tzinfo=timezone(timedelta(hours=1)))
SYLLABLES = [c + v for c in "bcdfghklmnprstvwz" for v in ("a", "e", "i", "o", "u", "ai", "ou", "ei")]


@dataclass(frozen=True, slots=True)
class Vocabulary:
    words: list[str]
    cumulative: list[float]

    def word(self, rank: int) -> str:
        """The word of frequency rank ``rank`` (1 = the most frequent)."""
        return self.words[rank - 1]


def vocabulary() -> Vocabulary:
    rng = random.Random(SEED)
    words: list[str] = []
    seen: set[str] = set()
    while len(words) < VOCABULARY:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((1, 1, 2, 2, 2, 3, 3))))
        if word not in seen and len(word) > 1:
            seen.add(word)
            words.append(word)
    weights = [1 / rank**ZIPF_EXPONENT for rank in range(1, VOCABULARY + 1)]
    total, running, cumulative = sum(weights), 0.0, []
    for weight in weights:
        running += weight / total
        cumulative.append(running)
    return Vocabulary(words, cumulative)


@dataclass(slots=True)
class _Writer:
    """Draws bodies, titles and sentences: words by Zipf rank (numpy), shapes by ``random``."""

    rng: random.Random
    draws: np.random.Generator
    words: np.ndarray
    cumulative: np.ndarray

    def words_of(self, count: int) -> list[str]:
        ranks = np.searchsorted(self.cumulative, self.draws.random(count), side="right")
        return self.words[np.minimum(ranks, len(self.words) - 1)].tolist()

    def sentence(self, length: int) -> str:
        words = self.words_of(length)
        return words[0].capitalize() + " " + " ".join(words[1:]) + "."

    def body(self) -> tuple[str, list[str]]:
        rng = self.rng
        target = max(60, int(rng.lognormvariate(math.log(BODY_WORDS_MEDIAN), BODY_WORDS_SIGMA)))
        lengths: list[list[int]] = []
        count = 0
        while count < target:
            paragraph = [rng.randint(8, 30) for _ in range(rng.randint(2, 5))]
            count += sum(paragraph)
            lengths.append(paragraph)
        pool, start = self.words_of(count), 0
        paragraphs, sentences = [], []
        for paragraph in lengths:
            text = []
            for length in paragraph:
                words, start = pool[start : start + length], start + length
                text.append(words[0].capitalize() + " " + " ".join(words[1:]) + ".")
            sentences.extend(text)
            paragraphs.append(text)
        for phrase, share in PLANTED.items():
            if rng.random() < share:
                paragraphs[rng.randrange(len(paragraphs))].append(f"The {phrase} was discussed again.")
        return "\n\n".join(" ".join(p) for p in paragraphs), sentences


def rows(count: int, vocab: Vocabulary):  # type: ignore[no-untyped-def]
    """The article rows, in publication order per site, linked into one chain per site."""
    rng = random.Random(SEED + 1)
    writer = _Writer(rng, np.random.default_rng(SEED + 2), np.array(vocab.words, dtype=object), np.array(vocab.cumulative))
    sites = [f"site{n:02d}.example" for n in range(SITES)]
    authors = [" ".join(w.capitalize() for w in rng.sample(vocab.words[200:5000], 2)) for _ in range(400)]
    minutes = 3 * 365 * 24 * 60
    per_site: dict[str, int] = {site: 0 for site in sites}
    for index in range(count):
        site = sites[index % SITES]
        position = per_site[site]
        per_site[site] += 1
        url = f"https://{site}/articles/{position}.html"
        published = START + timedelta(minutes=minutes * index / count)
        body, sentences = writer.body()
        title = writer.sentence(rng.randint(6, 14))[:-1]
        yield {
            "url": url,
            "site": site,
            "title": title,
            "body": body,
            "published_at": published.isoformat(timespec="seconds"),
            "authors": json.dumps(rng.sample(authors, rng.choice((0, 1, 1, 1, 2)))),
            "language": LANGUAGES[(index % SITES) % len(LANGUAGES)],  # each site writes one language
            "description": sentences[0],
            "prev_url": f"https://{site}/articles/{position - 1}.html" if position else None,
            "next_url": f"https://{site}/articles/{position + 1}.html" if index + SITES < count else None,
            "word_count": body.count(" ") + 1,
            "content_hash": hashlib.sha256((title + body).encode()).hexdigest(),
            "fetched_at": "2025-03-10T12:00:00+00:00",
            "first_seen_at": "2025-03-10T12:00:00+00:00",
            "last_seen_at": "2025-03-10T12:00:00+00:00",
            "summary": " ".join(sentences[:3]),
        }


def generate(path: Path, count: int, *, schema: int | None = None, resume: bool = False) -> Path:
    """Write a database of ``count`` articles to ``path`` (replacing it).

    ``schema``: apply only the first ``schema`` migrations (an older layout); default all.
    ``resume``: keep the rows a stopped generation of the same ``count`` committed (whole
    batches, ids 1..K) and write the rest; the rows before are drawn again and dropped, so
    the result is the database an uninterrupted run writes.
    """
    done = _committed_rows(path) if resume else 0
    if not done:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(sqlite3.connect(path, isolation_level=None))
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    migrate(db, upto=schema)
    vocab = vocabulary()
    columns: list[str] | None = None
    batch: list[list[object]] = []

    def flush() -> None:
        assert columns is not None
        db.execute("BEGIN")
        db.conn.executemany(
            f"INSERT INTO articles ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})", batch
        )
        db.execute("COMMIT")
        batch.clear()

    for index, row in enumerate(rows(count, vocab)):
        if index < done:
            continue
        columns = columns or list(row)
        batch.append([row[name] for name in columns])
        if len(batch) == BATCH:
            flush()
    if batch:
        flush()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.execute("ANALYZE")
    db.conn.close()
    return path


def _committed_rows(path: Path) -> int:
    """Rows a stopped generation left, when they are exactly ids 1..K (else 0: start again)."""
    if not path.exists():
        return 0
    try:
        conn = sqlite3.connect(path)
        try:
            count, highest = conn.execute("SELECT count(*), coalesce(max(id), 0) FROM articles").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return 0
    return count if count == highest else 0
