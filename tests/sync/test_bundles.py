"""A laptop and the office that meet only through bundle files end exactly where a network
sync would have put them: compared leaf by leaf with a twin world synced over the network,
against the real CouchDB test server. Replayed, lost, out-of-order, tampered and foreign
bundles change nothing they should not."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from sync.bundle_file import BundleUnreadable, check_bundle
from sync.bundles import (
    BundleRefused,
    BundleState,
    read_answer,
    read_outbound,
    write_outbound,
)
from sync.couch import CouchDatabase, CouchServer
from sync.published_forms import published
from sync.publishing import publish
from sync.replicator import Replicator
from sync.server_setup import DESIGN, add_user, district_database, init_server
from sync.store import Store
from tests.sync.conftest import FAST_KDF
from tests.sync.server import ServerUnderTest
from tests.sync.test_published_forms import risk_v2, write

WORDS = "bundle words"
CHEAP = 2**8


@dataclass
class World:
    """A laptop, a colleague's laptop and the office's district database."""

    laptop: Store
    colleague: Store
    office: CouchDatabase  # as the laptop's worker sees it
    admin_view: CouchDatabase


@dataclass
class Twins:
    district: str
    by_bundle: World
    by_network: World
    folder: Path
    count: int = 0

    def both(self, edit: Callable[[World], Any]) -> None:
        edit(self.by_bundle)
        edit(self.by_network)

    def laptop_syncs(self) -> tuple[Any, Any]:
        """The laptop's sync: a bundle round trip in one world, the network in the other."""
        self.count += 1
        out, answer = self.folder / f"out{self.count}.bundle", self.folder / f"ans{self.count}"
        world = self.by_bundle
        write_outbound(world.laptop, out, WORDS, self.district, kdf_cost=CHEAP)
        at_office = read_outbound(check_bundle(out, WORDS), world.office, answer, kdf_cost=CHEAP)
        back = read_answer(world.laptop, check_bundle(answer, WORDS), self.district)
        Replicator(self.by_network.laptop, self.by_network.office).sync()
        return at_office, back


def _contents(db: CouchDatabase) -> dict[str, Any]:
    rows = db.server.call(lambda s: s.post_all_docs(db=db.name, include_docs=True, conflicts=True))[
        "rows"
    ]
    return {
        row["id"]: (
            row["value"]["rev"],
            sorted(row["doc"].get("_conflicts", [])),
            _body(row["doc"]),
        )
        for row in rows
        if not row["id"].startswith("_design/")
    }


def _body(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if not k.startswith("_")}


def _replica(store: Store) -> dict[str, Any]:
    docs = store.changes().results
    return {
        c.id: (sorted((leaf.rev, leaf.deleted) for leaf in store.leaves(c.id)), c.deleted)
        for c in docs
    }


def _twin_database(server: ServerUnderTest, admin: CouchServer, district: str) -> str:
    """A second database made like the district's (same security, same validation)."""
    name = server.new_database_name("twin")
    twin = admin.database(name)
    twin.create()
    original = admin.database(district_database(district))
    security = admin.call(lambda s: s.get_security(db=original.name))
    admin.call(lambda s: s.put_security(db=name, **security))
    design = original.get_design(DESIGN)
    assert design is not None
    twin.put_design(DESIGN, {k: v for k, v in design.items() if k not in ("_id", "_rev")})
    return name


@pytest.fixture
def twins(server: ServerUnderTest, tmp_path: Path) -> Twins:
    server.require_couchdb()  # the district's validation judges replicated writes
    admin = CouchServer(server.url, server.admin, server.password)
    district = server.new_district("b")
    init_server(admin, [district])
    twin = _twin_database(server, admin, district)
    worker = server.new_database_name("w")
    add_user(admin, worker, "pw", district=district, role="worker")
    as_worker = CouchServer(server.url, worker, "pw")

    def world(name: str, database: str) -> World:
        def replica(who: str) -> Store:
            return Store.open(tmp_path / f"{name}-{who}.db", "p", kdf_cost=FAST_KDF)

        return World(
            replica("laptop"),
            replica("colleague"),
            as_worker.database(database),
            admin.database(database),
        )

    return Twins(
        district, world("bundle", district_database(district)), world("net", twin), tmp_path
    )


def child(district: str, n: int, **fields: Any) -> dict[str, Any]:
    return {"_id": f"child:{n:03d}", "type": "child", "district": district, **fields}


def test_a_bundle_round_trip_ends_where_a_network_sync_would(twins: Twins) -> None:
    d = twins.district
    twins.both(lambda w: [w.laptop.put(child(d, n, name=f"儿童{n}")) for n in (1, 2, 3)])
    twins.both(lambda w: w.colleague.put(child(d, 9, name="同事的")))
    twins.both(lambda w: Replicator(w.colleague, w.office).sync())
    twins.laptop_syncs()

    # Offline edits on both sides: a conflict, a deletion, a document of another district.
    def edits(w: World) -> None:
        w.laptop.put({**w.laptop.get("child:001"), "village": "东村"})
        w.laptop.delete("child:002", w.laptop.get("child:002")["_rev"])
        w.laptop.put(child("elsewhere", 4, name="外区"))
        Replicator(w.colleague, w.office).sync()
        w.colleague.put({**w.colleague.get("child:001"), "village": "西村"})
        w.colleague.put(child(d, 10, name="新来的"))
        Replicator(w.colleague, w.office).sync()

    twins.both(edits)
    at_office, back = twins.laptop_syncs()
    assert [r.doc_id for r in at_office.rejected] == ["child:004"]
    assert [r.doc_id for r in back.rejected] == ["child:004"]  # told to the laptop
    twins.both(lambda w: Replicator(w.colleague, w.office).sync())

    bundle, network = twins.by_bundle, twins.by_network
    assert _replica(bundle.laptop) == _replica(network.laptop)
    assert _replica(bundle.colleague) == _replica(network.colleague)
    assert _contents(bundle.admin_view) == _contents(network.admin_view)
    assert bundle.laptop.conflicted() == ["child:001"]
    remembered = [[r.doc_id for r in w.laptop.rejections()] for w in (bundle, network)]
    assert remembered == [["child:004"], ["child:004"]]  # kept until changed, both ways
    assert "child:010" in _replica(bundle.laptop)
    assert "child:004" not in _contents(bundle.admin_view)


def test_replayed_lost_and_late_bundles_lose_nothing_and_change_nothing(twins: Twins) -> None:
    d, world, folder = twins.district, twins.by_bundle, twins.folder
    laptop, office = world.laptop, world.office
    laptop.put(child(d, 1))
    write_outbound(laptop, folder / "lost.bundle", WORDS, d, kdf_cost=CHEAP)  # never arrives
    laptop.put(child(d, 2))
    write_outbound(laptop, folder / "b2.bundle", WORDS, d, kdf_cost=CHEAP)
    sent = check_bundle(folder / "b2.bundle", WORDS)
    first = read_outbound(sent, office, folder / "a2.bundle", kdf_cost=CHEAP)
    assert first.documents == 2  # what was not acknowledged goes again
    on_server = _contents(world.admin_view)
    assert set(on_server) == {"child:001", "child:002"}
    read_outbound(sent, office, folder / "a2-again.bundle", kdf_cost=CHEAP)
    assert _contents(world.admin_view) == on_server  # replayed: nothing changes on the server

    answer = check_bundle(folder / "a2.bundle", WORDS)
    read_answer(laptop, answer, d)
    seq = laptop.update_seq
    read_answer(laptop, answer, d)  # applied twice: nothing changes
    read_answer(laptop, check_bundle(folder / "a2-again.bundle", WORDS), d)  # and a late one
    assert laptop.update_seq == seq
    empty = write_outbound(laptop, folder / "b3.bundle", WORDS, d, kdf_cost=CHEAP)
    assert empty.documents == 0  # all acknowledged

    world.colleague.put(child(d, 7))
    Replicator(world.colleague, office).sync()
    read_outbound(check_bundle(folder / "b3.bundle", WORDS), office, folder / "a3", kdf_cost=CHEAP)
    read_answer(laptop, check_bundle(folder / "a3", WORDS), d)
    assert laptop.get("child:007")["type"] == "child"
    state = BundleState.load(laptop)
    read_answer(laptop, answer, d)  # an old answer after a newer one moves nothing back
    assert BundleState.load(laptop) == state
    write_outbound(laptop, folder / "b4.bundle", WORDS, d, kdf_cost=CHEAP)
    read_outbound(check_bundle(folder / "b4.bundle", WORDS), office, folder / "a4", kdf_cost=CHEAP)
    assert read_answer(laptop, check_bundle(folder / "a4", WORDS), d).documents == 0


def test_tampered_foreign_and_misplaced_bundles_are_refused_with_nothing_applied(
    twins: Twins, tmp_path: Path
) -> None:
    d, world, folder = twins.district, twins.by_bundle, twins.folder
    world.laptop.put(child(d, 1))
    out = folder / "out.bundle"
    write_outbound(world.laptop, out, WORDS, d, kdf_cost=CHEAP)
    data = bytearray(out.read_bytes())
    data[len(data) // 2] ^= 0x40
    flipped = folder / "flipped.bundle"
    flipped.write_bytes(bytes(data))
    with pytest.raises(BundleUnreadable):
        check_bundle(flipped, WORDS)
    assert _contents(world.admin_view) == {}

    sent = check_bundle(out, WORDS)
    with pytest.raises(BundleRefused) as refused:
        read_outbound(sent, world.office, folder / "a", district="other", kdf_cost=CHEAP)
    assert "other" in refused.value.words["en"] and "辖区" in refused.value.words["zh-CN"]
    with pytest.raises(BundleRefused):  # an outbound bundle read as an answer
        read_answer(world.laptop, sent, d)
    read_outbound(sent, world.office, folder / "a", kdf_cost=CHEAP)
    answer = check_bundle(folder / "a", WORDS)
    stranger = Store.open(tmp_path / "stranger.db", "p", kdf_cost=FAST_KDF)
    with pytest.raises(BundleRefused) as refused:
        read_answer(stranger, answer, d)
    assert "another laptop" in refused.value.words["en"]
    assert stranger.update_seq == 0
    with pytest.raises(BundleRefused):
        read_answer(world.laptop, answer, "other")


def test_the_answer_brings_the_forms_published_for_the_district(
    twins: Twins, server: ServerUnderTest, tmp_path: Path
) -> None:
    server.require_couchdb()
    admin = CouchServer(server.url, server.admin, server.password)
    d, world, folder = twins.district, twins.by_bundle, twins.folder
    write(tmp_path / "v2", risk_v2())
    assert publish(admin, [tmp_path / "v2"], district=d, by="zhao").written == ["form:risk:2"]
    write_outbound(world.laptop, folder / "b.bundle", WORDS, d, kdf_cost=CHEAP)
    read_outbound(
        check_bundle(folder / "b.bundle", WORDS), world.office, folder / "a", kdf_cost=CHEAP
    )
    back = read_answer(world.laptop, check_bundle(folder / "a", WORDS), d)
    assert back.forms.arrived == [f"careforms-forms-{d}/form:risk:2"]
    assert [p.key for p in published(world.laptop)] == [f"careforms-forms-{d}/form:risk:2"]
    again = read_answer(world.laptop, check_bundle(folder / "a", WORDS), d)
    assert again.forms.arrived == []  # read twice: nothing new
