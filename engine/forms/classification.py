"""Four-colour classification: band by score, red flags, discretionary override, reasons."""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from engine.forms.form import Band, Field, Form
from engine.forms.messages import localised, message
from engine.forms.results import (
    BandRef,
    Classification,
    Contribution,
    DomainScore,
    FiredFlag,
    Override,
    OverrideRecord,
    Reason,
    UnknownAnswer,
)
from engine.forms.scoring import score
from engine.forms.vocabulary import option_key


class OverrideRefused(ValueError):
    """A discretionary override that the form's rules do not allow."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(message(code, "en", **params))

    def message(self, lang: str) -> str:
        return message(self.code, lang, **self.params)


def band_for(total: int, bands: tuple[Band, ...]) -> Band | None:
    """The band whose range holds `total` (bands are ordered from the top)."""
    for band in bands:
        if band.contains(total):
            return band
    if not bands:
        return None
    return bands[0] if bands[0].min is not None and total > bands[0].min else bands[-1]


class _Parts:
    """The pieces of explanations that depend only on the form, made once and reused.

    Results are frozen records, so one piece can be shared by many results.
    """

    def __init__(self, form: Form) -> None:
        self.form = form
        self.bands = {
            b.id: BandRef(id=b.id, label=dict(b.label), color=b.color) for b in form.bands
        }
        top = form.bands[0] if form.bands else None
        self.flags: dict[str, tuple[Band, FiredFlag, Reason]] = {}
        for flag in form.red_flags:
            forced = form.band(flag.band) if flag.band else top
            if forced is not None:
                self.flags[flag.id] = (
                    forced,
                    FiredFlag(id=flag.id, label=dict(flag.label), band=forced.id),
                    Reason(
                        kind="red_flag",
                        text=localised(
                            "reason.red_flag", flag=dict(flag.label), band=dict(forced.label)
                        ),
                    ),
                )
        self.unknown = {
            f.name: UnknownAnswer(field=f.name, label=dict(f.label)) for f in form.scored
        }
        self.rank = {b.id: i for i, b in enumerate(form.bands)}
        self._thresholds: dict[int, Reason] = {}
        self._unknown_texts: dict[int, dict[str, str]] = {}
        self.domains: dict[tuple[str, int], DomainScore] = {}
        self.contributions: dict[tuple[str, int | str], Contribution] = {}

    def threshold(self, total: int, band: Band) -> Reason:
        reason = self._thresholds.get(total)
        if reason is None:
            low = "−∞" if band.min is None else str(band.min)
            high = "∞" if band.max is None else str(band.max)
            reason = Reason(
                kind="threshold",
                text=localised(
                    "reason.threshold", total=total, band=dict(band.label), low=low, high=high
                ),
            )
            self._thresholds[total] = reason
        return reason

    def unknown_text(self, count: int) -> dict[str, str]:
        text = self._unknown_texts.get(count)
        if text is None:
            text = self._unknown_texts[count] = localised("reason.unknown", count=count)
        return text

    def domain(self, domain_id: str, points: int) -> DomainScore:
        key = (domain_id, points)
        result = self.domains.get(key)
        if result is None:
            domain = next(d for d in self.form.domains if d.id == domain_id)
            low, high = self.form.domain_ranges[domain_id]
            band = band_for(points, domain.bands)
            result = DomainScore(
                id=domain_id,
                label=dict(domain.label),
                score=points,
                low=low,
                high=high,
                band=BandRef(id=band.id, label=dict(band.label), color=band.color)
                if band
                else None,
            )
            self.domains[key] = result
        return result

    def contribution(self, field: Field, value: Any, points: int) -> Contribution:
        if isinstance(value, list):
            return self._contribution(field, value, points, None)
        key = (field.name, value if type(value) is int else option_key(value))
        result = self.contributions.get(key)
        if result is None:
            label = field.option_label(value)
            result = self._contribution(field, value, points, dict(label) if label else None)
            self.contributions[key] = result
        return result

    @staticmethod
    def _contribution(
        field: Field, value: Any, points: int, answer_label: dict[str, str] | None
    ) -> Contribution:
        return Contribution(
            field=field.name,
            label=dict(field.label),
            answer=value,
            answer_label=answer_label,
            points=points,
            domain=field.score.domain if field.score else None,
        )


def _parts(form: Form) -> _Parts:
    parts = form.derived.get("classification")
    if not isinstance(parts, _Parts):
        parts = form.derived["classification"] = _Parts(form)
    return parts


def classify(
    answers: dict[str, Any], form: Form, override: Override | None = None
) -> Classification:
    """Score the answers and place the child in a band, explaining why."""
    parts = _parts(form)
    scores = score(answers, form)
    by_score = band_for(scores.total, form.bands)
    reasons = [parts.threshold(scores.total, by_score)] if by_score is not None else []

    band = by_score
    rank = parts.rank
    fired = []
    for flag in form.red_flags:
        if flag.id in parts.flags and flag.holds(answers):
            forced, fired_flag, reason = parts.flags[flag.id]
            fired.append(fired_flag)
            reasons.append(reason)
            if band is None or rank[forced.id] < rank[band.id]:
                band = forced

    record = None
    if override is not None:
        from_band = band
        band, record = _apply_override(form, band, override, bool(fired))
        reasons.append(
            Reason(
                kind="override",
                text=localised(
                    "reason.override",
                    by=record.by,
                    from_band=dict(from_band.label),  # type: ignore[union-attr]
                    to_band=dict(band.label),
                    reason=record.reason,
                ),
            )
        )

    if scores.unknown:
        reasons.append(
            Reason(
                kind="unknown",
                text=parts.unknown_text(len(scores.unknown)),
                fields=[f.name for f in scores.unknown],
            )
        )

    contributions = sorted(scores.contributions, key=itemgetter(2), reverse=True)
    known = parts.contributions
    domains = parts.domains
    low, high = form.score_range
    return Classification(
        form_id=form.id,
        form_version=form.version,
        form_digest=form.digest,
        band=parts.bands[band.id] if band else None,
        score_band=parts.bands[by_score.id] if by_score else None,
        total=scores.total,
        low=low,
        high=high,
        domains=[
            domains.get((d, points)) or parts.domain(d, points)
            for d, points in scores.domains.items()
        ],
        red_flags=fired,
        override=record,
        unknown=[parts.unknown[f.name] for f in scores.unknown],
        contributions=[
            known.get((f.name, value)) or parts.contribution(f, value, points)
            if type(value) is int
            else parts.contribution(f, value, points)
            for f, value, points in contributions
        ],
        reasons=reasons,
    )


def _apply_override(
    form: Form, band: Band | None, override: Override, red_flag: bool
) -> tuple[Band, OverrideRecord]:
    policy = form.override
    if band is None:
        raise OverrideRefused("override.no_bands")
    if policy.reason_required and not override.reason.strip():
        raise OverrideRefused("override.reason_required")
    if not override.by.strip():
        raise OverrideRefused("override.by_required")
    target = form.band(override.to_band)
    if target is None:
        raise OverrideRefused("override.unknown_band", band=override.to_band)
    ids = [b.id for b in form.bands]
    step = ids.index(target.id) - ids.index(band.id)  # positive: towards lower risk
    if abs(step) > policy.steps:
        raise OverrideRefused("override.too_far", steps=policy.steps)
    if step > 0 and red_flag and not policy.lower_with_red_flag:
        raise OverrideRefused("override.down_from_red_flag")
    return target, OverrideRecord(
        from_band=band.id,
        to_band=target.id,
        reason=override.reason.strip(),
        by=override.by,
        at=override.at,
    )
