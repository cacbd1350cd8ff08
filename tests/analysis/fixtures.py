"""A small newscrawl database for the analyst tests, written through the store API."""

from __future__ import annotations

import hashlib
from pathlib import Path

from crawler.storage import ArticleStore, open_database
from crawler.storage.store import ArticleRow
from crawler.summarize import summarize

RIVER = "https://river.example"
BERG = "https://berg.example"
SCRIPT_TITLE = "<script>window.__injected = 1</script> Council ferry vote"
FORMULA_BODY = "=HYPERLINK(\"http://evil.example\",\"click\") starts this body."

# (path, title, published_at, language, authors, body)
ARTICLES: list[tuple[str, str, str | None, str, list[str], str]] = [
    (
        f"{RIVER}/2025/03/03/bridge-budget.html",
        "Council approves the bridge budget",
        "2025-03-03T09:15:00+01:00",
        "en",
        ["Ada Lovelace"],
        "The city council approved the bridge budget on Monday after a long debate. "
        "The bridge budget covers repairs to the river bridge and a new cycle lane.\n\n"
        "Engineers warned that the river bridge needs repairs before winter. "
        "Residents welcomed the decision and asked for a quick start of the works.",
    ),
    (
        f"{RIVER}/2025/03/04/library-hours.html",
        "Library opens on Sundays",
        "2025-03-04T10:00:00+01:00",
        "en",
        ["Grace Hopper", "Ada Lovelace"],
        "The public library will open on Sundays from April, the town announced. "
        "Volunteers from the reading club offered to staff the desk in the afternoons.\n\n"
        "The library expects families to use the new hours for the children's corner. "
        "A trial period of six months will show whether the Sunday hours stay.",
    ),
    (
        f"{RIVER}/2025/03/05/ferry-vote.html",
        SCRIPT_TITLE,
        "2025-03-05",
        "en",
        [],
        "The council will vote on a ferry link between the two river banks next week. "
        "Supporters say the ferry would cut the trip to the market by twenty minutes.\n\n"
        "Opponents doubt that the ferry can pay for itself outside the summer season. "
        "<script>document.title = 'owned'</script> was typed by a reader into the comment form.",
    ),
    (
        f"{RIVER}/2025/03/06/market.html",
        "Covid-19 rules end at the market",
        "2025-03-06T08:00:00+01:00",
        "en",
        ["Alan Turing"],
        FORMULA_BODY + " The weekly market drops its last covid-19 rules this Saturday. "
        "Traders said the market will keep the wider aisles that customers liked.\n\n"
        "The market hall will also stay open one hour longer on Saturdays from now on.",
    ),
    (
        f"{BERG}/2025/03/04/bruecke.html",
        "Stadtrat beschließt Brückensanierung",
        "2025-03-04T18:30:00+01:00",
        "de",
        ["Erika Mustermann"],
        "Der Stadtrat hat am Dienstag die Sanierung der alten Brücke beschlossen. "
        "Die Arbeiten an der Brücke sollen im Frühjahr beginnen und zwei Jahre dauern.\n\n"
        "Während der Sanierung wird eine Umleitung über die Nordstraße eingerichtet. "
        "Die Anwohner fordern einen Lärmschutz während der nächtlichen Arbeiten.",
    ),
    (
        f"{BERG}/2025/03/07/markt.html",
        "Wochenmarkt bekommt zweiten Termin",
        None,
        "de",
        [],
        "Der Wochenmarkt findet ab April auch am Donnerstag statt, teilte die Stadt mit. "
        "Die Händler hatten sich seit Jahren einen zweiten Markttag gewünscht.\n\n"
        "Der neue Termin soll zunächst bis zum Herbst gelten und dann geprüft werden.",
    ),
]

# (keywords, lead image, free to read) of the first articles; the others have none
EXTRAS = [
    (["Bridge", "Council"], f"{RIVER}/img/bridge.jpg", False),
    (["Library", "Council"], None, True),
]

# The river.example chain in order, and berg.example's two articles linked together.
CHAIN = [a[0] for a in ARTICLES[:4]]
NOT_CRAWLED = f"{RIVER}/2025/03/07/not-crawled.html"


def _row(index: int, article: tuple) -> ArticleRow:
    url, title, published_at, language, authors, body = article
    chain = CHAIN if url in CHAIN else [ARTICLES[4][0], ARTICLES[5][0]]
    position = chain.index(url)
    prev_url = chain[position - 1] if position > 0 else None
    next_url = chain[position + 1] if position + 1 < len(chain) else None
    if url == CHAIN[-1]:
        next_url = NOT_CRAWLED  # the page names a next article the crawl did not store
    keywords, image_url, free_to_read = EXTRAS[index] if index < len(EXTRAS) else ([], None, None)
    return ArticleRow(
        url=url,
        site=url.split("/")[2],
        title=title,
        body=body,
        content_hash=hashlib.sha256((title + body).encode()).hexdigest(),
        fetched_at=f"2025-03-10T12:00:{index:02d}+00:00",
        published_at=published_at,
        authors=tuple(authors),
        language=language,
        description=body.split(". ")[0],
        prev_url=prev_url,
        prev_title=None,
        next_url=next_url,
        next_title=None,
        word_count=len(body.split()),
        summary=summarize(body, language),
        keywords=tuple(keywords),
        image_url=image_url,
        free_to_read=free_to_read,
    )


def build_database(path: Path) -> Path:
    db = open_database(path)
    store = ArticleStore(db)
    run_id = store.start_run(spider="article", started_at="2025-03-10T12:00:00+00:00", arguments={"url": RIVER})
    store.upsert_articles([_row(i, a) for i, a in enumerate(ARTICLES)])
    store.record_failures(
        [
            {"url": f"{RIVER}/missing.html", "reason": "http_404", "detail": "Not Found", "http_status": 404,
             "failed_at": "2025-03-10T12:00:30+00:00", "site": "river.example"},
            {"url": f"{RIVER}/section/", "reason": "not_article", "detail": "listing page",
             "failed_at": "2025-03-10T12:00:31+00:00", "site": "river.example"},
        ],
        run_id=run_id,
    )
    store.finish_run(
        run_id,
        finished_at="2025-03-10T12:01:00+00:00",
        outcome="partial",
        finish_reason="finished",
        counts={"pages_fetched": 8, "articles_new": 6, "failed": 1, "skipped": 1},
    )
    db.conn.close()
    return path
