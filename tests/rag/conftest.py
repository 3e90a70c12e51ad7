"""Questions asked of the shared service as an official types them: with diacritics and without."""

from __future__ import annotations

import unicodedata

import pytest


def typed_plainly(question: str) -> str:
    """``question`` typed without diacritics: lower case, no marks, no question mark."""
    letters = unicodedata.normalize("NFD", question.lower().replace("đ", "d"))
    return "".join(c for c in letters if not unicodedata.combining(c)).rstrip("?")


def both_ways(question: str) -> list[str]:
    """``question`` as written, then typed without diacritics."""
    return [question, typed_plainly(question)]


def asked_both_ways(question: str) -> pytest.MarkDecorator:
    """Parametrizes the ``answer`` fixture with ``question`` both ways."""
    return pytest.mark.parametrize("answer", both_ways(question), indirect=True)


@pytest.fixture
def answer(request: pytest.FixtureRequest, service):
    """The shared service's answer to the question the test is parametrized with."""
    return service.ask(request.param)
