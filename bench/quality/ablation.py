"""Leave one body rule out: each named rule of ``crawler/parsing/body`` switched off in turn, and
the change in body F1 on every set, so a rule is kept or dropped on data it was not fitted on.

    python -m bench.quality.ablation [--rules all|a,b] [--only aeb,wcxb,fundus,generated]
                                     [--seeds 4000:4040] [--pages 8] [--limit N] [--workers 2]
                                     [--held fundus,generated] [--pages-moved]

Each page is loaded once (``load_document``) and read by ``read_body`` with every rule on (the
base) and with each asked rule off; a rule is switched off by replacing, for that one reading,
the module attributes that carry it (``Rule.patches``: a function that finds nothing, a pattern
that matches nothing, a bound no text reaches). Columns, body F1 as the bench scores it:
- ``aeb``: aeb-dev, the AEB shingle F1 (``metrics.shingle_scores``);
- ``wcxb-fit`` / ``wcxb-held``: wcxb-dev's article pages split by host, fixed before any miss was
  read (the titles' split of session 10): the even first byte of ``sha1(host)`` (lower case,
  ``www.`` removed) is the fit half, the odd the held half; word F1;
- ``fundus``: fundus-dev, word F1;
- ``generated``: ``bench.template.sites`` pages of ``--seeds`` (body truth per page), word F1.
The base row gives each column's F1, a rule's row its change in units of 1e-4 and, in brackets,
the pages whose body changed; ``held`` sums the changes of the ``--held`` columns (the sets the
rule was not written on: the body rules were written on aeb-dev and wcxb-dev misses). A rule is a
removal candidate where switching it off loses on its own sets and not on the held sum.
``--pages-moved`` lists, per rule, each page whose body changed with its host and F1 on -> off
(whether a rule's gain comes from many sites or from one).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from urllib.parse import urlsplit

from bench.quality.datasets import AEB, DEFAULT_DATA_DIR, FUNDUS, LOADERS, WCXB, present
from bench.quality.metrics import shingle_scores, word_f1

BASE = "base"
GENERATED = "generated"
WCXB_FIT, WCXB_HELD = "wcxb-fit", "wcxb-held"
COLUMNS = (AEB, WCXB_FIT, WCXB_HELD, FUNDUS, GENERATED)
SETS = (AEB, WCXB, FUNDUS, GENERATED)
DEFAULT_SEEDS = "4000:4040"  # generated sites no body rule was written on (session 10's held set)
DEFAULT_HELD = (FUNDUS, GENERATED)
UNIT = 1e-4  # a rule's row gives its change in F1 in these units

NOTHING = re.compile(r"(?!)")  # a pattern that matches no text
BLOCKS, REGION, LINES, BODY = (
    "crawler.parsing.body.blocks",
    "crawler.parsing.body.region",
    "crawler.parsing.body.lines",
    "crawler.parsing.body",
)


def _no_boxes(root: object) -> set:
    return set()


def _same_blocks(blocks: list) -> list:
    return blocks


def _never(*args: object) -> bool:
    return False


def _no_teasers(page, sizes, prose) -> list[bool]:  # noqa: ANN001 - region._teaser_items' signature
    return [False] * len(page.parents)


def _unchecked(paragraphs: list[str], structured: list[str]) -> list[str]:
    return paragraphs


def _no_notes(paragraphs: list[str], authors: set[str]) -> list[str]:
    return paragraphs


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    about: str
    patches: tuple[tuple[str, str, object], ...]  # (module, attribute, its value while the rule is off)
    markers: bool = False  # the rule reads class/id words: blocks' marker cache is emptied around it


RULES = (
    Rule("image-boxes", "an image's box of at most 300 characters is furniture", ((BLOCKS, "image_boxes", _no_boxes),)),
    Rule("signup-boxes", "an email or phone field's small box is furniture", ((BLOCKS, "signup_boxes", _no_boxes),)),
    Rule("copies", "a container read a second time (responsive copy) goes", ((BODY, "drop_copies", _same_blocks),)),
    Rule("wrapper", "a child holding most of a content container's text is content", ((REGION, "WRAPPER_SHARE", float("inf")),)),
    Rule("linked-headings", "a linked <h2>-<h6> over prose is kept", ((REGION, "_heads_prose", _never),)),
    Rule("folded-panels", "hidden panels marked as folded (accordion) are read", ((BLOCKS, "FOLDED_ATTR", NOTHING),), True),
    Rule("teaser-lists", "alike short linked siblings are a teaser list", ((REGION, "_teaser_items", _no_teasers),)),
    Rule("content-bonus", "a container marked as content gets a bonus", ((REGION, "CONTENT_BONUS", 0.0),)),
    Rule("content-words", "class/id words marking the article's own text", ((BLOCKS, "CONTENT_ATTR", NOTHING),), True),
    Rule("furniture-words", "class/id words of furniture (share, related, sidebar, ...)", ((BLOCKS, "FURNITURE_ATTR", NOTHING),), True),
    Rule("navigation-words", "class/id words of navigation (nav, menu, pager, ...)", ((BLOCKS, "NAVIGATION_ATTR", NOTHING),), True),
    Rule("strong-words", "class/id words of comments and consent banners", ((BLOCKS, "STRONG_ATTR", NOTHING),), True),
    Rule("hidden-words", "class words that hide (hidden, sr-only, ...)", ((BLOCKS, "HIDDEN_CLASS", NOTHING),), True),
    Rule("furniture-phrases", "paragraphs that are a furniture phrase alone", ((LINES, "FURNITURE_PHRASE", NOTHING),)),
    Rule("neighbour-headline", "the short headline after a previous/next label", ((LINES, "NEIGHBOUR_LABEL", NOTHING),)),
    Rule("furniture-sections", "a furniture heading and its section", ((LINES, "SECTION_HEADING", NOTHING),)),
    Rule("datelines", "a short paragraph holding a <time>", ((LINES, "DATELINE_MAX_CHARS", -1),)),
    Rule("bylines-dates", "a byline or a date alone", ((LINES, "_is_byline", _never), (LINES, "_is_date", _never))),
    Rule("caption-credits", "a caption ending in a credit", ((LINES, "CAPTION_CREDIT", NOTHING),)),
    Rule("author-notes", "a closing note opening with an author's name", ((BODY, "drop_author_notes", _no_notes),)),
    Rule("json-ld-check", "paragraphs JSON-LD articleBody does not support go", ((BODY, "cross_check", _unchecked),)),
)
BY_NAME = {rule.name: rule for rule in RULES}


@contextmanager
def switched_off(rule: Rule | None) -> Iterator[None]:
    """The body reader with ``rule`` off (None: every rule on), restored on the way out."""
    if rule is None:
        yield
        return
    blocks = importlib.import_module(BLOCKS)
    saved = []
    for module_name, attribute, value in rule.patches:
        module = importlib.import_module(module_name)
        saved.append((module, attribute, getattr(module, attribute)))  # an AttributeError names a renamed rule
        setattr(module, attribute, value)
    if rule.markers:
        blocks._MARKERS.clear()
    try:
        yield
    finally:
        for module, attribute, value in saved:
            setattr(module, attribute, value)
        if rule.markers:
            blocks._MARKERS.clear()


@dataclass(frozen=True, slots=True)
class Item:
    column: str  # one of COLUMNS
    key: str
    html: str
    url: str
    truth: str


def wcxb_half(url: str) -> str:
    """WCXB_FIT or WCXB_HELD: the parity of the first byte of sha1(host), ``www.`` removed."""
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    return WCXB_FIT if hashlib.sha1(host.encode()).digest()[0] % 2 == 0 else WCXB_HELD


def items(sets: Sequence[str], *, data_dir: Path, seeds: range, pages: int, limit: int = 0) -> list[Item]:
    """Every page the run scores: aeb-dev, wcxb-dev's articles, fundus-dev, generated sites."""
    found: list[Item] = []
    for name in sets:
        if name == GENERATED:
            from bench.template.sites import make_sites

            made = [(page.url, page.html, page.truth.body) for site in make_sites(seeds, pages=pages) for page in site.pages]
            found += [Item(GENERATED, f"{GENERATED}/{url}", html, url, body) for url, html, body in made[: limit or None]]
            continue
        loaded = [page for page in LOADERS[name](data_dir) if page.truth.is_article][: limit or None]
        for page in loaded:
            column = wcxb_half(page.url) if name == WCXB else name
            found.append(Item(column, f"{name}/{page.page_id}", page.html(), page.url, page.truth.body))
    return found


def read(html: str, url: str, rules: Sequence[Rule | None]) -> list[str | None]:
    """The page's body with every rule on or with each of ``rules`` off, the page loaded once."""
    from crawler.parsing.body import read_body
    from crawler.parsing.document import load_document

    try:
        doc = load_document(html, url)
    except ValueError:
        return [None] * len(rules)
    texts = []
    for rule in rules:
        with switched_off(rule):
            texts.append(read_body(doc).text)
    return texts


def _read_item(job: tuple[Item, tuple[str, ...]]) -> list[str | None]:
    item, names = job
    return read(item.html, item.url, [BY_NAME.get(name) for name in names])


@dataclass(frozen=True, slots=True)
class Moved:
    """A page whose body changed with a rule off: its F1 with the rule on and off."""

    key: str
    column: str
    host: str
    on: float
    off: float


@dataclass(slots=True)
class Table:
    """Body F1 per column with every rule on, and each rule's change and changed pages per column."""

    base: dict[str, float] = field(default_factory=dict)
    pages: dict[str, int] = field(default_factory=dict)
    deltas: dict[str, dict[str, float]] = field(default_factory=dict)  # rule -> column -> change in F1
    changed: dict[str, dict[str, int]] = field(default_factory=dict)  # rule -> column -> pages whose body changed
    moved: dict[str, list[Moved]] = field(default_factory=dict)  # rule -> the pages whose body changed, in page order


def score(column: str, pairs: list[tuple[str, str | None]]) -> float:
    """A column's body F1: the aeb metric on aeb-dev, the mean page word F1 elsewhere."""
    if column == AEB:
        return shingle_scores(pairs).f1
    return sum(word_f1(truth, text) for truth, text in pairs) / len(pairs)


def tabulate(found: list[Item], names: Sequence[str], texts: list[list[str | None]]) -> Table:
    """``texts[i][0]`` is item i's base body, ``texts[i][j + 1]`` its body with ``names[j]`` off."""
    table = Table()
    for column in COLUMNS:
        rows = [(item, read_) for item, read_ in zip(found, texts) if item.column == column]
        if not rows:
            continue
        base = score(column, [(item.truth, read_[0]) for item, read_ in rows])
        table.base[column], table.pages[column] = base, len(rows)
        for index, name in enumerate(names, start=1):
            value = score(column, [(item.truth, read_[index]) for item, read_ in rows])
            table.deltas.setdefault(name, {})[column] = value - base
            table.changed.setdefault(name, {})[column] = sum(read_[index] != read_[0] for _, read_ in rows)
    for index, name in enumerate(names, start=1):
        table.moved[name] = [
            Moved(item.key, item.column, urlsplit(item.url).hostname or "", score(item.column, [(item.truth, read_[0])]),
                  score(item.column, [(item.truth, read_[index])]))
            for item, read_ in zip(found, texts)
            if read_[index] != read_[0]
        ]
    return table


def render(table: Table, held: Sequence[str]) -> str:
    columns = [column for column in COLUMNS if column in table.base]
    held_columns = [column for column in columns if column in held or (column.startswith(WCXB) and WCXB in held)]
    head = ["rule switched off", *columns, f"held ({'+'.join(held_columns)})"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines.append("| (base: F1, pages) | " + " | ".join(f"{table.base[c]:.4f} ({table.pages[c]})" for c in columns) + " | |")
    for name, deltas in table.deltas.items():
        cells = [f"{deltas[c] / UNIT:+.1f} ({table.changed[name][c]})" for c in columns]
        held_sum = sum(deltas[c] for c in held_columns) / UNIT
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {held_sum:+.1f} |")
    return "\n".join(lines)


def render_pages(table: Table) -> str:
    """Per rule, each page whose body changed: its column, host and F1 with the rule on -> off."""
    lines = []
    for name, moved in table.moved.items():
        lines.append(f"{name}: {len(moved)} pages")
        lines += [f"  {m.column:10} {m.key:40} {m.host:32} {m.on:.3f} -> {m.off:.3f}" for m in moved]
    return "\n".join(lines)


def run(found: list[Item], names: Sequence[str], *, workers: int) -> Table:
    jobs = [(item, (BASE, *names)) for item in found]
    if workers > 1:
        with get_context("fork").Pool(workers) as pool:
            texts = pool.map(_read_item, jobs, chunksize=8)
    else:
        texts = [_read_item(job) for job in jobs]
    return tabulate(found, names, texts)


def _names(text: str) -> list[str]:
    if text == "all":
        return [rule.name for rule in RULES]
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in BY_NAME]
    if unknown:
        raise SystemExit(f"unknown rule(s): {', '.join(unknown)}; known: {', '.join(BY_NAME)}")
    return names


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.quality.ablation", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rules", default="all", help=f"'all' or comma-separated, from: {', '.join(BY_NAME)}")
    parser.add_argument("--only", default=",".join(SETS), help=f"comma-separated sets, from {', '.join(SETS)}")
    parser.add_argument("--seeds", default=DEFAULT_SEEDS, help="generated sites' seeds, START:STOP")
    parser.add_argument("--pages", type=int, default=8, help="pages per generated site")
    parser.add_argument("--limit", type=int, default=0, help="at most N pages per set (0 = all)")
    parser.add_argument("--workers", type=int, default=2, help="processes")
    parser.add_argument("--held", default=",".join(DEFAULT_HELD), help="columns summed as held out (wcxb = both halves)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR, help="folder holding aeb-dev/, wcxb-dev/, fundus-dev/")
    parser.add_argument("--list", action="store_true", help="print the rules and what each does, then exit")
    parser.add_argument("--pages-moved", action="store_true", help="after the table, each page a rule moves: host, F1 on -> off")
    return parser


def main(argv: list[str] | None = None, *, out: Callable[[str], None] = print) -> int:
    args = _parser().parse_args(argv)
    if args.list:
        for rule in RULES:
            out(f"{rule.name:20} {rule.about}")
        return 0
    from bench.template.sites import seed_range

    names = _names(args.rules)
    sets = [name for name in args.only.split(",") if name]
    unknown = sorted(set(sets) - set(SETS))
    if unknown:
        raise SystemExit(f"unknown set(s): {', '.join(unknown)}; known: {', '.join(SETS)}")
    missing = [name for name in sets if name != GENERATED and name not in present(args.data)]
    if missing:
        raise SystemExit(f"not found under {args.data}: {', '.join(missing)}")
    found = items(sets, data_dir=args.data, seeds=seed_range(args.seeds), pages=args.pages, limit=args.limit)
    table = run(found, names, workers=args.workers)
    out(render(table, [name for name in args.held.split(",") if name]))
    if args.pages_moved:
        out(render_pages(table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
