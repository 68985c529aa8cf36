"""Folders of definitions: the forms and the case-work rules beside them, told apart and checked.

A folder (the built-in `forms/`, a district's own) holds form files and at most a few rules
files. Forms are read by `engine.forms`, rules by `engine.casework.rules`; this module is the
one place that knows both, so neither package needs the other.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.casework.rules import CaseworkRules, is_rules_document, lint_rules, load_rules
from engine.forms.lint import json_files, lint_form
from engine.forms.migration_check import migration_problems
from engine.forms.problems import Problem, read_json
from engine.forms.registry import FormRegistry, builtin_form_files, builtin_forms_folder, check_key


@dataclass(frozen=True)
class DefinitionFile:
    path: Path
    doc: Any  # None when it could not be read
    problems: list[Problem]
    key: str = ""  # see engine.forms.registry.check_key

    @property
    def is_rules(self) -> bool:
        return is_rules_document(self.doc)


def read_definitions(paths: Iterable[Path]) -> list[DefinitionFile]:
    """Every JSON file named or contained (not recursively) in `paths`, parsed."""
    files = []
    for path in json_files(paths):
        if not path.exists():
            missing = Problem("unreadable", str(path), params={"detail": "not found"})
            files.append(DefinitionFile(path, None, [missing]))
            continue
        try:
            key = check_key(path.read_bytes())
        except OSError:
            key = ""
        doc, problems = read_json(path)
        files.append(DefinitionFile(path, doc, problems, key))
    return files


def load_forms(folders: Iterable[Path] = (), passed: Collection[str] = ()) -> FormRegistry:
    """The built-in forms and the forms in `folders`; rules files there are not forms (see
    `load_rules_file`). Files whose check key is in `passed` are not checked again."""
    forms = FormRegistry.load(passed=passed)
    for file in read_definitions(folders):
        if not file.is_rules:
            forms.add_document(file.doc, file.path, file.key, file.problems, passed)
    return forms


def lint_document(doc: Any, file: str, forms: FormRegistry | None = None) -> list[Problem]:
    """Every problem of one parsed definition: a form, or a rules file (checked against
    `forms`, by default the built-in ones)."""
    if is_rules_document(doc):
        return lint_rules(doc, file, forms)
    return lint_form(doc, file)


def lint_file(path: Path) -> tuple[Any, list[Problem]]:
    doc, problems = read_json(path)
    if doc is None:
        return None, problems
    return doc, problems + lint_document(doc, str(path), forms_beside(path))


def forms_beside(path: Path) -> FormRegistry:
    """The built-in forms and the forms in the folder of `path` (what a rules file there may
    name)."""
    folder = path.parent
    forms = load_forms([] if folder == builtin_forms_folder() else [folder])
    forms.problems.clear()  # the forms' own problems are reported where they are checked
    return forms


def form_versions(docs: Iterable[Any]) -> dict[str, dict[int, dict[str, Any]]]:
    """Form documents by id and version (the first of each wins)."""
    versions: dict[str, dict[int, dict[str, Any]]] = {}
    for doc in docs:
        meta = doc.get("x-form") if isinstance(doc, dict) else None
        if isinstance(meta, dict) and isinstance(meta.get("version"), int):
            versions.setdefault(str(meta.get("id")), {}).setdefault(meta["version"], doc)
    return versions


def builtin_form_documents() -> list[dict[str, Any]]:
    """The built-in forms as documents: read, not compiled (they only answer questions of
    ids and versions here)."""
    docs = (read_json(path)[0] for path in builtin_form_files())
    return [doc for doc in docs if isinstance(doc, dict)]


def lint_paths(paths: Iterable[Path], known: Iterable[dict[str, Any]] = ()) -> list[Problem]:
    """Check files and folders of definitions, including form ids repeated across files and
    each version's migration against the version it comes from (among these files, `known`
    form documents — e.g. those published — and the built-in forms)."""
    problems: list[Problem] = []
    seen: dict[tuple[str, int], str] = {}
    checked: list[tuple[DefinitionFile, dict[str, Any]]] = []
    for file in read_definitions(paths):
        if file.doc is None:
            problems += file.problems
            continue
        forms = forms_beside(file.path) if file.is_rules else None
        found = file.problems + lint_document(file.doc, str(file.path), forms)
        problems += found
        if not found and not file.is_rules:
            key = (file.doc["x-form"]["id"], file.doc["x-form"]["version"])
            if key in seen:
                problems.append(
                    Problem(
                        "duplicate-id",
                        str(file.path),
                        "/x-form",
                        {"id": f"{key[0]} v{key[1]}", "first": seen[key]},
                    )
                )
            else:
                seen[key] = str(file.path)
                checked.append((file, file.doc))
    if any("x-migration" in doc for _, doc in checked):
        versions = form_versions(
            [doc for _, doc in checked] + list(known) + builtin_form_documents()
        )
        for file, doc in checked:
            problems += migration_problems(doc, versions[doc["x-form"]["id"]], str(file.path))
    return problems


def load_rules_file(path: Path | None) -> CaseworkRules:
    """The rules in `path` (default: the built-in file), checked against the forms beside
    it; RulesUnusable if broken."""
    return load_rules(path, forms_beside(path) if path is not None else None)
