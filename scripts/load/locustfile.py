"""Locust users doing full interviews through the web app's /api/chat (run by scripts/load_test.py).

Each simulated user has its own sender id and its own facts (certificate level and graduation
year chosen from its number), states them with a button payload, answers every question the
bot asks with the button payloads a person would press (or 不清楚), until the eligibility
result; then asks /show_facts. A turn fails when the answer is not 200, is empty or says the
system is busy, or, for /show_facts, lists anything but this user's own facts (a lost or a
crossed reply). Each user does INTERVIEWS interviews and stops; the run stops when all have.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import secrets
from typing import Any

import gevent
from locust import HttpUser, between, events, task
from locust.exception import StopUser

BUSY_TEXT = "系统繁忙，请稍后再试。"
MAX_QUESTIONS = 15
INTERVIEWS = int(os.environ.get("LOAD_INTERVIEWS", "1"))
USERS = int(os.environ.get("LOAD_USERS", "100"))  # the run ends once this many users are done
LEVELS = [("senior", "高级工（三级）"), ("intermediate", "中级工（四级）"),
          ("technician", "技师（二级）"), ("preparatory_technician", "预备技师")]
YEARS = ["2021", "2022", "2023", "2024", "2025"]
# How a person answers the questions that follow (fact -> button value); others: 不清楚.
ANSWERS = {"awards": "none", "talent_titles": "none", "full_time_job": "true", "full_time_study": "true",
           "senior_professional_title": "false", "in_zibo": "true", "employer_type": "enterprise"}

_numbers = itertools.count()
_finished = 0


def asked_fact(message: dict[str, Any]) -> str | None:
    for button in message.get("buttons") or []:
        match = re.match(r"/inform(\{.*\})$", str(button.get("payload", "")))
        if match:
            return next(iter(json.loads(match.group(1))))
    return None


class InterviewUser(HttpUser):
    wait_time = between(0.5, 2.0)  # a person reads the answer and presses a button

    def on_start(self) -> None:
        self.number = next(_numbers)
        self.level, self.label = LEVELS[self.number % len(LEVELS)]
        self.year = YEARS[self.number % len(YEARS)]
        self.done = 0

    def turn(self, name: str, message: str, check_facts: bool = False) -> list[dict[str, Any]]:
        with self.client.post("/api/chat", json={"sender": self.sender, "message": message}, name=name,
                              catch_response=True, timeout=60) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                return []
            messages: list[dict[str, Any]] = response.json().get("messages") or []
            texts = "\n".join(str(m.get("text") or "") for m in messages)
            if not messages:
                response.failure("no answer (lost reply)")
            elif BUSY_TEXT in texts:
                response.failure("busy")
            elif check_facts:
                other_levels = [label for lv, label in LEVELS if lv != self.level]
                other_years = [y for y in YEARS if y != self.year]
                if self.label not in texts or self.year not in texts:
                    response.failure(f"lost facts: {texts[:80]!r}")
                elif any(x in texts for x in other_levels + other_years):
                    response.failure(f"crossed facts: {texts[:80]!r}")
            return messages

    @task
    def interview(self) -> None:
        if self.done >= INTERVIEWS:
            self.stop_when_all_done()
        self.sender = "web-" + secrets.token_hex(16)
        facts = {"asker": "person", "school_type": "technical_school", "certificate_level": self.level,
                 "graduation_date": self.year}
        messages = self.turn("1 state facts", "/inform" + json.dumps(facts))
        for _ in range(MAX_QUESTIONS):
            if any((m.get("custom") or {}).get("type") == "eligibility_result" for m in messages):
                break
            fact = asked_fact(messages[-1]) if messages else None
            if fact is None:
                messages = self.turn("3 ask eligibility", "/ask_eligibility")
                continue
            reply = f"/inform{json.dumps({fact: ANSWERS[fact]})}" if fact in ANSWERS else "/dont_know"
            messages = self.turn("2 answer a question", reply)
        else:
            events.request.fire(request_type="CHECK", name="interview reaches a result", response_time=0,
                                response_length=0, exception=RuntimeError("no eligibility_result"), context={})
        self.turn("4 show facts", "/show_facts", check_facts=True)
        self.done += 1

    def stop_when_all_done(self) -> None:
        global _finished
        _finished += 1
        runner = self.environment.runner
        if runner is not None and _finished >= USERS:
            gevent.spawn_later(0.5, runner.quit)  # not from inside the user being stopped
        raise StopUser()
