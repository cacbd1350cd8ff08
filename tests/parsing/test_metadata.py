import json

from crawler.parsing.jsonld import main_objects
from crawler.parsing.metadata import extract_canonical_url, extract_description, extract_language, extract_site_name

from .helpers import doc


def test_language_primary_tag_lower_case():
    assert extract_language(doc("", lang="pt-BR")) == "pt"
    assert extract_language(doc("", lang="", head='<meta property="og:locale" content="de_DE">')) == "de"
    assert extract_language(doc("", lang="")) is None


def test_description_order():
    head = '<meta name="description" content="plain"><meta property="og:description" content=" og  text ">'
    assert extract_description(doc("", head=head)) == "og text"


def test_canonical_url_is_absolute():
    assert extract_canonical_url(doc("", head='<link rel="canonical" href="/a/b.html">')) == "https://news.example/a/b.html"
    assert extract_canonical_url(doc("", head='<meta property="og:url" content="https://news.example/x">')) == "https://news.example/x"
    assert extract_canonical_url(doc("")) is None


def test_site_name_from_og_then_publisher():
    assert extract_site_name(doc("", head='<meta property="og:site_name" content="Daily">')) == "Daily"
    ld = {"@type": "NewsArticle", "publisher": {"@type": "Organization", "name": "Courier"}}
    assert extract_site_name(doc("", head=f'<script type="application/ld+json">{json.dumps(ld)}</script>')) == "Courier"


def test_a_page_s_derived_values_are_read_once_and_kept():
    ld = {"@type": "NewsArticle", "headline": "H", "url": "https://news.example/ld"}
    page = doc("", head=f'<script type="application/ld+json">{json.dumps(ld)}</script>')
    calls = []

    def counted(document):
        calls.append(document)
        return ("value",)

    assert page.derived("probe", counted) == page.derived("probe", counted) == ("value",)
    assert len(calls) == 1
    assert main_objects(page) is main_objects(page) and main_objects(page)[0]["headline"] == "H"
    assert extract_canonical_url(page) == "https://news.example/ld"
    page.json_ld.clear()  # what was derived stays: the readers of one page see one value
    assert extract_canonical_url(page) == "https://news.example/ld"
