"""Configuration: the only module that reads files and the environment.

Precedence, highest first: command-line flags, `PITCHGATE_...` environment variables (nested keys joined
with `__`, e.g. `PITCHGATE_SERVER__LISTEN`), the TOML file given with `--config`, then the defaults below
(documented one by one in config/pitchgate.toml). Everything else receives a `Settings` object through
its constructor.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from gateway.errors import ConfigError


def parse_hostport(value: str, default_host: str = "127.0.0.1") -> tuple[str, int]:
    """'host:port', '[v6]:port' or ':port' into (host, port). Raises ValueError with the offending text."""
    host, sep, port = value.rpartition(":")
    if not sep or not port.isdigit() or not 0 <= int(port) < 65536:
        raise ValueError(f"expected HOST:PORT, got {value!r}")
    return host.strip("[]") or default_host, int(port)


def _check_hostport(value: str) -> str:
    parse_hostport(value)
    return value


def default_state_dir() -> Path:
    """Where the embedded store lives when nothing says otherwise (XDG state directory)."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "pitchgate"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ServerSettings(_Section):
    listen: str = "127.0.0.1:10025"
    upstream: str = "127.0.0.1:10026"
    local_domains: list[str] = Field(default_factory=list)
    hostname: str = ""
    data_size_limit: int = Field(default=25 * 1024 * 1024, gt=0)
    max_line_length: int = Field(default=1024 * 1024, ge=1001)
    session_timeout: float = Field(default=300.0, gt=0)
    max_session_seconds: float = Field(default=3600.0, gt=0)
    max_connections: int = Field(default=500, gt=0)
    max_connections_per_client: int = Field(default=50, gt=0)
    tls_cert: str = ""
    tls_key: str = ""
    require_starttls: bool = False
    xforward_hosts: list[str] = Field(default_factory=lambda: ["127.0.0.1", "::1"])
    outbound_networks: list[str] = Field(default_factory=list)
    workers: str = "1"
    upstream_timeout: float = Field(default=60.0, gt=0)
    upstream_pool_size: int = Field(default=32, ge=0)
    strip_spam_flag: bool = True
    shutdown_grace: float = Field(default=30.0, ge=0)

    _hostports = field_validator("listen", "upstream")(_check_hostport)

    @field_validator("local_domains")
    @classmethod
    def _lower(cls, v: list[str]) -> list[str]:
        return [d.strip().lower().lstrip("@") for d in v if d.strip()]

    @field_validator("workers")
    @classmethod
    def _workers(cls, v: str) -> str:
        if v != "auto" and not (v.isdigit() and int(v) >= 1):
            raise ValueError("expected a positive number or 'auto'")
        return v

    def worker_count(self) -> int:
        return os.cpu_count() or 1 if self.workers == "auto" else int(self.workers)


class StoreSettings(_Section):
    state_dir: Path = Field(default_factory=default_state_dir)
    redis_url: SecretStr = SecretStr("")
    sequence_ttl_days: float = Field(default=90, gt=0)
    connection_ttl_days: float = Field(default=30, gt=0)
    consent_ttl_days: float = Field(default=365, gt=0)


class ScanSettings(_Section):
    """Bounded work per message (caps; see gateway/limits.py) and the scanning pool for heavy messages."""

    timeout: float = Field(default=10.0, gt=0)
    pool_processes: int = Field(default=2, ge=0)
    pool_deadline: float = Field(default=2.0, gt=0)
    pool_bytes: int = Field(default=256 * 1024, ge=0)
    pool_tags: int = Field(default=2000, ge=0)
    pool_parts: int = Field(default=50, ge=0)
    parse_bytes: int = Field(default=2 * 1024 * 1024, gt=0)
    mime_parts: int = Field(default=200, gt=0)
    html_bytes: int = Field(default=32 * 1024, gt=0)
    text_chars: int = Field(default=32 * 1024, gt=0)
    urls: int = Field(default=200, gt=0)


class QuarantineSettings(_Section):
    retention_days: float = Field(default=30, gt=0)


class WebSettings(_Section):
    """The quarantine review page. Off unless `listen` is set."""

    listen: str = ""
    admin_token: SecretStr = SecretStr("")
    link_secret: SecretStr = SecretStr("")
    base_url: str = ""
    link_ttl_days: float = Field(default=7.0, gt=0)

    @field_validator("listen")
    @classmethod
    def _listen(cls, v: str) -> str:
        return _check_hostport(v) if v else v


class DigestSettings(_Section):
    """The daily digest of held messages, one mail per recipient."""

    enabled: bool = False
    hour: int = Field(default=8, ge=0, le=23)
    sender: str = ""
    subject: str = "Held for review: {count} message(s)"


class MetricsSettings(_Section):
    listen: str = "127.0.0.1:9425"
    enabled: bool = True

    _hostports = field_validator("listen")(_check_hostport)


class PolicySettings(_Section):
    tag_score: float = 5.0
    quarantine_score: float = 10.0
    shadow: bool = False
    spam_flag_header: str = "X-Spam-Flag"
    spam_flag_value: str = "YES"
    subject_prefix: str = ""


class LoggingSettings(_Section):
    level: str = "INFO"
    format: str = "text"

    @field_validator("level")
    @classmethod
    def _level(cls, v: str) -> str:
        if v.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise ValueError("expected DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return v.upper()

    @field_validator("format")
    @classmethod
    def _format(cls, v: str) -> str:
        if v not in ("text", "json"):
            raise ValueError("expected 'text' or 'json'")
        return v


class Settings(BaseSettings):
    """Everything configurable. Sections mirror the tables of config/pitchgate.toml."""

    model_config = SettingsConfigDict(env_prefix="PITCHGATE_", env_nested_delimiter="__", extra="forbid")

    server: ServerSettings = Field(default_factory=ServerSettings)
    store: StoreSettings = Field(default_factory=StoreSettings)
    quarantine: QuarantineSettings = Field(default_factory=QuarantineSettings)
    scan: ScanSettings = Field(default_factory=ScanSettings)
    metrics: MetricsSettings = Field(default_factory=MetricsSettings)
    web: WebSettings = Field(default_factory=WebSettings)
    digest: DigestSettings = Field(default_factory=DigestSettings)
    policy: PolicySettings = Field(default_factory=PolicySettings)
    logging: LoggingSettings = Field(default_factory=LoggingSettings)
    scores: dict[str, float] = Field(default_factory=dict)
    signals: dict[str, dict[str, Any]] = Field(default_factory=dict)

    def signal_options(self, name: str) -> dict[str, Any]:
        return dict(self.signals.get(name, {}))

    def signal_enabled(self, name: str, default: bool = True) -> bool:
        return bool(self.signals.get(name, {}).get("enabled", default))


def _describe(error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        key = ".".join(str(p) for p in item["loc"])
        lines.append(f"{key}: {item['msg']}")
    return "; ".join(lines)


def load_settings(config: Path | None = None, overrides: dict[str, Any] | None = None) -> Settings:
    """Build settings from defaults, the TOML file, the environment and flag overrides (in rising order)."""
    if config is not None and not config.is_file():
        raise ConfigError(f"config file not found: {config}")

    class _WithFile(Settings):
        @classmethod
        def settings_customise_sources(
            cls,
            settings_cls: type[BaseSettings],
            init_settings: PydanticBaseSettingsSource,
            env_settings: PydanticBaseSettingsSource,
            dotenv_settings: PydanticBaseSettingsSource,
            file_secret_settings: PydanticBaseSettingsSource,
        ) -> tuple[PydanticBaseSettingsSource, ...]:
            sources: tuple[PydanticBaseSettingsSource, ...] = (init_settings, env_settings)
            if config is not None:
                sources += (TomlConfigSettingsSource(settings_cls, toml_file=config),)
            return sources

    try:
        loaded = _WithFile(**(overrides or {}))
    except ValidationError as exc:
        raise ConfigError(f"invalid configuration: {_describe(exc)}") from exc
    except ValueError as exc:  # a TOML syntax error surfaces as a ValueError subclass
        raise ConfigError(f"invalid configuration file {config}: {exc}") from exc
    # A plain Settings (not the local subclass) pickles, which worker processes need.
    return Settings.model_validate(loaded.model_dump())
