"""Shared fixtures.

`stack` starts the real Rasa server, action server and web app once per test
session, on ports of their own so that a `make run` in another terminal does
not clash, with the tracker database and logs in a temporary directory.
It needs the trained model: `make test` trains it first; when running pytest
directly, run `make train` after changing config.yml, domain.yml or data/.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.supervisor import Stack, StackConfig, StackError
from tests.support import (
    STACK_PORTS,
    StackUrls,
    port_is_free,
    require_current_model,
    write_test_endpoints,
)


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackUrls]:
    require_current_model()
    busy = [port for port in STACK_PORTS.values() if not port_is_free(port)]
    if busy:
        pytest.fail(f"ports {busy} are in use; stop whatever listens there", pytrace=False)

    directory = tmp_path_factory.mktemp("stack")
    config = StackConfig(
        rasa_port=STACK_PORTS["rasa_port"],
        action_port=STACK_PORTS["action_port"],
        web_port=STACK_PORTS["web_port"],
        endpoints=write_test_endpoints(directory),
        log_dir=directory / "log",
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
