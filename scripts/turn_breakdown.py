"""Where a REST turn's time goes beyond the NLU: the same turns with the SQLite tracker store
and with Rasa's in-memory one (issue 9's turn/parse ratio).

    .venv/bin/python scripts/turn_breakdown.py

Starts the real stack twice on free ports (needs the trained model) and prints the p50 of a
REST turn and of /model/parse for each. Not part of the test suite.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support import start_test_stack, write_test_endpoints

MESSAGES = ["我是技校毕业的高级工", "全国技能大赛银牌奖励多少？", "我的信息", "在淄博", "不清楚", "你好"]


def main(turns: int = 60) -> None:
    for variant in ("sqlite", "memory"):
        directory = Path(tempfile.mkdtemp(prefix=f"turns-{variant}-"))
        endpoints = write_test_endpoints(directory)
        if variant == "memory":
            config = yaml.safe_load(endpoints.read_text(encoding="utf-8"))
            config.pop("tracker_store")
            endpoints.write_text(yaml.safe_dump(config), encoding="utf-8")
        stack = start_test_stack(directory, endpoints)
        rasa = stack.urls()["rasa"]
        turn_times, parse_times = [], []
        try:
            with httpx.Client(trust_env=False, timeout=60) as client:
                for i in range(turns):
                    text = MESSAGES[i % len(MESSAGES)]
                    started = time.perf_counter()
                    client.post(f"{rasa}/webhooks/rest/webhook", json={"sender": f"s{i // 6}", "message": text})
                    turn_times.append(time.perf_counter() - started)
                    started = time.perf_counter()
                    client.post(f"{rasa}/model/parse", json={"text": text})
                    parse_times.append(time.perf_counter() - started)
        finally:
            stack.stop()
        turn, parse = statistics.median(turn_times) * 1000, statistics.median(parse_times) * 1000
        print(f"{variant}: turn p50 {turn:.1f} ms, parse p50 {parse:.1f} ms, ratio {turn / parse:.2f}")


if __name__ == "__main__":
    main()
