"""`careforms discover import|batches`: a department's list matched against the register
(双排查), one verification task per good record; the batches' progress."""

from __future__ import annotations

import argparse
import getpass
import hashlib
import json
import socket
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from engine.casework.discovery_messages import say
from engine.forms.registry import FormRegistry
from sync.errors import BatchRefused
from sync.settings import SyncSettings
from sync.store import Store
from tui.commands.common import UserError, open_store

SHOWN_PROBLEMS = 30  # bad rows printed; --json gives all

_WORDS = {
    "zh-CN": {
        "summary": "{file}（{source}）：读取 {records} 条记录，有问题 {bad} 行，"
        "与名册中的儿童相符 {matched} 条，名册中没有 {unmatched} 条",
        "tasks": "已生成 {n} 个入户核查任务（批次 {batch}），同步后发到各村",
        "bad": "有问题的行：",
        "more": "……另有 {n} 行，用 --json 查看全部",
        "again": "{file} 已在 {when} 导入过（批次 {batch}）；如确需再次导入，请加 --again",
        "none": "还没有导入过部门名单",
        "head": "批次  来源  导入时间  记录 有问题 候选 已核查 属实 新发现 类别变更 退出 待核查",
        "category": "--category：“{value}”不是儿童类别（可用：{known}）",
        "written": "写入失败，未保存任何内容：{error}",
        "district": "本机尚未同步过，不知道所属区域：请用 --district 指定核查任务的区域",
    },
    "en": {
        "summary": "{file} ({source}): {records} records read, {bad} bad rows, "
        "{matched} match a registered child, {unmatched} match nobody",
        "tasks": "{n} verification tasks made (batch {batch}); they reach the villages on sync",
        "bad": "Bad rows:",
        "more": "… {n} more; --json lists them all",
        "again": "{file} was imported on {when} (batch {batch}); add --again to import it again",
        "none": "No department list has been imported yet",
        "head": "batch  source  imported  records bad candidates verified confirmed new "
        "categories exits open",
        "category": "--category: “{value}” is not a category (known: {known})",
        "written": "Nothing was saved; writing failed: {error}",
        "district": "This replica has never synced, so its district is unknown: "
        "give the tasks' district with --district",
    },
}


def register(commands: Any) -> None:
    discover = commands.add_parser(
        "discover", help="match a department's list against the register (双排查)"
    )
    sub = discover.add_subparsers(dest="discover_command", metavar="ACTION", required=True)
    imp = sub.add_parser("import", help="read a list (XLSX or CSV), match it, make tasks")
    imp.add_argument("file", type=Path, help="the department's list, .xlsx or .csv")
    imp.add_argument("--source", required=True, help="the department, e.g. 教育局")
    imp.add_argument(
        "--columns",
        action="append",
        default=[],
        help="which column holds what, e.g. name=学生姓名,id_number=D (default: guessed)",
    )
    imp.add_argument("--sheet", help="the sheet to read (default the first)")
    imp.add_argument(
        "--category",
        action="append",
        default=[],
        help="what the list is about, e.g. disability (or 残疾); repeatable",
    )
    imp.add_argument("--district", help="district of the tasks (default: the replica's)")
    imp.add_argument("--json", action="store_true", help="print the summary as JSON")
    imp.add_argument("--again", action="store_true", help="import a list imported before")
    imp.set_defaults(run=run_import)
    batches = sub.add_parser("batches", help="every batch with its progress")
    batches.add_argument("--json", action="store_true", help="print JSON")
    batches.set_defaults(run=run_batches)


def _categories(values: list[str], lang: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    from engine.casework.list_matching import categories_in

    field = FormRegistry.load().get("child-profile").fields["categories"]
    known = tuple(str(o) for o in field.options or [])
    chosen: list[str] = []
    for value in values:
        found = categories_in(value, known)
        if not found:
            raise UserError(_WORDS[lang]["category"].format(value=value, known=", ".join(known)))
        chosen += [c for c in found if c not in chosen]
    return tuple(chosen), known


def _earlier(store: Store, digest: str) -> dict[str, Any] | None:
    return next((b for b in store.all_docs("screening:") if b.get("digest") == digest), None)


def run_import(args: argparse.Namespace) -> int:
    from engine.casework.department_lists import (
        ListUnreadable,
        parse_mapping,
        read_department_list,
    )
    from engine.casework.list_matching import Register
    from engine.casework.screening import screening_batch

    lang, words = args.lang, _WORDS[args.lang]
    categories, known = _categories(args.category, lang)
    try:
        listing = read_department_list(
            args.file, mapping=parse_mapping(args.columns), sheet=args.sheet
        )
    except ListUnreadable as exc:
        raise UserError(exc.render(lang)) from exc
    digest = hashlib.sha256(args.file.read_bytes()).hexdigest()
    with open_store(args) as store:
        earlier = _earlier(store, digest)
        if earlier is not None and not args.again:
            when = str(earlier.get("created_at", ""))[:16].replace("T", " ")
            raise UserError(words["again"].format(file=args.file, when=when, batch=earlier["_id"]))
        settings = SyncSettings.load(store)
        district = args.district or settings.district
        if not district:  # tasks without their district would never reach a laptop
            raise UserError(words["district"])
        register_ = Register(store.all_docs("child:"))
        made = screening_batch(
            listing, register_, uuid=uuid.uuid4().hex, source=args.source,
            categories=categories, known_categories=known,
            district=district, digest=digest,
            by=settings.user or getpass.getuser(), device=socket.gethostname(),
            at=datetime.now().astimezone(),
        )  # fmt: skip
        save_all(store, [made.batch, *made.tasks], words["written"])
    summary = _summary(listing, made, lang)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=1))
        return 0
    print(
        words["summary"].format(
            file=args.file.name, source=args.source, records=listing.rows_read,
            bad=len(listing.bad_rows), matched=made.matched, unmatched=made.unmatched,
        )
    )  # fmt: skip
    if listing.problems:
        print(words["bad"])
        for problem in listing.problems[:SHOWN_PROBLEMS]:
            print("  " + problem.render(lang))
        if len(listing.problems) > SHOWN_PROBLEMS:
            print("  " + words["more"].format(n=len(listing.problems) - SHOWN_PROBLEMS))
    print(words["tasks"].format(n=len(made.tasks), batch=made.batch["_id"]))
    return 0


def save_all(store: Store, docs: list[dict[str, Any]], failed: str) -> None:
    """Every document or none: a refusal rolls the whole batch back."""
    try:
        store.put_all(docs)
    except BatchRefused as exc:
        raise UserError(failed.format(error=f"{exc.result['id']}: {exc.result['reason']}")) from exc


def _summary(listing: Any, made: Any, lang: str) -> dict[str, Any]:
    def described(task: dict[str, Any]) -> dict[str, Any]:
        found = task["match"]
        return {
            "row": task["row"],
            "task": task["_id"],
            "name": task["record"]["name"],
            "village": task["village"],
            "child": found["child"],
            "tier": found["tier"],
            "score": found["score"],
            "reason": say(found["reason"], lang, score=f"{found['score']:.2f}"),
            "differences": [say(code, lang, detail=d) for code, d in found["differences"]],
        }

    tasks = [described(t) for t in made.tasks]
    return {
        "batch": made.batch["_id"],
        "file": listing.file,
        "sheet": listing.sheet,
        "source": made.batch["source"],
        "header_row": listing.header_row,
        "columns": {
            f: {"column": c.letter, "header": c.header} for f, c in listing.columns.items()
        },
        "records": listing.rows_read,
        "bad_rows": [
            {
                "row": p.row,
                "column": p.column.letter if p.column else None,
                "code": p.code,
                "message": p.render(lang),
            }
            for p in listing.problems
        ],  # fmt: skip
        "matched": [t for t in tasks if t["child"]],
        "unmatched": [t for t in tasks if not t["child"]],
        "tasks": len(tasks),
    }


def run_batches(args: argparse.Namespace) -> int:
    from engine.casework.screening import batch_progress

    with open_store(args) as store:
        batches = list(store.all_docs("screening:"))
        tasks = list(store.all_docs("verification:"))
    figures = [batch_progress(b, tasks) for b in batches]
    figures.sort(key=lambda f: f.imported_at)
    if args.json:
        print(json.dumps([f.as_json() for f in figures], ensure_ascii=False, indent=1))
        return 0
    if not figures:
        print(_WORDS[args.lang]["none"])
        return 0
    print(_WORDS[args.lang]["head"])
    for f in figures:
        print(
            f"{f.batch}  {f.source}  {f.imported_at[:10]}  {f.records} {f.bad_rows} "
            f"{f.candidates} {f.verified} {f.confirmed} {f.new_children} "
            f"{f.category_changes} {f.exits} {f.open}"
        )
    return 0
