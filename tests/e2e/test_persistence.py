"""Facts survive a new session (slot carry-over) and a restart of the servers (the tracker store)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from bot.supervisor import Stack, StackConfig
from tests.conftest import TEST_TODAY
from tests.support import StackUrls, free_ports, require_current_model, write_test_endpoints

pytestmark = pytest.mark.slow

FACTS = '/inform{"asker":"person","certificate_level":"senior","graduation_date":"2024"}'


def say(rasa: str, sender: str, text: str) -> str:
    response = httpx.post(f"{rasa}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                          timeout=60, trust_env=False)
    assert response.status_code == 200
    return "\n".join(m.get("text") or "" for m in response.json())


def test_facts_carry_over_into_a_new_session(stack: StackUrls) -> None:
    say(stack.rasa, "carry-over", FACTS)
    say(stack.rasa, "carry-over", "/session_start")
    shown = say(stack.rasa, "carry-over", "/show_facts")
    assert "高级工（三级）" in shown and "2024" in shown


def start(directory: Path, endpoints: Path) -> Stack:
    rasa_port, action_port, web_port = free_ports(3)
    running = Stack(StackConfig(rasa_port=rasa_port, action_port=action_port, web_port=web_port,
                                endpoints=endpoints, log_dir=directory / "log",
                                extra_env={"ASSISTANT_TODAY": TEST_TODAY, "NLU_REFERENCE_DATE": TEST_TODAY}))
    running.start()
    running.wait_ready(timeout=300)
    return running


def test_facts_survive_a_restart_of_the_servers(tmp_path: Path) -> None:
    require_current_model()
    endpoints = write_test_endpoints(tmp_path)  # one tracker database for both runs
    first = start(tmp_path, endpoints)
    try:
        say(first.urls()["rasa"], "restart-proof", FACTS)
    finally:
        first.stop()
    second = start(tmp_path, endpoints)
    try:
        shown = say(second.urls()["rasa"], "restart-proof", "/show_facts")
    finally:
        second.stop()
    assert "高级工（三级）" in shown and "2024" in shown
