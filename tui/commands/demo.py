"""`careforms demo`: a replica filled with fictional children, so a newcomer sees everything."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from engine.casework.demo_caseload import caseload, documents
from sync.errors import BatchRefused
from sync.revisions import new_rev
from sync.store import Store
from tui.commands.common import UserError, home, open_store

CONFLICTED = 3  # children whose profile was edited on two laptops


def register(commands: Any) -> None:
    demo = commands.add_parser(
        "demo", help="fill an empty replica with fictional children (every colour and category)"
    )
    demo.add_argument("--children", type=int, default=60, help="how many (default 60)")
    demo.add_argument("--today", type=date.fromisoformat, help=argparse.SUPPRESS)
    demo.set_defaults(run=run_demo)


def fill(store: Store, children: int, today: date, district: str = "demo") -> int:
    """Write a fictional caseload, with a few conflicts; returns the number of documents."""
    made = caseload(children, today=today, district=district)
    with store.transaction():
        try:
            count = len(store.put_all(documents(made)))
        except BatchRefused as exc:  # all of it rolled back
            raise UserError(f"{exc.result['id']}: {exc.result['reason']}") from exc
        for planted in made[:CONFLICTED]:
            _edit_on_two_laptops(store, planted.child["_id"])
    return count


def _edit_on_two_laptops(store: Store, doc_id: str) -> None:
    """One edit made here, and another of the same revision as if pulled from a colleague."""
    current = store.get(doc_id)
    here = {**current, "answers": {**current["answers"], "guardian_name": "祖母（本机记录）"}}
    store.put(here)
    there = {k: v for k, v in current.items() if not k.startswith("_")}
    there["answers"] = {
        **there["answers"],
        "guardian_name": "外祖母（同事记录）",
        "school": "镇中学",
    }
    there["device"] = "colleague-laptop"
    rev = new_rev(current["_rev"], there, False)
    store.put_replicated(
        {
            **there,
            "_id": doc_id,
            "_rev": rev,
            "_revisions": {"start": 2, "ids": [rev.split("-")[1], current["_rev"].split("-")[1]]},
        }
    )


def run_demo(args: argparse.Namespace) -> int:
    if args.children < 1:
        raise UserError("--children must be at least 1")
    with open_store(args) as store:
        existing = sum(1 for _ in store.all_docs("child:"))
        if existing:
            raise UserError(
                f"The replica in {home(args)} already has {existing} children; "
                "the demo fills only an empty one (use --home to choose another folder)."
            )
        count = fill(store, args.children, args.today or date.today())
    print(
        f"{args.children} fictional children, {count} documents, {CONFLICTED} conflicts"
        if args.lang == "en"
        else f"已生成 {args.children} 名虚构儿童，共 {count} 份文档，其中 {CONFLICTED} 处冲突"
    )
    return 0
