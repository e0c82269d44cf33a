"""Where the Redis store lives, from its URL: one server, a Redis Cluster, or a Sentinel-managed primary.

The URL is a contract for admins (`--redis-url`, `store.redis_url`):

    redis://[user:password@]host:port[/db]                             one server (standalone)
    redis+cluster://[user:password@]host:port[,host:port...]           Redis Cluster, its seed nodes
    redis+sentinel://[user:password@]host:port[,host:port...]/service  the primary Sentinel names
    rediss://, rediss+cluster://, rediss+sentinel://                   the same over TLS

A Sentinel URL may pick a database with `/service/db`. The user and password are those of the data nodes;
Sentinels are asked without them, or with `?sentinel_password=` (and `sentinel_username=`). TLS options:
`?ssl_ca_certs=FILE`, `?ssl_cert_reqs=required|optional|none` (with Sentinel, TLS covers the Sentinels
too). `unix://` and anything else `redis.from_url` accepts still reach one server.

Parsing never echoes the URL in an error: it may carry a password.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import parse_qs, unquote

DEFAULT_PORT = 6379
DEFAULT_SENTINEL_PORT = 26379
_CERT_REQS = ("required", "optional", "none")
_OPTIONS = ("ssl_ca_certs", "ssl_cert_reqs", "sentinel_username", "sentinel_password")


class Topology(StrEnum):
    STANDALONE = "standalone"
    CLUSTER = "cluster"
    SENTINEL = "sentinel"


@dataclass(frozen=True)
class RedisTarget:
    """A parsed store URL; `url` is the original, for standalone servers handed to `redis.from_url`."""

    topology: Topology
    url: str = field(repr=False)
    nodes: tuple[tuple[str, int], ...] = ()
    tls: bool = False
    service: str = ""
    db: int = 0
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    options: dict[str, str] = field(default_factory=dict, repr=False)


_SCHEMES = {
    "redis+cluster": (Topology.CLUSTER, False),
    "rediss+cluster": (Topology.CLUSTER, True),
    "redis+sentinel": (Topology.SENTINEL, False),
    "rediss+sentinel": (Topology.SENTINEL, True),
}


def parse_redis_url(url: str) -> RedisTarget:
    """The topology and nodes a store URL names; ValueError (without the URL) when it is malformed."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise ValueError("a Redis URL starts with redis://, rediss://, redis+cluster:// or redis+sentinel://")
    known = _SCHEMES.get(scheme.lower())
    if known is None:
        return RedisTarget(Topology.STANDALONE, url, tls=scheme.lower() == "rediss")
    topology, tls = known
    rest, _, query = rest.partition("?")
    netloc, _, path = rest.partition("/")
    userinfo, at, hosts = netloc.rpartition("@")
    username, password = _credentials(userinfo) if at else (None, None)
    default = DEFAULT_SENTINEL_PORT if topology is Topology.SENTINEL else DEFAULT_PORT
    nodes = tuple(_node(part, default) for part in hosts.split(","))
    service, db = _path(topology, path)
    return RedisTarget(topology, url, nodes, tls, service, db, username, password, _options(query))


def _credentials(userinfo: str) -> tuple[str | None, str | None]:
    user, colon, password = userinfo.partition(":")
    if not colon:  # redis://secret@host: a lone part is the password, as redis-py reads it
        return None, unquote(user) or None
    return unquote(user) or None, unquote(password) or None


def _node(part: str, default_port: int) -> tuple[str, int]:
    part = part.strip()
    if part.startswith("["):  # [::1]:6379
        host, _, tail = part[1:].partition("]")
        port_text = tail.removeprefix(":")
    else:
        host, _, port_text = part.partition(":")
    if not host:
        raise ValueError("a Redis URL names each node as host:port, separated by commas")
    try:
        port = int(port_text) if port_text else default_port
    except ValueError:
        raise ValueError(f"a Redis URL has a bad port for node {host!r}") from None
    if not 0 < port < 65536:
        raise ValueError(f"a Redis URL has a bad port for node {host!r}")
    return host, port


def _path(topology: Topology, path: str) -> tuple[str, int]:
    parts = [unquote(p) for p in path.split("/") if p]
    if topology is Topology.CLUSTER:
        if parts not in ([], ["0"]):
            raise ValueError("a Redis Cluster has only database 0: redis+cluster://host:port[,host:port...]")
        return "", 0
    if not parts or len(parts) > 2:
        raise ValueError("a Sentinel URL names the service: redis+sentinel://host:port[,...]/service[/db]")
    try:
        db = int(parts[1]) if len(parts) == 2 else 0
    except ValueError:
        raise ValueError("a Sentinel URL's database (after the service) is a number") from None
    return parts[0], db


def _options(query: str) -> dict[str, str]:
    options: dict[str, str] = {}
    for name, values in parse_qs(query, keep_blank_values=True).items():
        if name not in _OPTIONS:
            raise ValueError(f"a Redis URL option {name!r} is not one of {', '.join(_OPTIONS)}")
        options[name] = values[-1]
    if options.get("ssl_cert_reqs", "required") not in _CERT_REQS:
        raise ValueError(f"ssl_cert_reqs in a Redis URL is one of {', '.join(_CERT_REQS)}")
    return options
