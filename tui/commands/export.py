"""`careforms export ledger|answers`: the spreadsheets a county or a researcher asks for."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from engine.forms.registry import FormRegistry, UnknownForm
from tui.case_files import case_files, each_case_summary, paused_gc
from tui.commands.common import UserError, open_store
from tui.commands.due import load_rules_or_explain

_WORDS = {
    "zh-CN": {
        "ledger": "台账已导出：{path}（{n} 名儿童）",
        "answers": "已导出 {n} 份“{form}”第 {version} 版评估：{paths}",
        "other_versions": "另有 {n} 份其他版本的评估未导出（用 --version 选择）",
        "format": "{path}：只能导出为 .xlsx 或 .csv",
        "no_form": "没有表单“{form}”",
    },
    "en": {
        "ledger": "Ledger written: {path} ({n} children)",
        "answers": "{n} assessments of {form} version {version} written: {paths}",
        "other_versions": "{n} assessments of other versions were left out (choose with --version)",
        "format": "{path}: exports are .xlsx or .csv",
        "no_form": "There is no form {form}",
    },
}


def register(commands: Any) -> None:
    export = commands.add_parser("export", help="write the ledger or a form's answers (XLSX/CSV)")
    sub = export.add_subparsers(dest="export_command", metavar="WHAT", required=True)
    ledger = sub.add_parser("ledger", help="the ledger (台账): one row per child, and counts")
    ledger.add_argument("--district", help="only this district")
    ledger.add_argument("--village", help="only this village")
    ledger.add_argument("-o", "--output", type=Path, help="FILE.xlsx (default) or FILE.csv")
    ledger.add_argument("--full-id", action="store_true", help="ID numbers unmasked")
    ledger.add_argument("--on", type=date.fromisoformat, help="ages and due dates as on this day")
    ledger.set_defaults(run=run_ledger)
    answers = sub.add_parser("answers", help="every finished assessment of a form, item by item")
    answers.add_argument("--form", required=True, help="the form's id, e.g. risk")
    answers.add_argument("--version", type=int, help="the form's version (default the newest)")
    answers.add_argument("--district", help="only this district")
    answers.add_argument("-o", "--output", type=Path, help="FILE.xlsx (default) or FILE.csv")
    answers.add_argument("--codes", action="store_true", help="answer codes instead of labels")
    answers.set_defaults(run=run_answers)


def _output(args: argparse.Namespace, default: str) -> Path:
    path: Path = args.output or Path(f"{default}-{date.today():%Y%m%d}.xlsx")
    if path.suffix.lower() not in (".xlsx", ".csv"):
        raise UserError(_WORDS[args.lang]["format"].format(path=path))
    return path


def run_ledger(args: argparse.Namespace) -> int:
    from engine.casework.ledger import ledger_rows, ledger_tables
    from engine.casework.spreadsheets import ExportFailed, write_tables

    path = _output(args, f"ledger-{args.district or 'all'}")
    forms = FormRegistry.load()
    rules = load_rules_or_explain(None, args.lang)
    today = args.on or date.today()
    with open_store(args) as store:  # each child's digest: a tenth of the documents
        cases = each_case_summary(store, args.district)
        if args.village:
            cases = (c for c in cases if c.profile.get("village") == args.village)
        rows = ledger_rows(cases, rules, today, full_id=args.full_id)
    tables = ledger_tables(rows, forms.get("child-profile"), forms.get(rules.band_form), args.lang)
    try:
        write_tables(path, tables)
    except ExportFailed as exc:
        raise UserError(str(exc)) from exc
    print(_WORDS[args.lang]["ledger"].format(path=path, n=len(rows)))
    return 0


def run_answers(args: argparse.Namespace) -> int:
    from engine.casework.answers_export import answers_tables
    from engine.casework.spreadsheets import ExportFailed, write_tables

    words = _WORDS[args.lang]
    try:
        form = FormRegistry.load().get(args.form, args.version)
    except UnknownForm as exc:
        raise UserError(words["no_form"].format(form=args.form)) from exc
    path = _output(args, f"answers-{form.id}-v{form.version}")
    with open_store(args) as store, paused_gc(command=True):
        cases = case_files(store, args.district)
    finals = [o for c in cases for o in c.finals(form.id)]
    chosen = [o for o in finals if o.form_version == form.version]
    profiles = {c.id: c.profile for c in cases}
    tables = answers_tables(form, chosen, profiles, args.lang, codes=args.codes)
    try:
        written = write_tables(path, tables)
    except ExportFailed as exc:
        raise UserError(str(exc)) from exc
    paths = ", ".join(str(p) for p in written)
    print(words["answers"].format(n=len(chosen), form=form.id, version=form.version, paths=paths))
    if len(finals) > len(chosen):
        print(words["other_versions"].format(n=len(finals) - len(chosen)))
    return 0
