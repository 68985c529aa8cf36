"""The `careforms` command. Heavy modules (the Textual app) are imported only when needed."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from engine.forms.i18n import DEFAULT_LANGUAGE, LANGUAGES
from sync.errors import SyncError
from tui.commands import (
    bundle,
    demo,
    discover,
    doc,
    due,
    export,
    forms,
    migrate,
    report,
    server,
    sync,
)
from tui.commands.common import REPLICA_FILE, UserError, home
from tui.words import ARGPARSE_WORDS, t


def _language(argv: Sequence[str] | None) -> str:
    """The interface language asked for, before the arguments are parsed (for --help)."""
    args = list(sys.argv[1:] if argv is None else argv)
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args) and args[i + 1] in LANGUAGES:
            return args[i + 1]
        if arg.startswith("--lang=") and arg.split("=", 1)[1] in LANGUAGES:
            return arg.split("=", 1)[1]
    lang = os.environ.get("CAREFORMS_LANG", DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def _speak(lang: str) -> None:
    """argparse's own words (usage, options, errors) in the interface language."""
    argparse._ = lambda text: ARGPARSE_WORDS.get(text, {}).get(lang, text)  # type: ignore[attr-defined]


def _parser(lang: str = DEFAULT_LANGUAGE) -> argparse.ArgumentParser:
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
    for module in (forms, migrate, demo, due, report, export, discover, doc, sync, bundle, server):
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser(_language(argv))
    args = parser.parse_args(argv)
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
