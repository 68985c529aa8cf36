"""Sync speed against Apache CouchDB: careforms' whole `careforms sync` process against PouchDB
9's own replicator, and the server's ceilings, all in the same run.

The server: the one COUCHDB_URL names, else a throwaway Apache CouchDB 3.4.3 from the release
(../shared/couchdb or CAREFORMS_COUCHDB_RELEASE), else PouchDB Server (see tests/sync/server.py).
PouchDB 9 comes from bench/package.json (`cd bench && npm install`).

- pull: N documents of ~1 KB (3 revisions each) into a fresh encrypted replica, the whole
  `careforms sync` process timed from start to exit (start-up, key derivation, opening and
  closing included), against PouchDB's replicator into a memory database, timed inside node,
  the better of batch 100 (its default) and 500. Target: at least 1.5x PouchDB.
- push: M documents written on the laptop into an empty database, the same way.
- the protocol ceiling: the replication protocol's own requests on that server (`_changes`,
  `_bulk_get?revs=true&latest=true`, three in flight; for a push `_revs_diff` and
  `_bulk_docs`), in careforms' batch sizes, with nothing else done. No replicator that uses
  the protocol goes faster.
- the server's plain ceilings: one `_all_docs?include_docs=true`, one `_bulk_docs`.
- a no-op sync (nothing new either side), in process. Target: under 100 ms.

careforms runs as a user's installed copy does, its modules compiled once (this machine sets
PYTHONDONTWRITEBYTECODE, which would have every run compile them again, 65 ms), and so are
the libraries' and the standard library's it imports: one untimed sync of an empty district
compiles them before the first round (the first round's process compiled them, 0.5 s).

    python3 bench/sync_bench.py [--docs 20000] [--push 10000] [--rounds 3]

The machines here are shared and noisy: every figure is measured in each round, all
interleaved, and the medians are reported with each round's ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sync.couch import CouchDatabase, CouchServer  # noqa: E402
from sync.replicator import PULL_BATCH, PUSH_BATCH, Replicator  # noqa: E402
from sync.store import Store  # noqa: E402
from tests.sync.server import ServerUnderTest, start_server  # noqa: E402

VILLAGES = ["东村", "西村", "南湾村", "北山村", "河口社区", "新桥村"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
PASSPHRASE = "bench passphrase"


def realistic(n: int, rng: random.Random, district: str = "bench") -> dict[str, Any]:
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
        "district": district,
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


def fill(db: CouchDatabase, docs: list[dict[str, Any]]) -> None:
    for start in range(0, len(docs), 1000):
        assert db.bulk_docs(docs[start : start + 1000], new_edits=False) == []


def node(*args: str) -> dict[str, Any]:
    script = ROOT / "bench" / "pouchdb_replicate.js"
    out = subprocess.run(["node", str(script), *args], capture_output=True, text=True, check=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def python_as_installed(work: Path) -> dict[str, str]:
    """The environment of a careforms process as a user's runs: its modules compiled once
    (pip compiles a package it installs; Python writes them at the first run otherwise),
    whatever this machine's PYTHONDONTWRITEBYTECODE says. Kept in `work`, not in the tree."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COUCHDB_", "CAREFORMS_"))}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env |= {"PYTHONPATH": str(ROOT), "PYTHONPYCACHEPREFIX": str(work / "pycache")}
    packages = [str(ROOT / name) for name in ("engine", "sync", "tui")]
    subprocess.run([sys.executable, "-m", "compileall", "-q", *packages], env=env, check=True)
    return env


def careforms_sync(
    server: ServerUnderTest, home: Path, district: str, env: dict[str, str]
) -> float:
    """The whole `careforms sync` process, start to exit (the user's wait)."""
    env = env | {
        "CAREFORMS_PASSPHRASE": PASSPHRASE,
        "COUCHDB_USER": server.admin,
        "COUCHDB_PASSWORD": server.password,
    }
    command = [sys.executable, "-m", "tui.cli", "--lang", "en", "--home", str(home), "sync",
               "--server", server.url, "--district", district]  # fmt: skip
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    seconds = time.perf_counter() - start
    assert done.returncode == 0, done.stderr[-2000:]
    return seconds


def protocol_pull(db: CouchDatabase, batch: int = PULL_BATCH) -> float:
    """`_changes` then `_bulk_get?revs=true&latest=true`, three in flight, nothing else."""
    start = time.perf_counter()
    since: Any = 0
    pending = []
    with ThreadPoolExecutor(3) as pool:
        while True:
            feed = db.changes(since, batch)
            wanted = [(r["id"], c["rev"]) for r in feed["results"] for c in r["changes"]]
            if wanted:
                pending.append(pool.submit(db.bulk_get, wanted))
            if len(feed["results"]) < batch:
                break
            since = feed["last_seq"]
        fetched = sum(len(f.result()[0]) for f in pending)
    assert fetched > 0
    return time.perf_counter() - start


def protocol_push(db: CouchDatabase, docs: list[dict[str, Any]], batch: int = PUSH_BATCH) -> float:
    """`_revs_diff` then `_bulk_docs(new_edits=false)` per batch, three in flight."""

    def one(chunk: list[dict[str, Any]]) -> None:
        missing = db.revs_diff({d["_id"]: [d["_rev"]] for d in chunk})
        assert db.bulk_docs([d for d in chunk if d["_id"] in missing], new_edits=False) == []

    start = time.perf_counter()
    with ThreadPoolExecutor(3) as pool:
        list(pool.map(one, [docs[i : i + batch] for i in range(0, len(docs), batch)]))
    return time.perf_counter() - start


def _auth_url(server: ServerUnderTest) -> str:
    return server.url.replace("://", f"://{server.admin}:{server.password}@")


class Bench:
    def __init__(self, server: ServerUnderTest, count: int, push_count: int, work: Path) -> None:
        self.server, self.work = server, work
        self.admin = CouchServer(server.url, server.admin, server.password)
        rng = random.Random(2026)
        self.source_district = server.new_district("pull")
        self.source = self._database(self.source_district)
        self.docs = [with_history(realistic(n, rng), rng) for n in range(count)]
        fill(self.source, self.docs)
        # the laptop's own documents, for the push: a replica made once, copied per round
        self.local_docs = [realistic(n, rng) for n in range(count, count + push_count)]
        self.laptop = work / "laptop"
        with Store.open(self.laptop / "replica.db", PASSPHRASE) as laptop, laptop.transaction():
            self.pushed_docs = [{**d, "_rev": laptop.put(d)} for d in self.local_docs]
        self.dump = work / "push.json"
        self.dump.write_text(json.dumps(self.local_docs, ensure_ascii=False), "utf-8")
        self.size = sum(len(json.dumps(d, ensure_ascii=False).encode()) for d in self.docs)
        self.env = python_as_installed(work)
        # One sync of an empty district before any is timed: the modules careforms imports
        # from elsewhere (its libraries, the standard library) are compiled into the same
        # place as its own, as an installed copy finds them (pip and Python's installer
        # compile them); else the first round's process compiled them, 0.5 s of its time.
        warm = server.new_district("warm")
        empty = self._database(warm)
        careforms_sync(server, work / "warm", warm, self.env)
        self._drop(empty)

    def _database(self, district: str) -> CouchDatabase:
        db = self.admin.database(f"careforms-district-{district}")
        db.create()
        return db

    def _drop(self, db: CouchDatabase) -> None:
        self.server.request("DELETE", f"/{db.name}")

    def round(self, n: int) -> dict[str, float]:
        count, push_count = len(self.docs), len(self.local_docs)
        seconds: dict[str, float] = {}
        # the server's plain ceilings: one read of everything, one write of the push set
        start = time.perf_counter()
        answer = self.server.request(
            "GET", f"/{self.source.name}/_all_docs", params={"include_docs": "true"}
        )
        assert len(answer.json()["rows"]) == count
        seconds["plain read"] = time.perf_counter() - start
        target = self._database(self.server.new_district("ceiling"))
        start = time.perf_counter()
        assert target.bulk_docs(self.pushed_docs, new_edits=False) == []
        seconds["plain write"] = time.perf_counter() - start
        self._drop(target)
        # the protocol's own requests
        seconds["protocol pull"] = protocol_pull(self.source)
        target = self._database(self.server.new_district("protocol"))
        seconds["protocol push"] = protocol_push(target, self.pushed_docs)
        self._drop(target)

        # pull: the whole careforms process into a fresh replica; PouchDB in node
        home = self.work / f"pull-{n}"
        seconds["careforms pull"] = careforms_sync(
            self.server, home, self.source_district, self.env
        )
        with Store.open(home / "replica.db", PASSPHRASE) as replica:
            assert replica.pending_changes(0) == count
            # a no-op sync: nothing new either side
            times = []
            for _ in range(7):
                start = time.perf_counter()
                report = Replicator(replica, self.source).sync()
                times.append(time.perf_counter() - start)
                assert report.pulled.written == report.pushed.written == 0
            seconds["no-op sync"] = statistics.median(times)
        shutil.rmtree(home)
        for batch in ("default", "500"):
            out = node("pull", _auth_url(self.server), self.source.name, batch)
            assert out["docs"] == count, out
            seconds[f"pouchdb pull ({batch})"] = out["seconds"]

        # push: a copy of the laptop's replica into an empty database; PouchDB the same
        district = self.server.new_district("push")
        target = self._database(district)
        home = self.work / f"push-{n}"
        shutil.copytree(self.laptop, home)
        seconds["careforms push"] = careforms_sync(self.server, home, district, self.env)
        assert target.info()["doc_count"] == push_count
        self._drop(target)
        shutil.rmtree(home)
        for batch in ("default", "500"):
            target = self._database(self.server.new_district("pouch"))
            out = node("push", _auth_url(self.server), target.name, batch, str(self.dump))
            assert out["docs"] == push_count, out
            seconds[f"pouchdb push ({batch})"] = out["seconds"]
            self._drop(target)
        return seconds


def report(bench: Bench, rounds: list[dict[str, float]]) -> None:
    count, push_count = len(bench.docs), len(bench.local_docs)
    print(
        f"server: {bench.server.kind} at {bench.server.url} ({bench.server.nodes} node(s)); "
        f"pull {count:,} documents of ~{bench.size / count:,.0f} bytes with 3 revisions each; "
        f"push {push_count:,}; {len(rounds)} rounds, medians"
    )
    medians = {name: statistics.median(r[name] for r in rounds) for name in rounds[0]}
    for name, value in medians.items():
        print(f"  {name:<22} {value * 1000:9.0f} ms" if name == "no-op sync" else
              f"  {name:<22} {value:9.2f} s")  # fmt: skip

    def best(kind: str, r: dict[str, float]) -> float:
        return min(r[f"pouchdb {kind} (default)"], r[f"pouchdb {kind} (500)"])

    for kind in ("pull", "push"):
        ratios = [best(kind, r) / r[f"careforms {kind}"] for r in rounds]
        ceiling = [best(kind, r) / r[f"protocol {kind}"] for r in rounds]
        share = [r[f"protocol {kind}"] / r[f"careforms {kind}"] for r in rounds]
        print(
            f"{kind}: best PouchDB / careforms (whole process) = median "
            f"{statistics.median(ratios):.2f}x (rounds {', '.join(f'{x:.2f}' for x in ratios)}; "
            f"target >= 1.5x); the protocol's own requests alone would give "
            f"{statistics.median(ceiling):.2f}x (rounds {', '.join(f'{x:.2f}' for x in ceiling)}); "
            f"careforms takes {1 / statistics.median(share):.2f}x the protocol's time"
        )
    print(f"no-op sync: {medians['no-op sync'] * 1000:.0f} ms (target < 100 ms)")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--push", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for server in start_server(work):
            bench = Bench(server, args.docs, args.push, work)
            rounds = [bench.round(n) for n in range(args.rounds)]
            report(bench, rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
