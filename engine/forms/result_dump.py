"""Results as JSON for many assessments at once (a migration re-scores thousands).

`Classification.model_dump(mode="json")` serialises every part of every result. But the
parts — bands, domain scores, contributions, reasons — are shared records that the
classification keeps per form, so one batch meets the same few hundred again and again: here
each is serialised once per batch. The dicts returned share those parts: write them out, do
not edit them in place.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from engine.forms.results import Classification


class ResultDumper:
    def __init__(self) -> None:
        # by identity, with the object itself kept so that its id is never reused meanwhile
        self._seen: dict[int, tuple[BaseModel, Any]] = {}

    def part(self, record: BaseModel | None) -> Any:
        if record is None:
            return None
        hit = self._seen.get(id(record))
        if hit is not None and hit[0] is record:
            return hit[1]
        dumped = record.model_dump(mode="json")
        self._seen[id(record)] = (record, dumped)
        return dumped

    def classification(self, result: Classification) -> dict[str, Any]:
        """The same as `result.model_dump(mode="json")`."""
        part = self.part
        return {
            "form_id": result.form_id,
            "form_version": result.form_version,
            "form_digest": result.form_digest,
            "band": part(result.band),
            "score_band": part(result.score_band),
            "total": result.total,
            "low": result.low,
            "high": result.high,
            "domains": [part(d) for d in result.domains],
            "red_flags": [part(f) for f in result.red_flags],
            "override": None
            if result.override is None
            else result.override.model_dump(mode="json"),
            "unknown": [part(u) for u in result.unknown],
            "contributions": [part(c) for c in result.contributions],
            "reasons": [part(r) for r in result.reasons],
        }
