"""The `careforms` command. Heavy modules (the Textual app) are imported only when needed."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from engine.forms.i18n import DEFAULT_LANGUAGE, LANGUAGES
from sync.errors import SyncError
from tui.commands.common import REPLICA_FILE, UserError, home

# Each command's module is imported only when that command runs (`careforms sync` need not
# load the forms engine, nor `careforms doc` the server's client): what the user waits for.
COMMANDS = ("forms", "demo", "due", "report", "doc", "sync", "server")
_VALUED = ("--lang", "--home", "--forms")  # the options before the command that take a value


def _command_of(argv: Sequence[str]) -> str | None:
    """The command named in `argv`, when it is one of ours."""
    rest = list(argv)
    while rest:
        word = rest.pop(0)
        if word in _VALUED:
            rest = rest[1:]
        elif not word.startswith("-"):
            return word if word in COMMANDS else None
    return None


def _parser(only: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="careforms",
        description="Home assessments of children at risk, offline. 儿童入户评估（离线）。",
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=os.environ.get("CAREFORMS_LANG", DEFAULT_LANGUAGE),
        help="interface language (default zh-CN, or $CAREFORMS_LANG)",
    )
    parser.add_argument(
        "--home", help="folder of the local replica (default $CAREFORMS_HOME or ~/.careforms)"
    )
    parser.add_argument(
        "--forms",
        action="append",
        type=Path,
        help="the app: another folder of form definitions (repeatable), e.g. a district's",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS if only is None else (only,):
        importlib.import_module(f"tui.commands.{name}").register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    given = sys.argv[1:] if argv is None else argv
    parser = _parser(_command_of(given))
    args = parser.parse_args(given)
    if args.command is None:
        from tui.app import CareformsApp  # Textual loads only for the app

        folders = tuple(args.forms or ())
        CareformsApp(home(args) / REPLICA_FILE, lang=args.lang, form_folders=folders).run()
        return 0
    try:
        code: int = args.run(args)
    except (UserError, SyncError) as exc:
        print(f"careforms: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    return code


if __name__ == "__main__":
    sys.exit(main())
