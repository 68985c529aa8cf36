"""The survey, choices and settings sheets (and our own domains, bands and red_flags sheets)
turned into a careforms form definition."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.forms.lint import lint_form
from engine.forms.problems import Problem
from engine.forms.xlsform.expressions import Untranslatable, condition, constraint
from engine.forms.xlsform.sheets import Row, Sheet, SheetProblem, read_workbook

SCHEMA = "https://json-schema.org/draft/2020-12/schema"
ORDER = ("zh-CN", "en")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_YES = {"yes", "true", "1", "true()"}
# XLSForm types careforms leaves out (with a warning): metadata, media, geo, computed.
_SKIPPED = {
    "start", "end", "today", "deviceid", "username", "phonenumber", "simserial", "subscriberid",
    "audit", "calculate", "hidden", "geopoint", "geotrace", "geoshape", "image", "audio",
    "video", "file", "barcode", "range", "rank", "acknowledge", "background-audio", "time",
    "datetime",
}  # fmt: skip
_SCALARS: dict[str, dict[str, Any]] = {
    "text": {"type": "string"},
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "date": {"type": "string", "format": "date", "x-widget": "date"},
}


@dataclass
class ImportResult:
    form: dict[str, Any] | None
    problems: list[SheetProblem | Problem] = field(default_factory=list)
    warnings: list[SheetProblem] = field(default_factory=list)


@dataclass
class _Scope:
    """An object being filled: the form itself, or the item of a repeat."""

    properties: dict[str, Any] = field(default_factory=dict)
    required: list[str] = field(default_factory=list)
    repeat: str | None = None


class _Builder:
    def __init__(self, file: str, sheets: dict[str, Sheet]) -> None:
        self.file = file
        self.sheets = sheets
        self.problems: list[SheetProblem | Problem] = []
        self.warnings: list[SheetProblem] = []
        self.default = "zh-CN"
        self.languages: list[str] = []
        self.choices: dict[str, list[Row]] = {}
        self.options: dict[str, list[Any]] = {}

    def fail(
        self, code: str, sheet: str, row: Row | None, column: str | None, **params: Any
    ) -> None:
        where = row.column(column) if row is not None and column else column
        self.problems.append(
            SheetProblem(code, self.file, sheet, row.number if row else None, where, params)
        )

    def warn(self, code: str, sheet: str, row: Row, column: str | None, **params: Any) -> None:
        where = row.column(column) if column else None
        self.warnings.append(SheetProblem(code, self.file, sheet, row.number, where, params))

    # -- texts in several languages ------------------------------------------------------
    def text(self, sheet: Sheet, row: Row, base: str, fallback: str = "") -> dict[str, str]:
        found: dict[str, str] = {}
        for header, language in sheet.localised(base).items():
            value = row.text(header)
            if value:
                found[language or self.default] = value
        found = {k: v for k, v in found.items() if k in ORDER}
        if not found:
            return {lang: fallback for lang in self.languages} if fallback else {}
        for lang in self.languages:
            if lang not in found:
                other = next(iter(found.values()))
                self.warn("missing-language", sheet.name, row, base, language=lang, text=other)
                found[lang] = other
        return {lang: found[lang] for lang in self.languages}

    def detect_languages(self) -> None:
        settings = self.sheets.get("settings")
        if settings and settings.rows:
            default = settings.rows[0].text("default_language")
            if default:
                from engine.forms.xlsform.sheets import language_of

                self.default = language_of(default)
        seen: set[str] = set()
        for sheet in self.sheets.values():
            for base in ("label", "form_title"):
                seen |= {lang or self.default for lang in sheet.localised(base).values()}
        self.languages = [lang for lang in ORDER if lang in seen] or [self.default]

    # -- choices -------------------------------------------------------------------------
    def read_choices(self) -> None:
        sheet = self.sheets.get("choices")
        for row in sheet.rows if sheet else []:
            list_name = row.text("list_name") or row.text("list name")
            if not list_name:
                self.fail("missing-cell", sheet.name if sheet else "choices", row, "list_name")
                continue
            if not row.text("name"):
                self.fail("missing-cell", "choices", row, "name")
                continue
            self.choices.setdefault(list_name, []).append(row)

    @staticmethod
    def value(name: str) -> Any:
        """A choice's value: whole numbers as numbers (rating scales score by them)."""
        return int(name) if re.fullmatch(r"-?\d+", name) else name

    def select(self, row: Row, list_name: str, many: bool) -> dict[str, Any] | None:
        rows = self.choices.get(list_name)
        if not rows:
            self.fail("unknown-list", "survey", row, "type", list=list_name)
            return None
        sheet = self.sheets["choices"]
        values = [self.value(r.text("name")) for r in rows]
        labels = {r.text("name"): self.text(sheet, r, "label", r.text("name")) for r in rows}
        options = {"enum": values} if not many else {}
        schema: dict[str, Any] = (
            {"type": "array", "items": {"enum": values}, "uniqueItems": True,
             "x-widget": "checkboxes"}
            if many else {**options, "x-widget": "radio"}
        )  # fmt: skip
        schema["x-options"] = labels
        scores = [(r, r.text("score")) for r in rows if "score" in r.cells]
        if scores:
            points: dict[str, int] = {}
            unknown: list[Any] = []
            for r in rows:
                cell = r.text("score")
                if cell.lower() == "unknown":
                    unknown.append(self.value(r.text("name")))
                elif re.fullmatch(r"-?\d+", cell):
                    points[r.text("name")] = int(cell)
                else:
                    self.fail("bad-score", "choices", r, "score", value=cell)
            rule: dict[str, Any] = {"points": points}
            if unknown:
                rule["unknown"] = unknown
            if row.text("score_domain"):
                rule["domain"] = row.text("score_domain")
            if many:
                rule["combine"] = "max"
            schema["x-score"] = rule
        return schema

    # -- survey --------------------------------------------------------------------------
    def coerce(self, item: str, literal: Any) -> Any:
        numeric = isinstance(literal, str) and re.fullmatch(r"-?\d+", literal) is not None
        if numeric and item in self.options and int(literal) in self.options[item]:
            return int(literal)
        return literal

    def survey(self) -> dict[str, Any]:
        sheet = self.sheets["survey"]
        root = _Scope()
        scopes = [root]
        sections: list[dict[str, Any]] = []
        loose: list[str] = []
        groups: list[tuple[Row, dict[str, Any] | None, str]] = []  # (row, condition, kind)
        for row in sheet.rows:
            kind, list_name = self.kind(row.text("type"))
            name = row.text("name")
            if not kind:
                self.fail("missing-cell", "survey", row, "type")
                continue
            if kind in ("end group", "end repeat"):
                if not groups or groups[-1][2] != kind.split()[1]:
                    self.fail("unmatched-end", "survey", row, "type", type=kind)
                    continue
                _, _, closed = groups.pop()
                if closed == "repeat":
                    scopes.pop()
                continue
            if kind == "note":
                text = self.text(sheet, row, "label")
                if sections and text:
                    help_text = sections[-1].setdefault("help", {})
                    for lang, value in text.items():
                        help_text[lang] = (help_text.get(lang, "") + "\n" + value).strip()
                else:
                    self.warn("note-left-out", "survey", row, "type")
                continue
            if kind in _SKIPPED or "from file" in kind:
                code = "calculation" if kind.startswith("calculate") else "unsupported-type"
                self.warn(code, "survey", row, "calculation" if code == "calculation" else "type",
                          type=kind)  # fmt: skip
                continue
            if not name or not _NAME.match(name):
                self.fail("bad-name", "survey", row, "name", name=name)
                continue
            relevant = self.relevance(row)
            inherited = [c for _, c, _ in groups if c is not None]
            if kind == "begin group":
                groups.append((row, relevant, "group"))
                if len(groups) == 1 and len(scopes) == 1:
                    label = self.text(sheet, row, "label", name)
                    sections.append({"id": name, "label": label, "fields": []})
                continue
            if kind == "begin repeat":
                scope = scopes[-1]
                if name in scope.properties:
                    self.fail("duplicate-name", "survey", row, "name", name=name)
                item: dict[str, Any] = {"type": "object", "properties": {}}
                field_schema = {"type": "array", "items": item, "x-widget": "group",
                                "x-label": self.text(sheet, row, "label", name)}  # fmt: skip
                self.place(field_schema, inherited + ([relevant] if relevant else []), row)
                scope.properties[name] = field_schema
                self.in_section(name, scopes, groups, sections, loose)
                scopes.append(_Scope(item["properties"], [], name))
                groups.append((row, None, "repeat"))
                item["__required__"] = scopes[-1].required
                continue
            schema = self.item(row, kind, list_name, name, sheet)
            if schema is None:
                continue
            self.place(schema, inherited + ([relevant] if relevant else []), row)
            scope = scopes[-1]
            if name in scope.properties:
                self.fail("duplicate-name", "survey", row, "name", name=name)
                continue
            if scope.repeat and "x-score" in schema:
                self.warn("score-in-repeat", "survey", row, "type")
                del schema["x-score"]
            scope.properties[name] = schema
            if row.text("required").lower() in _YES:
                scope.required.append(name)
            self.in_section(name, scopes, groups, sections, loose)
        for row, _, kind in groups:
            self.fail("unclosed", "survey", row, "type", type=f"begin {kind}")
        if loose:
            sections.insert(0, {"id": "main", "label": {}, "fields": loose})
        self.finish_repeats(root.properties)
        return {"properties": root.properties, "required": root.required, "sections": sections}

    @staticmethod
    def kind(text: str) -> tuple[str, str]:
        """("select one", "yes_no") from `select_one yes_no` or `select one yes_no`;
        ("begin group", "") from `begin_group` or `begin group`."""
        words = text.split()
        if not words:
            return "", ""
        head = words[0].lower().replace("_", " ")
        rest = words[1:]
        if head in ("select", "begin", "end") and rest:
            head, rest = f"{head} {rest[0].lower()}", rest[1:]
        return head, " ".join(rest)

    @staticmethod
    def in_section(
        name: str,
        scopes: list[_Scope],
        groups: list[tuple[Row, dict[str, Any] | None, str]],
        sections: list[dict[str, Any]],
        loose: list[str],
    ) -> None:
        if len(scopes) > 1:
            return  # an item of a repeat belongs to the repeat
        inside = bool(groups) and groups[0][2] == "group" and bool(sections)
        (sections[-1]["fields"] if inside else loose).append(name)

    def finish_repeats(self, properties: dict[str, Any]) -> None:
        for schema in properties.values():
            item = schema.get("items") if isinstance(schema, dict) else None
            if isinstance(item, dict) and "__required__" in item:
                required = item.pop("__required__")
                if required:
                    item["required"] = required
                self.finish_repeats(item["properties"])

    def relevance(self, row: Row) -> dict[str, Any] | None:
        expression = row.text("relevant")
        if not expression:
            return None
        try:
            return condition(expression, self.coerce)
        except Untranslatable as exc:
            self.warn("untranslated", "survey", row, "relevant", detail=str(exc))
            return None

    def place(self, schema: dict[str, Any], conditions: list[dict[str, Any]], row: Row) -> None:
        if conditions:
            schema["x-visible-if"] = (
                conditions[0] if len(conditions) == 1 else {"allOf": conditions}
            )

    def item(
        self, row: Row, kind: str, list_name: str, name: str, sheet: Sheet
    ) -> dict[str, Any] | None:
        schema: dict[str, Any] | None
        if kind in _SCALARS and not list_name:
            schema = dict(_SCALARS[kind])
        elif kind in ("select one", "select multiple"):
            if not list_name:
                self.fail("unknown-list", "survey", row, "type", list="")
                return None
            schema = self.select(row, list_name, kind == "select multiple")
            if schema is None:
                return None
            self.options[name] = [self.value(r.text("name")) for r in self.choices[list_name]]
        else:
            self.fail("unknown-type", "survey", row, "type", type=row.text("type"))
            return None
        schema["x-label"] = self.text(sheet, row, "label", name)
        hint = self.text(sheet, row, "hint")
        if hint:
            schema["x-help"] = hint
        rule = row.text("constraint")
        if rule:
            try:
                keywords = constraint(rule, self.coerce)
                clash = set(keywords) & set(schema)
                schema.update(keywords) if not clash else schema.setdefault("allOf", []).append(
                    keywords
                )
            except Untranslatable as exc:
                self.warn("untranslated", "survey", row, "constraint", detail=str(exc))
        if row.text("calculation"):
            self.warn("calculation", "survey", row, "calculation", type=kind)
        return schema

    # -- our own sheets ------------------------------------------------------------------
    def named_rows(self, sheet_name: str) -> list[Row]:
        sheet = self.sheets.get(sheet_name)
        return sheet.rows if sheet else []

    def domains(self) -> list[dict[str, Any]]:
        sheet = self.sheets.get("domains")
        return [
            {"id": r.text("name"), "label": self.text(sheet, r, "label", r.text("name"))}
            for r in self.named_rows("domains")
            if sheet
        ]

    def bands(self) -> list[dict[str, Any]]:
        sheet = self.sheets.get("bands")
        out = []
        for r in self.named_rows("bands"):
            band: dict[str, Any] = {"id": r.text("name"), "color": r.text("color") or "#808080"}
            band["label"] = self.text(sheet, r, "label", r.text("name")) if sheet else {}
            for key in ("min", "max"):
                cell = r.text(key)
                if cell and not re.fullmatch(r"-?\d+", cell):
                    self.fail("bad-score", "bands", r, key, value=cell)
                band[key] = int(cell) if re.fullmatch(r"-?\d+", cell) else None
            out.append(band)
        return out

    def red_flags(self) -> list[dict[str, Any]]:
        sheet = self.sheets.get("red_flags")
        out = []
        for r in self.named_rows("red_flags"):
            try:
                when = condition(r.text("condition"), self.coerce)
            except Untranslatable as exc:
                self.fail("bad-expression", "red_flags", r, "condition", detail=str(exc))
                continue
            flag: dict[str, Any] = {"id": r.text("name"), "when": when}
            flag["label"] = self.text(sheet, r, "label", r.text("name")) if sheet else {}
            if r.text("band"):
                flag["band"] = r.text("band")
            out.append(flag)
        return out

    def build(self) -> dict[str, Any] | None:
        if "survey" not in self.sheets:
            self.problems.append(SheetProblem("no-survey", self.file, "survey"))
            return None
        self.detect_languages()
        self.read_choices()
        settings = self.sheets.get("settings")
        first = settings.rows[0] if settings and settings.rows else None
        form_id = (first.text("form_id") if first else "") or Path(self.file).stem.lower()
        form_id = re.sub(r"[^a-z0-9-]+", "-", form_id.lower()).strip("-") or "form"
        version_text = first.text("version") if first else ""
        version = int(version_text) if version_text.isdigit() and int(version_text) > 0 else 1
        if version_text and not version_text.isdigit() and first is not None:
            self.warn("bad-version", "settings", first, "version", value=version_text)
        title = (self.text(settings, first, "form_title") if settings and first else {}) or {
            lang: form_id for lang in self.languages
        }
        built = self.survey()
        for section in built["sections"]:
            section["label"] = section["label"] or title
        doc: dict[str, Any] = {
            "$schema": SCHEMA,
            "x-form": {"id": form_id, "version": version, "title": title,
                       "languages": self.languages},
            "type": "object",
            "properties": built["properties"],
        }  # fmt: skip
        kind = first.text("kind") if first else ""
        if kind:
            doc["x-form"]["kind"] = kind
        if built["required"]:
            doc["required"] = built["required"]
        if built["sections"]:
            doc["x-sections"] = built["sections"]
        for key, value in (("x-domains", self.domains()), ("x-bands", self.bands()),
                           ("x-red-flags", self.red_flags())):  # fmt: skip
            if value:
                doc[key] = value
        return doc


def import_xlsform(path: Path) -> ImportResult:
    """The form an XLSForm spreadsheet describes, checked like any form file."""
    sheets, problems = read_workbook(path)
    if problems or not sheets:
        return ImportResult(
            None, list(problems) or [SheetProblem("no-survey", str(path), "survey")]
        )
    builder = _Builder(str(path), sheets)
    doc = builder.build()
    result = ImportResult(doc, builder.problems, builder.warnings)
    if doc is not None and not result.problems:
        result.problems += lint_form(doc, str(path))
    if result.problems:
        result.form = None
    return result
