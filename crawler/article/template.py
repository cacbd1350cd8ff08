"""The site template step: where each field sits on a site's pages, learned across its pages.

Every article a crawl parses reports where each field was read (``ParseResult.field_paths``,
``crawler.parsing.template``). Per site (``PageItem.site``), this step counts those paths
(``crawler.article.sitevotes``); once a path held a field on NEWSCRAWL_TEMPLATE_MIN_PAGES pages
and on NEWSCRAWL_TEMPLATE_MIN_SHARE of the pages where the field was found, it is the site's
template for that field. The crawl hands the template to the parse of the site's later pages
(``TemplateBook.for_site``, read by the parse middleware and the spider), where the hinted
element corrects a page's outlier when the page confirms it.

A template pinned in a site profile (``[sites.NAME.template]`` in sites.toml) is used from the
first page; a learned path fills only the fields the pin leaves open.

Each page votes once per site, whatever the entry point: its vote is kept (``template_pages``),
and a page fetched again (a re-crawl, a feed saying it changed) or re-parsed (``reparse``) takes
its old vote back before it votes again. A site whose votes were kept before pages had votes of
their own (schema migration 19; ``SitePaths.unvoted``) counted its stored pages then: such a page,
met again without a vote of its own, is not counted a second time.

What was learned is kept in the database (``site_template_paths``, ``template_sites``, through
``crawler.storage.templates.TemplateStore``) and loaded when a site is first met, so the next run
starts from it; ``newscrawl templates`` shows it and prints it as a site profile to pin.

The pages whose fields do not all sit where the site's template says when they are met (pages
parsed before it was learned, and outliers) are remembered (storage key and field paths, at most
``MAX_EARLIER`` a site); when the run's rows are stored, those whose fields
sit elsewhere than the final template says are parsed again with it from the WARC archive and
their rows corrected (``crawler.article.recheck``), as furniture learning cleans earlier bodies.
So are the pages the fast path read by a site's layouts after their last agreeing verification
when a later verified page disagrees, and those still arriving read that way until a check agrees
again (the pages in flight): read again in full, every field that differs rewritten.

A hint corrects a page the site's template describes and the page alone reads wrong: an outlier
(the template is what most pages located on their own, so it cannot correct most of them unless
they changed). A hint that held on most of the pages it reached and then corrects most of the
site's latest ones (``STALE_CORRECTED`` of the last ``STALE_WINDOW``, after at most
``STALE_BEFORE_SHARE`` corrected before) no longer describes them: the site changed its template
and the old path still holds part of the field (a story split into two containers, the hint
keeping the first). Such a hint would re-earn itself, since a page votes for the path its hint
corrected: its votes are dropped (``SiteVotes.drop``), so the pages that follow vote where they
locate the field, a later run starts without it, and the pages it corrected are read again without
it at the end of the run (counted as newscrawl/template/stale/<field>, logged). A pinned field is
the user's and is not watched.

Counts: newscrawl/template/pages_observed, newscrawl/template/corrected/<field> (fields a hint
changed), newscrawl/template/sites_learned (sites with a template at the end of the run),
newscrawl/template/recheck/* (the end-of-run re-check).

The same votes count the site's article layouts for the template fast path
(``crawler.parsing.fastpath``): ``TemplateBook.for_page`` hands a site's confident layouts with
each of its pages and marks some to be read both ways (``crawler.article.verifying``: every
NEWSCRAWL_FAST_PATH_VERIFY_EVERY-th at first, less often while they agree, up to every
NEWSCRAWL_FAST_PATH_VERIFY_MAX_EVERY-th); a page read the fast way casts no vote, and one whose two
readings disagree makes the site earn its layouts again (``TemplateBook.distrust``, called by
``note_parse_path``, which every entry point calls for every page it parsed: it counts
newscrawl/template/parse_path/<path> and tells the site's schedule, ``TemplateBook.read``). The layouts'
counts are kept with the votes (``site_layouts``), so a later run, ``import`` and ``reparse`` hand
a site's confident layouts from its first page. A disagreement empties the site's kept layouts too
when the run closes.

The guards' state is kept too when the run closes (``crawler.storage.templates.SiteGuards``), so a
crawl made of many short runs (a scheduled incremental crawl) is guarded as one long run would
be: each site's verification schedule (its interval and the pages handed since its last check:
the next run takes it up where it stopped instead of checking from every
NEWSCRAWL_FAST_PATH_VERIFY_EVERY-th page again), each learned hint's watch (``HintRecord``: a
redesign met a few pages per run is found stale as in one run), and the pages to read again if a
later run finds them in doubt: the fast reads since the site's last agreeing check and the pages
each hint corrected. What a disagreement put in doubt is read again in its own run and not kept;
its site's schedule is kept as the disagreement set it back (every NEWSCRAWL_FAST_PATH_VERIFY_EVERY-th)
and its layouts are earned again. A site whose layouts were kept without a schedule (a database
from before schema migration 23) is verified on the first page a run hands them.

Settings: NEWSCRAWL_TEMPLATE_MIN_PAGES (0 switches learning off), NEWSCRAWL_TEMPLATE_MIN_SHARE,
NEWSCRAWL_FAST_PATH_MIN_PAGES (0 switches the fast path off), NEWSCRAWL_FAST_PATH_MIN_SHARE,
NEWSCRAWL_FAST_PATH_VERIFY_EVERY, NEWSCRAWL_FAST_PATH_VERIFY_MAX_EVERY.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from crawler.article.recheck import MAX_EARLIER, EarlierPage, Recheck, agrees
from crawler.article.sitevotes import SiteVotes
from crawler.article.step import ArticleConfig, ArticleStep, Tally
from crawler.article.verifying import VerifySchedule
from crawler.items import FailedPage, PageItem
from crawler.parsing.fastpath import DISAGREED, STATS_PREFIX, TEMPLATE, VERIFIED
from crawler.parsing.template import LAYOUT_FIELDS, RESULT_FIELDS, TEMPLATE_FIELDS, Layout, SiteTemplate
from crawler.storage import ArticleStore
from crawler.storage.templates import FAST_READS, KeptHint, KeptPage, SiteGuards, SitePaths, TemplateStore

logger = logging.getLogger(__name__)

STALE_WINDOW = 8  # a site's latest pages a field's hint reached (held or corrected) ...
STALE_CORRECTED = 6  # ... of which this many corrected by it: the hint is stale (module docstring) ...
STALE_BEFORE_SHARE = 0.25  # ... if it corrected at most this share of the pages it reached before them


@dataclass(slots=True)
class HintRecord:
    """What one field's hint did to the pages it reached: the latest ``STALE_WINDOW`` (corrected or
    held), and the pages before them."""

    path: str
    latest: deque[bool] = field(default_factory=lambda: deque(maxlen=STALE_WINDOW))
    before: int = 0  # pages reached before the latest
    before_corrected: int = 0

    def add(self, corrected: bool) -> bool:
        """One more page; whether the hint is now stale (held on most pages before, corrects most now)."""
        if len(self.latest) == STALE_WINDOW:
            self.before += 1
            self.before_corrected += self.latest[0]
        self.latest.append(corrected)
        return (len(self.latest) == STALE_WINDOW and sum(self.latest) >= STALE_CORRECTED
                and self.before_corrected <= STALE_BEFORE_SHARE * self.before)

    def kept(self) -> KeptHint:
        return KeptHint(self.path, tuple(self.latest), self.before, self.before_corrected)

    @classmethod
    def from_kept(cls, hint: KeptHint) -> HintRecord:
        return cls(hint.path, deque(hint.latest[-STALE_WINDOW:], maxlen=STALE_WINDOW), hint.before, hint.before_corrected)


@dataclass(slots=True)
class TemplateBook:
    """Each site's votes and pinned template; what the parse of the site's next page is given."""

    min_pages: int
    min_share: float
    fast_min_pages: int = 0  # NEWSCRAWL_FAST_PATH_MIN_PAGES (0: no layouts handed out)
    fast_min_share: float = 1.0
    verify_every: int = 1  # NEWSCRAWL_FAST_PATH_VERIFY_EVERY: the verification interval at first
    verify_most: int = 0  # NEWSCRAWL_FAST_PATH_VERIFY_MAX_EVERY: ... and at most (<= verify_every: fixed)
    sites: dict[str, SiteVotes] = field(default_factory=dict)
    store: TemplateStore | None = None
    pinned: dict[str, SiteTemplate] = field(default_factory=dict)  # site -> the profile's template
    unvoted: dict[str, int] = field(default_factory=dict)  # site -> pages its kept votes counted with no vote of their own
    schedules: dict[str, VerifySchedule] = field(default_factory=dict)  # site -> which pages handed a layout are checked
    distrusted: set[str] = field(default_factory=set)  # sites whose layouts a disagreement dropped in this run
    kept_guards: dict[str, SiteGuards] = field(default_factory=dict)  # site -> its guards as the last run left them

    def votes(self, site: str) -> SiteVotes:
        found = self.sites.get(site)
        if found is None:
            stored = self.store.load(site) if self.store is not None else None
            if stored is None:
                found = self.sites[site] = SiteVotes()
                return found
            found = self.sites[site] = SiteVotes.stored(site, stored.pages, stored.votes, stored.layouts)
            if stored.unvoted:
                self.unvoted[site] = stored.unvoted
            guards = self.kept_guards[site] = self.store.guards(site)  # type: ignore[union-attr]
            if guards.every is not None:  # taken up where the last run left it
                self.schedules[site] = VerifySchedule.kept(self.verify_every, self.verify_most, guards.every, guards.since)
            elif found.layouts:  # layouts kept without their schedule: the first page handed one is verified
                self.schedules[site] = VerifySchedule.checked_at_once(self.verify_every, self.verify_most)
        return found

    def guards(self, site: str) -> tuple[int, int]:
        """The site's verification schedule to keep: its interval and the pages handed its layouts
        since its last check (a site never handed one keeps a schedule not started, so that a
        later run does not take its layouts for ones kept without their schedule)."""
        schedule = self.schedules.get(site) or VerifySchedule(self.verify_every, self.verify_most)
        return schedule.every, schedule.since

    def learned(self, site: str) -> SiteTemplate:
        return self.votes(site).template(min_pages=self.min_pages, min_share=self.min_share)

    def for_site(self, site: str, pinned: SiteTemplate | None = None) -> SiteTemplate:
        """The hint for the site's next page: the pin, its open fields filled by what was learned
        (an empty template still asks the parser where each field was read)."""
        if pinned:
            self.pinned[site] = pinned
        return self.learned(site).pinned_by(pinned)

    def confident(self, site: str) -> tuple[Layout, ...]:
        """The site's layouts the fast path may read its pages by (none with the fast path off)."""
        if self.fast_min_pages <= 0:
            return ()
        return self.votes(site).confident_layouts(min_pages=self.fast_min_pages, min_share=self.fast_min_share)

    def for_page(self, site: str, pinned: SiteTemplate | None = None) -> SiteTemplate:
        """``for_site`` with the site's confident layouts for the fast path, the pages its
        verification schedule picks marked to be parsed both ways (``crawler.article.verifying``)."""
        template = self.for_site(site, pinned)
        layouts = self.confident(site)
        if not layouts:
            return template
        schedule = self.schedules.get(site)
        if schedule is None:
            schedule = self.schedules[site] = VerifySchedule(self.verify_every, self.verify_most)
        return replace(template, layouts=layouts, verify=schedule.next_page())

    def read(self, site: str, path: str) -> None:
        """A page of the site was parsed (``ParseResult.parse_path``): its verification schedule
        hears how, and a disagreement drops the site's layouts (``distrust``)."""
        schedule = self.schedules.get(site)
        if schedule is not None:
            schedule.read(path)
        if path == DISAGREED:
            self.distrust(site)

    def distrust(self, site: str) -> None:
        """A page of the site read the fast way disagreed with its full parse: no layout of the
        site is handed out until earned again (``SiteVotes.distrust``), and the kept ones are
        dropped when the run closes."""
        self.votes(site).distrust()
        self.distrusted.add(site)

    def current(self, site: str) -> SiteTemplate:
        """What the parse of the site's next page is given (its pin as the crawl last handed it)."""
        return self.for_site(site, self.pinned.get(site))


def parse_paths(stats: Any) -> dict[str, int]:
    """How a run's pages were read, from its stats (``note_parse_path``'s counts): parse path -> pages."""
    return {key[len(STATS_PREFIX):]: int(value) for key, value in stats.items() if key.startswith(STATS_PREFIX)}


def note_parse_path(item: Any, stats: Any, book: Any | None) -> None:
    """Count how a parsed page was read (``ParseResult.parse_path``: newscrawl/template/parse_path/<path>
    in ``stats``) and tell the site's book (``book.read``: a ``TemplateBook``, or a distributed worker's
    view of the published layouts): its verification schedule, and a fast read its full parse disagreed
    with makes the site's layouts untrusted. Every entry point calls it for every page it parsed,
    before the article steps."""
    if not isinstance(item, PageItem):
        return
    path = item.parsed.parse_path
    stats.inc_value(STATS_PREFIX + path)
    if path == DISAGREED:
        logger.warning("%s: the template fast path read %s unlike the full parse; its layouts must be earned again",
                       item.site, item.response_url)
    if book is not None:
        book.read(item.site, path)


class LearnSiteTemplate(ArticleStep):
    """Counts where each field was read per site (see the module docstring)."""

    name = "template"
    writer = True

    def __init__(self, config: ArticleConfig) -> None:
        self.config = config
        self.book = TemplateBook(
            config.template_min_pages, config.template_min_share,
            config.fast_path_min_pages, config.fast_path_min_share, config.fast_path_verify_every,
            config.fast_path_verify_most,
        )
        self._seen: set[str] = set()  # storage keys observed in this run
        self.cast: dict[tuple[str, str], dict[str, str]] = {}  # (site, storage key) -> its vote in this run
        self.earlier: dict[str, list[EarlierPage]] = {}  # site -> pages its template did not yet agree with
        # the fast path's reads since a site's last agreeing check (``_note_fast_reads``): at most the
        # interval between two checks and the pages in flight
        self._fast_bound = max(config.fast_path_verify_every, config.fast_path_verify_most) + MAX_EARLIER
        self.fast_read: dict[str, deque[EarlierPage]] = {}
        self.suspect: dict[str, list[EarlierPage]] = {}  # site -> pages to read again in full at close
        self.hinted: dict[tuple[str, str], HintRecord] = {}  # (site, field) -> what its hint did to the pages it reached
        self.corrected: dict[tuple[str, str], deque[EarlierPage]] = {}  # (site, field) -> the latest pages its hint corrected
        self.doubted: set[str] = set()  # sites since a disagreement, until a check agrees again
        self._met: set[str] = set()  # sites whose kept guards were taken up in this run

    @classmethod
    def configured(cls, config: ArticleConfig) -> LearnSiteTemplate | None:
        if config.template_min_pages <= 0:
            return None  # NEWSCRAWL_TEMPLATE_MIN_PAGES 0: no template learning
        return cls(config)

    def open(self, store: ArticleStore | None) -> None:
        self.book.store = TemplateStore(store.db) if store is not None else None

    def process(self, item: PageItem, tally: Tally) -> PageItem | FailedPage:
        parsed = item.parsed
        for name in parsed.template_changed:
            tally.inc_value(f"newscrawl/template/corrected/{name}")
        if parsed.template_changed:
            item.notes.append(f"site template corrected: {', '.join(parsed.template_changed)}")
        key = item.url or item.response_url
        self._take_up(item.site)
        self._note_fast_reads(item, key)
        if not parsed.field_paths or key in self._seen:
            return item
        earlier = self.book.store.page_vote(item.site, key) if self.book.store is not None else None
        if earlier is None and not self._counts(item.site, key):
            return item
        self._seen.add(key)
        template = self.book.current(item.site)
        self._remember(item, key, template)
        self._watch_hints(item, key, template, tally)
        votes = self.book.votes(item.site)
        if earlier is not None:
            votes.forget(earlier)  # fetched or re-parsed again: the page's vote is replaced, not added
        votes.observe(parsed.field_paths)  # the fields' votes, and the fast path's layout (kept when the run closes)
        self.cast[(item.site, key)] = {name: path for name, path in parsed.field_paths.items()
                                       if name in TEMPLATE_FIELDS or name in LAYOUT_FIELDS}  # the layout too: ``forget``
        tally.inc_value("newscrawl/template/pages_observed")
        return item

    def _take_up(self, site: str) -> None:
        """The first time the run meets the site: its guards as the last run left them (module docstring)."""
        if site in self._met:
            return
        self._met.add(site)
        self.book.votes(site)  # loads what earlier runs kept
        kept = self.book.kept_guards.pop(site, None)
        if kept is None:
            return
        for name, hint in kept.hints.items():
            self.hinted[(site, name)] = HintRecord.from_kept(hint)
        for reason, pages in kept.rereads.items():
            again = (EarlierPage.read_again(page.url, page.fetched_url, page.response_url) for page in pages)
            if reason == FAST_READS:
                self.fast_read[site] = deque(again, maxlen=self._fast_bound)
            else:
                self.corrected[(site, reason)] = deque(again, maxlen=MAX_EARLIER)

    def _hint_corrected(self, site: str, pages: list[tuple[EarlierPage, tuple[str, ...]]]) -> None:
        """Pages read again in full at the close whose parse a learned hint corrected: remembered
        for that hint like the pages it corrected when met, so that a later run finding it stale
        reads them again without it (a fast read put in doubt is read again with the site's
        template, which may still hold a hint that no longer fits)."""
        pinned = self.book.pinned.get(site)
        pinned_paths = pinned.paths() if pinned else {}
        for page, changed in pages:
            for name, result_field in RESULT_FIELDS.items():
                if result_field in changed and name not in pinned_paths:
                    self.corrected.setdefault((site, name), deque(maxlen=MAX_EARLIER)).append(page)

    def _guards(self, site: str) -> SiteGuards:
        """The site's guards as this run leaves them: what a disagreement put in doubt was read again
        in this run, so its fast reads are not kept (module docstring)."""
        every, since = self.book.guards(site)
        rereads = {name: _kept_pages(pages) for (at, name), pages in self.corrected.items() if at == site and pages}
        if site not in self.doubted and self.fast_read.get(site):
            rereads[FAST_READS] = _kept_pages(self.fast_read[site])
        hints = {name: record.kept() for (at, name), record in self.hinted.items() if at == site}
        return SiteGuards(site, every, since, hints, rereads)

    def _counts(self, site: str, key: str) -> bool:
        """Whether a page with no vote of its own kept counts: unless its site's kept votes counted
        pages with no vote of their own (before schema migration 19) and the page is stored already,
        so was one of them (a refetch or a reparse counted it twice)."""
        self.book.votes(site)  # what earlier runs kept, loaded when the site is first met
        store = self.book.store
        return not self.book.unvoted.get(site) or store is None or not store.is_stored(key)

    def _note_fast_reads(self, item: PageItem, key: str) -> None:
        """Keep the pages read by the site's layouts since their last agreeing check; when a check
        disagrees, they go to the end-of-run re-check, read again in full (``EarlierPage.reread``), and
        so do the fast reads still arriving until a check agrees again."""
        path, site = item.parsed.parse_path, item.site
        if path == VERIFIED:
            self.fast_read.pop(site, None)
            self.doubted.discard(site)
        elif path == DISAGREED:
            self.suspect.setdefault(site, []).extend(self.fast_read.pop(site, ()))
            self.doubted.add(site)
        elif path == TEMPLATE:
            page = EarlierPage.read_again(key, item.fetched_url, item.response_url)
            if site in self.doubted:
                self.suspect.setdefault(site, []).append(page)
            else:
                self.fast_read.setdefault(site, deque(maxlen=self._fast_bound)).append(page)

    def _watch_hints(self, item: PageItem, key: str, template: SiteTemplate, tally: Tally) -> None:
        """Count, per field, whether the site's hint held or corrected the page; a hint that corrected
        ``STALE_CORRECTED`` of the last ``STALE_WINDOW`` pages it reached is stale (module docstring)."""
        parsed, site = item.parsed, item.site
        changed = set(parsed.template_changed)
        pinned = self.book.pinned.get(site)
        pinned_paths = pinned.paths() if pinned else {}
        for name, path in template.paths().items():
            if name not in RESULT_FIELDS or name in pinned_paths or parsed.field_paths.get(name) != path:
                continue  # no learned hint for the field, or the page did not confirm it
            record = self.hinted.get((site, name))
            if record is None or record.path != path:
                record = self.hinted[(site, name)] = HintRecord(path)
            corrected = RESULT_FIELDS[name] in changed
            if corrected:
                pages = self.corrected.setdefault((site, name), deque(maxlen=MAX_EARLIER))
                pages.append(EarlierPage.read_again(key, item.fetched_url, item.response_url))
            if record.add(corrected):
                self.book.votes(site).drop(name, path)
                self.suspect.setdefault(site, []).extend(self.corrected.pop((site, name), ()))
                del self.hinted[(site, name)]
                tally.inc_value(f"newscrawl/template/stale/{name}")
                logger.warning("%s: the site template's %s path %s held on most pages, then corrected %d of the "
                               "latest %d: a template change; its votes are dropped and those pages read again "
                               "without it when the run ends", site, name, path, STALE_CORRECTED, STALE_WINDOW)

    def _remember(self, item: PageItem, key: str, template: SiteTemplate) -> None:
        """Keep the page for the end-of-run re-check unless its fields sit where the site's
        template already says (the page may have been parsed before the template grew)."""
        paths = item.parsed.field_paths
        pages = self.earlier.setdefault(item.site, [])
        if len(pages) < MAX_EARLIER and not agrees(paths, template):
            pages.append(EarlierPage(key, item.fetched_url, item.response_url, dict(paths), frozenset(template.paths())))

    def close(self, store: ArticleStore | None, tally: Tally) -> None:
        """Keep the votes of every site met in this run, then re-check its earlier pages (``Recheck``)."""
        self.book.store = None
        if store is None or not self.book.sites:
            return
        now = datetime.now(UTC).isoformat(timespec="seconds")
        changed = {site for site, _ in self.cast} | self.book.distrusted
        kept = TemplateStore(store.db)
        kept.save(
            (SitePaths(site, votes.pages, votes.votes, layouts=votes.layout_texts())
             for site, votes in self.book.sites.items() if site in changed),
            now=now, page_votes=((site, key, paths) for (site, key), paths in self.cast.items()),
        )
        self.cast.clear()
        learned = sum(1 for site in self.book.sites if self.book.learned(site))
        tally.inc_value("newscrawl/template/sites_learned", learned)
        recheck = Recheck(store, self.config, tally)
        for site in {**self.earlier, **self.suspect}:
            recheck.run(site, self.book.current(site), [*self.earlier.get(site, ()), *self.suspect.get(site, ())])
            self._hint_corrected(site, recheck.hint_corrected)
            recheck.hint_corrected.clear()
        kept.save((), now=now, guards=[self._guards(site) for site in self._met])
        self.earlier.clear()
        self.suspect.clear()
        self.fast_read.clear()
        self.doubted.clear()
        self.hinted.clear()
        self.corrected.clear()
        self._met.clear()


def _kept_pages(pages: Iterable[EarlierPage]) -> tuple[KeptPage, ...]:
    return tuple(KeptPage(page.url, page.fetched_url, page.response_url) for page in pages)
