"""The production profile end to end: PostgreSQL and Redis (installed with apt if missing, on
loopback), two Rasa servers sharing them with one action server each, and the web app.

Several users talk at once, and each user's turns alternate between the two Rasa servers.
Every user states different facts; /show_facts on the *other* server must list exactly that
user's facts: nothing lost between servers, nothing crossed between users.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from bot.pg_redis import PgRedis
from bot.supervisor import PROD_ENDPOINTS, Stack, StackConfig, StackError
from tests.conftest import TEST_TODAY
from tests.support import free_ports, require_current_model

pytestmark = pytest.mark.slow

# (certificate_level, its label in /show_facts, graduation year): a different set per user.
LEVELS = [("senior", "高级工（三级）"), ("intermediate", "中级工（四级）"),
          ("technician", "技师（二级）"), ("preparatory_technician", "预备技师")]
YEARS = ["2021", "2022", "2023", "2024", "2025"]
USERS = 10


@dataclass(frozen=True)
class ProdStack:
    rasa: list[str]
    web: str
    stack: Stack


@pytest.fixture(scope="module")
def prod() -> Iterator[ProdStack]:
    require_current_model()
    # Not under pytest's tmp: postgres and redis must be able to reach their folders, and
    # /tmp/pytest-of-root is closed to other users.
    directory = Path(tempfile.mkdtemp(prefix="zibo-prod-"))
    directory.chmod(0o755)
    rasa_1, rasa_2, actions_1, actions_2, web, pg, redis = free_ports(7)
    config = StackConfig(
        rasa_port=rasa_1,
        more_rasa_ports=(rasa_2,),
        action_port=actions_1,
        more_action_ports=(actions_2,),
        web_port=web,
        endpoints=PROD_ENDPOINTS,
        log_dir=directory / "log",
        pg_redis=PgRedis(data_dir=directory / "pg-redis", pg_port=pg, redis_port=redis),
        extra_env={"ASSISTANT_TODAY": TEST_TODAY, "NLU_REFERENCE_DATE": TEST_TODAY},
    )
    running = Stack(config)
    try:
        running.start()
        running.wait_ready(timeout=600)
    except StackError as error:
        running.stop()
        tails = "\n\n".join(f"== {s.log_path}\n{s.log_tail(40)}" for s in running.services)
        shutil.rmtree(directory, ignore_errors=True)
        pytest.fail(f"the production stack did not start: {error}\n\n{tails}", pytrace=False)
    try:
        yield ProdStack(rasa=config.rasa_urls, web=config.web_url, stack=running)
    finally:
        running.stop()
        shutil.rmtree(directory, ignore_errors=True)


def say(rasa: str, sender: str, text: str) -> list[dict[str, object]]:
    response = httpx.post(f"{rasa}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                          timeout=120, trust_env=False)
    assert response.status_code == 200, response.text
    messages: list[dict[str, object]] = response.json()
    return messages


def text_of(messages: list[dict[str, object]]) -> str:
    return "\n".join(str(m.get("text") or "") for m in messages)


def conversation(prod: ProdStack, number: int) -> None:
    sender = f"prod-user-{number}"
    level, label = LEVELS[number % len(LEVELS)]
    year = YEARS[number % len(YEARS)]
    a, b = (prod.rasa[0], prod.rasa[1]) if number % 2 == 0 else (prod.rasa[1], prod.rasa[0])

    # Turn 1 on one server, turn 2 on the other, turn 3 back on the first...
    say(a, sender, f'/inform{{"asker":"person","certificate_level":"{level}","graduation_date":"{year}"}}')
    shown = text_of(say(b, sender, "/show_facts"))
    assert label in shown and year in shown, shown
    others = [lab for lv, lab in LEVELS if lv != level]
    assert not any(other in shown for other in others), f"{sender} sees another user's level:\n{shown}"
    assert not any(y in shown for y in YEARS if y != year), f"{sender} sees another user's year:\n{shown}"

    # A correction on the first server is what the second one shows next.
    new_year = YEARS[(number + 1) % len(YEARS)]
    say(a, sender, f'/correct{{"graduation_date":"{new_year}"}}')
    shown = text_of(say(b, sender, "/show_facts"))
    assert new_year in shown and label in shown, shown
    assert year not in shown, f"{sender}: the correction to {new_year} was lost:\n{shown}"


def test_conversations_alternating_between_two_rasa_servers_keep_each_users_facts(prod: ProdStack) -> None:
    assert len(prod.rasa) == 2
    with ThreadPoolExecutor(max_workers=USERS) as pool:
        list(pool.map(lambda n: conversation(prod, n), range(USERS)))


def test_one_users_messages_sent_to_both_servers_at_once_are_all_answered_and_kept(prod: ProdStack) -> None:
    """A user who sends several messages quickly: the web app gives them to both servers.
    Each must be answered, and the facts of all of them must be in the conversation afterwards."""

    def burst(number: int) -> None:
        sender = f"burst-{number}"
        level, label = LEVELS[number % len(LEVELS)]
        year = YEARS[number % len(YEARS)]
        messages = [f'/inform{{"asker":"person","certificate_level":"{level}"}}',
                    f'/inform{{"graduation_date":"{year}"}}',
                    '/inform{"school_type":"technical_school"}',
                    '/inform{"employer_type":"individual_business"}']
        with ThreadPoolExecutor(max_workers=len(messages)) as at_once:
            answers = [at_once.submit(say, prod.rasa[i % 2], sender, message) for i, message in enumerate(messages)]
            assert all(answer.result() for answer in answers)  # say() checks each was a 200
        for rasa in prod.rasa:
            shown = text_of(say(rasa, sender, "/show_facts"))
            for fact in (label, year, "技工院校", "个体工商户"):
                assert fact in shown, f"{sender} lost {fact}:\n{shown}"

    with ThreadPoolExecutor(max_workers=USERS) as pool:
        list(pool.map(burst, range(3 * USERS)))


def test_the_web_app_round_robins_and_reports_both_servers(prod: ProdStack) -> None:
    health = httpx.get(f"{prod.web}/healthz", timeout=10, trust_env=False).json()
    assert health["status"] == "ok"
    assert len(health["rasa_servers"]) == 2 and len(health["action_servers"]) == 2
    sender = "web-" + "ab" * 16
    for message in ['/inform{"asker":"person","certificate_level":"senior","graduation_date":"2024"}',
                    "/show_facts", "/show_facts"]:
        response = httpx.post(f"{prod.web}/api/chat", json={"sender": sender, "message": message},
                              timeout=120, trust_env=False)
        assert response.status_code == 200
    shown = "\n".join(m.get("text") or "" for m in response.json()["messages"])
    assert "高级工（三级）" in shown and "2024" in shown
    metrics = httpx.get(f"{prod.web}/metrics", timeout=10, trust_env=False).text
    assert 'chat_turns_total{outcome="ok"} 3.0' in metrics
    assert 'route="/api/chat"' in metrics


# -- faults and retention on PostgreSQL (issue 10; see SECURITY.md) ------------------------


def restart_postgresql(pg: PgRedis) -> None:
    """`pg_ctl restart -m fast`: every connection Rasa holds is cut, the data stays."""
    import glob
    import os
    import subprocess

    pg_ctl = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))[-1]
    data = pg.data_dir / "postgres"
    command = [pg_ctl, "-D", str(data), "-l", str(data / "postgres.log"), "-m", "fast", "-w", "-t", "60", "restart"]
    if os.getuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    # No pipes: the new postmaster would keep them open and the call would never return.
    subprocess.run(command, check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=120)


def test_postgresql_restart_loses_no_conversation(prod: ProdStack) -> None:
    sender = "pg-restart"
    say(prod.rasa[0], sender, '/inform{"asker":"person","certificate_level":"senior","graduation_date":"2023"}')
    assert prod.stack.config.pg_redis is not None

    restart_postgresql(prod.stack.config.pg_redis)

    # The first turn on each server after the restart may not see the conversation (the next test);
    # what matters here is that nothing is lost: from then on both servers have all of it.
    for rasa in prod.rasa:
        say(rasa, sender, "/show_facts")
    for rasa in prod.rasa:
        shown = text_of(say(rasa, sender, "/show_facts"))
        assert "高级工（三级）" in shown and "2023" in shown, shown


def test_the_first_turn_after_a_postgresql_restart_sees_the_conversation(prod: ProdStack) -> None:
    sender = "pg-restart-first-turn"
    say(prod.rasa[0], sender, '/inform{"asker":"person","certificate_level":"senior","graduation_date":"2023"}')
    say(prod.rasa[1], sender, "/show_facts")  # both servers have a pooled connection now
    assert prod.stack.config.pg_redis is not None

    restart_postgresql(prod.stack.config.pg_redis)

    shown = text_of(say(prod.rasa[1], sender, "/show_facts"))
    assert "高级工（三级）" in shown, shown


def test_purge_on_postgresql(prod: ProdStack) -> None:
    import os
    import subprocess
    import sys

    import sqlalchemy as sa

    say(prod.rasa[0], "pg-purge-old", "/show_facts")
    say(prod.rasa[0], "pg-purge-kept", "/show_facts")
    env = prod.stack.store_env
    url = sa.engine.URL.create("postgresql", username=env["PG_USER"], password=env["PG_PASSWORD"],
                               host=env["PG_HOST"], port=int(env["PG_PORT"]), database=env["PG_DB"])
    engine = sa.create_engine(url, future=True)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE events SET timestamp = timestamp - 200 * 86400 "
                                   "WHERE sender_id = 'pg-purge-old'"))
    pg = prod.stack.config.pg_redis
    assert pg is not None
    done = subprocess.run(
        [sys.executable, "-m", "bot.purge", "--prod", "--days", "180"], capture_output=True, text=True,
        timeout=120, check=True,
        env={**os.environ, "PG_REDIS_DIR": str(pg.data_dir), "PG_PORT": str(pg.pg_port),
             "REDIS_PORT": str(pg.redis_port)},
    )
    with engine.connect() as connection:
        left = set(connection.execute(sa.text("SELECT DISTINCT sender_id FROM events")).scalars())
    engine.dispose()
    assert "deleted 1 conversations" in done.stdout, done.stdout + done.stderr
    assert "pg-purge-old" not in left and "pg-purge-kept" in left
