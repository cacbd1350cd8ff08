"""HTML the fault server sends: article pages in several charsets, trap pages, a soft 404.

Every text here is written for these tests. Article bodies are long enough for article
detection and the validate pipeline, and no two pages share a paragraph, so a page that
is not stored was refused for the fault it carries, not for being short or furniture.
"""

from __future__ import annotations

import html
import random

# Sentences the fault server's English articles are made of. Each page draws its own
# paragraphs from them (``story_paragraphs``): pages of one site that share whole
# paragraphs look like site furniture to the furniture pipeline, which removes them.
ENGLISH_SENTENCES = (
    "The harbour authority opened its new tide gauge on Monday.",
    "It replaces an instrument that had recorded the water level by the old pier since the winter of 1952.",
    "Engineers said the gauge reports every minute instead of every hour.",
    "That lets the pilots who bring freighters through the narrow channel plan their approach with less guesswork.",
    "Fishermen at the morning market were less impressed.",
    "\"The sea was here before the gauge,\" one of them said, \"and it will be here when the batteries run out.\"",
    "The council paid for the gauge from a fund set aside after the flood of 2014.",
    "Readings are published on the authority's website and on a screen outside the ferry terminal.",
    "Schoolchildren from the island primary visited the pier to watch the installation.",
    "A second gauge is planned for the river mouth next spring, if the survey finds firm ground.",
    "The old instrument will go to the maritime museum, where it will stand beside the lighthouse lens.",
    "Sailing clubs have asked for a warning when the water drops below the slipway.",
    "The authority said such a warning could be sent by text message before the summer regatta.",
    "Insurance brokers in the town welcomed the finer readings after two wet winters.",
    "The pier itself needs new timbers, and the repair will close its far end for three weeks.",
    "Divers found the base of the old gauge in good condition, cased in a thick crust of mussels.",
    "Volunteers will keep the paper tide tables going for one more year, for those who prefer them.",
    "The harbour master said the new readings already differ from the printed tables by a few centimetres.",
    "Visitors can read a short history of the pier on new boards along the promenade.",
    "The ferry company expects fewer delayed departures on spring tides.",
    "A local artist has painted the gauge housing in the colours of the town's old fishing fleet.",
    "The authority will publish a year of readings as open data for the university's coastal study.",
    "Power comes from a small solar panel, with a battery that lasts a week without sun.",
    "Anyone who spots damage to the housing is asked to call the harbour office.",
)


def story_paragraphs(name: str, *, count: int = 4, sentences: int = 3) -> tuple[str, ...]:
    """Paragraphs of their own for the page called ``name``: the same name, the same text."""
    picked = random.Random(name).sample(ENGLISH_SENTENCES, count * sentences)
    return tuple(" ".join(picked[index : index + sentences]) for index in range(0, len(picked), sentences))


# Text the charset pages must come out as, whatever the bytes on the wire were.
CAFE_PARAGRAPHS = (
    "Das Café am Zürcher Seeufer öffnet nach dem Umbau wieder: größere Fenster, ein neuer Ofen, "
    "und die Äpfel für den Kuchen kommen weiterhin vom Hof der Familie Brändli oberhalb von Küsnacht.",
    "Die Betreiberin sagt, die Gäste hätten während der Schließung Postkarten geschickt, "
    "manche aus Übersee, und sie habe jede einzelne über der Kasse aufgehängt.",
    "Neu ist eine kleine Bühne im hinteren Raum, auf der an Donnerstagen Lesungen stattfinden; "
    "den Anfang macht eine Autorin aus Rüschlikon, die über die Fähren auf dem See geschrieben hat.",
    "Die Preise bleiben, wie sie waren, nur der Cappuccino kostet zwanzig Rappen mehr, "
    "weil die Rösterei am Stadtrand ihre Bohnen jetzt aus einer Kooperative in Äthiopien bezieht.",
)
CYRILLIC_PARAGRAPHS = (
    "Городская библиотека продлила часы работы читального зала: теперь он открыт до десяти вечера, "
    "а по субботам с девяти утра, как просили студенты и пенсионеры.",
    "Директор библиотеки рассказала, что за первую неделю вечерние часы посетили почти триста "
    "человек, и многие из них раньше никогда не были записаны в библиотеку.",
    "Вечером в зале работают два библиотекаря, а выдача и возврат книг принимаются до половины "
    "десятого; электронный каталог доступен круглосуточно на сайте библиотеки.",
    "В следующем году библиотека хочет открыть небольшой филиал в районном доме культуры, "
    "а родители уже просят добавить вечерние чтения для детей младшего школьного возраста.",
)
JAPANESE_PARAGRAPHS = (
    "市立図書館は閲覧室の開館時間を延長し、平日は午後十時まで、土曜日は午前九時から利用できるようになりました。"
    "仕事帰りに立ち寄りたいという会社員や、試験勉強の場所を探している学生、静かに新聞を読みたいという高齢者から、"
    "以前から多くの要望が寄せられていたということです。",
    "館長によると、延長後の最初の一週間で約三百人が夜間に来館し、その多くはこれまで利用者登録をしていなかった人たちでした。"
    "夜の閲覧室では職員が二人体制で案内を行い、貸し出しや返却の手続きも閉館の三十分前まで受け付けています。",
    "図書館は今後も利用状況を見ながら時間を調整するとしており、来年の春には地域の公民館に小さな分館を開く計画も検討しています。"
    "利用者からは、子ども向けの読み聞かせの時間を夕方にも設けてほしいという声も上がっています。",
)


def article_html(
    title: str,
    paragraphs: tuple[str, ...],
    *,
    lang: str = "en",
    meta_charset: str | None = None,
    next_url: str | None = None,
    prev_url: str | None = None,
    extra_head: str = "",
    published: str = "2025-09-11T08:30:00+00:00",
) -> str:
    """An ordinary article page: headline, date, author, paragraphs, prev/next navigation."""
    head = [f'<meta charset="{meta_charset}">'] if meta_charset else []
    head.append(f"<title>{html.escape(title)}</title>")
    head.append(f'<meta property="og:title" content="{html.escape(title)}">')
    head.append('<meta property="og:type" content="article">')
    head.append(f'<meta property="article:published_time" content="{published}">')
    nav = []
    if prev_url:
        head.append(f'<link rel="prev" href="{prev_url}">')
        nav.append(f'<a rel="prev" href="{prev_url}">Previous Article</a>')
    if next_url:
        head.append(f'<link rel="next" href="{next_url}">')
        nav.append(f'<a rel="next" href="{next_url}">Next Article</a>')
    body = "\n".join(f"<p>{html.escape(paragraph)}</p>" for paragraph in paragraphs)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head>{"".join(head)}{extra_head}</head><body>'
        f"<article><h1>{html.escape(title)}</h1>"
        f'<p class="byline">By <span class="author">Ada Lindqvist</span>, '
        f'<time datetime="{published}">11 September 2025</time></p>'
        f"{body}</article>"
        f'<nav class="post-navigation">{"".join(nav)}</nav>'
        "</body></html>"
    )


def soft_404_html() -> str:
    """A 200 answer that is an error page: what many CMSs send for a missing article.

    It has as much text as a short article, so only recognising it for what it is keeps
    it out of the articles table, not its length.
    """
    return (
        '<!DOCTYPE html><html lang="en"><head><title>Page not found | The Harbour Gazette</title>'
        '<meta property="og:type" content="website"></head>'
        "<body><header><a href='/'>The Harbour Gazette</a></header>"
        "<main><h1>Sorry, we couldn't find that page</h1>"
        "<p>Error 404. The page you are looking for may have been moved, renamed or deleted, or the "
        "address may have been typed incorrectly. Our archive was reorganised last spring, and some "
        "older stories now live under new addresses that the old links do not know about yet.</p>"
        "<p>You can search the archive with the box at the top of this page, browse the latest "
        "stories from the harbour, the council and the schools, or go back to the front page. If you "
        "followed a link from another site, please let them know that it is broken.</p>"
        "<p>If you think this page should exist, write to the web desk and tell us where you found the "
        "link; we read every message and fix what we can within a few working days.</p>"
        "<ul class='popular'><li><a href='/a.html'>Most read: tide gauge</a></li></ul></main>"
        "<footer>© The Harbour Gazette</footer></body></html>"
    )


def listing_html(page: int, article_paths: list[str], next_url: str) -> str:
    """A section page: headlines linking to articles, and a "next page" link that never ends."""
    items = "".join(f"<li><a href='{path}'>Harbour notes, page {page}, item {index}</a></li>" for index, path in enumerate(article_paths))
    return (
        f'<!DOCTYPE html><html lang="en"><head><title>Archive, page {page}</title>'
        f'<link rel="next" href="{next_url}"></head><body><h1>Archive, page {page}</h1>'
        f"<ul class='article-list'>{items}</ul>"
        f'<a class="next page-numbers" rel="next" href="{next_url}">Older stories</a></body></html>'
    )


def calendar_html(year: int, month: int, next_url: str) -> str:
    """An events calendar month whose "next month" link never ends."""
    days = "".join(f"<td><a href='/events/{year}/{month:02d}/{day:02d}'>{day}</a></td>" for day in range(1, 29))
    return (
        f'<!DOCTYPE html><html lang="en"><head><title>Events {year}-{month:02d}</title>'
        f'<link rel="next" href="{next_url}"></head><body><h1>What\'s on: {year}-{month:02d}</h1>'
        f"<table class='calendar'><tr>{days}</tr></table>"
        f'<a rel="next" href="{next_url}">Next month</a></body></html>'
    )
