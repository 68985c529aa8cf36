"""`careforms forms check|list|preview`: the form author's commands."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from engine.definitions import lint_paths, load_forms
from engine.forms.form import Form
from engine.forms.i18n import pad, pick
from engine.forms.registry import FormRegistry, UnknownForm, builtin_forms_folder
from engine.forms.vocabulary import option_key


def register(commands: Any) -> None:
    forms = commands.add_parser("forms", help="check, list and preview form definitions")
    sub = forms.add_subparsers(dest="forms_command", metavar="ACTION", required=True)

    check = sub.add_parser("check", help="check form definition files; exit 1 on any problem")
    check.add_argument(
        "paths", nargs="*", type=Path, help="files or folders (default: the built-in forms)"
    )
    check.set_defaults(run=run_check)

    listing = sub.add_parser("list", help="list available forms and versions")
    listing.add_argument(
        "--forms",
        action="append",
        type=Path,
        default=[],
        help="another folder of forms (repeatable)",
    )
    listing.set_defaults(run=run_list)

    preview = sub.add_parser("preview", help="show a form as the worker will meet it")
    preview.add_argument("form_id")
    preview.add_argument("--version", type=int)
    preview.add_argument("--forms", action="append", type=Path, default=[])
    preview.set_defaults(run=run_preview)


def run_check(args: argparse.Namespace) -> int:
    paths = args.paths or [builtin_forms_folder()]
    found = lint_paths(paths)
    for problem in found:
        print(problem.render(args.lang))
    problems = [p for p in found if not p.warning]  # warnings are said; the forms still pass
    if problems:
        files = len({p.file for p in problems})
        print(
            f"{len(problems)} problem(s) in {files} file(s)"
            if args.lang == "en"
            else f"共 {len(problems)} 个问题，涉及 {files} 个文件"
        )
        return 1
    print("OK" if args.lang == "en" else "检查通过")
    return 0


def _report_problems(registry: FormRegistry, lang: str) -> None:
    for problem in registry.problems:
        print(problem.render(lang))


def run_list(args: argparse.Namespace) -> int:
    registry = load_forms(args.forms)
    for form in registry:
        print(
            f"{form.id:<16} v{form.version:<4} {pad(pick(form.title, args.lang), 24)} "
            f"{form.digest[:8]}  {form.source}"
        )
    _report_problems(registry, args.lang)
    return 1 if registry.problems else 0


def _describe(form: Form, lang: str) -> list[str]:
    lines = [f"{pick(form.title, lang)}  ({form.id} v{form.version})"]
    for section in form.sections:
        lines.append("")
        lines.append(f"== {pick(section.label, lang)} ==")
        for name in section.fields:
            field = form.fields[name]
            mark = "*" if field.required else " "
            cond = "  [?]" if field.visible else ""
            lines.append(f" {mark} {pick(field.label, lang)}  <{name}>{cond}")
            for option in field.options or []:
                label = field.option_label(option)
                points = ""
                if field.score is not None:
                    key = option_key(option)
                    points = f"  [{field.score.points[key]}]" if key in field.score.points else ""
                lines.append(
                    f"       - {pick(label, lang) if label else option_key(option)}{points}"
                )
    if form.bands:
        lines.append("")
        for band in form.bands:
            low = "" if band.min is None else band.min
            high = "" if band.max is None else band.max
            lines.append(f" ■ {pick(band.label, lang)}: {low}–{high}")
    for flag in form.red_flags:
        lines.append(f" ! {pick(flag.label, lang)}")
    return lines


def run_preview(args: argparse.Namespace) -> int:
    registry = load_forms(args.forms)
    try:
        form = registry.get(args.form_id, args.version)
    except UnknownForm as exc:
        print(f"careforms: {exc}")
        return 1
    print("\n".join(_describe(form, args.lang)))
    return 0
