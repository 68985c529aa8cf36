"""Every finished assessment of one form as a table, as ODK and Kobo export them: one row per
assessment with each item (option labels, or codes), scores per domain, total, band and any
override; the codes in a sheet of their own; repeating groups (family members) in a sheet
each, keyed by the assessment's id."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from engine.casework.casefile import Observation, parse_date
from engine.casework.spreadsheets import Table
from engine.forms.form import Field, Form
from engine.forms.i18n import LocalText, pick
from engine.forms.json_values import resolve_ref
from engine.forms.vocabulary import option_key

WORDS: dict[str, LocalText] = {
    "answers": {"zh-CN": "评估答案", "en": "answers"},
    "codes": {"zh-CN": "代码", "en": "codes"},
    "assessment": {"zh-CN": "评估编号", "en": "assessment"},
    "child": {"zh-CN": "儿童编号", "en": "child"},
    "name": {"zh-CN": "儿童姓名", "en": "child's name"},
    "village": {"zh-CN": "村（社区）", "en": "village"},
    "version": {"zh-CN": "表单版本", "en": "form version"},
    "observed_on": {"zh-CN": "评估日期", "en": "date"},
    "finalised_by": {"zh-CN": "完成人", "en": "finalised by"},
    "index": {"zh-CN": "序号", "en": "entry"},
    "total": {"zh-CN": "总分", "en": "total"},
    "band": {"zh-CN": "色级", "en": "band"},
    "score_band": {"zh-CN": "按分数的色级", "en": "band by score"},
    "override_to": {"zh-CN": "调整为", "en": "override to"},
    "override_reason": {"zh-CN": "调整理由", "en": "override reason"},
    "override_by": {"zh-CN": "调整人", "en": "override by"},
    "score": {"zh-CN": "得分：{label}", "en": "score: {label}"},
    "yes": {"zh-CN": "是", "en": "yes"},
    "no": {"zh-CN": "否", "en": "no"},
}


def _w(key: str, lang: str) -> str:
    return pick(WORDS[key], lang)


@dataclass(frozen=True, slots=True)
class Item:
    """A column: a field's name, its label and how its answers read."""

    name: str
    label: LocalText
    schema: dict[str, Any]
    option_labels: dict[str, LocalText] = dataclasses.field(
        init=False
    )  # found once, read every cell

    def __post_init__(self) -> None:
        labels = self.schema.get("x-options") or {}
        items = self.schema.get("items")
        if not labels and isinstance(items, dict):
            labels = items.get("x-options") or {}
        object.__setattr__(self, "option_labels", dict(labels))


def _object_items(form: Form, field: Field) -> dict[str, Any] | None:
    """The item schema of a repeating group (an array of objects), else None."""
    if field.schema.get("type") != "array":
        return None
    items = field.schema.get("items")
    if isinstance(items, dict) and "$ref" in items:
        items = resolve_ref(form.document, items["$ref"])
    return items if isinstance(items, dict) and items.get("type") == "object" else None


def _ordered_fields(form: Form) -> list[Field]:
    names = [n for s in form.sections for n in s.fields if n in form.fields]
    names += [n for n in form.fields if n not in names]
    return [form.fields[n] for n in names]


def _read(value: Any, item: Item, lang: str, codes: bool) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return value if codes else _w("yes" if value else "no", lang)
    if isinstance(value, list):
        return "、".join(str(_read(v, item, lang, codes)) for v in value)
    if isinstance(value, dict):
        import json

        return json.dumps(value, ensure_ascii=False)
    if item.schema.get("format") == "date" and isinstance(value, str):
        return parse_date(value) or value
    if not codes:
        label = item.option_labels.get(option_key(value))
        if label:
            return pick(label, lang)
    return value


def answers_tables(
    form: Form,
    observations: Iterable[Observation],
    children: dict[str, dict[str, Any]],
    lang: str,
    *,
    codes: bool = False,
) -> list[Table]:
    """The answers sheet (labels, or codes with `codes`), the codes sheet (unless `codes`),
    and one sheet per repeating group. `children` maps a child's uuid to its profile."""
    fields = _ordered_fields(form)
    groups = [(f, group) for f in fields if (group := _object_items(form, f)) is not None]
    group_names = {f.name for f, _ in groups}
    items = [Item(f.name, f.label, f.schema) for f in fields if f.name not in group_names]
    head = [_w(k, lang) for k in ("assessment", "child", "name", "village", "version",
                                  "observed_on", "finalised_by")]  # fmt: skip
    scores = [pick(WORDS["score"], lang).format(label=pick(d.label, lang)) for d in form.domains]
    tail = [_w(k, lang) for k in ("total", "band", "score_band", "override_to",
                                  "override_reason", "override_by")]  # fmt: skip
    header = head + [pick(i.label, lang) for i in items] + scores + tail
    main = Table(_w("codes" if codes else "answers", lang), header)
    code_sheet = Table(_w("codes", lang), head + [i.name for i in items] + scores + tail)
    group_tables = []
    for field, schema in groups:
        props = schema.get("properties", {})
        members = [Item(n, p.get("x-label", {"en": n}), p) for n, p in props.items()]
        table = Table(
            _sheet_name(pick(field.label, lang) or field.name),
            [_w("assessment", lang), _w("child", lang), _w("index", lang)]
            + [pick(m.label, lang) for m in members],
        )
        group_tables.append((field, members, table))
    for o in observations:
        profile = children.get(o.doc.get("child", ""), {})
        child = o.doc.get("child", "")
        first = [o.id, child, profile.get("name", ""), profile.get("village", ""),
                 o.form_version, o.on, o.doc.get("finalised_by")]  # fmt: skip
        classification = o.result.get("classification") or {}
        domains = {d.get("id"): d.get("score") for d in classification.get("domains", [])}
        override = classification.get("override") or {}
        last = [
            classification.get("total"),
            _band(form, classification.get("band"), lang),
            _band(form, classification.get("score_band"), lang),
            _band(form, {"id": override.get("to_band")}, lang) if override else None,
            override.get("reason"),
            override.get("by"),
        ]
        score_values = [domains.get(d.id) for d in form.domains]
        main.rows.append(
            first + [_read(o.answers.get(i.name), i, lang, codes) for i in items]
            + score_values + last
        )  # fmt: skip
        if not codes:
            code_sheet.rows.append(
                first + [_read(o.answers.get(i.name), i, lang, True) for i in items]
                + score_values + last
            )  # fmt: skip
        for field, members, table in group_tables:
            entries = o.answers.get(field.name)
            for n, entry in enumerate(entries if isinstance(entries, list) else [], start=1):
                if isinstance(entry, dict):
                    table.rows.append(
                        [o.id, o.doc.get("child", ""), n]
                        + [_read(entry.get(m.name), m, lang, codes) for m in members]
                    )
    tables = [main] + ([] if codes else [code_sheet])
    return tables + [t for _, _, t in group_tables]


def _sheet_name(text: str) -> str:
    return "".join("_" if ch in "[]:*?/\\" else ch for ch in text)[:31]


def _band(form: Form, band: Any, lang: str) -> str | None:
    if not isinstance(band, dict) or not band.get("id"):
        return None
    found = form.band(str(band["id"]))
    return found.word(lang) if found else str(band["id"])
