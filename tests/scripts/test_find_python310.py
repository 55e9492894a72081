"""scripts/find-python310.sh finds a Python 3.10 or says how to install one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.supervisor import REPO_ROOT

SCRIPT = REPO_ROOT / "scripts" / "find-python310.sh"


def run(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True)


def test_it_prints_a_working_python_310() -> None:
    result = run(dict(os.environ))

    assert result.returncode == 0, result.stderr
    interpreter = result.stdout.strip()
    version = subprocess.run(
        [interpreter, "-c", "import sys; print(sys.version_info[:2])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert version == "(3, 10)"


def test_a_python310_on_path_that_is_another_version_is_not_taken(tmp_path: Path) -> None:
    fake = tmp_path / "python3.10"
    fake.write_text("#!/bin/sh\necho 'Python 3.11' >&2\nexit 1\n")
    fake.chmod(0o755)
    env = {"PATH": f"{tmp_path}:/usr/bin:/bin", "HOME": str(tmp_path)}

    result = run({**env, "PYTHON310_CANDIDATES": "/nonexistent/python"})

    assert result.returncode == 1
    assert result.stdout == ""


def test_without_any_python_310_it_explains_what_to_install(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PYTHON310_CANDIDATES": "/nonexistent/python",
    }

    result = run(env)

    assert result.returncode == 1
    assert "pyenv install 3.10" in result.stderr
    assert "apt-get install python3.10" in result.stderr
    assert "< 3.11" in result.stderr


def test_the_candidate_list_is_honoured(tmp_path: Path) -> None:
    # The running interpreter is the venv's 3.10 (this suite needs Rasa).
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHON310_CANDIDATES": sys.executable}

    result = run(env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
