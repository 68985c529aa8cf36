"""The careforms engine: forms, validation, scoring, explained classification, needs.

Free of `textual` and `sync` (a test holds this).
"""

from engine.definitions import lint_document, lint_file, lint_paths
from engine.forms.classification import OverrideRefused, classify
from engine.forms.form import Form
from engine.forms.needs import assess_needs
from engine.forms.problems import Problem
from engine.forms.registry import FormRegistry, UnknownForm
from engine.forms.results import Classification, NeedsAssessment, Override
from engine.forms.scoring import score
from engine.forms.validation import AnswerError, is_complete, validate

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
