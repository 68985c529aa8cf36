"""Sync with no network: the replication carried in files (see `sync.bundle_file`).

A laptop writes an *outbound* bundle: every revision changed since the office last
acknowledged one, each leaf with its history, exactly what a push would send. At the office,
`read_outbound` writes those revisions into the district database as a push does
(`new_edits=false`: same validation, conflicts kept, rejections per document) and writes an
*answer*: the revisions the district database gained since the laptop's last answer (other
workers' changes), with the acknowledgement of what arrived and the rejections. The laptop
applies the answer as a pull would.

Nothing is lost whatever happens to the files: a bundle that never arrives is not
acknowledged, so its revisions go again in the next one; applying a bundle or an answer twice
changes nothing (replicated writes are idempotent); an old answer applied after a newer one
adds nothing and moves nothing back. Every bundle is read through and checked whole before
any of it is applied.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from sync.bundle_file import KDF_COST, CheckedBundle, write_bundle
from sync.couch import CouchDatabase
from sync.documents import LOCAL_PREFIX
from sync.errors import SyncError
from sync.peers import LocalPeer, Rejection, RemotePeer
from sync.published_forms import (
    PulledForms,
    forms_changes,
    forms_since,
    known_forms,
    take_rows,
)
from sync.replicator import in_order
from sync.server_setup import forms_databases
from sync.store import Store

STATE_ID = LOCAL_PREFIX + "careforms-bundles"
OUTBOUND, ANSWER = "outbound", "answer"
BATCH = 500


class BundleRefused(SyncError):
    """A sound bundle that does not belong here (another replica or district, or the other
    kind); `words` holds the message in each interface language."""

    def __init__(self, words: dict[str, str]) -> None:
        self.words = words
        super().__init__(words["en"])


@dataclass
class BundleState:
    """What this replica knows of the office, kept in a `_local` document."""

    acked_seq: int = 0  # every local change up to here reached the office
    pull_since: Any = 0  # the district database's sequence of the last answer applied

    @classmethod
    def load(cls, store: Store) -> BundleState:
        doc = store.get_local(STATE_ID) or {}
        return cls(int(doc.get("acked_seq", 0)), doc.get("pull_since", 0))

    def save(self, store: Store) -> None:
        store.put_local(
            {"_id": STATE_ID, "acked_seq": self.acked_seq, "pull_since": self.pull_since}
        )


@dataclass
class BundleSummary:
    """What writing or reading one bundle did."""

    kind: str
    documents: int = 0  # revisions carried
    written: int = 0  # documents that changed where the bundle was applied
    rejected: list[Rejection] = field(default_factory=list)
    size: int = 0  # bytes of the file written
    answer_documents: int = 0  # at the office: revisions put in the answer
    forms: PulledForms = field(default_factory=PulledForms)  # on the laptop: forms taken


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def outbound_since(store: Store) -> int:
    """The local sequence the next outbound bundle starts after."""
    return BundleState.load(store).acked_seq


MIN_PASSPHRASE = 8  # characters of a passphrase that seals a new bundle


def bundle_name(at: datetime) -> str:
    """The file name of a bundle written at `at`."""
    return f"careforms-{at:%Y%m%d-%H%M%S}.bundle"


def write_outbound(
    store: Store, path: Path, passphrase: str, district: str, *, kdf_cost: int = KDF_COST
) -> BundleSummary:
    """Write what the office has not acknowledged yet into a bundle at `path`."""
    state = BundleState.load(store)
    summary = BundleSummary(OUTBOUND)
    reads = store.reader()
    upto = reads.update_seq

    def records() -> Iterator[Any]:
        yield {
            "kind": OUTBOUND,
            "bundle": uuid.uuid4().hex,
            "replica": store.uuid,
            "district": district,
            "since": state.acked_seq,
            "upto": upto,
            "pull_since": state.pull_since,
            "forms_since": forms_since(store),
            "written_at": _now(),
        }
        since = state.acked_seq
        while since < upto:
            feed = reads.changes(since, BATCH)
            changed = {c.id: list(c.revs) for c in feed.results if c.seq <= upto}
            for doc in reads.open_revs_many(changed):
                summary.documents += 1
                yield {"doc": doc}
            if len(feed.results) < BATCH:
                break
            since = feed.last_seq
        yield {"end": {"documents": summary.documents}}

    summary.size = write_bundle(path, passphrase, records(), kdf_cost=kdf_cost)
    return summary


def expect(bundle: CheckedBundle, kind: str) -> None:
    """Refuse a bundle of the other kind, saying where it belongs."""
    found = bundle.header.get("kind")
    if found == kind:
        return
    if found == ANSWER:
        words = {
            "zh-CN": f"{bundle.path} 是办公室的回执包，应在工作电脑上导入。",
            "en": f"{bundle.path} is the office's answer: read it on the laptop.",
        }
    else:
        words = {
            "zh-CN": f"{bundle.path} 是工作电脑的外发包，应在办公室导入。",
            "en": f"{bundle.path} is a laptop's bundle: read it at the office.",
        }
    raise BundleRefused(words)


def _other_district(bundle: CheckedBundle, here: str) -> BundleRefused:
    return BundleRefused(
        {
            "zh-CN": f"{bundle.path} 属于辖区 {bundle.header.get('district')}，不是 {here}；"
            "未导入任何内容。",
            "en": f"{bundle.path} belongs to district {bundle.header.get('district')}, not "
            f"{here}; nothing was applied.",
        }
    )


def read_outbound(
    bundle: CheckedBundle,
    database: CouchDatabase,
    answer: Path,
    *,
    district: str | None = None,
    kdf_cost: int = KDF_COST,
) -> BundleSummary:
    """At the office: write a laptop's bundle into its district database (as a push would)
    and the answer for the laptop at `answer`, sealed with the same passphrase."""
    expect(bundle, OUTBOUND)
    header = bundle.header
    if district is not None and header.get("district") != district:
        raise _other_district(bundle, district)
    remote = RemotePeer(database)
    summary = BundleSummary(OUTBOUND)
    received: set[tuple[str, str]] = set()

    def write(docs: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], tuple[int, Any]]:
        return docs, remote.write(remote.prepare(docs))

    # Batches written as a push writes them: several requests in flight, results in order.
    for docs, (written, rejected) in in_order(bundle.batches(BATCH), write, remote.in_flight):
        summary.documents += len(docs)
        summary.written += written
        summary.rejected += rejected
        received |= {(str(d.get("_id")), str(d.get("_rev"))) for d in docs}
    since = header.get("pull_since", 0)

    def records() -> Iterator[Any]:
        yield {
            "kind": ANSWER,
            "bundle": uuid.uuid4().hex,
            "in_reply_to": header.get("bundle"),
            "replica": header.get("replica"),
            "district": header.get("district"),
            "ack": header.get("upto"),
            "since": since,
            "rejected": [
                {"id": r.doc_id, "rev": r.rev, "error": r.error, "reason": r.reason}
                for r in summary.rejected
            ],
            "written_at": _now(),
        }
        last_seq = since
        for seq, docs in _office_changes(remote, since, received):
            for doc in docs:
                summary.answer_documents += 1
                yield {"doc": doc}
            last_seq = seq
        yield from _published_forms(database, header)
        yield {"end": {"documents": summary.answer_documents, "last_seq": last_seq}}

    summary.size = write_bundle(answer, bundle.passphrase, records(), kdf_cost=kdf_cost)
    return summary


def _office_changes(
    remote: RemotePeer, since: Any, known: set[tuple[str, str]]
) -> Iterator[tuple[Any, list[dict[str, Any]]]]:
    """Every leaf the district database changed after `since`, except the `known` ones."""
    while True:
        batch = remote.changes(since, BATCH)
        wanted = {
            doc_id: new
            for doc_id, revs in batch.changes
            if (new := [rev for rev in revs if (doc_id, rev) not in known])
        }
        # a revision too deep to read (see RemotePeer.fetch) cannot travel in a file either
        yield batch.last_seq, remote.fetch(wanted)[0] if wanted else []
        if batch.size < BATCH:
            return
        since = batch.last_seq


def _published_forms(database: CouchDatabase, header: dict[str, Any]) -> Iterator[Any]:
    """The published forms the laptop has not read yet, as a sync pulls them."""
    since = header.get("forms_since")
    since = since if isinstance(since, dict) else {}
    for name in forms_databases(str(header.get("district"))):
        start = since.get(name, 0)
        for rows, last_seq in forms_changes(database.server, name, start):
            yield {"forms": name, "since": start, "rows": rows, "last_seq": last_seq}
            start = last_seq


def _take_forms(store: Store, records: list[dict[str, Any]], district: str) -> PulledForms:
    """Keep the published forms an answer brought. A batch that does not continue from
    where this laptop is (an old answer read late) is checked and kept all the same, but
    moves no sequence back."""
    outcome = PulledForms()
    forms = cache(lambda: known_forms(store))  # loaded when a version arrives
    for record in records:
        name, rows = str(record.get("forms")), record.get("rows")
        if not isinstance(rows, list) or name not in forms_databases(district):
            continue  # only the forms databases a laptop of this district reads
        here = forms_since(store).get(name, 0)
        last_seq = record.get("last_seq") if record.get("since", 0) == here else here
        take_rows(store, forms, name, [r for r in rows if isinstance(r, dict)], last_seq, outcome)
    return outcome


def read_answer(store: Store, bundle: CheckedBundle, district: str | None) -> BundleSummary:
    """On the laptop: apply the office's answer (as a pull would) and what it acknowledges."""
    expect(bundle, ANSWER)
    header = bundle.header
    if header.get("replica") != store.uuid:
        raise BundleRefused(
            {
                "zh-CN": f"{bundle.path} 是办公室给另一台电脑的回执，不属于本机；未导入任何内容。",
                "en": f"{bundle.path} answers another laptop's bundle, not this replica's; "
                "nothing was applied.",
            }
        )
    if district is not None and header.get("district") != district:
        raise _other_district(bundle, district)
    local = LocalPeer(store)
    summary = BundleSummary(ANSWER)
    with store.transaction():  # the answer lands whole, with what it acknowledges, or not at all
        others: list[dict[str, Any]] = []
        for docs in bundle.batches(BATCH, others):
            written, rejected = local.write(local.prepare(docs))
            summary.documents += len(docs)
            summary.written += written
            summary.rejected += rejected
        forms = [r for r in others if "forms" in r]
        summary.forms = _take_forms(store, forms, str(header.get("district")))
        state = BundleState.load(store)
        state.acked_seq = max(state.acked_seq, int(header.get("ack") or 0))
        if header.get("since", 0) == state.pull_since:  # the answer that follows the last one
            state.pull_since = bundle.end.get("last_seq", state.pull_since)
        state.save(store)
    refused = [
        Rejection(str(r.get("id")), r.get("rev"), str(r.get("error")), str(r.get("reason", "")))
        for r in header.get("rejected", [])
        if isinstance(r, dict)
    ]
    local.note_rejected(refused)  # kept until the document changes, as a sync keeps them
    summary.rejected += refused
    store.refresh_digests()  # the children it brought, each once (sync.case_digests)
    return summary
