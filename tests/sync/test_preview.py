"""The sync preview says what a sync would send and receive, by kind, and changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sync.bundles import outbound_since, write_outbound
from sync.couch import CouchServer
from sync.preview import preview_bundle, preview_sync
from sync.replicator import Replicator
from sync.store import Store
from tests.sync.conftest import FAST_KDF
from tests.sync.server import ServerUnderTest
from tui.commands.sync_preview import preview_lines

CHILD = "0a" * 16


def doc(doc_id: str, **fields: Any) -> dict[str, Any]:
    return {"_id": doc_id, "type": doc_id.split(":")[0], "district": "p", **fields}


def test_the_preview_counts_what_a_sync_then_does(server: ServerUnderTest, tmp_path: Path) -> None:
    admin = CouchServer(server.url, server.admin, server.password)
    db = admin.database(server.new_database_name("preview"))
    db.create()
    laptop = Store.open(tmp_path / "l.db", "p", kdf_cost=FAST_KDF)
    colleague = Store.open(tmp_path / "c.db", "p", kdf_cost=FAST_KDF)
    laptop.put(doc(f"child:{CHILD}", name="甲"))
    Replicator(laptop, db).sync()
    Replicator(colleague, db).sync()
    laptop.put({**laptop.get(f"child:{CHILD}"), "village": "东村"})
    laptop.put(doc(f"assessment:{CHILD}:01"))
    laptop.put(doc(f"visit:{CHILD}:01"))
    laptop.put(doc("child:" + "0b" * 16))
    colleague.put(doc("child:" + "0c" * 16))
    colleague.put(doc("visit:" + "0c" * 16 + ":01"))
    Replicator(colleague, db).sync()

    before, on_server = laptop.update_seq, db.info()["doc_count"]
    preview = preview_sync(laptop, db)
    assert preview.exact
    assert preview.outgoing == {"child": 2, "assessment": 1, "visit": 1}
    assert preview.children_out == 2
    assert preview.incoming == {"child": 1, "visit": 1}
    assert (laptop.update_seq, db.info()["doc_count"]) == (before, on_server)  # nothing moved
    report = Replicator(laptop, db).sync()
    assert (report.pushed.written, report.pulled.written) == (4, 2)
    assert preview_sync(laptop, db).total_out == 0

    words = preview_lines(preview, "zh-CN")
    assert words[0] == "将发送：儿童档案 2、评估 1、走访记录 1（共 4 份，涉及 2 名儿童）"
    assert (
        preview_lines(preview, "en")[1] == "Would receive: child records 1, visits 1 (documents: 2)"
    )


def test_without_the_server_the_preview_counts_the_laptop_alone(
    server: ServerUnderTest, tmp_path: Path
) -> None:
    laptop = Store.open(tmp_path / "l.db", "p", kdf_cost=FAST_KDF)
    laptop.put(doc(f"child:{CHILD}"))
    gone = CouchServer("http://127.0.0.1:9", "u", "p").database("careforms-district-p")
    preview = preview_sync(laptop, gone)
    assert (preview.exact, preview.incoming, preview.total_out) == (False, None, 1)
    assert "至多" in preview_lines(preview, "zh-CN")[0]


def test_the_bundle_preview_counts_what_the_next_bundle_carries(tmp_path: Path) -> None:
    laptop = Store.open(tmp_path / "l.db", "p", kdf_cost=FAST_KDF)
    for n in range(3):
        laptop.put(doc(f"visit:{CHILD}:{n:02d}"))
    preview = preview_bundle(laptop, outbound_since(laptop))
    bundle = write_outbound(laptop, tmp_path / "b", "w", "p", kdf_cost=2**8)
    assert preview.total_out == bundle.documents == 3
    assert preview_lines(preview, "en", bundle=True)[1].startswith("What comes back")
    laptop.remember_rejections([(f"visit:{CHILD}:01", None, "forbidden", "not yours")])
    again = preview_lines(preview_bundle(laptop, outbound_since(laptop)), "en", bundle=True)
    assert again[-1] == f"Refused by the server before (sent again once changed): visit:{CHILD}:01"
