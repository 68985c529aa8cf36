"""Early warning (Yuhuan's model): flag a child whose observations say the risk is growing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from engine.casework.casefile import CaseFile, Observation
from engine.casework.rules import CaseworkRules, WarningRule
from engine.casework.schedule import CLOSED

Text = dict[str, str]


@dataclass(frozen=True, slots=True)
class EarlyWarning:
    """A rule that fired, and the observations that made it fire (oldest first)."""

    rule: str
    kind: str
    label: Text
    evidence: tuple[Observation, ...]

    def describe(self, lang: str) -> str:
        steps = " → ".join(_evidence(o, self.kind) for o in self.evidence)
        label = self.label.get(lang) or self.label["zh-CN"]
        return f"{label}: {steps}"


def _evidence(o: Observation, kind: str) -> str:
    when = o.on.isoformat() if o.on else "?"
    if kind == "urgent":
        return f"{when} {o.form_id} {', '.join(o.red_flags)}"
    if kind == "persistent_band":
        return f"{when} {o.form_id} {o.band}"
    return f"{when} {o.form_id} {o.total}"


def early_warnings(case: CaseFile, rules: CaseworkRules) -> list[EarlyWarning]:
    """Every early-warning rule that fires on the child's latest observations."""
    if case.state == CLOSED:
        return []
    found = []
    for rule in rules.early_warning:
        evidence = _CHECKS[rule.kind](case, rule)
        if evidence:
            found.append(EarlyWarning(rule.id, rule.kind, rule.label, evidence))
    return found


def _series(case: CaseFile, forms: tuple[str, ...]) -> list[Observation]:
    finals = case.finals(forms[0]) if len(forms) == 1 else case.finals()  # the first: remembered
    return [o for o in finals if o.form_id in forms and o.on is not None]


def _persistent(case: CaseFile, rule: WarningRule) -> tuple[Observation, ...]:
    banded = [o for o in _series(case, rule.forms) if o.band is not None]
    last = banded[-rule.consecutive :]
    if len(last) == rule.consecutive and all(o.band in rule.bands for o in last):
        return tuple(last)
    return ()


def _scored(case: CaseFile, form: str) -> list[Observation]:
    return [o for o in _series(case, (form,)) if o.total is not None]


def _rising(case: CaseFile, rule: WarningRule) -> tuple[Observation, ...]:
    for form in rule.forms:
        last = _scored(case, form)[-rule.consecutive :]
        if (
            len(last) == rule.consecutive
            and all(
                a.total < b.total  # type: ignore[operator]
                for a, b in zip(last, last[1:], strict=False)
            )
        ):
            return tuple(last)
    return ()


def _jump(case: CaseFile, rule: WarningRule) -> tuple[Observation, ...]:
    for form in rule.forms:
        last = _scored(case, form)[-2:]
        if len(last) == 2 and last[1].total - last[0].total > rule.threshold:  # type: ignore[operator]
            return tuple(last)
    return ()


def _urgent(case: CaseFile, rule: WarningRule) -> tuple[Observation, ...]:
    for form in rule.forms:
        series = _series(case, (form,))
        if series and set(series[-1].red_flags) & set(rule.flags):
            return (series[-1],)
    return ()


_CHECKS: dict[str, Callable[[CaseFile, WarningRule], tuple[Observation, ...]]] = {
    "persistent_band": _persistent,
    "rising": _rising,
    "jump": _jump,
    "urgent": _urgent,
}
