"""The store URL contract: which topology, nodes, TLS and credentials each form names (no server needed)."""

from __future__ import annotations

import pytest

from gateway.errors import ConfigError
from gateway.settings import load_settings
from gateway.store.redis_connect import connect
from gateway.store.redis_url import Topology, parse_redis_url


def test_standalone_urls_go_to_redis_py_unchanged() -> None:
    for url in ("redis://127.0.0.1:6379/15", "rediss://:pw@cache.example:6380/0", "unix:///run/redis.sock"):
        target = parse_redis_url(url)
        assert (target.topology, target.url) == (Topology.STANDALONE, url)
    assert parse_redis_url("rediss://cache.example:6380/0").tls is True


def test_cluster_seed_nodes_and_tls() -> None:
    target = parse_redis_url("redis+cluster://10.0.0.1:7000,10.0.0.2:7001,[::1]:7002")
    assert target.topology is Topology.CLUSTER
    assert target.nodes == (("10.0.0.1", 7000), ("10.0.0.2", 7001), ("::1", 7002))
    assert not target.tls
    tls = parse_redis_url("rediss+cluster://u:p%40ss@a.example:7000/0?ssl_cert_reqs=none")
    assert (tls.tls, tls.username, tls.password, tls.options) == (
        True,
        "u",
        "p@ss",
        {"ssl_cert_reqs": "none"},
    )
    assert parse_redis_url("redis+cluster://a.example").nodes == (("a.example", 6379),)


def test_sentinel_service_db_and_sentinel_credentials() -> None:
    target = parse_redis_url("redis+sentinel://:secret@s1:26379,s2,s3:26380/mymaster/2?sentinel_password=x")
    assert target.topology is Topology.SENTINEL
    assert target.nodes == (("s1", 26379), ("s2", 26379), ("s3", 26380))
    assert (target.service, target.db, target.password) == ("mymaster", 2, "secret")
    assert target.options == {"sentinel_password": "x"}
    assert parse_redis_url("rediss+sentinel://s1:26379/pg").tls is True


@pytest.mark.parametrize(
    "url",
    [
        "redis+cluster://a:7000/3",  # a Cluster has only database 0
        "redis+sentinel://s1:26379",  # no service
        "redis+sentinel://s1:26379/pg/x",
        "redis+cluster://a:notaport",
        "redis+cluster://a:70000",
        "redis+cluster://a:7000,,b:7001",
        "redis+cluster://a:7000?ssl_cert_reqs=maybe",
        "redis+cluster://a:7000?password=hunter2",
        "redis+cluster://u:hunter2@:7000",
        "cache.example:6379",
    ],
)
def test_malformed_urls_are_refused_without_echoing_them(url: str) -> None:
    with pytest.raises(ValueError) as refused:
        parse_redis_url(url)
    assert "hunter2" not in str(refused.value)


def test_password_is_not_in_the_repr() -> None:
    target = parse_redis_url("redis+cluster://u:hunter2@a:7000")
    assert "hunter2" not in repr(target)


@pytest.mark.parametrize(
    ("url", "topology", "cluster"),
    [
        ("redis://127.0.0.1:1/0", Topology.STANDALONE, False),
        ("redis+cluster://127.0.0.1:1", Topology.CLUSTER, True),
        ("redis+sentinel://127.0.0.1:1/pg", Topology.SENTINEL, False),
    ],
)
async def test_connect_builds_the_client_for_the_topology(
    url: str, topology: Topology, cluster: bool
) -> None:
    client = connect(parse_redis_url(url), socket_timeout=0.5, client_name="t")
    assert (client.topology, client.is_cluster) == (topology, cluster)
    await client.close()


def test_settings_refuse_a_bad_store_url_without_echoing_it() -> None:
    with pytest.raises(ConfigError) as refused:
        load_settings(None, {"store": {"redis_url": "redis+sentinel://u:hunter2@s1:26379"}})
    assert "store.redis_url" in str(refused.value) and "hunter2" not in str(refused.value)
    good = load_settings(None, {"store": {"redis_url": "rediss+cluster://a:7000,b:7001"}})
    assert good.store.redis_url.get_secret_value() == "rediss+cluster://a:7000,b:7001"
