"""A script-built news site on 127.0.0.1: every article page is a shell its script fills (tests/render, bench/render).

    with ScriptSite(articles=24) as site:
        site.url("/a/1.html")

- ``/a/N.html`` (N = 1..articles): a loading shell (``<div id="root">``, ``/app.js``); the script
  fetches ``/api/N.json`` and writes the headline, date, byline, paragraphs and the prev/next
  links into the page. Nothing of the article is in the HTML the server sends.
- ``/next/story-N.html`` (N = 1..3): a Next.js-style page whose article is only in ``__NEXT_DATA__`` (readable
  without a browser), its neighbours given by slug.
- ``/slow.html``: a shell whose script writes the article at once, then loads a frame that never
  answers (``/hang``) and adds another every half second: the load event never comes.
- ``/ssrf.html``: a shell whose script writes the article and then tries to reach the private
  server (``private_url``) by fetch, image, frame, WebSocket, beacon, script, popup, worker,
  shared worker and a redirect from this site.
- ``/popups.html``: a shell that writes the article, then opens 1000 popups and 1000 frames.
- ``/plain/N.html``: an ordinary server-rendered article chain (the control for ``auto``).

``private`` is a second server on 127.0.0.2 (loopback, refused unless allowed): it counts
every request that reaches it in ``private_hits``.
"""

from __future__ import annotations

import json
import threading
import zlib
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from crawler.demo.synthetic import article_text

APP_JS = """
(async () => {
  const id = document.body.dataset.article;
  const data = await (await fetch('/api/' + id + '.json')).json();
  const root = document.getElementById('root');
  const nav = [data.prev ? `<a rel="prev" href="${data.prev}">Previous article</a>` : '',
               data.next ? `<a rel="next" href="${data.next}">Next article</a>` : ''].join(' ');
  root.innerHTML = `<article><h1>${data.title}</h1>
    <p class="byline">By ${data.author} <time datetime="${data.published}">${data.published}</time></p>
    ${data.paragraphs.map(p => '<p>' + p + '</p>').join('')}
    <nav class="article-nav">${nav}</nav></article>`;
})();
"""


def _day(k: int) -> str:
    """The k-th article's day: one a day from 1 January 2025 (any number of articles has real dates)."""
    return (date(2025, 1, 1) + timedelta(days=k)).isoformat()


def title_of(name: str) -> str:
    return f"Harbour report {name}: the council's new plan"


def paragraphs_of(name: str) -> tuple[str, ...]:
    """The page called ``name``'s paragraphs: the same name, the same text (English, 300-450 words)."""
    return article_text("en", seed=17, chain=1, index=zlib.crc32(name.encode()) % 997).paragraphs


def _shell(article: str, extra: str = "") -> str:
    return f"""<!doctype html><html><head><title>Harbour News</title><meta property="og:type" content="article">
<script src="/app.js" defer></script></head>
<body data-article="{article}"><div id="root"><div class="spinner"></div></div>
<noscript>Please enable JavaScript to read this site.</noscript>{extra}</body></html>"""


def _inline_writer(name: str, after: str = "") -> str:
    text = "".join(f"<p>{p}</p>" for p in paragraphs_of(name))
    return f"""<script>document.addEventListener('DOMContentLoaded', () => {{
  document.getElementById('root').innerHTML = {json.dumps(f'<article><h1>{title_of(name)}</h1><p class="byline">By Ann Writer <time datetime="2025-09-11T08:30:00Z">11 September 2025</time></p>{text}</article>')};
  {after}
}});</script>"""


class _Handler(BaseHTTPRequestHandler):
    site: ScriptSite

    def log_message(self, *args: Any) -> None:
        pass

    def _send(self, body: str, content_type: str = "text/html; charset=utf-8", status: int = 200, headers: dict[str, str] | None = None) -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802
        site, path = self.site, self.path.split("?")[0]
        site.hits.append(path)
        n = site.articles
        if path == "/robots.txt":
            return self._send("User-agent: *\nAllow: /\n", "text/plain")
        if path == "/app.js":
            return self._send(APP_JS, "application/javascript")
        if path.startswith("/a/") and path.endswith(".html"):
            return self._send(_shell(path[3:-5]))
        if path.startswith("/api/") and path.endswith(".json") and path[5:-5].isdigit():
            k = int(path[5:-5])
            data = {"title": title_of(str(k)), "author": "Ann Writer", "published": f"{_day(k)}T08:30:00Z",
                    "paragraphs": paragraphs_of(str(k)), "prev": f"/a/{k - 1}.html" if k > 1 else None,
                    "next": f"/a/{k + 1}.html" if k < n else None}  # fmt: skip
            return self._send(json.dumps(data), "application/json")
        if path.startswith("/next/story-") and path.endswith(".html"):
            k = int(path[12:-5])
            article = {"slug": f"story-{k}", "title": title_of(f"next-{k}"), "publishedAt": f"2025-08-{k:02d}T10:00:00Z",
                       "author": {"name": "Ben Editor"}, "body": "".join(f"<p>{p}</p>" for p in paragraphs_of(f"next-{k}")),
                       "previous": {"slug": f"story-{k - 1}"} if k > 1 else None, "next": {"slug": f"story-{k + 1}"} if k < 3 else None}  # fmt: skip
            data = json.dumps({"props": {"pageProps": {"article": article}}, "page": "/next/[slug]", "buildId": "b1"})
            return self._send(_shell(f"next-{k}", f'<script id="__NEXT_DATA__" type="application/json">{data}</script>'))
        if path == "/slow.html":
            # a frame that never answers, and another every half second: the load event never comes
            frames = "setInterval(() => { const f = document.createElement('iframe'); f.src = '/hang'; document.body.appendChild(f); }, 500);"
            return self._send(_shell("slow", _inline_writer("slow") + f'<iframe src="/hang"></iframe><script>{frames}</script>'))
        if path == "/hang":
            site.stop.wait(60)
            return None
        if path == "/ssrf.html":
            private = site.private_url
            tries = f"""fetch('{private}/fetch').catch(() => {{}});
  const img = new Image(); img.src = '{private}/image.png';
  const frame = document.createElement('iframe'); frame.src = '{private}/frame'; document.body.appendChild(frame);
  try {{ new WebSocket('{private.replace("http", "ws")}/socket'); }} catch (e) {{}}
  navigator.sendBeacon('{private}/beacon', 'x');
  fetch('/redirect-private').catch(() => {{}});
  const s = document.createElement('script'); s.src = '{private}/script.js'; document.head.appendChild(s);
  window.open('{private}/popup');
  const code = "fetch('{private}/worker').catch(() => {{}});";
  new Worker(URL.createObjectURL(new Blob([code], {{type: 'text/javascript'}})));
  try {{ new SharedWorker(URL.createObjectURL(new Blob([code], {{type: 'text/javascript'}}))); }} catch (e) {{}}"""
            return self._send(_shell("ssrf", _inline_writer("ssrf", tries)))
        if path == "/popups.html":
            query = self.path.partition("?")[2]
            popup = "window.open('/plain/1.html?popup=' + i);" if "frames" not in query else ""
            frame = "const f = document.createElement('iframe'); f.src = '/plain/2.html?frame=' + i; document.body.appendChild(f);" if "popups" not in query else ""
            storm = f"for (let i = 0; i < 1000; i++) {{ {popup} {frame} }}"
            return self._send(_shell("popups", _inline_writer("popups", storm)))
        if path == "/redirect-private":
            return self._send("", status=302, headers={"Location": f"{site.private_url}/redirected"})
        if path.startswith("/plain/") and path.endswith(".html"):
            k = int(path[7:-5])
            links = (f'<a rel="prev" href="/plain/{k - 1}.html">Previous</a>' if k > 1 else "") + (
                f'<a rel="next" href="/plain/{k + 1}.html">Next</a>' if k < n else "")  # fmt: skip
            text = "".join(f"<p>{p}</p>" for p in paragraphs_of(f"plain-{k}"))
            return self._send(f"""<html><head><title>{title_of(f"plain-{k}")}</title><meta property="og:type" content="article">
<meta property="article:published_time" content="{_day(k)}T08:00:00Z"></head><body><article><h1>{title_of(f"plain-{k}")}</h1>
{text}<nav>{links}</nav></article></body></html>""")  # fmt: skip
        return self._send("<html><body>not found</body></html>", status=404)

    def do_POST(self) -> None:  # noqa: N802
        self.site.hits.append(self.path)
        self._send("", status=204)


class _PrivateHandler(BaseHTTPRequestHandler):
    site: ScriptSite

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        self.site.private_hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_POST = do_GET  # noqa: N815


class ScriptSite:
    def __init__(self, articles: int = 24) -> None:
        self.articles = articles
        self.hits: list[str] = []
        self.private_hits: list[str] = []
        self.stop = threading.Event()
        handler = type("Handler", (_Handler,), {"site": self})
        private = type("PrivateHandler", (_PrivateHandler,), {"site": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.private = ThreadingHTTPServer(("127.0.0.2", 0), private)
        self.server.daemon_threads = self.private.daemon_threads = True

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    @property
    def private_url(self) -> str:
        return f"http://127.0.0.2:{self.private.server_address[1]}"

    def __enter__(self) -> ScriptSite:
        for server in (self.server, self.private):
            threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop.set()
        for server in (self.server, self.private):
            server.shutdown()
            server.server_close()
