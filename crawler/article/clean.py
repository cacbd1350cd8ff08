"""The clean step: text fields repaired and normalised, boilerplate lines out, dates in ISO 8601.

The parser already chose the article's text; this is the safety net every stored
text goes through, whatever parser produced it:

1. mojibake repaired and Unicode normalised to NFC (ftfy; curly quotes, full-width
   characters and literal ``&amp;`` are kept as the page wrote them);
2. whitespace: runs of spaces (no-break and thin spaces too) become one space, lines are
   stripped, paragraphs are separated by exactly one blank line, zero-width characters go;
   authors and keywords are each kept once (case ignored);
3. body lines that are page furniture everywhere (advertisement labels, share and follow
   prompts, newsletter and cookie notices, article-navigation labels) are dropped, as is
   a first paragraph repeating the title;
4. dates: ``published_at`` / ``modified_at`` rewritten as ISO 8601 (offset kept, a day
   alone stays a day); a value that is not a date is dropped and noted; each date the parser
   refused (``ParseResult.date_warnings``: after the fetch time, before 1990) is noted and
   counted as ``newscrawl/clean/date_refused/<code>``.

No settings.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import replace
from datetime import date, datetime
from email.utils import parsedate_to_datetime
import ftfy
from ftfy import fixes
from ftfy.badness import BADNESS_RE
from ftfy.chardata import C1_CONTROL_RE, CONTROL_CHARS, LIGATURES, UTF8_DETECTOR_RE

from crawler.article.step import ArticleStep, Tally
from crawler.items import PageItem
from crawler.parsing.result import ParseResult

logger = logging.getLogger(__name__)

CHEAP_FIXES = (  # ftfy's per-character fixes, in its own order (line breaks are fixed before)
    fixes.fix_latin_ligatures,
    fixes.fix_surrogates,
    fixes.remove_terminal_escapes,
    fixes.remove_control_chars,
)
# A character one of CHEAP_FIXES changes: a ligature, a control character (ESC, which starts a
# terminal escape, among them) or a lone surrogate. Text without one is left as it is by all four,
# and one search for them costs a small share of the two table translations they make.
_CHEAP_FIX_CLUE = re.compile(
    "[" + "".join(re.escape(chr(code)) for code in sorted({*LIGATURES, *CONTROL_CHARS})) + "\ud800-\udfff]"
)
FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,  # the text is already unescaped; "&amp;" in it is what the page says
    fix_character_width=False,  # full-width characters are legitimate in CJK text
    uncurl_quotes=False,  # typographic quotes are content
    explain=False,
)
# A run of whitespace except newlines (U+00A0 and U+2009 included) that is not one plain space:
# tidy makes each run one space, and a lone space is one already (substituting it cost a call
# each). The pattern opens with one character set, so the regex engine skips ahead to it.
_INLINE_SPACE = re.compile(r"[^\S\n](?:[^\S\n]+|(?<! ))")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")  # zero-width, BOM, soft hyphen
_BLANK_LINES = re.compile(r"\n\s*\n")

# Whole body lines that are furniture on any news site, in several languages. A line is
# dropped only when the pattern matches it entirely (case-insensitive), so a sentence
# that merely mentions "advertisement" stays.
BOILERPLATE_LINES: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"(advertisement|advertising|sponsored( content)?|anzeige|werbung|publicité|publicidad|pubblicità|реклама)",
        r"(share|share this( article| story)?|teilen|partager|compartir|condividi|поделиться)"
        r"( (on|via) [\w ,.+]+)?:?",
        r"(follow us|folgen sie uns|suivez-nous|síguenos|подписывайтесь)( on [\w ,.+]+)?:?",
        r"(sign up|subscribe)( now)?( to| for)?( our)? newsletters?[.!]?",
        r"(newsletter abonnieren|abonnez-vous à (notre|la) newsletter|suscríbete a (nuestro|la) newsletter)[.!]?",
        r"(we|this (web)?site) uses? cookies\b.{0,160}",
        r"(previous|next) (article|story|post)|(article|post) (précédent|suivant)|"
        r"(vorheriger|nächster) artikel|(noticia|artículo) (anterior|siguiente)|"
        r"(предыдущая|следующая) статья",
        r"(read more|lesen sie (auch|mehr)|(à )?lire aussi|leer más|читайте также)[:.…]?",
        r"(all rights reserved|alle rechte vorbehalten|tous droits réservés|todos los derechos reservados)\.?",
        r"(©|\(c\)|copyright) .{0,120}",
    )
)
# The same patterns as one alternation: a line is matched once instead of once per pattern.
_ANY_BOILERPLATE_LINE = re.compile("|".join(f"(?:{pattern.pattern})" for pattern in BOILERPLATE_LINES), re.IGNORECASE)


def _clue_starts() -> re.Pattern[str]:
    """The characters a match of ftfy's UTF-8 detector can start with: the non-ASCII characters
    written in its pattern that match when spaces follow (every alternative's next characters
    may be spaces; tests/pipelines/test_clean.py checks the set against the parsed pattern).
    Any non-ASCII character if none is found."""
    pattern = UTF8_DETECTOR_RE.pattern
    starts = sorted(ch for ch in set(pattern) if not ch.isascii() and UTF8_DETECTOR_RE.match(ch + "   "))
    return re.compile("[" + "".join(map(re.escape, starts)) + "]" if starts else r"[^\x00-\x7f]")


_CLUE_START = _clue_starts()


def _utf8_clue(text: str) -> bool:
    """``UTF8_DETECTOR_RE.search(text)``, tried only where a match can start (``_CLUE_START``).
    The pattern opens with a look-behind, which keeps Python's regex engine from skipping ahead
    to a possible first character, so the full search tests the look-behind at every position;
    ``match`` at a position still sees the characters before it."""
    match = UTF8_DETECTOR_RE.match
    return any(match(text, found.start()) for found in _CLUE_START.finditer(text))


def _may_hold_mojibake(line: str) -> bool:
    """A clue of mojibake: ftfy's UTF-8 detector or a C1 control character, neither of which
    matches ASCII text."""
    return not line.isascii() and bool(_utf8_clue(line) or C1_CONTROL_RE.search(line))


# ftfy's badness pattern (``ftfy.badness.is_bad``) matches at most this many characters, one of
# them outside ASCII, in every alternative (tests/pipelines/test_clean.py reads both from the pattern).
BADNESS_SPAN = 7
# Runs of non-ASCII characters at most 2 * (BADNESS_SPAN - 1) ASCII characters apart: the
# windows a badness match can lie in around each of them overlap along such a run.
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f](?:[\x00-\x7f]{0,%d}[^\x00-\x7f])*" % (2 * (BADNESS_SPAN - 1)))


def _is_bad(line: str) -> bool:
    """ftfy's ``is_bad(line)``, searched only within reach of the line's non-ASCII characters.

    A match lies within ``BADNESS_SPAN - 1`` characters of one of them, so the same answer comes
    from the windows around their runs. A German line holds a non-ASCII character every few
    dozen; the full search tries every alternative at every position. The windows are
    searched as slices of the line (``pos`` / ``endpos``), so ``^`` still means its start.
    """
    reach = BADNESS_SPAN - 1
    return any(BADNESS_RE.search(line, max(0, run.start() - reach), run.end() + reach)
               for run in _NON_ASCII_RUN.finditer(line))


def _cheap_fixes(text: str) -> str:
    if _CHEAP_FIX_CLUE.search(text):
        for fix in CHEAP_FIXES:
            text = fix(text)
    return unicodedata.normalize("NFC", text)


def repair(text: str) -> tuple[str, bool]:
    """Mojibake repaired and NFC, line by line as ftfy works; True when a repair changed the text.

    ftfy's full pass costs about 1 us per character, mostly its badness test, so it runs
    only on lines where ftfy's own UTF-8 mojibake detector (four times cheaper) or a C1
    control character finds a clue; the other lines get ftfy's per-character fixes and
    NFC, which is what the full pass does to text without mojibake. Those fixes and NFC never
    reach across a line break, so a text with no clue on any line gets them in one pass.
    A line with a clue that ftfy would leave as it is (its badness test finds nothing, and
    its per-character fixes and NFC change nothing, so its loop stops after one round) is
    kept without the full pass: "groß " is such a clue on most German lines.
    """
    text = fixes.fix_line_breaks(text)  # "\r\n", "\r", U+2028 ... become "\n" first
    if not _may_hold_mojibake(text):
        return _cheap_fixes(text), False
    changed = False
    lines = []
    for line in text.split("\n"):
        if not _may_hold_mojibake(line):
            fixed = _cheap_fixes(line)
        elif not _is_bad(line) and _cheap_fixes(line) == line:
            fixed = line  # ftfy's answer: nothing it would repair, nothing its other fixes change
        else:
            fixed = ftfy.fix_text(line, FTFY_CONFIG)
            changed = changed or fixed != unicodedata.normalize("NFC", line)
        lines.append(fixed)
    return "\n".join(lines), changed


def tidy(text: str | None) -> str | None:
    """Invisible characters out, inline whitespace collapsed, lines stripped (no repair)."""
    if text is None:
        return None
    text = _INLINE_SPACE.sub(" ", _INVISIBLE.sub("", text))  # never across a line: newlines are not matched
    return "\n".join(line.strip() for line in text.split("\n")).strip() or None


def tidy_line(text: str | None) -> str | None:
    """``text`` tidied into one line: invisible characters out, every whitespace run (line breaks
    too) one space, ends stripped (no repair). What joining ``tidy``'s lines with spaces gives, in
    one pass: splitting on whitespace collapses and strips what tidy would (``str.split`` and the
    regex engine's ``\\s`` agree on what whitespace is)."""
    return (" ".join(_INVISIBLE.sub("", text).split()) or None) if text else None


def fix_line(text: str | None) -> str | None:
    """A one-line field (title, author, description): repaired, every whitespace run one space."""
    return tidy_line(repair(text)[0]) if text is not None else None


def is_boilerplate(line: str) -> bool:
    return _ANY_BOILERPLATE_LINE.fullmatch(line.strip()) is not None


def clean_body(body: str | None, *, title: str | None = None) -> tuple[str | None, int]:
    """The (repaired) body tidied, paragraphs split by one blank line, boilerplate lines out.

    Returns (body or None, number of lines dropped).
    """
    body = tidy(body)
    if not body:
        return None, 0
    dropped = 0
    paragraphs: list[str] = []
    for paragraph in _BLANK_LINES.split(body):
        kept = []
        for line in paragraph.split("\n"):
            if not line:
                continue
            if is_boilerplate(line):
                dropped += 1
            else:
                kept.append(line)
        if kept:
            paragraphs.append("\n".join(kept))
    if title and paragraphs and paragraphs[0].casefold() == title.casefold():
        paragraphs.pop(0)
        dropped += 1
    return "\n\n".join(paragraphs) or None, dropped


def normalize_date(value: str | None) -> str | None:
    """ISO 8601 from an ISO or RFC 2822 date: seconds precision, the offset when there is one,
    a day alone as ``YYYY-MM-DD``. None for anything else."""
    if not value or not value.strip():
        return None
    value = value.strip()
    try:
        return date.fromisoformat(value).isoformat()  # a day, not midnight
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    return moment.isoformat(timespec="seconds")


def unique_lines(names: list[str]) -> list[str]:
    """Each one-line value (an author's name, a keyword) repaired and kept once, case ignored."""
    seen: set[str] = set()
    result = []
    for name in names:
        cleaned = fix_line(name)
        if cleaned and cleaned.casefold() not in seen:
            seen.add(cleaned.casefold())
            result.append(cleaned)
    return result


def _kept(cleaned: str | None, parsed: str | None) -> str | None:
    """The parser's own string when cleaning left it equal: a page parsed in a pool process then
    carries its text back once, though the item holds both the parse and the cleaned copy
    (pickle shares one object, it copies two equal strings)."""
    return parsed if cleaned == parsed else cleaned


def clean_result(parsed: ParseResult) -> tuple[ParseResult, list[tuple[str, str]]]:
    """A cleaned copy of a parse result, and what changed as (stats code, message) notes."""
    notes: list[tuple[str, str]] = []
    repaired: dict[str, str | None] = {}
    for name in ("title", "body", "description"):
        value = getattr(parsed, name)
        repaired[name], changed = repair(value) if value else (value, False)
        if changed:
            notes.append(("mojibake_repaired", f"mojibake repaired in {name}"))
    title = tidy_line(repaired["title"])
    body, dropped = clean_body(repaired["body"], title=title)
    if dropped:
        notes.append(("boilerplate_dropped", f"{dropped} boilerplate lines dropped"))
    dates: dict[str, str | None] = {}
    for name in ("published_at", "modified_at"):
        original = getattr(parsed, name)
        dates[name] = normalize_date(original)
        if original and dates[name] is None:
            notes.append(("date_dropped", f"{name} {original!r} is not a date: dropped"))
    notes.extend((f"date_refused/{warning.split(':')[0]}", warning) for warning in parsed.date_warnings)
    cleaned = replace(
        parsed,
        title=_kept(title, parsed.title),
        body=_kept(body, parsed.body),
        description=_kept(tidy_line(repaired["description"]), parsed.description),
        authors=unique_lines(parsed.authors),
        keywords=unique_lines(parsed.keywords),
        site_name=fix_line(parsed.site_name),
        prev_title=fix_line(parsed.prev_title),
        next_title=fix_line(parsed.next_title),
        language=(parsed.language or "").strip().lower() or None,
        **dates,
    )
    return cleaned, notes


def word_count(text: str | None) -> int:
    return len(text.split()) if text else 0


class CleanText(ArticleStep):
    """Text fields repaired and normalised, boilerplate lines out, dates in ISO 8601 (``clean_result``)."""

    name = "clean"
    in_pool = True

    def process(self, item: PageItem, tally: Tally) -> PageItem:
        cleaned, notes = clean_result(item.parsed)
        item.parsed = cleaned
        item.word_count = word_count(cleaned.body)
        for code, message in notes:
            item.notes.append(message)
            logger.debug("%s: %s", item.response_url, message)
            tally.inc_value(f"newscrawl/clean/{code}")
        return item
