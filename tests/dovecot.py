"""A private, real Dovecot IMAP server for the IMAP front's tests (Debian's dovecot-imapd).

Its own configuration, users (a passwd-file) and Maildirs live in a temporary directory, it listens on
127.0.0.1 on a free port, and it needs no root: run as root (CI), its login and internal processes use
Debian's `dovenull` and `dovecot` users and the mail belongs to `dovecot`; run as anyone else, everything
runs as that user. Mail is delivered by APPEND, as a provider's delivery would leave it.

`capabilities` replaces what the server announces after login (Dovecot's imap_capability), so that a test
can take MOVE or IDLE away and see the front fall back to COPY + EXPUNGE or to polling.
"""

from __future__ import annotations

import contextlib
import getpass
import grp
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from imapclient import IMAPClient

from tests.procs import free_port

_SBIN = "/usr/sbin:/usr/bin:/sbin:/bin"
DOVECOT = shutil.which("dovecot", path=_SBIN)
DOVEADM = shutil.which("doveadm", path=_SBIN)
IMAP_BINARY = Path("/usr/lib/dovecot/imap")
FULL_CAPABILITIES = (
    "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT SORT=DISPLAY THREAD=REFERENCES THREAD=REFS"
    " THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN NAMESPACE UIDPLUS"
    " LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS"
    " BINARY MOVE SNIPPET=FUZZY PREVIEW=FUZZY PREVIEW STATUS=SIZE SAVEDATE LITERAL+ NOTIFY"
)
PASSWORD = "secret-imap-password"

CONF = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {login_user}
default_internal_user = {internal_user}
default_internal_group = {internal_group}
first_valid_uid = 0
mail_location = maildir:{root}/mail/%u
{capability}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={mail_uid} gid={mail_gid} home={root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
protocol imap {{
  mail_max_userip_connections = 100
}}
"""


def available() -> bool:
    return DOVECOT is not None and DOVEADM is not None and IMAP_BINARY.exists()


class Dovecot:
    """One server; `start`, `stop` and `restart` it; `client(user)` logs a test's own client in."""

    def __init__(
        self, *, capabilities: str | None = None, users: int = 40, oauth2_introspection: str | None = None
    ) -> None:
        # Not pytest's tmp_path: its parents are private to the test's user, and Dovecot's own processes
        # (dovecot, dovenull under root) must pass through them.
        root = Path(tempfile.mkdtemp(prefix="pitchgate-dovecot-"))
        root.chmod(0o711)
        self.root = root
        self.port = free_port()
        self.capabilities = capabilities
        self.oauth2_introspection = oauth2_introspection
        self.users: list[str] = []
        root.mkdir(parents=True, exist_ok=True)
        for sub in ("run", "state", "mail", "home"):
            (root / sub).mkdir(exist_ok=True)
        # Every user exists from the start: Dovecot notices a changed passwd-file by its mtime, whose
        # granularity would hide a user added within the same second.
        self._unused = [f"user{n}@example.com" for n in range(1, users + 1)]
        (root / "users").write_text("".join(f"{u}:{{PLAIN}}{PASSWORD}\n" for u in self._unused))
        self.conf = root / "dovecot.conf"
        self._write_conf()

    def _write_conf(self) -> None:
        if os.geteuid() == 0:
            login, internal, group = "dovenull", "dovecot", "dovecot"
            owner = pwd.getpwnam("dovecot")
            for sub in ("mail", "home"):
                os.chown(self.root / sub, owner.pw_uid, owner.pw_gid)
            uid, gid = owner.pw_uid, owner.pw_gid
        else:
            login = internal = getpass.getuser()
            group = grp.getgrgid(os.getgid()).gr_name
            uid, gid = os.getuid(), os.getgid()
        capability = f"imap_capability = {self.capabilities}" if self.capabilities else ""
        text = CONF.format(
            root=self.root,
            port=self.port,
            login_user=login,
            internal_user=internal,
            internal_group=group,
            mail_uid=uid,
            mail_gid=gid,
            capability=capability,
        )
        if self.oauth2_introspection:
            text = self._with_oauth2(text, self.oauth2_introspection)
        self.conf.write_text(text)

    def _with_oauth2(self, text: str, url: str) -> str:
        """XOAUTH2 and OAUTHBEARER checked by RFC 7662 token introspection at `url` (Dovecot's oauth2
        passdb, as a provider's IMAP server checks tokens against its authorization server)."""
        (self.root / "oauth2.conf").write_text(
            f"introspection_mode = post\nintrospection_url = {url}\nusername_attribute = email\n"
            "active_attribute = active\nactive_value = true\n"
        )
        text = text.replace(
            "auth_mechanisms = plain login", "auth_mechanisms = plain login xoauth2 oauthbearer"
        )
        oauth = f"passdb {{\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n  args = {self.root}/oauth2.conf\n}}\n"
        return text.replace("passdb {\n", oauth + "passdb {\n", 1)

    def take_user(self) -> str:
        """A user no test has had yet (its password is PASSWORD)."""
        user = self._unused.pop(0)
        self.users.append(user)
        return user

    def start(self) -> None:
        assert DOVECOT is not None
        # The daemon keeps its inherited descriptors: a captured pipe would never reach end of file.
        subprocess.run(
            [DOVECOT, "-c", str(self.conf)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                probe = IMAPClient("127.0.0.1", self.port, ssl=False, timeout=2)
                probe.capabilities()
                probe.shutdown()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"dovecot did not answer on {self.port}: {self.log()}")

    def _pid(self) -> int | None:
        try:
            return int((self.root / "run" / "master.pid").read_text())
        except (OSError, ValueError):
            return None

    def stop(self) -> None:
        """Stop the server and end every IMAP session (the master alone leaves its imap processes
        serving their clients, which would hide a restart from them)."""
        pid = self._pid()
        if pid is None:
            return
        assert DOVEADM is not None
        subprocess.run([DOVEADM, "-c", str(self.conf), "kick", "*"], check=False, capture_output=True)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)
        raise RuntimeError("dovecot did not stop")

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def restart(self) -> None:
        self.stop()
        self.start()

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    @contextlib.contextmanager
    def client(self, user: str) -> Iterator[IMAPClient]:
        client = IMAPClient("127.0.0.1", self.port, ssl=False, timeout=30)
        client.login(user, PASSWORD)
        try:
            yield client
        finally:
            with contextlib.suppress(Exception):
                client.logout()

    def deliver(self, user: str, raw: bytes, folder: str = "INBOX", flags: tuple[bytes, ...] = ()) -> None:
        with self.client(user) as client:
            if not client.folder_exists(folder):
                client.create_folder(folder)
            client.append(folder, raw, flags=flags)

    def message_ids(self, user: str, folder: str) -> list[str]:
        """The Message-ID of every message in the folder (sorted), without setting \\Seen."""
        with self.client(user) as client:
            if not client.folder_exists(folder):
                return []
            client.select_folder(folder, readonly=True)
            uids = client.search("ALL")
            if not uids:
                return []
            found = client.fetch(uids, ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
        ids = []
        for data in found.values():
            header = bytes(data[b"BODY[HEADER.FIELDS (MESSAGE-ID)]"]).decode().strip()
            ids.append(header.partition(":")[2].strip())
        return sorted(ids)

    def flags(self, user: str, folder: str) -> dict[str, set[str]]:
        """Message-ID -> flags and keywords, for every message in the folder (less \\Recent, which only says
        which session saw it first)."""
        with self.client(user) as client:
            client.select_folder(folder, readonly=True)
            uids = client.search("ALL")
            found = client.fetch(uids, ["FLAGS", "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"]) if uids else {}
        out = {}
        for data in found.values():
            header = bytes(data[b"BODY[HEADER.FIELDS (MESSAGE-ID)]"]).decode().strip()
            out[header.partition(":")[2].strip()] = {f.decode() for f in data[b"FLAGS"]} - {"\\Recent"}
        return out

    def set_uidvalidity(self, user: str, folder: str, value: int) -> None:
        """Renumber the folder as a server migration would (doveadm mailbox update --uid-validity)."""
        assert DOVEADM is not None
        subprocess.run(
            [
                DOVEADM,
                "-c",
                str(self.conf),
                "mailbox",
                "update",
                "--uid-validity",
                str(value),
                "-u",
                user,
                folder,
            ],
            check=True,
            capture_output=True,
        )


def require() -> None:
    """Skip a test when Dovecot is not installed; under CI, which must run the IMAP tests, fail instead."""
    if available():
        return
    if os.environ.get("CI"):
        pytest.fail("CI must run the IMAP tests: install dovecot-imapd")
    pytest.skip("no Dovecot (apt-get install dovecot-imapd)")


@contextlib.contextmanager
def running(users: int | None = None) -> Iterator[Dovecot]:
    """A started Dovecot for a module's tests (`require`d first), removed afterwards."""
    require()
    found = Dovecot() if users is None else Dovecot(users=users)
    found.start()
    try:
        yield found
    finally:
        found.remove()
