"""Facts survive a new session (slot carry-over) and a restart of the servers (the tracker store)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.support import StackUrls, start_test_stack, write_test_endpoints

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


def test_facts_survive_a_restart_of_the_servers(tmp_path: Path) -> None:
    endpoints = write_test_endpoints(tmp_path)  # one tracker database for both runs
    first = start_test_stack(tmp_path, endpoints)
    try:
        say(first.urls()["rasa"], "restart-proof", FACTS)
    finally:
        first.stop()
    second = start_test_stack(tmp_path, endpoints)
    try:
        shown = say(second.urls()["rasa"], "restart-proof", "/show_facts")
    finally:
        second.stop()
    assert "高级工（三级）" in shown and "2024" in shown


def test_the_rasa_server_exempts_what_it_loaded_from_garbage_collection(stack: StackUrls) -> None:
    """bot.rasa_speedups.freeze_heap ran once the model was loaded (a full collection over the
    loaded model took ~280 ms, in the middle of a turn)."""
    health = httpx.get(f"{stack.rasa}/webhooks/rest/", timeout=10, trust_env=False).json()
    assert health["status"] == "ok"
    assert health["gc_frozen"] > 100_000  # the model, TensorFlow and Rasa: ~550,000 objects


def test_messages_a_user_sends_at_once_are_all_answered_and_kept(stack: StackUrls) -> None:
    """A burst (WeChat users send several short messages): the lock serves them one at a time."""
    from concurrent.futures import ThreadPoolExecutor

    messages = ['/inform{"asker":"person","certificate_level":"senior"}', '/inform{"graduation_date":"2024"}',
                '/inform{"school_type":"technical_school"}', '/inform{"employer_type":"individual_business"}']
    for burst in range(3):
        sender = f"burst-{burst}"
        with ThreadPoolExecutor(max_workers=len(messages)) as at_once:
            answers = [at_once.submit(say, stack.rasa, sender, message) for message in messages]
            assert all(answer.result() for answer in answers)  # say() checks each was a 200
        shown = say(stack.rasa, sender, "/show_facts")
        for fact in ("高级工（三级）", "2024", "技工院校", "个体工商户"):
            assert fact in shown, f"{sender} lost {fact}:\n{shown}"
