"""URL keys shared by the spider, the pipelines and the storage: site key and canonical URL.

``site_key`` names the site a URL belongs to (what "stay on the site" and the
``site`` column mean); ``canonical_url`` is the storage key of an article (what the
spider remembers as seen and what de-duplication compares). Both are pure functions.

courlan's ``normalize_url`` was considered for the tracking filter and not used: its
tracker pattern also strips ordinary parameters that merely start with the same
letters (``gallery``, ``reference``, ``affair``), which would merge distinct pages.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

HTTP_SCHEMES = frozenset({"http", "https"})
_DEFAULT_PORTS = {"http": 80, "https": 443}
CANONICAL_CACHE = 4096  # URLs whose canonical form, site and kind are remembered (a crawl asks each many times within seconds)

# Query parameters that only say where a click came from. Exact names (lower case):
TRACKING_PARAMETERS = frozenset(
    {
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "cmpid",
        "dclid",
        "fbclid",
        "gbraid",
        "gclid",
        "gclsrc",
        "igshid",
        "mc_cid",
        "mc_eid",
        "mkt_tok",
        "msclkid",
        "ocid",
        "ref_src",
        "ref_url",
        "s_cid",
        "twclid",
        "wbraid",
        "wt_mc",
        "yclid",
    }
)
# ... and name prefixes (Google Analytics, Matomo/Piwik, HubSpot ads, Adobe, Omeda, Vero):
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "at_", "oly_", "vero_", "__twitter_")


@lru_cache(maxsize=CANONICAL_CACHE)
def is_http_url(url: str) -> bool:
    """True for an absolute http(s) URL with a host and no user name or password.

    Credentials in a URL would be stored (runs, failures, articles) and logged, and
    Scrapy does not send them anyway: such a URL is never requested. The last
    CANONICAL_CACHE answers are remembered, as ``canonical_url``'s are.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in HTTP_SCHEMES and bool(parts.hostname) and "@" not in parts.netloc


def url_problem(url: str) -> str | None:
    """Why a URL a person gave cannot start a crawl (said without its password), or None."""
    if is_http_url(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if parts is not None and "@" in parts.netloc:
        return (f"a user name or password in a URL is not supported (it would be stored and logged): "
                f"{redacted(url)}")
    return f"not an http(s) URL: {url}"


def redacted(url: str) -> str:
    """``url`` as it may be shown: a password in it becomes ``***``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    userinfo, at, host = parts.netloc.rpartition("@")
    if not at or ":" not in userinfo:
        return url
    return urlunsplit(parts._replace(netloc=f"{userinfo.split(':', 1)[0]}:***@{host}"))


def _port_suffix(scheme: str, port: int | None) -> str:
    if port is None or port == _DEFAULT_PORTS.get(scheme):
        return ""
    return f":{port}"


@lru_cache(maxsize=CANONICAL_CACHE)
def site_key(url: str) -> str:
    """The site a URL belongs to: its host, lower case, without ``www.``, plus ``:port``
    when the port is not the scheme's default (``news.example``, ``127.0.0.1:8001``).
    Returns "" for a URL without a host. The last CANONICAL_CACHE answers are remembered:
    a crawl asks for the site of a page's URL about eight times (the template hint, the crawl
    state, the storage key), as it does for its canonical form."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    host = (parts.hostname or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    if not host:
        return ""
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    return host + _port_suffix(parts.scheme.lower(), port)


def is_tracking_parameter(name: str) -> bool:
    name = name.lower()
    return name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES)


@lru_cache(maxsize=CANONICAL_CACHE)
def canonical_url(url: str) -> str:
    """The storage key of a page URL.

    Tracking parameters out, the fragment out, the scheme's default port out, the host
    lower case, query parameters sorted and percent-encoding normalised (w3lib's
    ``canonicalize_url``). The path keeps its case and trailing slash: servers treat
    those as different pages.

    The last CANONICAL_CACHE answers are remembered: a crawl asks for the key of one URL
    about fifteen times between the link that names it and the row that stores it (the
    spider's seen set, the crawl state, de-duplication), and w3lib's normalisation is the
    costly part.
    """
    parts = urlsplit(url.strip())
    query = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not is_tracking_parameter(name)
    ]
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    host = (parts.hostname or "").lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host + _port_suffix(scheme, port)  # user:password@ never belongs in a key
    rebuilt = urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))
    return canonicalize_url(rebuilt, keep_fragments=False)
