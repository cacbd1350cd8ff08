"""The database schema, as a list of idempotent migrations.

``PRAGMA user_version`` holds the number of migrations applied. Each migration runs
in one transaction; a new column or table is a new migration appended at the end,
never an edit to an old one. docs/schema.md documents the result for analysts.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

from crawler.storage.counts import COUNT_FLAGS, COUNT_KEY, count_in, count_out

Migration = Callable[[sqlite_utils.Database], None]


def _m001_core(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS articles (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,       -- canonical URL, tracking parameters stripped
            site TEXT NOT NULL,             -- host name without www.
            title TEXT NOT NULL,
            body TEXT NOT NULL,             -- plain text, paragraphs split by a blank line
            published_at TEXT,              -- ISO 8601; date only when the page shows no time
            modified_at TEXT,
            authors TEXT NOT NULL DEFAULT '[]',  -- JSON array of names
            language TEXT,
            description TEXT,
            site_name TEXT,
            prev_url TEXT,
            prev_title TEXT,
            next_url TEXT,
            next_title TEXT,
            word_count INTEGER NOT NULL DEFAULT 0,
            content_hash TEXT NOT NULL,     -- sha256 of the normalised title and body
            fetched_url TEXT,               -- the URL that was fetched, if not the canonical one
            fetched_at TEXT NOT NULL,       -- last fetch, ISO 8601 UTC
            first_seen_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX IF NOT EXISTS articles_site_published ON articles(site, published_at)")
    db.execute("CREATE INDEX IF NOT EXISTS articles_content_hash ON articles(content_hash)")
    db.execute("CREATE INDEX IF NOT EXISTS articles_published ON articles(published_at)")
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS runs (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            spider TEXT NOT NULL,
            site TEXT,
            arguments TEXT NOT NULL DEFAULT '{}',  -- JSON object of the run's options
            pages_fetched INTEGER NOT NULL DEFAULT 0,
            articles_new INTEGER NOT NULL DEFAULT 0,
            articles_updated INTEGER NOT NULL DEFAULT 0,
            articles_unchanged INTEGER NOT NULL DEFAULT 0,
            skipped INTEGER NOT NULL DEFAULT 0,
            failed INTEGER NOT NULL DEFAULT 0,
            outcome TEXT NOT NULL DEFAULT 'running',  -- running | success | partial | failed | interrupted
            finish_reason TEXT
        )
        """
    )
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS failures (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL,
            site TEXT,
            reason TEXT NOT NULL,            -- stable code: http_404, timeout, not_article, ...
            detail TEXT NOT NULL DEFAULT '',
            http_status INTEGER,
            run_id INTEGER REFERENCES runs(id),
            failed_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX IF NOT EXISTS failures_url ON failures(url)")
    db.execute("CREATE INDEX IF NOT EXISTS failures_run ON failures(run_id)")
    # Full-text index over title and body, an external-content FTS5 table kept in step
    # by triggers (the layout sqlite-utils and Datasette recognise).
    db.execute(
        """
        CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
            title, body, content='articles', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2'
        )
        """
    )
    db.execute(
        """
        CREATE TRIGGER IF NOT EXISTS articles_ai AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
        END
        """
    )
    db.execute(
        """
        CREATE TRIGGER IF NOT EXISTS articles_ad AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts (articles_fts, rowid, title, body)
            VALUES ('delete', old.id, old.title, old.body);
        END
        """
    )
    db.execute(
        """
        CREATE TRIGGER IF NOT EXISTS articles_au AFTER UPDATE OF title, body ON articles BEGIN
            INSERT INTO articles_fts (articles_fts, rowid, title, body)
            VALUES ('delete', old.id, old.title, old.body);
            INSERT INTO articles_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
        END
        """
    )


def _m002_summary(db: sqlite_utils.Database) -> None:
    """An extractive summary of each article (crawler/article/summary.py), at most three sentences."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(articles)").fetchall()}
    if "summary" not in columns:
        db.execute("ALTER TABLE articles ADD COLUMN summary TEXT")


def _m003_analyst_views(db: sqlite_utils.Database) -> None:
    """Views for analysts (docs/schema.md): articles with their summary, daily counts, chains."""
    # Chains are followed through next_url and through a neighbour's prev_url: index both.
    db.execute("CREATE INDEX IF NOT EXISTS articles_next_url ON articles(next_url)")
    db.execute("CREATE INDEX IF NOT EXISTS articles_prev_url ON articles(prev_url)")
    db.execute(
        """
        CREATE VIEW IF NOT EXISTS article_summaries AS
        SELECT id, site, site_name, title, published_at, language, authors, summary,
               word_count, url
        FROM articles
        """
    )
    db.execute(
        """
        CREATE VIEW IF NOT EXISTS daily_counts AS
        SELECT site, substr(published_at, 1, 10) AS day, count(*) AS articles
        FROM articles
        WHERE published_at IS NOT NULL
        GROUP BY site, day
        """
    )
    # A chain starts at an article no stored article points to (neither as its
    # prev_url nor through a next_url) and follows next_url, or the article naming
    # the current one as its prev_url. A chain that loops is cut at the article count.
    db.execute(
        """
        CREATE VIEW IF NOT EXISTS site_chains AS
        WITH RECURSIVE chain(chain_id, position, id, url, next_url, came_from) AS (
            SELECT a.id, 1, a.id, a.url, a.next_url, NULL
            FROM articles AS a
            WHERE NOT EXISTS (SELECT 1 FROM articles AS p WHERE p.url = a.prev_url)
              AND NOT EXISTS (SELECT 1 FROM articles AS p WHERE p.next_url = a.url)
            UNION ALL
            SELECT c.chain_id, c.position + 1, n.id, n.url, n.next_url, c.id
            FROM chain AS c
            JOIN articles AS n ON (n.url = c.next_url OR n.prev_url = c.url)
            WHERE n.id <> c.id
              AND n.id IS NOT c.came_from
              AND c.position < (SELECT count(*) FROM articles)
        )
        SELECT a.site, chain.chain_id, chain.position, a.id, a.url, a.title, a.published_at
        FROM chain JOIN articles AS a ON a.id = chain.id
        """
    )


def _m004_crawl_state(db: sqlite_utils.Database) -> None:
    """Incremental crawls: per-URL crawl state, article history, run counters (docs/scheduling.md)."""
    # One row per page URL a crawl discovered (canonical form of the URL requested).
    # Resume reads it: pending and in_flight rows are requested again, failed ones up
    # to NEWSCRAWL_MAX_ATTEMPTS; etag / last_modified make re-fetches conditional.
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS crawl_state (
            url TEXT PRIMARY KEY,
            site TEXT NOT NULL,             -- profile key, or the site key of an ad hoc crawl
            state TEXT NOT NULL CHECK (state IN ('pending', 'in_flight', 'done', 'failed', 'skipped')),
            reason TEXT,                    -- why failed or skipped (stable code), or how done ended
            attempts INTEGER NOT NULL DEFAULT 0,  -- fetches that ended in a failure
            discovered_from TEXT,           -- start | feed | sitemap | listing | prev | next | resume, then the source URL
            source_date TEXT,               -- newest date the feed or sitemap gave, ISO 8601 UTC
            etag TEXT,
            last_modified TEXT,
            first_seen_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            run_id INTEGER REFERENCES runs(id)
        )
        """
    )
    db.execute("CREATE INDEX IF NOT EXISTS crawl_state_site_state ON crawl_state(site, state)")
    # The version an update replaced: written by a trigger, so every writer keeps history.
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS article_history (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL,
            url TEXT NOT NULL,
            content_hash TEXT NOT NULL,     -- hash of the replaced title and body
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            published_at TEXT,
            modified_at TEXT,
            fetched_at TEXT NOT NULL,       -- when the replaced version was fetched
            replaced_at TEXT NOT NULL       -- when the new version was fetched
        )
        """
    )
    db.execute("CREATE INDEX IF NOT EXISTS article_history_url ON article_history(url)")
    db.execute(
        """
        CREATE TRIGGER IF NOT EXISTS articles_history AFTER UPDATE OF content_hash ON articles
        WHEN old.content_hash IS NOT new.content_hash BEGIN
            INSERT INTO article_history
                (article_id, url, content_hash, title, body, published_at, modified_at, fetched_at, replaced_at)
            VALUES (old.id, old.url, old.content_hash, old.title, old.body, old.published_at,
                    old.modified_at, old.fetched_at, new.fetched_at);
        END
        """
    )
    columns = {row[1] for row in db.execute("PRAGMA table_info(runs)").fetchall()}
    for name in ("urls_discovered", "not_modified"):
        if name not in columns:
            db.execute(f"ALTER TABLE runs ADD COLUMN {name} INTEGER NOT NULL DEFAULT 0")


def _m005_site_furniture(db: sqlite_utils.Database) -> None:
    """What crawler/article/furniture.py learned: paragraphs that repeat across a site's pages."""
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS site_furniture (
            site TEXT NOT NULL,
            block_hash TEXT NOT NULL,       -- digest of the paragraph, case and whitespace ignored
            sample_text TEXT NOT NULL,      -- the paragraph as first seen
            pages_seen INTEGER NOT NULL,    -- pages of the site it appeared on
            first_seen_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL,
            PRIMARY KEY (site, block_hash)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS furniture_sites (
            site TEXT PRIMARY KEY,
            pages_seen INTEGER NOT NULL,    -- article pages of the site observed by the pipeline
            updated_at TEXT NOT NULL
        )
        """
    )


def _m006_site_chains_covering(db: sqlite_utils.Database) -> None:
    """site_chains without reading article rows: covering indexes for the walk, one link rule.

    prev_url and next_url sit after the body in each row, so reading them walks the
    body's overflow pages; the walk now reads only the two indexes. The step follows
    next_url, and the article naming the current one as its prev_url only when the
    next_url article is not stored (before, both were followed and a chain could fork).
    """
    db.execute("CREATE INDEX IF NOT EXISTS articles_chain_next ON articles(url, next_url)")
    db.execute("CREATE INDEX IF NOT EXISTS articles_chain_prev ON articles(prev_url, url, next_url)")
    db.execute("DROP INDEX IF EXISTS articles_prev_url")  # articles_chain_prev starts with prev_url
    db.execute("DROP VIEW IF EXISTS site_chains")
    db.execute(
        """
        CREATE VIEW site_chains AS
        WITH RECURSIVE chain(chain_id, position, id, url, next_url, came_from, longest) AS (
            SELECT a.id, 1, a.id, a.url, a.next_url, NULL, (SELECT count(*) FROM articles)
            FROM articles AS a INDEXED BY articles_chain_prev
            WHERE NOT EXISTS (SELECT 1 FROM articles AS p WHERE p.url = a.prev_url)
              AND NOT EXISTS (SELECT 1 FROM articles AS p WHERE p.next_url = a.url)
            UNION ALL
            SELECT c.chain_id, c.position + 1, n.id, n.url, n.next_url, c.id, c.longest
            FROM chain AS c JOIN articles AS n INDEXED BY articles_chain_next ON n.url = c.next_url
            WHERE n.id <> c.id AND n.id IS NOT c.came_from AND c.position < c.longest
            UNION ALL
            SELECT c.chain_id, c.position + 1, n.id, n.url, n.next_url, c.id, c.longest
            FROM chain AS c JOIN articles AS n INDEXED BY articles_chain_prev ON n.prev_url = c.url
            WHERE NOT EXISTS (SELECT 1 FROM articles AS x WHERE x.url = c.next_url)
              AND n.id <> c.id AND n.id IS NOT c.came_from AND c.position < c.longest
        )
        SELECT a.site, chain.chain_id, chain.position, a.id, a.url, a.title, a.published_at
        FROM chain JOIN articles AS a ON a.id = chain.id
        """
    )


def _m007_fetched_url_index(db: sqlite_utils.Database) -> None:
    """Look an article up by the URL it was fetched from without reading the whole table.

    Crawl state asks ``url = ? OR fetched_url = ?`` for every link a crawl schedules;
    with ``fetched_url`` unindexed that was a full scan per link, so a crawl slowed down
    as its database grew (a third of the crawl's time at 10,000 articles).
    """
    db.execute("CREATE INDEX IF NOT EXISTS articles_fetched_url ON articles(fetched_url)")


def _m008_language_index(db: sqlite_utils.Database) -> None:
    """Counts per language (stats, the Datasette facet) from an index, not a scan of every body."""
    db.execute("CREATE INDEX IF NOT EXISTS articles_language ON articles(language)")


def _m009_published_relative(db: sqlite_utils.Database) -> None:
    """Whether ``published_at`` was written relative on the page ("3 hours ago") and resolved
    against the fetch time (issue 6): such a date is only as exact as the phrase."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(articles)").fetchall()}
    if "published_relative" not in columns:
        db.execute("ALTER TABLE articles ADD COLUMN published_relative INTEGER NOT NULL DEFAULT 0")


def _m010_image_keywords_access(db: sqlite_utils.Database) -> None:
    """Fields other extractors offer (issue 12): the lead image, the publisher's keywords and
    whether the article is free to read (NULL when the page does not say)."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(articles)").fetchall()}
    for name, declaration in (
        ("image_url", "TEXT"),
        ("keywords", "TEXT NOT NULL DEFAULT '[]'"),
        ("free_to_read", "INTEGER"),
    ):
        if name not in columns:
            db.execute(f"ALTER TABLE articles ADD COLUMN {name} {declaration}")


def _m022_article_uncertain(db: sqlite_utils.Database) -> None:
    """Articles detection called articles by a small margin (issue 12, item 4): stored, flagged
    1, so that a reader who wants precision can leave them out (0 for every row before)."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(articles)").fetchall()}
    if "article_uncertain" not in columns:
        db.execute("ALTER TABLE articles ADD COLUMN article_uncertain INTEGER NOT NULL DEFAULT 0")


def _m011_run_coverage(db: sqlite_utils.Database) -> None:
    """Field coverage per run and site (issue 16): how many of a run's articles of a site had a
    date, authors, a body of normal length and prev/next links, and which of those dropped
    against the site's earlier runs (crawler/coverage.py)."""
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS run_coverage (
            run_id INTEGER NOT NULL REFERENCES runs(id),
            site TEXT NOT NULL,
            articles INTEGER NOT NULL,      -- articles of the site the run stored (new, updated or unchanged)
            dated INTEGER NOT NULL,         -- ... with a publication date
            with_authors INTEGER NOT NULL,  -- ... with at least one author
            normal_body INTEGER NOT NULL,   -- ... with a body of at least half the site's median word count
            with_links INTEGER NOT NULL,    -- ... with a prev or next article link
            median_words REAL,              -- the site's median word count in the run
            degraded TEXT,                  -- fields that dropped (date,authors,body,links); NULL: none
            PRIMARY KEY (run_id, site)
        )
        """
    )
    db.execute("CREATE INDEX IF NOT EXISTS run_coverage_site ON run_coverage(site, run_id)")


def _m012_search_filter_index(db: sqlite_utils.Database) -> None:
    """Search filters and date sorting read an index, not the rows (issue 14).

    A search joins every candidate match to its article to check ``--site``, ``--since``,
    ``--language`` and ``--author`` and to sort by date; those columns follow the body
    in each row, so the check read the body's overflow pages (about 10 us a match; with
    this index about 1 us). Keyed by id, the join's lookup lands on it directly.
    """
    db.execute(
        "CREATE INDEX IF NOT EXISTS articles_search_filter ON articles(id, published_at, site, language, authors)"
    )


def _m013_article_counts(db: sqlite_utils.Database) -> None:
    """Articles per site, language and day with field coverage, kept by triggers (issue 14).

    ``newscrawl stats`` and the Datasette timeline read this small table instead of every
    article: the columns they count follow the body in each row, so counting them read the
    whole file (14 s at 200,000 articles). ``day`` is the first ten characters of
    published_at ('' when undated), ``language`` '' when unknown.
    """
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS article_counts (
            site TEXT NOT NULL,
            language TEXT NOT NULL,          -- '' when unknown
            day TEXT NOT NULL,               -- YYYY-MM-DD as published_at writes it; '' when undated
            articles INTEGER NOT NULL,
            with_authors INTEGER NOT NULL,   -- articles naming at least one author
            with_links INTEGER NOT NULL,     -- articles with a previous or next link
            with_summary INTEGER NOT NULL,   -- articles with a summary
            PRIMARY KEY (site, language, day)
        ) WITHOUT ROWID
        """
    )
    db.execute("CREATE INDEX IF NOT EXISTS article_counts_day ON article_counts(day)")
    db.execute(f"CREATE TRIGGER IF NOT EXISTS article_counts_ai AFTER INSERT ON articles BEGIN {count_in('new')} END")
    db.execute(f"CREATE TRIGGER IF NOT EXISTS article_counts_ad AFTER DELETE ON articles BEGIN {count_out('old')} END")
    changed = " OR ".join(
        f"old.{column} IS NOT new.{column}"
        for column in ("site", "language", "published_at", "authors", "prev_url", "next_url", "summary")
    )
    db.execute(
        "CREATE TRIGGER IF NOT EXISTS article_counts_au AFTER UPDATE OF site, language, published_at, authors,"
        f" prev_url, next_url, summary ON articles WHEN {changed} BEGIN {count_out('old')} {count_in('new')} END"
    )
    db.execute("DELETE FROM article_counts")
    columns = ", ".join([*COUNT_KEY, "articles", *COUNT_FLAGS])
    sums = ", ".join(f"sum({value.format(row='a')})" for value in COUNT_FLAGS.values())
    keys = ", ".join(value.format(row="a") for value in COUNT_KEY.values())
    db.execute(f"INSERT INTO article_counts ({columns}) SELECT {keys}, count(*), {sums} FROM articles AS a GROUP BY 1, 2, 3")
    # The same answer as before, from the counts instead of every article.
    db.execute("DROP VIEW IF EXISTS daily_counts")
    db.execute(
        "CREATE VIEW daily_counts AS SELECT site, day, sum(articles) AS articles FROM article_counts"
        " WHERE day != '' GROUP BY site, day"
    )


def _m014_fts_for_sqlite_utils(db: sqlite_utils.Database) -> None:
    """``sqlite-utils search news.db articles ...`` finds the full-text index (issue 14).

    sqlite-utils (and Datasette's detection) recognise an FTS table by ``content="articles"``
    or ``content=[articles]`` in its CREATE statement; migration 1 wrote ``content='articles'``,
    which FTS5 reads the same way but sqlite-utils does not, so ``sqlite-utils search`` said
    the table was "not configured for full-text search". The stored statement is rewritten
    in place (writable_schema, as sqlite-utils itself once did for foreign keys) and the
    schema version bumped so every connection reads it again: the index is not rebuilt.
    """
    old = "content='articles'"
    row = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'articles_fts'").fetchone()
    if row is None or old not in row[0]:
        return
    version = db.execute("PRAGMA schema_version").fetchone()[0]
    db.execute("PRAGMA writable_schema = ON")
    try:
        db.execute(
            "UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = 'articles_fts'",
            [old, 'content="articles"'],
        )
        db.execute(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        db.execute("PRAGMA writable_schema = OFF")


def _m015_archive_records(db: sqlite_utils.Database) -> None:
    """The WARC archive's index (crawler/archive): where each fetched response was written."""
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS archive_records (
            id INTEGER PRIMARY KEY,
            run_id INTEGER REFERENCES runs(id),
            url TEXT NOT NULL,              -- the URL that answered (WARC-Target-URI)
            request_url TEXT NOT NULL,      -- the URL requested, before redirects
            status INTEGER NOT NULL,
            content_type TEXT,
            fetched_at TEXT NOT NULL,       -- ISO 8601 UTC (WARC-Date)
            file TEXT NOT NULL,             -- the WARC file's name in the archive folder
            offset INTEGER NOT NULL,        -- byte offset of the response record's gzip member
            length INTEGER NOT NULL,        -- its length in bytes
            payload_bytes INTEGER NOT NULL, -- the body's size as fetched (decompressed)
            payload_digest TEXT NOT NULL    -- sha1:BASE32 of the body (WARC-Payload-Digest)
        )
        """
    )
    db.execute("CREATE INDEX IF NOT EXISTS archive_records_request_url ON archive_records(request_url, fetched_at)")
    db.execute("CREATE INDEX IF NOT EXISTS archive_records_run ON archive_records(run_id)")


def _m016_reparse_progress(db: sqlite_utils.Database) -> None:
    """How far each ``newscrawl reparse`` got (crawler/storage/reparse.py): a killed one resumes there."""
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS reparse_progress (
            run_id INTEGER PRIMARY KEY REFERENCES runs(id),
            last_article_id INTEGER NOT NULL  -- articles are re-extracted in id order; all up to this one are done
        )
        """
    )


def _m017_chain_checks(db: sqlite_utils.Database) -> None:
    """Whether each prev/next link was verified when the crawl fetched its neighbour (issue 12):
    'confirmed', 'wrong_date', 'no_link_back', 'not_article' (crawler.chaincheck); NULL when the
    neighbour was not fetched by a site crawl, so the link is the parser's unchecked guess."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(articles)").fetchall()}
    for name in ("prev_check", "next_check"):
        if name not in columns:
            db.execute(f"ALTER TABLE articles ADD COLUMN {name} TEXT")


def _m018_site_templates(db: sqlite_utils.Database) -> None:
    """What crawler/article/template.py learned: the element paths that held each field on a site's pages."""
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS site_template_paths (
            site TEXT NOT NULL,
            field TEXT NOT NULL,            -- title, date, author, body, navigation
            path TEXT NOT NULL,             -- generalised element path (a CSS selector)
            pages INTEGER NOT NULL,         -- article pages of the site whose field was read there
            PRIMARY KEY (site, field, path)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS template_sites (
            site TEXT PRIMARY KEY,
            pages INTEGER NOT NULL,         -- article pages of the site observed
            updated_at TEXT NOT NULL
        )
        """
    )


def _m019_template_pages(db: sqlite_utils.Database) -> None:
    """Each page's vote in its site's template, so a page fetched or re-parsed again replaces its
    vote instead of adding one (crawler/article/template.py). Votes kept before it have no rows."""
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS template_pages (
            site TEXT NOT NULL,
            page TEXT NOT NULL,             -- the page's storage key (its canonical URL)
            paths TEXT NOT NULL,            -- JSON: field -> the element path it was read from
            PRIMARY KEY (site, page)
        ) WITHOUT ROWID
        """
    )


def _m020_fts_fed_per_batch(db: sqlite_utils.Database) -> None:
    """The full-text index of a batch of new articles is fed at the end of the batch, not row by row.

    ``ArticleStore.upsert_articles`` inserts a row into ``articles_fts_deferred`` when its batch
    transaction begins and deletes it before the commit (so no other connection ever sees it,
    and a killed write rolls back with it); while the row is there the insert trigger does
    nothing and the store indexes the batch's new rows itself, with one ``executemany``: the
    same index, 0.1 ms less a row (docs/benchmarks.md, cost, round of 4 December). Every other
    writer (sqlite-utils, Datasette, a script) still gets the trigger.
    """
    db.execute("CREATE TABLE IF NOT EXISTS articles_fts_deferred (id INTEGER PRIMARY KEY)")
    db.execute("DROP TRIGGER IF EXISTS articles_ai")
    db.execute(
        """
        CREATE TRIGGER articles_ai AFTER INSERT ON articles
        WHEN NOT EXISTS (SELECT 1 FROM articles_fts_deferred) BEGIN
            INSERT INTO articles_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
        END
        """
    )


def _m021_site_layouts(db: sqlite_utils.Database) -> None:
    """The template fast path's article layouts of each site and the pages that earned them
    (crawler/article/sitevotes.py), kept between runs so a later run reads the site's pages by a
    confident layout from its first page; the votes of every layout are kept, so a site crawled
    a few pages at a time earns one over several runs. A layout a verified page disagreed with
    is deleted with every other layout of its site."""
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS site_layouts (
            site TEXT NOT NULL,
            layout TEXT NOT NULL,           -- JSON: field -> element path (crawler.parsing.template.Layout.dumps)
            pages INTEGER NOT NULL,         -- article pages of the site whose located paths were exactly these
            PRIMARY KEY (site, layout)
        ) WITHOUT ROWID
        """
    )


def _m023_template_guards(db: sqlite_utils.Database) -> None:
    """The template step's guards, kept between runs as they stand when a run closes
    (crawler/article/template.py), so a crawl made of many short runs behaves as one long run:
    the fast path's verification schedule of each site (``site_checks``), what each learned
    field hint did to the site's latest pages (``template_hints``: the stale-hint watch), and the
    pages to read again in full if a later run finds them in doubt (``template_rereads``: the fast
    reads since the site's last agreeing check, and the pages a hint corrected)."""
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS site_checks (
            site TEXT PRIMARY KEY,
            every INTEGER NOT NULL,         -- the verification interval the site's layouts reached
            since INTEGER NOT NULL          -- pages handed its layouts since the last verified one
        )
        """
    )
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS template_hints (
            site TEXT NOT NULL,
            field TEXT NOT NULL,            -- title, date, author, body
            path TEXT NOT NULL,             -- the learned path whose hint is watched
            latest TEXT NOT NULL,           -- the latest pages it reached, oldest first: 1 corrected, 0 held
            before INTEGER NOT NULL,        -- pages it reached before those
            before_corrected INTEGER NOT NULL,
            PRIMARY KEY (site, field)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS template_rereads (
            site TEXT NOT NULL,
            reason TEXT NOT NULL,           -- 'fast' (read by a layout since the last agreeing check) or the field a hint corrected
            page TEXT NOT NULL,             -- the storage key
            fetched_url TEXT NOT NULL,
            response_url TEXT NOT NULL,
            PRIMARY KEY (site, reason, page)
        )
        """
    )


MIGRATIONS: list[Migration] = [
    _m001_core,
    _m002_summary,
    _m003_analyst_views,
    _m004_crawl_state,
    _m005_site_furniture,
    _m006_site_chains_covering,
    _m007_fetched_url_index,
    _m008_language_index,
    _m009_published_relative,
    _m010_image_keywords_access,
    _m011_run_coverage,
    _m012_search_filter_index,
    _m013_article_counts,
    _m014_fts_for_sqlite_utils,
    _m015_archive_records,
    _m016_reparse_progress,
    _m017_chain_checks,
    _m018_site_templates,
    _m019_template_pages,
    _m020_fts_fed_per_batch,
    _m021_site_layouts,
    _m022_article_uncertain,
    _m023_template_guards,
]
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(db: sqlite_utils.Database, *, upto: int | None = None) -> int:
    """Apply the migrations the database lacks (up to number ``upto``, default all); return the version.

    Each in its own transaction, but a new database's all in one: its WAL then holds each page
    once (200 KB), not once per migration that rewrote the schema (400 KB beside a 200 KB file).
    """
    version = db.execute("PRAGMA user_version").fetchone()[0]
    steps = list(enumerate(MIGRATIONS[version:upto], start=version + 1))
    for batch in [steps] if version == 0 else [[step] for step in steps]:
        db.execute("BEGIN IMMEDIATE")
        try:
            for number, step in batch:
                step(db)
                db.execute(f"PRAGMA user_version = {int(number)}")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
    return max(version, SCHEMA_VERSION if upto is None else min(upto, SCHEMA_VERSION))
