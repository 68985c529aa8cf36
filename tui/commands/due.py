"""`careforms due`: what is overdue or due soon, by village, on the command line."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any

from engine.casework.rules import RulesUnusable
from engine.casework.schedule import DueEntry, due_list
from engine.definitions import load_rules_file
from engine.forms.i18n import LocalText, first_word, pad, pick
from engine.forms.registry import FormRegistry, UnknownForm
from tui.case_files import each_case_summary
from tui.commands.common import UserError, open_store

_WORDS = {
    "zh-CN": {"overdue": "逾期 {n} 天", "due": "到期", "none": "未来 {days} 天内没有到期事项"},
    "en": {
        "overdue": "{n} days overdue",
        "due": "due",
        "none": "Nothing due in the next {days} days",
    },
}


def register(commands: Any) -> None:
    due = commands.add_parser("due", help="what is overdue or due in the next days, by village")
    due.add_argument("--days", type=int, default=14, help="look this many days ahead (default 14)")
    due.add_argument("--json", action="store_true", help="print JSON")
    due.add_argument("--on", type=date.fromisoformat, help="as on this date (default today)")
    due.add_argument("--district", help="only this district")
    due.add_argument("--rules", type=Path, help="a case-work rules file (default: built-in)")
    due.set_defaults(run=run_due)


def load_rules_or_explain(path: Path | None, lang: str) -> Any:
    try:
        return load_rules_file(path)
    except RulesUnusable as exc:
        raise UserError("\n".join(p.render(lang) for p in exc.problems)) from exc


def band_labels(form_id: str) -> dict[str, LocalText]:
    try:
        return {band.id: band.label for band in FormRegistry.load().get(form_id).bands}
    except UnknownForm:
        return {}


def entry_json(entry: DueEntry, today: date) -> dict[str, Any]:
    item = entry.item
    return {
        "child": entry.child,
        "name": entry.name,
        "township": entry.township,
        "village": entry.village,
        "band": entry.band,
        "rule": item.rule,
        "kind": item.kind,
        "due": item.due.isoformat(),
        "overdue_days": item.overdue_days(today),
        "since": item.since.isoformat() if item.since else None,
        "what": item.label,
        "because": item.because,
    }


def run_due(args: argparse.Namespace) -> int:
    if args.days < 0:
        raise UserError("--days may not be negative")
    rules = load_rules_or_explain(args.rules, args.lang)
    today = args.on or date.today()
    with open_store(args) as store:
        entries = due_list(each_case_summary(store, args.district), rules, today, args.days)
    if args.json:
        print(json.dumps([entry_json(e, today) for e in entries], ensure_ascii=False, indent=1))
        return 0
    words = _WORDS[args.lang]
    bands = band_labels(rules.band_form)
    if not entries:
        print(words["none"].format(days=args.days))
    place = None
    for entry in entries:
        if (entry.township, entry.village) != place:
            place = (entry.township, entry.village)
            print(f"\n{entry.township} {entry.village}".rstrip())
        item = entry.item
        late = item.overdue_days(today)
        when = words["overdue"].format(n=late) if late else words["due"]
        band = first_word(bands[entry.band], args.lang) if entry.band in bands else "-"
        print(
            f"  {item.due.isoformat()}  {pad(when, 18)}{pad(entry.name, 8)} {pad(band, 8)}"
            f"{pick(item.because, args.lang)}"
        )
    return 0
