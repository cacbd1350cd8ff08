"""One run's writes: article rows and failures in batches, one transaction each, and what they came to.

Every entry point that stores articles (the crawl's store pipeline, the Redis ingester,
``import``, ``reparse``) hands its results to a ``RunWriter`` and closes its run record
with ``run_outcome``, so a run's counts mean the same whoever wrote it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crawler.article.row import failure_row
from crawler.items import FailedPage
from crawler.lock import AlreadyRunning, RunLock, lock_path
from crawler.storage import ArticleStore
from crawler.storage.store import ArticleRow, UpsertOutcome

logger = logging.getLogger(__name__)

INTERRUPTED_REASONS = frozenset({"shutdown", "cancelled"})  # close reasons of a stop by signal
STORAGE_ERROR = "storage_error"  # close reason when the database cannot be written


@dataclass(slots=True)
class RunCounts:
    pages_fetched: int = 0
    articles_new: int = 0
    articles_updated: int = 0
    articles_unchanged: int = 0
    skipped: int = 0
    failed: int = 0

    @property
    def stored(self) -> int:
        return self.articles_new + self.articles_updated + self.articles_unchanged

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.__slots__}  # type: ignore[attr-defined]


def run_outcome(reason: str, counts: RunCounts) -> str:
    """success | partial | failed | interrupted | storage_error, from the close reason and the counts."""
    if reason == STORAGE_ERROR:
        return STORAGE_ERROR  # the database's fault, not the site's: `runs` says so, as the exit code (4) does
    if reason in INTERRUPTED_REASONS:
        return "interrupted"
    if counts.stored == 0 and (counts.failed or counts.skipped):
        return "failed"  # pages were tried and none gave an article (an incremental run with nothing new succeeds)
    return "partial" if counts.failed else "success"


@dataclass(slots=True)
class Batch:
    articles: list[ArticleRow] = field(default_factory=list)
    failures: list[dict[str, Any]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.articles) + len(self.failures)


class RunWriter:
    """Gathers a run's rows and failures; ``flush`` writes them (articles in one transaction,
    failures in another) and counts the outcomes in ``counts`` and in ``stats`` (a
    ``crawler.article.Tally`` or Scrapy's stats collector: ``newscrawl/articles_new``,
    ``newscrawl/skipped/<reason>`` ...)."""

    def __init__(self, store: ArticleStore, *, run_id: int | None, stats: Any) -> None:
        self.store = store
        self.run_id = run_id
        self.stats = stats
        self.counts = RunCounts()
        self.pending = Batch()

    def add(self, result: ArticleRow | FailedPage) -> int:
        """Queue one result; returns how many wait to be written."""
        if isinstance(result, FailedPage):
            kind = "skipped" if result.skipped else "failed"
            setattr(self.counts, kind, getattr(self.counts, kind) + 1)
            self.stats.inc_value(f"newscrawl/{kind}")
            self.stats.inc_value(f"newscrawl/{kind}/{result.reason}")
            self.pending.failures.append(failure_row(result))
        else:
            self.pending.articles.append(result)
        return len(self.pending)

    def flush(self) -> Batch:
        """Write what waits and return it. A database error propagates and the batch is not
        kept here (the caller knows what it was: the crawl stops, the ingester's batch stays
        in Redis)."""
        batch, self.pending = self.pending, Batch()
        if batch.articles:
            self._count(self.store.upsert_articles(batch.articles))
        if batch.failures:
            self.store.record_failures(batch.failures, run_id=self.run_id)
        return batch

    def _count(self, outcomes: list[UpsertOutcome]) -> None:
        for outcome in outcomes:
            name = f"articles_{outcome.value}"
            setattr(self.counts, name, getattr(self.counts, name) + 1)
            self.stats.inc_value(f"newscrawl/{name}")


@dataclass(slots=True)
class Closed:
    outcome: str = "running"


@contextmanager
def closing_run(store: ArticleStore, steps: Any, run_id: int, counts: RunCounts, *, db_path: str | Path) -> Iterator[Closed]:
    """For a command that runs the article steps (import, reparse): however the body ends, the
    steps keep what they learned (``steps.close``) and the run record is finished with its
    outcome: ``interrupted`` after Ctrl-C, ``failed`` after an error, else from ``counts``.

    While it runs, the run holds the lock ``run N`` (``crawler.lock``: the kernel drops it when the
    process dies, SIGKILL included), and the earlier import and reparse runs still 'running' whose
    lock nobody holds are marked 'interrupted' (``close_dead_runs``): their rows said 'running',
    counts 0, for good."""
    lock = _hold(db_path, run_id)
    closed = Closed()
    reason = "finished"
    try:
        close_dead_runs(store, db_path)
        yield closed
    except KeyboardInterrupt:
        reason = "shutdown"
        raise
    except BaseException:
        reason = "failed"
        raise
    finally:
        try:
            steps.close(store)
        finally:
            closed.outcome = "failed" if reason == "failed" else run_outcome(reason, counts)
            try:
                store.finish_run(run_id, finished_at=datetime.now(UTC).isoformat(timespec="seconds"),
                                 outcome=closed.outcome, finish_reason=reason, counts=counts.as_dict())
            finally:
                _let_go(lock, db_path, run_id)  # after the row is finished: a later check finds it closed


def _run_lock_name(run_id: int) -> str:
    return f"run {run_id}"


def _hold(db_path: str | Path, run_id: int) -> RunLock | None:
    """The run's own lock, or None where no lock file can be made (the run goes on without it)."""
    lock = RunLock(Path(db_path), [_run_lock_name(run_id)])
    try:
        lock.acquire()
    except OSError as exc:
        logger.debug("run %s goes on without its lock: %s", run_id, exc)
        return None
    return lock


def _let_go(lock: RunLock | None, db_path: str | Path, run_id: int) -> None:
    """Release the run's lock and remove its file (one file per run would pile up)."""
    if lock is None:
        return
    lock.release()
    lock_path(db_path, _run_lock_name(run_id)).unlink(missing_ok=True)


def close_dead_runs(store: ArticleStore, db_path: str | Path) -> list[int]:
    """Mark 'interrupted' the import and reparse runs still 'running' whose process is gone (their
    lock is free: killed, or the machine stopped); return their ids. Their counts stay as they
    wrote them after their last batch (``ArticleStore.record_counts``)."""
    closed = []
    for run_id in store.open_runs(("import", "reparse")):
        try:
            lock = RunLock(Path(db_path), [_run_lock_name(run_id)])
            lock.acquire()
        except (AlreadyRunning, OSError):
            continue  # alive (or not to be judged from here)
        try:
            if store.mark_interrupted(run_id, finish_reason="the process ended without closing its run (found by a"
                                      " later import or reparse; counts as of its last batch)"):
                closed.append(run_id)
        finally:
            _let_go(lock, db_path, run_id)
    if closed:
        logger.warning("%s ended without closing (killed?); marked interrupted",
                       ", ".join(f"run {run_id}" for run_id in closed))
    return closed
