"""`careforms doc get|put|list`: documents of the replica as JSON, for scripting and support."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import orjson

from sync.errors import NotFound
from tui.commands.common import UserError, open_store

INDENT = orjson.OPT_INDENT_2


def register(commands: Any) -> None:
    doc = commands.add_parser("doc", help="read and write documents of the replica as JSON")
    sub = doc.add_subparsers(dest="doc_command", metavar="ACTION", required=True)
    get = sub.add_parser("get", help="print a document")
    get.add_argument("doc_id")
    get.add_argument("--rev", help="a given revision instead of the winner")
    get.add_argument(
        "--conflicts", action="store_true", help="include _conflicts and _deleted_conflicts"
    )
    get.set_defaults(run=run_get)
    put = sub.add_parser("put", help="save documents from a JSON file (- for standard input)")
    put.add_argument("file", help="a JSON object or a list of them")
    put.set_defaults(run=run_put)
    listing = sub.add_parser("list", help="list documents (id and revision)")
    listing.add_argument("--prefix", default="", help="only ids starting so, e.g. child:")
    listing.add_argument("--include-docs", action="store_true", help="whole documents")
    listing.add_argument("--conflicts", action="store_true", help="only conflicted documents")
    listing.set_defaults(run=run_list)


def _print(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def run_get(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        try:
            _print(store.get(args.doc_id, args.rev, conflicts=args.conflicts))
        except NotFound as exc:
            raise UserError(str(exc)) from exc
    return 0


def _read(file: str) -> tuple[list[dict[str, Any]], bool]:
    try:
        text = sys.stdin.read() if file == "-" else Path(file).read_text("utf-8")
        data = json.loads(text)
    except OSError as exc:
        raise UserError(f"cannot read {file}: {exc.strerror}") from exc
    except json.JSONDecodeError as exc:
        raise UserError(f"{file}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from exc
    docs = data if isinstance(data, list) else [data]
    if not all(isinstance(d, dict) for d in docs):
        raise UserError(f"{file}: expected a JSON object or a list of objects")
    return docs, isinstance(data, list)


def run_put(args: argparse.Namespace) -> int:
    docs, many = _read(args.file)
    with open_store(args) as store:
        results = [  # one transaction for the whole list
            {"id": r["id"], "error": r["reason"]} if "error" in r else r
            for r in store.put_many(docs)
        ]
        # ids and revisions only: orjson writes them at once, where json's indenting is slow
        sys.stdout.write(orjson.dumps(results if many else results[0], option=INDENT).decode())
        sys.stdout.write("\n")
    return 1 if any("error" in r for r in results) else 0


def run_list(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        if args.conflicts:
            ids = store.conflicted(args.prefix, include_deleted=True)
            winners = {i: store.leaves(i)[0].rev for i in ids}  # the winner may be a deletion
            rows: list[Any] = [
                store.get(i, rev, conflicts=True) if args.include_docs else {"_id": i, "_rev": rev}
                for i, rev in winners.items()
            ]
        else:
            rows = [
                d if args.include_docs else {"_id": d["_id"], "_rev": d["_rev"]}
                for d in store.all_docs(args.prefix)
            ]
        _print(rows)
    return 0
