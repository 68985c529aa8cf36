"""The rows of the case list, and searching, filtering and sorting them quickly.

A row is built from the child document alone first (so the list shows at once) and gains its
band, next due date and warning when the child's other documents have been read.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from engine.casework.casefile import CaseFile, child_uuid, object_at
from engine.casework.early_warning import early_warnings
from engine.casework.names import spelling
from engine.casework.rules import CaseworkRules
from engine.casework.schedule import DueEntry, DueItem, band_of, due_items

SORTS = ("band", "name", "due", "village")


@dataclass(frozen=True, slots=True)
class CaseRow:
    id: str
    name: str
    categories: tuple[str, ...]
    village: str
    band: str | None = None
    due: date | None = None
    overdue: int = 0
    warned: bool = False
    state: str = "intake"
    search: str = ""  # name, its pinyin and initials, village: matched as the user types
    spelled: str = ""  # the name in pinyin, for sorting by name
    drafts: int = 0  # unfinished forms about the child
    township: str = ""
    items: tuple[DueItem, ...] = ()  # everything due for the child, soonest first


def keyed(row: CaseRow, known: tuple[str, str] | None = None) -> CaseRow:
    """The row with its search text and pinyin sort key filled in (once per row); `known`:
    the name's spelling as the child's digest keeps it."""
    spelled, initials = known or spelling(row.name)
    parts = (row.name.lower(), spelled, initials, row.village.lower(), row.township.lower())
    return replace(row, search="\x00".join(parts), spelled=spelled)


def row_from_child(
    child: dict[str, Any], *, spell: bool = True, known: tuple[str, str] | None = None
) -> CaseRow:
    answers = object_at(child, "answers")
    uuid = child_uuid(str(child.get("_id", "")))
    name = str(answers.get("name", "?"))
    state = (
        child.get("case", {}).get("state", "intake")
        if isinstance(child.get("case"), dict)
        else "intake"
    )
    row = CaseRow(
        id=uuid,
        name=name,
        categories=tuple(str(c) for c in answers.get("categories", []) if isinstance(c, str)),
        village=str(answers.get("village", "")),
        state=str(state),
        search=f"{name.lower()}\x00{str(answers.get('village', '')).lower()}",
        township=str(answers.get("township", "")),
    )
    return keyed(row, known) if spell else row


def enrich(row: CaseRow, case: CaseFile, rules: CaseworkRules, today: date) -> CaseRow:
    items = tuple(due_items(case, rules, today))
    item = items[0] if items else None
    return replace(
        row,
        band=band_of(case, rules),
        due=item.due if item else None,
        overdue=item.overdue_days(today) if item else 0,
        warned=bool(early_warnings(case, rules)),
        drafts=sum(1 for o in case.observations if not o.final),
        items=items,
    )


def due_entries(rows: Sequence[CaseRow], today: date, days: int) -> list[DueEntry]:
    """The due list (overdue or due within `days`) from the rows: no document is read."""
    return [
        DueEntry(r.id, r.name, r.township, r.village, r.band, item)
        for r in rows
        for item in r.items
        if item.is_due_within(today, days)
    ]


@dataclass(frozen=True, slots=True)
class Query:
    text: str = ""
    band: str | None = None
    category: str | None = None
    overdue_only: bool = False
    sort: str = "band"


def ordered(rows: list[CaseRow], sort: str, band_order: dict[str, int]) -> list[CaseRow]:
    """The rows in one of the SORTS orders."""
    last = len(band_order)
    keys = {
        "band": lambda r: (band_order.get(r.band or "", last), r.due or date.max, r.name),
        "name": lambda r: (r.spelled or r.name, r.name, r.id),
        "due": lambda r: (r.due or date.max, r.name),
        "village": lambda r: (r.village, r.name),
    }
    return sorted(rows, key=keys.get(sort, keys["band"]))


_ID_LIKE = re.compile(r"[0-9a-f]{4,32}")


def looks_like_id(text: str) -> bool:
    """Ids are matched only for text that could be one (4+ hex digits): a single letter
    must not find every child through its hidden id."""
    return bool(_ID_LIKE.fullmatch(text))


def matching(rows: list[CaseRow], query: Query) -> list[CaseRow]:
    """The rows that match, in the order given (filtering keeps an order: no sort per key).
    The text matches the name, its pinyin (wangxiaoming) or initials (wxm), the village,
    and the id when it looks like one."""
    needle = query.text.strip().lower().replace(" ", "")
    if not (needle or query.band or query.category or query.overdue_only):
        return rows
    by_id = looks_like_id(needle)
    return [
        r
        for r in rows
        if (not needle or needle in r.search or (by_id and r.id.startswith(needle)))
        and (query.band is None or r.band == query.band)
        and (query.category is None or query.category in r.categories)
        and (not query.overdue_only or r.overdue > 0)
    ]


def select(rows: list[CaseRow], query: Query, band_order: dict[str, int]) -> list[CaseRow]:
    """The rows that match, in the chosen order."""
    return matching(ordered(rows, query.sort, band_order), query)


# --- the saved index: rows as last computed, so the list is complete the moment it opens ---

INDEX_ID = "_local/careforms-case-index"
HEAD_ID = "_local/careforms-case-index-head"
HEAD_ROWS = 120
INDEX_VERSION = 3


@dataclass(frozen=True, slots=True)
class SavedIndex:
    rows: list[CaseRow]
    seq: int  # the replica's update_seq the rows were computed at
    day: str  # the day the due dates were computed for
    rules: str  # fingerprint of the rules and forms they were computed with


def rules_fingerprint(rules: CaseworkRules, band_form_digest: str) -> str:
    import hashlib

    text = rules.model_dump_json() + band_form_digest + str(INDEX_VERSION)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _unpack(packed: list[Any], texts: list[Any], today: date) -> list[CaseRow]:
    rows = []
    for (uid, name, categories, village, band, due, warned, state, search, spelled, drafts,
         township, items) in packed:  # fmt: skip
        due_on = date.fromisoformat(due) if due else None
        overdue = max(0, (today - due_on).days) if due_on else 0
        dues = tuple(
            DueItem(rule, kind, texts[label], date.fromisoformat(on),
                    date.fromisoformat(since) if since else None, texts[because])
            for rule, kind, label, on, since, because in items
        )  # fmt: skip
        rows.append(CaseRow(uid, name, tuple(categories), village, band, due_on, overdue,
                            bool(warned), state, search, spelled, drafts, township,
                            dues))  # fmt: skip
    return rows


def _pack(rows: list[CaseRow]) -> tuple[list[list[Any]], list[Any]]:
    """The rows as lists, and the texts of their due items once each (they repeat)."""
    texts: dict[str, int] = {}

    def text(value: dict[str, str]) -> int:
        key = json.dumps(value, sort_keys=True, ensure_ascii=False)
        return texts.setdefault(key, len(texts))

    packed = [
        [r.id, r.name, list(r.categories), r.village, r.band,
         r.due.isoformat() if r.due else None, r.warned, r.state, r.search, r.spelled, r.drafts,
         r.township,
         [[i.rule, i.kind, text(i.label), i.due.isoformat(),
           i.since.isoformat() if i.since else None, text(i.because)] for i in r.items]]
        for r in rows
    ]  # fmt: skip
    return packed, [json.loads(k) for k in texts]


def load_index(store: Any, today: date) -> SavedIndex | None:
    doc = store.get_local(INDEX_ID)
    if not doc or doc.get("version") != INDEX_VERSION:
        return None
    rows = _unpack(doc.get("rows", []), doc.get("texts", []), today)
    return SavedIndex(
        rows, int(doc.get("seq", 0)), str(doc.get("day", "")), str(doc.get("rules", ""))
    )


def load_head(store: Any, today: date) -> tuple[list[CaseRow], int] | None:
    """The first screenful of the saved index in the default order, and how many in all."""
    doc = store.get_local(HEAD_ID)
    if not doc or doc.get("version") != INDEX_VERSION:
        return None
    return _unpack(doc.get("rows", []), doc.get("texts", []), today), int(doc.get("total", 0))


def save_index(
    store: Any, rows: list[CaseRow], seq: int, day: date, rules: str, head: Sequence[CaseRow] = ()
) -> None:
    """The whole index, and its first screenful apart so that the list opens drawing it."""
    packed, texts = _pack(rows)
    store.put_local({"_id": INDEX_ID, "version": INDEX_VERSION, "seq": seq, "day": day.isoformat(),
                     "rules": rules, "rows": packed, "texts": texts})  # fmt: skip
    packed, texts = _pack(list(head)[:HEAD_ROWS])
    store.put_local({"_id": HEAD_ID, "version": INDEX_VERSION, "total": len(rows),
                     "rows": packed, "texts": texts})  # fmt: skip


def changed_children(store: Any, since: int) -> set[str]:
    """The children any of whose documents changed after `since`."""
    return {child_uuid(change.id) for change in store.changes(since).results if ":" in change.id}


Progress = Callable[[list[CaseRow], int, int], None]
PROGRESS_EVERY = 0.25  # seconds between partial lists shown while everyone is computed
FIRST_SCREEN = 50  # children computed first, one by one: those the list shows first


def recompute(
    store: Any,
    rules: CaseworkRules,
    today: date,
    rows: list[CaseRow] | None,
    since: int | None,
    progress: Progress | None = None,
) -> list[CaseRow]:
    """Rows for every child (no rows or no `since`), or for the children changed since.
    Computing everyone, `progress` gets the rows so far as they come, the others as last
    computed (`rows`) or with their names only."""
    from tui.case_files import case_summaries, paused_gc

    if rows is None or since is None:
        with paused_gc():  # the collector's passes over the rows made cost a fifth more
            return _everyone(store, rules, today, rows, progress)
    by_id = {r.id: r for r in rows}
    for uid, found in case_summaries(store, changed_children(store, since)).items():
        if found is None:
            by_id.pop(uid, None)
        else:
            by_id[uid] = enrich(row_from_child(found.child), found, rules, today)
    return list(by_id.values())


def _everyone(
    store: Any,
    rules: CaseworkRules,
    today: date,
    rows: list[CaseRow] | None,
    progress: Progress | None,
) -> list[CaseRow]:
    """Every child's row, from the children's digests; the first screenful first."""
    from tui.case_files import case_file, case_summaries, each_case_summary

    shown: dict[str, CaseRow] = {}
    early: dict[str, CaseRow] = {}  # the first screenful, computed first: not redone
    told = 0  # how far the progress has said: it never goes back

    def tell(count: int) -> None:
        nonlocal told
        if progress is not None:
            told = max(told, count)
            progress(list(shown.values()), told, len(shown))

    if progress is not None:  # the first screenful at once, child by child
        plain = sorted((row_from_child(c, spell=False) for c in store.all_docs("child:")),
                       key=lambda r: r.name)  # fmt: skip
        known = {r.id: r for r in rows or ()}  # as last computed: shown until redone
        shown = {r.id: known.get(r.id, r) for r in plain}
        # from the digests when they are current; else from the documents, so that the
        # first screenful does not wait for the digests to be caught up
        first = [row.id for row in plain[:FIRST_SCREEN]]
        files = (
            case_summaries(store, first)
            if store.digests_current()
            else {uid: case_file(store, uid) for uid in first}
        )
        for row in plain[:FIRST_SCREEN]:
            found = files[row.id]
            if found is not None:
                shown[row.id] = early[row.id] = enrich(keyed(row), found, rules, today)
        tell(min(FIRST_SCREEN, len(plain)))

    built = False  # the digests were built first: that was the first half of the way

    def building(done: int, total: int) -> None:  # once, on a replica made before them
        nonlocal built
        built = True
        tell(done * len(shown) // max(2 * total, 1))

    done: list[CaseRow] = []
    last = time.monotonic()
    for case in each_case_summary(store, building=building):
        spelled = case.spelled_name
        row = early.get(case.id) or enrich(
            row_from_child(case.child, known=spelled), case, rules, today
        )
        done.append(row)
        if progress is not None:
            shown[row.id] = row
            if time.monotonic() - last > PROGRESS_EVERY:
                tell((len(shown) + len(done)) // 2 if built else len(done))
                last = time.monotonic()
    return done


def up_to_date(
    store: Any,
    rules: CaseworkRules,
    today: date,
    fingerprint: str,
    band_order: dict[str, int],
    saved: SavedIndex | None,
    progress: Progress | None = None,
) -> tuple[list[CaseRow], int]:
    """The rows brought up to date from a saved index (only the children changed since, when
    it is of today and of these rules; else everyone, with `progress`), saved again; and the
    replica's sequence they are of."""
    seq = store.update_seq
    current = saved is not None and saved.day == today.isoformat() and saved.rules == fingerprint
    if current and saved is not None and saved.seq == seq:
        return saved.rows, seq
    since = saved.seq if current and saved is not None else None
    rows = recompute(
        store, rules, today, saved.rows if saved else None, since,
        progress=progress if since is None else None,
    )  # fmt: skip
    head = select(rows, Query(), band_order)[:HEAD_ROWS]
    save_index(store, rows, seq, today, fingerprint, head)
    return rows, seq
