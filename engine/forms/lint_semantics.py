"""Rules about what a form means: labels, references, scores and bands.

They run once the document is valid JSON Schema and its vocabulary is well formed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from engine.forms.form import score_rule
from engine.forms.problems import Problem, pointer, suggestion
from engine.forms.vocabulary import WIDGETS, option_key, options_of

_BRANCHES = ("allOf", "anyOf", "oneOf")
_SINGLE = ("not", "if", "then", "else")


def _objects(node: Any, at: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every subschema that declares properties, with its pointer."""
    if not isinstance(node, dict):
        return
    if isinstance(node.get("properties"), dict):
        yield at, node
        for name, sub in node["properties"].items():
            yield from _objects(sub, at + pointer("properties", name))
    for key in ("items", *_SINGLE, "additionalProperties"):
        yield from _objects(node.get(key), at + pointer(key))
    for key in (*_BRANCHES, "prefixItems"):
        for i, sub in enumerate(node.get(key, []) if isinstance(node.get(key), list) else []):
            yield from _objects(sub, at + pointer(key, i))
    for name, sub in (node.get("$defs") or {}).items():
        yield from _objects(sub, at + pointer("$defs", name))


def declared_names(node: dict[str, Any]) -> set[str]:
    """Field names an object declares, including those in its conditional branches."""
    names = set(node.get("properties", {}))
    for key in _BRANCHES:
        for sub in node.get(key, []):
            if isinstance(sub, dict):
                names |= declared_names(sub)
    for key in ("then", "else"):
        if isinstance(node.get(key), dict):
            names |= declared_names(node[key])
    return names


def referenced_names(condition: Any) -> list[str]:
    """Field names a condition fragment talks about, at the level of the object it tests."""
    names: dict[str, None] = {}

    def collect(node: Any) -> None:
        if not isinstance(node, dict):
            return
        names.update(dict.fromkeys(node.get("properties", {})))
        names.update(dict.fromkeys(n for n in node.get("required", []) if isinstance(n, str)))
        for key in _BRANCHES:
            for sub in node.get(key, []):
                collect(sub)
        for key in _SINGLE:
            collect(node.get(key))

    collect(condition)
    return list(names)


class _Checker:
    def __init__(self, doc: dict[str, Any], file: str) -> None:
        self.doc = doc
        self.file = file
        self.languages = doc["x-form"].get("languages", ["zh-CN", "en"])
        self.fields = set(doc.get("properties", {}))
        self.problems: list[Problem] = []

    def add(self, code: str, at: str, **params: Any) -> None:
        self.problems.append(Problem(code, self.file, at, params))

    def text(self, value: Any, at: str, what: str, **extra: Any) -> None:
        for lang in self.languages:
            if not isinstance(value, dict) or not value.get(lang, "").strip():
                self.add("missing-label", at, language=lang, what=what, **extra)

    def unique(self, items: list[Any], at: str) -> None:
        first: dict[str, str] = {}
        for i, item in enumerate(items):
            where = at + pointer(i, "id")
            if item["id"] in first:
                self.add("duplicate-id", where, id=item["id"], first=first[item["id"]])
            else:
                first[item["id"]] = where

    def field_ref(self, name: str, at: str, what: str, known: set[str] | None = None) -> None:
        known = self.fields if known is None else known
        if name not in known:
            self.add("unknown-field", at, field=name, what=what, suggestion=suggestion(name, known))


_CONDITIONS = {"if", "not", "contains", "propertyNames"}


def _in_condition(at: str) -> bool:
    """A subschema inside a condition (`if`, `not`…): it tests answers, it declares no field."""
    return any(part in _CONDITIONS for part in at.split("/"))


def _fields(c: _Checker) -> None:
    for at, obj in _objects(c.doc):
        if _in_condition(at):
            continue
        known = declared_names(obj)
        for name, field in obj["properties"].items():
            if not isinstance(field, dict):
                continue
            where = at + pointer("properties", name)
            if "x-label" in field:
                c.text(field.get("x-label"), where + "/x-label", "lint.what.label")
            else:  # a schema from elsewhere: its title, else the name, shown as the label
                title = field.get("title")
                c.problems.append(Problem(
                    "label-fallback", c.file, where,
                    {"name": name, "shown": title if isinstance(title, str) else name},
                    warning=True,
                ))  # fmt: skip
            if "x-help" in field:
                c.text(field["x-help"], where + "/x-help", "lint.what.help")
            _options(c, field, where)
            _widget(c, field, where)
            for ref in referenced_names(field.get("x-visible-if")):
                c.field_ref(ref, where + "/x-visible-if", "lint.what.visible-if", known)


def _options(c: _Checker, field: dict[str, Any], at: str) -> None:
    options = options_of(field)
    if options is None or field.get("type") == "boolean" or "x-options" not in field:
        return  # without x-options at all: the values (or their titles) are shown
    labels = field.get("x-options", {})
    for option in options:
        key = option_key(option)
        c.text(labels.get(key), at + pointer("x-options", key), "lint.what.option", option=key)


def _widget(c: _Checker, field: dict[str, Any], at: str) -> None:
    widget = field.get("x-widget")
    if widget is None:
        return
    if widget not in WIDGETS:
        c.add("unknown-widget", at + "/x-widget", widget=widget, known=", ".join(WIDGETS))
        return
    kind = "enum" if "enum" in field else field.get("type")
    if isinstance(kind, str) and kind not in WIDGETS[widget]:
        c.add("widget-mismatch", at + "/x-widget", widget=widget, kind=kind)


def _sections(c: _Checker) -> None:
    sections = c.doc.get("x-sections")
    if sections is None:
        return
    c.unique(sections, "/x-sections")
    placed: set[str] = set()
    for i, section in enumerate(sections):
        c.text(section["label"], pointer("x-sections", i, "label"), "lint.what.label")
        for j, name in enumerate(section["fields"]):
            where = pointer("x-sections", i, "fields", j)
            c.field_ref(name, where, "lint.what.section")
            if name in placed:
                c.add("field-in-two-sections", where, field=name)
            placed.add(name)
    for name in c.doc.get("properties", {}):
        if name not in placed:
            c.add("field-not-in-section", pointer("properties", name), field=name)


def _scores(c: _Checker) -> None:
    domains = {d["id"] for d in c.doc.get("x-domains", [])}
    for name, field in c.doc.get("properties", {}).items():
        if not isinstance(field, dict) or "x-score" not in field:
            continue
        at = pointer("properties", name, "x-score")
        rule = field["x-score"]
        domain = rule.get("domain")
        if domain is not None and domain not in domains:
            c.add(
                "unknown-domain",
                at + "/domain",
                domain=domain,
                suggestion=suggestion(domain, domains),
            )
        options = options_of(field)
        if options is None:
            c.add("score-without-options", at)
            continue
        keys = [option_key(o) for o in options]
        unknown = {option_key(u) for u in rule.get("unknown", [])}
        for key in keys:
            if key not in rule["points"] and key not in unknown:
                c.add("missing-score", at + "/points", option=key)
        for key in rule["points"]:
            if key not in keys:
                c.add("extra-score", at + pointer("points", key), option=key)


def _score_range(doc: dict[str, Any], domain: str | None = None) -> tuple[int, int]:
    rules = [
        score_rule(f["x-score"])
        for f in doc.get("properties", {}).values()
        if isinstance(f, dict) and "x-score" in f
    ]
    rules = [r for r in rules if domain is None or r.domain == domain]
    return sum(r.low for r in rules), sum(r.high for r in rules)


def _band_list(c: _Checker, bands: list[dict[str, Any]], at: str, low: int, high: int) -> None:
    c.unique(bands, at)
    for i, band in enumerate(bands):
        c.text(band["label"], at + pointer(i, "label"), "lint.what.label")
        if band["min"] is not None and band["max"] is not None and band["min"] > band["max"]:
            c.add("band-order", at + pointer(i), band=band["id"], min=band["min"], max=band["max"])
    for i in range(len(bands) - 1):
        upper, lower = bands[i], bands[i + 1]
        if upper["min"] is None or lower["max"] is None:
            c.add(
                "band-overlap",
                at + pointer(i + 1),
                upper=upper["id"],
                lower=lower["id"],
                low=lower["min"],
                high=upper["max"],
            )
            continue
        if lower["max"] < upper["min"] - 1:
            c.add(
                "band-gap",
                at + pointer(i + 1, "max"),
                upper=upper["id"],
                lower=lower["id"],
                low=lower["max"] + 1,
                high=upper["min"] - 1,
            )
        elif lower["max"] > upper["min"] - 1:
            c.add(
                "band-overlap",
                at + pointer(i + 1, "max"),
                upper=upper["id"],
                lower=lower["id"],
                low=upper["min"],
                high=lower["max"],
            )
    top, bottom = bands[0], bands[-1]
    if top["max"] is not None and top["max"] < high:
        c.add("band-coverage", at + pointer(0, "max"), low=low, high=high, detail="lint.band-top")
    if bottom["min"] is not None and bottom["min"] > low:
        c.add(
            "band-coverage",
            at + pointer(len(bands) - 1, "min"),
            low=low,
            high=high,
            detail="lint.band-bottom",
        )


def _bands(c: _Checker) -> None:
    if "x-bands" in c.doc:
        low, high = _score_range(c.doc)
        _band_list(c, c.doc["x-bands"], "/x-bands", low, high)
    domains = c.doc.get("x-domains", [])
    c.unique(domains, "/x-domains")
    for i, domain in enumerate(domains):
        c.text(domain["label"], pointer("x-domains", i, "label"), "lint.what.label")
        if "bands" in domain:
            low, high = _score_range(c.doc, domain["id"])
            _band_list(c, domain["bands"], pointer("x-domains", i, "bands"), low, high)


def _red_flags(c: _Checker) -> None:
    flags = c.doc.get("x-red-flags", [])
    c.unique(flags, "/x-red-flags")
    bands = {b["id"] for b in c.doc.get("x-bands", [])}
    for i, flag in enumerate(flags):
        at = pointer("x-red-flags", i)
        c.text(flag["label"], at + "/label", "lint.what.label")
        for name in referenced_names(flag["when"]):
            c.field_ref(name, at + "/when", "lint.what.red-flag", declared_names(c.doc))
        if "band" in flag and flag["band"] not in bands:
            c.add("unknown-band", at + "/band", band=flag["band"])


def _needs(c: _Checker) -> None:
    needs = c.doc.get("x-needs", [])
    c.unique(needs, "/x-needs")
    for i, need in enumerate(needs):
        at = pointer("x-needs", i)
        c.text(need["label"], at + "/label", "lint.what.label")
        for j, name in enumerate(need["items"]):
            c.field_ref(name, at + pointer("items", j), "lint.what.need")
        for j, service in enumerate(need.get("services", [])):
            c.text(service, at + pointer("services", j), "lint.what.service")
    for j, name in enumerate(c.doc.get("x-strengths", [])):
        c.field_ref(name, pointer("x-strengths", j), "lint.what.strength")


def semantic_problems(doc: dict[str, Any], file: str) -> list[Problem]:
    c = _Checker(doc, file)
    c.text(doc["x-form"].get("title"), "/x-form/title", "lint.what.title")
    for rule in (_fields, _sections, _scores, _bands, _red_flags, _needs):
        rule(c)
    return c.problems
