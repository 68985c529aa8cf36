"""Killing a writing process at random points never corrupts the replica or loses a commit."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from sync.store import Store

WRITER = """
import sys
from sync.store import Store
store = Store.open(sys.argv[1], "durable")
n = int(sys.argv[2])
while True:
    rev = None
    doc_id = f"child:{n}"
    with store.transaction():
        store.put({"_id": doc_id, "name": "儿童" + str(n), "pad": "x" * 500})
        store.put({"_id": f"visit:{n}", "child": doc_id})
    print(doc_id, flush=True)  # only after the commit returned
    n += 1
"""


def test_kill_at_random_points_then_reopen(tmp_path: Path) -> None:
    path = tmp_path / "replica.db"
    rng = random.Random(2026)
    committed: list[str] = []
    start = 0
    for _round in range(6):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(start)], stdout=subprocess.PIPE, text=True
        )
        time.sleep(rng.uniform(0.8, 1.6))
        writer.send_signal(signal.SIGKILL)
        out, _ = writer.communicate()
        lines = out.split()
        committed += lines
        start += len(lines) + 1000  # never reuse an id a killed writer may have half-written
        with Store.open(path, "durable") as store:
            assert store.integrity_check() == "ok"
            present = {d["_id"] for d in store.all_docs("child:")}
            missing = [doc_id for doc_id in committed if doc_id not in present]
            assert missing == []
            for doc_id in present:  # each transaction is all or nothing
                store.get("visit:" + doc_id.split(":")[1])
    assert len(committed) > 20
