"""Properties of scoring and classification over answers generated from the built-in forms."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import Form, FormRegistry, assess_needs, classify, validate
from tests.engine.forms.strategies import answers_for, garbage, object_for

REGISTRY = FormRegistry.load()
FORMS = list(REGISTRY)
BANDED = [f for f in FORMS if f.bands]


@pytest.mark.parametrize("form", BANDED, ids=lambda f: f.id)
@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_classification_never_crashes_and_stays_in_declared_bands(form: Form, data: Any) -> None:
    answers = data.draw(answers_for(form))
    result = classify(answers, form)
    assert result.band is not None and result.band.id in {b.id for b in form.bands}
    low, high = form.score_range
    assert low <= result.total <= high
    assert sum(d.score for d in result.domains) == result.total or not form.domains
    fired = [flag for flag in form.red_flags if flag.holds(answers)]
    if fired:
        assert result.band.id == form.bands[0].id
        assert {f.id for f in result.red_flags} == {f.id for f in fired}
    else:
        assert result.band == result.score_band
    assert len(result.explain("zh-CN")) == len(result.explain("en")) >= 1


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.id)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_validation_never_crashes_and_accepts_what_the_schema_allows(form: Form, data: Any) -> None:
    answers = data.draw(object_for(form, form.document))
    assert validate(answers, form, final=False) == []
    for error in validate(data.draw(garbage), form) + validate(data.draw(answers_for(form)), form):
        assert error.message("zh-CN") and error.message("en")


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_needs_never_crash(data: Any) -> None:
    form = REGISTRY.get("needs")
    result = assess_needs(data.draw(answers_for(form)), form)
    for category in result.categories:
        need = next(n for n in form.needs if n.id == category.id)
        assert category.rating >= need.threshold
