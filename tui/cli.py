"""The `careforms` command. Heavy modules (the Textual app) are imported only when needed."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from engine.forms.i18n import DEFAULT_LANGUAGE, LANGUAGES
from sync.errors import SyncError
from tui.commands import demo, discover, doc, due, export, forms, migrate, report, server, sync
from tui.commands.common import REPLICA_FILE, UserError, home


def _parser() -> argparse.ArgumentParser:
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
    for module in (forms, migrate, demo, due, report, export, discover, doc, sync, server):
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
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
