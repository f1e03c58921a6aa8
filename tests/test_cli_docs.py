"""Every command and option of the command line is documented in the README (as sqlite-utils does)."""

from __future__ import annotations

import click
from conftest import ROOT

from publisher.cli import main


def commands(group: click.Group = main, prefix: str = "publisher"):
    """Every command as (its full name, the command), subcommands of groups included."""
    for name, command in group.commands.items():
        yield f"{prefix} {name}", command
        if isinstance(command, click.Group):
            yield from commands(command, f"{prefix} {name}")


def test_every_command_and_option_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in commands():
        assert name in readme, name
        for parameter in command.params:
            if isinstance(parameter, click.Option) and parameter.name != "config_file":
                assert any(option in readme for option in parameter.opts), (name, parameter.opts)


def test_every_command_has_japanese_help():
    for name, command in commands():
        assert command.help and any("\u3040" <= ch <= "\u30ff" for ch in command.help), name
