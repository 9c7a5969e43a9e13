"""The ``lessons`` command line.

Sub-commands live in the modules that implement them and are imported only when used, so
``lessons list`` stays fast and each module owns its own options.
"""

from __future__ import annotations

import importlib

import click

#: sub-command name -> "module:attribute" of a click command
COMMANDS: dict[str, str] = {
    "list": "lessons.cli.commands:list_cmd",
    "coverage": "lessons.cli.commands:coverage_cmd",
    "lab": "lessons.cli.commands:lab_cmd",
    "params": "lessons.cli.render:params_cmd",
    "render": "lessons.cli.render:render_cmd",
    "execute": "lessons.cli.render:execute_cmd",
    "present": "lessons.cli.present:present_cmd",
    "validate-data": "lessons.cli.commands:validate_cmd",
}


class LazyGroup(click.Group):
    """A click group that imports each sub-command's module on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attr = target.split(":")
        return getattr(importlib.import_module(module), attr)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="interlinking-lessons")
def main() -> None:
    """Lessons on "The Folly of Interlinking NATO and US Asian Alliances"."""


if __name__ == "__main__":
    main()
