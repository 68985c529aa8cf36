"""Service plans (一人一策): services, goals, the needs they answer, who does what, progress."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Service(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["individual", "group"]
    description: str = Field(min_length=1)
    needs: list[str] = Field(default_factory=list)  # need category ids it answers
    responsible: str = Field(min_length=1)
    start: date
    end: date | None = None

    @model_validator(mode="after")
    def _ends_after_start(self) -> Service:
        if self.end is not None and self.end < self.start:
            raise ValueError("a service cannot end before it starts")
        return self


class ProgressNote(BaseModel):
    model_config = ConfigDict(extra="forbid")

    at: datetime
    by: str
    note: str = Field(min_length=1)


class ServicePlan(BaseModel):
    """The body of a `plan:<child>:<uuid>` document (besides the common fields)."""

    model_config = ConfigDict(extra="ignore")

    goals: list[str] = Field(min_length=1)
    services: list[Service] = Field(min_length=1)
    progress: list[ProgressNote] = Field(default_factory=list)

    def with_progress(self, at: datetime, by: str, note: str) -> ServicePlan:
        return self.model_copy(
            update={"progress": [*self.progress, ProgressNote(at=at, by=by, note=note)]}
        )

    def answered_needs(self) -> set[str]:
        return {need for service in self.services for need in service.needs}
