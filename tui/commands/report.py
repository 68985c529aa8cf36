"""`careforms report CHILD|roster`: the PDFs a case meeting and a supervisor read.

They go into the reports folder beside the replica (0700) unless `-o` says otherwise, are
written owner-only (0600), and with `--encrypt` open only with a password typed by the user
(from a prompt, or $CAREFORMS_REPORT_PASSWORD for scripts; it is never stored)."""

from __future__ import annotations

import argparse
import os
from datetime import date, datetime
from pathlib import Path
from typing import Any

from engine.forms.registry import FormRegistry
from engine.report import MIN_PASSWORD
from tui.case_files import case_file, case_files, paused_gc, sync_state
from tui.commands.common import UserError, ask, home, open_store
from tui.commands.due import load_rules_or_explain

PASSWORD_ENV = "CAREFORMS_REPORT_PASSWORD"
WORDS = {
    "zh-CN": {
        "written": "{path}（{pages} 页{encrypted}）",
        "encrypted": "，已加密",
        "cannot_write": "无法写入 {path}：{reason}",
        "no_child": "本机副本中没有儿童 {child}。",
        "not_assessment": "{assessment} 不是该儿童的评估。",
        "password": "报告密码（打开 PDF 时需要）：",
        "again": "再输入一次：",
        "differ": "两次输入的密码不同，未生成报告。",
        "short": "报告密码至少 {n} 个字符。",
        "hint": f"或设置 {PASSWORD_ENV}。",
    },
    "en": {
        "written": "{path} ({pages} page(s){encrypted})",
        "encrypted": ", encrypted",
        "cannot_write": "Cannot write {path}: {reason}",
        "no_child": "There is no child {child} in this replica.",
        "not_assessment": "{assessment} is not an assessment of this child.",
        "password": "Report password (needed to open the PDF): ",
        "again": "Type it again: ",
        "differ": "The two passwords differ; no report was written.",
        "short": "A report password has at least {n} characters.",
        "hint": f"Or set {PASSWORD_ENV}.",
    },
}


def register(commands: Any) -> None:
    report = commands.add_parser(
        "report", help="write a child's assessment report, or the roster, as a PDF"
    )
    report.add_argument(
        "child", metavar="CHILD|roster", help="a child's id (child:… or its uuid), or roster"
    )
    report.add_argument(
        "-o", "--output", type=Path, help="the PDF, or a folder (default: the reports folder)"
    )
    report.add_argument(
        "--encrypt",
        action="store_true",
        help=f"encrypt the PDF with a password (asked for, or ${PASSWORD_ENV})",
    )
    report.add_argument("--district", help="roster: only this district")
    report.add_argument(
        "--assessment", help="report on this assessment (default: the latest final one)"
    )
    report.add_argument("--on", type=date.fromisoformat, help="roster: due dates as on this day")
    report.set_defaults(run=run_report)


def _w(lang: str, key: str, **params: object) -> str:
    return WORDS["en" if lang == "en" else "zh-CN"][key].format(**params)


def report_password(lang: str) -> str:
    """The password from the environment, else typed twice at a hidden prompt."""
    given = os.environ.get(PASSWORD_ENV)
    if given is None:
        hint = _w(lang, "hint")
        given = ask(_w(lang, "password"), secret=True, hint=hint)
        if ask(_w(lang, "again"), secret=True, hint=hint) != given:
            raise UserError(_w(lang, "differ"))
    if len(given) < MIN_PASSWORD:
        raise UserError(_w(lang, "short", n=MIN_PASSWORD))
    return given


def target(args: argparse.Namespace, name: str) -> Path:
    """Where the PDF goes: -o (a file, or a folder to put it in), else the reports folder."""
    from engine.casework.private_files import private_folder

    chosen: Path | None = args.output
    path = (
        (chosen or home(args) / "reports") / name if chosen is None or chosen.is_dir() else chosen
    )
    try:
        if chosen is None or not path.parent.exists():  # folders we make are owner-only
            private_folder(path.parent)
    except OSError as exc:
        reason = exc.strerror or exc
        raise UserError(_w(args.lang, "cannot_write", path=path, reason=reason)) from exc
    return path


def _write(path: Path, render: Any, lang: str) -> int:
    """Render owner-only into a temporary file beside `path`, then move it into place."""
    from engine.casework.private_files import write_private

    try:
        return int(write_private(path, render))
    except OSError as exc:
        raise UserError(_w(lang, "cannot_write", path=path, reason=exc.strerror or exc)) from exc


def run_report(args: argparse.Namespace) -> int:
    from engine.report.child_report import child_report  # ReportLab loads only when printing
    from engine.report.roster import roster

    forms = FormRegistry.load()
    rules = load_rules_or_explain(None, args.lang)
    now = datetime.now().astimezone()
    password = report_password(args.lang) if args.encrypt else None
    with open_store(args) as store:
        if args.child == "roster":
            with paused_gc(command=True):
                cases = case_files(store, args.district)
            path = target(args, f"roster-{args.district or 'all'}-{now:%Y%m%d-%H%M%S}.pdf")
            pages = _write(path, lambda out: roster(
                out, cases, forms, rules, today=args.on or now.date(), generated_at=now,
                district=args.district, lang=args.lang, password=password), args.lang)  # fmt: skip
        else:
            case = case_file(store, args.child)
            if case is None:
                raise UserError(_w(args.lang, "no_child", child=args.child))
            if args.assessment and args.assessment not in {o.id for o in case.observations}:
                raise UserError(_w(args.lang, "not_assessment", assessment=args.assessment))
            state = sync_state(store, case)
            path = target(args, f"report-{case.id[:8]}-{now:%Y%m%d-%H%M%S}.pdf")
            pages = _write(path, lambda out: child_report(
                out, case, forms, lang=args.lang, generated_at=now, sync_state=state, rules=rules,
                assessment_id=args.assessment, password=password), args.lang)  # fmt: skip
    encrypted = _w(args.lang, "encrypted") if password else ""
    print(_w(args.lang, "written", path=path, pages=pages, encrypted=encrypted))
    return 0
