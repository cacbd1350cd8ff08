"""The process pool for CPU work: parsing, cleaning and summaries beside the process that fetches or stores.

``ParsePool(processes)`` wraps a ``concurrent.futures.ProcessPoolExecutor``. A crawl awaits
it (``await pool.run(function, *args)``, from Scrapy's asyncio reactor); the commands that
read stored pages (the Redis ingester, ``import``, ``reparse``) hand it whole batches
(``pool.run_all(function, arguments)``), or start one and collect it later
(``pending = pool.submit_all(...)``, ``pending.results()``) so that the pool parses a batch
while the caller reads the next one and stores the last. With one process it is inline:
``run`` and ``run_all`` call the function in this process (``submit_all`` when the results
are asked for).

The workers are started by a fork server that has imported the parsing package, so a
worker starts fast and never inherits a reactor's threads or sockets; a worker ends
itself when the process that started the pool is gone, however it ended. A command can
start the fork server first thing (``start_fork_server``), so that its imports run on the
other core while the command imports its own modules; this module imports nothing of the
parser until a worker needs it. A worker that
dies (a crash in a C library on a hostile page) breaks the pool: it is rebuilt and the
work retried once; work that breaks it twice raises (or, in ``run_all``, returns)
``ParseCrashed``.

No Scrapy here: ``crawler.parse_pool`` is the crawl's side (the downloader middleware and
one pool per crawler).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import multiprocessing.forkserver
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, process
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from crawler.parsing import SiteTemplate
    from crawler.parsing.result import ParseResult

logger = logging.getLogger(__name__)

T = TypeVar("T")

PARENT_CHECK_SECONDS = 1.0  # how often a pool worker checks that the process that started it is still alive
# What the fork server imports once for every worker: the parser, the hand-off and the page steps'
# modules (crawler.article.pipeline.page_steps: their instances come pickled with each call) with
# the summary's ranking, then the parser's tables no page decides (crawler.parse_warmup); not the
# writer steps, the storage package or the archive.
PRELOAD = [
    "crawler.parsing",
    "crawler.article.prepare",
    "crawler.article.clean",
    "crawler.article.validate",
    "crawler.article.language",
    "crawler.article.summary",
    "crawler.summarize",
    "crawler.parse_warmup",
]


class ParseCrashed(Exception):
    """The work killed a pool worker twice."""


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def pool_size(setting: int) -> int:
    """Processes for a NEWSCRAWL_PARSE_PROCESSES value (0 = one per core)."""
    if setting < 0:
        raise ValueError("NEWSCRAWL_PARSE_PROCESSES must be 0 (one per core) or more")
    return setting or cpu_count()


def start_fork_server(processes: int) -> None:
    """Start the pool's fork server now when a pool of ``processes`` will need it (more than
    one). It imports ``PRELOAD`` in its own process, so a command that calls this before its
    own imports has both done in the time of the longer; the pool uses the running server."""
    if processes > 1:
        multiprocessing.forkserver.set_forkserver_preload(PRELOAD)
        _start_fork_server_deaf_to_ctrl_c()


def _start_fork_server_deaf_to_ctrl_c() -> None:
    """Start the fork server with SIGINT ignored, which it keeps across its exec.

    The fork server imports the parsing package before it protects itself from Ctrl-C;
    a Ctrl-C in that second (the terminal signals the whole process group) printed a
    KeyboardInterrupt traceback from it and broke the pool. Python leaves an ignored
    SIGINT ignored, so the server and the workers it forks never see it; the crawl
    process handles Ctrl-C and closes the pool.
    """
    if threading.current_thread() is not threading.main_thread():
        multiprocessing.forkserver.ensure_running()  # signal handlers can only be set in the main thread
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        multiprocessing.forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGINT, previous)


@contextmanager
def _ctrl_c_held() -> Iterator[None]:
    """Hold back Ctrl-C while the executor takes work: it starts workers then, and a Ctrl-C in
    the middle of a start left a worker the executor never learned of, which then failed to
    open the pool's semaphores (already removed as the process ended) and printed a
    multiprocessing traceback. A Ctrl-C that comes meanwhile is noted and raised again right
    after the call, to the handler that was in place (KeyboardInterrupt, Scrapy's shutdown);
    closing the pool then waits for every worker. Handlers can only be set in the main thread."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: held.append(signum)) or signal.SIG_DFL
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if held:
            signal.raise_signal(signal.SIGINT)


def _exit_with(crawl_pid: int) -> None:
    """In a pool worker: ignore Ctrl-C, and end this process soon after the process that started the pool is gone.

    Ctrl-C in a terminal interrupts the whole process group: the crawl stops itself and
    closes the pool, while a worker left to the signal would die mid-task and print a
    KeyboardInterrupt traceback for each process. The workers are children of the fork
    server, not of that process, so nothing tells them when it is killed (SIGKILL, an
    out-of-memory kill); without the watch they would wait for work forever.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while True:
            time.sleep(PARENT_CHECK_SECONDS)
            try:
                os.kill(crawl_pid, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:  # the pid now belongs to someone else's process
                os._exit(0)

    threading.Thread(target=watch, name="crawl-watch", daemon=True).start()


def _parse(
    body: bytes, url: str, content_type: str | None, now: datetime | None = None, template: SiteTemplate | None = None
) -> ParseResult:
    from crawler.parsing import parse_page  # imported by the fork server before any worker runs this

    return parse_page(body, url, content_type=content_type, now=now, template=template)


# The fix below overrides two private pieces of CPython's executor, as 3.11 to 3.13 write them; where
# they are missing (a later Python), the plain executor is used (``_executor_class``).
_INTERNALS = (hasattr(process, "_ExecutorManagerThread") and hasattr(process, "_threads_wakeups")
              and hasattr(getattr(process, "_ExecutorManagerThread", None), "terminate_broken")
              and hasattr(ProcessPoolExecutor, "_start_executor_manager_thread"))


class _ManagerThread(process._ExecutorManagerThread if _INTERNALS else threading.Thread):  # type: ignore[misc]  # noqa: SLF001
    """The executor's manager thread, failing the calls pending on a broken pool under the lock
    that ``submit`` holds while it checks the pool and adds a call.

    CPython 3.11 marks the pool broken, then fails and forgets the pending calls, without that
    lock: a call submitted just as a worker died could pass the check before the mark and be
    added after the forgetting, and was then never run nor failed (a crawl waited on its page
    forever; ``test_a_call_handed_over_as_a_worker_dies_is_answered``). Under the lock a call
    either sees the broken pool or is failed with the others, and ``ParsePool`` makes it again.
    The rest (ending the workers, closing the queues) is the executor's own, after the lock.
    """

    def terminate_broken(self, cause: Any) -> None:
        with self.shutdown_lock:
            executor = self.executor_reference()
            if executor is not None:
                executor._broken = "A child process terminated abruptly, the process pool is not usable anymore"
                executor._shutdown_thread = True
            error = BrokenProcessPool("A process in the process pool was terminated abruptly while the future "
                                      "was running or pending.")
            for work_item in self.pending_work_items.values():
                if not work_item.future.done():
                    work_item.future.set_exception(error)
            self.pending_work_items.clear()
        super().terminate_broken(cause)


class _Executor(ProcessPoolExecutor):
    """``ProcessPoolExecutor`` with the manager thread above."""

    def _start_executor_manager_thread(self) -> None:
        if self._executor_manager_thread is None:
            if not self._safe_to_dynamically_spawn_children:  # the fork start method: not the pool's
                self._launch_processes()
            self._executor_manager_thread = _ManagerThread(self)
            self._executor_manager_thread.start()
            process._threads_wakeups[self._executor_manager_thread] = self._executor_manager_thread_wakeup


def _executor_class() -> type[ProcessPoolExecutor]:
    """``_Executor`` where the executor's internals are the ones its fix was written against."""
    return _Executor if _INTERNALS else ProcessPoolExecutor


class Submitted(Generic[T]):
    """A batch handed to the pool (``ParsePool.submit_all``); ``results()`` waits for it."""

    def __init__(self, pool: ParsePool, function: Callable[..., T], batch: list[tuple[Any, ...]], what: str) -> None:
        self.pool, self.function, self.batch, self.what = pool, function, batch, what
        self.executor: ProcessPoolExecutor | None = None
        self.futures: list[Future[T]] = []
        self.broken = False  # the pool broke while the batch was handed over: results() goes one by one
        if pool.inline or not batch:
            return
        try:
            self.executor = pool._ensure_started()
            self.futures = [pool._submit(function, args) for args in batch]
        except BrokenProcessPool:
            self.broken = True

    def results(self) -> list[T | ParseCrashed]:
        """The results in order (see ``ParsePool.run_all``)."""
        pool, function, batch = self.pool, self.function, self.batch
        if pool.inline:
            return [function(*args) for args in batch]
        if not self.broken:
            try:
                return [future.result() for future in self.futures]
            except BrokenProcessPool:
                pass
        logger.warning("a pool worker died on a batch of %d (%s); restarting the pool", len(batch), self.what)
        pool._discard_broken(self.executor)
        return [pool._one_by_one(function, args, self.what) for args in batch]


class ParsePool:
    def __init__(self, processes: int) -> None:
        self.processes = processes
        self._executor: ProcessPoolExecutor | None = None

    @classmethod
    def from_settings(cls, settings: Any) -> ParsePool:
        return cls(pool_size(settings.getint("NEWSCRAWL_PARSE_PROCESSES")))

    @property
    def inline(self) -> bool:
        return self.processes <= 1

    def _start(self) -> ProcessPoolExecutor:
        start_fork_server(self.processes)
        return _executor_class()(max_workers=self.processes, mp_context=multiprocessing.get_context("forkserver"),
                                 initializer=_exit_with, initargs=(os.getpid(),))

    def _ensure_started(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = self._start()
        return self._executor

    def _submit(self, function: Callable[..., T], args: tuple[Any, ...]) -> Future[T]:
        executor = self._ensure_started()
        if len(getattr(executor, "_processes", None) or ()) >= self.processes:
            return executor.submit(function, *args)  # every worker is up: the call starts none
        with _ctrl_c_held():
            return executor.submit(function, *args)

    async def parse(
        self,
        body: bytes,
        url: str,
        content_type: str | None = None,
        now: datetime | None = None,
        template: SiteTemplate | None = None,
    ) -> ParseResult:
        """The page's parse result, from a pool process (or inline with one process); ``now`` is
        the fetch time, ``template`` the site's template hint (``parse_page``)."""
        return await self.run(_parse, body, url, content_type, now, template, what=url)

    async def run(self, function: Callable[..., T], *args: Any, what: str = "") -> T:
        """``function(*args)`` in a pool process (inline with one process). ``function`` must be a
        module-level function and its arguments and result picklable; ``what`` names the work in
        the message when a worker dies."""
        if self.inline:
            return function(*args)
        for attempt in (1, 2):
            try:
                return await asyncio.wrap_future(self._submit(function, args))
            except BrokenProcessPool:
                logger.warning("a pool worker died on %s (attempt %d); restarting the pool", what, attempt)
                self._discard_broken()
        raise ParseCrashed(f"{what or function.__name__} killed a pool worker twice")

    def run_all(
        self, function: Callable[..., T], arguments: Iterable[tuple[Any, ...]], *, what: str = ""
    ) -> list[T | ParseCrashed]:
        """``function(*args)`` for each tuple of ``arguments``, spread over the pool, results in order.

        Blocks until all are done. A call whose worker died twice gives a ``ParseCrashed`` in
        its place; the other calls still give their results. An exception the function raises
        is raised here, as inline.
        """
        return self.submit_all(function, arguments, what=what).results()

    def submit_all(
        self, function: Callable[..., T], arguments: Iterable[tuple[Any, ...]], *, what: str = ""
    ) -> Submitted[T]:
        """Hand the batch to the pool and return at once; ``results()`` gives what ``run_all``
        would (with one process the calls run then, in this process)."""
        return Submitted(self, function, list(arguments), what)

    def _one_by_one(self, function: Callable[..., T], args: tuple[Any, ...], what: str) -> T | ParseCrashed:
        for attempt in (1, 2):
            try:
                return self._submit(function, args).result()
            except BrokenProcessPool:
                logger.warning("a pool worker died on %s (attempt %d); restarting the pool", what, attempt)
                self._discard_broken()
        return ParseCrashed(f"{what or function.__name__} killed a pool worker twice")

    def _discard_broken(self, broken: ProcessPoolExecutor | None = None) -> None:
        """Drop a broken executor (``broken``: the one a batch was handed to; one started
        since to replace it is kept). Its surviving workers are terminated first: Python
        3.11's executor joins them when it breaks, and a worker it had just started waits
        for work forever, which would hang the process at exit."""
        if broken is not None and broken is not self._executor:
            return
        executor, self._executor = self._executor, None
        if executor is None:
            return
        for process in list(getattr(executor, "_processes", {}).values()):
            if process.is_alive():
                process.terminate()
        executor.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        """Wait for the work the workers have begun (work not begun yet is cancelled), then end
        the workers. A Ctrl-C while waiting (a second one, after the Ctrl-C that stopped the
        command) ends the workers at once: before, it left the executor half shut down and the
        process hung at exit, joining workers that still parsed (or waited for work) long after
        "interrupted" was printed."""
        if self._executor is None:
            return
        try:
            self._executor.shutdown(wait=True, cancel_futures=True)
        except KeyboardInterrupt:
            self._discard_broken()
            raise
        self._executor = None
