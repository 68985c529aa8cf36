"""Preparing a CouchDB server: databases, `_security`, validation, indexes, users.

One database per district (reads are controlled by membership), a read-only forms database,
and a `validate_doc_update` function that every write passes, replicated writes included.
Running the set-up twice changes nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ibm_cloud_sdk_core import DetailedResponse
from ibmcloudant.cloudant_v1 import CloudantV1, IndexDefinition, IndexField

from sync.couch import CouchDatabase, CouchError, CouchServer, Missing

FORMS_DATABASE = "careforms-forms"
DESIGN_TRIES = 3  # writes of the validation function when another setup writes it too
ROLES = ("worker", "supervisor")
USER_ROLES = (*ROLES, "author")  # an author without a district publishes for every district
DISTRICT = re.compile(r"^[a-z][a-z0-9_-]{0,60}$")
MEMBER_ROLE = "careforms"
DESIGN = "careforms"

# Runs on every write, replicated ones included. A replicated write may bring a branch that
# shares no history with what is stored, and then reaches this function with no oldDoc: so
# every rule holds on newDoc alone. Above all, the document's district must be this
# database's own (written into the function per database), whatever history it brings.
# Deletions are judged by the tombstone's own type and district when it carries them, else
# by the document it deletes.
_VALIDATE_DISTRICT = """function (newDoc, oldDoc, userCtx, secObj) {
  var DISTRICT = %s;
  var roles = userCtx.roles || [];
  if (roles.indexOf('_admin') !== -1) { return; }
  var doc = newDoc;
  if (newDoc._deleted && !newDoc.district && oldDoc) { doc = oldDoc; }
  if (!doc.type) { throw({forbidden: 'A document must have a type.'}); }
  if (!doc.district) { throw({forbidden: 'A document must have a district.'}); }
  if (doc.district !== DISTRICT) {
    throw({forbidden: 'Only documents of district ' + DISTRICT + ' belong here, not of ' +
      doc.district + '.'});
  }
  if (roles.indexOf('worker:' + DISTRICT) === -1 &&
      roles.indexOf('supervisor:' + DISTRICT) === -1) {
    throw({forbidden: 'You may not write documents of district ' + DISTRICT + '.'});
  }
  if (oldDoc && !oldDoc._deleted && oldDoc.district && oldDoc.district !== doc.district) {
    throw({forbidden: 'The district of a document cannot change.'});
  }
  if (newDoc._deleted && doc.type === 'form') {
    throw({forbidden: 'Only administrators delete forms.'});
  }
}"""


def validate_district(district: str) -> str:
    """The validation function of one district's database."""
    return _VALIDATE_DISTRICT % json.dumps(district_name(district))


# The forms databases: readable by every member, written only by form authors (`author`, or
# `author:<district>` in that district's forms database) and administrators. A published
# version is immutable: only an administrator may change or withdraw it.
_VALIDATE_FORMS = """function (newDoc, oldDoc, userCtx, secObj) {
  var roles = userCtx.roles || [];
  if (roles.indexOf('_admin') !== -1) { return; }
  var authors = %(authors)s;
  var author = false;
  for (var i = 0; i < authors.length; i++) {
    if (roles.indexOf(authors[i]) !== -1) { author = true; }
  }
  if (!author) {
    throw({forbidden: 'Only form authors and administrators publish forms.'});
  }
  if (newDoc._deleted || (oldDoc && !oldDoc._deleted)) {
    throw({forbidden: 'A published version is immutable: publish a new version instead.'});
  }
  if (newDoc.type !== 'form' && newDoc.type !== 'rules') {
    throw({forbidden: 'Only forms and rules are published here.'});
  }
  if (typeof newDoc.definition !== 'object' || newDoc.definition === null ||
      typeof newDoc.digest !== 'string') {
    throw({forbidden: 'A published version needs its definition and digest.'});
  }
  if (newDoc._id !== newDoc.type + ':' + newDoc.form_id + ':' + newDoc.version) {
    throw({forbidden: 'A published version is stored as TYPE:ID:VERSION.'});
  }
  if ((newDoc.district || null) !== %(district)s) {
    throw({forbidden: 'This forms database is for district ' + %(district)s + '.'});
  }
}"""


def forms_validation(district: str | None = None) -> str:
    """The forms database's `validate_doc_update`: the global one, or a district's."""
    authors = ["author"] + ([f"author:{district}"] if district else [])
    return _VALIDATE_FORMS % {"authors": json.dumps(authors), "district": json.dumps(district)}


VALIDATE_FORMS = forms_validation()

# Mango indexes the app and supervisors' tools query by.
INDEXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("by-type-updated", ("type", "updated_at")),
    ("by-type-child", ("type", "child_id")),
)


class BadDistrict(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(f"not a district name (lower-case letters, digits, - and _): {name!r}")


def district_name(district: str) -> str:
    if not isinstance(district, str) or not DISTRICT.fullmatch(district):
        raise BadDistrict(district)
    return district


def district_database(district: str) -> str:
    return f"careforms-district-{district_name(district)}"


def district_security(district: str) -> dict[str, Any]:
    return {
        "admins": {"names": [], "roles": []},
        "members": {"names": [], "roles": [f"{role}:{district}" for role in ROLES]},
    }


FORMS_SECURITY: dict[str, Any] = {
    "admins": {"names": [], "roles": []},
    "members": {"names": [], "roles": [MEMBER_ROLE]},
}


def district_forms_database(district: str) -> str:
    """A district's own forms and rules (`careforms forms publish --district`)."""
    return f"{FORMS_DATABASE}-{district_name(district)}"


def forms_databases(district: str | None) -> list[str]:
    """The forms databases a laptop of `district` reads: the common one, then its own."""
    return [FORMS_DATABASE] + ([district_forms_database(district)] if district else [])


def district_forms_security(district: str) -> dict[str, Any]:
    roles = [f"{role}:{district}" for role in ROLES] + ["author", f"author:{district}"]
    return {"admins": {"names": [], "roles": []}, "members": {"names": [], "roles": roles}}


@dataclass
class SetupReport:
    changed: list[str] = field(default_factory=list)  # what this run created or updated

    def note(self, what: str) -> None:
        self.changed.append(what)


def _security(db: CouchDatabase, wanted: dict[str, Any], report: SetupReport) -> None:
    current = db.server.call(lambda s: s.get_security(db=db.name))
    if all(current.get(k) == v for k, v in wanted.items()):
        return
    db.server.call(lambda s: s.put_security(db=db.name, **wanted))
    report.note(f"{db.name}: _security")


def _design(db: CouchDatabase, validate: str, report: SetupReport) -> None:
    """The validation function in place. Another setup writing it at the same moment (two
    administrators, or two processes) makes ours conflict: it is looked at again."""
    for attempt in range(DESIGN_TRIES):
        wanted: dict[str, Any] = {"language": "javascript", "validate_doc_update": validate}
        current = db.get_design(DESIGN)
        if current is not None:
            if current.get("validate_doc_update") == validate:
                return
            wanted["_rev"] = current["_rev"]
        try:
            db.put_design(DESIGN, wanted)
        except CouchError as exc:
            if exc.status != 409 or attempt == DESIGN_TRIES - 1:
                raise
            continue
        report.note(f"{db.name}: _design/{DESIGN}")
        return


def _indexes(db: CouchDatabase, report: SetupReport) -> None:
    existing = db.server.call(lambda s: s.get_indexes_information(db=db.name))
    names = {index.get("name") for index in existing.get("indexes", [])}
    for name, fields in INDEXES:
        if name in names:
            continue
        definition = IndexDefinition(fields=[IndexField(**{f: "asc"}) for f in fields])
        db.server.call(_post_index(db.name, name, definition))
        report.note(f"{db.name}: index {name}")


def _post_index(
    database: str, name: str, definition: IndexDefinition
) -> Callable[[CloudantV1], DetailedResponse]:
    return lambda s: s.post_index(
        db=database, index=definition, ddoc="careforms-indexes", name=name, type="json"
    )


def init_server(server: CouchServer, districts: list[str]) -> SetupReport:
    """Create or bring up to date the forms database and each district's database."""
    report = SetupReport()
    forms = server.database(FORMS_DATABASE)
    if forms.create():
        report.note(f"{forms.name}: created")
    _security(forms, FORMS_SECURITY, report)
    _design(forms, VALIDATE_FORMS, report)
    for district in districts:
        own_forms = server.database(district_forms_database(district))
        if own_forms.create():
            report.note(f"{own_forms.name}: created")
        _security(own_forms, district_forms_security(district), report)
        _design(own_forms, forms_validation(district), report)
        db = server.database(district_database(district))
        if db.create():
            report.note(f"{db.name}: created")
        _security(db, district_security(district), report)
        _design(db, validate_district(district), report)
        _indexes(db, report)
    return report


def add_user(
    server: CouchServer, name: str, password: str, *, district: str | None, role: str
) -> bool:
    """Create or update a user; CouchDB stores only a PBKDF2 hash of the password.

    Returns whether the user was new.
    """
    if role not in USER_ROLES:
        raise ValueError(f"role must be one of {', '.join(USER_ROLES)}")
    if district is None and role != "author":
        raise ValueError("a worker or supervisor belongs to a district")
    if district is not None:
        district_name(district)
    users = server.database("_users")
    doc_id = f"org.couchdb.user:{name}"
    doc: dict[str, Any] = {
        "_id": doc_id,
        "name": name,
        "type": "user",
        "password": password,
        "roles": [MEMBER_ROLE, f"{role}:{district}" if district else role],
    }
    try:
        current = users.get(doc_id)
        doc["_rev"] = current["_rev"]
    except Missing:
        current = None
    users.put(doc)
    return current is None
