"""The start-up check on digest links: a loopback web.base_url is refused once others can reach the gateway."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.actions.digest import DigestError, digest_sender
from gateway.settings import load_settings
from tests.procs import free_port, run


@pytest.mark.parametrize(
    ("base_url", "listen", "web_listen"),
    [
        ("http://127.0.0.1:8025", "0.0.0.0:10025", ""),
        ("http://localhost:8025", "192.0.2.1:25", ""),
        ("http://[::1]:8025", "127.0.0.1:10025", "0.0.0.0:8025"),
        ("https://127.5.5.5/review", "[::]:25", "127.0.0.1:8025"),
    ],
)
def test_loopback_links_refused_when_others_can_connect(base_url: str, listen: str, web_listen: str) -> None:
    settings = load_settings(
        None,
        {
            "server": {"listen": listen, "local_domains": ["example.com"]},
            "web": {"base_url": base_url, "link_secret": "s" * 32, "listen": web_listen},
            "digest": {"enabled": True},
        },
    )
    with pytest.raises(
        DigestError, match=r"web\.base_url .* is a loopback address, but (server|web)\.listen"
    ):
        digest_sender(settings)


@pytest.mark.parametrize(
    ("base_url", "listen", "web_listen", "enabled"),
    [
        ("http://127.0.0.1:8025", "127.0.0.1:10025", "127.0.0.1:8025", True),  # a test box: all local
        ("https://review.example.com", "0.0.0.0:10025", "0.0.0.0:8025", True),
        ("http://127.0.0.1:8025", "0.0.0.0:10025", "", False),  # no digest, nothing to check
    ],
)
def test_reachable_or_local_only_links_are_accepted(
    base_url: str, listen: str, web_listen: str, enabled: bool
) -> None:
    settings = load_settings(
        None,
        {
            "server": {"listen": listen, "local_domains": ["example.com"]},
            "web": {"base_url": base_url, "link_secret": "s" * 32, "listen": web_listen},
            "digest": {"enabled": enabled},
        },
    )
    assert digest_sender(settings) == "postmaster@example.com"


async def test_serve_refuses_to_start_with_loopback_digest_links(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text(
        f'[server]\nlocal_domains = ["example.com"]\nlisten = "0.0.0.0:{free_port()}"\n'
        "[metrics]\nenabled = false\n[digest]\nenabled = true\n"
        '[web]\nlink_secret = "0123456789abcdef0123456789abcdef"\nbase_url = "http://127.0.0.1:8025"\n'
    )
    result = await run("serve", "--config", str(config), "--state-dir", str(tmp_path / "state"), timeout=30)
    assert result.code == 1, result.err
    assert "web.base_url http://127.0.0.1:8025 is a loopback address, but server.listen" in result.err
