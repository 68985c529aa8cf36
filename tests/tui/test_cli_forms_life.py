"""The author's and the worker's command line against the real CouchDB: forms publish (a
worker refused), careforms sync pulling the published form, forms list showing its source,
migrate --dry-run and migrate, and import-xlsform."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import Workbook

from tests.sync.server import ServerUnderTest
from tests.sync.test_published_forms import risk_v2, yellow_until_mood_doubles
from tests.tui.test_cli_sync import careforms, put


def test_publish_sync_list_migrate_from_the_command_line(
    server: ServerUnderTest, tmp_path: Path
) -> None:
    server.require_couchdb()
    admin = {"COUCHDB_USER": server.admin, "COUCHDB_PASSWORD": server.password}
    district = server.new_district("cli")
    assert (
        careforms(
            "server", "init", server.url, "--district", district, home=tmp_path, **admin
        ).returncode
        == 0
    )
    names = {role: server.new_database_name(role[:2]) for role in ("author", "worker")}
    for role, name in names.items():
        where = ["--district", district] if role == "worker" else []
        added = careforms(
            "server",
            "add-user",
            name,
            "--server",
            server.url,
            *where,
            "--role",
            role,
            home=tmp_path,
            CAREFORMS_NEW_USER_PASSWORD="pw-" + name,
            **admin,
        )
        assert added.returncode == 0, added.stderr
    creds = {r: {"COUCHDB_USER": n, "COUCHDB_PASSWORD": "pw-" + n} for r, n in names.items()}
    doc = risk_v2()
    doc["x-form"]["id"] = doc["$id"] = "risk-cli"  # its own id: other tests publish risk v2
    doc["$id"] = "urn:careforms:form:risk-cli:2"
    v1 = json.loads(json.dumps(doc))
    v1["x-form"]["version"], v1["$id"] = 1, "urn:careforms:form:risk-cli:1"
    for migration_only in ("x-migration",):
        v1.pop(migration_only)
    v1["properties"]["place"] = v1["properties"].pop("visit_place")
    v1["properties"]["place"]["enum"] = ["home", "school", "other"]
    v1["properties"]["place"]["x-options"]["other"] = v1["properties"]["place"]["x-options"].pop(
        "elsewhere"
    )
    for section in v1["x-sections"]:
        section["fields"] = ["place" if f == "visit_place" else f for f in section["fields"]]
    v1["properties"]["mood"]["x-score"]["points"] = {"0": 0, "1": 1, "2": 2, "3": 3}
    folder = tmp_path / "forms"
    folder.mkdir()
    (folder / "risk-cli.v1.json").write_text(json.dumps(v1, ensure_ascii=False), "utf-8")
    (folder / "risk-cli.v2.json").write_text(json.dumps(doc, ensure_ascii=False), "utf-8")

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
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "forbidden" in refused.stderr or "403" in refused.stderr
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
    assert published.returncode == 0, published.stdout + published.stderr
    assert "published form:risk-cli:2 → careforms-forms" in published.stdout

    laptop = tmp_path / "laptop"
    from engine.forms.form import Form

    answers = yellow_until_mood_doubles(Form(v1))
    put(
        laptop,
        {"_id": "child:c1", "type": "child", "district": district, "answers": {"name": "王小明"}},
    )
    result = {"classification": {"band": {"id": "yellow"}}}
    put(
        laptop,
        {
            "_id": "assessment:c1:a1",
            "type": "assessment",
            "child": "child:c1",
            "district": district,
            "status": "final",
            "result": result,
            "answers": answers,
            "form": {"id": "risk-cli", "version": 1},
        },
    )
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
    assert synced.returncode == 0, synced.stderr
    assert "forms: new form:risk-cli:2 (careforms-forms)" in synced.stdout

    listed = careforms("--lang", "en", "forms", "list", home=laptop)
    line = next(x for x in listed.stdout.splitlines() if x.startswith("risk-cli") and "v2" in x)
    assert "published" in line and "careforms-forms" in line
    risk = next(x for x in listed.stdout.splitlines() if x.startswith("risk ") and "v1" in x)
    assert "built-in" in risk

    dry = careforms(
        "--lang", "en", "migrate", "--form", "risk-cli", "--to", "2", "--dry-run", home=laptop
    )
    assert dry.returncode == 0, dry.stderr
    assert "  王小明 (c1): Yellow → Orange" in dry.stdout and "dry run" in dry.stdout
    done = careforms("migrate", "--form", "risk-cli", "--to", "2", home=laptop)
    assert done.returncode == 0 and "1 名儿童等级有变化" in done.stdout
    stored = json.loads(careforms("doc", "get", "assessment:c1:a1", home=laptop).stdout)
    assert stored["form"]["version"] == 2 and stored["migrations"][0]["from"]["version"] == 1
    missing = careforms("--lang", "en", "migrate", "--form", "risk-cli", "--to", "7", home=laptop)
    assert missing.returncode == 1 and "no form risk-cli v7 (known: v1, v2)" in missing.stderr


def test_import_xlsform_writes_a_form_that_passes_the_check(tmp_path: Path) -> None:
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
    assert done.returncode == 0, done.stdout + done.stderr
    assert "survey!4" in done.stdout and "written" in done.stdout
    checked = careforms("forms", "check", str(tmp_path / "out"), home=tmp_path)
    assert checked.returncode == 0 and "检查通过" in checked.stdout
