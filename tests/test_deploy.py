"""The shipped configuration and deployment files: they load, they document every option, they are safe."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

from gateway.settings import Settings, load_settings
from gateway.startup import check_listeners

ROOT = Path(__file__).resolve().parent.parent


def test_default_config_loads_and_equals_the_defaults() -> None:
    shipped = load_settings(ROOT / "config" / "pitchgate.toml")
    defaults = Settings()
    # state_dir is commented out in the file (its default depends on the machine); everything else matches.
    assert shipped.model_dump(exclude={"signals"}) == defaults.model_dump(exclude={"signals"})


def test_default_config_documents_every_option() -> None:
    text = (ROOT / "config" / "pitchgate.toml").read_text()
    data = tomllib.loads(text)
    for section, model in Settings.model_fields.items():
        if section in ("scores", "signals"):
            continue
        annotation = model.annotation
        assert annotation is not None and hasattr(annotation, "model_fields"), section
        for key in annotation.model_fields:
            documented = key in data.get(section, {}) or re.search(rf"^# {key} = ", text, re.MULTILINE)
            assert documented, f"[{section}] {key} is not documented in config/pitchgate.toml"


def test_defaults_are_secure() -> None:
    settings = Settings()
    assert settings.server.listen.startswith("127.0.0.1:")
    assert settings.metrics.listen.startswith("127.0.0.1:")
    assert settings.server.outbound_networks == []
    assert settings.server.local_domains == []  # serve refuses to start until one is configured


def test_dockerfile_is_slim_non_root_and_health_checked() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim", text, re.MULTILINE)
    users = re.findall(r"^USER (\S+)", text, re.MULTILINE)
    assert users and users[-1] not in ("root", "0")
    assert "HEALTHCHECK" in text and "/healthz" in text
    for source in re.findall(r"^COPY (?!--from)(.+) \S+$", text, re.MULTILINE):
        for path in source.split():
            assert (ROOT / path).exists(), f"Dockerfile copies {path}, which does not exist"


def test_compose_runs_gateway_with_redis() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) >= {"pitchgate", "redis"}
    env = services["pitchgate"]["environment"]
    assert env["PITCHGATE_STORE__REDIS_URL"].startswith("redis://redis:")
    assert "appendonly" in " ".join(services["redis"]["command"])


def test_compose_publishes_metrics_and_review_page_on_localhost_only() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    gateway = compose["services"]["pitchgate"]
    env = gateway["environment"]
    published = {port.rsplit(":", 1)[1]: port for port in gateway["ports"]}
    assert published["9425"].startswith("127.0.0.1:") and published["8025"].startswith("127.0.0.1:")
    # The secrets come from the admin's environment, never from this file.
    assert env["PITCHGATE_WEB__ADMIN_TOKEN"].startswith("${") and env[
        "PITCHGATE_WEB__LINK_SECRET"
    ].startswith("${")
    settings = load_settings(
        None,
        {
            "server": {"listen": "0.0.0.0:10025"},
            "metrics": {"listen": "0.0.0.0:9425"},
            "web": {"listen": env["PITCHGATE_WEB__LISTEN"]},
        },
    )
    check_listeners(settings)  # the three listeners do not collide
