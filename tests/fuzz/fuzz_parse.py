#!/usr/bin/env python3
"""Coverage-guided fuzzing of ``crawler.parsing.parse_page`` with atheris (libFuzzer).

    make fuzz                                            # FUZZ_SECONDS=300 by default
    python tests/fuzz/fuzz_parse.py tests/fuzz/corpus -max_total_time=60

Each input is split by atheris' FuzzedDataProvider into a Content-Type and a URL (each
picked from a list), a choice of str or bytes, and the page itself. An exception that
escapes ``parse_page`` is a crash: libFuzzer stops and writes the input to
``crash-<sha1>``; once fixed, add a test for it (tests/fuzz/test_parse_properties.py)
and keep the input in the corpus. Inputs that reach new code are added to the first
corpus directory (tests/fuzz/corpus/, kept in the repository; ``seed-*`` are pages of the
tests, ``regression-*`` inputs that once crashed). Re-minimise it when it grows (merge
mode runs this file as a program, hence the venv on PATH):
``PATH=.venv/bin:$PATH tests/fuzz/fuzz_parse.py -merge=1 NEW_DIR tests/fuzz/corpus``.
A slow input is reported by
``-timeout``; libFuzzer's last line says how many inputs ran ("Done N runs").
Only the project's own code is instrumented: lxml is C, trafilatura and dateparser
would slow every run for coverage we do not own.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["crawler"]):
    from crawler.parsing import parse_page

CONTENT_TYPES = (
    None, "text/html", "text/html; charset=utf-8", "text/html; charset=windows-1251", "text/html; charset=shift_jis",
    "text/html; charset=utf-16", "text/html; charset=x-nonsense", "application/xhtml+xml", "text/plain",
)  # fmt: skip
URLS = (
    "https://news.example/2025/09/11/story.html", "https://news.example/", "http://127.0.0.1:8000/a?page=2#x",
    "https://xn--80ak6aa92e.example/статья", "not a url",
)  # fmt: skip


def test_one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    content_type = CONTENT_TYPES[provider.ConsumeIntInRange(0, len(CONTENT_TYPES) - 1)]
    url = URLS[provider.ConsumeIntInRange(0, len(URLS) - 1)]
    as_text = provider.ConsumeBool()
    page = provider.ConsumeBytes(provider.remaining_bytes())
    parse_page(page.decode("utf-8", "replace") if as_text else page, url, content_type=content_type)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
