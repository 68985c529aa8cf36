"""The careforms engine: forms, validation, scoring, explained classification, needs.

Free of `textual` and `sync` (a test holds this).
"""

from engine.classification import OverrideRefused, classify
from engine.form import Form
from engine.lint import lint_document, lint_file, lint_paths
from engine.needs import assess_needs
from engine.problems import Problem
from engine.registry import FormRegistry, UnknownForm
from engine.results import Classification, NeedsAssessment, Override
from engine.scoring import score
from engine.validation import AnswerError, is_complete, validate

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
