"""Validate + score + classify per second on the built-in risk form, against plain jsonschema.

Both sides see the same answers in the same run. Targets (issue: forms engine): at least 20x
the plain `jsonschema.validate(answers, schema)` call and at least 20,000 assessments/s.

    python3 bench/engine_bench.py [--seconds S]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import jsonschema  # noqa: E402

from engine import Form, FormRegistry, classify, validate  # noqa: E402


def realistic_answers(form: Form, count: int, seed: int = 7) -> list[dict[str, Any]]:
    """Complete, valid risk assessments: mostly low ratings, some unknowns, a few red flags."""
    rng = random.Random(seed)
    batch = []
    for _ in range(count):
        answers: dict[str, Any] = {
            "assessment_date": "2026-11-02",
            "assessor": "李老师",
            "place": "home",
            "analysis": "家中老人照料，父母在外务工。",
        }
        for field in form.scored:
            answers[field.name] = rng.choices([0, 1, 2, 3, "unknown"], [40, 30, 18, 8, 4])[0]
        for name in form.fields:
            if name.startswith("rf_"):
                answers[name] = rng.random() < 0.03
        if answers["illness_disability"] in (1, 2, 3):
            answers["disability_type"] = "physical"
            answers["disability_grade"] = rng.randint(1, 4)
        if answers["behaviour_problems"] in (1, 2, 3):
            answers["behaviour_kinds"] = rng.sample(["truancy", "theft", "fighting"], 2)
        batch.append(answers)
    return batch


def rate(
    work: Callable[[dict[str, Any]], object], batch: list[dict[str, Any]], seconds: float
) -> float:
    """Items per second, repeating the batch until `seconds` have passed (best of 3 rounds)."""
    best = 0.0
    for _ in range(3):
        done, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds / 3:
            for answers in batch:
                work(answers)
            done += len(batch)
        best = max(best, done / (time.perf_counter() - start))
    return best


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    form = FormRegistry.load().get("risk")
    batch = realistic_answers(form, 200)
    assert all(validate(a, form) == [] for a in batch), "benchmark answers must be valid"

    def ours(answers: dict[str, Any]) -> object:
        validate(answers, form, final=True)
        return classify(answers, form)

    def plain(answers: dict[str, Any]) -> object:
        jsonschema.validate(answers, form.document)
        return None

    prebuilt = jsonschema.Draft202012Validator(form.document)
    ours_rate = rate(ours, batch, args.seconds)
    plain_rate = rate(plain, batch, args.seconds)
    prebuilt_rate = rate(prebuilt.validate, batch, args.seconds)
    validate_only = rate(lambda a: validate(a, form), batch, args.seconds)
    ratio = ours_rate / plain_rate
    print(f"risk form v{form.version}: {len(form.fields)} items, {len(batch)} distinct answer sets")
    print(f"careforms validate+score+classify : {ours_rate:12,.0f} assessments/s")
    print(f"careforms validate only           : {validate_only:12,.0f} assessments/s")
    print(f"jsonschema.validate (plain call)  : {plain_rate:12,.0f} assessments/s")
    print(f"jsonschema, validator built once  : {prebuilt_rate:12,.0f} assessments/s")
    print(f"ratio careforms / plain           : {ratio:12.1f}x   (target >= 20x)")
    print(f"ratio careforms / built once      : {ours_rate / prebuilt_rate:12.1f}x")
    print(f"absolute target 20,000/s          : {'met' if ours_rate >= 20_000 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
