"""A screening batch (双排查): a department's list matched against the register, and one
verification task (入户核查) per good record, for the village the record names.

The batch and its tasks are ordinary documents of the district, so they reach the laptops of
that district on the next sync: `screening:<uuid>` and `verification:<batch uuid>:<row>`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from engine.casework.case_documents import stamp
from engine.casework.department_lists import DepartmentList, ListRecord
from engine.casework.list_matching import Register, categories_in, match

SCREENING, VERIFICATION = "screening", "verification"
OPEN, CONFIRMED, NOT_CONFIRMED = "open", "confirmed", "not_confirmed"
KEPT_PROBLEMS = 2000  # bad rows kept in the batch document; the count is always whole


@dataclass(frozen=True, slots=True)
class Screening:
    batch: dict[str, Any]
    tasks: list[dict[str, Any]]

    @property
    def matched(self) -> int:
        return int(self.batch["matched"])

    @property
    def unmatched(self) -> int:
        return int(self.batch["unmatched"])


def record_json(record: ListRecord) -> dict[str, Any]:
    return {
        **record.fields,  # as the department wrote them; the checked values below win
        "name": record.name,
        "id_number": record.id_number,
        "sex": record.sex,
        "birth_date": record.birth_date.isoformat() if record.birth_date else None,
    }


def screening_batch(
    listing: DepartmentList,
    register: Register,
    *,
    uuid: str,
    source: str,
    categories: tuple[str, ...] = (),
    known_categories: tuple[str, ...] = (),
    district: str,
    digest: str = "",
    by: str,
    device: str,
    at: datetime,
) -> Screening:
    """The batch document and its verification tasks (nothing is written here)."""
    batch_id = f"{SCREENING}:{uuid}"
    tasks = []
    matched = 0
    for record in listing.records:
        wanted = list(categories)
        for found in categories_in(record.fields.get("category", ""), known_categories):
            if found not in wanted:
                wanted.append(found)
        found_match = match(record, register, wanted)
        matched += found_match.child is not None
        township, village = register.place_of(record)
        task = {
            "_id": f"{VERIFICATION}:{uuid}:{record.row:07d}",
            "type": VERIFICATION,
            "district": district,
            "batch": batch_id,
            "source": source,
            "file": listing.file,
            "row": record.row,
            "record": record_json(record),
            "township": township,
            "village": village,
            "categories": wanted,
            "match": found_match.as_json(),
            "status": OPEN,
        }
        tasks.append(stamp(task, by, device, at))
    bad = [
        {"row": p.row, "column": p.column.letter if p.column else None,
         "header": p.column.header if p.column else None, "code": p.code, "detail": p.detail}
        for p in listing.problems[:KEPT_PROBLEMS]
    ]  # fmt: skip
    batch = {
        "_id": batch_id,
        "type": SCREENING,
        "district": district,
        "source": source,
        "file": listing.file,
        "sheet": listing.sheet,
        "digest": digest,
        "categories": list(categories),
        "records": listing.rows_read,
        "bad_rows": listing.bad_rows,
        "problems": bad,
        "matched": matched,
        "unmatched": len(tasks) - matched,
        "tasks": len(tasks),
    }
    return Screening(stamp(batch, by, device, at), tasks)


@dataclass(frozen=True, slots=True)
class BatchProgress:
    """The figures Yizheng reports for a batch: records compared, candidates, verified,
    confirmed, new children, exits (and category changes, and what is still open)."""

    batch: str
    source: str
    imported_at: str
    records: int
    bad_rows: int
    candidates: int
    matched: int
    unmatched: int
    verified: int
    confirmed: int
    not_confirmed: int
    new_children: int
    category_changes: int
    exits: int
    open: int

    def as_json(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)


def batch_progress(batch: dict[str, Any], tasks: list[dict[str, Any]]) -> BatchProgress:
    mine = [t for t in tasks if t.get("batch") == batch.get("_id")]
    closed = [t for t in mine if t.get("status") in (CONFIRMED, NOT_CONFIRMED)]
    outcomes = [str((t.get("outcome") or {}).get("kind", "")) for t in closed]
    return BatchProgress(
        batch=str(batch.get("_id", "")),
        source=str(batch.get("source", "")),
        imported_at=str(batch.get("created_at", "")),
        records=int(batch.get("records", 0)),
        bad_rows=len(batch.get("bad_rows", [])),
        candidates=len(mine),
        matched=sum(1 for t in mine if (t.get("match") or {}).get("child")),
        unmatched=sum(1 for t in mine if not (t.get("match") or {}).get("child")),
        verified=len(closed),
        confirmed=sum(1 for t in closed if t.get("status") == CONFIRMED),
        not_confirmed=sum(1 for t in closed if t.get("status") == NOT_CONFIRMED),
        new_children=outcomes.count("new_child"),
        category_changes=outcomes.count("categories"),
        exits=outcomes.count("exit"),
        open=len(mine) - len(closed),
    )
