"""The `careforms` command. Heavy modules (the Textual app) are imported only when needed."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from engine.forms.i18n import DEFAULT_LANGUAGE, LANGUAGES
from sync.errors import SyncError
from tui.commands.common import REPLICA_FILE, UserError, home
from tui.commands.help_words import spoken
from tui.words import ARGPARSE_WORDS, t

# Each command's module is imported only when that command runs (`careforms sync` need not
# load the forms engine, nor `careforms doc` the server's client): what the user waits for.
COMMANDS = (
    "forms",
    "migrate",
    "demo",
    "due",
    "report",
    "export",
    "discover",
    "doc",
    "sync",
    "bundle",
    "server",
)
_VALUED = ("--lang", "--home", "--forms")  # the options before the command that take a value
# Commands whose process ends as soon as their work is done and said: their replica is
# closed, their threads are joined and their output is flushed, so the interpreter's own
# teardown (freeing every object of a large pull one by one, 0.1 s) is nobody's wait.
EXIT_AT_ONCE = ("sync",)


def _language(argv: Sequence[str]) -> str:
    """The interface language asked for, before the arguments are parsed (for --help)."""
    args = list(argv)
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args) and args[i + 1] in LANGUAGES:
            return args[i + 1]
        if arg.startswith("--lang=") and arg.split("=", 1)[1] in LANGUAGES:
            return arg.split("=", 1)[1]
    lang = os.environ.get("CAREFORMS_LANG", DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


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


def _speak(lang: str) -> None:
    """argparse's own words (usage, options, errors) in the interface language."""
    argparse._ = lambda text: ARGPARSE_WORDS.get(text, {}).get(lang, text)  # type: ignore[attr-defined]


def _parser(lang: str = DEFAULT_LANGUAGE, only: str | None = None) -> argparse.ArgumentParser:
    """The parser; with `only`, just that command's (the others are not even imported)."""
    _speak(lang)
    parser = argparse.ArgumentParser(prog="careforms", description=t("cli.description", lang))
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=os.environ.get("CAREFORMS_LANG", DEFAULT_LANGUAGE),
        help=t("cli.lang", lang),
    )
    parser.add_argument("--home", help=t("cli.home", lang))
    parser.add_argument("--forms", action="append", type=Path, help=t("cli.forms", lang))
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", title=t("cli.commands", lang)
    )
    for name in COMMANDS if only is None else (only,):
        importlib.import_module(f"tui.commands.{name}").register(commands)
    return spoken(parser, lang)


def main(argv: Sequence[str] | None = None) -> int:
    given = sys.argv[1:] if argv is None else argv
    parser = _parser(_language(given), _command_of(given))
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


def run() -> None:
    """The `careforms` command: `main`, then the process's end."""
    argv = sys.argv[1:]
    code = main(argv)
    alone = all(
        thread.daemon for thread in threading.enumerate() if thread is not threading.main_thread()
    )
    if _command_of(argv) in EXIT_AT_ONCE and alone:
        with contextlib.suppress(OSError, ValueError):  # (a closed pipe: nothing to say more)
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    run()
