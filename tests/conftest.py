from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from engine import Form, FormRegistry
from tests.sync.server import ServerUnderTest, start_cluster, start_server

FORMS = Path(__file__).resolve().parent.parent / "forms"


@pytest.fixture(scope="session")
def registry() -> FormRegistry:
    return FormRegistry.load()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerUnderTest]:
    """The CouchDB server of the sync tests (see tests/sync/server.py)."""
    yield from start_server(tmp_path_factory.mktemp("couch"))


@pytest.fixture(scope="session")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerUnderTest]:
    """A 3-node CouchDB cluster (n=3, q=2), or a skip where none can be started."""
    yield from start_cluster(tmp_path_factory.mktemp("cluster"))


@pytest.fixture(scope="session")
def risk(registry: FormRegistry) -> Form:
    return registry.get("risk")


def form_document(name: str) -> dict[str, Any]:
    """A built-in form's JSON, freshly read, to edit in a test."""
    return json.loads((FORMS / name).read_text("utf-8"))


def risk_answers(form: Form, rating: int | str = 0, **changes: Any) -> dict[str, Any]:
    """Complete answers to the risk form, every scored item at `rating`, no red flag."""
    answers: dict[str, Any] = {"assessment_date": "2026-11-02", "assessor": "李老师"}
    for name, field in form.fields.items():
        if field.score is not None:
            answers[name] = rating
        elif name.startswith("rf_"):
            answers[name] = False
    answers.update(changes)
    return answers
