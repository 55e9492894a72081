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

from bot.supervisor import Stack, StackConfig, StackError
from tests.support import (
    StackUrls,
    free_ports,
    require_current_model,
    write_test_endpoints,
)

# Browser tests' fixtures (`browser`, `artifacts`), shared by every test folder.
pytest_plugins = ("tests.browser_support",)

TEST_TODAY = "2026-11-25"


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackUrls]:
    require_current_model()
    directory = tmp_path_factory.mktemp("stack")
    rasa_port, action_port, web_port = free_ports(3)
    config = StackConfig(
        rasa_port=rasa_port,
        action_port=action_port,
        web_port=web_port,
        endpoints=write_test_endpoints(directory),
        log_dir=directory / "log",
        # Tests pin the date: 去年 and "毕业五年内" mean the same thing every day.
        extra_env={"ASSISTANT_TODAY": TEST_TODAY, "NLU_REFERENCE_DATE": TEST_TODAY},
    )
    running = Stack(config)
    running.start()
    try:
        running.wait_ready(timeout=300)
    except StackError as error:
        running.stop()
        tails = "\n\n".join(f"== {s.log_path}\n{s.log_tail(40)}" for s in running.services)
        pytest.fail(f"the stack did not start: {error}\n\n{tails}", pytrace=False)
    try:
        urls = running.urls()
        yield StackUrls(rasa=urls["rasa"], actions=urls["actions"], web=urls["web"])
    finally:
        running.stop()
