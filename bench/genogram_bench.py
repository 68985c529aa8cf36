"""Genogram layout on many random families: time per family and rule violations.

The test suite checks 30 fixed random families (tests/engine/report/test_genogram.py); this
walks many more, with the same generator and the same rules, and prints how often a rule
broke (with the family, to turn into a test) and how long a layout took.

    python3 bench/genogram_bench.py [--families 1000]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import warnings
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, given, settings  # noqa: E402

from tests.engine.report.families import families  # noqa: E402
from tests.engine.report.test_genogram import check_rules, lay_out  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=1000)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    times: list[float] = []
    broken: list[tuple[str, dict[str, Any]]] = []
    ties: list[int] = []

    @settings(max_examples=args.families, deadline=None, database=None,
              suppress_health_check=list(HealthCheck), phases=["generate"])  # fmt: skip
    @given(families())
    def walk(family: dict[str, Any]) -> None:
        start = time.perf_counter()
        tree, layout = lay_out(family)
        times.append(time.perf_counter() - start)
        ties.append(sum(1 for line in layout.lines if line.kind == "tie"))
        try:
            check_rules(tree, layout)
        except AssertionError as exc:
            broken.append((str(exc)[:120], family))

    walk()
    times.sort()
    print(f"families: {len(times)} (1-20 members; ties drawn per family: median "
          f"{statistics.median(ties):.0f}, max {max(ties)})")  # fmt: skip
    median, p95 = statistics.median(times), times[int(len(times) * 0.95)]
    print(f"layout time: median {median * 1000:.1f} ms, 95th {p95 * 1000:.1f} ms, "
          f"max {times[-1] * 1000:.1f} ms")  # fmt: skip
    print(f"families breaking a rule: {len(broken)} ({100 * len(broken) / len(times):.2f}%)")
    for reason, family in broken[:3]:
        print("  ", reason)
        print("  ", json.dumps(family, ensure_ascii=False)[:300])


if __name__ == "__main__":
    main()
