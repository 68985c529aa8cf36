"""What a member of a district can do to the district's database, and how every laptop holds.

These run against Apache CouchDB: what they depend on (revision ids it accepts, validation
functions on replicated writes, per-database security) is CouchDB's own behaviour.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from sync.checkpoints import replication_id
from sync.couch import CouchDatabase, CouchServer
from sync.peers import LocalPeer, RemotePeer
from sync.replicator import Replicator
from sync.server_setup import add_user, district_database, init_server
from sync.store import Store
from tests.sync.conftest import FAST_KDF
from tests.sync.server import ServerUnderTest


@dataclass
class District:
    name: str
    admin: CouchDatabase  # the district's database, as an administrator
    worker: CouchDatabase  # the same, as a worker of the district
    member: CouchServer  # a member with roles in this district and `other`
    other: str


@pytest.fixture
def district(server: ServerUnderTest) -> District:
    server.require_couchdb()
    admin = CouchServer(server.url, server.admin, server.password)
    name, other = server.new_district("k"), server.new_district("f")
    init_server(admin, [name, other])
    worker = server.new_database_name("worker")
    add_user(admin, worker, "pw-" + worker, district=name, role="worker")
    member = server.new_database_name("both")
    add_user(admin, member, "pw-" + member, district=name, role="worker")
    users = admin.database("_users")  # a supervisor of two districts
    record = users.get(f"org.couchdb.user:{member}")
    record["roles"] = [*record["roles"], f"worker:{other}"]
    users.put(record)
    return District(
        name,
        admin.database(district_database(name)),
        CouchServer(server.url, worker, "pw-" + worker).database(district_database(name)),
        CouchServer(server.url, member, "pw-" + member),
        other,
    )


@pytest.fixture
def laptop(tmp_path: Path) -> Callable[[str], Store]:
    def open_laptop(name: str) -> Store:
        return Store.open(tmp_path / f"{name}.db", "p", kdf_cost=FAST_KDF)

    return open_laptop


def child(doc_id: str, district: str, **fields: Any) -> dict[str, Any]:
    return {"_id": doc_id, "type": "child", "district": district, **fields}


def server_leaves(db: CouchDatabase, doc_id: str) -> list[tuple[str, bool]]:
    """The server's leaves, its winner first (`_conflicts`, `_deleted_conflicts`)."""
    doc = db.get(doc_id, conflicts=True, deleted_conflicts=True)
    return [
        (doc["_rev"], False),
        *((rev, False) for rev in doc.get("_conflicts", [])),
        *((rev, True) for rev in doc.get("_deleted_conflicts", [])),
    ]


def test_any_revision_id_a_member_writes_is_pulled_ordered_and_pushed_as_couchdb_does(
    district: District, laptop: Callable[[str], Store]
) -> None:
    rng = random.Random(12)
    suffixes = ["dddd", "f" * 40, "a-b", "日本", "0" * 32, "7f" + "0" * 30, "abc", "ff", "z"]
    suffixes += ["".join(rng.choice("0123456789abcdefxyz-") for _ in range(rng.randint(1, 40)))
                 for _ in range(8)]  # fmt: skip
    docs = []
    for n, suffix in enumerate(suffixes):  # one document per odd id, and all as one conflict
        docs.append(
            {**child(f"child:odd{n}", district.name), "_rev": f"{rng.randint(1, 9)}-{suffix}"}
        )
        docs.append({**child("child:many", district.name, n=n), "_rev": f"3-{suffix}",
                     "_revisions": {"start": 3, "ids": [suffix, "shared", "root"]}})  # fmt: skip
    assert district.worker.bulk_docs(docs, new_edits=False) == []  # CouchDB takes them all

    store = laptop("a")
    store.put(child("child:mine", district.name))
    store.put(child("child:elsewhere", district.other))  # refused by the server
    report = Replicator(store, district.worker, batch_size=5).sync()
    assert [(r.doc_id, r.error) for r in report.rejected] == [("child:elsewhere", "forbidden")]
    for doc_id in ["child:many", *(f"child:odd{n}" for n in range(len(suffixes)))]:
        here = [(leaf.rev, leaf.deleted) for leaf in store.leaves(doc_id)]
        assert here[0] == server_leaves(district.admin, doc_id)[0], doc_id  # the same winner
        assert sorted(here) == sorted(server_leaves(district.admin, doc_id))
    assert store.get("child:many")["_rev"] == district.admin.get("child:many")["_rev"]

    # the odd revisions go on as the parents of edits made here, and back to the server
    for doc_id in ("child:odd0", "child:odd1", "child:odd2"):
        store.put({**store.get(doc_id), "village": "东村"})
    other = laptop("b")
    assert Replicator(store, district.worker).sync().pushed.written == 3
    Replicator(other, district.worker).sync()
    for doc_id in ("child:odd0", "child:odd1", "child:odd2"):
        assert district.admin.get(doc_id)["village"] == "东村"
        assert other.get(doc_id) == store.get(doc_id)


def test_a_tampered_server_checkpoint_never_makes_a_pull_skip_documents(
    district: District, laptop: Callable[[str], Store]
) -> None:
    store = laptop("a")
    for n in range(6):
        district.worker.put(child(f"child:{n}", district.name))
    Replicator(store, district.worker).pull()
    for n in range(6, 12):
        district.worker.put(child(f"child:{n}", district.name))
    # a member moves the laptop's pull checkpoint on the server to the end, and adds a made-up
    # session further back, in case the laptop looks there
    rep_id = replication_id(RemotePeer(district.worker).identity, LocalPeer(store).identity)
    checkpoint = district.worker.get_local(rep_id)
    assert checkpoint is not None
    end = district.admin.changes(0, 100)["last_seq"]
    checkpoint["source_last_seq"] = end
    checkpoint["history"][0]["recorded_seq"] = end
    checkpoint["history"].append({"session_id": "made-up", "recorded_seq": end})
    district.worker.put_local(rep_id, checkpoint)

    pulled = Replicator(store, district.worker).pull()
    assert pulled.written == 6
    assert len(list(store.all_docs())) == 12
    # and a log with none of the laptop's sessions at all: from the beginning, nothing lost
    district.worker.put_local(
        rep_id,
        {"_rev": district.worker.get_local(rep_id)["_rev"], "session_id": "made-up",  # type: ignore[index]
         "source_last_seq": end, "history": [{"session_id": "made-up", "recorded_seq": end}]},
    )  # fmt: skip
    district.worker.put(child("child:12", district.name))
    again = Replicator(store, district.worker).pull()
    assert again.examined == 13 and again.written == 1


def test_a_member_cannot_bring_another_district_in_by_any_history(
    district: District, laptop: Callable[[str], Store]
) -> None:
    home = district.member.database(district_database(district.name))
    rev = home.put(child("child:1", district.name))["rev"]
    smuggled = [
        # a new root branch on an existing document: it reaches validation with no oldDoc
        {**child("child:1", district.other), "_rev": "5-" + "e" * 32},
        # a descendant of the stored revision that changes the district
        {**child("child:1", district.other), "_rev": "2-" + "d" * 32,
         "_revisions": {"start": 2, "ids": ["d" * 32, rev.split("-")[1]]}},
        # a new document of the other district in this district's database
        {**child("child:2", district.other), "_rev": "1-" + "c" * 32},
    ]  # fmt: skip
    refused = home.bulk_docs(smuggled, new_edits=False)
    assert [(e["id"], e["error"]) for e in refused] == [
        ("child:1", "forbidden"),
        ("child:1", "forbidden"),
        ("child:2", "forbidden"),
    ]
    assert all(district.other in e["reason"] for e in refused)
    assert server_leaves(district.admin, "child:1") == [(rev, False)]
    # the same member writes the other district's documents where they belong
    away = district.member.database(district_database(district.other))
    assert away.bulk_docs([smuggled[2]], new_edits=False) == []


def test_an_edit_after_the_first_sync_reaches_the_server_as_a_worker(
    district: District, laptop: Callable[[str], Store]
) -> None:
    """PouchDB Server answered success and kept the old revision (a silent drop)."""
    store = laptop("a")
    first = store.put(child("child:1", district.name, name="王小明"))
    assert Replicator(store, district.worker).sync().pushed.written == 1
    edited = store.put({**child("child:1", district.name, name="王晓明"), "_rev": first})
    report = Replicator(store, district.worker).sync()
    assert report.rejected == []
    on_server = district.admin.get("child:1")
    assert (on_server["_rev"], on_server["name"]) == (edited, "王晓明")


def test_a_refused_document_is_remembered_until_it_changes_or_is_dismissed(
    district: District, laptop: Callable[[str], Store]
) -> None:
    store = laptop("a")
    wrong = store.put(child("child:away", district.other))
    store.put(child("child:typeless", district.name) | {"type": ""})
    store.put(child("child:fine", district.name))
    first = Replicator(store, district.worker).sync()
    assert sorted(r.doc_id for r in first.rejected) == ["child:away", "child:typeless"]
    kept = store.rejections()
    assert [(k.doc_id, k.error) for k in kept] == [
        ("child:away", "forbidden"),
        ("child:typeless", "forbidden"),
    ]
    assert kept[0].rev == wrong and district.other in kept[0].reason and kept[0].at
    again = Replicator(store, district.worker).sync()  # not sent again, still remembered
    assert again.rejected == [] and again.pushed.written == 0
    assert [k.doc_id for k in store.rejections()] == ["child:away", "child:typeless"]

    store.put({**store.get("child:away"), "district": district.name})  # mended: sent again
    assert [k.doc_id for k in store.rejections()] == ["child:typeless"]
    mended = Replicator(store, district.worker).sync()
    assert mended.pushed.written == 1 and mended.rejected == []
    assert store.dismiss_rejections(["child:typeless"]) == 1
    assert store.rejections() == []


def test_a_document_nested_too_deeply_is_reported_and_the_rest_arrives(
    district: District, laptop: Callable[[str], Store], server: ServerUnderTest
) -> None:
    for depth in (300, 5000):  # beyond what the replica holds; beyond what JSON readers read
        nested = "[" * depth + "0" + "]" * depth
        body = f'{{"_id": "child:deep{depth}", "type": "child", '
        body += f'"district": "{district.name}", "v": {nested}}}'
        answer = server.request(
            "POST", f"/{district.admin.name}", data=body,
            headers={"Content-Type": "application/json"},
        )  # fmt: skip
        assert answer.status_code == 201, answer.text
    for n in range(7):
        district.worker.put(child(f"child:{n}", district.name))
    store = laptop("a")
    report = Replicator(store, district.worker, batch_size=4).sync()
    assert sorted((r.doc_id, r.error) for r in report.pulled.rejected) == [
        ("child:deep300", "invalid"),
        ("child:deep5000", "invalid"),
    ]
    assert len(list(store.all_docs())) == 7


def test_a_setup_run_while_another_writes_the_validation_does_not_fail(
    server: ServerUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two administrators (or two processes) preparing the server at the same moment: the
    validation function another wrote between our read and our write is looked at again,
    instead of our write failing on the conflict."""
    from sync.server_setup import DESIGN, validate_district

    admin = CouchServer(server.url, server.admin, server.password)
    name = server.new_district("race")
    target = district_database(name)
    read = CouchDatabase.get_design
    raced: list[str] = []

    def another_setup_writes_meanwhile(self: CouchDatabase, design: str) -> Any:
        current = read(self, design)
        if self.name == target and current is None and not raced:
            raced.append(design)  # the other setup's write lands after our read
            body = {"language": "javascript", "validate_doc_update": validate_district(name)}
            self.put_design(design, body)
        return current

    monkeypatch.setattr(CouchDatabase, "get_design", another_setup_writes_meanwhile)
    init_server(admin, [name])
    monkeypatch.undo()
    assert raced == [DESIGN]
    design = admin.database(target).get_design(DESIGN)
    assert design is not None and design["validate_doc_update"] == validate_district(name)
