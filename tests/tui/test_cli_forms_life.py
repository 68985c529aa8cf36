"""The author's and the worker's command line against the real CouchDB: forms publish (a
worker refused), careforms sync pulling the published form, forms list showing its source,
migrate --dry-run and migrate, and import-xlsform."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from engine.casework.case_documents import finalise, new_entry
from engine.forms.form import Form
from sync.couch import CouchServer
from sync.server_setup import add_user, init_server
from sync.store import Store
from tests.conftest import form_document
from tests.sync.server import ServerUnderTest
from tests.sync.test_published_forms import risk_v2, yellow_until_mood_doubles
from tests.tui.cli_run import Careforms, runner
from tui.commands.common import REPLICA_FILE

AT = datetime(2026, 11, 2, 10, 0).astimezone()


@pytest.fixture
def careforms(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Careforms:
    return runner(monkeypatch, capsys)


def risk_cli(version: int) -> dict[str, Any]:
    """Versions 1 and 2 of a form of its own (other tests publish risk v2)."""
    doc = risk_v2()
    doc["x-form"]["id"], doc["$id"] = "risk-cli", f"urn:careforms:form:risk-cli:{version}"
    if version == 1:
        doc["x-form"]["version"] = 1
        v1 = form_document("risk.v1.json")
        doc = {**v1, "x-form": doc["x-form"], "$id": doc["$id"]}
    return doc


def test_publish_sync_list_migrate_from_the_command_line(
    careforms: Careforms, server: ServerUnderTest, tmp_path: Path
) -> None:
    server.require_couchdb()
    admin = CouchServer(server.url, server.admin, server.password)
    district = server.new_district("cli")
    init_server(admin, [district])
    creds = {}
    for role in ("author", "worker"):
        name = server.new_database_name(role[:2])
        add_user(
            admin, name, "pw-" + name, district=district if role == "worker" else None, role=role
        )
        creds[role] = {"COUCHDB_USER": name, "COUCHDB_PASSWORD": "pw-" + name}
    folder = tmp_path / "forms"
    folder.mkdir()
    for version in (1, 2):
        text = json.dumps(risk_cli(version), ensure_ascii=False)
        (folder / f"risk-cli.v{version}.json").write_text(text, "utf-8")

    refused = careforms(
        "--lang",
        "en",
        "forms",
        "publish",
        str(folder),
        "--server",
        server.url,
        home=tmp_path,
        **creds["worker"],
    )
    assert refused.code == 1 and "Traceback" not in refused.err
    assert "the server refused: only form authors and administrators publish" in refused.err
    published = careforms(
        "--lang",
        "en",
        "forms",
        "publish",
        str(folder),
        "--server",
        server.url,
        home=tmp_path,
        **creds["author"],
    )
    assert published.code == 0, published.out + published.err
    assert "published form:risk-cli:2 → careforms-forms" in published.out

    laptop = tmp_path / "laptop"
    v1 = Form(risk_cli(1))
    with Store.open(laptop / REPLICA_FILE, "pass phrase") as store:
        store.put(
            {
                "_id": "child:c1",
                "type": "child",
                "district": district,
                "answers": {"name": "王小明"},
            }
        )
        doc = new_entry("c1", "a1", v1, district=district, by="li", device="d", at=AT)
        doc["answers"] = yellow_until_mood_doubles(v1)
        store.put(finalise(doc, v1, by="li", device="d", at=AT))
    synced = careforms(
        "--lang",
        "en",
        "sync",
        "--server",
        server.url,
        "--district",
        district,
        home=laptop,
        **creds["worker"],
    )
    assert synced.code == 0, synced.err
    assert "forms: new form:risk-cli:2 (careforms-forms)" in synced.out

    listed = careforms("--lang", "en", "forms", "list", home=laptop)
    line = next(x for x in listed.out.splitlines() if x.startswith("risk-cli") and "v2" in x)
    assert "published" in line and "careforms-forms" in line
    risk = next(x for x in listed.out.splitlines() if x.startswith("risk ") and "v1" in x)
    assert "built-in" in risk

    dry = careforms(
        "--lang", "en", "migrate", "--form", "risk-cli", "--to", "2", "--dry-run", home=laptop
    )
    assert dry.code == 0, dry.err
    assert "  王小明 (c1): Yellow → Orange" in dry.out and "dry run" in dry.out
    done = careforms("migrate", "--form", "risk-cli", "--to", "2", home=laptop)
    assert done.code == 0 and "1 名儿童等级有变化" in done.out
    with Store.open(laptop / REPLICA_FILE, "pass phrase") as store:
        stored = store.get("assessment:c1:a1")
    assert stored["form"]["version"] == 2 and stored["migrations"][0]["from"]["version"] == 1


def test_import_xlsform_writes_a_form_that_passes_the_check(
    careforms: Careforms, tmp_path: Path
) -> None:
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    for row in (
        ["type", "name", "label::zh-CN", "label::English (en)", "required"],
        ["text", "name", "姓名", "Name", "yes"],
        ["integer", "age", "年龄", "Age", ""],
        ["calculate", "twice", "", "", ""],
    ):
        survey.append(row)
    book.save(tmp_path / "child.xlsx")
    done = careforms(
        "--lang",
        "en",
        "forms",
        "import-xlsform",
        str(tmp_path / "child.xlsx"),
        "-o",
        str(tmp_path / "out"),
        home=tmp_path,
    )
    assert done.code == 0, done.out + done.err
    assert "survey!4" in done.out and "written" in done.out
    checked = careforms("forms", "check", str(tmp_path / "out"), home=tmp_path)
    assert checked.code == 0 and "检查通过" in checked.out
