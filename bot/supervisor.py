"""Start, watch and stop the services: Rasa, the action server and the web app.

`python -m bot.run` (what `make run` calls) uses this module; the test suite uses
it too, to start the same stack on other ports.

Two profiles. ``embedded`` (the default): one Rasa server, one action server, the web app,
conversations in SQLite. ``prod`` (`make run-prod`): PostgreSQL and Redis first
(scripts/pg-redis.sh, on loopback), then N Rasa servers sharing the PostgreSQL tracker store
and the Redis lock store, each with its own action server (Rasa #i calls action server #i),
and the web app, which sends turns to the Rasa servers in turn (round-robin).

Each child runs in its own process group (own session), so a Ctrl-C in the
terminal reaches only the supervisor, which then stops every group itself:
SIGTERM first, SIGKILL after a timeout. On Linux each child also gets
PR_SET_PDEATHSIG, so it is killed if the supervisor dies without cleaning up.
Start the stack from the main thread: the kernel sends that signal when the
thread that started the child exits.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Literal

from bot.pg_redis import DEFAULT_DATA_DIR, PgRedis, PgRedisError
from bot.settings import Settings

REPO_ROOT = Path(__file__).resolve().parent.parent
MODEL_NAME = "zibo-skills-assistant"
DEFAULT_MODEL = REPO_ROOT / "models" / f"{MODEL_NAME}.tar.gz"
PROD_ENDPOINTS = REPO_ROOT / "endpoints-prod.yml"
WEB_LOG_CONFIG = REPO_ROOT / "bot" / "web" / "logging.json"
Profile = Literal["embedded", "prod"]

# Quiet TensorFlow and Rasa telemetry in every child.
QUIET_ENV = {
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "RASA_TELEMETRY_ENABLED": "false",
    "PYTHONUNBUFFERED": "1",
    "PYTHONWARNINGS": "ignore::DeprecationWarning",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
}


class StackError(RuntimeError):
    """A service could not start, or stopped on its own."""


@dataclass(frozen=True)
class StackConfig:
    """Where the services listen and which Rasa files they use.

    ``more_rasa_ports``/``more_action_ports``: the second, third... Rasa server and its action
    server (the production profile); ``pg_redis``: PostgreSQL and Redis to start first.
    """

    bind_host: str = "127.0.0.1"
    rasa_port: int = 5005
    action_port: int = 5055
    web_port: int = 8000
    model: Path = DEFAULT_MODEL
    endpoints: Path = REPO_ROOT / "endpoints.yml"
    credentials: Path = REPO_ROOT / "credentials.yml"
    log_dir: Path = REPO_ROOT / "var" / "log"
    rasa_api_token: str | None = None
    extra_env: dict[str, str] = field(default_factory=dict)
    more_rasa_ports: tuple[int, ...] = ()
    more_action_ports: tuple[int, ...] = ()
    pg_redis: PgRedis | None = None

    def __post_init__(self) -> None:
        if len(self.more_rasa_ports) != len(self.more_action_ports):
            raise ValueError("each Rasa server needs its own action server: give as many action ports as Rasa ports")

    @classmethod
    def from_settings(
        cls, settings: Settings, profile: Profile = "embedded", replicas: int = 2, **overrides: object
    ) -> StackConfig:
        token = settings.rasa_api_token.get_secret_value() if settings.rasa_api_token else None
        values: dict[str, object] = {
            "bind_host": settings.bind_host,
            "rasa_port": settings.rasa_port,
            "action_port": settings.action_port,
            "web_port": settings.web_port,
            "rasa_api_token": token,
        }
        if log_dir := os.environ.get("LOG_DIR"):
            values["log_dir"] = Path(log_dir)
        if profile == "prod":
            # Rasa #2 on RASA_PORT+1, its action server on ACTION_PORT+1, and so on.
            values["more_rasa_ports"] = tuple(settings.rasa_port + i for i in range(1, replicas))
            values["more_action_ports"] = tuple(settings.action_port + i for i in range(1, replicas))
            values["endpoints"] = PROD_ENDPOINTS
            values["pg_redis"] = PgRedis(
                data_dir=Path(os.environ.get("PG_REDIS_DIR", DEFAULT_DATA_DIR)),
                pg_port=int(os.environ.get("PG_PORT", "55432")),
                redis_port=int(os.environ.get("REDIS_PORT", "56379")),
            )
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]

    @property
    def rasa_ports(self) -> tuple[int, ...]:
        return (self.rasa_port, *self.more_rasa_ports)

    @property
    def action_ports(self) -> tuple[int, ...]:
        return (self.action_port, *self.more_action_ports)

    @property
    def rasa_urls(self) -> list[str]:
        return [self.url(port) for port in self.rasa_ports]

    @property
    def action_server_urls(self) -> list[str]:
        return [self.url(port) for port in self.action_ports]

    def url(self, port: int) -> str:
        # 0.0.0.0 is where to listen, not where to connect.
        host = "127.0.0.1" if self.bind_host in ("0.0.0.0", "") else self.bind_host
        return f"http://{host}:{port}"

    @property
    def rasa_url(self) -> str:
        return self.url(self.rasa_port)

    @property
    def action_server_url(self) -> str:
        return self.url(self.action_port)

    @property
    def web_url(self) -> str:
        return self.url(self.web_port)


@dataclass(frozen=True)
class ServiceSpec:
    """How to start one service and how to tell it is ready."""

    name: str
    argv: list[str]
    ready_url: str
    env: dict[str, str]


def service_specs(config: StackConfig, store_env: dict[str, str] | None = None) -> list[ServiceSpec]:
    """The command lines of the services for `config`.

    `store_env`: where PostgreSQL and Redis are, with their passwords (production profile);
    given to Rasa and the web app only, which read endpoints-prod.yml.
    """
    py = sys.executable
    store_env = store_env or {}
    shared_env = {
        **QUIET_ENV,
        # Several Rasa servers: the web app's RasaClient sends turns to each in turn.
        "RASA_URL": ",".join(config.rasa_urls),
        "ACTION_SERVER_URL": ",".join(config.action_server_urls),
        # The web app reads consultations from the tracker store Rasa writes to.
        "RASA_ENDPOINTS": str(config.endpoints),
        **config.extra_env,
    }
    cors = [config.web_url, config.web_url.replace("127.0.0.1", "localhost")]
    single = len(config.rasa_ports) == 1
    specs: list[ServiceSpec] = []
    pairs = zip(config.rasa_ports, config.action_ports, strict=True)
    for number, (rasa_port, action_port) in enumerate(pairs, start=1):
        suffix = "" if single else f"-{number}"
        rasa_argv = [
            py, "-m", "rasa", "run",
            "--enable-api",
            "--cors", *cors,
            "-i", config.bind_host,
            "-p", str(rasa_port),
            "--model", str(config.model),
            "--endpoints", str(config.endpoints),
            "--credentials", str(config.credentials),
        ]  # fmt: skip
        if config.rasa_api_token:
            rasa_argv += ["--auth-token", config.rasa_api_token]
        # endpoints*.yml reads ${ACTION_SERVER_URL}: Rasa #i calls action server #i.
        rasa_env = {**shared_env, **store_env, "ACTION_SERVER_URL": config.url(action_port)}
        specs.append(ServiceSpec(f"rasa{suffix}", rasa_argv, f"{config.url(rasa_port)}/", rasa_env))
        # `rasa run actions` only forwards to rasa_sdk; calling it directly avoids
        # importing Rasa (and TensorFlow) in the action server. rasa_sdk has no
        # --interface option: it binds to $SANIC_HOST (default 0.0.0.0).
        specs.append(
            ServiceSpec(
                f"actions{suffix}",
                [py, "-m", "rasa_sdk", "--actions", "actions", "-p", str(action_port)],
                f"{config.url(action_port)}/health",
                {**shared_env, "SANIC_HOST": config.bind_host},
            )
        )
    return [
        *specs,
        ServiceSpec(
            "web",
            [
                py, "-m", "uvicorn", "bot.web.app:app",
                "--host", config.bind_host,
                "--port", str(config.web_port),
                # JSON lines without message text, query strings or client addresses.
                "--log-config", str(WEB_LOG_CONFIG),
            ],
            f"{config.web_url}/healthz",
            {**shared_env, **store_env},
        ),
    ]  # fmt: skip


def _die_with_parent() -> None:
    """In the child, before exec: ask the kernel to SIGTERM us when the supervisor dies."""
    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0)


@dataclass
class Service:
    spec: ServiceSpec
    process: subprocess.Popen[bytes]
    log_path: Path
    log_file: IO[bytes]
    ready: bool = False

    @property
    def pid(self) -> int:
        return self.process.pid

    def log_tail(self, lines: int = 20) -> str:
        self.log_file.flush()
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def _answers(url: str, timeout: float = 1.0) -> bool:
    # A plain opener without proxies: these are local services.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=timeout) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError, ValueError):
        return False


class Stack:
    """The running services. Use `start()`, `wait_ready()`, `stop()`."""

    def __init__(self, config: StackConfig, cwd: Path = REPO_ROOT) -> None:
        self.config = config
        self.cwd = cwd
        self.services: list[Service] = []
        self.store_env: dict[str, str] = {}
        self._pg_redis_started = False

    def start(self) -> None:
        if not self.config.model.is_file():
            raise StackError(f"no trained model at {self.config.model}: run `make train` first")
        self.config.log_dir.mkdir(parents=True, exist_ok=True)
        (self.cwd / "var").mkdir(exist_ok=True)
        if self.config.pg_redis is not None:
            # Before any Rasa server: they wait for the database, but not for Redis.
            try:
                self._pg_redis_started = True
                self.store_env = self.config.pg_redis.start()
            except PgRedisError as error:
                self._stop_pg_redis()
                raise StackError(str(error)) from None
        for spec in service_specs(self.config, self.store_env):
            log_path = self.config.log_dir / f"{spec.name}.log"
            log_file = log_path.open("wb")
            process = subprocess.Popen(
                spec.argv,
                cwd=self.cwd,
                env={**os.environ, **spec.env},
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                # Safe here: the supervisor starts no threads.
                preexec_fn=_die_with_parent,
            )
            self.services.append(Service(spec, process, log_path, log_file))

    def dead(self) -> Service | None:
        """The first service that has exited, if any."""
        for service in self.services:
            if service.process.poll() is not None:
                return service
        return None

    def wait_ready(
        self, timeout: float = 300.0, should_stop: Callable[[], bool] = lambda: False
    ) -> float:
        """Wait until every service answers; return the seconds it took.

        Raises StackError if a service exits or the timeout passes first.
        Returns early (with the elapsed time) if `should_stop()` becomes true.
        """
        started = time.monotonic()
        while True:
            if (service := self.dead()) is not None:
                raise StackError(self.describe_death(service))
            for service in self.services:
                if not service.ready:
                    service.ready = _answers(service.spec.ready_url)
            elapsed = time.monotonic() - started
            if all(s.ready for s in self.services) or should_stop():
                return elapsed
            if elapsed > timeout:
                waiting = ", ".join(s.spec.name for s in self.services if not s.ready)
                raise StackError(f"not ready after {timeout:.0f}s: {waiting}")
            time.sleep(0.5)

    def describe_death(self, service: Service) -> str:
        code = service.process.returncode
        how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        return (
            f"{service.spec.name} (pid {service.pid}) stopped with {how}; "
            f"last lines of {service.log_path}:\n{service.log_tail()}"
        )

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM every process group, then SIGKILL what is still alive after `timeout`."""
        for service in self.services:
            _signal_group(service.process, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for service in self.services:
            try:
                service.process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(service.process, signal.SIGKILL)
                service.process.wait()
            service.log_file.close()
        self._stop_pg_redis()

    def _stop_pg_redis(self) -> None:
        if self.config.pg_redis is not None and self._pg_redis_started:
            self._pg_redis_started = False
            try:
                self.config.pg_redis.stop()
            except PgRedisError as error:
                print(f"warning: {error}", file=sys.stderr, flush=True)

    def urls(self) -> dict[str, str]:
        return {
            "rasa": self.config.rasa_url,
            "actions": self.config.action_server_url,
            "web": self.config.web_url,
        }


def _signal_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    # The child is its own process-group leader (start_new_session), so pgid == pid.
    # Only while it is unreaped: after that its pid may belong to someone else.
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)


def describe(services: Sequence[Service]) -> str:
    return "\n".join(f"  {s.spec.name:<8} pid {s.pid:<7} log {s.log_path}" for s in services)
