"""Shared fixtures.

`stack` starts the real Rasa server, action server and web app once per test
session, on free ports chosen by the kernel so that a `make run` or another
test run does not clash, with the tracker database and logs in a temporary directory.
It needs the trained model: `make test` trains it first; when running pytest
directly, run `make train` after changing config.yml, domain.yml or data/.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support import TEST_TODAY, StackUrls, start_test_stack

__all__ = ["TEST_TODAY"]  # imported from here by older tests

# Browser tests' fixtures (`browser`, `artifacts`), shared by every test folder.
pytest_plugins = ("tests.browser_support",)


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackUrls]:
    running = start_test_stack(tmp_path_factory.mktemp("stack"))
    try:
        urls = running.urls()
        yield StackUrls(rasa=urls["rasa"], actions=urls["actions"], web=urls["web"])
    finally:
        running.stop()
