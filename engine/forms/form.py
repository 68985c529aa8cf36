"""A form definition, parsed once and compiled once per version."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.forms.compiler import SchemaCompiler
from engine.forms.conditions import VISIBLE_IF
from engine.forms.i18n import LocalText, first_word
from engine.forms.json_values import Predicate, resolve_ref
from engine.forms.schema_checks import Check
from engine.forms.vocabulary import option_key, options_of


def digest_of(document: Any) -> str:
    """Identifies a definition's content: the same JSON, the same digest."""
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(canonical).hexdigest()


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a form version came from: `built-in`, `published` (from the server) or `folder`."""

    kind: str
    where: str  # the file, or the server database it was published in
    arrived: str | None = None  # when a published version reached this laptop (ISO time)


@dataclass(frozen=True, slots=True)
class Band:
    id: str
    label: LocalText
    color: str
    min: int | None
    max: int | None

    def contains(self, total: int) -> bool:
        return (self.min is None or total >= self.min) and (self.max is None or total <= self.max)

    def word(self, lang: str) -> str:
        """The label's first word ("红色" of "红色 高风险"): what tables and lists show."""
        return first_word(self.label, lang)


@dataclass(frozen=True, slots=True)
class ScoreRule:
    domain: str | None
    points: dict[str, int]
    unknown: frozenset[str]
    combine: str  # "max" or "sum", for multi-select fields
    low: int  # the least and most this item can add to a total
    high: int
    by_integer: dict[int, int]  # points of integer options, for a quick lookup


@dataclass(frozen=True, slots=True)
class Field:
    """A top-level item of the form."""

    name: str
    schema: dict[str, Any]
    label: LocalText
    help: LocalText | None
    options: list[Any] | None
    option_labels: dict[str, LocalText]
    score: ScoreRule | None
    visible: Predicate | None
    required: bool

    def option_label(self, value: Any) -> LocalText | None:
        return self.option_labels.get(option_key(value))


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    label: LocalText
    fields: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Domain:
    id: str
    label: LocalText
    bands: tuple[Band, ...]


@dataclass(frozen=True, slots=True)
class RedFlag:
    id: str
    label: LocalText
    holds: Predicate
    band: str | None


@dataclass(frozen=True, slots=True)
class OverridePolicy:
    steps: int = 1
    reason_required: bool = True
    lower_with_red_flag: bool = False


@dataclass(frozen=True, slots=True)
class NeedCategory:
    id: str
    label: LocalText
    items: tuple[str, ...]
    threshold: int
    services: tuple[LocalText, ...]


def score_rule(raw: dict[str, Any]) -> ScoreRule:
    points = {k: int(v) for k, v in raw.get("points", {}).items()}
    combine = raw.get("combine", "max")
    values = list(points.values())
    if combine == "sum":
        low, high = sum(v for v in values if v < 0), sum(v for v in values if v > 0)
    else:  # an unanswered item scores 0, so 0 is always reachable
        low, high = min([0, *values]), max([0, *values])
    return ScoreRule(
        domain=raw.get("domain"),
        points=points,
        unknown=frozenset(option_key(u) for u in raw.get("unknown", [])),
        combine=combine,
        low=low,
        high=high,
        by_integer={int(k): v for k, v in points.items() if k.lstrip("-").isdigit()},
    )


def _bands(raw: list[dict[str, Any]] | None) -> tuple[Band, ...]:
    return tuple(
        Band(b["id"], b["label"], b.get("color", "#808080"), b.get("min"), b.get("max"))
        for b in raw or []
    )


class Form:
    """One version of one form: its schema, vocabulary and compiled validators."""

    def __init__(
        self, document: dict[str, Any], source: Path | None = None, origin: Origin | None = None
    ) -> None:
        meta = document["x-form"]
        self.document = document
        self.source = source
        self.origin = origin or Origin("folder", str(source) if source else "")
        self.id: str = meta["id"]
        self.version: int = meta["version"]
        self.title: LocalText = meta.get("title", {})
        self.languages: tuple[str, ...] = tuple(meta.get("languages", ("zh-CN", "en")))
        self.digest: str = digest_of(document)

        compiler = SchemaCompiler(document)
        self.check_final: Check = compiler.check(document)
        self.check_draft: Check = SchemaCompiler(document, enforce_required=False).check(document)

        required = set(document.get("required", []))
        self.fields: dict[str, Field] = {}
        for name, schema in document.get("properties", {}).items():
            schema = schema if isinstance(schema, dict) else {}
            score = schema.get("x-score")
            self.fields[name] = Field(
                name=name,
                schema=schema,
                label=schema.get("x-label", {"en": name}),
                help=schema.get("x-help"),
                options=options_of(schema),
                option_labels=dict(schema.get("x-options", {})),
                score=score_rule(score) if isinstance(score, dict) else None,
                visible=compiler.predicate(schema[VISIBLE_IF]) if VISIBLE_IF in schema else None,
                required=name in required,
            )
        self.scored: tuple[Field, ...] = tuple(f for f in self.fields.values() if f.score)
        # What scoring needs of each scored field, unpacked once.
        self.score_plan = tuple(
            (f, f.name, f.visible, f.score, f.score.by_integer) for f in self.scored if f.score
        )
        self.sections = tuple(
            Section(s["id"], s.get("label", {}), tuple(s.get("fields", [])))
            for s in document.get("x-sections", [])
        ) or (Section("main", self.title, tuple(self.fields)),)
        self.domains = tuple(
            Domain(d["id"], d.get("label", {}), _bands(d.get("bands")))
            for d in document.get("x-domains", [])
        )
        self.bands: tuple[Band, ...] = _bands(document.get("x-bands"))
        self._bands_by_id = {b.id: b for b in self.bands}
        self.red_flags = tuple(
            RedFlag(r["id"], r.get("label", {}), compiler.predicate(r["when"]), r.get("band"))
            for r in document.get("x-red-flags", [])
        )
        self.override = OverridePolicy(**document.get("x-override", {}))
        self.needs = tuple(
            NeedCategory(
                n["id"],
                n.get("label", {}),
                tuple(n.get("items", [])),
                n.get("threshold", 2),
                tuple(n.get("services", [])),
            )
            for n in document.get("x-needs", [])
        )
        self.strengths: tuple[str, ...] = tuple(document.get("x-strengths", []))
        # Things other modules derive from this form once and reuse (e.g. explanation parts).
        self.derived: dict[str, object] = {}
        rules = [f.score for f in self.scored if f.score]
        self.score_range: tuple[int, int] = (sum(r.low for r in rules), sum(r.high for r in rules))
        self.domain_ranges: dict[str, tuple[int, int]] = {
            d.id: (
                sum(r.low for r in rules if r.domain == d.id),
                sum(r.high for r in rules if r.domain == d.id),
            )
            for d in self.domains
        }

    @property
    def key(self) -> tuple[str, int]:
        return (self.id, self.version)

    def band(self, band_id: str) -> Band | None:
        return self._bands_by_id.get(band_id)

    def visible_fields(self, answers: dict[str, Any]) -> list[str]:
        return [n for n, f in self.fields.items() if f.visible is None or f.visible(answers)]

    def schema_at(self, pointer: str) -> dict[str, Any] | None:
        """The subschema of the answer a JSON pointer names (`/members/0/sex`), if any."""
        node: Any = self.document
        for part in pointer.lstrip("/").split("/") if pointer else []:
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(node, dict):
                return None
            node = (
                node.get("items")
                if part.isdigit() and "items" in node
                else (node.get("properties", {}).get(part))
            )
            if isinstance(node, dict) and "$ref" in node:
                try:
                    node = resolve_ref(self.document, node["$ref"])
                except LookupError:
                    return None
        return node if isinstance(node, dict) else None

    def label_at(self, pointer: str) -> LocalText | None:
        """The `x-label` of the field a JSON pointer into the answers names, if any."""
        node = self.schema_at(pointer) if pointer else None
        return node.get("x-label") if node else None

    def option_label_at(self, pointer: str, value: Any) -> LocalText | None:
        """The label of one option of the answer at `pointer` (`x-options`), if any."""
        node = self.schema_at(pointer)
        options = node.get("x-options") if node else None
        return options.get(option_key(value)) if isinstance(options, dict) else None

    def __repr__(self) -> str:
        return f"Form({self.id!r}, v{self.version})"
