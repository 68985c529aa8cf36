"""Sync by bundle files: 20,000 documents written and read, against the network sync of the
same documents to the same server in the same run, and the file's size against the
compressed JSON of the same documents. Targets (issue: sync with no network): a bundle of
20,000 documents written in under 10 s and read in under 10 s; its size at most the
compressed size of the documents' JSON plus 10%.

    python3 bench/bundle_bench.py [--docs 20000]

The server is the tests' (tests/sync/server.py): COUCHDB_URL, else a throwaway Apache CouchDB.
"""

from __future__ import annotations

import argparse
import gzip
import random
import sys
import tempfile
import time
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from sync_bench import realistic, with_history  # noqa: E402

from sync.bundle_file import check_bundle  # noqa: E402
from sync.bundles import read_answer, read_outbound, write_outbound  # noqa: E402
from sync.couch import CouchServer  # noqa: E402
from sync.replicator import Replicator  # noqa: E402
from sync.store import Store  # noqa: E402
from tests.sync.server import start_server  # noqa: E402

WORDS = "bench passphrase"


def timed(work: object) -> tuple[float, object]:
    start = time.perf_counter()
    result = work()  # type: ignore[operator]
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=20_000)
    args = parser.parse_args()
    rng = random.Random(7)
    docs = [with_history(realistic(n, rng), rng) for n in range(args.docs)]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        servers = start_server(work / "couch")
        server = next(servers)
        admin = CouchServer(server.url, server.admin, server.password)

        def replica(name: str) -> Store:
            return Store.open(work / f"{name}.db", "p")

        laptop, twin = replica("laptop"), replica("twin")
        for store in (laptop, twin):
            store.put_replicated_many(docs)

        out = work / "out.bundle"
        write_s, _ = timed(lambda: write_outbound(laptop, out, WORDS, "bench"))
        size = out.stat().st_size
        written = [
            orjson.dumps(d) for d in laptop.open_revs_many({d["_id"]: [d["_rev"]] for d in docs})
        ]
        gzipped = len(gzip.compress(b"\n".join(written)))

        by_file, by_net = admin.database("bench-bundle"), admin.database("bench-network")
        by_file.create()
        by_net.create()
        answer = work / "answer.bundle"
        office_s, _ = timed(lambda: read_outbound(check_bundle(out, WORDS), by_file, answer))
        push_s, _ = timed(lambda: Replicator(twin, by_net).push())

        fresh, fresh_twin = replica("fresh"), replica("fresh-twin")
        empty = work / "empty.bundle"
        write_outbound(fresh, empty, WORDS, "bench")
        full = work / "full-answer.bundle"
        answer_s, _ = timed(lambda: read_outbound(check_bundle(empty, WORDS), by_file, full))
        apply_s, summary = timed(lambda: read_answer(fresh, check_bundle(full, WORDS), None))
        pull_s, _ = timed(lambda: Replicator(fresh_twin, by_net).pull())
        assert fresh.update_seq == fresh_twin.update_seq == args.docs
        for store in (laptop, twin, fresh, fresh_twin):
            store.close()
        next(servers, None)

    n = args.docs
    print(f"{n} documents, {server.kind} at {server.url}")
    print(f"laptop writes the bundle:        {write_s:6.2f} s  (target < 10 s)")
    print(
        f"office reads it into the server: {office_s:6.2f} s  vs network push {push_s:.2f} s"
        f"  -> {push_s / office_s:.2f}x"
    )
    print(f"office writes a {n}-document answer: {answer_s:6.2f} s")
    print(
        f"laptop reads the answer:         {apply_s:6.2f} s  vs network pull {pull_s:.2f} s"
        f"  -> {pull_s / apply_s:.2f}x  (target < 10 s)"
    )
    print(
        f"bundle size {size / 1e6:.2f} MB vs the documents' JSON gzipped {gzipped / 1e6:.2f} MB"
        f" -> {size / gzipped:.3f}  (target <= 1.10)"
    )


if __name__ == "__main__":
    main()
