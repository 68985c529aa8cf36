"""What the engine returns: pydantic models that explain themselves in every language."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from engine.forms.i18n import DEFAULT_LANGUAGE, pick

Text = dict[str, str]


class Record(BaseModel):
    """Results are records of what the engine decided: immutable once made."""

    model_config = ConfigDict(frozen=True)


class BandRef(Record):
    id: str
    label: Text
    color: str


class DomainScore(Record):
    id: str
    label: Text
    score: int
    low: int
    high: int
    band: BandRef | None = None


class Contribution(Record):
    """One answer that added points."""

    field: str
    label: Text
    answer: Any
    answer_label: Text | None = None
    points: int
    domain: str | None = None


class UnknownAnswer(Record):
    field: str
    label: Text


class FiredFlag(Record):
    id: str
    label: Text
    band: str


class Override(Record):
    """A discretionary override asked for by a worker."""

    to_band: str
    reason: str
    by: str
    at: datetime | None = None


class OverrideRecord(Record):
    from_band: str
    to_band: str
    reason: str
    by: str
    at: datetime | None = None


class Reason(Record):
    kind: Literal["threshold", "red_flag", "override", "unknown"]
    text: Text
    fields: list[str] = Field(default_factory=list)


class Classification(Record):
    """The band of one assessment and why."""

    form_id: str
    form_version: int
    form_digest: str
    band: BandRef | None
    score_band: BandRef | None
    total: int
    low: int
    high: int
    domains: list[DomainScore]
    red_flags: list[FiredFlag]
    override: OverrideRecord | None = None
    unknown: list[UnknownAnswer]
    contributions: list[Contribution]
    reasons: list[Reason]

    def explain(self, lang: str = DEFAULT_LANGUAGE) -> list[str]:
        return [pick(r.text, lang) for r in self.reasons]


class NeedItem(Record):
    field: str
    label: Text
    rating: int
    rating_label: Text | None = None


class NeedResult(Record):
    id: str
    label: Text
    rating: int
    items: list[NeedItem]
    services: list[Text]


class Strength(Record):
    field: str
    label: Text
    rating: int
    rating_label: Text | None = None


class NeedsAssessment(Record):
    """Need categories (ratings at or above each category's threshold) and strengths."""

    form_id: str
    form_version: int
    categories: list[NeedResult]
    strengths: list[Strength]
