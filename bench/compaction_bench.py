# ruff: noqa: E501  (report lines read best unwrapped)
"""The replica stays bounded: autosave writes a revision per answer; compaction drops the
bodies nothing needs and incremental vacuum gives the space back.

100 assessments, each autosaved 1,000 times (one answer changed each time, as the app saves
a draft) and then finalised, on one replica; then `Store.compact()`. Compared with a replica
that received only the final revisions by replication (their ids and history, one body
each), the compacted file must be within 1.5x. Also shown: the file before compaction, and a
replica where the final documents were written fresh (no history at all).

    python3 bench/compaction_bench.py [--assessments 100] [--autosaves 1000]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sync.compaction import replica_bytes  # noqa: E402
from sync.peers import LocalPeer  # noqa: E402
from sync.replicator import PULL_BATCH, replicate  # noqa: E402
from sync.store import Store  # noqa: E402

PASSPHRASE = "bench passphrase"
TARGET = 1.5


def mb(n: int) -> str:
    return f"{n / 1e6:7.1f} MB"


def settled(store: Store) -> int:
    """The replica's size once its write-ahead log is folded in (as after closing)."""
    store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    return replica_bytes(store.path)


def draft(n: int, rng: random.Random) -> dict[str, Any]:
    return {
        "_id": f"assessment:c{n:03d}:a1",
        "type": "assessment",
        "district": "bench",
        "child": f"c{n:03d}",
        "form": {"id": "risk", "version": 1},
        "status": "draft",
        "answers": {f"item_{i:02d}": 0 for i in range(26)}
        | {"analysis": "祖父母照料，父母在外务工。" * rng.randint(3, 6)},
        "created_by": "worker-7",
        "updated_by": "worker-7",
        "updated_at": "2026-11-02T09:00:00+08:00",
        "device": "laptop-3",
    }


def autosave(store: Store, assessments: int, autosaves: int) -> list[dict[str, Any]]:
    rng = random.Random(2026)
    docs = [draft(n, rng) for n in range(assessments)]
    with store.transaction():
        for doc in docs:
            doc["_rev"] = store.put(doc)
    for k in range(autosaves):  # one answer changed per autosave, every assessment in turn
        with store.transaction():
            for doc in docs:
                answers = {**doc["answers"], f"item_{k % 26:02d}": rng.randint(0, 3)}
                stamp = f"2026-11-02T{9 + k // 600:02d}:{k // 10 % 60:02d}:{k % 10}0+08:00"
                doc.update(answers=answers, updated_at=stamp)
                doc["_rev"] = store.put(doc)
    with store.transaction():
        for doc in docs:
            doc.update(
                status="final", result={"band": "yellow"}, updated_at="2026-11-02T12:00:00+08:00"
            )
            doc["_rev"] = store.put(doc)
    return docs


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--assessments", type=int, default=100)
    parser.add_argument("--autosaves", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        with Store.open(work / "laptop.db", PASSPHRASE) as laptop:
            start = time.perf_counter()
            finals = autosave(laptop, args.assessments, args.autosaves)
            saving = time.perf_counter() - start
            before = settled(laptop)
            start = time.perf_counter()
            done = laptop.compact()
            compacting = time.perf_counter() - start
            after = settled(laptop)
            history = len(laptop.get(finals[0]["_id"], revs=True)["_revisions"]["ids"])
            with Store.open(work / "received.db", PASSPHRASE) as received:
                replicate(
                    LocalPeer(laptop), LocalPeer(received), direction="pull", batch_size=PULL_BATCH
                )
                baseline = settled(received)
            with Store.open(work / "fresh.db", PASSPHRASE) as fresh, fresh.transaction():
                for doc in finals:
                    fresh.put({k: v for k, v in doc.items() if k != "_rev"})
            fresh_size = replica_bytes(work / "fresh.db")
    print(
        f"{args.assessments} assessments x {args.autosaves} autosaves then finalised ({saving:.0f} s); each keeps {history} revision ids (revs_limit)"
    )
    print(f"replica before compaction:           {mb(before)}")
    print(f"compaction: {done.bodies:,} bodies dropped in {compacting:.2f} s")
    print(f"replica after compaction:            {mb(after)}")
    print(
        f"replica that received the finals:    {mb(baseline)} (by replication: ids and history, one body each)"
    )
    print(f"  ratio after / received:            {after / baseline:7.2f}x (target <= {TARGET}x)")
    print(f"replica with the finals put fresh:   {mb(fresh_size)} (no history at all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
