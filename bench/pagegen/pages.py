"""The seven page types, each drawn from many variants: ``article`` and the six kinds of page
that are not one (``listing``, ``forum``, ``documentation``, ``product``, ``collection``,
``service``).

Every type includes the variants that make it hard to tell apart: articles without metadata or
dates, with many headings and lists, buying guides with prices and shop buttons, with a grid of related stories or a thread of comments
under them; listings with long excerpts and an introduction; threads whose first post is long;
documentation written as prose without code; product and collection pages with long
descriptions; service pages with paragraphs of prose and og:type article (as many CMS set it).
A function returns (URL path, title, <head> additions, main content).
"""

from __future__ import annotations

from bench.pagegen.site import Site, esc, head

Page = tuple[str, str, str, str]


def _maybe(site: Site, probability: float, value: str) -> str:
    return value if site.rng.random() < probability else ""


def _paragraphs(site: Site, count: int, *, sentences: tuple[int, int] = (1, 5), voice: str | None = None) -> str:
    return "".join(f"<p>{esc(site.text.paragraph(sentences, voice=voice))}</p>" for _ in range(count))


def _byline(site: Site, author: str | None, when_text: str | None, iso: str | None) -> str:
    rng = site.rng
    parts = []
    if author:
        name = site.link(f"/author/{author.lower().replace(' ', '-')}/", author) if rng.random() < 0.5 else esc(author)
        parts.append(rng.choice(("By ", "", "Written by ")) + name)
    if when_text:
        parts.append(f'<time datetime="{iso}">{esc(when_text)}</time>' if rng.random() < 0.6 else esc(when_text))
    if not parts:
        return ""
    return f"<div{site.cls('byline')}>{' · '.join(parts)}</div>"


def _card(site: Site, *, excerpt_words: tuple[int, int] | None, dated: bool, price: bool = False, tag: str = "div") -> str:
    rng, text = site.rng, site.text
    path = "/" + "/".join(text.slug((1, 2)) for _ in range(rng.randint(1, 2))) + "/" + text.slug() + "/"
    heading = rng.choice(("h2", "h3", "h4", "div"))
    title_link = f"<{heading}{site.cls('card-title')}>{site.link(path, text.headline())}</{heading}>"
    image = _maybe(site, 0.6, f'<a href="{path}"><img src="/img/{text.token()}.jpg" alt=""></a>')
    meta = ""
    if dated:
        when = text.moment()
        meta = f"<span{site.cls('card-meta')}>{esc(text.date_text(when))}</span>"
        if rng.random() < 0.4:
            meta += f" <span>{esc(text.name())}</span>"
    excerpt = f"<p>{esc(text.sentence(excerpt_words))}</p>" if excerpt_words else ""
    cost = f"<span{site.cls('price')}>{esc(text.price())}</span>" if price else ""
    more = _maybe(site, 0.2, site.link(path, "Read more"))
    return f"<{tag}{site.cls('card')}>{image}{title_link}{meta}{excerpt}{cost}{more}</{tag}>"


def _cards(site: Site, count: int, **kwargs: object) -> str:
    """A list of cards: one run of siblings, or rows of a few (grid layouts), sometimes of two kinds."""
    rng = site.rng
    tag = rng.choice(("div", "article", "li"))
    outer = "ul" if tag == "li" else "div"
    cards = [_card(site, tag=tag, **kwargs) for _ in range(count)]  # type: ignore[arg-type]
    if rng.random() < 0.2:  # every other card of another template (ads, featured items)
        cards = [card.replace(site.cls("card"), site.cls("card-alt"), 1) if n % 2 else card for n, card in enumerate(cards)]
    if rng.random() < 0.35:
        width = rng.randint(2, 4)
        rows = ["".join(cards[n : n + width]) for n in range(0, len(cards), width)]
        return f"<div{site.cls('card-list')}>" + "".join(f"<{outer}{site.cls('row')}>{row}</{outer}>" for row in rows) + "</div>"
    return f"<{outer}{site.cls('card-list')}>{''.join(cards)}</{outer}>"


def _pagination(site: Site) -> str:
    pages = "".join(site.link(f"?page={n}", str(n)) for n in range(1, site.rng.randint(3, 9)))
    return f"<div{site.cls('pagination')}>{pages} {site.link('?page=2', 'Next')}</div>"


def _comments(site: Site, count: int) -> str:
    """Reader comments; many templates mark them as such, some do not."""
    rng, text = site.rng, site.text
    role = rng.choice(("comment", "comment", "reply", "response", "note"))
    items = "".join(
        f"<div{site.cls(role)}><div>{esc(text.username())}</div><span>{esc(text.date_text(text.moment()))}</span>"
        f"<p>{esc(text.paragraph((1, 3)))}</p>{site.link('#reply', 'Reply')}</div>"
        for _ in range(count)
    )
    return f"<div{site.cls(role + '-list')}><h3>{count} {rng.choice(('Comments', 'Responses', 'Replies'))}</h3>{items}</div>"


def article(site: Site) -> Page:
    rng, text = site.rng, site.text
    kind = rng.choice(("news", "news", "blog", "howto", "listicle", "feature", "guide", "review"))
    title = text.editorial_headline() if kind in ("howto", "listicle", "guide", "review") and rng.random() < 0.6 else text.headline((5, 14))
    when = text.moment()
    dated = rng.random() < (0.4 if kind == "guide" else 0.85)
    author = text.name() if rng.random() < (0.4 if kind == "guide" else 0.75) else None
    voice = "news" if kind == "news" else ("personal" if kind in ("blog", "review") and rng.random() < 0.5 else ("business" if rng.random() < 0.2 else None))
    parts = []
    if kind == "review":  # a buying guide: products compared in prose, each with its price and a shop button
        parts.append(_paragraphs(site, rng.randint(1, 3), voice=voice))
        for n in range(1, rng.randint(3, 10)):
            button = site.link(f"https://shop.{text.word()}.example/{text.token()}", rng.choice(("Check price", "View deal", "See it", "Buy now", text.label())), "button")
            parts.append(f"<h2>{n}. {esc(text.headline((2, 5)))}</h2>" + _paragraphs(site, rng.randint(1, 3), sentences=(2, 4), voice=voice)
                         + f"<p{site.cls('price-box')}>{esc(text.price())} {button}</p>")
    elif kind in ("howto", "guide"):
        for _ in range(rng.randint(3, 8)):
            parts.append(f"<h2>{esc(text.headline((2, 6)))}</h2>" + _paragraphs(site, rng.randint(1, 3), sentences=(1, 4), voice=voice))
            if rng.random() < 0.4:
                parts.append("<ul>" + "".join(f"<li>{esc(text.sentence((4, 14)))}</li>" for _ in range(rng.randint(3, 7))) + "</ul>")
    elif kind == "listicle":
        parts.append(_paragraphs(site, rng.randint(1, 2), voice=voice))
        for n in range(1, rng.randint(4, 11)):
            item = f"<h2>{n}. {esc(text.headline((2, 6)))}</h2>" + _paragraphs(site, rng.randint(1, 2), sentences=(2, 4), voice=voice)
            parts.append(f"<div{site.cls('list-item')}>{item}</div>" if rng.random() < 0.4 else item)
    else:
        sentences = (1, 2) if kind == "news" else (2, 6)
        for n in range(rng.randint(4, 22)):
            parts.append(_paragraphs(site, 1, sentences=sentences, voice=voice))
            if kind != "news" and n % rng.randint(3, 6) == 2 and rng.random() < 0.5:
                parts.append(f"<h2>{esc(text.headline((2, 7)))}</h2>")
            if rng.random() < 0.05:
                parts.append(f"<blockquote><p>{esc(text.sentence())}</p></blockquote>")
    standfirst = _maybe(site, 0.4, f"<p{site.cls('standfirst')}>{esc(text.sentence((12, 30)))}</p>")
    figure = _maybe(site, 0.5, f'<figure><img src="/img/{text.token()}.jpg" alt=""><figcaption>{esc(text.sentence((5, 12)))}</figcaption></figure>')
    share = _maybe(site, 0.4, f"<div{site.cls('share')}>{site.link('#', 'Share')} {site.link('#', 'Tweet')} {site.link('#', 'Email')}</div>")
    tags = _maybe(site, 0.4, f"<div{site.cls('tags')}>" + " ".join(site.link(f"/tag/{text.word()}/", text.word()) for _ in range(rng.randint(2, 6))) + "</div>")
    bio = _maybe(site, 0.2, f"<div{site.cls('author-box')}><p>{esc(author or text.name())} {esc(text.sentence((8, 20)))}</p></div>")
    related = _maybe(site, 0.4, f"<section{site.cls('related')}><h2>{esc(rng.choice(('Related', 'More stories', 'You may also like', text.label())))}</h2>"
                     + _cards(site, rng.randint(3, 8), excerpt_words=rng.choice((None, (8, 20))), dated=rng.random() < 0.5) + "</section>")
    comments = _maybe(site, 0.12, _comments(site, rng.randint(2, 25)))
    if site.ad_breaks:  # chunks of a few paragraphs, an ad slot between them
        ad = f"<div{site.cls('ad-slot')}><span>Advertisement</span></div>"
        chunks, n = [], 0
        while n < len(parts):
            size = rng.randint(1, 3)
            chunks.append(f"<div{site.cls('body-chunk')}>{''.join(parts[n : n + size])}</div>")
            n += size
        parts = [ad.join(chunks)]
    body = f"<div{site.cls(rng.choice(('article-body', 'entry-content', 'content', 'text', 'post')))}>{''.join(parts)}</div>"
    byline = _byline(site, author, text.date_text(when) if dated else None, when.isoformat())
    inner = f"{site.breadcrumb(title)}<h1>{esc(title)}</h1>{standfirst}{byline}{figure}{body}{tags}{share}{bio}"
    main = (f"<article{site.cls('post')}>{inner}</article>" if rng.random() < 0.6 else f"<div{site.cls('post')}>{inner}</div>") + related + comments
    meta = head(
        site, title=title, og_type=rng.choice(("article", "article", "article", "website", None)),
        ld_type=rng.choice(("NewsArticle", "Article", "BlogPosting", None, None, "WebPage")),
        published=when.isoformat() if dated and rng.random() < 0.6 else None, author=author,
    )
    path = rng.choice((
        f"/{when:%Y/%m/%d}/{text.slug()}/", f"/{text.word()}/{text.slug()}", f"/{text.slug((3, 10))}/",
        f"/news/{text.slug()}-{rng.randint(1000, 99999)}.html", f"/blog/{text.slug()}", f"/article/{rng.randint(10000, 999999)}",
        f"/p/{text.token(10)}", f"/{text.word()}/{when:%Y%m%d}-{text.slug((2, 5))}",
    ))
    return path, title, meta, main


def listing(site: Site) -> Page:
    rng, text = site.rng, site.text
    title = text.label((1, 3))
    intro = _maybe(site, 0.35, _paragraphs(site, rng.randint(1, 2), sentences=(1, 3)))
    excerpts = rng.choice((None, (6, 20), (6, 20), (20, 60)))
    grid = _cards(site, rng.randint(5, 30), excerpt_words=excerpts, dated=rng.random() < 0.6)
    if rng.random() < 0.3:  # a featured story on top, with a long summary
        grid = _card(site, excerpt_words=(40, 90), dated=True, tag="div") + grid
    seo = _maybe(site, 0.2, _paragraphs(site, rng.randint(1, 3), sentences=(2, 5)))
    main = f"{site.breadcrumb(title)}<h1>{esc(title)}</h1>{intro}{grid}{_pagination(site) if rng.random() < 0.7 else ''}{seo}"
    meta = head(site, title=title, og_type=rng.choice(("website", "website", "article", None, "object")),
                ld_type=rng.choice((None, None, "WebPage", "CollectionPage", "ItemList")))
    path = rng.choice((f"/category/{text.word()}/", f"/tag/{text.word()}/", f"/{text.word()}/", f"/news/{text.word()}/",
                       f"/blog/page/{rng.randint(2, 40)}/", f"/search?q={text.word()}", f"/topics/{text.slug((1, 3))}",
                       f"/{text.word()}/{text.word()}/", f"/{text.slug((3, 6))}/"))
    return path, title, meta, main


def forum(site: Site) -> Page:
    rng, text = site.rng, site.text
    title = text.editorial_headline() if rng.random() < 0.3 else text.headline((4, 12)) + rng.choice(("?", "", "", " (help)"))
    qa = rng.random() < 0.3
    posts = []
    count = rng.randint(2, 25)
    start = text.moment()
    timed = rng.random() < 0.5
    profiles = rng.choice(("/members/{user}.{n}/", "/u/{user}", "/user/{user}", "/profile/{n}", "#", "/{user}"))
    for n in range(count):
        user = text.username()
        profile = profiles
        when = text.moment(start)
        stamp = f'<time datetime="{when.isoformat()}">{esc(text.date_text(when))}</time>' if timed else esc(text.date_text(when))
        first = n == 0
        length = (1, 7) if first else (1, 3)
        if rng.random() < 0.7:
            content = "<br><br>".join(esc(text.paragraph((1, 3), words=(4, 18))) for _ in range(rng.randint(*length)))
            content = f"<div{site.cls('post-body')}>{content}</div>"
        else:
            content = "".join(f"<p>{esc(text.paragraph((1, 3), words=(4, 18)))}</p>" for _ in range(rng.randint(*length)))
            content = f"<div{site.cls('post-body')}>{content}</div>"
        userbox = f"<div{site.cls('post-author')}>{site.link(profile.format(user=user, n=rng.randint(1, 99999)), user)}" + _maybe(site, 0.5, f"<span>Posts: {rng.randint(1, 5000)}</span>") + "</div>"
        votes = f"<div{site.cls('votes')}>{rng.randint(-3, 120)}</div>" if qa else ""
        actions = _maybe(site, 0.6, f"<div{site.cls('post-actions')}>{site.link('#', 'Reply')} {site.link('#', 'Quote')} {site.link('#', 'Like')}</div>")
        role = "question" if qa and first else ("answer" if qa else "post")
        posts.append(f"<div{site.cls(role)}>{votes}{userbox}<div>{stamp}</div>{content}{actions}</div>")
    reply = _maybe(site, 0.5, "<form><textarea name='message'></textarea><button>Post reply</button></form>")
    main = f"{site.breadcrumb(title)}<h1>{esc(title)}</h1>{''.join(posts)}{_pagination(site) if rng.random() < 0.3 else ''}{reply}"
    meta = head(site, title=title, og_type=rng.choice(("website", None, "article")), ld_type=rng.choice((None, None, None, "DiscussionForumPosting", "QAPage", "WebPage")),
                published=start.isoformat() if rng.random() < 0.2 else None)
    path = rng.choice((f"/threads/{text.slug()}.{rng.randint(100, 99999)}/", f"/t/{text.slug()}/{rng.randint(100, 99999)}", f"/forum/{text.word()}/{text.slug()}",
                       f"/questions/{rng.randint(1000, 999999)}/{text.slug()}", f"/viewtopic.php?t={rng.randint(100, 99999)}", f"/community/{text.slug()}",
                       f"/{text.word()}/{text.slug()}-{rng.randint(100, 9999)}/", f"/d/{rng.randint(100, 9999)}-{text.slug()}"))
    return path, title, meta, main


def documentation(site: Site) -> Page:
    rng, text = site.rng, site.text
    title = text.editorial_headline() if rng.random() < 0.2 else text.headline((2, 7))
    path = rng.choice((f"/docs/{text.slug((1, 3))}/", f"/guide/{text.slug((1, 4))}", f"/en/latest/{text.slug((1, 3))}.html", f"/reference/{text.word()}",
                       f"/help/{text.slug((2, 6))}", f"/manual/{text.word()}/{text.slug((1, 3))}", f"/{text.slug((1, 3))}/", f"/kb/{rng.randint(100, 9999)}-{text.slug()}"))
    current = path
    entries = [(f"/{text.slug((1, 3))}/", text.label((1, 3))) for _ in range(rng.randint(8, 40))]
    entries.insert(rng.randrange(len(entries)), (current, title))
    sidebar = "<ul>" + "".join(f"<li>{site.link(path, label)}</li>" for path, label in entries) + "</ul>"
    nav = f"<nav{site.cls('docs-nav')}>{sidebar}</nav>" if rng.random() < 0.7 else ""
    parts = []
    code = rng.random() < 0.6
    for _ in range(rng.randint(2, 9)):
        parts.append(f"<h2 id='{text.token(5)}'>{esc(text.headline((1, 5)))}</h2>" + _paragraphs(site, rng.randint(1, 4), sentences=(1, 4)))
        if code and rng.random() < 0.7:
            parts.append(f"<pre><code>{esc(text.word())}.{esc(text.word())}({rng.randint(0, 9)})\n{esc(text.word())} = {rng.randint(0, 99)}</code></pre>")
        if rng.random() < 0.3:
            rows = "".join(f"<tr><td><code>{esc(text.word())}</code></td><td>{esc(text.sentence((4, 12)))}</td></tr>" for _ in range(rng.randint(2, 8)))
            parts.append(f"<table>{rows}</table>")
        if rng.random() < 0.2:
            parts.append(f"<div{site.cls('note')}><p>{esc(text.sentence())}</p></div>")
    toc = _maybe(site, 0.4, "<ul" + site.cls("toc") + ">" + "".join(f"<li><a href='#{text.token(5)}'>{esc(text.label())}</a></li>" for _ in range(rng.randint(3, 8))) + "</ul>")
    pager = _maybe(site, 0.6, f"<div{site.cls('pager')}>{site.link(entries[0][0], 'Previous: ' + entries[0][1])} {site.link(entries[-1][0], 'Next: ' + entries[-1][1])}</div>")
    when = text.moment()
    author = text.name() if rng.random() < 0.3 else None
    byline = _byline(site, author, text.date_text(when) if rng.random() < 0.3 else None, when.isoformat())
    updated = _maybe(site, 0.3, f"<p>Last updated: {esc(text.date_text(text.moment()))}</p>")
    main = f"{nav}<div{site.cls('doc-content')}>{site.breadcrumb(title)}<h1>{esc(title)}</h1>{byline}{''.join(parts)}{updated}{pager}</div>{toc}"
    meta = head(site, title=title, og_type=rng.choice(("website", None, None, "article", "article")), ld_type=rng.choice((None, None, None, "TechArticle", "Article", "WebPage")),
                published=when.isoformat() if rng.random() < 0.15 else None, author=author)
    if rng.random() < 0.2:
        site.host = "docs." + site.host.split(".", 1)[-1] if not site.host.startswith("docs.") else site.host
    return path, title, meta, main


def _buy_box(site: Site) -> str:
    rng, text = site.rng, site.text
    sizes = "".join(f"<option>{esc(text.word())}</option>" for _ in range(rng.randint(2, 6)))
    return (
        f"<div{site.cls('buy-box')}><span{site.cls('price')}>{esc(text.price())}</span>"
        + _maybe(site, 0.6, f"<select name='variant'>{sizes}</select>")
        + f"<input type='number' name='qty' value='1'><button>{rng.choice(('Add to cart', 'Add to bag', 'Buy now', 'In den Warenkorb', text.label()))}</button></div>"
    )


def product(site: Site) -> Page:
    rng, text = site.rng, site.text
    title = text.headline((2, 6))
    description = _paragraphs(site, rng.randint(0, 3), sentences=(1, 3), voice="business" if rng.random() < 0.4 else None)
    if rng.random() < 0.6:
        description += "<ul>" + "".join(f"<li>{esc(text.sentence((3, 10)))}</li>" for _ in range(rng.randint(3, 8))) + "</ul>"
    specs = _maybe(site, 0.6, "<table>" + "".join(f"<tr><th>{esc(text.label())}</th><td>{esc(text.label())}</td></tr>" for _ in range(rng.randint(3, 12))) + "</table>")
    reviews = ""
    if rng.random() < 0.5:
        reviews = "".join(
            f"<div{site.cls('review')}><span>{'★' * rng.randint(1, 5)}</span><strong>{esc(text.name())}</strong>"
            f"<span>{esc(text.date_text(text.moment()))}</span><p>{esc(text.paragraph((1, 3)))}</p></div>"
            for _ in range(rng.randint(1, 12))
        )
        reviews = f"<section{site.cls('reviews')}><h2>Reviews</h2>{reviews}</section>"
    related = _maybe(site, 0.5, f"<h2>{esc(text.label())}</h2>" + _cards(site, rng.randint(3, 8), excerpt_words=None, dated=False, price=True))
    main = (f"{site.breadcrumb(title)}<div{site.cls('product')}><img src='/img/{text.token()}.jpg' alt=''><h1>{esc(title)}</h1>"
            f"{_buy_box(site)}<div{site.cls('description')}>{description}</div>{specs}</div>{reviews}{related}")
    meta = head(site, title=title, og_type=rng.choice(("product", "website", None, "article", "product")), ld_type=rng.choice(("Product", None, None, "WebPage")))
    path = rng.choice((f"/product/{text.slug((2, 6))}", f"/p/{text.slug((2, 5))}-{rng.randint(1000, 99999)}", f"/shop/{text.word()}/{text.slug((2, 5))}",
                       f"/{text.slug((3, 7))}.html", f"/item/{rng.randint(10000, 9999999)}", f"/products/{text.slug((2, 5))}"))
    return path, title, meta, main


def collection(site: Site) -> Page:
    rng, text = site.rng, site.text
    title = text.label((1, 3))
    filters = _maybe(site, 0.6, "<form" + site.cls("filters") + ">" + "".join(f"<label><input type='checkbox' name='f{n}'> {esc(text.word())}</label>" for n in range(rng.randint(4, 30))) + "</form>")
    intro = _maybe(site, 0.4, _paragraphs(site, rng.randint(1, 2), sentences=(1, 4)))
    grid = _cards(site, rng.randint(6, 48), excerpt_words=rng.choice((None, None, (4, 12))), dated=False, price=rng.random() < 0.85)
    seo = _maybe(site, 0.35, f"<div{site.cls('seo-text')}>" + "".join(f"<h2>{esc(text.headline((2, 6)))}</h2>" + _paragraphs(site, rng.randint(1, 3), sentences=(2, 5)) for _ in range(rng.randint(1, 4))) + "</div>")
    main = f"{site.breadcrumb(title)}<h1>{esc(title)}</h1>{intro}{filters}{grid}{_pagination(site) if rng.random() < 0.6 else ''}{seo}"
    meta = head(site, title=title, og_type=rng.choice(("website", None, "product.group", "article")), ld_type=rng.choice((None, None, "CollectionPage", "ItemList", "WebPage")))
    path = rng.choice((f"/collections/{text.slug((1, 3))}", f"/category/{text.slug((1, 3))}/", f"/c/{text.word()}-{rng.randint(10, 9999)}", f"/shop/{text.word()}/",
                       f"/{text.word()}/{text.slug((1, 3))}/", f"/{text.slug((2, 4))}.html"))
    return path, title, meta, main


def service(site: Site) -> Page:
    rng, text = site.rng, site.text
    title = text.editorial_headline() if rng.random() < 0.1 else text.headline((2, 7))
    cta = site.link("/contact/", rng.choice(("Get a quote", "Contact us", "Book a call", "Get started", text.label())), "button")
    hero = f"<div{site.cls('hero')}><h1>{esc(title)}</h1><p>{esc(text.sentence((8, 18)))}</p>{cta}</div>"
    parts = []
    for _ in range(rng.randint(2, 6)):
        kind = rng.random()
        if kind < 0.3:
            boxes = "".join(f"<div{site.cls('feature')}><h3>{esc(text.label((1, 3)))}</h3><p>{esc(text.sentence((6, 22), 'business'))}</p></div>" for _ in range(rng.randint(3, 9)))
            parts.append(f"<section{site.cls('features')}><h2>{esc(text.headline((2, 6)))}</h2>{boxes}</section>")
        elif kind < 0.65:
            parts.append(f"<section><h2>{esc(text.headline((2, 6)))}</h2>{_paragraphs(site, rng.randint(1, 4), sentences=(2, 5), voice='business')}</section>")
        elif kind < 0.77:
            quotes = "".join(f"<blockquote{site.cls('testimonial')}><p>{esc(text.sentence((10, 30)))}</p><cite>{esc(text.name())}</cite></blockquote>" for _ in range(rng.randint(2, 6)))
            parts.append(f"<section><h2>{esc(text.label())}</h2>{quotes}</section>")
        elif kind < 0.89:
            faq = "".join(f"<h3>{esc(text.sentence((4, 10)))}</h3><p>{esc(text.paragraph((1, 3), voice='business'))}</p>" for _ in range(rng.randint(3, 8)))
            parts.append(f"<section{site.cls('faq')}><h2>FAQ</h2>{faq}</section>")
        else:
            plans = "".join(f"<div{site.cls('plan')}><h3>{esc(text.label())}</h3><p>{esc(text.price())}/month</p><ul>" + "".join(f"<li>{esc(text.label((2, 4)))}</li>" for _ in range(4)) + f"</ul>{cta}</div>" for _ in range(3))
            parts.append(f"<section{site.cls('pricing')}>{plans}</section>")
    form = _maybe(site, 0.4, "<form><input name='name'><input type='email' name='email'><input type='tel' name='phone'><textarea name='msg'></textarea><button>Send</button></form>")
    main = f"{hero}{''.join(parts)}{cta}{form}"
    meta = head(site, title=title, og_type=rng.choice(("website", "website", "article", None)), ld_type=rng.choice((None, None, "WebPage", "Service", "Organization")))
    path = rng.choice((f"/services/{text.slug((1, 4))}/", f"/{text.slug((1, 2))}/", f"/{text.slug((3, 7))}/", f"/solutions/{text.word()}", "/about-us/", "/pricing/",
                       f"/{text.word()}/{text.slug((2, 5))}/"))
    return path, title, meta, main


BUILDERS = {
    "article": article,
    "listing": listing,
    "forum": forum,
    "documentation": documentation,
    "product": product,
    "collection": collection,
    "service": service,
}
