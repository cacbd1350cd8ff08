"""Speed in whole processes: each system parses the same pages in a fresh Python process.

The interleaved median of timing.py measures one call on a warm interpreter. A crawler pays
more than that: the imports, the first calls that fill caches, the garbage collector over a
long run. Here each system runs in its own new process over every page (the pages are decoded
and stored once, beforehand, in a pickle the process loads), and the parent reads the child's
CPU seconds (user + system, from ``os.wait4``): interpreter start, imports, loading the pages
and parsing them all. A baseline process that only loads the pages shows the fixed share.
CPU seconds, unlike wall time, hardly move when another process shares the core.

They still move between rounds on a shared machine (caches and cores shared with other jobs:
one checkout's CPU seconds have differed by up to a third from one round to the next), so the
systems are run in rounds, every system once a round in the same order (A B A B ...), and the
ratio of two systems is read per round, from the two processes that ran next to each other: the
report gives the median of those paired ratios and their spread (least and greatest), not the
least seconds of each side, which can come from different rounds.

    python -m bench.quality.process_time SYSTEM PAGES.pickle   # the child; SYSTEM may be "baseline"
"""

from __future__ import annotations

import os
import pickle
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from bench.quality.datasets import Page

BASELINE = "baseline"  # loads the pages, parses nothing


@dataclass(frozen=True, slots=True)
class ProcessTiming:
    pages: int
    rounds: dict[str, list[float]] = field(default_factory=dict)  # system -> CPU s of each round, in run order

    @property
    def repeats(self) -> int:
        return max((len(seconds) for seconds in self.rounds.values()), default=0)

    def seconds(self, system: str) -> float | None:
        """The median CPU seconds of ``system``'s rounds."""
        return statistics.median(self.rounds[system]) if self.rounds.get(system) else None

    def paired_ratios(self, system: str, reference: str) -> list[float]:
        """``system`` / ``reference`` in each round (the two ran one after the other)."""
        pairs = zip(self.rounds.get(system, ()), self.rounds.get(reference, ()), strict=False)
        return [mine / theirs for mine, theirs in pairs if theirs]

    def ratio(self, system: str, reference: str) -> float | None:
        """The median of the paired ratios; None when either side was not run."""
        ratios = self.paired_ratios(system, reference)
        return statistics.median(ratios) if ratios else None

    def spread(self, system: str, reference: str) -> tuple[float, float] | None:
        """The least and the greatest paired ratio."""
        ratios = self.paired_ratios(system, reference)
        return (min(ratios), max(ratios)) if ratios else None


def _cpu_seconds_of_child(system: str, pages_file: Path) -> float:
    """Run one child to its end; its user + system CPU seconds."""
    command = [sys.executable, "-m", "bench.quality.process_time", system, str(pages_file)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited with {process.returncode}")
    return usage.ru_utime + usage.ru_stime


def measure_processes(pages: list[Page], systems: list[str], *, repeats: int = 1) -> ProcessTiming:
    """Each system (after the baseline) over ``pages`` in a fresh process, once a round, in the
    same order every round (baseline, A, B, baseline, A, B, ...), for ``repeats`` rounds."""
    documents = [(page.html(), page.url) for page in pages]
    rounds: dict[str, list[float]] = {system: [] for system in (BASELINE, *systems)}
    with tempfile.TemporaryDirectory(prefix="bench-quality-") as folder:
        pages_file = Path(folder) / "pages.pickle"
        pages_file.write_bytes(pickle.dumps(documents, protocol=pickle.HIGHEST_PROTOCOL))
        for _ in range(repeats):
            for system in rounds:
                rounds[system].append(_cpu_seconds_of_child(system, pages_file))
    return ProcessTiming(len(documents), rounds)


def _child(system: str, pages_file: Path) -> None:
    documents = pickle.loads(pages_file.read_bytes())
    if system == BASELINE:
        return
    from bench.quality.systems import run_safely

    for html, url in documents:
        run_safely(system, html, url)


if __name__ == "__main__":
    _child(sys.argv[1], Path(sys.argv[2]))
