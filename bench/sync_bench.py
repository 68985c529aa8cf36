"""Sync speed: careforms' replicator against PouchDB's own, and the server's ceiling.

All against the same server in the same run: PouchDB Server in memory on loopback (started
here), or Apache CouchDB when COUCHDB_URL is set. Targets (issue: local replica and sync):
pull and push each at least 1.5x PouchDB's better setting; a no-op sync under 100 ms.

    python3 bench/sync_bench.py [--docs 20000] [--push 10000] [--rounds 3]

The machines here are shared and noisy: every figure is measured in each round, all
interleaved, and the medians are reported with each round's ratios.
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


def _protocol_read(db: Any, batch: int) -> float:
    from concurrent.futures import ThreadPoolExecutor

    start = time.perf_counter()
    since: Any = 0
    pending = []
    with ThreadPoolExecutor(3) as pool:
        while True:
            feed = db.changes(since, batch)
            wanted = [(r["id"], c["rev"]) for r in feed["results"] for c in r["changes"]]
            if not wanted:
                break
            pending.append(pool.submit(db.bulk_get, wanted))
            since = feed["last_seq"]
        fetched = sum(len(f.result()[0]) for f in pending)
    assert fetched > 0
    return time.perf_counter() - start


def _protocol_write(db: Any, docs: list[dict[str, Any]], batch: int) -> float:
    """_revs_diff then _bulk_docs(new_edits=false) per batch, three in flight."""
    from concurrent.futures import ThreadPoolExecutor

    def one(chunk: list[dict[str, Any]]) -> None:
        missing = db.revs_diff({d["_id"]: [d["_rev"]] for d in chunk})
        assert db.bulk_docs([d for d in chunk if d["_id"] in missing], new_edits=False) == []

    start = time.perf_counter()
    with ThreadPoolExecutor(3) as pool:
        list(pool.map(one, [docs[i : i + batch] for i in range(0, len(docs), batch)]))
    return time.perf_counter() - start


def rate(docs: int, seconds: float) -> float:
    return docs / seconds if seconds else float("inf")


def _fresh(server: ServerUnderTest, admin: CouchServer, prefix: str) -> Any:
    db = admin.database(server.new_database_name(prefix))
    db.create()
    return db


def _drop(server: ServerUnderTest, db: Any) -> None:
    server.request("DELETE", f"/{db.name}")  # keep the in-memory server's heap small


def _auth_url(server: ServerUnderTest) -> str:
    return server.url.replace("://", f"://{server.admin}:{server.password}@")


def one_round(
    server: ServerUnderTest,
    admin: CouchServer,
    source: Any,
    docs: list[dict[str, Any]],
    laptop: Store,
    dump: Path,
    work: Path,
    round_no: int,
) -> dict[str, float]:
    count, push_count = len(docs), laptop.pending_changes(0)
    results: dict[str, float] = {}
    # the server's own ceilings: one read of everything, one write of the push set
    start = time.perf_counter()
    answer = server.request("GET", f"/{source.name}/_all_docs", params={"include_docs": "true"})
    assert len(answer.json()["rows"]) == count
    results["ceiling read"] = rate(count, time.perf_counter() - start)
    target = _fresh(server, admin, "bench-ceiling")
    start = time.perf_counter()
    assert target.bulk_docs(docs[:push_count], new_edits=False) == []
    results["ceiling write"] = rate(push_count, time.perf_counter() - start)
    _drop(server, target)
    # the protocol's own ceilings: its requests alone, three in flight, nothing else done
    target = _fresh(server, admin, "bench-protocol")
    results["protocol write"] = rate(push_count, _protocol_write(target, docs[:push_count], 1000))
    _drop(server, target)
    results["protocol read"] = rate(count, _protocol_read(source, 1000))

    # pull into an empty replica; PouchDB into an empty memory database
    replica = Store.open(work / f"pull-{round_no}.db", "bench")
    start = time.perf_counter()
    pulled = Replicator(replica, source).pull()
    results["careforms pull"] = rate(pulled.written, time.perf_counter() - start)
    assert pulled.written == count == len(list(replica.all_docs()))
    for batch in ("default", "500"):
        out = node("pull", _auth_url(server), source.name, batch)
        assert out["docs"] == count, out
        results[f"pouchdb pull ({batch})"] = rate(out["docs"], out["seconds"])

    # no-op sync: nothing new on either side
    Replicator(replica, source).sync()
    times = []
    for _ in range(7):
        start = time.perf_counter()
        report = Replicator(replica, source).sync()
        times.append(time.perf_counter() - start)
        assert report.pulled.written == report.pushed.written == 0
    results["no-op sync ms"] = statistics.median(times) * 1000
    replica.close()

    # push the laptop's documents into a fresh database; PouchDB the same documents
    target = _fresh(server, admin, "bench-push")
    start = time.perf_counter()
    pushed = Replicator(laptop, target).push()
    results["careforms push"] = rate(pushed.written, time.perf_counter() - start)
    assert pushed.written == push_count
    _drop(server, target)
    for batch in ("default", "500"):
        target = _fresh(server, admin, "bench-push")
        out = node("push", _auth_url(server), target.name, batch, str(dump))
        assert out["docs"] == push_count, out
        results[f"pouchdb push ({batch})"] = rate(out["docs"], out["seconds"])
        _drop(server, target)
    return results


def run(server: ServerUnderTest, count: int, push_count: int, rounds: int, work: Path) -> None:
    admin = CouchServer(server.url, server.admin, server.password)
    rng = random.Random(2026)
    docs = [with_history(realistic(n, rng), rng) for n in range(count)]
    size = sum(len(json.dumps(d, ensure_ascii=False).encode()) for d in docs) / count
    source = _fresh(server, admin, "bench-source")
    for start in range(0, count, 1000):
        assert source.bulk_docs(docs[start : start + 1000], new_edits=False) == []
    local_docs = [realistic(n, rng) for n in range(count, count + push_count)]
    laptop = Store.open(work / "push.db", "bench")
    with laptop.transaction():
        for doc in local_docs:
            laptop.put(doc)
    dump = work / "push.json"
    dump.write_text(json.dumps(local_docs, ensure_ascii=False), "utf-8")
    print(
        f"server: {server.kind} at {server.url}; pull {count:,} documents of ~{size:,.0f} "
        f"bytes with 3 revisions each; push {push_count:,}; {rounds} rounds, medians shown"
    )

    per_round = [
        one_round(server, admin, source, docs, laptop, dump, work, n) for n in range(rounds)
    ]
    laptop.close()
    results = {name: statistics.median(r[name] for r in per_round) for name in per_round[0]}
    for name, value in results.items():
        unit = "ms" if name.endswith("ms") else "docs/s"
        shown = name.removesuffix(" ms")
        print(
            f"{shown:<24} {value:10,.1f} {unit}"
            if unit == "ms"
            else f"{shown:<24} {value:10,.0f} {unit}"
        )

    def best(kind: str, r: dict[str, float]) -> float:
        return max(r[f"pouchdb {kind} (default)"], r[f"pouchdb {kind} (500)"])

    for kind, ceiling in (("pull", "read"), ("push", "write")):
        ratios = [r[f"careforms {kind}"] / best(kind, r) for r in per_round]
        possible = [r[f"protocol {ceiling}"] / best(kind, r) for r in per_round]
        print(
            f"{kind} ratio careforms / best PouchDB : median {statistics.median(ratios):.2f}x "
            f"(rounds: {', '.join(f'{x:.2f}' for x in ratios)}; target >= 1.5x); "
            f"{results[f'careforms {kind}'] / results[f'protocol {ceiling}']:.0%} of the "
            f"protocol ceiling, which is {statistics.median(possible):.2f}x best PouchDB; "
            f"{results[f'careforms {kind}'] / results[f'ceiling {ceiling}']:.0%} of the "
            f"server's plain {ceiling} ceiling"
        )
    print(f"no-op sync: {results['no-op sync ms']:.1f} ms (target < 100 ms)")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--push", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for server in start_server(work):
            run(server, args.docs, args.push, args.rounds, work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
