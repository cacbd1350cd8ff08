"""Site templates: where each field was read, and a learned template correcting a page's outliers."""

from __future__ import annotations

from datetime import UTC, datetime

import lxml.html
import pytest

from bench.template.sites import make_site
from crawler.article.sitevotes import SiteVotes
from crawler.parsing import SiteTemplate, parse_page
from crawler.parsing.paths import element_path, select

NOW = datetime(2026, 1, 1, tzinfo=UTC)
STORY = " ".join(
    f"The harbour committee met on evening {n} and residents asked how the new timetable would change the ferry."
    for n in range(6)
)


def _page(*, before: str = "", byline: str = '<span class="by">By <a class="au" href="/staff/mira-vell/">Mira Vell</a></span>',
          date: str = '<span class="dt">11 March 2025</span>', head: str = "<title>Ferry timetable changes for winter | Harbour Gazette</title>",
          body_class: str = "story-text", after: str = "") -> str:
    return (
        f'<html lang="en"><head>{head}</head><body><header class="site"><a href="/">Harbour Gazette</a></header>'
        f'<main><article class="story post-1234 category-politics">{before}<header><h1 class="hl">Ferry timetable changes for winter</h1>'
        f'<div class="meta">{byline} {date}</div></header>'
        f'<div class="{body_class}"><p>{STORY}</p><p>{STORY}</p><p>Last words of the story, said the ferry captain.</p></div>'
        f"</article>{after}</main><footer>© 2025</footer></body></html>"
    )


URL = "https://harbour.example/2025/03/11/ferry.html"


def test_paths_keep_stable_words_and_drop_page_ids():
    tree = lxml.html.fromstring(_page())
    [headline] = tree.xpath("//h1")
    assert element_path(headline) == "article.story header h1.hl"  # post-1234 and category-politics are the page's own
    assert select(tree, element_path(headline)) == [headline]
    assert select(tree, "h1[") == []  # bad CSS (a hand-written pin) finds nothing, raises nothing


def test_hash_like_generated_classes_are_dropped():
    tree = lxml.html.fromstring('<html><body><div class="sc-cBEgGa lorCQW storyBody"><p>x</p></div></body></html>')
    assert element_path(tree.xpath("//p")[0]) == "div.storyBody p"


def test_without_a_template_nothing_is_located():
    assert parse_page(_page(), URL, now=NOW).field_paths == {}


def test_an_empty_template_asks_where_each_field_was_read():
    result = parse_page(_page(), URL, now=NOW, template=SiteTemplate())
    assert result.field_paths == {
        "title": "article.story header h1.hl",
        "date": "header div.meta span.dt",
        "author": "div.meta span.by a.au",
        "body": "main article.story div.story-text",
        "region": "main article.story div.story-text",  # the body reader's region: the fast path's layouts learn it
    }
    assert result.template_changed == []


def test_the_template_corrects_a_flash_headline_above_the_article():
    page = _page(before='<div class="flash"><h1>Storm warning for the coast tonight as winds rise</h1></div>',
                 head="<title>Harbour Gazette</title>")  # a small site: no metadata, the site's name as <title>
    alone = parse_page(page, URL, now=NOW)
    assert alone.title != "Ferry timetable changes for winter"  # the page alone misleads the parser
    hinted = parse_page(page, URL, now=NOW, template=SiteTemplate(title="article.story header h1.hl"))
    assert hinted.title == "Ferry timetable changes for winter"
    assert hinted.template_changed == ["title"]
    assert hinted.field_paths["title"] == "article.story header h1.hl"


def test_the_template_corrects_a_caption_date_before_the_date_line():
    page = _page().replace(
        "winter</h1>", 'winter</h1><figure><img src="/a.jpg"><figcaption>Archive photo, 4 June 2021</figcaption></figure>'
    )
    alone = parse_page(page, URL, now=NOW)
    assert alone.published_at[:10] == "2021-06-04"
    hinted = parse_page(page, URL, now=NOW, template=SiteTemplate(date="header div.meta span.dt"))
    assert hinted.published_at == "2025-03-11"


def test_metadata_confirming_the_parse_wins_over_the_hint():
    head = '<meta property="article:published_time" content="2025-03-11T08:00:00Z">'
    page = _page(head=head, before='<div class="flash"><span class="when">4 June 2021</span></div>')
    hinted = parse_page(page, URL, now=NOW, template=SiteTemplate(date="div.flash span.when"))
    assert hinted.published_at[:10] == "2025-03-11"
    assert "published_at" not in hinted.template_changed


def test_the_template_reads_every_linked_author():
    byline = ('<span class="by">By <a class="au" href="/staff/mira-vell/">Mira Vell</a> and '
              '<a class="au" href="/staff/lars-brandt/">Lars Brandt</a>, in the city</span>')
    hinted = parse_page(_page(byline=byline), URL, now=NOW, template=SiteTemplate(author="div.meta span.by a.au"))
    assert hinted.authors == ["Mira Vell", "Lars Brandt"]


def test_the_template_body_container_beats_long_letters_beside_a_short_story():
    letter = " ".join(f"I have taken the ferry for {n} years and the new winter timetable worries me." for n in range(9))
    letters = "".join(f"<p>{letter} Letter {n}.</p>" for n in range(8))
    page = _page(after=f'<div class="responses"><h3>Letters</h3>{letters}</div>')
    hinted = parse_page(page, URL, now=NOW, template=SiteTemplate(body="main article.story div.story-text"))
    assert hinted.body.startswith("The harbour committee") and "Letter 3" not in hinted.body



def test_letters_ending_like_a_story_sentence_are_not_taken_for_the_container_s_end():
    """The parse's body runs past the hinted container into readers' letters whose last letter ends
    with the same three words as a sentence of the story ("would change the ferry."): the hint still
    sees a body that ends outside its container and corrects it."""
    letter = " ".join(f"I have taken the ferry for {n} years and the new winter timetable worries me." for n in range(9))
    letters = "".join(f"<p>{letter} Letter {n}.</p>" for n in range(7)) + f"<p>{letter} I doubt it would change the ferry.</p>"
    page = _page(after=f'<div class="responses"><h3>Letters</h3>{letters}</div>')
    alone = parse_page(page, URL, now=NOW)
    assert "Letter 3" in alone.body and alone.body.endswith("would change the ferry.")  # the trap: the parse reads the letters too
    hinted = parse_page(page, URL, now=NOW, template=SiteTemplate(body="main article.story div.story-text"))
    assert hinted.body.startswith("The harbour committee") and "Letter 3" not in hinted.body
    assert hinted.template_changed == ["body"]


@pytest.mark.parametrize(
    "template",
    [
        SiteTemplate(title="h2.nowhere", date="span.nowhere", author="a.nowhere", body="div.nowhere"),
        SiteTemplate(title="h1[", date="::bad", author="a..b", body="div >"),
        SiteTemplate(title="footer", date="footer", author="footer", body="footer"),  # present, but no valid value
    ],
)
def test_a_hint_that_does_not_hold_leaves_the_parse_as_it_was(template):
    alone = parse_page(_page(), URL, now=NOW)
    hinted = parse_page(_page(), URL, now=NOW, template=template)
    for name in ("title", "published_at", "authors", "body"):
        assert getattr(hinted, name) == getattr(alone, name)
    assert hinted.template_changed == []


def test_a_site_template_is_learned_from_the_majority_of_five_pages():
    site = make_site(3)
    votes = SiteVotes()
    for page in site.pages[:4]:
        votes.observe(parse_page(page.html, page.url, now=NOW, template=SiteTemplate()).field_paths)
    assert not votes.template(min_pages=5, min_share=0.6)  # four pages teach nothing yet
    for page in site.pages[4:]:
        votes.observe(parse_page(page.html, page.url, now=NOW, template=SiteTemplate()).field_paths)
    learned = votes.template(min_pages=5, min_share=0.6)
    assert {"title", "date", "body"} <= set(learned.paths())


def test_a_pinned_template_fills_what_was_not_learned_and_wins_where_both_speak():
    from crawler.article.template import TemplateBook

    book = TemplateBook(min_pages=5, min_share=0.6)
    site = make_site(3)
    for page in site.pages:
        book.votes(site.host).observe(parse_page(page.html, page.url, now=NOW, template=SiteTemplate()).field_paths)
    learned = book.for_site(site.host)
    pinned = book.for_site(site.host, SiteTemplate(title="main h1.pinned"))
    assert pinned.title == "main h1.pinned" and pinned.body == learned.body


def test_a_profile_template_table_is_checked(tmp_path):
    from crawler.profiles import ProfileError, load_profiles

    path = tmp_path / "sites.toml"
    path.write_text('[sites.x]\nstart_urls = ["https://x.example/"]\ntemplate = { title = "article h1.hl" }\n')
    assert load_profiles(path)["x"].template == {"title": "article h1.hl"}
    path.write_text('[sites.x]\nstart_urls = ["https://x.example/"]\ntemplate = { date = "h1[" }\n')
    with pytest.raises(ProfileError, match="bad CSS selector for date"):
        load_profiles(path)
    path.write_text('[sites.x]\nstart_urls = ["https://x.example/"]\ntemplate = { headline = "h1" }\n')
    with pytest.raises(ProfileError):
        load_profiles(path)
