"""A person's name in a byline string: cleaning, splitting, comparing.

``split_authors`` turns one byline ("By Jane Roe and John Doe | Sep 11, 2025") into clean
names; ``looks_like_name`` says whether a short line reads as a person's name; ``same_person``
compares two renderings of one name. The author sources in ``authors.py`` use them.
"""

from __future__ import annotations

import re

import regex

from crawler.parsing.datetext import find_date, is_calendar_word
from crawler.parsing.text import clean, remembered_for_short_texts

MAX_NAME_WORDS = 6

_PREFIX = re.compile(
    r"^\s*(?:(?:written|posted|published|reported|reporting|story|text|words|article|content|analysis|"
    r"opinion|commentary|column|essay|interview|review)\s+by|(?:text|texte|texto|testo|tekst|текст|words)(?=\s*:)|by|from|"
    r"author(?:s|ed by)?|autor(?:in|es|a)?|auteurs?|autore|von|par|por|di|door|av|af|przez|автор[ы]?|"
    r"de|written|posted)\b\s*[:\-–—]?\s*",
    re.I,
)
# A label of any language before a colon ("Автор:", "Yazar:", "作者：", "نویسنده:", "Tác giả:"): one
# word, or several of which only the first is capitalised; "Jane Doe:" is a name, not a label.
_LABEL = regex.compile(r"^\s*(?:[\p{L}\p{M}]+|\p{Lu}?[\p{Ll}\p{M}]*(?:\s+[\p{Ll}\p{M}]+)+)\s*[:：]\s*(?=\S)")
_SPLIT = re.compile(
    r"\s*(?:,|;|\||/|／|、|，|&|\+|\band\b|\bund\b|(?-i:\bet\b|\by\b|\be\b|\ben\b|\bi\b)(?!\.)|\bи\b|\boraz\b|\bog\b|\boch\b)\s*",
    re.I,
)
_AFTER_NAME = re.compile(
    r"\s+(?:on|am|le|el|il|em|op|updated|published|posted|\||•|·|—|–|-)\s+.*$|\s*\d.*$",
    re.I,
)
_CREDENTIAL = re.compile(
    r"^(?:[A-Z]{1,6}|Ph\.?\s?D\.?|M\.?D\.?|Dr\.?|Jr\.?|Sr\.?|[A-Z][a-z]?\.(?:[A-Z][a-z]?\.)+|"
    r"MBA|CFA|CFP|RDN|E-RYT \d+|RN|LD|CPT|MPH|MSc|BSc|MA|MS|BA|BS)$"
)
_NOT_A_NAME = re.compile(
    r"@|https?:|www\.|[a-z]\.[a-z]+\.[a-z]|^(?:admin|administrator|staff|editor|editors|editorial|"
    r"redaction|rédaction|redaktion|redacción|redazione|guest|unknown|author|authors|contributor|"
    r"share|follow|more|view|posts?|profile|bio|about|read more|see all|all posts|the|by|sign in|"
    r"log in|login|sign up|subscribe|menu|home|search|contact|view (?:all|more) posts|more posts|"
    r"learn more|podcast transcript|transcript|posted on|posted in|in this article|no comments|"
    r"comments?|leave a comment|leave a reply|reply)$",
    re.I,
)
NOT_THE_AUTHOR = re.compile(
    r"^\s*(?:(?:medically\s+|fact[- ]?)?(?:reviewed|checked|edited|verified)|photos?|photography|"
    r"illustrations?|images?|video|graphics?|translated)\s+(?:by|von|par|por)\b",
    re.I,
)
_ROLE_AFTER_NAME = re.compile(  # and a part that is only a role ("Senior Editor") becomes empty
    r"(?:^|\s+)(?:former|founder|co-founder|ceo|cto|head|senior|junior|lead|chief|contributing|"
    r"content|writer|reporter|journalist|correspondent|columnist|consultant|coordinator|"
    r"manager|director|specialist|analyst|strategist|expert|engineer|developer|designer|"
    r"certified|licensed|registered|is\s+a|is\s+an)\b.*$",
    re.I,
)
_URL = re.compile(r"^\s*(?:https?:)?//|^\s*www\.", re.I)
_SENTENCE_END = re.compile(r"(?<=[^\W\d_A-Z]{3})\.\s+")  # a full stop after a word, not after an initial
NAME_CHARS = re.compile(r"[^\W\d_]", re.UNICODE)
_NAME_WORD = re.compile(r"[^\W\d_]+")
_ACRONYM = re.compile(r"[A-Z]{2,6}")
_AFTER_PARENTHESIS = re.compile(r"(?<=\w)\s*\([^()]*\)$")
_NAME_PARTICLES = frozenset(("de", "da", "del", "della", "di", "van", "von", "der", "den", "la", "le", "du", "dos", "bin", "al"))



def _name_ok(name: str) -> bool:
    if not name or len(name) > 60 or len(name.split()) > MAX_NAME_WORDS:
        return False
    if _NOT_A_NAME.search(name) or _CREDENTIAL.match(name) or not NAME_CHARS.search(name):
        return False
    if not name[0].isalpha() or name[-1] in "?!:":
        return False  # "(s)", "But guess what?": a fragment or a sentence, not a name
    words = name.split()
    if (len(words) == 1 or len(words) >= 3) and is_calendar_word(words[-1]):
        return False  # "Sat", "Jun", "Personal finance January": a date's remains ("Alyssa Maio" stays)
    if len(words) > 2 and name == name.lower() and name != name.upper():
        return False  # "printing one of our examples": a phrase, not a name (handles stay)
    return not any(char.isdigit() for char in name)


def looks_like_name(text: str) -> bool:
    """A short line that reads as a person's name: 2-4 words, each capitalised, no digits."""
    words = text.split()
    if not 2 <= len(words) <= 4 or len(text) > 40 or "," in text or not _name_ok(text):
        return False
    return all(word[:1].isupper() or word.lower() in _NAME_PARTICLES for word in words)


SPLIT_CACHE_SIZE = 4096  # byline strings whose names are remembered (least recently used dropped)
MAX_CACHED_BYLINE = 300  # characters: a longer string (a hint path gone astray to a container) is split each time


def split_authors(raw: str) -> list[str]:
    """One byline string -> cleaned names: prefixes, dates and roles removed, lists split.

    A pure function of the string, remembered per process: a site prints the same bylines on
    page after page, and one page hands the same string to several readers (the declared
    sources, the layout's author element, the site template's author hint)."""
    return list(_split(raw)) if raw else []


@remembered_for_short_texts(SPLIT_CACHE_SIZE, MAX_CACHED_BYLINE)
def _split(raw: str) -> tuple[str, ...]:
    """``split_authors``' names, as a tuple (what the cache keeps must not be changed by a caller)."""
    text = clean(raw)
    if not text or _URL.match(text) or NOT_THE_AUTHOR.match(text):
        return ()
    text = _PREFIX.sub("", text)
    text = _LABEL.sub("", text, count=1)
    if (found := find_date(text)) is not None and found.start > 0:
        text = text[: found.start]  # "Luke Kim December 17, 2025"
    text = _AFTER_NAME.sub("", text)
    text = _SENTENCE_END.split(text, maxsplit=1)[0]  # "Finian Cunningham. Sputnik International"
    if text.count("(") > text.count(")"):
        text = text[: text.rindex("(")]  # "Lance Ryan (Content" cut short by a line break: the name is before it
    names = []
    parts = _SPLIT.split(text)
    for part in parts:
        part = _PREFIX.sub("", part.strip(" .:,-–—／")).strip(" .:,-–—／")
        part = _ROLE_AFTER_NAME.sub("", _without_parenthesis(part))
        if _name_ok(part) or (len(parts) == 1 and _agency(part)):
            names.append(part)
    return tuple(names)


def _without_parenthesis(part: str) -> str:
    """A name without the short form or role in brackets after it ("Elena Oberholzer (obe)");
    a handle keeps the name it gives in brackets ("hackermondev (Daniel)")."""
    name = _AFTER_PARENTHESIS.sub("", part)
    return name if name != part and looks_like_name(name) else part


def _agency(text: str) -> bool:
    """Capitals alone as the whole byline ("AFP", "dpa" is lower case anyway): an agency, where
    after a name ("Jane Roe, MD") they are a credential."""
    return bool(_ACRONYM.fullmatch(text)) and not _NOT_A_NAME.search(text)


def dedupe(names: list[str]) -> list[str]:
    """Each name once, case ignored, in order."""
    seen: set[str] = set()
    out = []
    for name in names:
        key = name.casefold()
        if key not in seen:
            seen.add(key)
            out.append(name)
    return out


def same_person(a: str, b: str) -> bool:
    """Two renderings of one name: the same words in any order ("Kaufman, Jeff" / "Jeff Kaufman"),
    or one holding the other's two or more words ("Jeff T. Kaufman" / "Jeff Kaufman")."""
    words_a, words_b = set(_NAME_WORD.findall(a.casefold())), set(_NAME_WORD.findall(b.casefold()))
    shorter = min(len(words_a), len(words_b))
    return bool(shorter) and (words_a == words_b or (shorter >= 2 and (words_a <= words_b or words_b <= words_a)))


def name_key(name: str | None) -> str:
    """A name's comparison key: case and whitespace ignored."""
    return " ".join((name or "").casefold().split())
