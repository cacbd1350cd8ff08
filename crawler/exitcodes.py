"""The exit codes of every command that runs a crawl, in one place, for cron users.

docs/scheduling.md and `newscrawl crawl --help` list them; scripts compare against
these names. The numbers are fixed: a scheduled job's wrapper may depend on them.

| code | name            | meaning                                                                         |
|------|-----------------|---------------------------------------------------------------------------------|
| 0    | SUCCESS         | the run finished; nothing failed (it may have found nothing new)                |
| 1    | NOTHING_STORED  | pages were tried and every one failed or was skipped: no article stored          |
| 2    | USAGE           | bad command line (click's own code for usage errors)                             |
| 3    | PARTIAL         | articles stored, some pages failed (reasons in the failures table)               |
| 4    | COULD_NOT_RUN   | the crawl could not run or finish: database, settings, profiles file or start   |
|      |                 | URLs unusable, or the database stopped taking writes (disk full, read-only, I/O |
|      |                 | error) mid-crawl, even after some articles were stored                          |
| 5    | ALREADY_RUNNING | another run of the same site into the same database holds the lock; nothing done |
| 6    | DEGRADED        | articles stored, but a site's share of articles with a date, authors, a body of |
|      |                 | normal length or prev/next links dropped against its earlier runs (a template   |
|      |                 | change?); `newscrawl runs` and the log name the site and field                  |
| 130  | INTERRUPTED     | stopped by Ctrl-C or SIGTERM; what was fetched is stored, the next run resumes   |
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum


class ExitCode(IntEnum):
    SUCCESS = 0
    NOTHING_STORED = 1
    USAGE = 2
    PARTIAL = 3
    COULD_NOT_RUN = 4
    ALREADY_RUNNING = 5
    DEGRADED = 6
    INTERRUPTED = 130


# A run's outcome (the runs table's ``outcome``) -> the command's exit code.
OUTCOME_CODES = {
    "already_running": ExitCode.ALREADY_RUNNING,
    "success": ExitCode.SUCCESS,
    "partial": ExitCode.PARTIAL,
    "failed": ExitCode.NOTHING_STORED,
    "interrupted": ExitCode.INTERRUPTED,
    "could_not_run": ExitCode.COULD_NOT_RUN,
    "storage_error": ExitCode.COULD_NOT_RUN,  # the database stopped taking writes mid-crawl (disk full, read-only, I/O error)
}


def outcome_code(outcome: str) -> ExitCode:
    """The exit code of a run's outcome (NOTHING_STORED for one not in the table)."""
    return OUTCOME_CODES.get(outcome, ExitCode.NOTHING_STORED)


# From least to most serious: what one command reports for several runs (--all-sites).
_SERIOUSNESS = (
    ExitCode.SUCCESS,
    ExitCode.PARTIAL,
    ExitCode.DEGRADED,
    ExitCode.ALREADY_RUNNING,
    ExitCode.NOTHING_STORED,
    ExitCode.INTERRUPTED,
    ExitCode.COULD_NOT_RUN,
    ExitCode.USAGE,
)


def worst(codes: Iterable[int]) -> ExitCode:
    """The most serious of several runs' exit codes (SUCCESS for none)."""
    return max((ExitCode(code) for code in codes), key=_SERIOUSNESS.index, default=ExitCode.SUCCESS)
