"""Named selectors and word lists the field extractors share.

Every XPath, meta name and label list lives here, never as a literal inside extraction
logic, so a reader sees in one place what the parser looks at.
"""

from __future__ import annotations

# --- schema.org types -------------------------------------------------------------------
ARTICLE_TYPES = frozenset(
    t.lower()
    for t in (
        "Article", "NewsArticle", "BlogPosting", "Blog", "Report", "ScholarlyArticle", "TechArticle",
        "AnalysisNewsArticle", "OpinionNewsArticle", "ReportageNewsArticle", "ReviewNewsArticle",
        "BackgroundNewsArticle", "AdvertiserContentArticle", "SatiricalArticle", "LiveBlogPosting",
        "SocialMediaPosting", "MedicalScholarlyArticle", "HowTo", "Recipe", "Review", "CriticReview",
        "APIReference", "MedicalWebPage",
    )
)
PAGE_TYPES = frozenset(t.lower() for t in ("WebPage", "ItemPage", "AboutPage"))
NOT_ARTICLE_TYPES = {
    # JSON-LD main type -> not_article_reason
    "product": "product page",
    "productgroup": "product page",
    "offer": "product page",
    "collectionpage": "listing page",
    "itemlist": "listing page",
    "searchresultspage": "listing page",
    "profilepage": "profile page",
    "qapage": "forum page",
    "discussionforumposting": "forum page",
    "softwareapplication": "product page",
    "contactpage": "service page",
    "faqpage": "service page",
}
PERSON_TYPES = frozenset(("person",))

# --- meta tag names, in the order they are tried (lower case) -----------------------------
META_TITLE = ("og:title", "twitter:title", "dc.title", "dcterms.title", "headline", "title", "sailthru.title", "parsely-title")
META_PUBLISHED = (
    "article:published_time", "og:article:published_time", "article.published", "datepublished",
    "published_time", "article:published", "publishdate", "publish-date", "publish_date", "pubdate",
    "parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date",
    "dcterms.created", "dc.date.created", "citation_publication_date", "citation_date", "date",
    "created", "displaydate", "original-publish-date", "cxenseparse:recs:publishtime", "bt:pubdate",
)
META_MODIFIED = (
    "article:modified_time", "og:article:modified_time", "datemodified", "og:updated_time",
    "article:modified", "modified_time", "last-modified", "lastmod", "dcterms.modified",
    "dc.date.modified", "revised", "updated",
)
META_AUTHOR = (
    "author", "article:author", "og:article:author", "parsely-author", "sailthru.author", "dc.creator",
    "dcterms.creator", "byl", "twitter:creator:name", "citation_author", "cxenseparse:author",
)
META_DESCRIPTION = ("og:description", "description", "twitter:description", "dc.description", "dcterms.description")
META_SITE_NAME = ("og:site_name", "application-name", "apple-mobile-web-app-title", "twitter:site", "publisher")
META_LANGUAGE = ("og:locale", "content-language", "language", "dc.language", "dcterms.language", "inlanguage")

# --- document areas ---------------------------------------------------------------------------
# Containers whose links, dates and names belong to other pages or to nobody.
FOREIGN_CONTAINER_WORDS = (
    "related", "recommend", "more-stories", "more-from", "most-read", "mostread", "most-popular",
    "popular", "trending", "also-read", "read-more", "readmore", "read-next", "you-may", "youmay",
    "teaser", "sidebar", "widget", "footer", "comment", "respond", "disqus", "newsletter", "promo",
    "advert", "sponsor", "outbrain", "taboola", "carousel", "slider", "gallery", "slideshow",
    "breadcrumb", "share", "social", "cookie", "consent", "subscribe", "signup", "tags", "menu",
)
# Class/id words that mark a heading or date as the article's own.
ARTICLE_CONTAINER_XPATH = (
    '//article | //*[@itemprop="articleBody"] | //main | //*[@role="main"]'
)

TITLE_H1_XPATH = "//h1"
TITLE_CLASS_XPATH = (
    '//*[self::h1 or self::h2 or self::div or self::span or self::p]'
    '[contains(concat(" ", normalize-space(@class), " "), " entry-title ")'
    ' or contains(concat(" ", normalize-space(@class), " "), " post-title ")'
    ' or contains(concat(" ", normalize-space(@class), " "), " article-title ")'
    ' or contains(concat(" ", normalize-space(@class), " "), " headline ")'
    ' or @itemprop="headline"]'
)

TIME_XPATH = "//time[@datetime]"
ITEMPROP_PUBLISHED_XPATH = '//*[@itemprop="datePublished" or @itemprop="dateCreated"]'
ITEMPROP_MODIFIED_XPATH = '//*[@itemprop="dateModified"]'
# Elements whose class or id says they hold the page's date.
DATE_CLASS_XPATH = (
    '//*[not(self::script or self::style or self::html or self::body)]'
    '[contains(translate(@class, "DATEPUBLISHOTM", "datepublishotm"), "date")'
    ' or contains(translate(@class, "DATEPUBLISHOTM", "datepublishotm"), "publish")'
    ' or contains(translate(@class, "DATEPUBLISHOTM", "datepublishotm"), "posted")'
    ' or contains(translate(@class, "DATEPUBLISHOTM", "datepublishotm"), "time")'
    ' or contains(translate(@class, "BYLINE", "byline"), "byline")'
    ' or contains(translate(@class, "META", "meta"), "meta")'
    ' or contains(translate(@id, "DATEPUBLISH", "datepublish"), "date")'
    ' or contains(translate(@id, "DATEPUBLISH", "datepublish"), "publish")]'
)

AUTHOR_ITEMPROP_XPATH = '//*[@itemprop="author" or @itemprop="creator"]'
AUTHOR_REL_XPATH = '//a[contains(concat(" ", normalize-space(@rel), " "), " author ")]'
AUTHOR_CLASS_XPATH = (
    '//*[not(self::script or self::style or self::html or self::body or self::meta or self::link)]'
    '[contains(translate(@class, "AUTHOR", "author"), "author")'
    ' or contains(translate(@class, "BYLINE", "byline"), "byline")'
    ' or contains(translate(@class, "BYLINE", "byline"), "by-line")'
    ' or contains(translate(@class, "WRITE", "write"), "writer")'
    ' or contains(translate(@id, "AUTHOR", "author"), "author")'
    ' or contains(translate(@id, "BYLINE", "byline"), "byline")]'
)

# --- navigation ---------------------------------------------------------------------------------
LINK_REL_XPATH = "//link[@href][@rel]"
A_REL_XPATH = "//a[@href][@rel]"
# WordPress and common theme classes for a single post's previous/next links.
POST_NAV_PREV_XPATH = (
    '//*[contains(concat(" ", normalize-space(@class), " "), " nav-previous ")'
    ' or contains(concat(" ", normalize-space(@class), " "), " previous-post ")'
    ' or contains(concat(" ", normalize-space(@class), " "), " prev-post ")'
    ' or contains(concat(" ", normalize-space(@class), " "), " post-prev ")'
    ' or contains(concat(" ", normalize-space(@class), " "), " post-previous ")'
    ' or contains(concat(" ", normalize-space(@class), " "), " previous-article ")'
    ' or contains(concat(" ", normalize-space(@class), " "), " prev-article ")'
    ' or contains(concat(" ", normalize-space(@class), " "), " post-nav-prev ")'
    ' or contains(concat(" ", normalize-space(@class), " "), " previous_post_link ")]'
)
POST_NAV_NEXT_XPATH = (
    '//*[contains(concat(" ", normalize-space(@class), " "), " nav-next ")'
    ' or contains(concat(" ", normalize-space(@class), " "), " next-post ")'
    ' or contains(concat(" ", normalize-space(@class), " "), " post-next ")'
    ' or contains(concat(" ", normalize-space(@class), " "), " next-article ")'
    ' or contains(concat(" ", normalize-space(@class), " "), " post-nav-next ")'
    ' or contains(concat(" ", normalize-space(@class), " "), " next_post_link ")]'
)
# Elements that might carry a visible "Previous article" / "Next article" label.
NAV_LABEL_CANDIDATES_XPATH = (
    "//a[@href] | //*[self::span or self::div or self::p or self::strong or self::em or self::small"
    " or self::b or self::i or self::h2 or self::h3 or self::h4 or self::h5 or self::h6 or self::button"
    " or self::label or self::header or self::li][string-length(normalize-space()) < 40]"
)

# Visible labels for the previous / next article, lower case, in many languages.
PREV_LABELS = (
    "previous article", "previous post", "previous story", "prev article", "prev post", "previous",
    "prev", "older post", "older article", "older", "previous entry", "previous news",
    "article précédent", "article precedent", "billet précédent", "précédent", "precedent",
    "vorheriger artikel", "vorheriger beitrag", "voriger artikel", "voriger beitrag", "vorheriger",
    "zurück", "предыдущая статья", "предыдущая новость", "предыдущий пост", "предыдущая",
    "предыдущий", "noticia anterior", "artículo anterior", "articulo anterior", "entrada anterior",
    "anterior", "articolo precedente", "post precedente", "notizia precedente", "precedente",
    "artigo anterior", "notícia anterior", "post anterior", "vorig artikel", "vorige artikel",
    "vorig bericht", "vorige", "vorig", "poprzedni artykuł", "poprzedni wpis", "poprzedni",
    "poprzedni post", "попередня стаття", "попередня", "önceki haber", "önceki yazı", "önceki",
    "föregående artikel", "föregående", "forrige artikel", "forrige", "edellinen", "předchozí článek",
    "predchádzajúci článok", "előző cikk", "articolul anterior", "προηγούμενο άρθρο", "前の記事",
    "上一篇", "이전 기사", "previous reading", "« previous", "← previous",
)
NEXT_LABELS = (
    "next article", "next post", "next story", "next", "newer post", "newer article", "newer",
    "next entry", "next news", "up next", "article suivant", "billet suivant", "suivant",
    "nächster artikel", "naechster artikel", "nächster beitrag", "nächster", "weiter",
    "следующая статья", "следующая новость", "следующий пост", "следующая", "следующий",
    "noticia siguiente", "siguiente noticia", "artículo siguiente", "articulo siguiente",
    "siguiente artículo", "entrada siguiente", "siguiente", "articolo successivo", "post successivo",
    "notizia successiva", "successivo", "prossimo articolo", "próximo artigo", "proximo artigo",
    "artigo seguinte", "próxima notícia", "próximo post", "próximo", "seguinte", "volgend artikel",
    "volgende artikel", "volgend bericht", "volgende", "następny artykuł", "następny wpis", "następny",
    "kolejny artykuł", "наступна стаття", "наступна", "sonraki haber", "sonraki yazı", "sonraki",
    "nästa artikel", "nästa", "næste artikel", "næste", "neste artikkel", "seuraava", "další článek",
    "nasledujúci článok", "következő cikk", "articolul următor", "επόμενο άρθρο", "次の記事", "下一篇",
    "다음 기사", "next »", "next →",
)
# Ancestors whose "next" links are not the article chain.
NAV_EXCLUDED_WORDS = (
    "comment", "respond", "reply", "gallery", "slideshow", "slider", "carousel", "swiper", "lightbox",
    "photo", "related", "recommend", "most-read", "mostread", "popular", "trending", "pagination",
    "pager", "page-numbers", "paging", "posts-navigation", "tabs", "calendar", "video", "playlist",
    "wp-block-query", "load-more",
)
