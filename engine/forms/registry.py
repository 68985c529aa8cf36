"""Finding forms by id and version, from the built-in folder and any others."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Iterator
from functools import cache
from importlib import resources
from pathlib import Path

from engine.forms.form import Form, Origin
from engine.forms.lint import json_files, lint_form
from engine.forms.problems import Problem, read_json


@cache
def _checker_fingerprint() -> bytes:
    """What the check depends on: its code and the vocabulary's meta-schema."""
    digest = hashlib.sha256()
    for module in ("lint.py", "lint_semantics.py", "vocabulary.py", "problems.py", "form.py"):
        digest.update((Path(__file__).parent / module).read_bytes())
    digest.update(resources.files("forms.meta").joinpath("form.schema.json").read_bytes())
    return digest.digest()


def check_key(content: bytes) -> str:
    """Identifies a form file's text under this version of the check."""
    return hashlib.sha256(_checker_fingerprint() + content).hexdigest()


def builtin_forms_folder() -> Path:
    return Path(str(resources.files("forms")))


def builtin_form_files() -> list[Path]:
    """The built-in forms: `<id>.v<version>.json` in the built-in folder."""
    return sorted(builtin_forms_folder().glob("*.v[0-9]*.json"))


class UnknownForm(LookupError):
    def __init__(self, form_id: str, version: int | None) -> None:
        self.form_id = form_id
        self.version = version
        what = form_id if version is None else f"{form_id} v{version}"
        super().__init__(f"no form {what}")


class FormRegistry:
    """Every version of every form; a version that fails its check is left out and reported."""

    def __init__(self) -> None:
        self._forms: dict[tuple[str, int], Form] = {}
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []  # of forms used all the same
        self.passed: set[str] = set()  # check keys of the files that passed (see check_key)

    @classmethod
    def load(
        cls, folders: Iterable[Path] = (), *, builtin: bool = True, passed: Collection[str] = ()
    ) -> FormRegistry:
        """The built-in forms and the forms in `folders` (every JSON file there is taken for a
        form; `engine.definitions` reads folders that also hold case-work rules). A file whose
        check key is in `passed` (it passed this very check before, unchanged) is not checked
        again."""
        registry = cls()
        for path in builtin_form_files() if builtin else []:
            registry.add_file(path, passed, Origin("built-in", str(path)))
        for path in json_files(folders):
            registry.add_file(path, passed)
        return registry

    def add_file(
        self, path: Path, passed: Collection[str] = (), origin: Origin | None = None
    ) -> Form | None:
        try:
            key = check_key(path.read_bytes())
        except OSError:
            key = ""
        doc, problems = read_json(path)
        return self.add_document(doc, path, key, problems, passed, origin)

    def add_document(
        self,
        doc: object,
        path: Path,
        key: str,
        problems: list[Problem],
        passed: Collection[str] = (),
        origin: Origin | None = None,
    ) -> Form | None:
        """A parsed form file (`problems`: those found reading it); checked unless its key
        passed before."""
        if doc is not None and key not in passed:
            problems = problems + lint_form(doc, str(path))
        if any(not p.warning for p in problems) or not isinstance(doc, dict):
            self.problems += problems
            return None
        self.warnings += problems
        self.passed.add(key)
        return self.add(Form(doc, path, origin))

    def add(self, form: Form) -> Form:
        existing = self._forms.get(form.key)
        if existing is not None and existing.digest != form.digest:
            self.problems.append(
                Problem(
                    "duplicate-id",
                    str(form.source),
                    "/x-form",
                    {"id": f"{form.id} v{form.version}", "first": str(existing.source)},
                )
            )
            return existing
        self._forms[form.key] = form
        return form

    def get(self, form_id: str, version: int | None = None) -> Form:
        """The given version, or the newest one."""
        if version is not None:
            form = self._forms.get((form_id, version))
            if form is None:
                raise UnknownForm(form_id, version)
            return form
        versions = self.versions(form_id)
        if not versions:
            raise UnknownForm(form_id, None)
        return self._forms[(form_id, versions[-1])]

    def keys(self) -> set[tuple[str, int]]:
        """Every (form id, version) held."""
        return set(self._forms)

    def versions(self, form_id: str) -> list[int]:
        return sorted(v for (i, v) in self._forms if i == form_id)

    def __iter__(self) -> Iterator[Form]:
        return iter(sorted(self._forms.values(), key=lambda f: f.key))

    def __len__(self) -> int:
        return len(self._forms)
