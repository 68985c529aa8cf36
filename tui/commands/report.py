"""`careforms report CHILD|roster`: the PDFs a case meeting and a supervisor read."""

from __future__ import annotations

import argparse
from datetime import date, datetime
from pathlib import Path
from typing import Any

from engine.forms.registry import FormRegistry
from tui.case_files import case_file, case_files, sync_state
from tui.commands.common import UserError, open_store
from tui.commands.due import load_rules_or_explain


def register(commands: Any) -> None:
    report = commands.add_parser(
        "report", help="write a child's assessment report, or the roster, as a PDF"
    )
    report.add_argument(
        "child", metavar="CHILD|roster", help="a child's id (child:… or its uuid), or roster"
    )
    report.add_argument("-o", "--output", type=Path, help="the PDF to write")
    report.add_argument("--district", help="roster: only this district")
    report.add_argument(
        "--assessment", help="report on this assessment (default: the latest final one)"
    )
    report.add_argument("--on", type=date.fromisoformat, help="roster: due dates as on this day")
    report.set_defaults(run=run_report)


def _write(path: Path, render: Any) -> int:
    """Render to a temporary file beside `path`, then move it into place: no half-written PDF."""
    partial = path.with_name(path.name + ".partial")
    try:
        pages = int(render(str(partial)))
        partial.replace(path)
    except OSError as exc:
        raise UserError(f"Cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        partial.unlink(missing_ok=True)
    return pages


def run_report(args: argparse.Namespace) -> int:
    from engine.report.child_report import child_report  # ReportLab loads only when printing
    from engine.report.roster import roster

    forms = FormRegistry.load()
    rules = load_rules_or_explain(None, args.lang)
    now = datetime.now().astimezone()
    with open_store(args) as store:
        if args.child == "roster":
            cases = case_files(store, args.district)
            path = args.output or Path(f"roster-{args.district or 'all'}-{now:%Y%m%d}.pdf")
            pages = _write(path, lambda out: roster(
                out, cases, forms, rules, today=args.on or now.date(), generated_at=now,
                district=args.district, lang=args.lang))  # fmt: skip
        else:
            case = case_file(store, args.child)
            if case is None:
                raise UserError(f"There is no child {args.child} in this replica.")
            if args.assessment and args.assessment not in {o.id for o in case.observations}:
                raise UserError(f"{args.assessment} is not an assessment of this child.")
            state = sync_state(store, case)
            path = args.output or Path(f"report-{case.id[:8]}-{now:%Y%m%d}.pdf")
            pages = _write(path, lambda out: child_report(
                out, case, forms, lang=args.lang, generated_at=now, sync_state=state, rules=rules,
                assessment_id=args.assessment))  # fmt: skip
    print(f"{path} ({pages} {'page(s)' if args.lang == 'en' else '页'})")
    return 0
