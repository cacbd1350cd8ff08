"""Every setting of the project, Scrapy's and our own, with its default.

Scrapy reads this module through scrapy.cfg (`scrapy crawl article ...`), and the
`newscrawl` command line starts from it and overrides single values from its options.
Nothing else in the project reads the environment or hard-codes these values.
Settings are alphabetical inside each block; units are in the comments.
"""

from crawler import __version__

# --- Scrapy project ---------------------------------------------------------------
BOT_NAME = "newscrawl"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# --- Politeness (lifted only by benchmarks) -----------------------------------------
AUTOTHROTTLE_ENABLED = True  # adapt the delay to the server's latency
AUTOTHROTTLE_MAX_DELAY = 30.0  # seconds
AUTOTHROTTLE_START_DELAY = 1.0  # seconds
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0  # parallel requests per remote site, on average
CONCURRENT_REQUESTS = 16  # in total, over all sites
CONCURRENT_REQUESTS_PER_DOMAIN = 2  # per site
DOWNLOAD_DELAY = 1.0  # seconds between requests to one site (randomised 0.5x-1.5x)
ROBOTSTXT_OBEY = True  # robots.txt is fetched and obeyed per site
USER_AGENT = f"newscrawl/{__version__} (+https://github.com/newscrawl/newscrawl; news archiving bot)"

# --- Fetching limits ------------------------------------------------------------------
DEPTH_LIMIT = 1000  # links followed in a row from a start URL: ends pagination and calendar traps
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024  # bytes, after decompression too: larger responses (and gzip/br bombs) are aborted
DOWNLOAD_TIMEOUT = 30  # seconds for one request, connect to last byte
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024  # bytes: larger responses are logged
REDIRECT_MAX_TIMES = 10  # redirects followed for one request
RETRY_ENABLED = True
RETRY_GIVE_UP_LOG_LEVEL = "WARNING"  # a page that failed is counted and kept in failures, no error of the run
RETRY_HTTP_CODES = [408, 429, 500, 502, 503, 504, 522, 524]
RETRY_TIMES = 2  # initial response + 2 retries = 3 requests
COOKIES_ENABLED = False  # news pages need no session; cookies only leak state
TELNETCONSOLE_ENABLED = False  # no listening port in production crawls
REMOTE_CONTROL_ENABLED = False  # Scrapy 2.19's code-running HTTP endpoint: no listening port either
# Scrapy checks every callback's source for `return value` inside a generator (a lint for spider
# authors). Its cache is weakly keyed by the callable, and a bound method (self.parse) is a new object
# on every access, so the check re-reads and re-parses the source for every response: ~5 ms CPU each.
WARN_ON_GENERATOR_RETURN_VALUE = False
# Scrapy hands each response's output to CONCURRENT_ITEMS worker tasks, all of them created for every
# response however few items and requests it yields (their cost grows with the count: docs/benchmarks.md).
# A page here yields one item and a few links; the item waits at most for the pool (a page the pool did not
# parse) while the other workers schedule the links, so four are never short.
CONCURRENT_ITEMS = 4  # spider outputs (items, requests) of one response handled at once
HTTPERROR_ALLOW_ALL = True  # the spider sees 4xx/5xx and records them as failures
METAREFRESH_MAXDELAY = 10  # seconds: a longer <meta refresh> is a page reloading itself, not a redirect

# --- Hostile web (crawler/middlewares/, docs/reliability.md) -------------------------------
ALLOWED_NETWORKS: list[str] = []  # CIDRs the address guard lets through although not public (--allow-network)
DOWNLOAD_HANDLERS = {"data": None, "file": None, "ftp": None, "s3": None}  # http(s) only, even past the scheme guard
NEWSCRAWL_ALLOWED_SCHEMES = ["http", "https"]  # URL schemes ever requested; others are dropped and counted
NEWSCRAWL_MAX_PAGES_PER_SITE = 10000  # requests to one site per crawl, retries excepted (0 = no limit)
NEWSCRAWL_NETGUARD_ENABLED = True  # refuse loopback, private, link-local and other non-public addresses
NEWSCRAWL_RETRY_AFTER_CODES = [429, 503]  # statuses whose Retry-After header pauses the host
NEWSCRAWL_RETRY_AFTER_MAX = 300  # seconds: a longer Retry-After is not waited for; the host's pages fail instead
TWISTED_DNS_RESOLVER = "crawler.middlewares.netguard.GuardedResolver"  # Scrapy's caching resolver, refusing non-public answers

# --- Components -------------------------------------------------------------------------
ITEM_PIPELINES = {
    "pipelines.article.ArticleStepsPipeline": 100,  # crawler.article's steps, in their one order (STEPS)
    "pipelines.store.StoreArticlesPipeline": 900,
}
DOWNLOADER_MIDDLEWARES = {
    "crawler.render.middleware.RenderMiddleware": 3,  # after the parse: a script shell the cheap path read nothing from is rendered
    "crawler.parse_pool.ParseInPoolMiddleware": 5,  # last to see a response: parses it in the process pool
    "crawler.middlewares.schemes.SchemeFilterMiddleware": 10,  # first: nothing but http(s) goes further
    "crawler.middlewares.netguard.NetGuardMiddleware": 60,  # after OffsiteMiddleware, before robots.txt
    "crawler.middlewares.pagelimit.PageLimitMiddleware": 110,  # after robots.txt: disallowed pages cost nothing
    "crawler.middlewares.redirects.RedirectCredentialsMiddleware": 450,  # after DefaultHeaders (400), before Cookies
    "crawler.middlewares.retry_after.RetryAfterMiddleware": 560,  # holds requests to a host that sent Retry-After
    "crawler.middlewares.archive.ArchiveMiddleware": 580,  # just after decompression (590): the WARC archive
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,  # replaced by the one below
    "crawler.middlewares.refresh.MetaRefreshMiddleware": 579,  # Scrapy's, asked only of pages that can hold a refresh; after the archive, as Scrapy's was
    "crawler.middlewares.proxy.SiteProxyMiddleware": 740,  # before Scrapy's HttpProxyMiddleware (750), which applies it
}
ADDONS = {
    "crawler.render.RenderAddon": 0,  # with NEWSCRAWL_RENDER auto or always: the browser download handler (crawler/render)
}
STATS_CLASS = "crawler.stats.CrawlStatsCollector"  # Scrapy's in-memory stats without the per-call deprecation check
EXTENSIONS = {
    "crawler.progress.ProgressReporter": 500,  # off unless NEWSCRAWL_PROGRESS is tty or json
    "crawler.metrics.MetricsExtension": 510,  # off unless NEWSCRAWL_METRICS_PORT is set
}

# --- Logging ------------------------------------------------------------------------------
LOG_LEVEL = "INFO"

# --- Scrapy future-proof defaults ------------------------------------------------------------
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"

# --- newscrawl ---------------------------------------------------------------------------------
NEWSCRAWL_ARCHIVE = True  # keep every fetched response in WARC files, indexed in the database (crawler/archive)
NEWSCRAWL_ARCHIVE_DIR = ""  # the WARC files' folder ("" = warc/ beside NEWSCRAWL_DB_PATH); workers and ingester: docs/scaling.md
NEWSCRAWL_ARCHIVE_MAX_BYTES = 1_000_000_000  # bytes: a WARC file is closed and a new one started past this size
NEWSCRAWL_ALLOWED_DOMAINS: list[str] = []  # extra domains (and their subdomains) the spider may follow links to
NEWSCRAWL_COVERAGE_WINDOW = 20  # articles per window of a site's field-coverage watch (crawler/article/coverage.py; 0 = off)
NEWSCRAWL_DB_PATH = "data/news.db"  # SQLite database the store pipeline writes
NEWSCRAWL_DB_ENVVAR = "NEWSCRAWL_DB"  # environment variable every command's --db falls back to before NEWSCRAWL_DB_PATH
NEWSCRAWL_DB_BATCH_SIZE = 100  # articles written per transaction
NEWSCRAWL_DB_FLUSH_INTERVAL = 5.0  # seconds: pending writes are committed at least this often (0 = only per batch)
NEWSCRAWL_DIRECTION = "both"  # prev | next | both: which article links the spider follows
NEWSCRAWL_FURNITURE_MIN_PAGES = 3  # a paragraph on this many pages of one site is furniture (0 = no learning)
NEWSCRAWL_FURNITURE_MIN_SHARE = 0.2  # ... and on at least this share of the site's pages seen
NEWSCRAWL_TEMPLATE_MIN_PAGES = 5  # a field's element path on this many article pages of one site becomes its template (0 = no learning)
NEWSCRAWL_TEMPLATE_MIN_SHARE = 0.6  # ... and on at least this share of the pages where the field was found
NEWSCRAWL_FAST_PATH_MIN_PAGES = 10  # a site's article layout on this many pages is read by the template fast path (0 = off; needs template learning)
NEWSCRAWL_FAST_PATH_MIN_SHARE = 0.9  # ... and on at least this share of the site's pages with its headline path
NEWSCRAWL_FAST_PATH_VERIFY_EVERY = 10  # every Nth page of a site with a confident layout is parsed both ways and compared (1 = every page) ...
NEWSCRAWL_FAST_PATH_VERIFY_MAX_EVERY = 40  # ... N doubling after each agreeing check up to this, back to the above at a page the layouts do not read (<= the above: fixed)
NEWSCRAWL_LANGUAGES: list[str] = []  # store only articles in these languages ("de", "fr"; --language; [] = every language)
NEWSCRAWL_MAX_ARTICLES = 0  # stop after this many article pages (0 = no limit)
NEWSCRAWL_MAX_ATTEMPTS = 3  # a URL that failed this many times is not retried by later runs
NEWSCRAWL_MAX_LISTING_PAGES = 50  # section and pagination pages fetched per run (0 = no limit)
NEWSCRAWL_METRICS_HOST = "127.0.0.1"  # address the Prometheus endpoint listens on ("0.0.0.0": every interface)
NEWSCRAWL_METRICS_PORT = 0  # port of the Prometheus endpoint /metrics of crawl, worker and ingest (0 = none)
NEWSCRAWL_MIN_BODY_CHARS = 200  # shorter bodies are not stored as articles
NEWSCRAWL_PARSE_PROCESSES = 0  # processes parsing pages beside the reactor (0 = one per CPU core, 1 = inline)
NEWSCRAWL_PROGRESS = "off"  # off | tty | json: live progress line or JSON progress records (crawler.progress)
NEWSCRAWL_PROGRESS_INTERVAL = 1.0  # seconds between progress updates
NEWSCRAWL_PROXY = ""  # http(s)://[user:password@]host:port every request goes through ("" = http_proxy / https_proxy from the environment, if set)
NEWSCRAWL_RENDER = "never"  # never | auto | always: pages rendered in Chromium (crawler/render; --render, a profile's render); auto = script shells only
NEWSCRAWL_RENDER_BLOCKED_TYPES = ["image", "font", "media"]  # resource types the browser never fetches while rendering
NEWSCRAWL_RENDER_BROWSER = "/usr/bin/chromium"  # the Chromium executable (Debian's package; never a downloaded browser)
NEWSCRAWL_RENDER_CONCURRENCY = 2  # pages rendering at once, at most
NEWSCRAWL_RENDER_CONTEXT_PAGES = 25  # pages rendered in one browser context before it is closed and a new one opened
NEWSCRAWL_RENDER_IDLE = 1.0  # seconds the network must stay quiet after the load event before the page is read
NEWSCRAWL_RENDER_TIMEOUT = 15.0  # seconds per render: a page still loading then is read as it stands
NEWSCRAWL_REFRESH = False  # fetch stored articles again (conditional requests) instead of skipping them
NEWSCRAWL_SINCE = ""  # YYYY-MM-DD or ISO 8601: articles published earlier are not fetched or stored ("" = open)
NEWSCRAWL_SITES_PATH = "sites.toml"  # site profiles file (crawler/profiles.py; --sites on the command line)
NEWSCRAWL_SUMMARY_SENTENCES = 3  # sentences in an article's extractive summary (0 = no summaries)
NEWSCRAWL_STAY_ON_SITE = True  # follow links only on the start URLs' sites
NEWSCRAWL_UNTIL = ""  # YYYY-MM-DD or ISO 8601: articles published later are not fetched or stored ("" = open)

# --- Redis scale-out (newscrawl worker / ingest / enqueue) -----------------------------------
NEWSCRAWL_INGEST_BATCH_SIZE = 500  # items the ingester writes to SQLite per transaction
NEWSCRAWL_REDIS_IDLE_CLOSE_SECONDS = 60  # workers and the ingester stop after the frontier was empty this long (0 = never)
NEWSCRAWL_REDIS_LEASE_SECONDS = 120  # visibility timeout: a taken request not acknowledged by then is handed out again
NEWSCRAWL_REDIS_NAMESPACE = "newscrawl"  # prefix of every Redis key of one crawl
NEWSCRAWL_REDIS_OUTAGE_SECONDS = 120  # workers and the ingester retry an unreachable Redis (with back-off) this long, then exit 4
NEWSCRAWL_REDIS_SEEN_CAPACITY = 1_000_000  # pages the shared seen filter's first Bloom filter holds (each next one twice as many)
NEWSCRAWL_REDIS_SEEN_ERROR = 1e-5  # its false-positive rate (the next ones halve it: below 2x this over all)
NEWSCRAWL_REDIS_SITE_CONCURRENCY = None  # requests of one site in flight over all workers (None: CONCURRENT_REQUESTS_PER_DOMAIN)
NEWSCRAWL_REDIS_SITE_DELAY = None  # seconds between requests to one site over all workers (None: DOWNLOAD_DELAY)
NEWSCRAWL_REDIS_TIMEOUT = 10  # seconds to connect to Redis and to wait for each answer
NEWSCRAWL_REDIS_URL = "redis://127.0.0.1:6379/0"  # the shared frontier and item queue
