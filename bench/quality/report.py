"""The benchmark table, the target verdicts, and its section of docs/benchmarks.md."""

from __future__ import annotations

import platform
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bench.quality.process_time import BASELINE, ProcessTiming
from bench.quality.scoring import FundusScores, Ratio, SystemScores
from bench.quality.systems import DISTRIBUTIONS, OURS, TRAFILATURA, version
from bench.quality.timing import Timing

SECTION_START = "<!-- bench-quality:start (written by `python -m bench.quality`; edits here are overwritten) -->"
SECTION_END = "<!-- bench-quality:end -->"
NA = "n/a"


@dataclass(frozen=True, slots=True)
class Verdict:
    measure: str
    target: str
    met: bool | None  # None: not measured in this run
    margin: str


def _f(value: float | None) -> str:
    return NA if value is None else f"{value:.3f}"


def _ratio(ratio: Ratio | None) -> str:
    if ratio is None or ratio.value is None:
        return NA
    return f"{ratio.value:.3f} ({ratio.hits}/{ratio.total})"


def _value(ratio: Ratio | None) -> float | None:
    return None if ratio is None else ratio.value


def _at_least(measure: str, value: float | None, floor: float) -> Verdict:
    if value is None:
        return Verdict(measure, f">= {floor}", None, "not measured")
    return Verdict(measure, f">= {floor}", value >= floor, f"{value - floor:+.3f}")


def _above_trafilatura(measure: str, ours: float | None, theirs: float | None, floor: float, lead: float) -> Verdict:
    """``ours >= floor`` and ``ours >= theirs + lead`` (either part dropped when its floor is None)."""
    required = " and ".join(
        ([f">= {floor}"] if floor else []) + [f">= trafilatura + {lead}" if lead else "above trafilatura"]
    )
    if ours is None or theirs is None:
        return Verdict(measure, required, None, "not measured" if ours is None else "trafilatura not run")
    met = ours >= theirs + lead if lead else ours > theirs
    margins = [f"{ours - theirs:+.3f} vs trafilatura"]
    if floor:
        met = met and ours >= floor
        margins.insert(0, f"{ours - floor:+.3f} vs {floor}")
    return Verdict(measure, required, met, ", ".join(margins))


def _fundus_verdicts(ours: FundusScores | None, theirs: FundusScores | None) -> list[Verdict]:
    ours = ours or FundusScores()
    return [
        _above_trafilatura("fundus-dev body word F1", ours.body_f1, theirs.body_f1 if theirs else None, 0, 0.01),
        _at_least("fundus-dev date: day", _value(ours.day), 0.98),
        _at_least("fundus-dev date: instant within a minute (truths with a time)", _value(ours.instant), 0.98),
        _at_least("fundus-dev authors (any one name)", _value(ours.author), 0.90),
        _at_least("fundus-dev article detection recall", _value(ours.detection_recall), 1.0),
    ]


def verdicts(scores: dict[str, SystemScores], timing: Timing | None, processes: ProcessTiming | None = None) -> list[Verdict]:
    """Issue 3's targets, and issue 12's where it raised or added them."""
    ours = scores.get(OURS, SystemScores())
    theirs = scores.get(TRAFILATURA)
    found = [
        _above_trafilatura("aeb-dev body F1", ours.aeb_f1, theirs.aeb_f1 if theirs else None, 0.98, 0),
        _at_least("wcxb-dev article body word F1", ours.wcxb_body_f1, 0.955),
        _at_least("wcxb-dev title accuracy", _value(ours.title), 0.90),
        _at_least("wcxb-dev date accuracy", _value(ours.date), 0.93),
        _at_least("wcxb-dev author accuracy", _value(ours.author), 0.88),
        _at_least("wcxb-dev article detection precision", _value(ours.detection_precision), 0.97),
        _at_least("wcxb-dev article detection recall", _value(ours.detection_recall), 0.95),
        *_fundus_verdicts(ours.fundus, theirs.fundus if theirs else None),
    ]
    found.append(_parse_time_verdict(processes))
    return found


def _parse_time_verdict(processes: ProcessTiming | None) -> Verdict:
    """Judged on the median of the paired rounds' ratios; the margin shows their spread."""
    measure, target = "parse time vs trafilatura, whole processes", "<= 0.5x"
    ratio = processes.ratio(OURS, TRAFILATURA) if processes else None
    if processes is None or ratio is None:
        return Verdict(measure, target, None, "not measured")
    low, high = processes.spread(OURS, TRAFILATURA)  # type: ignore[misc]
    rounds = len(processes.paired_ratios(OURS, TRAFILATURA))
    every = "every round under" if high <= 0.5 else ("every round over" if low > 0.5 else "rounds on both sides")
    margin = f"{ratio:.3f}x, median of {rounds} paired rounds (spread {low:.3f}-{high:.3f}x: {every})"
    return Verdict(measure, target, ratio <= 0.5, margin)


def _fundus_rows(row) -> None:
    def field(name: str):
        return lambda s: NA if s.fundus is None else _ratio(getattr(s.fundus, name))

    row("fundus-dev body word F1", lambda s: NA if s.fundus is None else _f(s.fundus.body_f1))
    row("fundus-dev title accuracy", field("title"))
    row("fundus-dev date: day", field("day"))
    row("fundus-dev date: instant within a minute", field("instant"))
    row("fundus-dev authors (any one name)", field("author"))
    row("fundus-dev is-article recall", field("detection_recall"))


def _timing_rows(lines: list[str], systems: list[str], timing: Timing | None, processes: ProcessTiming | None) -> None:
    if timing is not None:
        cells = []
        for name in systems:
            if name == OURS:
                cells.append(f"{timing.ours_ms:.1f} ({timing.ratio:.2f}x)")
            elif name == TRAFILATURA:
                cells.append(f"{timing.trafilatura_ms:.1f} (1.00x)")
            else:
                cells.append(NA)
        lines.append(f"| median ms/page, {timing.pages} pages, interleaved in one process | " + " | ".join(cells) + " |")
    if processes is not None:
        cells = []
        for name in systems:
            seconds = processes.seconds(name)
            ratio, spread = processes.ratio(name, TRAFILATURA), processes.spread(name, TRAFILATURA)
            cell = NA if seconds is None else f"{seconds:.1f}"
            if ratio is not None and spread is not None and name != TRAFILATURA:
                cell += f" ({ratio:.3f}x; {spread[0]:.3f}-{spread[1]:.3f}x)"
            elif ratio is not None:
                cell += " (1.00x)"
            cells.append(cell)
        label = (
            f"CPU s of a whole fresh process over the same {processes.pages} pages, imports included: median of"
            f" {processes.repeats} rounds run A B A B; (median ratio to trafilatura of the paired rounds; least-greatest)"
            f" (loading the pages alone: {processes.seconds(BASELINE) or 0:.1f} s)"
        )
        lines.append(f"| {label} | " + " | ".join(cells) + " |")


def table(
    systems: list[str], scores: dict[str, SystemScores], timing: Timing | None, processes: ProcessTiming | None = None
) -> str:
    header = "| measure | " + " | ".join(f"{DISTRIBUTIONS[name]} {version(name)}" for name in systems) + " |"
    lines = [header, "|---" * (len(systems) + 1) + "|"]

    def row(label: str, cell) -> None:
        cells = [cell(scores[name]) for name in systems]
        if any(value != NA for value in cells):  # a dataset left out of the run leaves no empty rows
            lines.append(f"| {label} | " + " | ".join(cells) + " |")

    row("aeb-dev body F1 (shingles)", lambda s: _f(s.aeb_f1))
    row("aeb-dev body precision / recall", lambda s: NA if s.aeb_f1 is None else f"{s.aeb_precision:.3f} / {s.aeb_recall:.3f}")
    row("wcxb-dev article body word F1", lambda s: _f(s.wcxb_body_f1))
    row("wcxb-dev title accuracy", lambda s: _ratio(s.title))
    row("wcxb-dev date accuracy (day)", lambda s: _ratio(s.date))
    row("wcxb-dev author accuracy (any)", lambda s: _ratio(s.author))
    row("wcxb-dev is-article precision", lambda s: _ratio(s.detection_precision))
    row("wcxb-dev is-article recall", lambda s: _ratio(s.detection_recall))
    _fundus_rows(row)
    row("pages that raised an error", lambda s: str(s.errors))
    _timing_rows(lines, systems, timing, processes)
    return "\n".join(lines)


def verdict_table(found: list[Verdict]) -> str:
    lines = ["| target | required | met | margin |", "|---|---|---|---|"]
    for verdict in found:
        met = "not measured" if verdict.met is None else ("yes" if verdict.met else "**no**")
        lines.append(f"| {verdict.measure} | {verdict.target} | {met} | {verdict.margin} |")
    return "\n".join(lines)


def _commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "crawler"], capture_output=True, text=True)
        return out.stdout.strip() + (" (crawler/ has uncommitted changes)" if dirty.stdout.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def section(command: str, systems: list[str], body_table: str, found: list[Verdict], notes: list[str]) -> str:
    versions = ", ".join(f"{DISTRIBUTIONS[name]} {version(name)}" for name in systems)
    parts = [
        SECTION_START,
        "## Extraction quality (bench/quality)",
        "",
        f"Command: `{command}`  ",
        f"Commit {_commit()}; Python {platform.python_version()}; {versions}.  ",
        "Comparison rules: bench/quality/README.md. Higher is better except ms/page.",
        "",
        body_table,
        "",
        verdict_table(found),
    ]
    if notes:
        parts += ["", *(f"- {note}" for note in notes)]
    parts += [SECTION_END]
    return "\n".join(parts) + "\n"


def write_section(path: Path, text: str) -> None:
    """Replace this benchmark's section of ``path``, keeping everything else in the file."""
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    start, end = current.find(SECTION_START), current.find(SECTION_END)
    if start != -1 and end > start:
        rest = current[end + len(SECTION_END) :].lstrip("\n")
        updated = current[:start] + text + ("\n" + rest if rest else "")
    else:
        updated = current.rstrip("\n") + "\n\n" + text
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(updated, encoding="utf-8")
