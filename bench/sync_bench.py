"""Sync speed: careforms' replicator against PouchDB's own, and the server's ceiling.

All against the same server in the same run: PouchDB Server in memory on loopback (started
here), or Apache CouchDB when COUCHDB_URL is set. Targets (issue: local replica and sync):
pull and push each at least 1.5x PouchDB's better setting; a no-op sync under 100 ms.

    python3 bench/sync_bench.py [--docs 20000] [--push 10000]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sync.couch import CouchServer  # noqa: E402
from sync.replicator import Replicator  # noqa: E402
from sync.store import Store  # noqa: E402
from tests.sync.server import ServerUnderTest, start_server  # noqa: E402

VILLAGES = ["东村", "西村", "南湾村", "北山村", "河口社区", "新桥村"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"


def realistic(n: int, rng: random.Random) -> dict[str, Any]:
    """About 1 KB: an assessment with answers, as the app writes them."""
    child = f"{rng.getrandbits(64):016x}"
    answers: dict[str, Any] = {
        f"item_{i:02d}": rng.choice([0, 1, 1, 2, 3, "unknown"]) for i in range(26)
    }
    answers |= {
        "assessment_date": f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "assessor": rng.choice(SURNAMES) + "老师",
        "analysis": "祖父母照料，父母在外务工。" * rng.randint(3, 6),
    }
    return {
        "_id": f"assessment:{child}:{n:06d}",
        "type": "assessment",
        "district": "bench",
        "form_id": "risk",
        "form_version": 1,
        "status": "final",
        "answers": answers,
        "child_name": rng.choice(SURNAMES) + "小" + rng.choice("明红华军丽强"),
        "village": rng.choice(VILLAGES),
        "created_by": "worker-7",
        "updated_by": "worker-7",
        "updated_at": "2026-11-02T10:00:00+08:00",
        "device": "laptop-3",
    }


def with_history(doc: dict[str, Any], rng: random.Random, generations: int = 3) -> dict[str, Any]:
    ids = [f"{rng.getrandbits(128):032x}" for _ in range(generations)]
    return {
        **doc,
        "_rev": f"{generations}-{ids[0]}",
        "_revisions": {"start": generations, "ids": ids},
    }


def node(*args: str) -> dict[str, Any]:
    out = subprocess.run(
        ["node", str(ROOT / "bench" / "pouchdb_replicate.js"), *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def rate(docs: int, seconds: float) -> float:
    return docs / seconds if seconds else float("inf")


def run(server: ServerUnderTest, count: int, push_count: int, work: Path) -> None:
    admin = CouchServer(server.url, server.admin, server.password)
    rng = random.Random(2026)
    docs = [with_history(realistic(n, rng), rng) for n in range(count)]
    size = sum(len(json.dumps(d, ensure_ascii=False).encode()) for d in docs) / count
    source = admin.database(server.new_database_name("bench-source"))
    source.create()
    for start in range(0, count, 1000):
        assert source.bulk_docs(docs[start : start + 1000], new_edits=False) == []
    print(
        f"server: {server.kind} at {server.url}; {count:,} documents of ~{size:,.0f} bytes, "
        "3 revisions each"
    )

    results: dict[str, float] = {}
    # the server's own ceiling: one read of everything, one write of the push set
    start = time.perf_counter()
    answer = server.request("GET", f"/{source.name}/_all_docs", params={"include_docs": "true"})
    assert len(answer.json()["rows"]) == count
    results["ceiling read"] = rate(count, time.perf_counter() - start)
    ceiling_target = admin.database(server.new_database_name("bench-ceiling"))
    ceiling_target.create()
    start = time.perf_counter()
    assert ceiling_target.bulk_docs(docs[:push_count], new_edits=False) == []
    results["ceiling write"] = rate(push_count, time.perf_counter() - start)

    # pull: careforms into an empty replica, PouchDB into an empty memory database
    replica = Store.open(work / "pull.db", "bench")
    db = admin.database(source.name)
    start = time.perf_counter()
    pulled = Replicator(replica, db).pull()
    results["careforms pull"] = rate(pulled.written, time.perf_counter() - start)
    assert pulled.written == count == len(list(replica.all_docs()))
    for batch in ("default", "500"):
        out = node(
            "pull",
            f"{server.url.replace('://', f'://{server.admin}:{server.password}@')}",
            source.name,
            batch,
        )
        assert out["docs"] == count, out
        results[f"pouchdb pull ({batch})"] = rate(out["docs"], out["seconds"])

    # no-op sync: nothing new on either side
    Replicator(replica, db).sync()
    times = []
    for _ in range(7):
        start = time.perf_counter()
        report = Replicator(replica, db).sync()
        times.append(time.perf_counter() - start)
        assert report.pulled.written == report.pushed.written == 0
    noop_ms = statistics.median(times) * 1000
    replica.close()

    # push: local documents (first revisions, as written on a laptop) into a fresh database
    local_docs = [realistic(n, rng) for n in range(count, count + push_count)]
    laptop = Store.open(work / "push.db", "bench")
    with laptop.transaction():
        for doc in local_docs:
            laptop.put(doc)
    target = admin.database(server.new_database_name("bench-push"))
    target.create()
    start = time.perf_counter()
    pushed = Replicator(laptop, target).push()
    results["careforms push"] = rate(pushed.written, time.perf_counter() - start)
    assert pushed.written == push_count
    laptop.close()
    dump = work / "push.json"
    dump.write_text(json.dumps(local_docs, ensure_ascii=False), "utf-8")
    for batch in ("default", "500"):
        fresh = admin.database(server.new_database_name("bench-push"))
        fresh.create()
        out = node(
            "push",
            server.url.replace("://", f"://{server.admin}:{server.password}@"),
            fresh.name,
            batch,
            str(dump),
        )
        assert out["docs"] == push_count, out
        results[f"pouchdb push ({batch})"] = rate(out["docs"], out["seconds"])

    for name, value in results.items():
        print(f"{name:<24} {value:10,.0f} docs/s")
    best_pull = max(results["pouchdb pull (default)"], results["pouchdb pull (500)"])
    best_push = max(results["pouchdb push (default)"], results["pouchdb push (500)"])
    pull_ratio = results["careforms pull"] / best_pull
    push_ratio = results["careforms push"] / best_push
    print(
        f"pull ratio careforms / best PouchDB : {pull_ratio:5.2f}x  (target >= 1.5x); "
        f"{results['careforms pull'] / results['ceiling read']:.0%} of the server's read ceiling"
    )
    print(
        f"push ratio careforms / best PouchDB : {push_ratio:5.2f}x  (target >= 1.5x); "
        f"{results['careforms push'] / results['ceiling write']:.0%} of the server's write "
        "ceiling"
    )
    print(f"no-op sync                          : {noop_ms:5.1f} ms  (target < 100 ms)")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--push", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for server in start_server(work):
            run(server, args.docs, args.push, work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
