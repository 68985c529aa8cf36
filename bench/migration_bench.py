"""Migrating 10,000 stored risk assessments from v1 to v2 (target: under 10 s), against a
baseline in the same run: re-saving the same documents unchanged. Also prints how fast the
form-level validators are — ours (compiled), jsonschema, and jsonschema-rs when installed.

    python3 bench/migration_bench.py [--count N]
"""

from __future__ import annotations

import argparse
import copy
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.engine_bench import realistic_answers  # noqa: E402
from engine.casework.case_documents import finalise, new_entry  # noqa: E402
from engine.forms.form import Form, Origin  # noqa: E402
from engine.forms.registry import FormRegistry  # noqa: E402
from sync.store import Store  # noqa: E402
from tests.sync.test_published_forms import risk_v2  # noqa: E402
from tui.migrations import migrate_stored  # noqa: E402

AT = datetime(2026, 11, 2).astimezone()


def fill(store: Store, v1: Form, count: int) -> None:
    with store.transaction():
        for i, answers in enumerate(realistic_answers(v1, count)):
            doc = new_entry(f"c{i}", "a", v1, district="d", by="b", device="x", at=AT)
            doc["answers"] = answers
            store.put(finalise(doc, v1, by="b", device="x", at=AT) if i % 5 else doc)


def validators(v1: Form, count: int) -> None:
    import jsonschema

    batch = realistic_answers(v1, min(count, 2000))
    timings = {}
    start = time.perf_counter()
    for answers in batch:
        v1.check_final(answers, "", [])
    timings["careforms compiled"] = time.perf_counter() - start
    plain = jsonschema.Draft202012Validator(v1.document)
    start = time.perf_counter()
    for answers in batch:
        plain.is_valid(answers)
    timings["jsonschema"] = time.perf_counter() - start
    try:
        import jsonschema_rs

        fast = jsonschema_rs.validator_for(v1.document)
        start = time.perf_counter()
        for answers in batch:
            fast.is_valid(answers)
        timings["jsonschema-rs"] = time.perf_counter() - start
    except ImportError:
        timings["jsonschema-rs"] = float("nan")
    base = timings["careforms compiled"]
    for name, seconds in timings.items():
        print(
            f"validate {len(batch)} answers  {name:<20} {seconds * 1000:8.1f} ms  "
            f"ratio {seconds / base:6.2f}x ours"
        )


def lint_times(v1: Form) -> None:
    """The check of the risk form: jsonschema-rs recognising a valid form first, or not."""
    import engine.forms.lint as lint

    def per_check() -> float:
        lint.lint_form(v1.document, "risk")
        start = time.perf_counter()
        for _ in range(5):
            lint.lint_form(v1.document, "risk")
        return (time.perf_counter() - start) / 5

    quick = per_check()
    original = lint._quick_meta
    lint._quick_meta = lambda: None  # type: ignore[assignment]
    try:
        plain = per_check()
    finally:
        lint._quick_meta = original
    print(
        f"check the risk form: {quick * 1000:.1f} ms with jsonschema-rs first, "
        f"{plain * 1000:.1f} ms with jsonschema alone; ratio {plain / quick:.1f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    count = parser.parse_args().count
    registry = FormRegistry.load()
    v1 = registry.get("risk")
    registry.add(Form(risk_v2(), None, Origin("published", "bench")))
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "r.db", "bench", kdf_cost=2**8)
        fill(store, v1, count)
        docs = list(store.all_docs("assessment:"))
        start, cpu = time.perf_counter(), time.process_time()
        with store.transaction():
            for doc in docs:
                store.put(copy.deepcopy(doc) | {"updated_at": "now"})
        baseline, baseline_cpu = time.perf_counter() - start, time.process_time() - cpu
        start, cpu = time.perf_counter(), time.process_time()
        done = migrate_stored(store, registry, "risk", 2, by="b", device="x", at=AT)
        seconds, seconds_cpu = time.perf_counter() - start, time.process_time() - cpu
        store.close()
    print(
        f"migrated {len(done.entries)} assessments ({done.finals} finished) in {seconds:.2f} s "
        f"wall, {seconds_cpu:.2f} s CPU (target < 10 s): {len(done.band_changes)} changed band"
    )
    print(
        f"baseline: re-saving them unchanged {baseline:.2f} s wall, {baseline_cpu:.2f} s CPU; "
        f"ratio {seconds / baseline:.2f}x (CPU {seconds_cpu / baseline_cpu:.2f}x)"
    )
    validators(v1, count)
    lint_times(v1)


if __name__ == "__main__":
    main()
