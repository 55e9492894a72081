"""The web app's JSON logs carry no query strings, client addresses, openids or message text."""

from __future__ import annotations

import json
import logging
import logging.config
from pathlib import Path

from bot.supervisor import WEB_LOG_CONFIG
from bot.web.logging import JsonFormatter

OPENID = "oABCDEFGHIJKLMNOPQRSTUVWXYZa"  # WeChat's form: o + 27 characters


def record(name: str, msg: str, args: tuple[object, ...]) -> logging.LogRecord:
    return logging.LogRecord(name, logging.INFO, __file__, 1, msg, args, None)


def test_access_lines_are_json_without_query_string_or_client_address() -> None:
    line = JsonFormatter().format(record(
        "uvicorn.access", '%s - "%s %s HTTP/%s" %d',
        ("203.0.113.7:5555", "POST", f"/wechat?signature=x&openid={OPENID}", "1.1", 200),
    ))
    entry = json.loads(line)
    assert entry["path"] == "/wechat" and entry["method"] == "POST" and entry["status"] == 200
    assert OPENID not in line and "203.0.113.7" not in line


def test_openids_in_other_messages_are_masked() -> None:
    entry = json.loads(JsonFormatter().format(record("bot.channels.wechat", "late answer for %s", (OPENID,))))
    assert entry["msg"] == "late answer for o***" and entry["level"] == "INFO"


def test_the_config_uvicorn_loads_is_valid() -> None:
    config = json.loads(Path(WEB_LOG_CONFIG).read_text(encoding="utf-8"))
    configurator = logging.config.DictConfigurator(config)
    assert isinstance(configurator.configure_formatter(config["formatters"]["json"]), JsonFormatter)
    assert config["loggers"]["uvicorn.access"]["handlers"] == ["stdout"]
