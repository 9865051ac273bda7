"""Settings for every test."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True, scope="session")
def private_parse_cache(tmp_path_factory):
    """Parsed decks are kept in a cache folder of the test run (see hipquiz/core/parse_cache.py),
    not in the user's own: the commands the tests run, in this process or in a terminal, use it."""
    saved = os.environ.get("HIPQUIZ_CACHE")
    os.environ["HIPQUIZ_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if saved is None:
        del os.environ["HIPQUIZ_CACHE"]
    else:
        os.environ["HIPQUIZ_CACHE"] = saved
