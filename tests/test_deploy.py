"""The shipped configuration and deployment files: they load, they document every option, they are safe."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from gateway.actions.digest import DigestError, digest_sender
from gateway.commands.startup import check_listeners
from gateway.settings import Settings, load_settings

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
    # Every base image pinned to a patch release, so that a rebuild gives the same Python.
    bases = re.findall(r"^FROM (\S+)", text, re.MULTILINE)
    assert bases and all(re.fullmatch(r"python:3\.11\.\d+-slim-\w+", b) for b in bases), bases
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


def _compose_gateway() -> dict[str, Any]:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    service: dict[str, Any] = compose["services"]["pitchgate"]
    return service


def _seconds(duration: str) -> float:
    match = re.fullmatch(r"(?:(\d+)m)?(?:(\d+)s)?", duration)
    assert match and duration, duration
    return int(match[1] or 0) * 60 + int(match[2] or 0)


def test_oci_labels_name_the_image_and_its_version() -> None:
    text = (ROOT / "Dockerfile").read_text()
    labels = dict(re.findall(r"(org\.opencontainers\.image\.[a-z.]+)=\"([^\"]*)\"", text))
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert labels["org.opencontainers.image.title"] == "pitchgate"
    assert labels["org.opencontainers.image.version"] == version
    assert labels["org.opencontainers.image.licenses"] and labels["org.opencontainers.image.description"]
    assert re.findall(r"^FROM (\S+)", text, re.MULTILINE)[-1] in labels["org.opencontainers.image.base.name"]


def test_compose_stops_gracefully_with_an_init_and_checks_liveness() -> None:
    gateway = _compose_gateway()
    assert gateway["init"] is True
    grace = float(gateway["environment"]["PITCHGATE_SERVER__SHUTDOWN_GRACE"])
    assert _seconds(gateway["stop_grace_period"]) > grace
    check = " ".join(gateway["healthcheck"]["test"])
    assert "/healthz" in check and "/readyz" not in check


def test_compose_mounts_config_and_certificate_read_only_and_enables_tls() -> None:
    gateway = _compose_gateway()
    mounts = {m.split(":")[1]: m for m in gateway["volumes"]}
    env = gateway["environment"]
    config = mounts["/etc/pitchgate/pitchgate.toml"]
    assert config.endswith(":ro") and (ROOT / config.split(":")[0]).is_file()
    tls_dir = next(target for target in mounts if env["PITCHGATE_SERVER__TLS_CERT"].startswith(target + "/"))
    assert mounts[tls_dir].endswith(":ro") and env["PITCHGATE_SERVER__TLS_KEY"].startswith(tls_dir + "/")
    # Port 25 is published on every interface, so it must come with a certificate.
    assert any(p.split(":")[-1] == "10025" and p.count(":") == 1 for p in gateway["ports"])


def test_compose_puts_no_loopback_url_into_digest_links() -> None:
    env = _compose_gateway()["environment"]
    assert (
        "127.0.0.1" not in env["PITCHGATE_WEB__BASE_URL"]
        and "localhost" not in env["PITCHGATE_WEB__BASE_URL"]
    )
    # Enabling the digest with the old default would now stop the start with a clear message.
    settings = load_settings(
        None,
        {
            "server": {"listen": "0.0.0.0:10025", "local_domains": ["example.com"]},
            "web": {
                "listen": env["PITCHGATE_WEB__LISTEN"],
                "base_url": "http://127.0.0.1:8025",
                "link_secret": "x",
            },
            "digest": {"enabled": True},
        },
    )
    with pytest.raises(DigestError, match="loopback"):
        digest_sender(settings)
