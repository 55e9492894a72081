"""The endpoints files as Rasa itself reads them (the test stacks rewrite a copy, so this is
the only check that `make run` and `make run-prod` get an expanded action server URL)."""

from __future__ import annotations

import pytest
from rasa.core.utils import read_endpoints_from_path

from bot.supervisor import REPO_ROOT


@pytest.fixture()
def endpoint_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every ${VAR} the endpoints files name, as make run / make run-prod set them."""
    monkeypatch.setenv("ACTION_SERVER_URL", "http://127.0.0.1:5055")
    for var in ("PG_HOST", "PG_PORT", "PG_DB", "PG_USER", "PG_PASSWORD", "REDIS_HOST", "REDIS_PORT",
                "REDIS_PASSWORD"):
        monkeypatch.setenv(var, "5432" if var.endswith("PORT") else "x")


@pytest.mark.parametrize("name", ["endpoints.yml", "endpoints-prod.yml"])
@pytest.mark.usefixtures("endpoint_variables")
def test_rasa_expands_the_action_server_url(name: str) -> None:
    endpoints = read_endpoints_from_path(REPO_ROOT / name)
    assert endpoints.action.url == "http://127.0.0.1:5055/webhook"


@pytest.mark.parametrize(("name", "store"), [("endpoints.yml", "PromptInMemoryLockStore"),
                                             ("endpoints-prod.yml", "AtomicRedisLockStore")])
@pytest.mark.usefixtures("endpoint_variables")
def test_each_profile_gets_its_conversation_lock(monkeypatch: pytest.MonkeyPatch, name: str, store: str) -> None:
    """Rasa's own lock stores wait 1 s between looks, and its Redis one is racy (bot/lock_store.py)."""
    from rasa.core.lock_store import LockStore

    monkeypatch.delenv("SANIC_WORKERS", raising=False)
    endpoints = read_endpoints_from_path(REPO_ROOT / name)
    built = LockStore.create(endpoints.lock_store)  # Redis is not contacted until a lock is taken
    assert type(built).__module__ == "bot.lock_store" and type(built).__name__ == store
