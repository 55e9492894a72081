"""Browser tests: Playwright for Python driving Debian's Chromium, and small local servers.

Playwright's own browser download does not work here, so the tests launch the system
browser (`make browser-deps` installs it with apt). The fixtures are registered for the
whole suite by `pytest_plugins` in tests/conftest.py:

- ``browser``: one headless Chromium per test session.
- ``artifacts``: tests/artifacts/, where screenshots go (kept by CI, not in git).

`serve_app` and `serve_directory` run a web app or a folder of static files on a free
port in a thread, for tests that need a second site (an embedding page, a web app with
other settings).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from playwright.sync_api import Browser, Playwright, sync_playwright

from bot.supervisor import REPO_ROOT
from tests.support import free_ports

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = REPO_ROOT / "tests" / "artifacts"

PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 800}


# Module scope: Playwright's sync API runs an event loop in this thread while it is open, and a
# later asyncio test (tests/wechat, tests/web/test_metrics.py) cannot start its own beside it.
@pytest.fixture(scope="module")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="module")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.fail(f"no browser at {CHROMIUM}: run `make browser-deps` (apt-get install chromium)", pytrace=False)
    browser = playwright_instance.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@contextlib.contextmanager
def serve_app(app: Any, host: str = "127.0.0.1") -> Iterator[str]:
    """Run an ASGI app with uvicorn in a thread; yields its base URL."""
    (port,) = free_ports(1)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"uvicorn did not start on port {port}")
        time.sleep(0.05)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve_directory(directory: Path, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve the files of `directory` over HTTP in a thread; yields the base URL."""
    (port,) = free_ports(1)
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
