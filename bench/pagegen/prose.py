"""Pages that are not articles yet are written as prose, as many real ones are: the variants
article detection gets wrong on real sites, drawn from how such pages are commonly built.

- ``service``: an "about us" or single-service page: a hero, running paragraphs in one column
  (the business voice or a neutral one), then what sales pages add around it: a team grid, a
  row of client names, contact details (``tel:`` and ``mailto:`` links, an address), a call to
  action. No byline, rarely a date.
- ``documentation``: a concept chapter of a manual, without code: a sidebar tree of the manual's
  chapters (nested lists, the current chapter among them), an "on this page" table of contents
  linking to the page's own headings, paragraphs under those headings, notes, a feedback box,
  an edit link and a previous/next chapter pager; a "last updated" line at most.
- ``listing``: a blog's index showing each post's first paragraphs (entries of a headline link,
  a date line and one to three paragraphs, a "continue reading" link), which can hold more
  prose than any one article.
- ``forum``: a discussion whose posts are written in paragraphs (a long opening post, replies
  that quote it), each under a header naming the poster and the date.

Each builder returns (URL path, title, <head> additions, main content), as ``pages.py``'s do.
"""

from __future__ import annotations

from bench.pagegen.pages import _maybe
from bench.pagegen.site import Site, esc, head

Page = tuple[str, str, str, str]


def _p(site: Site, count: int, sentences: tuple[int, int] = (2, 5), voice: str | None = None) -> str:
    return "".join(f"<p>{esc(site.text.paragraph(sentences, voice=voice))}</p>" for _ in range(count))


def service(site: Site) -> Page:
    rng, text = site.rng, site.text
    title = rng.choice((text.label((1, 3)), text.headline((2, 6)), f"About {site.name}"))
    voice = "business" if rng.random() < 0.7 else None
    parts = [_p(site, rng.randint(1, 3), voice=voice)]
    for _ in range(rng.randint(0, 3)):
        parts.append(f"<h2>{esc(text.headline((2, 6)))}</h2>" + _p(site, rng.randint(1, 4), voice=voice))
    column = f"<div{site.cls(rng.choice(('content', 'entry-content', 'page-content', 'text')))}>{''.join(parts)}</div>"
    extras = []
    if rng.random() < 0.4:
        people = "".join(
            f"<div{site.cls('member')}><img src='/img/{text.token()}.jpg' alt=''><h3>{esc(text.name())}</h3><p>{esc(text.label((1, 3)))}</p></div>"
            for _ in range(rng.randint(3, 12))
        )
        extras.append(f"<section{site.cls('team')}><h2>{esc(text.label())}</h2>{people}</section>")
    if rng.random() < 0.3:
        extras.append(f"<ul{site.cls('clients')}>" + "".join(f"<li>{esc(text.label((1, 2)))}</li>" for _ in range(rng.randint(4, 12))) + "</ul>")
    if rng.random() < 0.6:
        phone = f"+{rng.randint(1, 99)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
        extras.append(
            f"<div{site.cls('contact')}><p>{rng.randint(1, 200)} {esc(text.label((1, 2)))} Street, {esc(text.word().capitalize())}</p>"
            f'<a href="tel:{phone.replace(" ", "")}">{phone}</a> <a href="mailto:info@{site.host}">info@{site.host}</a></div>'
        )
    cta = site.link("/contact/", rng.choice(("Contact us", "Get in touch", "Book a call", text.label())), "button")
    if rng.random() < 0.3:
        extras.append("<form><input name='name'><input type='email' name='email'><textarea name='message'></textarea><button>Send</button></form>")
    hero = f"<h1>{esc(title)}</h1>" + (f"<p{site.cls('lead')}>{esc(text.sentence((8, 20), voice))}</p>" if rng.random() < 0.5 else "")
    updated = f"<p>{esc(text.date_text(text.moment()))}</p>" if rng.random() < 0.1 else ""
    main = f"{site.breadcrumb(title)}{hero}{column}{''.join(extras)}{updated}{cta if rng.random() < 0.8 else ''}"
    meta = head(site, title=title, og_type=rng.choice(("website", "article", "article", None)), ld_type=rng.choice((None, None, "WebPage", "AboutPage", "Article")))
    path = rng.choice(("/about/", "/about-us/", f"/{text.slug((1, 3))}/", f"/{text.word()}/{text.slug((1, 4))}/", f"/company/{text.word()}",
                       f"/{text.slug((2, 5))}.html", "/who-we-are/", f"/{text.word()}-{text.word()}"))
    return path, title, meta, main


def _tree(site: Site, current: str, title: str) -> str:
    """The manual's chapters as nested lists, this page among them (sometimes marked current)."""
    rng, text = site.rng, site.text
    base = "/" + current.strip("/").split("/")[0] + "/"
    sections = []
    here = rng.randrange(rng.randint(3, 8))
    for n in range(here + rng.randint(1, 4)):
        entries = [(f"{base}{text.slug((1, 3))}/", text.label((1, 4))) for _ in range(rng.randint(2, 9))]
        if n == here:
            entries.insert(rng.randrange(len(entries) + 1), (current, title))
        items = "".join(
            f"<li{site.cls('active') if path == current and rng.random() < 0.7 else ''}>{site.link(path, label)}</li>" for path, label in entries
        )
        sections.append(f"<li><span>{esc(text.label((1, 3)))}</span><ul>{items}</ul></li>")
    return f"<nav{site.cls('docs-sidebar')}><ul>{''.join(sections)}</ul></nav>"


def documentation(site: Site) -> Page:
    rng, text = site.rng, site.text
    title = text.headline((1, 5)) if rng.random() < 0.7 else text.editorial_headline()
    path = rng.choice((f"/docs/{text.slug((1, 3))}/", f"/guide/{text.slug((1, 4))}", f"/{text.word()}/{text.slug((1, 3))}/",
                       f"/learn/{text.slug((1, 3))}", f"/handbook/{text.slug((1, 4))}.html", f"/{text.slug((2, 4))}/"))
    anchors = [text.token(5) for _ in range(rng.randint(2, 7))]
    parts = [_p(site, rng.randint(1, 3))]
    for anchor in anchors:
        parts.append(f"<h2 id='{anchor}'>{esc(text.headline((1, 5)))}</h2>" + _p(site, rng.randint(1, 4)))
        if rng.random() < 0.25:
            parts.append(f"<div{site.cls(rng.choice(('note', 'tip', 'warning', 'admonition')))}><p>{esc(text.sentence())}</p></div>")
        if rng.random() < 0.2:
            parts.append("<ol>" + "".join(f"<li>{esc(text.sentence((4, 14)))}</li>" for _ in range(rng.randint(3, 7))) + "</ol>")
    toc = ""
    if rng.random() < 0.6:
        toc = f"<div{site.cls('toc')}><p>{esc(rng.choice(('On this page', 'Contents', text.label())))}</p><ul>" + "".join(
            f"<li><a href='#{anchor}'>{esc(text.label((1, 4)))}</a></li>" for anchor in anchors) + "</ul></div>"
    tree = _tree(site, path, title) if rng.random() < 0.75 else ""
    feedback = _maybe(site, 0.4, f"<div{site.cls('feedback')}><p>{esc(text.sentence((3, 6)))}</p><button>{esc(text.label((1, 1)))}</button><button>{esc(text.label((1, 1)))}</button></div>")
    edit = _maybe(site, 0.3, site.link(f"https://git.{site.host}/edit{path}", text.label((2, 3))))
    pager = _maybe(site, 0.6, f"<div{site.cls('pager')}>{site.link('/' + text.slug((1, 3)) + '/', text.label((1, 4)))} {site.link('/' + text.slug((1, 3)) + '/', text.label((1, 4)))}</div>")
    updated = _maybe(site, 0.3, f"<p>{esc(text.label((1, 2)))}: {esc(text.date_text(text.moment()))}</p>")
    article = f"<div{site.cls('doc-content')}>{site.breadcrumb(title)}<h1>{esc(title)}</h1>{''.join(parts)}{updated}{feedback}{edit}{pager}</div>"
    main = f"{tree}{article}{toc}" if rng.random() < 0.7 else f"{tree}{toc}{article}"
    meta = head(site, title=title, og_type=rng.choice(("website", None, "article", "article")), ld_type=rng.choice((None, None, "TechArticle", "Article", "WebPage")))
    return path, title, meta, main


def listing(site: Site) -> Page:
    rng, text = site.rng, site.text
    title = rng.choice((text.label((1, 3)), site.name, f"{text.label()} archive"))
    entries = []
    for _ in range(rng.randint(3, 12)):
        path = f"/{text.word()}/{text.slug()}/" if rng.random() < 0.5 else f"/{text.moment():%Y/%m}/{text.slug()}/"
        heading = rng.choice(("h2", "h2", "h3"))
        when = text.moment()
        stamp = f'<time datetime="{when.isoformat()}">{esc(text.date_text(when))}</time>' if rng.random() < 0.5 else esc(text.date_text(when))
        line = f"<div{site.cls('entry-meta')}>{stamp}" + (f" · {esc(text.name())}" if rng.random() < 0.5 else "") + "</div>"
        more = site.link(path, rng.choice(("Continue reading", "Read more", "More", text.label())))
        tag = rng.choice(("article", "div"))
        entries.append(f"<{tag}{site.cls('entry')}><{heading}>{site.link(path, text.headline((4, 12)))}</{heading}>{line}"
                       f"<div{site.cls('entry-summary')}>{_p(site, rng.randint(1, 3))}</div>{more}</{tag}>")
    pages = "".join(site.link(f"/page/{n}/", str(n)) for n in range(2, rng.randint(3, 9)))
    main = f"{site.breadcrumb(title)}<h1>{esc(title)}</h1>{''.join(entries)}<div{site.cls('pagination')}>{pages}</div>"
    meta = head(site, title=title, og_type=rng.choice(("website", "website", "article", None)), ld_type=rng.choice((None, None, "WebPage", "Blog", "CollectionPage")))
    path = rng.choice(("/blog/", f"/blog/page/{rng.randint(2, 40)}/", f"/category/{text.word()}/", f"/{text.word()}/", f"/author/{text.word()}/", f"/{text.moment():%Y/%m}/"))
    return path, title, meta, main


def forum(site: Site) -> Page:
    rng, text = site.rng, site.text
    title = text.headline((4, 12)) + rng.choice(("?", "", ""))
    start = text.moment()
    posts = []
    for n in range(rng.randint(2, 14)):
        user = text.username()
        when = text.moment(start)
        stamp = f'<time datetime="{when.isoformat()}">{esc(text.date_text(when))}</time>' if rng.random() < 0.5 else f"<span>{esc(text.date_text(when))}</span>"
        poster = site.link(f"/{rng.choice(('user', 'members', 'u', 'people'))}/{user}", user) if rng.random() < 0.7 else f"<strong>{esc(user)}</strong>"
        quote = f"<blockquote><p>{esc(text.sentence())}</p></blockquote>" if n and rng.random() < 0.3 else ""
        body = _p(site, rng.randint(2, 6) if n == 0 else rng.randint(1, 3), sentences=(1, 4), voice="personal" if rng.random() < 0.5 else None)
        signature = f"<div{site.cls('signature')}>{esc(text.label((2, 5)))}</div>" if rng.random() < 0.2 else ""
        tag = rng.choice(("article", "div", "li"))
        posts.append(f"<{tag}{site.cls('post')}><header{site.cls('post-header')}>{poster} {stamp}</header>{quote}{body}{signature}</{tag}>")
    outer = "ol" if posts[0].startswith("<li") else "div"
    main = f"{site.breadcrumb(title)}<h1>{esc(title)}</h1><{outer}{site.cls('thread')}>{''.join(posts)}</{outer}>"
    meta = head(site, title=title, og_type=rng.choice(("website", None, "article")), ld_type=rng.choice((None, None, "DiscussionForumPosting", "WebPage")))
    path = rng.choice((f"/thread/{rng.randint(100, 99999)}/{text.slug()}", f"/discussion/{text.slug()}", f"/{text.word()}/{text.slug()}-{rng.randint(100, 9999)}",
                       f"/archives/{text.word()}/{start:%Y-%m}/{rng.randint(1, 999)}.html", f"/board/{text.word()}/{rng.randint(100, 99999)}"))
    return path, title, meta, main


BUILDERS = {"service": service, "documentation": documentation, "listing": listing, "forum": forum}
