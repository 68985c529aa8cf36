"""One child's file (一人一档) read from its documents: profile, forms filled, plans, history.

The documents are plain dicts as the replica stores them (see docs/casework.md); reading is
lenient, because a file must still open when one of its documents is odd or old.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeGuard

from engine.casework.names import spelling

CHILD, ASSESSMENT, VISIT, PLAN = "child", "assessment", "visit", "plan"


def child_uuid(doc_id: str) -> str:
    """The child's uuid in `child:<uuid>`, `assessment:<uuid>:…`, `visit:<uuid>:…`, `plan:…`."""
    parts = doc_id.split(":")
    return parts[1] if len(parts) > 1 else ""


def document_prefixes(child: str) -> tuple[str, ...]:
    """The `_all_docs` prefixes that hold everything about one child."""
    return tuple(f"{kind}:{child}:" for kind in (ASSESSMENT, VISIT, PLAN))


def object_at(doc: dict[str, Any], key: str) -> dict[str, Any]:
    """`doc[key]` when it is a JSON object, else an empty one."""
    value = doc.get(key)
    return value if isinstance(value, dict) else {}


def parse_date(value: Any) -> date | None:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def age_on(birth: date | None, today: date) -> int | None:
    """Full years of age on `today`."""
    if birth is None:
        return None
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


@dataclass(frozen=True, slots=True)
class Observation:
    """One form filled about the child (an assessment or a visit), with its stored result."""

    id: str
    kind: str  # "assessment" or "visit"
    form_id: str
    form_version: int
    status: str  # "draft" or "final"
    on: date | None
    answers: dict[str, Any]
    band: str | None
    total: int | None
    red_flags: tuple[str, ...]
    result: dict[str, Any]
    review: tuple[dict[str, Any], ...]
    doc: dict[str, Any]

    @property
    def final(self) -> bool:
        return self.status == "final"


def plan_body(doc: dict[str, Any]) -> dict[str, Any]:
    """A plan's goals and services: its answers when filled with the plan form."""
    answers = doc.get("answers")
    body = dict(answers) if isinstance(answers, dict) else dict(doc)
    body.setdefault("progress", doc.get("progress", []))
    return body


def _list_at(doc: dict[str, Any], key: str) -> list[Any]:
    """`doc[key]` when it is a JSON array, else an empty one."""
    value = doc.get(key)
    return value if isinstance(value, list) else []


def _whole(value: Any) -> int | None:
    """A JSON integer (not a boolean), else None."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def observation(doc: dict[str, Any]) -> Observation:
    """Read leniently: any field may hold any JSON value (a document written elsewhere)."""
    form = object_at(doc, "form")
    result = object_at(doc, "result")
    classification = object_at(result, "classification")
    band = classification.get("band")
    answers = object_at(doc, "answers")
    on = parse_date(doc.get("observed_on")) or parse_date(doc.get("finalised_at"))
    total = classification.get("total")
    version = form.get("version")
    band_id = band.get("id") if isinstance(band, dict) else None
    return Observation(
        id=str(doc.get("_id", "")),
        kind=str(doc.get("type", "")),
        form_id=str(form.get("id", "")),
        form_version=_whole(version) or 0,
        status=str(doc.get("status", "draft")),
        on=on,
        answers=answers,
        band=band_id if isinstance(band_id, str) else None,
        total=_whole(total),
        red_flags=tuple(
            str(f.get("id", ""))
            for f in _list_at(classification, "red_flags")
            if isinstance(f, dict)
        ),
        result=result,
        review=tuple(r for r in _list_at(doc, "review") if isinstance(r, dict)),
        doc=doc,
    )


@dataclass(frozen=True, slots=True)
class Transition:
    to: str
    at: datetime | None
    by: str
    note: str
    start: str | None = None  # the state left, None for the first


@dataclass(slots=True)
class CaseFile:
    """Everything careforms knows about one child, in date order."""

    child: dict[str, Any]
    observations: list[Observation] = field(default_factory=list)
    plans: list[dict[str, Any]] = field(default_factory=list)
    # finals() by form, as last asked: due dates and warnings ask a dozen times per child
    _finals: dict[str | None, tuple[int, list[Observation]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    spelled_name: tuple[str, str] | None = field(default=None, repr=False, compare=False)  # pinyin

    @classmethod
    def from_documents(cls, child: dict[str, Any], others: list[dict[str, Any]]) -> CaseFile:
        case = cls(child)
        for doc in others:
            kind = doc.get("type")
            if kind in (ASSESSMENT, VISIT):
                case.observations.append(observation(doc))
            elif kind == PLAN:
                case.plans.append(doc)
        case.observations.sort(key=lambda o: (o.on or date.min, o.id))
        return case

    @property
    def id(self) -> str:
        return child_uuid(str(self.child.get("_id", "")))

    @property
    def profile(self) -> dict[str, Any]:
        answers = self.child.get("answers")
        return answers if isinstance(answers, dict) else {}

    @property
    def name(self) -> str:
        return str(self.profile.get("name", "?"))

    def _steps(self) -> list[dict[str, Any]]:
        """The lifecycle's steps as stored, those that say a state (`case.history`)."""
        steps = _list_at(object_at(self.child, "case"), "history")
        return [
            item for item in steps if isinstance(item, dict) and isinstance(item.get("to"), str)
        ]

    @property
    def history(self) -> list[Transition]:
        steps = []
        for item in self._steps():
            at = item.get("at")
            steps.append(
                Transition(
                    to=item["to"],
                    at=datetime.fromisoformat(at) if _is_iso(at) else None,
                    by=str(item.get("by", "")),
                    note=str(item.get("note", "")),
                    start=item.get("from"),
                )
            )
        return steps

    @property
    def state(self) -> str:
        """The last step's state (as `history[-1].to`, without reading every step's time:
        lists ask it of every child)."""
        steps = self._steps()
        return str(steps[-1]["to"]) if steps else "intake"

    @property
    def opened_on(self) -> date | None:
        """Intake, or the last re-opening of a closed case."""
        opened = parse_date(self.profile.get("intake_date"))
        for item in self._steps():
            at = item.get("at")
            if item.get("from") == "closed" and _is_iso(at):
                opened = datetime.fromisoformat(at).date()
        return opened

    def finals(self, form_id: str | None = None) -> list[Observation]:
        """The final observations (of one form), in date order. Do not change the list."""
        known = self._finals.get(form_id)
        if known is not None and known[0] == len(self.observations):
            return known[1]
        found = [
            o
            for o in self.observations
            if o.status == "final" and (form_id is None or o.form_id == form_id)
        ]
        self._finals[form_id] = (len(self.observations), found)
        return found

    def latest(self, form_id: str) -> Observation | None:
        finals = self.finals(form_id)
        return finals[-1] if finals else None

    def facts(self) -> dict[str, Any]:
        """What rule conditions are tested against: the profile and each form's latest answers."""
        facts: dict[str, Any] = {"profile": self.profile}
        for o in self.finals():
            facts[o.form_id] = o.answers
        return facts


def _is_iso(value: Any) -> TypeGuard[str]:
    if not isinstance(value, str):
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


# -- a child's digest: what lists read of the file ---------------------------------------------
DIGEST_VERSION = 1  # a digest of another version is made again from the documents
CONTACT_ANSWERS = ("kind", "place")  # what `schedule.contact_kind` reads of every observation
RECORD_FIELDS = ("_id", "type", "district", "answers", "case")  # what lists read of the record


def digest(child: dict[str, Any], others: list[dict[str, Any]]) -> dict[str, Any]:
    """What the case list, the due dates, the early warnings and the ledger read of a child's
    file, small enough to read for a whole district at once (10,000 children's documents are
    600 MB of JSON, their digests a fifteenth): the child's profile and case history, and of
    each form filled its date, status, band, total and red flags; the answers only of the
    latest final of each form (the facts rules test) and how the worker met the child.
    Not for a report or the child's screen: they read the documents."""
    case = CaseFile.from_documents(child, others)
    latest = {o.form_id: o.id for o in case.finals()}
    observations = []
    for o in case.observations:
        if not o.final:
            answers: dict[str, Any] = {}
        elif latest.get(o.form_id) == o.id:
            answers = o.answers
        else:
            answers = {k: o.answers[k] for k in CONTACT_ANSWERS if k in o.answers}
        on = o.on.isoformat() if o.on else None
        prefix = f"{o.kind}:{case.id}:"  # what every id of the child's begins with
        entry = o.id[len(prefix) :] if o.id.startswith(prefix) else [o.id]  # odd ids whole
        observations.append(
            [entry, o.kind, o.form_id, o.form_version, o.status, on, o.band, o.total,
             list(o.red_flags), answers]
        )  # fmt: skip
    record = {k: child[k] for k in RECORD_FIELDS if k in child}
    made = {"version": DIGEST_VERSION, "child": record, "observations": observations}
    made["spelling"] = list(spelling(case.name))  # pinyin: 10,000 names take a second
    return made


def from_digest(made: dict[str, Any]) -> CaseFile:
    """The child's file as its digest has it (see `digest`): plans, reviews, the forms'
    explained results and the change logs are not in it."""
    case = CaseFile(made["child"])
    known = made.get("spelling")
    case.spelled_name = (str(known[0]), str(known[1])) if isinstance(known, list) else None
    child = case.id
    for entry, kind, form_id, version, status, on, band, total, flags, answers in made[
        "observations"
    ]:
        oid = entry[0] if isinstance(entry, list) else f"{kind}:{child}:{entry}"
        doc = {"_id": oid, "type": kind, "status": status}
        case.observations.append(
            Observation(oid, kind, form_id, version, status,
                        date.fromisoformat(on) if on else None, answers, band, total,
                        tuple(flags), {}, (), doc)
        )  # fmt: skip
    return case
