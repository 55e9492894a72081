"""How the supervisor builds the three command lines (no process is started here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings
from bot.supervisor import PROD_ENDPOINTS, Stack, StackConfig, StackError, service_specs


def specs_by_name(config: StackConfig) -> dict[str, list[str]]:
    return {spec.name: spec.argv for spec in service_specs(config)}


def test_default_ports_and_ready_urls() -> None:
    specs = {spec.name: spec for spec in service_specs(StackConfig())}

    assert specs["rasa"].ready_url == "http://127.0.0.1:5005/"
    assert specs["actions"].ready_url == "http://127.0.0.1:5055/health"
    assert specs["web"].ready_url == "http://127.0.0.1:8000/healthz"


def test_rasa_gets_the_api_token_only_when_one_is_set() -> None:
    without = specs_by_name(StackConfig())["rasa"]
    with_token = specs_by_name(StackConfig(rasa_api_token="s3cret"))["rasa"]

    assert "--auth-token" not in without
    assert with_token[with_token.index("--auth-token") + 1] == "s3cret"


def test_every_service_binds_to_bind_host() -> None:
    config = StackConfig(bind_host="10.0.0.5", rasa_port=1, action_port=2, web_port=3)
    specs = {spec.name: spec for spec in service_specs(config)}

    assert specs["rasa"].argv[specs["rasa"].argv.index("-i") + 1] == "10.0.0.5"
    assert specs["actions"].env["SANIC_HOST"] == "10.0.0.5"  # rasa_sdk has no --interface
    assert specs["web"].argv[specs["web"].argv.index("--host") + 1] == "10.0.0.5"
    # The web app and Rasa are told where the others are.
    assert specs["web"].env["RASA_URL"] == "http://10.0.0.5:1"
    assert specs["rasa"].env["ACTION_SERVER_URL"] == "http://10.0.0.5:2"


def test_listening_on_all_interfaces_still_connects_to_localhost() -> None:
    config = StackConfig(bind_host="0.0.0.0")

    assert config.rasa_url == "http://127.0.0.1:5005"


def test_ports_and_token_come_from_settings() -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, rasa_port=6005, action_port=6055, web_port=9000, rasa_api_token="t"
    )

    config = StackConfig.from_settings(settings)

    assert (config.rasa_port, config.action_port, config.web_port) == (6005, 6055, 9000)
    assert config.rasa_api_token == "t"


def test_starting_without_a_model_says_to_train(tmp_path: Path) -> None:
    stack = Stack(StackConfig(model=tmp_path / "missing.tar.gz", log_dir=tmp_path))

    with pytest.raises(StackError, match="make train"):
        stack.start()
    assert stack.services == []


def test_the_production_profile_pairs_each_rasa_server_with_its_own_action_server() -> None:
    config = StackConfig(rasa_port=1, more_rasa_ports=(2,), action_port=11, more_action_ports=(12,),
                         web_port=20, endpoints=PROD_ENDPOINTS)
    specs = {spec.name: spec for spec in service_specs(config, {"PG_PASSWORD": "pw"})}
    assert sorted(specs) == ["actions-1", "actions-2", "rasa-1", "rasa-2", "web"]
    assert specs["rasa-1"].env["ACTION_SERVER_URL"] == "http://127.0.0.1:11"
    assert specs["rasa-2"].env["ACTION_SERVER_URL"] == "http://127.0.0.1:12"
    assert specs["web"].env["RASA_URL"] == "http://127.0.0.1:1,http://127.0.0.1:2"
    # Only Rasa and the web app read the tracker store; the action servers get no password.
    assert specs["rasa-2"].env["PG_PASSWORD"] == "pw" and specs["web"].env["PG_PASSWORD"] == "pw"
    assert "PG_PASSWORD" not in specs["actions-1"].env
    with pytest.raises(ValueError):
        StackConfig(more_rasa_ports=(2,))
