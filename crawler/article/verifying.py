"""Which of a site's pages read by its layouts are also read in full and compared: the template
fast path's verification schedule (``crawler.parsing.fastpath``).

A page read both ways costs about twice a page read the fast way, so verifying every Nth page
at a fixed N keeps paying for the check on a site whose layouts agreed with the full parse on
every page checked so far. The schedule lets trust grow and take it back:

- the first page a site is handed its layouts on after this many (``first``:
  NEWSCRAWL_FAST_PATH_VERIFY_EVERY) is verified; the schedule an earlier run left is taken up where
  it stopped (``kept``: its interval and the pages since its last check, so many short runs verify
  as one long run); a layout kept without its schedule (a database from before schema migration 23)
  is verified on the first page handed it (``checked_at_once``);
- each verified page whose two readings agree doubles the interval, up to ``most``
  (NEWSCRAWL_FAST_PATH_VERIFY_MAX_EVERY; ``most`` <= ``first`` keeps it fixed);
- a page of the site the layouts did not read (it confirmed none of them: ``full``; or the
  region's reading was refused: ``fallback``) sets the interval back to ``first``, and a page
  already that many handed since the last check is verified next: a site showing pages its
  layouts do not describe may be changing its template;
- a disagreement (``disagreed``) sets it back too; the site's layouts are dropped until earned
  again (``TemplateBook.distrust``).

So a change of template that leaves every layout path in place (the one the verification
exists for: a page that stops confirming is parsed in full anyway) is read the fast way on at
most ``most`` of the site's pages before one of them is verified (plus the pages in flight), and
at most ``first`` when the site also shows a page its layouts do not read.
"""

from __future__ import annotations

from dataclasses import dataclass

from crawler.parsing.fastpath import DISAGREED, FALLBACK, FULL, VERIFIED

_DOUBTED = (FULL, FALLBACK, DISAGREED)  # parse paths that set the interval back to ``first``


@dataclass(slots=True)
class VerifySchedule:
    """One site's verification schedule (see the module docstring)."""

    first: int  # NEWSCRAWL_FAST_PATH_VERIFY_EVERY (>= 1)
    most: int  # NEWSCRAWL_FAST_PATH_VERIFY_MAX_EVERY (<= first: every ``first``-th page, always)
    every: int = 0  # the interval now (0 until ``__post_init__``: ``first``)
    since: int = 0  # pages handed since the last verified one

    def __post_init__(self) -> None:
        self.first = max(1, self.first)
        self.every = self.every or self.first

    @classmethod
    def checked_at_once(cls, first: int, most: int) -> VerifySchedule:
        """A schedule whose next page is verified (layouts kept from an earlier run)."""
        schedule = cls(first, most)
        schedule.since = schedule.every - 1
        return schedule

    @classmethod
    def kept(cls, first: int, most: int, every: int, since: int) -> VerifySchedule:
        """A schedule as an earlier run left it (its interval within this run's ``first`` and ``most``)."""
        schedule = cls(first, most)
        schedule.every = max(schedule.first, min(every, max(schedule.first, most)))
        schedule.since = max(0, since)
        return schedule

    def next_page(self) -> bool:
        """A page is handed the site's layouts: whether it is read both ways."""
        self.since += 1
        if self.since < self.every:
            return False
        self.since = 0
        return True

    def read(self, path: str) -> None:
        """A page of the site was read this way (a ``ParseResult.parse_path``)."""
        if path == VERIFIED:
            self.every = max(self.first, min(self.every * 2, self.most))
        elif path in _DOUBTED:
            self.every = self.first
