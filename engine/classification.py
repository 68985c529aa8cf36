"""Four-colour classification: band by score, red flags, discretionary override, reasons."""

from __future__ import annotations

from typing import Any

from engine.form import Band, Form
from engine.i18n import LANGUAGES, pick
from engine.messages import localised, message
from engine.results import (
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
from engine.scoring import score


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


def _ref(band: Band | None) -> BandRef | None:
    if band is None:
        return None
    return BandRef(id=band.id, label=dict(band.label), color=band.color)


def _range_text(band: Band) -> tuple[str, str]:
    low = "−∞" if band.min is None else str(band.min)
    high = "∞" if band.max is None else str(band.max)
    return low, high


def _per_language(code: str, **params: Any) -> dict[str, str]:
    """A message whose parameters are themselves localised texts."""
    return {
        lang: message(
            code,
            lang,
            **{k: pick(v, lang) if isinstance(v, dict) else v for k, v in params.items()},
        )
        for lang in LANGUAGES
    }


def classify(
    answers: dict[str, Any], form: Form, override: Override | None = None
) -> Classification:
    """Score the answers and place the child in a band, explaining why."""
    scores = score(answers, form)
    bands = form.bands
    by_score = band_for(scores.total, bands)
    reasons: list[Reason] = []
    if by_score is not None:
        low, high = _range_text(by_score)
        reasons.append(
            Reason(
                kind="threshold",
                text=_per_language(
                    "reason.threshold",
                    total=scores.total,
                    band=dict(by_score.label),
                    low=low,
                    high=high,
                ),
                fields=[f.name for f, _, _ in scores.contributions],
            )
        )

    fired: list[FiredFlag] = []
    band = by_score
    index = {b.id: i for i, b in enumerate(bands)}
    for flag in form.red_flags:
        if flag.holds(answers):
            forced = form.band(flag.band) if flag.band else (bands[0] if bands else None)
            if forced is None:
                continue
            fired.append(FiredFlag(id=flag.id, label=dict(flag.label), band=forced.id))
            reasons.append(
                Reason(
                    kind="red_flag",
                    text=_per_language(
                        "reason.red_flag", flag=dict(flag.label), band=dict(forced.label)
                    ),
                )
            )
            if band is None or index[forced.id] < index[band.id]:
                band = forced

    record = None
    if override is not None:
        band, record = _apply_override(form, band, override, bool(fired))
        reasons.append(
            Reason(
                kind="override",
                text=_per_language(
                    "reason.override",
                    by=record.by,
                    from_band=dict(form.band(record.from_band).label),  # type: ignore[union-attr]
                    to_band=dict(band.label),
                    reason=record.reason,
                ),
            )
        )

    if scores.unknown:
        reasons.append(
            Reason(
                kind="unknown",
                text=localised("reason.unknown", count=len(scores.unknown)),
                fields=[f.name for f in scores.unknown],
            )
        )

    total_low, total_high = form.score_range
    return Classification(
        form_id=form.id,
        form_version=form.version,
        form_digest=form.digest,
        band=_ref(band),
        score_band=_ref(by_score),
        total=scores.total,
        low=total_low,
        high=total_high,
        domains=[
            DomainScore(
                id=d.id,
                label=dict(d.label),
                score=scores.domains.get(d.id, 0),
                low=form.domain_range(d.id)[0],
                high=form.domain_range(d.id)[1],
                band=_ref(band_for(scores.domains.get(d.id, 0), d.bands)),
            )
            for d in form.domains
        ],
        red_flags=fired,
        override=record,
        unknown=[UnknownAnswer(field=f.name, label=dict(f.label)) for f in scores.unknown],
        contributions=[
            Contribution(
                field=f.name,
                label=dict(f.label),
                answer=value,
                points=points,
                answer_label=_option_label(f, value),
                domain=f.score.domain if f.score else None,
            )
            for f, value, points in sorted(scores.contributions, key=lambda c: -c[2])
        ],
        reasons=reasons,
    )


def _option_label(field: Any, value: Any) -> dict[str, str] | None:
    if isinstance(value, list):
        return None
    label = field.option_label(value)
    return dict(label) if label else None


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
    step = ids.index(target.id) - ids.index(band.id)  # positive: lower risk
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
