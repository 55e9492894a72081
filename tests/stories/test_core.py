"""`rasa test core` on the test stories, failing on any wrong prediction."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.supervisor import DEFAULT_MODEL, REPO_ROOT
from tests.support import require_current_model

pytestmark = pytest.mark.slow


def test_core_predicts_every_test_story(tmp_path: Path) -> None:
    require_current_model()
    result = subprocess.run(
        [sys.executable, "-m", "rasa", "test", "core", "--model", str(DEFAULT_MODEL),
         "--stories", str(Path(__file__).parent / "test_stories.yml"),
         "--fail-on-prediction-errors", "--out", str(tmp_path / "results")],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_rasa_data_validates() -> None:
    result = subprocess.run([sys.executable, "-m", "rasa", "data", "validate"], cwd=REPO_ROOT,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
