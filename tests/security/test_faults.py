"""Faults and the Rasa API's protection, on a stack of its own (services are killed here).

The stack runs with RASA_API_TOKEN set, as production must. Then: Rasa's API needs the token
while the REST channel stays open; every service listens on loopback only; the action server
killed mid-conversation gives "系统繁忙" within 5 s and the facts are back once it is; Rasa
restarted resumes the conversation from the tracker store; the logs hold no message text.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from bot.channels.rasa_client import BUSY_TEXT
from bot.supervisor import Service, Stack, _answers, _die_with_parent
from tests.support import start_test_stack

pytestmark = pytest.mark.slow

TOKEN = "rasa-api-token-for-the-fault-tests"
FACTS = '/inform{"asker":"person","certificate_level":"senior"}'
SENIOR = "高级工（三级）"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    running = start_test_stack(tmp_path_factory.mktemp("faults"), rasa_api_token=TOKEN)
    try:
        yield running
    finally:
        running.stop()


def service(stack: Stack, name: str) -> Service:
    return next(s for s in stack.services if s.spec.name == name)


def kill(stack: Stack, name: str) -> None:
    process = service(stack, name).process
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def start_again(stack: Stack, name: str, timeout: float = 300) -> None:
    """The same command as the supervisor's, its output appended to the same log."""
    old = service(stack, name)
    old.log_file.close()
    log_file = old.log_path.open("ab")
    process = subprocess.Popen(old.spec.argv, cwd=stack.cwd, env={**os.environ, **old.spec.env},
                               stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT,
                               start_new_session=True, preexec_fn=_die_with_parent)
    stack.services[stack.services.index(old)] = Service(old.spec, process, old.log_path, log_file)
    deadline = time.monotonic() + timeout
    while not _answers(old.spec.ready_url):
        assert process.poll() is None, f"{name} died on restart:\n{service(stack, name).log_tail()}"
        assert time.monotonic() < deadline, f"{name} not ready after {timeout:.0f}s"
        time.sleep(0.3)


def rest(stack: Stack, sender: str, text: str) -> tuple[int, str]:
    response = httpx.post(f"{stack.config.rasa_url}/webhooks/rest/webhook",
                          json={"sender": sender, "message": text}, timeout=30, trust_env=False)
    return response.status_code, "\n".join(m.get("text") or "" for m in response.json())


def web(stack: Stack, sender: str, text: str) -> tuple[int, str]:
    response = httpx.post(f"{stack.config.web_url}/api/chat", json={"sender": sender, "message": text},
                          timeout=30, trust_env=False)
    body = response.json()
    texts = [m.get("text") or "" for m in body["messages"]] if "messages" in body else [body["message"]]
    return response.status_code, "\n".join(texts)


# -- Rasa's HTTP API ----------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/conversations/someone/tracker"),
    ("POST", "/conversations/someone/messages"),
    ("POST", "/conversations/someone/trigger_intent"),
    ("GET", "/status"),
    ("PUT", "/model"),
    ("DELETE", "/model"),
    ("POST", "/model/parse"),
])
def test_rasa_api_refuses_requests_without_the_token(stack: Stack, method: str, path: str) -> None:
    response = httpx.request(method, f"{stack.config.rasa_url}{path}", json={}, timeout=30, trust_env=False)
    assert response.status_code == 401, response.text


def test_rasa_api_answers_with_the_token_and_the_rest_channel_needs_none(stack: Stack) -> None:
    status, _ = rest(stack, "token-check", "你好")
    tracker = httpx.get(f"{stack.config.rasa_url}/conversations/token-check/tracker", params={"token": TOKEN},
                        timeout=30, trust_env=False)
    wrong = httpx.get(f"{stack.config.rasa_url}/conversations/token-check/tracker", params={"token": "x" * 30},
                      timeout=30, trust_env=False)

    assert status == 200
    assert tracker.status_code == 200 and tracker.json()["sender_id"] == "token-check"
    assert wrong.status_code == 401


def listening_addresses(port: int) -> set[str]:
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def test_every_service_listens_on_loopback_only(stack: Stack) -> None:
    loopback = {"0100007F", "00000000000000000000000001000000"}  # 127.0.0.1, ::1
    for port in (stack.config.rasa_port, stack.config.action_port, stack.config.web_port):
        addresses = listening_addresses(port)
        assert addresses and addresses <= loopback, (port, addresses)


# -- faults -------------------------------------------------------------------------------


def test_action_server_killed_mid_conversation(stack: Stack) -> None:
    web_sender = "web-" + "ac" * 16
    assert rest(stack, "actions-down", FACTS)[0] == 200
    assert web(stack, web_sender, FACTS)[0] == 200

    kill(stack, "actions")
    try:
        for say, sender in ((rest, "actions-down"), (web, web_sender)):
            started = time.monotonic()
            status, text = say(stack, sender, "/show_facts")
            assert status == 200 and BUSY_TEXT in text, text
            assert time.monotonic() - started < 5.0
    finally:
        start_again(stack, "actions")

    for say, sender in ((rest, "actions-down"), (web, web_sender)):
        status, text = say(stack, sender, "/show_facts")
        assert status == 200 and SENIOR in text, text


def test_rasa_restarted_resumes_the_conversation_from_the_tracker_store(stack: Stack) -> None:
    web_sender = "web-" + "ra" * 16
    assert rest(stack, "rasa-restart", FACTS)[0] == 200
    assert web(stack, web_sender, FACTS)[0] == 200

    kill(stack, "rasa")
    try:
        started = time.monotonic()
        status, text = web(stack, web_sender, "/show_facts")
        assert (status, text) == (503, BUSY_TEXT)  # while Rasa is down: the busy line, at once
        assert time.monotonic() - started < 5.0
    finally:
        start_again(stack, "rasa")

    for say, sender in ((rest, "rasa-restart"), (web, web_sender)):
        status, text = say(stack, sender, "/show_facts")
        assert status == 200 and SENIOR in text, text


# -- what the logs keep -------------------------------------------------------------------


def test_logs_hold_no_message_text_id_or_phone_number(stack: Stack) -> None:
    marker = "我想问问焊工补贴标记甲乙丙"
    web(stack, "web-" + "lo" * 16, marker)
    web(stack, "web-" + "lo" * 16, "我的身份证号370302199001011234，手机13812345678")
    rest(stack, "logs-rest", "身份证370302199001011234 电话13912345678")
    time.sleep(0.5)
    for name in ("web", "rasa", "actions"):
        log = service(stack, name).log_path.read_text(encoding="utf-8", errors="replace")
        assert "370302199001011234" not in log and "13812345678" not in log and "13912345678" not in log, name
    assert marker not in service(stack, "web").log_path.read_text(encoding="utf-8", errors="replace")


# -- retention ----------------------------------------------------------------------------


def test_purge_on_the_real_tracker_store(stack: Stack) -> None:
    # Two real conversations; one is made 200 days old, then `python -m bot.purge --days 180`.
    assert rest(stack, "purge-old", FACTS)[0] == 200
    assert rest(stack, "purge-kept", FACTS)[0] == 200
    db = yaml.safe_load(stack.config.endpoints.read_text())["tracker_store"]["db"]
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE events SET timestamp = timestamp - 200 * 86400 WHERE sender_id = 'purge-old'")

    done = subprocess.run([sys.executable, "-m", "bot.purge", "--days", "180", "--endpoints",
                           str(stack.config.endpoints)], capture_output=True, text=True, timeout=60, check=True)

    assert "deleted 1 conversations" in done.stdout
    with sqlite3.connect(db) as connection:
        left = {row[0] for row in connection.execute("SELECT DISTINCT sender_id FROM events")}
    assert "purge-old" not in left and "purge-kept" in left
    assert SENIOR not in rest(stack, "purge-old", "/show_facts")[1]  # Rasa starts that one afresh
    assert SENIOR in rest(stack, "purge-kept", "/show_facts")[1]
