"""Data in and out: bulk writes, `careforms doc put`, discovery import, the ledger export.

Each figure is printed with a baseline measured in the same run, on the same machine:

- bulk writes: `Store.put_many` against `put` one by one in one transaction (how the demo
  wrote) and against `put` in a transaction each (how `doc put` wrote). Target 10,000 docs/s.
- `careforms doc put` of a 20,000-document list as a whole process, against a process that
  saves the same list the old way (a transaction per document). Target 5,000 docs/s.
- `careforms discover import` of a 10,000-row XLSX list against a 10,000-child register
  (read, check, match, write the batch and its tasks), against reading the file alone with
  openpyxl. Target under 5 s.
- `careforms export ledger` of 10,000 children with their full fictional history (about 17
  documents each), against reading their case files alone (the documents; the export reads
  the children's digests kept beside them). Target under 5 s.

    python3 bench/data_bench.py [--only bulk,docput,discover,ledger] [--children 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.sync_bench import SURNAMES, realistic  # noqa: E402
from engine.casework.id_numbers import check_character  # noqa: E402
from sync.store import Store  # noqa: E402

PASSPHRASE = "bench pass"
TODAY = date(2026, 11, 23)
BASELINE_PUT = """
import json, sys
from pathlib import Path
import tui.cli  # the same start-up as the command
from sync.store import Store
docs = json.loads(Path(sys.argv[1]).read_text("utf-8"))
with Store.open(Path(sys.argv[2]) / "replica.db", sys.argv[3]) as store:
    results = [{"id": d["_id"], "rev": store.put(d)} for d in docs]
json.dump(results, sys.stdout, ensure_ascii=False, indent=2)
"""


CPU: list[float] = []  # the process time of the last timed run (the machine is shared)


def timed(run: Callable[[], Any]) -> float:
    start, cpu = time.perf_counter(), time.process_time()
    run()
    CPU.append(time.process_time() - cpu)
    return time.perf_counter() - start


def fresh(folder: Path, name: str) -> Store:
    return Store.open(folder / name / "replica.db", PASSPHRASE, kdf_cost=2**8)


def bench_bulk(work: Path, count: int = 10_000) -> None:
    rng = random.Random(1)
    docs = [realistic(i, rng) for i in range(count)]
    with fresh(work, "many") as store:
        many = timed(lambda: store.put_many(docs))
        many_cpu = CPU[-1]
    with fresh(work, "loop") as store:

        def loop() -> None:
            with store.transaction():
                for doc in docs:
                    store.put(doc)

        one_transaction = timed(loop)
    few = docs[:2000]  # a transaction each is slow: timed on a fifth
    with fresh(work, "each") as store:
        each = timed(lambda: [store.put(d) for d in few]) * len(docs) / len(few)
    print(f"bulk writes, {count} documents of ~1 KB into an encrypted replica:")
    print(f"  put_many                    {count / many:8.0f} docs/s   (target 10000; "
          f"{count / many_cpu:.0f} per CPU second)")  # fmt: skip
    print(f"  put, one transaction        {count / one_transaction:8.0f} docs/s   "
          f"put_many is {one_transaction / many:.2f}x")  # fmt: skip
    print(f"  put, a transaction each     {count / each:8.0f} docs/s   "
          f"put_many is {each / many:.2f}x")  # fmt: skip


def _process(args: list[str], home: Path) -> float:
    env = {**os.environ, "CAREFORMS_PASSPHRASE": PASSPHRASE, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    subprocess.run(args, check=True, env=env, stdout=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - start


def bench_doc_put(work: Path, count: int = 20_000) -> None:
    rng = random.Random(3)
    listing = work / "docs.json"
    listing.write_text(json.dumps([realistic(i, rng) for i in range(count)], ensure_ascii=False))
    new = _process([sys.executable, "-m", "tui.cli", "--home", str(work / "put-new"), "doc", "put",
                    str(listing)], work)  # fmt: skip
    (work / "put-old").mkdir()
    old = _process([sys.executable, "-c", BASELINE_PUT, str(listing), str(work / "put-old"),
                    PASSPHRASE], work)  # fmt: skip
    print(f"careforms doc put, {count} documents, whole process:")
    print(f"  careforms doc put           {count / new:8.0f} docs/s   {new:.2f} s (target 5000/s)")
    print(f"  a transaction per document  {count / old:8.0f} docs/s   {old:.2f} s "
          f"(doc put is {old / new:.2f}x)")  # fmt: skip


def _id_number(birth: date, sequence: int) -> str:
    first = f"321081{birth:%Y%m%d}{sequence % 1000:03d}"
    return first + check_character(first)


def bench_discover(work: Path, count: int = 10_000) -> None:
    from openpyxl import Workbook, load_workbook

    from tui.cli import main

    rng = random.Random(5)
    villages = [f"{name}村" for name in ("石桥", "柳塘", "上湾", "竹林", "松岭", "云岗", "下坪")]
    given = "子涵欣怡浩然梓萱宇轩一诺雨桐俊杰思远佳怡明轩心悦晨曦嘉豪诗琪博文若汐天佑"
    people = []
    for n in range(2 * count):
        birth = date(2010 + rng.randrange(8), 1 + rng.randrange(12), 1 + rng.randrange(28))
        people.append({
            "name": rng.choice(SURNAMES) + "".join(rng.sample(given, 2)),
            "birth": birth, "number": _id_number(birth, n), "village": rng.choice(villages),
            "guardian": rng.choice(SURNAMES) + rng.choice("军华强明"),
        })  # fmt: skip
    registered, others = people[:count], people[count:]
    home = work / "discover"
    with Store.open(home / "replica.db", PASSPHRASE) as store:
        store.put_many(
            {"_id": f"child:{n:08x}", "type": "child", "district": "bench",
             "answers": {"name": p["name"], "sex": "male", "birth_date": p["birth"].isoformat(),
                         "id_number": p["number"] if n % 2 else None, "categories": ["poverty"],
                         "township": "青山镇", "village": p["village"],
                         "guardian_name": p["guardian"]},
             "case": {"state": "in_service"}}
            for n, p in enumerate(registered)
        )  # fmt: skip
    # The list: a third registered children by ID number or name and birth date, a third
    # registered with the name mistyped, a third unknown; a few bad rows.
    book = Workbook(write_only=True)
    sheet = book.create_sheet("名单")
    sheet.append(["序号", "姓名", "身份证号", "性别", "出生日期", "户籍地址", "监护人"])
    for n in range(count):
        p = registered[n] if n % 3 != 2 else others[n]
        name = p["name"] if n % 3 == 0 else p["name"][:-1] + "华" if n % 3 == 1 else p["name"]
        number = p["number"] if n % 7 else p["number"][:-1] + "0"
        sex = "男" if int(number[16]) % 2 else "女"
        sheet.append([n + 1, name, number, sex, p["birth"], f"青山镇{p['village']}3组",
                      p["guardian"]])  # fmt: skip
    path = work / "list.xlsx"
    book.save(path)
    floor = timed(
        lambda: list(load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    )
    os.environ["CAREFORMS_PASSPHRASE"] = PASSPHRASE
    args = [
        "--home",
        str(home),
        "discover",
        "import",
        str(path),
        "--source",
        "教育局",
        "--json",
        "--district",
        "bench",
    ]
    with open(os.devnull, "w") as quiet:
        stdout, sys.stdout = sys.stdout, quiet
        try:
            spent = timed(lambda: main(args))
            cpu = CPU[-1]
        finally:
            sys.stdout = stdout
    with Store.open(home / "replica.db", PASSPHRASE) as store:
        tasks = list(store.all_docs("verification:"))
    matched = sum(1 for t in tasks if t["match"]["child"])
    print(f"discover import, {count} rows against {count} children:")
    print(
        f"  careforms discover import   {spent:8.2f} s   (target 5 s; {cpu:.2f} s of CPU) "
        f"{len(tasks)} tasks, {matched} matched"
    )
    print(f"  reading the XLSX alone      {floor:8.2f} s   (import is {spent / floor:.2f}x)")


def bench_ledger(work: Path, children: int) -> None:
    from engine.casework.demo_caseload import caseload, documents
    from tui.case_files import paused_gc
    from tui.cli import main

    home = work / "ledger"
    start = time.perf_counter()
    made = caseload(children, today=TODAY, district="bench")
    with Store.open(home / "replica.db", PASSPHRASE) as store:
        written = len(store.put_many(documents(made)))
    print(f"ledger: {children} fictional children, {written} documents "
          f"(made and written in {time.perf_counter() - start:.0f} s)")  # fmt: skip
    del made
    os.environ["CAREFORMS_PASSPHRASE"] = PASSPHRASE
    out = work / "ledger.xlsx"
    args = ["--home", str(home), "export", "ledger", "--on", TODAY.isoformat(), "-o", str(out)]
    spent = timed(lambda: main(args))
    cpu = CPU[-1]
    # where the time goes, phase by phase, the first being the baseline any per-child view pays
    from engine.casework.ledger import ledger_rows, ledger_tables
    from engine.casework.rules import load_rules
    from engine.casework.spreadsheets import write_tables
    from engine.forms.registry import FormRegistry
    from tui.case_files import case_files, each_case_summary

    forms, rules = FormRegistry.load(), load_rules()
    found: dict[str, Any] = {}
    with Store.open(home / "replica.db", PASSPHRASE) as store, paused_gc(command=True):
        digests = timed(lambda: found.update(summaries=list(each_case_summary(store))))
        read = timed(lambda: found.update(files=case_files(store)))
    # the rows from the digests, as the export makes them
    rows = timed(lambda: found.update(rows=ledger_rows(found["summaries"], rules, TODAY)))
    tables = ledger_tables(found["rows"], forms.get("child-profile"), forms.get("risk"), "zh-CN")
    write = timed(lambda: write_tables(work / "again.xlsx", tables))
    print(f"  careforms export ledger     {spent:8.2f} s   (target 5 s; {cpu:.2f} s of CPU)")
    print(f"  reading the case files      {read:8.2f} s   (export is {spent / read:.2f}x)")
    print(f"  reading the digests         {digests:8.2f} s   ({read / digests:.1f}x faster)")
    print(f"  due dates, warnings         {rows:8.2f} s")
    print(f"  writing the XLSX            {write:8.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default="bulk,docput,discover,ledger")
    parser.add_argument("--children", type=int, default=10_000)
    args = parser.parse_args()
    chosen = set(args.only.split(","))
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        if "bulk" in chosen:
            bench_bulk(work)
        if "docput" in chosen:
            bench_doc_put(work)
        if "discover" in chosen:
            bench_discover(work)
        if "ledger" in chosen:
            bench_ledger(work, args.children)


if __name__ == "__main__":
    main()
