import json

from crawler.parsing.dates import extract_dates
from crawler.parsing.title import find_headline

from .helpers import FILLER, article_body, doc


def _dates(page, language="en"):
    _title, headline = find_headline(page)
    return extract_dates(page, language=language, headline=headline)


def test_jsonld_comes_first_and_keeps_its_offset():
    ld = {"@type": "NewsArticle", "headline": "A", "datePublished": "2025-09-11T08:30:00+02:00", "dateModified": "2025-09-12T10:00:00+02:00"}
    head = f'<script type="application/ld+json">{json.dumps(ld)}</script><meta property="article:published_time" content="2020-01-01">'
    dates = _dates(doc("<h1>A</h1>" + article_body(), head=head))
    assert (dates.published, dates.modified) == ("2025-09-11T08:30:00+02:00", "2025-09-12T10:00:00+02:00")


def test_jsonld_of_another_type_is_not_the_article():
    ld = [{"@type": "Organization", "foundingDate": "1990-01-01", "datePublished": "2001-01-01"}, {"@type": "BlogPosting", "datePublished": "2025-02-03"}]
    page = doc(article_body(), head=f'<script type="application/ld+json">{json.dumps(ld)}</script>')
    assert _dates(page).published == "2025-02-03"


def test_meta_tags_before_visible_text():
    head = '<meta property="article:published_time" content="2025-03-04T05:06:07Z">'
    dates = _dates(doc("<h1>Title</h1><p class='byline'>June 1, 2024</p>" + article_body(), head=head))
    assert dates.published == "2025-03-04T05:06:07+00:00"


def test_date_alone_stays_a_date_without_midnight():
    page = doc('<article><h1>Headline here</h1><time datetime="2025-05-12">12 mai 2025</time>' + article_body() + "</article>")
    assert _dates(page).published == "2025-05-12"


def test_byline_date_in_words_near_the_headline():
    body = "<h1>Le conseil vote le budget</h1><div class='meta'><span>Par Jeanne Roy</span> <span>mardi 13 mai 2025 à 18 h 20</span></div>"
    assert _dates(doc(body + article_body(), lang="fr")).published == "2025-05-13T18:20:00"


def test_updated_line_is_the_modification_not_the_publication():
    body = "<h1>Headline of the story</h1><p>Updated June 3, 2025</p><p>Published May 30, 2025</p>" + article_body()
    dates = _dates(doc(body))
    assert (dates.published, dates.modified) == ("2025-05-30", "2025-06-03")


def test_only_an_update_date_is_used_as_publication_fallback():
    body = "<h1>Headline of the story</h1><p>Last updated: November 13, 2025</p>" + article_body()
    dates = _dates(doc(body, url="https://news.example/story"))
    assert dates.published == dates.modified == "2025-11-13"


def test_related_teaser_and_copyright_dates_are_ignored():
    body = (
        "<h1>Headline of the story</h1>" + article_body()
        + "<aside class='related-posts'><h3>Older story</h3><time datetime='2019-01-01'>Jan 1, 2019</time><p>March 3, 2019</p></aside>"
        + "<footer><p>© 2024 News Example. January 1, 2024</p></footer>"
    )
    assert _dates(doc(body, url="https://news.example/story")).published is None


def test_url_date_is_the_last_resort():
    assert _dates(doc("<h1>T</h1>" + article_body())).published == "2025-09-11"


def test_a_relative_date_outside_the_byline_is_not_the_publication():
    body = "<h1>Headline of the story</h1>" + article_body() + "<ul class='comments'><li><span class='date'>3 hours ago</span></li></ul>"
    assert _dates(doc(body, url="https://news.example/story")).published is None


def test_meta_dates_written_in_words():
    head = '<meta name="published" content="July 17, 2025"><meta name="citation_publication_date" content="2023 Jan 7">'
    assert _dates(doc(article_body(), head=head, url="https://news.example/story")).published == "2023-01-07"
    head = '<meta name="published" content="July 17, 2025">'
    assert _dates(doc(article_body(), head=head, url="https://news.example/story")).published == "2025-07-17"


def test_a_sidebar_class_on_the_layout_wrapper_holding_the_headline_is_not_foreign():
    body = "<div class='story-template-sidebar'><h1>Headline of the story</h1><div class='story-date'>May 31, 2024</div>" + article_body(8) + "</div>"
    assert _dates(doc(body, url="https://news.example/story")).published == "2024-05-31"


def _ld(**fields):
    return f'<script type="application/ld+json">{json.dumps({"@type": "NewsArticle", "headline": "Headline of the story", **fields})}</script>'


def test_byline_date_backed_by_the_url_wins_over_a_structured_date_a_day_later():
    # The structured time is in UTC, past midnight; the page and its URL give the local day.
    head = '<meta property="article:published_time" content="2025-12-19T03:05:00+00:00">'
    body = "<h1>Headline of the story</h1><p class='byline'>December 18, 2025</p>" + article_body()
    assert _dates(doc(body, head=head, url="https://blog.example/2025/12/18/story/")).published == "2025-12-18"


def test_a_day_apart_without_the_url_is_one_moment_in_two_time_zones():
    head = '<meta property="article:published_time" content="2026-02-23T00:57:30+00:00">'
    body = "<h1>Headline of the story</h1><p class='byline'>February 22, 2026</p>" + article_body()
    assert _dates(doc(body, head=head, url="https://blog.example/story/")).published == "2026-02-23T00:57:30+00:00"


def test_a_second_structured_source_naming_the_shown_day_wins():
    head = _ld(datePublished="2024-08-29T10:00:00+00:00") + '<meta property="article:published_time" content="2025-11-25">'
    body = "<h1>Headline of the story</h1><p class='byline'>Nov 25, 2025</p>" + article_body()
    assert _dates(doc(body, head=head, url="https://news.example/story")).published == "2025-11-25"


def test_a_structured_published_that_is_the_last_save_loses_to_an_earlier_byline_date():
    head = _ld(datePublished="2025-11-20T16:02:46+00:00", dateModified="2025-11-20T16:02:46+00:00")
    body = "<h1>Headline of the story</h1><p class='byline'>May 14, 2025</p>" + article_body()
    assert _dates(doc(body, head=head, url="https://news.example/story")).published == "2025-05-14"


def test_a_time_pubdate_far_from_the_headline_counts_as_the_shown_date():
    # HTML5's <time pubdate> below the story; the JSON-LD "published" is only the last save.
    head = _ld(datePublished="2025-11-29T12:28:31-05:00", dateModified="2025-11-29T12:28:31-05:00")
    body = (
        "<h1>Ten free accounting tools</h1>" + article_body()
        + "<div class='article-body__published'>Published <time pubdate datetime='2025-08-13'>August 13, 2025</time></div>"
    )
    assert _dates(doc(body, head=head, url="https://news.example/tools")).published == "2025-08-13"
    without_pubdate = body.replace(" pubdate", "")
    assert _dates(doc(without_pubdate, head=head, url="https://news.example/tools")).published.startswith("2025-11-29")


def test_a_structured_date_is_kept_when_the_byline_shows_the_modification_day():
    # The byline shows the last update unlabelled; nothing backs it against datePublished.
    head = _ld(datePublished="2022-07-21T09:00:00+00:00", dateModified="2023-08-29T10:00:00+00:00")
    body = "<h1>Headline of the story</h1><p class='byline'>August 29, 2023</p>" + article_body()
    assert _dates(doc(body, head=head, url="https://news.example/story")).published == "2022-07-21T09:00:00+00:00"


def test_an_updated_line_anywhere_is_the_last_resort():
    body = "<h1>Headline of the story</h1>" + article_body() + "<div><p style='text-align:right'>Last updated: November 13, 2025</p></div>"
    dates = _dates(doc(body, url="https://news.example/story"))
    assert (dates.published, dates.modified) == ("2025-11-13", "2025-11-13")


def test_url_date_with_a_month_name():
    url = "https://news.example/blog/2023/october/03/how-many-wine-types"
    assert _dates(doc("<h1>T</h1>" + article_body(), url=url)).published == "2023-10-03"
    assert _dates(doc("<h1>T</h1>" + article_body(), url="https://news.example/books/2025/dec/05/best")).published == "2025-12-05"


def test_a_byline_date_marked_up_with_time_datetime_backs_the_shown_day():
    head = '<meta property="article:published_time" content="2013-03-11T11:11:07-07:00">'
    body = "<h1>Headline of the story</h1><p class='byline'><time datetime='2023-03-20T00:00:00-07:00'>March 20, 2023</time></p>" + article_body()
    assert _dates(doc(body, head=head, url="https://news.example/story")).published == "2023-03-20T00:00:00-07:00"


def test_the_footer_of_the_headline_article_is_the_article_own():
    body = (
        "<article><h1>Headline of the story</h1>" + article_body()
        + "<footer class='article-footer'><span class='article-date'><time datetime='2025-08-12T11:15:06Z'>August 12, 2025</time></span></footer></article>"
        + "<footer class='site-footer'><p>News Example. January 1, 2024</p></footer>"
    )
    assert _dates(doc(body, url="https://news.example/story")).published == "2025-08-12T11:15:06+00:00"
    teaser = "<h1>Headline of the story</h1>" + article_body() + "<article><h3>Older</h3><footer class='card-footer'><time datetime='2019-01-01'>Jan 1</time></footer></article>"
    assert _dates(doc(teaser, url="https://news.example/story")).published is None


def test_a_date_in_a_sentence_under_the_headline_is_not_the_byline_date():
    body = (
        "<h1>Guide to filing your taxes</h1><p>The end of the tax season for most Americans is April 15, 2025. If you are owed a refund, file early.</p>"
        "<div class='meta'><time datetime='2025-01-17T13:39:16-05:00'>Jan 17, 2025</time></div>" + article_body()
    )
    assert _dates(doc(body, url="https://news.example/story")).published == "2025-01-17T13:39:16-05:00"


def test_the_one_date_in_a_post_sidebar_is_the_article_date():
    sidebar = "<div class='single-post-sidebar'><div class='single-post-meta'><h4>Published</h4><div class='single-post-date'>July 8, 2025</div></div></div>"
    assert _dates(doc("<h1>Headline of the story</h1>" + article_body() + sidebar, url="https://news.example/story")).published == "2025-07-08"
    teasers = "<div class='sidebar'>" + "".join(f"<div class='post-date'>July {day}, 2025</div>" for day in (1, 2)) + "</div>"
    assert _dates(doc("<h1>Headline of the story</h1>" + article_body() + teasers, url="https://news.example/story")).published is None


def test_the_line_right_under_the_headline_is_its_byline_whatever_its_container_is_called():
    # A newsletter issue's date sits in a "newsletter-..." block; a side column holds the byline.
    page = doc(
        "<div><h1>Foundational fitness</h1></div><div class='newsletter-details'><p>November 2, 2022</p></div>"
        + article_body()
        + "<aside class='newsletter-signup'><p>Issue of March 3, 2021</p></aside>",
        url="https://news.example/p/fitness",
    )
    assert _dates(page).published == "2022-11-02"
    page = doc(
        "<main><h1>Sleep training</h1><aside><p>May 25, 2023</p><p>Written by Ann Lee</p></aside>" + article_body() + "</main>",
        url="https://news.example/p/sleep",
    )
    assert _dates(page).published == "2023-05-25"


def test_dates_in_the_story_under_the_headline_are_not_its_byline():
    long_paragraph = f"<p>{FILLER}{FILLER}</p>"
    body = (
        "<p class='kicker'>October 13, 2025</p><h1>Biggest tech events next year</h1>"
        + long_paragraph * 3
        + "<h3>A conference</h3><p>Date: March 19, 2026</p>"
        + article_body()
    )
    assert _dates(doc(body, url="https://news.example/events")).published == "2025-10-13"


def test_a_teaser_list_under_a_listing_headline_is_not_a_byline():
    body = (
        "<h1>Local news</h1>"
        "<article class='teaser'><h2><a href='/a'>Lighthouse finds volunteers</a></h2><time datetime='2025-09-10'>September 10, 2025</time></article>"
        "<article class='teaser'><h2><a href='/b'>School garden</a></h2><time datetime='2025-09-09'>September 9, 2025</time></article>"
    )
    assert _dates(doc(body, url="https://news.example/local/page/2/")).published is None


def test_a_page_saying_when_it_was_originally_published_is_believed_over_its_byline():
    body = (
        "<h1>Living in a tiny home</h1><p class='byline'>30 Sep 2022, 11:07am</p>" + article_body()
        + "<p class='disclaimer'>This article was originally published on 26 Sep 2019 at 4:12pm but has been regularly updated.</p>"
    )
    assert _dates(doc(body, url="https://news.example/tiny-home")).published == "2019-09-26T16:12:00"
    mention = body.replace("This article was originally published on", "The first tiny homes we saw were built before")
    assert _dates(doc(mention, url="https://news.example/tiny-home")).published.startswith("2022-09-30")


def test_time_before_the_date_with_a_zone_abbreviation_is_kept():
    body = "<h1>Storm reaches the coast</h1><p class='byline'>By Jane Roe</p><p>Updated 9:10 AM EDT, Thu June 5, 2025</p><p>Published 8:30 AM EDT, Thu June 5, 2025</p>"
    dates = _dates(doc(body + article_body(), url="https://news.example/storm"))
    assert (dates.published, dates.modified) == ("2025-06-05T08:30:00-04:00", "2025-06-05T09:10:00-04:00")


def test_day_month_date_with_an_h_clock_on_a_day_first_page():
    body = "<h1>Le conseil vote le budget</h1><div class='meta'><span>Par Jeanne Roy</span> <span>Publié le 05/04/2025 à 14h30</span></div>"
    page = doc(body + article_body(), lang="fr", url="https://nouvelles.example/conseil")
    assert _dates(page, "fr").published == "2025-04-05T14:30:00"


def test_the_other_day_month_reading_wins_when_the_url_names_its_day():
    # An English page on a generic domain is read month-first; the URL says 5 April.
    body = "<h1>Council votes the budget</h1><p>By Jane Roe | 05/04/2025 14:30</p>"
    page = doc(body + article_body(), url="https://news.example/2025/04/05/council")
    assert _dates(page).published == "2025-04-05T14:30:00"


def test_a_time_elements_machine_value_settles_the_order_of_its_text():
    body = "<h1>Council votes the budget</h1><p><time datetime='2023-10-12T19:38:01Z'>10/12/2023 7:38:01 PM</time></p>"
    page = doc(body + article_body(), lang="en-GB", url="https://news.example/council")
    assert _dates(page).published == "2023-10-12T19:38:01+00:00"


def test_the_pages_own_unambiguous_dates_settle_the_order():
    body = "<h1>Council votes the budget</h1><p>By Jane Roe | 05/04/2025</p>" + article_body() + "<p>Letter of 23/03/2025 to the council</p>"
    assert _dates(doc(body, url="https://news.example/council")).published == "2025-04-05"


def test_a_time_element_elsewhere_on_the_page_settles_the_order():
    # The byline shows 02-12-2025 only; a list of recent posts (this one among them) marks 2 December.
    recent = "<aside class='sidebar'><h3>Recent posts</h3><div><a href='/this'>Council votes</a> <time datetime='2025-12-02'>December 02, 2025</time></div></aside>"
    body = "<h1>Council votes the budget</h1><p>By Jane Roe | 02-12-2025</p>" + article_body() + recent
    assert _dates(doc(body, url="https://news.example/council")).published == "2025-12-02"


def test_the_shown_time_and_zone_complete_a_structured_day():
    head = '<meta property="article:published_time" content="2025-06-05">'
    body = "<h1>Council votes the budget</h1><p><span>5 June 2025</span> <span>14:30 CEST</span></p>"
    assert _dates(doc(body + article_body(), head=head, url="https://news.example/council")).published == "2025-06-05T14:30:00+02:00"


def test_a_clock_in_the_text_node_before_the_date_is_joined_to_it():
    body = "<h1>Council votes the budget</h1><p class='meta'><span>08:30 EDT</span> <span>Thu Jun. 5, 2025</span></p>"
    assert _dates(doc(body + article_body(), url="https://news.example/council")).published == "2025-06-05T08:30:00-04:00"


def test_a_structured_instant_beats_a_shown_local_time_of_the_same_day():
    head = '<meta property="article:published_time" content="2025-06-05T12:30:00Z">'
    body = "<h1>Council votes the budget</h1><p>5 June 2025, 14:30</p>"
    assert _dates(doc(body + article_body(), head=head, url="https://news.example/council")).published == "2025-06-05T12:30:00+00:00"


def test_a_byline_date_no_pattern_reads_goes_to_dateparser_in_the_pages_language():
    body = "<h1>Η βουλή ψηφίζει τον προϋπολογισμό</h1><p>15 Μαΐου 2025</p>"
    page = doc(body + article_body(), lang="el", url="https://news.example/vouli")
    assert _dates(page, "el").published == "2025-05-15"


def test_a_structured_instant_and_a_shown_day_it_cannot_fall_on_are_far_apart():
    # 22:02 UTC on 19 December is 19 or 20 December everywhere: a byline saying 18 December
    # names another day, and a second structured source naming it backs the byline.
    head = '<meta property="article:published_time" content="2025-12-19T22:02:58Z">'
    body = "<h1>Council votes the budget</h1><p><time itemprop='datePublished' datetime='2025-12-18'>Dec 18, 2025</time></p>"
    page = doc(body + article_body(), head=head, url="https://news.example/council")
    assert _dates(page).published == "2025-12-18"
    head = '<meta property="article:published_time" content="2025-12-19T02:02:58Z">'  # 18 December in the Americas
    assert _dates(doc(body + article_body(), head=head, url="https://news.example/council")).published == "2025-12-19T02:02:58+00:00"


def test_jsonld_in_cdata_markers_and_an_article_named_as_a_pages_main_entity_are_read():
    cdata = '<script type="application/ld+json">//<![CDATA[\n{"@type": "NewsArticle", "datePublished": "2024-08-22T12:00:00+02:00"}\n//]]></script>'
    assert _dates(doc("<h1>A</h1>" + article_body(), head=cdata, url="https://news.example/a")).published == "2024-08-22T12:00:00+02:00"
    ld = {"@type": "WebPage", "mainEntity": {"@type": "NewsArticle", "datePublished": "2023-04-28T18:16:04+0200"}}
    head = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    body = "<h1>A</h1><p><time datetime='2023-04-28 18:16'>28.04.2023, 18:16 Uhr</time></p>"
    assert _dates(doc(body + article_body(), head=head, url="https://news.example/a")).published == "2023-04-28T18:16:04+02:00"


def test_a_structured_time_without_offset_is_completed_by_another_source_of_the_same_moment():
    ld = {"@type": "NewsArticle", "datePublished": "2023-04-28 18:11:01.0"}
    head = f'<script type="application/ld+json">{json.dumps(ld)}</script><meta name="date" content="2023-04-28T18:11:01+02:00">'
    assert _dates(doc("<h1>A</h1>" + article_body(), head=head, url="https://news.example/a")).published == "2023-04-28T18:11:01+02:00"


def test_a_byline_showing_the_modification_day_does_not_replace_the_publication():
    ld = {"@type": "NewsArticle", "datePublished": "2023-10-07T09:53:36+02:00", "dateModified": "2024-07-18T13:08:27+02:00"}
    head = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    body = "<h1>Live: the latest news</h1><p><time datetime='2024-07-18T11:08:27Z'>18.07.2024, 13.08 Uhr</time></p>"
    dates = _dates(doc(body + article_body(), head=head, url="https://news.example/live"))
    assert (dates.published, dates.modified) == ("2023-10-07T09:53:36+02:00", "2024-07-18T13:08:27+02:00")
