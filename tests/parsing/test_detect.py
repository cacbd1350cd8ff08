"""Article detection: hard rules first, then the signal score (crawler.parsing.detect)."""

import json
import re

from crawler.parsing import parse_page
from crawler.parsing.detect import BIAS, THRESHOLD, UNCERTAIN_MARGIN, WEIGHTS

from .helpers import FILLER, article_body, html

BLOG_URL = "https://shop.example/blog/how-we-restored-an-old-oak-table/"


def test_plain_blog_post_with_a_byline_is_an_article():
    page = html("<h1>How we restored an old oak table</h1><p>By Jane Roe · March 3, 2025</p>" + article_body(8))
    assert parse_page(page, BLOG_URL).is_article


def test_forum_thread_is_not_an_article():
    posts = "".join(
        f"<div class='post'><a href='/members/u{n}/'>user{n}</a> <time datetime='2025-03-0{n}'>March {n}, 2025</time>"
        f"<p>{FILLER * 2}</p><a href='#'>Reply</a> <a href='#'>Quote</a></div>"
        for n in range(1, 8)
    )
    page = html("<h1>Which finish for an oak table?</h1>" + posts)
    result = parse_page(page, "https://forum.example/threads/which-finish-for-an-oak-table.123/")
    assert (result.is_article, result.not_article_reason) == (False, "forum page")


def test_sales_page_is_not_an_article():
    calls = "".join(f"<a class='button' href='/contact/'>{label}</a>" for label in ("Get a quote", "Book a call", "Contact us", "Talk to an expert"))
    page = html("<h1>Furniture restoration services</h1>" + article_body(6) + calls)
    result = parse_page(page, "https://shop.example/services/furniture-restoration/")
    assert (result.is_article, result.not_article_reason) == (False, "service page")


def test_documentation_page_is_not_an_article():
    code = "<pre>pip install tool</pre><pre>tool --init</pre><pre>tool run</pre>"
    page = html("<h1>Getting started</h1>" + article_body(6) + code)
    result = parse_page(page, "https://docs.example/guide/getting-started/")
    assert (result.is_article, result.not_article_reason) == (False, "documentation page")


def test_faq_markup_on_an_article_does_not_make_it_a_service_page():
    ld = [{"@type": "BlogPosting", "headline": "How we restored an old oak table"}, {"@type": "FAQPage"}]
    head = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    page = html("<h1>How we restored an old oak table</h1>" + article_body(8), head=head)
    assert parse_page(page, BLOG_URL).is_article


def test_every_weight_is_a_signal_and_the_threshold_is_reachable():
    positive = sum(weight for weight in WEIGHTS.values() if weight > 0)
    negative = sum(weight for weight in WEIGHTS.values() if weight < 0)
    assert BIAS + positive > THRESHOLD > BIAS + negative


def test_skipping_the_costly_signals_never_changes_the_verdict():
    from crawler.parsing import load_document
    from crawler.parsing.detect import Evidence, hard_reason, detect_article, score, signals

    pages = [
        (html("<h1>How we restored an old oak table</h1><p>By Jane Roe · March 3, 2025</p>" + article_body(8)), BLOG_URL),
        (html("<h1>Oak tables</h1>" + article_body(4) + "<a>Add to cart</a> $10 $20 $30"), "https://shop.example/products/oak-table"),
        (html("<h1>Restoration</h1>" + article_body(6)), "https://shop.example/restoration"),
    ]
    for page, url in pages:
        document = load_document(page, url)
        evidence = Evidence(body="\n\n".join([FILLER * 3] * 4), title="T", published_at=None, authors=[])
        assert hard_reason(document, evidence) is None
        verdict, value = detect_article(document, evidence), score(signals(document, evidence))
        assert (verdict.reason is None, verdict.uncertain) == (value >= THRESHOLD, THRESHOLD <= value < THRESHOLD + UNCERTAIN_MARGIN)


def test_headline_words_tip_a_page_without_metadata():
    from crawler.parsing import load_document
    from crawler.parsing.detect import Evidence, signals

    page = load_document(html("<h1>How to restore an oak table</h1>" + article_body(8)), "https://shop.example/oak")
    evidence = Evidence(body="\n\n".join([FILLER * 3] * 4), title="How to restore an oak table", published_at=None, authors=[])
    assert signals(page, evidence)["editorial_title"] and not signals(page, evidence)["sales_title"]
    evidence.title = "Oak table restoration services"
    assert signals(page, evidence)["sales_title"] and not signals(page, evidence)["editorial_title"]


JAPANESE_PARAGRAPH = (
    "市立図書館は閲覧室の開館時間を延長し、平日は午後十時まで、土曜日は午前九時から利用できるようになりました。"
    "仕事帰りに立ち寄りたいという会社員や、試験勉強の場所を探している学生から、以前から多くの要望が寄せられていました。"
)
CHINESE_PARAGRAPH = (
    "市立图书馆宣布从下个月起延长阅览室的开放时间，工作日开放到晚上十点，周六从上午九点开始开放。"
    "馆长表示，许多上班族和准备考试的学生早就希望图书馆能在晚上开放，新的安排将先试行三个月。"
)


def _unspaced_article(title: str, paragraph: str, lang: str) -> str:
    head = '<meta property="og:type" content="article"><meta property="article:published_time" content="2025-09-11T08:30:00+09:00">'
    byline = '<p class="byline">山田 <time datetime="2025-09-11T08:30:00+09:00">2025-09-11</time></p>'
    return html(f"<article><h1>{title}</h1>{byline}" + f"<p>{paragraph}</p>" * 3 + "</article>", head=head, lang=lang)


def test_japanese_article_is_not_refused_as_too_short():
    page = _unspaced_article("図書館の開館時間を延長", JAPANESE_PARAGRAPH, "ja")
    result = parse_page(page, "https://news.example.jp/articles/2025/09/11/library-hours")
    assert result.is_article, result.not_article_reason


def test_chinese_article_is_not_refused_as_too_short():
    page = _unspaced_article("图书馆延长开放时间", CHINESE_PARAGRAPH, "zh")
    result = parse_page(page, "https://news.example.cn/articles/2025/09/11/library-hours")
    assert result.is_article, result.not_article_reason


def test_short_japanese_notice_is_still_too_short():
    head = '<meta property="og:type" content="article">'
    page = html("<article><h1>休館のお知らせ</h1><p>本日は設備点検のため臨時休館いたします。</p></article>", head=head, lang="ja")
    result = parse_page(page, "https://news.example.jp/articles/2025/09/11/closed")
    assert not result.is_article
    assert result.not_article_reason.startswith(("body too short", "no body"))


def _signals(body_html: str, *, url: str = "https://site.example/a/some-page-name/", head: str = "", body_text: str | None = None) -> dict[str, bool]:
    from crawler.parsing import load_document
    from crawler.parsing.detect import Evidence, signals

    text = body_text if body_text is not None else "\n\n".join([FILLER * 3] * 4)
    return signals(load_document(html(body_html, head=head), url), Evidence(body=text, title="T", published_at=None, authors=[]))


def test_many_linked_poster_profiles_mark_a_thread():
    posts = "".join(f"<div><a href='/members/user{n}.{n}/'>user{n}</a><p>{FILLER}</p></div>" for n in range(6))
    assert _signals(posts)["profile_links"]
    one_author = "<p>By <a href='/members/jane.1/'>Jane</a></p>" * 6 + article_body(6)
    assert not _signals(one_author)["profile_links"]


def test_published_time_meta_and_a_person_in_json_ld_mark_a_post():
    head = '<meta property="article:published_time" content="2025-03-03T10:00:00Z">'
    head += '<script type="application/ld+json">{"@type": "Person", "name": "Jane Roe"}</script>'
    found = _signals(article_body(6), head=head)
    assert found["published_meta"] and found["jsonld_person"]
    found = _signals(article_body(6), head='<meta property="og:type" content="article">')
    assert not found["published_meta"] and not found["jsonld_person"]


def test_sales_copy_speaks_for_a_business_in_short_blocks_under_many_headings():
    blocks = [("Strategy", "We plan your growth with our team."), ("Design", "Our designers craft your brand."),
              ("Support", "We are with you at every step."), ("Results", "Our clients grow with us.")]
    page = "".join(f"<h3>{heading}</h3><p>{line}</p>" for heading, line in blocks)
    found = _signals(page, body_text="\n\n".join(line for _, line in blocks * 3))
    assert found["first_person"] and found["short_paragraphs"] and found["dense_headings"]
    found = _signals("<h2>The plan</h2>" + article_body(6))
    assert not (found["first_person"] or found["short_paragraphs"] or found["dense_headings"])


def test_the_costly_signals_are_the_ones_the_shortcut_allows_for():
    """detect_article skips the costly signals when even all of them against the page could not
    change the verdict: that bound must cover every one of them."""
    from crawler.parsing import load_document
    from crawler.parsing.detect import _COSTLY, Evidence, _costly_signals

    page = load_document(html("<h1>T</h1>" + article_body(6)), BLOG_URL)
    found = _costly_signals(page, Evidence(body=FILLER * 20, title="T", published_at=None, authors=[]))
    assert set(found) == set(_COSTLY)


def test_outermost_microdata_forum_posting_marks_a_thread():
    """Forum software marks each thread up as a schema.org DiscussionForumPosting in microdata,
    not JSON-LD: the same type table applies to the page's outermost microdata items."""
    posts = "".join(
        f"<div itemprop='comment' itemscope itemtype='https://schema.org/Comment'><span itemprop='author'>user{n}</span>"
        f"<p itemprop='text'>{FILLER * 2}</p></div>"
        for n in range(3)
    )
    thread = (
        "<div itemscope itemtype='https://schema.org/DiscussionForumPosting'><h1 itemprop='headline'>How we restored an old oak table</h1>"
        f"<p>By Jane Roe · March 3, 2025</p><div itemprop='text'>{article_body(8)}</div>{posts}</div>"
    )
    result = parse_page(html(thread), BLOG_URL)
    assert (result.is_article, result.not_article_reason) == (False, "forum page")


def test_a_product_nested_in_an_article_item_is_part_of_the_article():
    review = (
        "<article itemscope itemtype='https://schema.org/BlogPosting'><h1 itemprop='headline'>How we restored an old oak table</h1>"
        "<p>By Jane Roe · March 3, 2025</p>"
        "<div itemprop='about' itemscope itemtype='https://schema.org/Product'><span itemprop='name'>Oak oil</span></div>"
        f"{article_body(8)}</article>"
    )
    assert parse_page(html(review), BLOG_URL).is_article
    # The same product as the page's own outermost item, with no article type anywhere: a product page.
    shop = (
        "<div itemscope itemtype='http://schema.org/Product'><h1 itemprop='name'>How we restored an old oak table</h1>"
        f"{article_body(8)}</div>"
    )
    result = parse_page(html(shop), BLOG_URL)
    assert (result.is_article, result.not_article_reason) == (False, "product page")


def test_a_page_listed_in_its_own_navigation_menu_is_flagged():
    """A documentation chapter, a service or a section shows up as one entry of the site's menu;
    an article's table of contents (fragments) and its related-articles list do not count."""
    chapters = ["intro", "install", "ownership", "borrowing", "slices", "structs", "enums", "modules", "errors", "generics"]
    sidebar = "<nav><ul>" + "".join(f"<li><a href='{name}.html'>{name.title()}</a></li>" for name in chapters) + "</ul></nav>"
    url = "https://book.example/ch04/ownership.html"
    assert _signals(sidebar + article_body(6), url=url)["listed_in_menu"]
    nested = "<ul>" + "".join(f"<li><span><a href='/ch04/{name}.html'>{name}</a></span></li>" for name in chapters) + "</ul>"
    assert _signals(nested + article_body(6), url=url)["listed_in_menu"]
    toc = "<ol>" + "".join(f"<li><a href='ownership.html#{name}'>{name}</a></li>" for name in chapters) + "</ol>"
    related = "<ul>" + "".join(f"<li><a href='/ch04/{name}.html'>{name}</a></li>" for name in chapters if name != "ownership") + "</ul>"
    assert not _signals(toc + article_body(6) + related, url=url)["listed_in_menu"]
    short_list = "<ul><li><a href='ownership.html'>Ownership</a></li><li><a href='intro.html'>Intro</a></li></ul>"
    assert not _signals(short_list + article_body(6), url=url)["listed_in_menu"]


def test_markup_without_paragraphs_of_running_prose_is_flagged():
    """Articles are written in <p> paragraphs; forum posts sit in <div>s split by <br>, and
    listings and sales pages hold short blocks, whatever the extracted body looks like."""
    assert not _signals(f"<p>{FILLER * 2}</p>" * 6)["few_long_paragraphs"]
    assert not _signals(article_body(6))["few_long_paragraphs"]  # news-style paragraphs of ~30 words
    posts = "".join(f"<div class='post'>{FILLER}<br><br>{FILLER}</div>" for _ in range(4))
    assert _signals("<p>" + FILLER + FILLER + "</p>" + posts)["few_long_paragraphs"]
    teasers = "".join(f"<div><h3>Teaser {n}</h3><p>One short line about it.</p></div>" for n in range(12))
    assert _signals(teasers)["few_long_paragraphs"]


def test_sibling_blocks_of_one_class_with_text_are_flagged():
    """Cards of a listing, posts of a thread, feature boxes of a sales page: three or more sibling
    blocks sharing a tag and class, each with text. An article's paragraphs are <p>, not blocks,
    and short repeated blocks (share buttons, tags) do not count."""
    cards = "".join(f"<div class='card'><h3>Teaser {n}</h3><p>{FILLER * 2}</p></div>" for n in range(3))
    assert _signals(cards)["repeated_blocks"]
    mixed = "".join(f"<div class='card card-{n}'><p>{FILLER * 2}</p></div>" for n in range(3))
    assert not _signals(mixed)["repeated_blocks"]
    buttons = "".join(f"<li class='share'><a href='/s{n}'>Share {n}</a></li>" for n in range(6))
    assert not _signals(f"<div class='entry-content'>{article_body(8)}</div><ul>{buttons}</ul>")["repeated_blocks"]


def _script_shell(head: str) -> str:
    """A script-built page: a loading spinner in the markup, the article's HTML in a hydration state."""
    state = {"article": {"title": "Council backs the plan", "contentHtml": article_body(6)}}
    shell = f"<main><div class='spinner'></div></main><script>window.__STATE__ = {json.dumps(state)};</script>"
    return html(shell, head="<title>Council backs the plan</title>" + head)


def test_script_built_article_with_article_markup_is_an_article():
    head = '<meta property="og:type" content="article"><meta property="article:published_time" content="2025-03-03T10:00:00Z">'
    result = parse_page(_script_shell(head), "https://news.example/news/article/A2025030310")
    assert result.is_article, result.not_article_reason
    assert result.body.startswith(FILLER.strip())


def test_script_built_page_without_article_markup_is_not_an_article():
    result = parse_page(_script_shell('<meta property="og:type" content="website">'), "https://news.example/news/article/A2025030310")
    assert (result.is_article, result.not_article_reason) == (False, "script-built page without article markup")


def test_speech_words_read_lower_case_as_ignorecase_does():
    """The lower-cased body without re.IGNORECASE matches what the flag matches, for every
    character the two word patterns' letters could meet, but the listed exceptions."""
    from crawler.parsing import detect

    letters = {c for pattern in (detect._FIRST_PERSON_PLURAL, detect._REPORTED_SPEECH) for c in pattern.pattern if c.isalpha()}
    everything = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code < 0xE000)
    lowered_to = {c for c in everything if c.lower() in letters}
    ignorecase = {c for letter in letters for c in re.findall(re.escape(letter), everything, re.I)}
    assert lowered_to ^ ignorecase == set(detect._CASE_EXCEPTIONS)
    assert [c for c in everything if len(c.lower()) != 1] == ["\u0130"]


def test_first_person_words_counted_as_the_pattern_with_its_opening_boundary_counts():
    """``_whole_words`` (the match's start checked after it) against ``findall`` of the whole
    pattern, on random texts of the words, their letters, other letters, digits and separators."""
    import random

    from crawler.parsing import detect

    whole = re.compile(detect._FIRST_PERSON_PLURAL.pattern)
    words = detect._FIRST_PERSON_PLURAL.pattern[5:-3].split("|")
    pieces = [*words, *"wouns", "é", "ß", "_", "7", " ", "-", "'", ".", "\n", "ünser", "xus", "noï"]
    rng = random.Random(5)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert detect._whole_words(detect._FIRST_PERSON_PLURAL_SCAN, text) == len(whole.findall(text)), text


def test_speech_words_same_with_and_without_exceptions():
    from crawler.parsing import detect

    text = "WE said: Our plan, OURS and us. Nós, SEGÚN él, a DÉCLARÉ. wesaid usual"
    assert detect._speech_words(text) == (5, True)
    assert detect._speech_words(text + " \u0131") == (5, True)  # the patterns as written
    assert detect._speech_words("Ha \u017fAID \u0130T") == (0, True)  # IGNORECASE reads "ſ" as "s"
    assert detect._speech_words("nothing here") == (0, False)


def test_prices_are_counted_as_the_pattern_counts_them_over_the_whole_text():
    """count_prices runs the price pattern only around currency tokens: on strings made of tokens,
    digits, spaces and their neighbours it must count what findall over the whole string counts."""
    import random

    from crawler.parsing.detect import _PRICE, count_prices

    rng = random.Random(7)
    alphabet = ["$", "€", "£", "¥", "₹", "zł", "руб", "z", "ł", "р", "у", "б", "5", "12", " ", "\u00a0", "\n", "a", "€5", "5 zł"]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        for enough in (1, 3, 100):
            assert count_prices(text, enough) == min(len(_PRICE.findall(text)), enough), (text, enough)


def test_an_article_by_a_small_margin_is_kept_and_flagged_uncertain():
    """A page of prose under a one-word headline, undated, unsigned, at a one-word URL: article
    evidence only from its text, a little over the threshold (stored, flagged). A dated, signed
    post is a sure article; a page that is not an article is never flagged."""
    page = parse_page(html("<h1>Restoration</h1>" + article_body(6)), "https://shop.example/restoration")
    assert (page.is_article, page.article_uncertain) == (True, True)
    post = parse_page(html("<h1>How we restored an old oak table</h1><p>By Jane Roe · March 3, 2025</p>" + article_body(8)), BLOG_URL)
    assert (post.is_article, post.article_uncertain) == (True, False)
    calls = "".join(f"<a class='button' href='/contact/'>{label}</a>" for label in ("Get a quote", "Book a call", "Contact us", "Talk to an expert"))
    sales = parse_page(html("<h1>Furniture restoration services</h1>" + article_body(6) + calls), "https://shop.example/services/furniture-restoration/")
    assert (sales.is_article, sales.article_uncertain) == (False, False)
