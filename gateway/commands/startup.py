"""Every check `pitchgate serve` makes before it opens a port, in one place.

`serve` (one process or the workers' parent) and `check-config` both call `checked_app`, so a configuration
that one refuses the other refuses too, with the same message. Binding the ports is the one thing left
out: `check-config` next to a running gateway would find them taken.
"""

from __future__ import annotations

import logging

from gateway.actions.digest import digest_sender
from gateway.app import App, build_app, front_options
from gateway.clock import Clock
from gateway.errors import ConfigError
from gateway.settings import Settings, parse_hostport

log = logging.getLogger(__name__)
_WILDCARD = {"0.0.0.0", "::", ""}

NO_LOCAL_DOMAIN = (
    "no local domain configured: pitchgate refuses to start rather than act as an open relay. "
    "Give --local-domain example.com (repeatable) or server.local_domains in the config file."
)


def check_listeners(settings: Settings) -> None:
    """Refuse to start when two listeners share an address: the second bind would fail after SMTP is up."""
    wanted = [("server.listen", settings.server.listen)]
    if settings.metrics.enabled:
        wanted.append(("metrics.listen", settings.metrics.listen))
    if settings.web.listen:
        wanted.append(("web.listen", settings.web.listen))
    seen: list[tuple[str, str, int]] = []
    for key, value in wanted:
        host, port = parse_hostport(value)
        for other, other_host, other_port in seen:
            overlap = host == other_host or _WILDCARD & {host, other_host}
            if port and port == other_port and overlap:
                raise ConfigError(f"{key} ({value}) collides with {other}: give each listener its own port")
        seen.append((key, host, port))


def check_settings(settings: Settings) -> list[str]:
    """The refusals that need no built parts (raises ConfigError); returns the warnings worth logging."""
    if not settings.server.local_domains:
        raise ConfigError(NO_LOCAL_DOMAIN)
    check_listeners(settings)
    front_options(settings)  # TLS files that exist and load, require_starttls only with TLS
    if settings.digest.enabled:
        digest_sender(settings)  # DigestError: no signed links or no sender
    web = settings.web
    if web.listen and not web.admin_token.get_secret_value() and not web.link_secret.get_secret_value():
        return [f"review page on {web.listen}: neither web.admin_token nor web.link_secret is set"]
    return []


def checked_app(settings: Settings, clock: Clock) -> App:
    """The parts `serve` runs, after every start-up check; building them checks signals, weights,
    thresholds and the model. Raises ConfigError with a message that names the key."""
    for warning in check_settings(settings):
        log.warning("%s", warning)
    return build_app(settings, clock)
