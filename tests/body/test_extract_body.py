"""extract_body on inline pages: one test per rule of the extractor (see crawler/parsing/body)."""

from __future__ import annotations

import lxml.html
import pytest

from crawler.parsing.body import extract_body
from crawler.parsing.document import load_document

PROSE = [
    "Britain and France are edging toward a fresh military pact in response to what officials describe as mounting threats.",
    "The move signals a willingness to retool a key bilateral framework so it can better deter adversarial actions.",
    "One official described the plans as a recognition that defence can serve diplomacy, a message consistent with policy.",
    "Historical notes in the discourse reference past discussions, a chapter that historians treat as a reminder of change.",
]


def _paragraphs(texts: list[str]) -> str:
    return "".join(f"<p>{text}</p>" for text in texts)


def _body(html: str) -> str | None:
    return extract_body(load_document(html, "https://news.example/2025/09/11/a.html"))


def test_seed_page_furniture_is_left_out() -> None:
    html = f"""<html><head><title>Pact | News</title><meta property="og:title" content="UK-France Move Toward a New Pact"></head>
    <body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
    <article><h1>UK-France Move Toward a New Pact</h1>
      <div class="summary-box"><p>No time to read?</p><p>Get a summary</p></div>
      <h2>UK-France Move Toward a New Pact</h2>
      {_paragraphs(PROSE[:2])}
      <p>No time to read?</p><p>Get a summary</p>
      {_paragraphs(PROSE[2:])}
      <div><p>Previous Article</p><p>Hungary and NATO discuss long-range missiles</p>
           <p>Next Article</p><p>Usyk: Krakow detainment and Fury victory</p></div>
    </article>
    <section class="most-read"><h3>Most read</h3><ul>
      <li><a href="/1">First popular story of the day with a long headline</a></li>
      <li><a href="/2">Second popular story of the day with a long headline</a></li>
      <li><a href="/3">Third popular story of the day with a long headline</a></li></ul></section>
    <footer><p>Copyright 2025 News Example. All rights reserved, everywhere, always.</p></footer></body></html>"""
    assert _body(html) == "\n\n".join(PROSE)


def test_article_split_over_sections_with_an_ad_between_is_joined() -> None:
    html = f"""<html><body><div class="page"><section name="articleBody">
      <div class="column">{_paragraphs(PROSE[:2])}</div>
      <div class="ad-slot"><p>Advertisement</p></div>
      <div class="column">{_paragraphs(PROSE[2:])}</div></section>
      <aside><p>Sidebar text that is long enough to be read as prose but belongs to another story.</p></aside>
    </div></body></html>"""
    assert _body(html) == "\n\n".join(PROSE)


def test_comments_longer_than_the_article_stay_out() -> None:
    comment = "I disagree with every word of this piece, and here is a long explanation of why that is so today."
    comments = "".join(f'<li class="comment"><p>{comment} ({n})</p></li>' for n in range(12))
    html = f"""<html><body><div class="post">{_paragraphs(PROSE)}
      <div id="comments"><h3>12 comments</h3><ol>{comments}</ol></div></div></body></html>"""
    assert _body(html) == "\n\n".join(PROSE)


TEASER_ITEMS = {
    "list items": (
        '<li class="teaser"><h3><a href="/story-{n}">Another story headline number {n}</a></h3>'
        "<p>A summary sentence of that other story, long enough to look like prose to a reader.</p>"
        "<span>Tuesday November 19, 2019</span></li>"
    ),
    # Alike siblings whose classes differ only by a number ("teaser_0", "teaser_1", ...).
    "numbered classes": (
        '<article class="teaser teaser_{n}"><div class="title"><a href="/s{n}">Other story headline {n}</a></div>'
        '<div class="body">A summary of other story {n}, cut short after a line or two of its text...</div></article>'
    ),
}


@pytest.mark.parametrize("item", TEASER_ITEMS.values(), ids=TEASER_ITEMS.keys())
def test_teaser_list_with_summaries_stays_out(item: str) -> None:
    teasers = "".join(item.format(n=n) for n in range(5))
    wrapper = "ul" if item.startswith("<li") else "div"
    html = f"""<html><body><div class="main"><div class="story">{_paragraphs(PROSE)}</div>
      <{wrapper} class="list">{teasers}</{wrapper}></div></body></html>"""
    assert _body(html) == "\n\n".join(PROSE)


def test_hidden_copy_of_the_article_is_not_read_twice() -> None:
    html = f"""<html><body><div class="entry-content">{_paragraphs(PROSE)}</div>
      <div style="display:none" itemscope><div itemprop="articleBody">{_paragraphs(PROSE)}</div>
      <div itemprop="datePublished">2019-11-19T08:57:40+01:00</div></div></body></html>"""
    assert _body(html) == "\n\n".join(PROSE)


def test_page_left_inside_an_unclosed_header_is_still_read() -> None:
    html = f"""<html><body><header class="site-header"><a href="/">Logo</a>
      <div class="content">{_paragraphs(PROSE)}</div></body></html>"""
    assert _body(html) == "\n\n".join(PROSE)


def test_content_marker_lifts_a_furniture_class_around_it() -> None:
    html = f"""<html><body><div class="container penci_sidebar">
      <div class="entry-content">{_paragraphs(PROSE)}</div>
      <div class="share-buttons"><p>Share this article</p><a href="#">Facebook</a></div></div></body></html>"""
    assert _body(html) == "\n\n".join(PROSE)


def test_dateline_and_byline_are_not_body() -> None:
    html = f"""<html><body><article><div class="signature">Par <span>Marc Lefèvre</span> — publié le
      <time datetime="2025-05-12">lundi 12 mai 2025</time></div><p>By Jane Doe</p>
      <div class="texte">{_paragraphs(PROSE)}<p>By the end of the year the pact should be signed by both governments.</p></div>
      </article></body></html>"""
    assert _body(html) == "\n\n".join([*PROSE, "By the end of the year the pact should be signed by both governments."])


def test_line_breaks_split_paragraphs_in_loose_text() -> None:
    html = f"<html><body><div>{PROSE[0]}<br><br>{PROSE[1]}<br>{PROSE[2]}</div></body></html>"
    assert _body(html) == f"{PROSE[0]}\n\n{PROSE[1]} {PROSE[2]}"


def test_page_without_text_has_no_body() -> None:
    assert _body("<html><body><nav><a href='/'>Home</a></nav></body></html>") is None
    assert _body("<html><body></body></html>") is None


def test_the_shared_tree_is_not_modified() -> None:
    html = f"<html><body><div class='share'>Share</div><article>{_paragraphs(PROSE)}</article></body></html>"
    doc = load_document(html, "https://news.example/a.html")
    before = lxml.html.tostring(doc.tree)
    extract_body(doc)
    assert lxml.html.tostring(doc.tree) == before


def test_captions_with_credits_and_dates_alone_are_not_body() -> None:
    html = f"""<html><body><article><p>October 12, 2017</p>{_paragraphs(PROSE[:2])}
      <div class="pic">A protester in the rain (Image: GETTY)</div>{_paragraphs(PROSE[2:])}
      <p>In 2019 the pact was first discussed, and 37,314 people signed a petition for it.</p></article></body></html>"""
    assert _body(html) == "\n\n".join(
        [*PROSE, "In 2019 the pact was first discussed, and 37,314 people signed a petition for it."]
    )


def test_a_furniture_heading_takes_its_section_along() -> None:
    related = "".join(f"<p>Summary of another story number {n}, long enough to be read as prose by anyone.</p>" for n in range(2))
    html = f"""<html><body><article><div class="text">{_paragraphs(PROSE)}</div>
      <div class="more"><h3>Latest news</h3>{related}</div></article></body></html>"""
    assert _body(html) == "\n\n".join(PROSE)


def test_table_rows_are_one_paragraph_each_and_custom_elements_stay_inline() -> None:
    html = f"""<html><body><article>{_paragraphs(PROSE)}
      <p>Binge eating is common in the United States (<hl-source><a href="#1">1</a></hl-source>).</p>
      <table><tr><th>Rank</th><th>Company</th></tr><tr><td>1</td><td>State Farm</td></tr></table>
      </article></body></html>"""
    body = _body(html)
    assert body is not None
    assert "Binge eating is common in the United States (1)." in body.split("\n\n")
    assert body.endswith("Rank\tCompany\n\n1\tState Farm")


def test_json_ld_article_body_filters_where_it_agrees_and_rescues_an_empty_page() -> None:
    article_body = " ".join(PROSE)
    ld = f'<script type="application/ld+json">{{"@type": "NewsArticle", "articleBody": "{article_body}"}}</script>'
    extra = "Our partner offers a special discount for readers who subscribe this week only, details at the shop."
    html = f"<html><head>{ld}</head><body><article>{_paragraphs(PROSE)}<p>{extra}</p></article></body></html>"
    assert _body(html) == "\n\n".join(PROSE)
    rendered_by_script = f"<html><head>{ld}</head><body><div id='app'></div></body></html>"
    assert _body(rendered_by_script) == article_body


def test_text_areas_are_not_read() -> None:
    copy = "&lt;p&gt;" + " ".join(PROSE) + "&lt;/p&gt;"
    html = f"""<html><body><article>{_paragraphs(PROSE)}</article>
      <div class="republish"><p>Copy this story:</p><textarea>{copy}</textarea></div></body></html>"""
    assert _body(html) == "\n\n".join(PROSE)


def test_a_furniture_named_layout_wrapper_holding_most_prose_outside_consent_text_is_read() -> None:
    # "sidebar-content" reads as furniture; it holds most of the prose once the consent banner,
    # which no text lifts, is left out of the count.
    consent = "".join(
        f"<p>We use cookies of kind {n} to improve your experience while you navigate through the website.</p>"
        for n in range(5)
    )
    html = f"""<html><body><header><p>{PROSE[0]}</p></header>
      <div class="sidebar-content">{_paragraphs(PROSE[1:])}</div>
      <div class="cookie-consent">{consent}</div></body></html>"""
    assert _body(html) == "\n\n".join(PROSE[1:])


def test_streamed_segments_are_read_in_their_placeholders_place() -> None:
    # React streaming: the article arrives in hidden segments after the page's frame, each moved
    # into its placeholder; a boundary's loading fallback is replaced.
    html = f"""<html><body><div class="frame"><nav><a href="/">Home</a></nav>
      <main><h1>Pact</h1><!--$?--><template id="B:0"></template><div>Loading paragraph...</div><!--/$-->
      <p>{PROSE[3]}</p></main><footer><p>{"Footer text of the whole site, long enough to be read as prose by anyone."}</p></footer></div>
      <div hidden id="S:0"><p>{PROSE[0]}</p><div><template id="P:1"></template></div></div>
      <div hidden id="S:1"><p>{PROSE[1]}</p><p>{PROSE[2]}</p></div></body></html>"""
    assert _body(html) == "\n\n".join(PROSE)


def test_a_span_holding_blocks_is_a_container() -> None:
    # Its blocks keep their own containers' markup: the comment list inside stays out.
    comment = "I disagree with every word of this piece, and here is a long explanation of why that is so today."
    comments = "".join(f"<p>{comment} ({n})</p>" for n in range(3))
    html = f"""<html><body><span class="layout"><div class="post">{_paragraphs(PROSE)}</div>
      <div class="comments">{comments}</div></span></body></html>"""
    assert _body(html) == "\n\n".join(PROSE)


def test_a_comment_word_on_the_wrapper_of_the_article_text_is_not_a_comment_section() -> None:
    html = f"""<html><body><div class="post-content"><div class="comment-on-selection">{_paragraphs(PROSE)}</div></div>
      </body></html>"""
    assert _body(html) == "\n\n".join(PROSE)


def test_a_second_rendering_of_the_article_is_read_once() -> None:
    # Responsive layouts send the article twice (one copy shown per screen size).
    more = "A final paragraph that closes the piece, long enough to be read as prose by anyone at all."
    text = _paragraphs([*PROSE, more])
    html = f"""<html><body><div class="page">
      <div class="variant-desktop"><div class="text">{text}</div></div>
      <div class="variant-mobile"><div class="text">{text}</div></div></div></body></html>"""
    assert _body(html) == "\n\n".join([*PROSE, more])


def test_repeated_short_lines_and_a_repeated_paragraph_are_kept() -> None:
    # Recipes and plans repeat lines and small groups on purpose; only whole long copies go.
    day = "<div class='day'><p>Warm up for ten minutes.</p><p>Run easy.</p></div>"
    html = f"<html><body><article>{_paragraphs(PROSE)}{day}<p>{PROSE[0]}</p>{day}</article></body></html>"
    body = _body(html)
    assert body is not None
    assert body.split("\n\n").count(PROSE[0]) == 2
    assert body.split("\n\n").count("Run easy.") == 2


def test_collapsed_accordion_panels_are_read_and_other_hidden_text_is_not() -> None:
    steps = "".join(
        f'<div class="accordion-item"><h3><button>Step {n + 1}</button></h3>'
        f'<div style="display:none"><p>{text}</p></div></div>'
        for n, text in enumerate(PROSE[1:])
    )
    html = f"""<html><body><article><p>{PROSE[0]}</p><div class="accordion">{steps}</div>
      <div style="display:none"><p>A hidden promotion that no reader sees, long enough to be read as prose.</p></div>
      </article></body></html>"""
    assert _body(html) == "\n\n".join(PROSE)


def test_a_quote_in_a_figure_is_read_and_a_picture_caption_is_not() -> None:
    quote = "Defence can serve diplomacy, and this pact is the clearest sign of that in a generation."
    html = f"""<html><body><article>{_paragraphs(PROSE[:2])}
      <figure><blockquote><p>{quote}</p></blockquote><figcaption>Jane Doe, minister</figcaption></figure>
      <figure><img src="a.jpg"><p>Ministers meeting in Paris on a rainy morning in early September this year.</p></figure>
      {_paragraphs(PROSE[2:])}</article></body></html>"""
    assert _body(html) == "\n\n".join([*PROSE[:2], quote, *PROSE[2:]])


def test_page_furniture_labels_standing_alone_are_not_body() -> None:
    labels = ["Table of Contents [hide]", "Written by", "Updated", "Like Loading...", "Loading paragraph...",
              "Click on a star to rate it!",
              "Average rating 4.6 / 5. Vote count: 4285", "Oops! Something went wrong while submitting the form.",
              "Image 1 of / 9", "Caption", "Close", "Explore further", "Like this:", "More:", "Text size",
              "Tempo de leitura: 1 minuto"]
    html = f"""<html><body><article>{_paragraphs(labels[:3])}{_paragraphs(PROSE)}{_paragraphs(labels[3:])}
      <p>The contents of the pact were published in full on Tuesday.</p></article></body></html>"""
    assert _body(html) == "\n\n".join([*PROSE, "The contents of the pact were published in full on Tuesday."])


def test_a_round_up_inside_the_article_text_is_read_and_teasers_beside_it_are_not() -> None:
    def items(cls: str, word: str) -> str:
        return "".join(
            f'<div class="{cls}"><h3><a href="/{word}-{n}">The {word} machine number {n} reviewed</a></h3>'
            f"<p>A short note on {word} machine {n}, long enough to be read as a sentence by anyone.</p></div>"
            for n in range(4)
        )

    html = f"""<html><body><div class="page-content"><div class="entry-content">{_paragraphs(PROSE)}
      {items("roundup-item", "sewing")}</div>
      <div class="more">{items("teaser", "other")}</div></div></body></html>"""
    body = _body(html)
    assert body is not None
    assert "A short note on sewing machine 3, long enough to be read as a sentence by anyone." in body.split("\n\n")
    assert "other machine" not in body


def test_a_closing_note_about_the_author_is_not_body() -> None:
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "author": {"@type": "Person", "name": "Jane Doe"}}</script>'
    note = "Jane Doe is a defence reporter who covers European security and has written about NATO since 2012."
    html = f"""<html><head>{ld}</head><body><article><p>Jane Doe said the pact mattered, in an interview today.</p>
      {_paragraphs(PROSE)}<p>{note}</p></article></body></html>"""
    assert _body(html) == "\n\n".join(["Jane Doe said the pact mattered, in an interview today.", *PROSE])


def test_a_caption_box_inside_a_content_marked_image_embed_is_not_body() -> None:
    # The image embed's id marks it as part of the article body; its caption is still a caption.
    caption = "The minister arrives at the summit in Paris on Monday, flanked by advisers and security staff, Sept. 8."
    html = f"""<html><body><div class="article-body">{_paragraphs(PROSE[:2])}
      <div id="ArticleBody-InlineImage-1042" class="inline-image"><div><img src="a.jpg"></div>
        <div class="image-caption">{caption}</div></div>
      {_paragraphs(PROSE[2:])}</div></body></html>"""
    assert _body(html) == "\n\n".join(PROSE)



def test_a_sign_up_box_around_an_email_or_phone_field_is_not_body() -> None:
    def box(field: str) -> str:
        return f"""<section class="box"><div><h3>Be the first to know about every deal we find</h3>
          <p>Hand-picked offers from our editors, sent to you a couple of times a week at most.</p></div>
          <form><input type="{field}" placeholder="Your {field}"><button>Sign me up</button></form>
          <p>By signing up you agree to our terms, and you can stop the messages whenever you like.</p>
          <p>Thanks for signing up!</p></section>"""

    html = f"""<html><body><article><div class="story">{_paragraphs(PROSE[:2])}{box("email")}
      {_paragraphs(PROSE[2:])}{box("tel")}</div></article></body></html>"""
    assert _body(html) == "\n\n".join(PROSE)


def test_an_image_box_with_its_caption_and_credit_is_not_body_in_any_markup() -> None:
    # Invented class words no list holds: the box is found by its shape (an image, a little text).
    caption = "Ministers meeting in Paris on a rainy morning in early September this year."
    boxes = [
        f'<div class="qx-frame"><div><img src="a.jpg"></div><div><span>{caption}</span><span>Zorblat/Quenn</span></div></div>',
        f'<div class="vv-holder"><picture><img src="b.jpg"></picture><p>{caption} <span>Photo Vendl</span></p></div>',
    ]
    html = f"""<html><body><article><div class="wq-text">{_paragraphs(PROSE[:2])}{boxes[0]}
      {_paragraphs(PROSE[2:])}{boxes[1]}</div></article></body></html>"""
    assert _body(html) == "\n\n".join(PROSE)


def test_alike_cards_with_pictures_a_quote_with_a_photo_and_an_inline_picture_stay_body() -> None:
    # A run of alike items with a picture each (a listicle's items), a reader's quote beside their photo and a
    # picture inside a paragraph are the text.
    items = "".join(
        f'<div class="pick"><img src="{n}.jpg"><div class="pick-text">{text}</div></div>' for n, text in enumerate(PROSE[2:])
    )
    inline = f'<p>{PROSE[1]} <img src="smile.png" alt=""></p>'
    quote = "“Very talented people, and a great evening out for all of us.”"
    reader = f'<blockquote><p><img src="reader.jpg"></p><p>{quote}</p></blockquote>'
    html = f"""<html><body><article><div class="wq-text">{_paragraphs(PROSE[:1])}{inline}{reader}{items}</div></article></body></html>"""
    assert _body(html) == "\n\n".join([*PROSE[:2], quote, *PROSE[2:]])


def test_a_sentence_citing_its_sources_in_links_is_read_and_a_whole_link_teaser_is_not() -> None:
    cited = (
        '<li>Teens love <a href="/airpods">Apple\'s AirPods</a>, and they are putting them on '
        '<a href="/survey">their holiday wish lists more than ever before</a>, a survey found.</li>'
    )
    teaser = '<p><a href="/other">Another story entirely, summed up in one long linked sentence for readers.</a></p>'
    html = f"""<html><body><article><div class="post-content">{_paragraphs(PROSE[:2])}<ol>{cited}</ol>
      {teaser}{_paragraphs(PROSE[2:])}</div></article></body></html>"""
    cited_text = (
        "Teens love Apple's AirPods, and they are putting them on their holiday wish lists more than ever before, a survey found."
    )
    assert _body(html) == "\n\n".join([*PROSE[:2], cited_text, *PROSE[2:]])


def test_a_call_to_action_box_is_furniture() -> None:
    pitch = "Support our newsroom so we can keep pursuing the facts, for you and for anyone searching for answers."
    html = f"""<html><body><article><div class="content">{_paragraphs(PROSE)}
      <div class="widget widget-cta-letter"><h3>A word to our loyal readers</h3><p>{pitch}</p>
      <ul><li>Jane Doe</li><li>John Roe</li></ul></div>
      </div></article></body></html>"""
    assert _body(html) == "\n\n".join(PROSE)


def test_a_linked_heading_over_its_section_is_read_and_linked_headlines_in_a_row_are_not() -> None:
    section = "The lightest board we tested folds in seconds, and its battery lasted a full week of commuting."
    related = "".join(f'<h3><a href="/r{n}">Related review number {n} of another board</a></h3>' for n in range(3))
    html = f"""<html><body><article>{_paragraphs(PROSE[:2])}
      <h2><a href="https://shop.example/board">Acme Fold 2 Board</a></h2><p>{section}</p>
      {_paragraphs(PROSE[2:])}{related}</article></body></html>"""
    assert _body(html) == "\n\n".join([*PROSE[:2], "Acme Fold 2 Board", section, *PROSE[2:]])


def test_teasers_that_each_mark_their_excerpt_as_post_content_are_a_teaser_list() -> None:
    teasers = "".join(
        f'<article class="loop-item"><h3><a href="/t{n}">Another story headline number {n}</a></h3>'
        f'<div class="post-content">A summary sentence of that other story, long enough to look like prose.</div></article>'
        for n in range(3)
    )
    html = f"""<html><body><div class="story">{_paragraphs(PROSE)}</div>
      <div class="list">{teasers}</div></body></html>"""
    assert _body(html) == "\n\n".join(PROSE)


# --- the article only in the page's scripts (a script-built page's loading shell) -------------


def _shell(script: str) -> str:
    return f"""<html><head><title>Pact | News</title></head><body><main><div class="spinner"></div></main>
    <script>{script}</script></body></html>"""


def test_article_html_in_a_hydration_state_is_read_when_the_markup_holds_none() -> None:
    import json

    content = "".join(f'<p class="para">{text}</p>' for text in PROSE) + '<div class="share">Share this article</div>'
    state = {"queries": [{"state": {"data": {"detail": {"title": "Pact", "contentHtml": content, "likes": 3}}}}]}
    body = _body(_shell(f'window["__STATE__"] = {json.dumps(state)};'))
    assert body == "\n\n".join(PROSE)


def test_article_text_in_a_json_string_inside_a_streamed_string_is_read() -> None:
    import json

    inner = json.dumps({"article": {"body": "\n\n".join(PROSE), "slot": "$$AD$$"}})
    body = _body(_shell(f"self.__next_f.push([1, {json.dumps('4:' + inner)}])"))
    assert body == "\n\n".join(PROSE)


def test_long_script_strings_that_are_not_prose_give_no_body() -> None:
    import json

    css = ".a{color:red}" * 60
    blob = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=" * 30
    assert _body(_shell(f"var styles = {json.dumps(css)}; var data = {json.dumps(blob)};")) is None


def test_scripts_are_not_read_when_the_markup_holds_the_article() -> None:
    import json

    other = " ".join(PROSE) + " This text sits only in the script and is another story altogether."
    html = f"""<html><body><article>{_paragraphs(PROSE)}</article>
    <script>var next = {json.dumps({"body": other * 2})};</script></body></html>"""
    assert _body(html) == "\n\n".join(PROSE)


def test_a_long_paragraph_is_told_from_the_headlines_by_its_start_exactly() -> None:
    """_headline_or_empty keys a long paragraph's first characters before its whole text: on
    strings of words, punctuation, spaces and letters whose case folds to several, it must answer
    what keying the whole text answers, the headline itself included."""
    import random

    from crawler.parsing.body.lines import HEADLINE_PREFIX_CHARS, _headline_or_empty, comparable

    rng = random.Random(11)
    pieces = ["Pact", "UK", "ß", "SS", "ΣΑΣ", "—", " ", "  ", "\u00a0", ", ", "...", "é", "İ", "ﬃ", "7", "_", "x"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 3 * HEADLINE_PREFIX_CHARS)))
        variant = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 3 * HEADLINE_PREFIX_CHARS)))
        headlines = {key for key in (comparable(text), comparable(variant), comparable(text[: len(text) // 2])) if key}
        for candidate in (text, variant, text + "!", "  " + text, "— " * HEADLINE_PREFIX_CHARS, "... " * HEADLINE_PREFIX_CHARS + text):
            key = comparable(candidate)
            assert _headline_or_empty(candidate, headlines) == (not key or key in headlines), candidate
            assert _headline_or_empty(candidate, set()) == (not key)


def test_marker_keys_skip_only_searches_that_cannot_match() -> None:
    """The class/id markers with the keys' substring test first give what the patterns alone give,
    on random class strings built from the patterns' own words and their near misses."""
    import random
    import re

    from crawler.parsing.body import blocks
    from crawler.parsing.body.patterns import (
        CAMEL_CASE,
        CONTENT_ATTR,
        DESCRIPTIVE_CLASS,
        HIDDEN_CLASS,
        STRONG_ATTR,
    )

    def reference_words(attrs: str) -> str:
        lowered = attrs.lower()
        if lowered != attrs:
            lowered = CAMEL_CASE.sub(r"\1-\2", attrs).lower()
        return DESCRIPTIVE_CLASS.sub(" ", lowered.replace("_", "-"))

    def reference(attrs: str) -> blocks._Marker:
        words = reference_words(attrs)
        for pattern, marker in ((CONTENT_ATTR, blocks._Marker.CONTENT), (STRONG_ATTR, blocks._Marker.STRONG), (HIDDEN_CLASS, blocks._Marker.HIDDEN)):
            if pattern.search(words):
                return marker
        return blocks._furniture_marker(words)

    words = set()
    for pattern in (CONTENT_ATTR, STRONG_ATTR, HIDDEN_CLASS, DESCRIPTIVE_CLASS):
        words |= {word for word in re.findall(r"[a-z]+", pattern.pattern) if len(word) > 1}
    pieces = sorted(words) + ["-", "_", " ", "-", "Body", "Text", "X", "2", "é", "post", "is", "d", "none", "sr", "only"]
    rng = random.Random(12)
    for _ in range(5000):
        attrs = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 6)))
        assert blocks._words(attrs) == reference_words(attrs), attrs
        assert blocks._attribute_marker(attrs) == reference(attrs), attrs


def test_a_block_s_spaces_are_collapsed_as_the_inline_space_pattern_collapses_them():
    # one_line joins a Latin-1 block's words where str.split() sees the same spaces as INLINE_SPACE,
    # else substitutes: the same text either way, whatever spaces and scripts a block holds.
    import random

    from crawler.parsing.body.patterns import INLINE_SPACE, one_line

    rng = random.Random(21)
    pieces = ["a", "é", " ", "\t", "\r", "\f", "\v", "\u00a0", "\u200b", "\n", "\x1c", "\x1f", "\x85", "\u2003", "\u3000", "’", "字"]
    for _ in range(5000):
        raw = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        assert one_line(raw) == INLINE_SPACE.sub(" ", raw).strip()
