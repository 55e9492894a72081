"""Helpers for tests that start the real services."""

from __future__ import annotations

import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from bot.supervisor import DEFAULT_MODEL, REPO_ROOT, Stack, StackConfig, StackError

# Tests pin the date: 去年 and "毕业五年内" mean the same thing every day.
TEST_TODAY = "2026-11-25"
TEST_DATE_ENV = {"ASSISTANT_TODAY": TEST_TODAY, "NLU_REFERENCE_DATE": TEST_TODAY}


@dataclass(frozen=True)
class StackUrls:
    rasa: str
    actions: str
    web: str


def free_ports(count: int) -> list[int]:
    """`count` distinct ports nothing listens on now, chosen by the kernel.

    Tests start their services on these, so they never clash with a `make run`
    or with another test run on the same machine.
    """
    sockets = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [int(sock.getsockname()[1]) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def require_current_model() -> None:
    """Fail (never skip) when the model is missing or older than its training data."""
    if not DEFAULT_MODEL.is_file():
        pytest.fail(f"no trained model at {DEFAULT_MODEL}: run `make train` first", pytrace=False)
    fingerprint_file = REPO_ROOT / "var" / "model.fingerprint"
    current = subprocess.run(
        [str(REPO_ROOT / "scripts" / "model-fingerprint.sh")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    trained = fingerprint_file.read_text().strip() if fingerprint_file.is_file() else None
    if trained != current:
        pytest.fail(
            "the model is older than config.yml, domain.yml or data/: run `make train`",
            pytrace=False,
        )


def write_test_endpoints(directory: Path) -> Path:
    """The repository's endpoints.yml with the tracker database moved to `directory`."""
    endpoints = yaml.safe_load((REPO_ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    endpoints["tracker_store"]["db"] = str(directory / "tracker.db")
    path = directory / "endpoints.yml"
    path.write_text(yaml.safe_dump(endpoints, allow_unicode=True), encoding="utf-8")
    return path


def start_test_stack(directory: Path, endpoints: Path | None = None, **config: object) -> Stack:
    """Start the real Rasa, action server and web app on free ports, with the test date pinned
    and the tracker database and logs under `directory`; fail the test with the logs if they
    do not come up."""
    require_current_model()
    rasa_port, action_port, web_port = free_ports(3)
    running = Stack(StackConfig(  # type: ignore[arg-type]
        rasa_port=rasa_port, action_port=action_port, web_port=web_port,
        endpoints=endpoints or write_test_endpoints(directory), log_dir=directory / "log",
        extra_env=dict(TEST_DATE_ENV), **config,
    ))
    running.start()
    try:
        running.wait_ready(timeout=300)
    except StackError as error:
        running.stop()
        tails = "\n\n".join(f"== {s.log_path}\n{s.log_tail(40)}" for s in running.services)
        pytest.fail(f"the stack did not start: {error}\n\n{tails}", pytrace=False)
    return running
