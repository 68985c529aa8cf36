"""Forms that reach the field, against the real CouchDB: publish → sync → a new assessment on
the new version → migrate the old ones → the report shows both; a form edited on the server
by hand is refused with its problems and the version before stays in use."""

from __future__ import annotations

import copy
import json
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from engine.casework.case_documents import finalise, new_child, new_entry
from engine.casework.casefile import CaseFile
from engine.forms.form import Form
from engine.report.child_report import child_report
from sync import publishing
from sync.couch import CouchServer, NotAllowed
from sync.published_forms import published, pull_published, refused_arrivals
from sync.publishing import publish
from sync.server_setup import FORMS_DATABASE, add_user, init_server
from sync.store import Store
from tests.conftest import form_document, risk_answers
from tests.sync.conftest import FAST_KDF
from tests.sync.server import ServerUnderTest
from tui.form_sources import app_forms
from tui.migrations import describe, migrate_stored

AT = datetime(2026, 11, 2, 10, 0).astimezone()
WHO = {"by": "李老师", "device": "laptop-1", "at": AT}


def risk_v2() -> dict[str, Any]:
    """Version 2 of the risk form: `place` renamed and one option mapped, mood weighs double."""
    doc = form_document("risk.v1.json")
    doc["x-form"]["version"] = 2
    doc["$id"] = "urn:careforms:form:risk:2"
    place = doc["properties"].pop("place")
    place["enum"] = ["home", "school", "elsewhere"]
    place["x-options"]["elsewhere"] = place["x-options"].pop("other")
    doc["properties"]["visit_place"] = place
    for section in doc["x-sections"]:
        section["fields"] = ["visit_place" if f == "place" else f for f in section["fields"]]
    doc["properties"]["mood"]["x-score"]["points"] = {"0": 0, "1": 2, "2": 4, "3": 6}
    doc["x-migration"] = {
        "from": 1,
        "rename": {"place": "visit_place"},
        "values": {"place": {"other": "elsewhere"}},
    }
    return doc


def yellow_until_mood_doubles(form: Form) -> dict[str, Any]:
    """v1: 22 points (yellow); v2: 25 (orange), because mood 3 now counts 6."""
    answers = risk_answers(form, 0, mood=3, place="other")
    ones = [f.name for f in form.scored if f.name not in ("mood", "self_harm")][:19]
    answers.update(dict.fromkeys(ones, 1))
    return answers


def write(folder: Path, doc: dict[str, Any]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{doc['x-form']['id']}.v{doc['x-form']['version']}.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    return path


def user(
    server: ServerUnderTest, admin: CouchServer, role: str, district: str | None
) -> CouchServer:
    name = server.new_database_name(role[:2])
    add_user(admin, name, f"pw-{name}", district=district, role=role)
    return CouchServer(server.url, name, f"pw-{name}")


def test_publish_sync_assess_migrate_report(server: ServerUnderTest, tmp_path: Path) -> None:
    server.require_couchdb()
    admin = CouchServer(server.url, server.admin, server.password)
    district = server.new_district("pub")
    init_server(admin, [district])
    author, worker = user(server, admin, "author", None), user(server, admin, "worker", district)
    folder = tmp_path / "v2"
    write(folder, risk_v2())

    # Workers cannot publish: the server's validation refuses them.
    with pytest.raises(NotAllowed):
        publish(worker, [folder], by="wang")
    first = publish(author, [folder], by="zhao")
    assert first.ok and first.written == ["form:risk:2"] and first.database == FORMS_DATABASE
    again = publish(author, [folder], by="zhao")
    assert again.ok and again.written == [] and again.unchanged == ["form:risk:2"]
    with pytest.raises(NotAllowed):  # not even a no-op for a worker
        publish(worker, [folder], by="wang")
    # The server's own validation, met directly: a worker may not write, an author may not
    # change a published version.
    stored = author.database(FORMS_DATABASE).get("form:risk:2")
    with pytest.raises(NotAllowed, match="Only form authors"):
        fresh = {k: v for k, v in stored.items() if k != "_rev"}
        worker.database(FORMS_DATABASE).put({**fresh, "_id": "form:risk:3", "version": 3})
    with pytest.raises(NotAllowed, match="immutable"):
        author.database(FORMS_DATABASE).put({**stored, "published_by": "someone else"})
    changed = risk_v2()
    changed["properties"]["mood"]["x-score"]["points"]["3"] = 9
    refused = publish(author, [write(tmp_path / "changed", changed)], by="zhao")
    assert refused.refused == [("form:risk:2", "immutable")] and not refused.written
    broken = risk_v2()
    broken["properties"]["assessor"]["pattern"] = "(a+)+$"
    checked = publish(author, [write(tmp_path / "broken", broken)], by="zhao")
    assert [p.code for p in checked.problems] == ["slow-pattern"] and not checked.written

    # A laptop with assessments on version 1: a finished one, and a draft.
    with Store.open(tmp_path / "replica.db", "pw", kdf_cost=FAST_KDF) as store:
        forms = app_forms(store)
        v1 = forms.get("risk")
        assert v1.version == 1
        child = new_child(
            "c1", {"name": "王小明"}, forms.get("child-profile"), district=district, **WHO
        )
        store.put(child)
        old = new_entry("c1", "a1", v1, district=district, **WHO)
        old["answers"] = yellow_until_mood_doubles(v1)
        old = finalise(old, v1, **WHO)
        assert old["result"]["classification"]["band"]["id"] == "yellow"
        store.put(old)
        draft = new_entry("c1", "a2", v1, district=district, **WHO)
        draft["answers"] = {"place": "school", "mood": 2}
        store.put(draft)

        pulled = pull_published(store, worker, district)
        assert pulled.arrived == [f"{FORMS_DATABASE}/form:risk:2"] and not pulled.refused
        forms = app_forms(store)
        newest = forms.get("risk")
        assert newest.version == 2 and newest.origin.kind == "published" and newest.origin.arrived
        assert forms.get("risk", 1).origin.kind == "built-in"  # old assessments keep theirs

        # A new assessment uses the newest published version.
        fresh = new_entry("c1", "a3", newest, district=district, **WHO)
        fresh["answers"] = risk_answers(newest, 0, visit_place="elsewhere")
        store.put(finalise(fresh, newest, **WHO))

        dry = migrate_stored(store, forms, "risk", 2, by="zhao", device="d", at=AT, dry_run=True)
        assert len(dry.entries) == 2 and not dry.written
        assert store.get("assessment:c1:a1")["form"]["version"] == 1
        done = migrate_stored(store, forms, "risk", 2, by="zhao", device="d", at=AT)
        lines = describe(done, store, forms, "en")
        assert lines[0] == "risk → v2: 2 document(s) (1 finished, 1 drafts)"
        assert lines[1:] == ["1 child(ren) changed band", "  王小明 (c1): Yellow → Orange"]

        migrated = store.get("assessment:c1:a1")
        assert migrated["form"]["version"] == 2 and migrated["status"] == "final"
        assert (
            migrated["answers"]["visit_place"] == "elsewhere" and "place" not in migrated["answers"]
        )
        assert migrated["result"]["classification"]["band"]["id"] == "orange"
        (record,) = migrated["migrations"]
        assert record["from"]["version"] == 1 and record["answers"]["place"] == "other"
        assert record["result"]["classification"]["band"]["id"] == "yellow"
        moved_draft = store.get("assessment:c1:a2")
        assert moved_draft["answers"] == {"visit_place": "school", "mood": 2}
        assert moved_draft["status"] == "draft" and "result" not in moved_draft

        # The report says which version each assessment was answered on, and which moved.
        case = CaseFile.from_documents(
            store.get("child:c1"), [store.get(f"assessment:c1:a{i}") for i in (1, 2, 3)]
        )
        pdf = tmp_path / "report.pdf"
        child_report(str(pdf), case, forms, lang="en", generated_at=AT)
        text = " ".join(page.extract_text() for page in PdfReader(str(pdf)).pages)
        assert "risk v2 · migrated from v1" in text and "risk v2:" in text

        # Edited on the server by hand: refused with its problems; the version before stays.
        on_server = admin.database(FORMS_DATABASE).get("form:risk:2")
        edited = copy.deepcopy(on_server)
        edited["definition"]["properties"]["assessor"]["pattern"] = "(a+)+$"
        admin.database(FORMS_DATABASE).put(edited)
        later = pull_published(store, worker, district)
        for _ in range(50):  # a cluster's changes feed may list the edit a moment later
            if later.refused:
                break
            time.sleep(0.1)
            later = pull_published(store, worker, district)
        assert later.arrived == [] and [k for k, _ in later.refused] == [
            f"{FORMS_DATABASE}/form:risk:2"
        ]
        ((key, _, problems),) = refused_arrivals(store)
        assert [p.code for p in problems] == ["slow-pattern"]
        assert app_forms(store).get("risk").digest == newest.digest


def test_a_districts_own_forms_reach_only_its_laptops(
    server: ServerUnderTest, tmp_path: Path
) -> None:
    server.require_couchdb()
    admin = CouchServer(server.url, server.admin, server.password)
    mine, other = server.new_district("own"), server.new_district("oth")
    init_server(admin, [mine, other])
    school = form_document("visit.v1.json")
    school["x-form"]["id"] = "school-visit"
    author = user(server, admin, "author", mine)
    with pytest.raises(NotAllowed):  # a district's author publishes for that district only
        publish(author, [write(tmp_path / "f", school)], district=other)
    report = publish(author, [tmp_path / "f"], district=mine, by="zhao")
    assert report.written == ["form:school-visit:1"], report.problems
    for district, expected in ((mine, ["school-visit"]), (other, [])):
        worker = user(server, admin, "worker", district)
        with Store.open(tmp_path / f"{district}.db", "pw", kdf_cost=FAST_KDF) as store:
            pull_published(store, worker, district)
            got = [p.definition["x-form"]["id"] for p in published(store)]
            assert [g for g in got if g == "school-visit"] == expected
            assert ("school-visit" in {f.id for f in app_forms(store)}) == bool(expected)


def test_hostile_documents_in_the_forms_database_are_refused_not_used(
    server: ServerUnderTest, tmp_path: Path
) -> None:
    server.require_couchdb()
    admin = CouchServer(server.url, server.admin, server.password)
    district = server.new_district("evil")
    init_server(admin, [district])
    database = admin.database(f"{FORMS_DATABASE}-{district}")  # as an administrator could
    pretender = risk_v2()
    pretender["x-form"]["version"] = 9
    database.put({"_id": "form:school:1", "type": "form", "definition": pretender})
    database.put({"_id": "form:text:1", "type": "form", "definition": "not a form"})
    huge = risk_v2()
    huge["x-form"]["id"], huge["x-form"]["version"] = "huge", 1
    huge["properties"]["assessor"]["description"] = "x" * 1_100_000
    database.put({"_id": "form:huge:1", "type": "form", "definition": huge})
    worker = user(server, admin, "worker", district)
    with Store.open(tmp_path / "r.db", "pw", kdf_cost=FAST_KDF) as store:
        pulled = pull_published(store, worker, district)
        own = f"{FORMS_DATABASE}-{district}/"  # the common database holds other tests' forms
        refused = {
            key.split("/")[-1]: [p.code for p in problems]
            for key, problems in pulled.refused
            if key.startswith(own)
        }
        assert refused == {
            "form:school:1": ["published-id"],
            "form:text:1": ["not-a-form"],
            "form:huge:1": ["too-large"],
        }
        assert not [k for k in pulled.arrived if k.startswith(own)]
        assert not [p for p in published(store) if p.key.startswith(own)]
        assert not {"school", "huge", "text"} & {f.id for f in app_forms(store)}


def test_a_version_listed_late_is_judged_as_one_listed_in_time(
    server: ServerUnderTest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a cluster, the list of what is published can come from a copy of a shard that has
    not got the newest write yet: the write then meets the version already there (409), and
    it is judged as if it had been listed — the same is unchanged, another is refused."""
    server.require_couchdb()
    admin = CouchServer(server.url, server.admin, server.password)
    district = server.new_district("late")
    init_server(admin, [district])
    author = user(server, admin, "author", district)
    same, changed = tmp_path / "same", tmp_path / "changed"
    write(same, risk_v2())
    edited = risk_v2()
    edited["properties"]["mood"]["x-score"]["points"] = {"0": 0, "1": 3, "2": 6, "3": 9}
    write(changed, edited)
    monkeypatch.setattr(publishing, "published_documents", lambda database: {})  # listed late
    first = publish(author, [same], district=district, by="zhao")
    assert first.ok and first.written == ["form:risk:2"]
    again = publish(author, [same], district=district, by="zhao")
    assert again.ok and again.written == [] and again.unchanged == ["form:risk:2"]
    other = publish(author, [changed], district=district, by="zhao")
    assert not other.ok and other.refused == [("form:risk:2", "immutable")]
    stored = author.database(first.database).get("form:risk:2")
    assert stored["definition"]["properties"]["mood"]["x-score"]["points"]["1"] == 2
