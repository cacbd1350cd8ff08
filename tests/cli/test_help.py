"""Every command has --help, and its help ends with an example."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from crawler.cli import COMMANDS, cli


def test_the_group_has_help_with_an_example() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
    for name in COMMANDS:
        assert name in result.output


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help_with_an_example(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output
    example = result.output.split("Example:", 1)[1]
    assert f"newscrawl {name}" in example


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_examples_are_whole_commands_one_per_line(name: str) -> None:
    """Click rewraps a paragraph unless it follows a \\b line: an example cut mid-command cannot be pasted."""
    result = CliRunner().invoke(cli, [name, "--help"], terminal_width=80)
    example = result.output.split("Example:", 1)[1].split("Options:", 1)[0]
    lines = [line.strip() for line in example.splitlines() if line.strip()]
    assert lines, result.output
    for line in lines:
        assert line.startswith("newscrawl "), f"{name} --help: {line!r} is not a whole command"


def test_the_demo_modules_take_dash_h_as_newscrawl_does() -> None:
    from click.testing import CliRunner

    from crawler.demo.__main__ import main as demo
    from crawler.demo.scheduled import main as scheduled

    for command in (demo, scheduled):
        result = CliRunner().invoke(command, ["-h"])
        assert result.exit_code == 0 and "Example:" in result.output, result.output
