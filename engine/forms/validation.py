"""Validating answers against a form: errors per field, localised."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.forms.form import Form
from engine.forms.i18n import DEFAULT_LANGUAGE, LocalText, pick
from engine.forms.messages import message
from engine.forms.schema_checks import FieldError


@dataclass(frozen=True, slots=True)
class AnswerError:
    """A problem with one answer: the field's JSON pointer, a message code, the field label."""

    pointer: str
    code: str
    params: dict[str, Any]
    label: LocalText | None

    def message(self, lang: str = DEFAULT_LANGUAGE) -> str:
        params = dict(self.params)
        params["label"] = pick(self.label, lang) or self.pointer.rsplit("/", 1)[-1]
        if self.code == "type":
            params["expected"] = "/".join(
                message(f"type.{t}", lang) for t in str(params.get("expected", "")).split("/")
            )
        if self.code == "format":
            params["format"] = message(f"format.{params.get('format')}", lang)
        return message(self.code, lang, **params)


def validate(answers: Any, form: Form, *, final: bool = True) -> list[AnswerError]:
    """Check answers; a draft (`final=False`) may leave required answers out.

    Answers hidden by a visibility condition are neither required nor validated.
    """
    errors: list[FieldError] = []
    (form.check_final if final else form.check_draft)(answers, "", errors)
    return [
        AnswerError(e.pointer, e.code, dict(e.params), form.label_at(e.pointer)) for e in errors
    ]


def is_complete(answers: Any, form: Form) -> bool:
    errors: list[FieldError] = []
    form.check_final(answers, "", errors)
    return not errors
