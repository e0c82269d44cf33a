"""Configuration: the only module that reads files and the environment.

Precedence, highest first: command-line flags, `PITCHGATE_...` environment variables (nested keys joined
with `__`, e.g. `PITCHGATE_SERVER__LISTEN`), the TOML file given with `--config`, then the defaults below
(documented one by one in config/pitchgate.toml). Everything else receives a `Settings` object through
its constructor.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
    TomlConfigSettingsSource,
)

from gateway.errors import ConfigError
from gateway.fronts.imap.config import ImapSettings
from gateway.store.redis_url import parse_redis_url


def parse_hostport(value: str, default_host: str = "127.0.0.1") -> tuple[str, int]:
    """'host:port', '[v6]:port' or ':port' into (host, port). Raises ValueError with the offending text."""
    host, sep, port = value.rpartition(":")
    if not sep or not port.isdigit() or not 0 <= int(port) < 65536:
        raise ValueError(f"expected HOST:PORT, got {value!r}")
    return host.strip("[]") or default_host, int(port)


def _check_hostport(value: str) -> str:
    parse_hostport(value)
    return value


_HEADER_NAME = re.compile(r"[!-9;-~]+")
"""RFC 5322 field name: printable ASCII but the colon; anything else would let a setting inject headers."""


def _check_header_name(value: str) -> str:
    if value and not _HEADER_NAME.fullmatch(value):
        raise ValueError(f"not a header name: {value!r}")
    return value


LIST_FORM = 'a JSON list (["a", "b"]) or comma-separated values (a,b)'
ENV_PREFIX = "PITCHGATE_"
# Signal options are free-form tables, so the environment cannot tell their lists from strings; these are
# the list-valued ones (tests/test_config_doc.py checks this against config/pitchgate.toml).
LIST_OPTIONS: dict[str, frozenset[str]] = {
    "cadence": frozenset({"suspect_symbols"}),
}


def as_list(value: Any) -> Any:
    """A list setting given as one string (an environment variable): JSON, or what people type, `a, b`."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text.startswith("["):
        return [item.strip() for item in text.split(",") if item.strip()]
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"expected {LIST_FORM}, got {value!r}") from exc


StrList = Annotated[list[str], NoDecode, BeforeValidator(as_list)]
"""A list of strings that also accepts one comma-separated or JSON string (pydantic-settings would
otherwise insist on JSON in the environment and fail without naming the key)."""


def default_state_dir() -> Path:
    """Where the embedded store lives when nothing says otherwise (XDG state directory)."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "pitchgate"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ServerSettings(_Section):
    listen: str = "127.0.0.1:10025"
    upstream: str = "127.0.0.1:10026"
    local_domains: StrList = Field(default_factory=list)
    hostname: str = ""
    data_size_limit: int = Field(default=25 * 1024 * 1024, gt=0)
    max_line_length: int = Field(default=1024 * 1024, ge=1001)
    max_bytes_in_flight: int = Field(default=256 * 1024 * 1024, gt=0)
    session_timeout: float = Field(default=300.0, gt=0)
    max_session_seconds: float = Field(default=3600.0, gt=0)
    max_connections: int = Field(default=500, gt=0)
    max_connections_per_client: int = Field(default=50, gt=0)
    tls_cert: str = ""
    tls_key: str = ""
    require_starttls: bool = False
    xforward_hosts: StrList = Field(default_factory=lambda: ["127.0.0.1", "::1"])
    outbound_networks: StrList = Field(default_factory=list)
    relay_checked_by: StrList = Field(default_factory=list)
    workers: str = "1"
    upstream_timeout: float = Field(default=60.0, gt=0)
    upstream_pool_size: int = Field(default=32, ge=0)
    upstream_tls: Literal["none", "opportunistic", "required"] = "opportunistic"
    upstream_tls_verify: bool = False
    upstream_tls_ca_file: str = ""
    strip_spam_flag: bool = True
    received_header: bool = True
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

    @model_validator(mode="after")
    def _consistent(self) -> ServerSettings:
        # Verifying only makes sense when clear text is not an option: "may" falls back to it anyway.
        if (self.upstream_tls_verify or self.upstream_tls_ca_file) and self.upstream_tls != "required":
            raise ValueError("upstream_tls_verify and upstream_tls_ca_file need upstream_tls = 'required'")
        if self.upstream_tls_ca_file and not self.upstream_tls_verify:
            raise ValueError("upstream_tls_ca_file needs upstream_tls_verify = true")
        # Otherwise a message under data_size_limit could never fit, and its sender would retry for ever.
        if self.max_bytes_in_flight < self.data_size_limit:
            raise ValueError("max_bytes_in_flight must be at least data_size_limit")
        return self

    def worker_count(self) -> int:
        return os.cpu_count() or 1 if self.workers == "auto" else int(self.workers)


class StoreSettings(_Section):
    state_dir: Path = Field(default_factory=default_state_dir)
    redis_url: SecretStr = SecretStr("")
    sequence_ttl_days: float = Field(default=90, gt=0)
    connection_ttl_days: float = Field(default=30, gt=0)
    consent_ttl_days: float = Field(default=365, gt=0)
    feedback_ttl_days: float = Field(default=365, gt=0)
    allow_ttl_days: float = Field(default=365, gt=0)
    redis_require_durable: bool = False
    redis_wait_replicas: int = Field(default=0, ge=0)

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: SecretStr) -> SecretStr:
        # A typo in a Cluster or Sentinel URL fails at load time (check-config), never at the first message.
        if value.get_secret_value():
            parse_redis_url(value.get_secret_value())
        return value


class AuthSettings(_Section):
    """What proves who sent a message (gateway/core/identity.py, gateway/core/authresults.py); every signal sees it."""

    trusted_authserv_ids: StrList = Field(default_factory=list)
    authres_received_hops: int = Field(default=1, ge=1)
    verify_dkim: bool = True
    dkim_timeout: int = Field(default=5, gt=0)


class ScanSettings(_Section):
    """Bounded work per message (caps; see gateway/core/limits.py) and the scanning pool for heavy messages."""

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
    subject: str = "Held for review: {messages}"


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
    spam_status_header: str = "X-Spam-Status"
    spam_score_header: str = "X-Spam-Score"
    spam_level_header: str = "X-Spam-Level"

    _names = field_validator(
        "spam_flag_header", "spam_status_header", "spam_score_header", "spam_level_header"
    )(_check_header_name)


class LoggingSettings(_Section):
    level: str = "INFO"
    format: str = "text"
    syslog: bool = False
    syslog_address: str = "/dev/log"

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
    auth: AuthSettings = Field(default_factory=AuthSettings)
    quarantine: QuarantineSettings = Field(default_factory=QuarantineSettings)
    scan: ScanSettings = Field(default_factory=ScanSettings)
    metrics: MetricsSettings = Field(default_factory=MetricsSettings)
    web: WebSettings = Field(default_factory=WebSettings)
    digest: DigestSettings = Field(default_factory=DigestSettings)
    policy: PolicySettings = Field(default_factory=PolicySettings)
    logging: LoggingSettings = Field(default_factory=LoggingSettings)
    imap: ImapSettings = Field(default_factory=ImapSettings)
    scores: dict[str, float] = Field(default_factory=dict)
    signals: dict[str, dict[str, Any]] = Field(default_factory=dict)

    @field_validator("signals")
    @classmethod
    def _signal_lists(cls, signals: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        for name, options in signals.items():
            for key in LIST_OPTIONS.get(name, frozenset()) & set(options):
                where = f"{name}.{key}{_env_source(('signals', name, key))}"
                try:
                    options[key] = as_list(options[key])
                except ValueError as exc:
                    raise ValueError(f"{where}: {exc}") from exc
                if not isinstance(options[key], list):
                    raise ValueError(f"{where}: expected {LIST_FORM}, got {options[key]!r}")
        return signals

    def signal_options(self, name: str) -> dict[str, Any]:
        return dict(self.signals.get(name, {}))

    def signal_enabled(self, name: str, default: bool = True) -> bool:
        return bool(self.signals.get(name, {}).get("enabled", default))


def _env_source(loc: tuple[str | int, ...]) -> str:
    """' (from PITCHGATE_A__B)' when that variable is set, so an error points at what to fix."""
    env = ENV_PREFIX + "__".join(str(p) for p in loc).upper()
    return f" (from {env})" if env in os.environ else ""


def _describe(error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        key = ".".join(str(p) for p in item["loc"])
        lines.append(f"{key}{_env_source(item['loc'])}: {item['msg']}")
    return "; ".join(lines)


def _describe_env(error: SettingsError) -> str:
    """pydantic-settings names only the top-level field; name the variables and the form they need."""
    found = re.search(r'field "(\w+)"', str(error))
    field = found.group(1) if found else ""
    names = sorted(k for k in os.environ if field and k.startswith(ENV_PREFIX + field.upper()))
    where = ", ".join(names) or "a PITCHGATE_ variable"
    return (
        f"invalid environment variable {where}: a table takes a JSON object "
        f"(e.g. PITCHGATE_SCORES='{{\"BOOKING_LINK\": 2.0}}'), a list {LIST_FORM} ({error})"
    )


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
    except SettingsError as exc:
        raise ConfigError(_describe_env(exc)) from exc
    except ValueError as exc:  # a TOML syntax error surfaces as a ValueError subclass
        raise ConfigError(f"invalid configuration file {config}: {exc}") from exc
    # A plain Settings (not the local subclass), as worker processes rebuild it (settings_from_json).
    return Settings.model_validate(loaded.model_dump())


def settings_to_json(settings: Settings) -> bytes:
    """The settings as JSON for `--workers`' processes, secrets included: it travels only in a private,
    unlinked file from the parent to its own children (gateway/commands/supervisor.py), never pickled."""
    return json.dumps(settings.model_dump(), default=_plain).encode()


def settings_from_json(blob: bytes) -> Settings:
    """The settings `settings_to_json` wrote, validated again as the parent's were."""
    return Settings.model_validate(json.loads(blob))


def _plain(value: object) -> object:
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    return str(value)  # paths, addresses and networks validate again from their text
