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
    "searchresultspage": "listing page",
    "profilepage": "profile page",
    "qapage": "forum page",
    "discussionforumposting": "forum page",
    "softwareapplication": "product page",
    "contactpage": "service page",
}

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
META_IMAGE = ("og:image", "og:image:secure_url", "og:image:url", "twitter:image", "twitter:image:src")
META_KEYWORDS = ("news_keywords", "article:tag")  # tried before JSON-LD keywords
META_KEYWORDS_LAST = ("keywords",)  # often SEO lists: tried after JSON-LD keywords
META_FREE = ("isaccessibleforfree",)  # microdata <meta itemprop="isAccessibleForFree">
# article:content_tier (Open Graph): free, or behind a paywall ("locked") or a meter of free articles
META_CONTENT_TIER = "article:content_tier"
CONTENT_TIERS = {"free": True, "locked": False, "metered": False}

# --- document areas ---------------------------------------------------------------------------
# Containers whose links, dates and names belong to other pages or to nobody.
# A class/id token counts when it starts or ends with the word (text.inside).
FOREIGN_CONTAINER_WORDS = (
    "related", "recommend", "recommended", "more-stories", "more-from", "most-read", "mostread",
    "most-popular", "popular", "trending", "also-read", "read-more", "readmore", "read-next",
    "you-may", "youmay", "teaser", "teasers", "sidebar", "widget-area", "footer", "comment",
    "comments", "respond", "disqus", "newsletter", "promo", "advert", "ad", "ads", "sponsor",
    "sponsored", "outbrain", "taboola", "carousel", "slider", "gallery", "slideshow", "breadcrumb",
    "breadcrumbs", "share", "sharing", "social", "cookie", "consent", "subscribe", "signup", "tags",
    "menu", "nav", "navigation", "navbar", "upnext", "up-next",
)
# class tokens of a headline element (itemprop="headline" is matched as well)
TITLE_CLASSES = frozenset(("entry-title", "post-title", "article-title", "headline", "article-headline", "story-title", "page-title", "title-article", "post__title", "article__title", "article__headline"))

# Words in a class/id that say an element holds the page's date (visible text read with dateparser).
DATE_CLASS_WORDS = ("date", "publish", "posted", "time", "byline", "meta", "dateline")

# Words in a class/id that say an element holds the byline.
AUTHOR_CLASS_WORDS = ("author", "byline", "by-line", "writer", "contributor")

# --- navigation ---------------------------------------------------------------------------------
# WordPress and common theme class tokens for a single post's previous/next links.
POST_NAV_PREV_CLASSES = frozenset((
    "nav-previous", "previous-post", "prev-post", "post-prev", "post-previous", "previous-article",
    "prev-article", "post-nav-prev", "previous_post_link", "nav-prev", "post-navigation__prev",
    "post-navigation-prev", "single-prev", "prev-story", "previous-story", "wp-block-post-navigation-link--previous",
))
POST_NAV_NEXT_CLASSES = frozenset((
    "nav-next", "next-post", "post-next", "next-article", "post-nav-next", "next_post_link",
    "post-navigation__next", "post-navigation-next", "single-next", "next-story",
    "wp-block-post-navigation-link--next",
))
# Visible labels for the previous / next article, lower case, in many languages: a label
# phrase that opens a text ("Previous article: <headline>") is read off it.
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
# Direction words alone, for labels in either word order with any noun ("Vorheriger Artikel",
# "Artículo anterior", "Previous dispatch"): one signal among the structural ones, never needed.
PREV_WORDS = frozenset((
    "previous", "prev", "older", "précédent", "précédente", "precedent", "vorheriger", "vorherige",
    "voriger", "vorige", "vorig", "zurück", "предыдущая", "предыдущий", "предыдущее", "anterior",
    "precedente", "poprzedni", "poprzednia", "попередня", "попередній", "önceki", "föregående",
    "forrige", "edellinen", "předchozí", "predchádzajúci", "előző", "προηγούμενο", "上一篇", "前の記事",
    "이전",
))
NEXT_WORDS = frozenset((
    "next", "newer", "suivant", "suivante", "nächster", "nächste", "naechster", "weiter", "следующая",
    "следующий", "следующее", "siguiente", "successivo", "successiva", "prossimo", "próximo", "proximo",
    "próxima", "seguinte", "volgend", "volgende", "następny", "następna", "kolejny", "наступна",
    "наступний", "sonraki", "nästa", "næste", "neste", "seuraava", "další", "nasledujúci", "következő",
    "următor", "επόμενο", "下一篇", "次の記事", "다음",
))
# Parts of class/id tokens (split at - and _) that name a direction: "nav-previous", "next_post".
PREV_CLASS_PARTS = frozenset(("prev", "previous", "older", "prior", "back"))
NEXT_CLASS_PARTS = frozenset(("next", "newer", "forward"))
# Ancestors whose "next" links are not the article chain.
NAV_EXCLUDED_WORDS = (
    "comment", "comments", "respond", "reply", "gallery", "slideshow", "slider", "carousel", "swiper",
    "lightbox", "photo", "photos", "related", "recommend", "recommended", "most-read", "mostread",
    "popular", "trending", "pagination", "page-numbers", "posts-navigation",
    "tabs", "calendar", "video", "playlist", "wp-block-query", "load-more", "glide", "splide",
    "slick", "owl", "flickity",
)
