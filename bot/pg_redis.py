"""PostgreSQL and Redis of the production profile, started and stopped through scripts/pg-redis.sh.

The script installs them with apt when missing, initialises a data folder once (cluster,
database ``rasa``, generated passwords) and runs both on 127.0.0.1 on non-default ports.
This module only calls it and reads back the variables endpoints-prod.yml needs.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SCRIPT = REPO_ROOT / "scripts" / "pg-redis.sh"
DEFAULT_DATA_DIR = REPO_ROOT / "var" / "pg-redis"


class PgRedisError(RuntimeError):
    """PostgreSQL or Redis could not be installed or started."""


@dataclass(frozen=True)
class PgRedis:
    data_dir: Path = DEFAULT_DATA_DIR
    pg_port: int = 55432
    redis_port: int = 56379

    def _run(self, command: str, timeout: float) -> str:
        env = {**os.environ, "PG_PORT": str(self.pg_port), "REDIS_PORT": str(self.redis_port)}
        try:
            done = subprocess.run(
                ["bash", str(SCRIPT), command, str(self.data_dir)],
                env=env,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise PgRedisError(f"pg-redis.sh {command} took longer than {timeout:.0f}s") from error
        if done.returncode != 0:
            raise PgRedisError(f"pg-redis.sh {command} failed ({done.returncode}):\n{done.stderr.strip()}")
        return done.stdout

    def start(self, timeout: float = 600.0) -> dict[str, str]:
        """Install if needed, start both, return the variables endpoints-prod.yml reads."""
        self._run("start", timeout)
        return self.env()

    def env(self) -> dict[str, str]:
        lines = self._run("env", 30).splitlines()
        return dict(line.split("=", 1) for line in lines if "=" in line)

    def stop(self) -> None:
        self._run("stop", 120)
