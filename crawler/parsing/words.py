"""Counting words in any script, so a length rule measures every language alike.

``str.split()`` counts the words of spaced scripts (Latin, Cyrillic, Greek, Arabic, Hangul, ...)
but sees a whole paragraph of Chinese, Japanese or Thai, written without spaces, as one word.
Runs of those scripts are counted by their letters instead, at the average word length of the
script: about two characters for Chinese and Japanese (kanji, kana), about four for Thai, Lao,
Khmer and Myanmar (letters plus combining vowel marks). Their punctuation (``。``, ``、``,
full-width forms) separates words and is not counted. A segmenter would be exact; this is a
measure for thresholds, a few microseconds per kilobyte, and needs no dictionary.
"""

from __future__ import annotations

import re

CJK_CHARS_PER_WORD = 2
SOUTHEAST_ASIAN_CHARS_PER_WORD = 4
LATIN_CHARS_PER_WORD = 6  # an English word and its space, for rules written in characters

_CJK = (
    "\u3040-\u30ff"  # hiragana, katakana
    "\u31f0-\u31ff"  # katakana phonetic extensions
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\uff66-\uff9f"  # half-width katakana
    "\U00020000-\U0003134f"  # CJK extensions B to G
)
_SOUTHEAST_ASIAN = (
    "\u0e00-\u0e7f"  # Thai
    "\u0e80-\u0eff"  # Lao
    "\u1000-\u109f"  # Myanmar
    "\u1780-\u17ff"  # Khmer
)
_CJK_PUNCTUATION = "\u3000-\u303f\uff00-\uff65"  # ideographic space, 。、「」, full-width forms
_CJK_LETTER = re.compile(f"[{_CJK}]")
_SOUTHEAST_ASIAN_LETTER = re.compile(f"[{_SOUTHEAST_ASIAN}]")
_UNSPACED = re.compile(f"[{_CJK}{_SOUTHEAST_ASIAN}{_CJK_PUNCTUATION}]+")


def count_words(text: str) -> int:
    """Words in ``text``: whitespace-separated tokens, plus the letters of unspaced scripts
    divided by their average word length (rounded up, so any such text counts at least one)."""
    if not _may_hold_unspaced(text):  # no unspaced script: one scan, not three
        return len(text.split())
    cjk = len(_CJK_LETTER.findall(text))
    southeast_asian = len(_SOUTHEAST_ASIAN_LETTER.findall(text))
    spaced = len(_UNSPACED.sub(" ", text).split())
    return spaced + -(-cjk // CJK_CHARS_PER_WORD) + -(-southeast_asian // SOUTHEAST_ASIAN_CHARS_PER_WORD)


def _may_hold_unspaced(text: str) -> bool:
    """Whether ``text`` holds a letter or punctuation mark of an unspaced script. Text of Latin-1
    letters alone (ASCII, "é", "ü": most of the West's pages) is told apart without a regular
    expression: every unspaced range lies above U+0E00."""
    return not is_latin1(text) and _UNSPACED.search(text) is not None


def is_latin1(text: str) -> bool:
    """Whether every character of ``text`` is among the first 256 code points (ASCII, "é", "ü": most
    of the West's pages). CPython stores such a string one byte a character, which encodes to
    Latin-1 as a copy: cheaper than any regular expression over it."""
    if text.isascii():
        return True
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def latin_length(text: str) -> int:
    """The length ``text`` would have in a spaced script: its characters, with each word of an
    unspaced script counted as ``LATIN_CHARS_PER_WORD`` characters. A length rule in characters
    then asks a Japanese page for as much content as an English one, not three times as much."""
    if text.isascii():
        return len(text)
    cjk = len(_CJK_LETTER.findall(text))
    southeast_asian = len(_SOUTHEAST_ASIAN_LETTER.findall(text))
    if not cjk and not southeast_asian:
        return len(text)
    other = len(text) - cjk - southeast_asian
    words = cjk / CJK_CHARS_PER_WORD + southeast_asian / SOUTHEAST_ASIAN_CHARS_PER_WORD
    return other + round(words * LATIN_CHARS_PER_WORD)
