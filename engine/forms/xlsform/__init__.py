"""XLSForm in: an ODK/Kobo spreadsheet turned into a careforms form (see docs/form-authoring.md)."""

from __future__ import annotations

from engine.forms.xlsform.sheets import SheetProblem
from engine.forms.xlsform.survey import ImportResult, import_xlsform

__all__ = ["ImportResult", "SheetProblem", "import_xlsform"]
