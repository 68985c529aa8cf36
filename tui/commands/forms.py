"""`careforms forms check|list|preview|publish|import-xlsform`: the form author's commands."""

from __future__ import annotations

import argparse
import json
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
    preview.add_argument("form_id", help="form id, e.g. risk")
    preview.add_argument("--version", type=int, help="the form's version (default the newest)")
    preview.add_argument(
        "--forms",
        action="append",
        type=Path,
        default=[],
        help="another folder of forms (repeatable)",
    )
    preview.set_defaults(run=run_preview)

    publish = sub.add_parser(
        "publish", help="check, then publish forms and rules to the server (authors only)"
    )
    publish.add_argument("paths", nargs="+", type=Path, help="files or folders")
    publish.add_argument("--server", required=True, help="server URL")
    publish.add_argument("--district", help="publish for this district only")
    publish.set_defaults(run=run_publish)

    xlsform = sub.add_parser("import-xlsform", help="turn an XLSForm spreadsheet into a form")
    xlsform.add_argument("file", type=Path, help="the .xlsx file")
    xlsform.add_argument("-o", "--output", type=Path, default=Path("."), help="folder to write to")
    xlsform.set_defaults(run=run_import_xlsform)


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


_SOURCES = {
    "built-in": {"zh-CN": "内置", "en": "built-in"},
    "published": {"zh-CN": "已发布", "en": "published"},
    "folder": {"zh-CN": "文件夹", "en": "folder"},
}


def _replica_forms(args: argparse.Namespace, folders: list[Path]) -> FormRegistry:
    """Built-in, published (when this laptop has a replica) and folder forms."""
    from tui.commands.common import REPLICA_FILE, home, open_store
    from tui.form_sources import app_forms

    if not (home(args) / REPLICA_FILE).exists():
        return load_forms(folders)
    with open_store(args) as store:
        return app_forms(store, folders)


def run_list(args: argparse.Namespace) -> int:
    registry = _replica_forms(args, args.forms)
    for form in registry:
        origin = form.origin
        where = origin.where if origin.kind != "published" else f"{origin.where} {origin.arrived}"
        print(
            f"{form.id:<16} v{form.version:<4} {pad(pick(form.title, args.lang), 24)} "
            f"{pad(pick(_SOURCES[origin.kind], args.lang), 10)}{form.digest[:8]}  {where}"
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


def run_publish(args: argparse.Namespace) -> int:
    from sync.couch import CouchServer, NotAllowed
    from sync.publishing import publish
    from sync.server_setup import BadDistrict
    from tui.commands.common import UserError, server_login

    en = args.lang == "en"
    user, password = server_login()
    try:
        report = publish(
            CouchServer(args.server, user, password), args.paths, district=args.district, by=user
        )
    except BadDistrict as exc:
        raise UserError(str(exc)) from exc
    except NotAllowed as exc:
        raise UserError(
            f"the server refused: only form authors and administrators publish ({exc.reason})"
            if en
            else f"服务器拒绝：只有表单作者和管理员可以发布表单（{exc.reason}）"
        ) from exc
    for problem in report.problems:
        print(problem.render(args.lang))
    for doc_id, _ in report.refused:
        print(
            f"{doc_id}: already published with different content; a published version never "
            "changes: raise x-form.version and publish the new version"
            if en
            else f"{doc_id}：服务器上已发布了内容不同的同一版本；"
            "已发布的版本不能修改，请提高版本号后发布新版本"
        )
    if not report.ok:
        print("nothing published" if en else "未发布任何内容")
        return 1
    for doc_id in report.written:
        print(f"{'published' if en else '已发布'} {doc_id} → {report.database}")
    for doc_id in report.unchanged:
        print(f"{'unchanged' if en else '无变化'} {doc_id}")
    return 0


def run_import_xlsform(args: argparse.Namespace) -> int:
    from engine.forms.xlsform import import_xlsform  # openpyxl loads only here

    result = import_xlsform(args.file)
    for warning in result.warnings:
        print(warning.render(args.lang))
    for problem in result.problems:
        print(problem.render(args.lang))
    if result.problems or result.form is None:
        return 1
    args.output.mkdir(parents=True, exist_ok=True)
    meta = result.form["x-form"]
    path = args.output / f"{meta['id']}.v{meta['version']}.json"
    path.write_text(json.dumps(result.form, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(f"{'written' if args.lang == 'en' else '已写入'} {path}")
    return 0
