"""bench.quality.ablation: each body rule switched off in turn, scored per set."""

from __future__ import annotations

import hashlib
import importlib

import pytest

from bench.quality import ablation
from bench.quality.ablation import BY_NAME, RULES, Item, Moved, read, render, render_pages, switched_off, tabulate, wcxb_half

SENTENCE = "The council met on Tuesday evening to discuss the harbour budget and the new ferry timetable. "
PARAGRAPH = f"<p>{SENTENCE * 2}</p>"
URL = "https://news.example/2025/harbour-budget"


def _page(inside: str) -> str:
    return (
        "<html><head><title>Harbour budget</title></head><body><article><h1>Harbour budget</h1>"
        f"{PARAGRAPH}{inside}{PARAGRAPH}{PARAGRAPH}</article></body></html>"
    )


def _body(html: str, rule: str | None) -> str:
    base, changed = read(html, URL, [None, BY_NAME[rule] if rule else None])
    assert base is not None and changed is not None
    return changed


def test_every_rule_patches_attributes_that_exist_and_puts_them_back() -> None:
    for rule in RULES:
        modules = [importlib.import_module(module) for module, _, _ in rule.patches]
        before = [getattr(module, attribute) for module, (_, attribute, _) in zip(modules, rule.patches)]
        with switched_off(rule):
            for module, (_, attribute, value) in zip(modules, rule.patches):
                assert getattr(module, attribute) is value, rule.name
        after = [getattr(module, attribute) for module, (_, attribute, _) in zip(modules, rule.patches)]
        assert after == before, rule.name


def test_rule_names_are_unique() -> None:
    assert len(BY_NAME) == len(RULES)


@pytest.mark.parametrize(
    ("rule", "inside", "kept_when_off"),
    [
        # an image's caption box outside any <figure>
        ("image-boxes", '<div class="pic"><img src="a.jpg"><span>Boats at dawn</span><span>Jane Roe/Agency</span></div>', "Boats at dawn"),
        # a furniture phrase standing alone
        ("furniture-phrases", "<p>Advertisement</p>", "Advertisement"),
        # a caption ending in a credit
        ("caption-credits", "<p>Boats in the harbour at dawn (Image: Jane Roe)</p>", "Boats in the harbour"),
    ],
)
def test_switching_a_rule_off_keeps_what_it_drops(rule: str, inside: str, kept_when_off: str) -> None:
    html = _page(inside)
    assert kept_when_off not in _body(html, None)
    assert kept_when_off in _body(html, rule)


def test_switching_folded_panels_off_drops_the_hidden_panel() -> None:
    html = _page('<div hidden class="accordion-panel"><p>The panel explains the timetable in more detail for readers.</p></div>')
    assert "panel explains" in _body(html, None)
    assert "panel explains" not in _body(html, "folded-panels")


def test_switching_copies_off_reads_a_responsive_copy_twice() -> None:
    copy = f"{PARAGRAPH}<p>{SENTENCE * 3}</p><p>{SENTENCE * 2}</p>"
    html = _page(f'<div class="wide">{copy}</div><div class="narrow">{copy}</div>')
    once, twice = _body(html, None), _body(html, "copies")
    assert twice.count(SENTENCE.strip()) > once.count(SENTENCE.strip())


def test_the_marker_cache_is_emptied_around_a_class_word_rule() -> None:
    blocks = importlib.import_module(ablation.BLOCKS)
    html = _page('<div class="share-tools"><p>Share this on every network you know of today.</p></div>')
    assert "every network" not in _body(html, None)  # remembered as furniture in the cache
    assert "every network" in _body(html, "furniture-words")
    assert "every network" not in _body(html, None)
    assert blocks._MARKERS.get("share-tools") is not None


def test_wcxb_halves_split_by_the_parity_of_the_host_hash() -> None:
    for host in ("example.com", "news.example.org", "a.b.c"):
        expected = "wcxb-fit" if hashlib.sha1(host.encode()).digest()[0] % 2 == 0 else "wcxb-held"
        assert wcxb_half(f"https://{host}/x") == expected
        assert wcxb_half(f"https://WWW.{host.upper()}/y") == expected


def test_tabulate_gives_each_rule_its_change_and_changed_pages_per_column() -> None:
    truth = "one two three four five six"
    found = [
        Item("fundus", "f/1", "", "https://one.example/a", truth),
        Item("fundus", "f/2", "", "https://two.example/b", truth),
        Item("generated", "g/1", "", "https://three.example/c", truth),
    ]
    texts = [
        [truth, truth, "one two three"],  # base, rule a off (same), rule b off (half the words)
        [truth, "", truth],
        [truth, truth, truth],
    ]
    table = tabulate(found, ["a", "b"], texts)
    assert table.base == {"fundus": 1.0, "generated": 1.0}
    assert table.pages == {"fundus": 2, "generated": 1}
    assert table.deltas["a"]["fundus"] == pytest.approx(-0.5)
    assert table.changed["a"] == {"fundus": 1, "generated": 0}
    assert table.deltas["b"]["fundus"] == pytest.approx((2 / 3 - 1) / 2)
    lines = render(table, ["fundus", "generated"]).splitlines()
    assert lines[2].startswith("| (base: F1, pages) | 1.0000 (2) | 1.0000 (1)")
    assert lines[3] == "| a | -5000.0 (1) | +0.0 (0) | -5000.0 |"
    assert table.moved["a"] == [Moved("f/2", "fundus", "two.example", 1.0, 0.0)]
    assert [m.key for m in table.moved["b"]] == ["f/1"]
    assert table.moved["b"][0].off == pytest.approx(2 / 3)
    listing = render_pages(table).splitlines()
    assert listing[0] == "a: 1 pages"
    assert listing[1].split() == ["fundus", "f/2", "two.example", "1.000", "->", "0.000"]


def test_list_and_unknown_names() -> None:
    printed: list[str] = []
    assert ablation.main(["--list"], out=printed.append) == 0
    assert [line.split()[0] for line in printed] == [rule.name for rule in RULES]
    with pytest.raises(SystemExit, match="unknown rule"):
        ablation.main(["--rules", "no-such-rule"])
    with pytest.raises(SystemExit, match="unknown set"):
        ablation.main(["--only", "nowhere"])
