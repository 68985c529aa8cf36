"""`careforms doc get|put|list|compact`: documents of the replica as JSON, for scripting and
support."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import orjson

from sync.documents import body_of, check_id, dump
from sync.errors import InvalidDocument, NotFound
from tui.commands.common import UserError, open_store
from tui.commands.texts import describe, say, size_text

INDENT = orjson.OPT_INDENT_2


def register(commands: Any) -> None:
    doc = commands.add_parser("doc", help="read and write documents of the replica as JSON")
    sub = doc.add_subparsers(dest="doc_command", metavar="ACTION", required=True)
    get = sub.add_parser("get", help="print a document")
    get.add_argument("doc_id", help="the document's id, e.g. child:…")
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
    listing.add_argument(
        "--conflicts", action="store_true", help="only documents in conflict now (live versions)"
    )
    listing.set_defaults(run=run_list)
    compact = sub.add_parser(
        "compact", help="drop the bodies of old revisions and give the space back"
    )
    compact.set_defaults(run=run_compact)


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


def _read(file: str, lang: str) -> tuple[list[dict[str, Any]], bool]:
    try:
        text = sys.stdin.read() if file == "-" else Path(file).read_text("utf-8")
    except OSError as exc:
        raise UserError(say("unreadable", lang, file=file, error=exc.strerror)) from exc
    except UnicodeDecodeError as exc:
        raise UserError(say("unreadable", lang, file=file, error=exc.reason)) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(
            say("bad_json", lang, file=file, line=exc.lineno, column=exc.colno, error=exc.msg)
        ) from exc
    except RecursionError as exc:  # json nests by recursion: deeper input is refused
        raise UserError(say("json_too_deep", lang, file=file)) from exc
    docs = data if isinstance(data, list) else [data]
    if not all(isinstance(d, dict) for d in docs):
        raise UserError(say("not_objects", lang, file=file))
    return docs, isinstance(data, list)


def _check(file: str, docs: list[dict[str, Any]], lang: str) -> None:
    """Every document storable, or none is written: refused here with where and why."""
    for n, doc in enumerate(docs, 1):
        raw_id = doc.get("_id")
        shown = str(raw_id).encode("utf-8", "backslashreplace").decode()
        where = say("document", lang, file=file, n=n, id=shown)
        try:
            doc_id = check_id(raw_id)
            dump(body_of(doc), doc_id)
        except InvalidDocument as exc:
            if exc.code in ("no_id", "underscore_id"):
                continue  # reported per document below, as before
            raise UserError(describe(exc, lang, where)) from exc


def run_put(args: argparse.Namespace) -> int:
    docs, many = _read(args.file, args.lang)
    _check(args.file, docs, args.lang)
    with open_store(args) as store, store.transaction():  # all saved, or none
        results = [
            {"id": r["id"], "error": r["reason"]} if "error" in r else r
            for r in store.put_many(docs)
        ]
    # ids and revisions only: orjson writes them at once, where json's indenting is slow
    sys.stdout.write(orjson.dumps(results if many else results[0], option=INDENT).decode())
    sys.stdout.write("\n")
    return 1 if any("error" in r for r in results) else 0


def run_list(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        if args.conflicts:  # live conflicts only: a resolved one keeps deleted leaves
            rows: list[Any] = [
                store.get(i, conflicts=True)
                if args.include_docs
                else {"_id": i, "_rev": store.leaves(i)[0].rev}
                for i in store.conflicted(args.prefix)
            ]
        else:
            rows = [
                d if args.include_docs else {"_id": d["_id"], "_rev": d["_rev"]}
                for d in store.all_docs(args.prefix)
            ]
        _print(rows)
    return 0


def run_compact(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        done = store.compact()
    print(
        say(
            "sync.compacted",
            args.lang,
            bodies=done.bodies,
            before=size_text(done.bytes_before),
            after=size_text(done.bytes_after),
        )
    )
    return 0
