"""Detection signals tried outside the product (bench/quality/candidates.py)."""

from __future__ import annotations

from bench.quality import candidates
from crawler.parsing import load_document
from crawler.parsing.detect import Evidence

FILLER = "The council met on Tuesday evening to discuss the flood barrier plan in detail with residents. "
URL = "https://firm.example/services/tax-returns/"


def _signals(body: str, *, url: str = URL, title: str = "Tax returns", authors: list[str] | None = None, text: str = FILLER * 3, head: str = "") -> dict[str, bool]:
    page = f"<!DOCTYPE html><html><head>{head}</head><body>{body}<p>{FILLER * 3}</p></body></html>"
    return candidates.signals(load_document(page, url), Evidence(body=text, title=title, published_at=None, authors=authors or []))


def test_a_page_its_site_navigation_links_is_flagged():
    """A link to the page itself in a <nav>, a <header>, or a block named a nav or a menu; not a
    breadcrumb ending with the page, a headline linking its page, a link into the page or to
    another page."""
    menu = "<a href='/services/audits/'>Audits</a><a href='/services/tax-returns/'>Tax returns</a>"
    for wrapped in (f"<nav>{menu}</nav>", f"<header><ul><li>{menu}</li></ul></header>", f"<div role='navigation'><div>{menu}</div></div>", f"<div class='site-menu'>{menu}</div>"):
        found = _signals(wrapped)
        assert found["in_navigation"] and found["linked_to_itself"]
    crumbs = "<nav class='breadcrumbs'><a href='/'>Home</a> <a href='/services/tax-returns/'>Tax returns</a></nav>"
    headline = "<header><h1><a href='/services/tax-returns/'>Tax returns</a></h1></header>"
    others = "<nav><a href='/services/audits/'>Audits</a><a href='/services/tax-returns/#fees'>Fees</a></nav>"
    for page in (crumbs, headline, others):
        found = _signals(page)
        assert not found["in_navigation"] and not found["linked_to_itself"]
    inline = _signals("<p><a href='/services/tax-returns/'>Tax returns</a></p>")
    assert not inline["in_navigation"] and inline["linked_to_itself"]


def test_an_organisation_signing_its_own_page_is_no_person_author():
    head = "<meta property='og:site_name' content='Shtark Law'>"
    assert not _signals("", authors=["Shtark LAW"], head=head)["person_author"]
    assert not _signals("", authors=["Firm"], url="https://www.firm.example/x/")["person_author"]  # a label of the host
    assert _signals("", authors=["Jane Roe", "Shtark Law"], head=head)["person_author"]


def test_headline_length_and_its_echo_in_the_first_paragraphs():
    assert _signals("", title="Tax returns")["short_headline"]
    long_title = "Council delays the flood barrier plan after residents object"
    assert not _signals("", title=long_title)["short_headline"]
    assert _signals("", title=long_title)["headline_echo"]  # council, flood, barrier, residents... come back
    assert not _signals("", title="Quarterly dividends announced by shipping conglomerate")["headline_echo"]


def test_schema_types_without_an_article_and_captions():
    faq = "<script type='application/ld+json'>{\"@type\": \"FAQPage\"}</script>"
    news = "<script type='application/ld+json'>{\"@type\": \"NewsArticle\"}</script>"
    assert _signals("", head=faq)["schema_without_article"]
    assert not _signals("", head=news)["schema_without_article"]
    assert not _signals("")["schema_without_article"]
    assert _signals("<figure><img src='a.jpg'><figcaption>The barrier</figcaption></figure>")["figure_caption"]
    product = {"prose_block": False, "byline_date": False, "authors": False}
    assert set(_signals("")) | set(candidates.combined(product)) == set(candidates.NAMES)


def test_prose_under_a_dateline_is_one_candidate_and_with_a_byline_another():
    """Read from the product's signals: a block of prose paragraphs with a date shown by the
    headline; either alone (a dated forum post, an undated chapter) is not enough."""
    story = {"prose_block": True, "byline_date": True, "authors": False}
    assert candidates.combined(story) == {"dated_prose": True, "signed_dated_prose": False}
    assert candidates.combined(story | {"authors": True}) == {"dated_prose": True, "signed_dated_prose": True}
    assert not any(candidates.combined(story | {"byline_date": False, "authors": True}).values())
    assert not any(candidates.combined(story | {"prose_block": False, "authors": True}).values())


def test_links_to_the_page_own_headings_are_a_table_of_contents():
    """Three links to headings of the page (on the heading or on the section around it); links
    into the page that name no heading, or only two headings, are not."""
    headings = "<h2 id='a'>Install</h2><section id='b'><h3>Configure</h3></section><h4 id='c'>Run</h4>"
    toc = "<ul><li><a href='#a'>Install</a></li><li><a href='#b'>Configure</a></li><li><a href='#c'>Run</a></li></ul>"
    assert _signals(toc + headings)["own_toc"]
    assert not _signals(toc.replace("#c", "#top") + headings + "<div id='top'></div>")["own_toc"]
    assert not _signals("<a href='#a'>Install</a><a href='#a'>Again</a><a href='#b'>Configure</a>" + headings)["own_toc"]


def test_session_11_candidates_read_structure_punctuation_and_schema_meaning():
    """Non-writing schema types beside an article type, paragraphs that end no sentence, short
    sentences, quotes, question headings, and a page whose text sits in alike multi-block cards."""
    offer = "<script type='application/ld+json'>[{\"@type\": \"Article\"}, {\"@type\": \"Service\"}]</script>"
    assert _signals("", head=offer)["other_schema"] and not _signals("")["other_schema"]
    bullets = "\n\n".join(["Fast delivery to every region we serve", "Trusted by many clients across the world"] * 3)
    assert _signals("", text=bullets)["unpunctuated"] and not _signals("")["unpunctuated"]
    assert _signals("", text="Call now. Save big. Free quote. Best price. Open daily.")["short_sentences"]
    assert not _signals("")["short_sentences"]
    quoted = FILLER + "“We will not wait for the next flood,” she said. «Nous attendrons la décision du conseil», a-t-il dit."
    assert _signals("", text=quoted)["quoted_speech"] and not _signals("")["quoted_speech"]
    faq = "".join(f"<h2>Question number {n}?</h2><p>Answer.</p>" for n in range(3))
    assert _signals(faq)["question_headings"] and not _signals(faq.replace("?", ".", 1))["question_headings"]
    card = "<div class='card'><h3><a href='/x'>A teaser headline here</a></h3><p>{}</p></div>"
    cards = "<div class='grid'>" + "".join(card.format(FILLER * 2) for _ in range(4)) + "</div>"
    assert _signals(cards)["repeated_share"] and not _signals("")["repeated_share"]


def test_the_prose_block_graded_up_counts_more_paragraphs_and_words():
    story = "".join(f"<p>{FILLER * 5}</p>" for _ in range(8))
    found = _signals(f"<div class='story'>{story}</div>")
    assert found["prose_block_8"] and found["long_prose_600"]
    short = _signals(f"<div class='story'>{''.join(f'<p>{FILLER * 2}</p>' for _ in range(4))}</div>")
    assert not short["prose_block_8"] and not short["long_prose_600"]
