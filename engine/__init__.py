"""The careforms engine: forms, validation, scoring, explained classification, needs.

Free of `textual` and `sync` (a test holds this). The names below load on first use, so that
a command that needs only a corner of the engine (or none of it) does not load it all.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from engine.definitions import lint_document, lint_file, lint_paths
    from engine.forms.classification import OverrideRefused, classify
    from engine.forms.form import Form
    from engine.forms.needs import assess_needs
    from engine.forms.problems import Problem
    from engine.forms.registry import FormRegistry, UnknownForm
    from engine.forms.results import Classification, NeedsAssessment, Override
    from engine.forms.scoring import score
    from engine.forms.validation import AnswerError, is_complete, validate

_WHERE = {
    "lint_document": "engine.definitions",
    "lint_file": "engine.definitions",
    "lint_paths": "engine.definitions",
    "OverrideRefused": "engine.forms.classification",
    "classify": "engine.forms.classification",
    "Form": "engine.forms.form",
    "assess_needs": "engine.forms.needs",
    "Problem": "engine.forms.problems",
    "FormRegistry": "engine.forms.registry",
    "UnknownForm": "engine.forms.registry",
    "Classification": "engine.forms.results",
    "NeedsAssessment": "engine.forms.results",
    "Override": "engine.forms.results",
    "score": "engine.forms.scoring",
    "AnswerError": "engine.forms.validation",
    "is_complete": "engine.forms.validation",
    "validate": "engine.forms.validation",
}

__all__ = [
    "AnswerError",
    "Classification",
    "Form",
    "FormRegistry",
    "NeedsAssessment",
    "Override",
    "OverrideRefused",
    "Problem",
    "UnknownForm",
    "assess_needs",
    "classify",
    "is_complete",
    "lint_document",
    "lint_file",
    "lint_paths",
    "score",
    "validate",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'engine' has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value
    return value
