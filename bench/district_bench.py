# ruff: noqa: E501  (report lines read best unwrapped)
"""A district of 150,000 documents: its first pull onto a new laptop, then the case list.

- the initial pull: the whole `careforms sync` process into a new encrypted replica (its
  progress bar on standard error), its time and its peak memory (target: under 300 MB);
- then the app on that replica: the case list opening (the first time, when its index is
  built, and afterwards) against the bare-Textual floor (a minimal app showing one static
  list), measured as bench/tui_bench.py measures it (its helpers are imported); target:
  within 1.5x the floor.

The district is fictional children with their assessments, visits and plans
(engine.casework.demo_caseload), about 17 documents per child, uploaded to the server first.
The server is chosen as for the tests (tests/sync/server.py): real CouchDB by default.

    python3 bench/district_bench.py [--docs 150000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from tui_bench import TODAY, careforms_round, minimal_start  # noqa: E402

from engine.casework.demo_caseload import caseload, documents  # noqa: E402
from engine.forms.registry import FormRegistry  # noqa: E402
from sync.couch import CouchServer  # noqa: E402
from sync.store import Store  # noqa: E402
from tests.sync.server import ServerUnderTest, start_server  # noqa: E402

PASSPHRASE = "bench passphrase"
MEMORY_TARGET_MB = 300


def upload_district(server: ServerUnderTest, district: str, wanted: int) -> int:
    """Fictional children and their documents, 500 children at a time, until `wanted`."""
    start = time.perf_counter()
    db = CouchServer(server.url, server.admin, server.password).database(
        f"careforms-district-{district}"
    )
    db.create()
    forms = FormRegistry.load()
    sent = seed = 0
    while sent < wanted:
        made = caseload(500, today=TODAY, seed=seed, forms=forms, district=district)
        docs = list(documents(made))[: wanted - sent]
        for at in range(0, len(docs), 1000):
            answer = db.server.call(
                lambda s, chunk=docs[at : at + 1000]: s.post_bulk_docs(
                    db=db.name, bulk_docs={"docs": chunk}
                )
            )
            assert not [row for row in answer if "error" in row], answer[:3]
        sent += len(docs)
        seed += 500
    print(f"uploaded {sent:,} documents in {time.perf_counter() - start:.0f} s", flush=True)
    return sent


def first_pull(server: ServerUnderTest, home: Path, district: str) -> tuple[float, float, str]:
    """(seconds, peak resident memory in MB, the progress bar's last line) of the process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COUCHDB_", "CAREFORMS_"))}
    env |= {"CAREFORMS_PASSPHRASE": PASSPHRASE, "COUCHDB_USER": server.admin,
            "COUCHDB_PASSWORD": server.password, "PYTHONPATH": str(ROOT)}  # fmt: skip
    command = [sys.executable, "-m", "tui.cli", "--lang", "en", "--home", str(home), "sync",
               "--server", server.url, "--district", district]  # fmt: skip
    out_file, err_file = home.parent / "sync.out", home.parent / "sync.err"
    with out_file.open("w") as out, err_file.open("w") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=err)
        peak = 0
        while process.poll() is None:  # the process's own high-water mark, as it runs
            # (not getrusage: a child started by vfork counts this process's memory too)
            peak = max(peak, _high_water_kb(process.pid))
            time.sleep(0.05)
        seconds = time.perf_counter() - start
    assert process.returncode == 0, err_file.read_text()[-2000:]
    bar = [line for line in err_file.read_text().splitlines() if line.startswith("pull:")]
    print(out_file.read_text().strip().splitlines()[0])
    return seconds, peak / 1024, bar[-1] if bar else ""


def _high_water_kb(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    line = next((x for x in status.splitlines() if x.startswith("VmHWM:")), "VmHWM: 0 kB")
    return int(line.split()[1])


async def case_list(replica: Path, rounds: int) -> tuple[float, float, float, float]:
    """(first opening: the list drawn, then its index built; later openings; the floor),
    medians of rounds interleaved with the minimal Textual app, as bench/tui_bench.py does."""
    os.environ["CAREFORMS_PASSPHRASE"] = PASSPHRASE
    with Store.open(replica, PASSPHRASE) as store:
        drawn, _, _, built = await careforms_round(store, replica)  # builds the saved index
        floor, ours = [], []
        for _ in range(rounds):
            floor.append((await minimal_start())[0])
            ours.append((await careforms_round(store, replica))[0])
    return drawn, built, statistics.median(ours), statistics.median(floor)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=150_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for server in start_server(work / "server"):
            district = server.new_district("big")
            count = upload_district(server, district, args.docs)
            home = work / "laptop"
            seconds, peak, bar = first_pull(server, home, district)
            replica = home / "replica.db"
            size = sum(p.stat().st_size for p in home.iterdir() if p.is_file())
            drawn, built, later, floor = asyncio.run(case_list(replica, args.rounds))
            print(f"server: {server.kind} at {server.url}; district of {count:,} documents")
            print(
                f"initial pull (whole careforms sync): {seconds:7.1f} s, {count / seconds:,.0f} docs/s; progress bar: {bar}"
            )
            print(
                f"  peak memory of the process:         {peak:7.0f} MB (target < {MEMORY_TARGET_MB} MB); replica {size / 1e6:.0f} MB"
            )
            print(
                f"case list, first opening: drawn in {drawn * 1000:6.0f} ms; its index (bands, due dates) built in {built * 1000:6.0f} ms"
            )
            print(
                f"case list opening afterwards:          {later * 1000:6.0f} ms  ratio {later / floor:.2f}x the minimal Textual app's {floor * 1000:.0f} ms (target <= 1.5x)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
