"""End to end: the real Rasa server, action server and web app, and the supervisor."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.supervisor import REPO_ROOT
from tests.support import StackUrls, free_ports, require_current_model

pytestmark = pytest.mark.slow


def test_a_greeting_is_answered_in_chinese_with_what_the_assistant_does(stack: StackUrls) -> None:
    response = httpx.post(
        f"{stack.rasa}/webhooks/rest/webhook",
        json={"sender": "test-greeting", "message": "你好"},
        timeout=30,
        trust_env=False,
    )

    assert response.status_code == 200
    texts = [message["text"] for message in response.json()]
    assert len(texts) == 1
    assert "技能兴淄" in texts[0]
    assert "26" in texts[0]
    assert re.search(r"第.{1,3}条", texts[0])


def test_a_question_outside_the_policy_points_to_12333(stack: StackUrls) -> None:
    response = httpx.post(
        f"{stack.rasa}/webhooks/rest/webhook",
        json={"sender": "test-out-of-scope", "message": "今天天气怎么样"},
        timeout=30,
        trust_env=False,
    )

    assert "12333" in response.json()[0]["text"]


def test_healthz_reports_rasa_and_action_server_ok(stack: StackUrls) -> None:
    response = httpx.get(f"{stack.web}/healthz", timeout=10, trust_env=False)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["rasa"]["ok"] is True
    assert body["action_server"]["ok"] is True


# The supervisor, started the way `make run` starts it, on free ports.
PID_LINE = re.compile(r"^\s+(rasa|actions|web)\s+pid (\d+)")


class Supervisor:
    """`python -m bot.run` in its own session, with its output read line by line."""

    def __init__(self, log_dir: Path) -> None:
        ports = dict(zip(("RASA_PORT", "ACTION_PORT", "WEB_PORT"), map(str, free_ports(3)), strict=True))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.run"],
            cwd=REPO_ROOT,
            env={**os.environ, **ports, "LOG_DIR": str(log_dir)},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.pids: dict[str, int] = {}

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def wait_for(self, text: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                continue
            self.output.append(line)
            if match := PID_LINE.match(line):
                self.pids[match[1]] = int(match[2])
            if text in line:
                return
        pytest.fail(f"no {text!r} within {timeout}s; output:\n{''.join(self.output)}")

    def finish(self, timeout: float) -> int:
        code = self.process.wait(timeout=timeout)
        time.sleep(0.2)  # let the reader thread drain the pipe
        while not self.lines.empty():
            self.output.append(self.lines.get())
        return code

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        for pid in self.pids.values():
            if is_alive(pid):
                os.killpg(pid, signal.SIGKILL)


def is_alive(pid: int) -> bool:
    try:
        os.killpg(pid, 0)  # each child leads its own process group
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def supervisor(tmp_path: Path) -> Iterator[Supervisor]:
    require_current_model()
    running = Supervisor(tmp_path / "log")
    try:
        running.wait_for("All services ready", timeout=300)
        assert set(running.pids) == {"rasa", "actions", "web"}
        yield running
    finally:
        running.kill()


def test_supervisor_stops_everything_when_one_service_dies(supervisor: Supervisor) -> None:
    os.kill(supervisor.pids["actions"], signal.SIGKILL)

    code = supervisor.finish(timeout=60)

    output = "".join(supervisor.output)
    assert code != 0
    assert "actions" in output and "signal 9" in output
    assert not [name for name, pid in supervisor.pids.items() if is_alive(pid)]


def test_ctrl_c_stops_all_three_services_cleanly(supervisor: Supervisor) -> None:
    supervisor.process.send_signal(signal.SIGINT)

    code = supervisor.finish(timeout=60)

    assert code == 0, "".join(supervisor.output)
    assert "All services stopped." in "".join(supervisor.output)
    assert not [name for name, pid in supervisor.pids.items() if is_alive(pid)]
