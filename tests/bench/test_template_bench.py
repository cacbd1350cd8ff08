"""bench.template: its columns are rows stored by the product's article pipeline, by settings only."""

from __future__ import annotations

from bench.template.__main__ import FastPath, _settings, generated, main, stored_rows


def test_each_column_is_the_pipeline_with_its_settings_and_the_rows_are_scored(capsys) -> None:
    assert main(["--seeds", "5001:5003"]) == 0
    out = capsys.readouterr().out
    assert "not stored: alone 0, learning 0, re-check 0, fast path 0" in out
    assert "+ end re-check" in out and "+ fast path" in out


def test_a_stored_row_carries_the_re_check_s_correction() -> None:
    """Seed 209's two oldest pages show a caption's day under the headline; stored before the site's
    template exists, the end-of-run re-check corrects them only where the archive can be read."""
    cases = next(iter(generated(range(209, 210)).values()))
    settings = {name: _settings(name, min_pages=5, min_share=0.6, fast=FastPath()) for name in ("learning", "re-check")}
    later, _, _ = stored_rows(cases, settings["learning"])
    checked, template, _ = stored_rows(cases, settings["re-check"])
    days = [case.day[:10] for case in cases]
    assert [row.published_at[:10] for row in checked] == days
    assert [row.published_at[:10] for row in later] != days
    assert template.paths()
