"""The ledger (台账) a county asks for: one row per child, and counts by band, category and
village. Pure functions over case files; `spreadsheets` writes the tables."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from engine.casework.casefile import CaseFile, age_on, parse_date
from engine.casework.early_warning import early_warnings
from engine.casework.id_numbers import mask
from engine.casework.lifecycle import STATE_LABELS
from engine.casework.rules import CaseworkRules
from engine.casework.schedule import band_of, next_due
from engine.casework.spreadsheets import Table, count_table
from engine.forms.form import Form
from engine.forms.i18n import LocalText, pick

COLUMNS: dict[str, LocalText] = {
    "name": {"zh-CN": "姓名", "en": "Name"},
    "sex": {"zh-CN": "性别", "en": "Sex"},
    "age": {"zh-CN": "年龄", "en": "Age"},
    "id_number": {"zh-CN": "身份证号", "en": "ID number"},
    "categories": {"zh-CN": "儿童类别", "en": "Categories"},
    "township": {"zh-CN": "乡镇（街道）", "en": "Township"},
    "village": {"zh-CN": "村（社区）", "en": "Village"},
    "guardian": {"zh-CN": "监护人", "en": "Guardian"},
    "band": {"zh-CN": "风险等级", "en": "Band"},
    "last_assessment": {"zh-CN": "最近评估日期", "en": "Last assessment"},
    "next_due": {"zh-CN": "下次到期", "en": "Next due"},
    "due_what": {"zh-CN": "到期事项", "en": "What is due"},
    "overdue": {"zh-CN": "是否逾期", "en": "Overdue"},
    "overdue_days": {"zh-CN": "逾期天数", "en": "Days overdue"},
    "warnings": {"zh-CN": "预警", "en": "Warnings"},
    "state": {"zh-CN": "个案状态", "en": "Case state"},
}
WORDS: dict[str, LocalText] = {
    "ledger": {"zh-CN": "儿童台账", "en": "Ledger"},
    "counts": {"zh-CN": "统计", "en": "Counts"},
    "category": {"zh-CN": "类别 \\ 色级", "en": "Category \\ band"},
    "village": {"zh-CN": "乡镇 村 \\ 色级", "en": "Township village \\ band"},
    "none": {"zh-CN": "未评", "en": "not rated"},
    "total": {"zh-CN": "合计（人）", "en": "Total (children)"},
    "yes": {"zh-CN": "是", "en": "yes"},
    "no": {"zh-CN": "否", "en": "no"},
    "overdue": {"zh-CN": "其中逾期", "en": "of them overdue"},
}
NO_BAND = ""


@dataclass(frozen=True, slots=True)
class LedgerRow:
    child: str
    name: str
    sex: str  # the profile's code
    age: int | None
    id_number: str
    categories: tuple[str, ...]
    township: str
    village: str
    guardian: str
    guardian_relation: str
    band: str  # a band id, or NO_BAND
    last_assessment: date | None
    next_due: date | None
    due_what: LocalText | None
    overdue_days: int
    warnings: tuple[LocalText, ...]
    state: str


def ledger_row(case: CaseFile, rules: CaseworkRules, today: date, full_id: bool) -> LedgerRow:
    profile = case.profile
    number = str(profile.get("id_number") or "")
    item = next_due(case, rules, today)
    assessed = [o.on for o in case.finals() if o.kind == "assessment" and o.on is not None]
    return LedgerRow(
        child=case.id,
        name=case.name,
        sex=str(profile.get("sex", "")),
        age=age_on(parse_date(profile.get("birth_date")), today),
        id_number=number if full_id else mask(number) if number else "",
        categories=tuple(str(c) for c in profile.get("categories", []) if isinstance(c, str)),
        township=str(profile.get("township", "")),
        village=str(profile.get("village", "")),
        guardian=str(profile.get("guardian_name", "")),
        guardian_relation=str(profile.get("guardian_relation", "")),
        band=band_of(case, rules) or NO_BAND,
        last_assessment=max(assessed) if assessed else None,
        next_due=item.due if item else None,
        due_what=item.label if item else None,
        overdue_days=item.overdue_days(today) if item else 0,
        warnings=tuple(w.label for w in early_warnings(case, rules)),
        state=case.state,
    )


def ledger_rows(
    cases: Iterable[CaseFile], rules: CaseworkRules, today: date, *, full_id: bool = False
) -> list[LedgerRow]:
    """One row per child, by township, village, then name."""
    rows = [ledger_row(c, rules, today, full_id) for c in cases]
    return sorted(rows, key=lambda r: (r.township, r.village, r.name, r.child))


def _option(form: Form, field: str, code: str, lang: str) -> str:
    spec = form.fields.get(field)
    label = spec.option_label(code) if spec else None
    return pick(label, lang) if label else code


def _band_word(band_form: Form, band: str, lang: str) -> str:
    found = band_form.band(band) if band else None
    return found.word(lang) if found else pick(WORDS["none"], lang)


def ledger_tables(
    rows: list[LedgerRow], profile_form: Form, band_form: Form, lang: str
) -> list[Table]:
    """The ledger sheet and the counts sheet, in `lang`."""
    sheet = Table(pick(WORDS["ledger"], lang), [pick(COLUMNS[c], lang) for c in COLUMNS])
    band_column = list(COLUMNS).index("band")
    colours = {b.id: b.color for b in band_form.bands}
    yes, no = pick(WORDS["yes"], lang), pick(WORDS["no"], lang)
    for i, r in enumerate(rows):
        relation = _option(profile_form, "guardian_relation", r.guardian_relation, lang)
        guardian = f"{r.guardian}（{relation}）" if r.guardian and r.guardian_relation else (
            r.guardian or (relation if r.guardian_relation else "")
        )  # fmt: skip
        sheet.rows.append(
            [
                r.name,
                _option(profile_form, "sex", r.sex, lang) if r.sex else "",
                r.age,
                r.id_number,
                "、".join(_option(profile_form, "categories", c, lang) for c in r.categories),
                r.township,
                r.village,
                guardian,
                _band_word(band_form, r.band, lang),
                r.last_assessment,
                r.next_due,
                pick(r.due_what, lang) if r.due_what else "",
                yes if r.overdue_days else no,
                r.overdue_days or None,
                "；".join(pick(w, lang) for w in r.warnings),
                pick(STATE_LABELS.get(r.state, {"en": r.state}), lang),
            ]
        )
        if r.band in colours:
            sheet.fills[(i, band_column)] = colours[r.band]
    return [sheet, counts_table(rows, profile_form, band_form, lang)]


def counts_table(rows: list[LedgerRow], profile_form: Form, band_form: Form, lang: str) -> Table:
    """Children by category × band, then by village × band (with how many are overdue)."""
    bands = [(b.id, _band_word(band_form, b.id, lang)) for b in band_form.bands]
    bands.append((NO_BAND, pick(WORDS["none"], lang)))
    total = pick(WORDS["total"], lang)
    by_category = Counter((c, r.band) for r in rows for c in r.categories)
    categories = profile_form.fields["categories"].option_labels if profile_form else {}
    per_band = Counter(r.band for r in rows)
    category_table = count_table(
        pick(WORDS["counts"], lang),
        pick(WORDS["category"], lang),
        [(c, pick(label, lang)) for c, label in categories.items()],
        bands,
        lambda c, b: by_category[(c, b)],
        total,
        totals=[per_band[b] for b, _ in bands],
    )
    by_village = Counter((f"{r.township}\t{r.village}", r.band) for r in rows)
    late = Counter((r.township, r.village) for r in rows if r.overdue_days)
    places = sorted({(r.township, r.village) for r in rows})
    village_table = count_table(
        "",
        pick(WORDS["village"], lang),
        [(f"{t}\t{v}", f"{t} {v}".strip()) for t, v in places],
        bands,
        lambda p, b: by_village[(p, b)],
        total,
    )
    overdue = pick(WORDS["overdue"], lang)
    village_table.header.append(overdue)
    for (t, v), row in zip(places, village_table.rows, strict=False):
        row.append(late[(t, v)])
    village_table.rows[-1].append(sum(late.values()))
    category_table.rows += [[], village_table.header, *village_table.rows]
    return category_table
