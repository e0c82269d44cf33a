"""A private, real Postfix instance for the integration tests, set up the way the README tells an admin to.

The instance starts from Debian's own `/etc/postfix/master.cf`, a short main.cf that stands in for the
admin's (BASE_MAIN_CF: local delivery off, example.com relayed to the test's sink), then pitchgate's
snippets from `config/postfix/` exactly as the README shows them. These things differ from a real host,
each because a test must not touch the machine's own mail system or network:

- ports: 25, 10025, 10026 and submission's 587 become free ports (`localize`);
- the LAN: the README's example mynetworks 192.168.1.0/24 is 127.0.0.3 (`LAN_USER`), the one client
  the stand-in main.cf lists in mynetworks;
- directories: the queue, data and log live in a temporary directory;
- submission without TLS: the test has no certificate, so port 587 takes AUTH in clear (Dovecot SASL,
  `Postfix.enable_sasl`);
- no chroot: Debian's chroot needs copies of /etc files inside the queue directory, which a throwaway
  queue does not have (`postconf -F '*/*/chroot = n'`).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "config" / "postfix"
ENV_SNIPPET = SNIPPETS / "pitchgate.env"
README_LAN = "192.168.1.0/24"
LAN_USER = "127.0.0.3"
_SBIN = "/usr/sbin:/usr/bin:/sbin:/bin"
POSTFIX = shutil.which("postfix", path=_SBIN)
POSTCONF = shutil.which("postconf", path=_SBIN)
POSTQUEUE = shutil.which("postqueue", path=_SBIN)
SENDMAIL = shutil.which("sendmail", path=_SBIN)
DOVECOT = shutil.which("dovecot", path=_SBIN)

# A Dovecot that only authenticates, for Postfix's SASL (smtpd_sasl_type = dovecot), on a socket in the
# private queue as Postfix's SASL_README sets it up; clear-text AUTH because the test has no TLS.
DOVECOT_CONF = """\
base_dir = {root}/dovecot
state_dir = {root}/dovecot
log_path = {root}/dovecot.log
protocols =
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/dovecot.users
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home=/nonexistent
}}
service auth {{
  unix_listener {root}/queue/private/auth {{
    mode = 0660
    user = postfix
    group = postfix
  }}
}}
"""

BASE_MAIN_CF = """\
compatibility_level = 3.6
queue_directory = {root}/queue
data_directory = {root}/data
maillog_file_prefixes = {root}
maillog_file = {root}/maillog
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mydestination =
local_recipient_maps =
local_transport = error:5.1.1 no local delivery here
alias_maps =
alias_database =
relay_domains = example.com
relayhost = [127.0.0.1]:{sink}
smtp_tls_security_level = none
smtpd_tls_security_level = none
smtpd_peername_lookup = no
mynetworks = {lan}
"""

# The pitchgate command of the README's Postfix section. The test gives it a copy of config/pitchgate.toml
# for CONFIG_FILE, and adds only a state directory and a metrics port of its own.
CONFIG_FILE = "/etc/pitchgate/pitchgate.toml"
SERVE_ARGS = (
    f"serve --config {CONFIG_FILE} --local-domain example.com"
    " --listen 127.0.0.1:10025 --upstream 127.0.0.1:10026 --log-format json"
)


def unavailable_reason() -> str | None:
    """Why a private Postfix cannot run here, or None when it can."""
    if POSTFIX is None or POSTCONF is None or POSTQUEUE is None:
        return "Postfix is not installed (.ci/run installs Debian's postfix package)"
    if os.geteuid() != 0:
        return "a private Postfix instance must be started as root"
    if not Path("/etc/postfix/master.cf").exists():
        return "Debian's /etc/postfix/master.cf is missing"
    return None


@dataclass(frozen=True)
class Ports:
    front: int
    pitchgate: int
    reinject: int
    submission: int = 0


def localize(text: str, ports: Ports) -> str:
    """A README snippet with the standard ports (25, 10025, 10026, 587) swapped for the test's free ports,
    and the README's example LAN for the test's."""
    text = re.sub(r"^smtp(\s+inet\s)", rf"127.0.0.1:{ports.front}\1", text, flags=re.MULTILINE)
    text = re.sub(r"^submission(\s+inet\s)", rf"127.0.0.1:{ports.submission}\1", text, flags=re.MULTILINE)
    text = text.replace(README_LAN, f"{LAN_USER}/32")
    return text.replace("10025", str(ports.pitchgate)).replace("10026", str(ports.reinject))


def pitchgate_environment(ports: Ports) -> dict[str, str]:
    """config/postfix/pitchgate.env as the variables it sets (comments and blank lines skipped)."""
    lines = localize(ENV_SNIPPET.read_text(), ports).splitlines()
    pairs = (line.split("=", 1) for line in lines if line.strip() and not line.startswith("#"))
    return {key: value for key, value in pairs}


def snippet(mode: str, name: str) -> str:
    """The text of config/postfix/MODE/NAME, as the README includes it."""
    return (SNIPPETS / mode / name).read_text()


class Postfix:
    """One private instance: `configure(mode)`, `start()`, `stop()`; the queue and the mail log for asserts."""

    def __init__(self, sink_port: int, ports: Ports) -> None:
        # Postfix's daemons run as the postfix user, which must reach the queue: not pytest's 0700 tmp_path.
        self.root = Path(tempfile.mkdtemp(prefix="pitchgate-postfix-"))
        self.root.chmod(0o755)
        self.config = self.root / "etc"
        self.ports = ports
        self._sink_port = sink_port

    def _run(self, command: str | None, *args: str) -> str:
        assert command is not None
        result = subprocess.run(
            [command, "-c", str(self.config), *args], capture_output=True, text=True, timeout=60
        )
        if result.returncode != 0:
            raise RuntimeError(f"{command} {' '.join(args)} failed: {result.stderr}{self.maillog()}")
        return result.stdout

    def configure(self, mode: str) -> None:
        """Write main.cf and master.cf for 'before-queue' or 'after-queue', as the README's steps do."""
        self.config.mkdir()
        (self.root / "queue").mkdir()
        main = BASE_MAIN_CF.format(root=self.root, sink=self._sink_port, lan=README_LAN)
        if (SNIPPETS / mode / "main.cf").exists():
            main += snippet(mode, "main.cf")
        (self.config / "main.cf").write_text(localize(main, self.ports))
        shutil.copy("/etc/postfix/master.cf", self.config / "master.cf")
        self._run(POSTCONF, "-F", "*/*/chroot = n")
        if mode == "before-queue":  # the snippet replaces the "smtp inet" service
            self._run(POSTCONF, "-MX", "smtp/inet")
        self._run(POSTCONF, "-MX", "pickup/unix")  # outgoing/ replaces pickup (Debian has no submission)
        with (self.config / "master.cf").open("a") as master:
            master.write(snippet(mode, "master.cf"))
            master.write(snippet("outgoing", "master.cf"))
        master_cf = self.config / "master.cf"
        master_cf.write_text(localize(master_cf.read_text(), self.ports))

    def enable_sasl(self, user: str, password: str) -> None:
        """Submission's SASL through a private Dovecot that knows one user (call after `configure`)."""
        assert DOVECOT is not None
        (self.root / "dovecot.users").write_text(f"{user}:{{PLAIN}}{password}\n")
        (self.root / "dovecot.conf").write_text(DOVECOT_CONF.format(root=self.root))
        private = self.root / "queue" / "private"
        private.mkdir(mode=0o700, exist_ok=True)
        shutil.chown(private, "postfix")  # postfix start refuses a private queue directory it does not own
        subprocess.run([DOVECOT, "-c", str(self.root / "dovecot.conf")], check=True, timeout=60)
        self._run(POSTCONF, "-e", "smtpd_sasl_type = dovecot", "smtpd_sasl_path = private/auth")
        # No certificate here: the submission service takes AUTH without TLS (see the module docstring).
        for name, value in (("smtpd_tls_security_level", "none"), ("smtpd_tls_auth_only", "no")):
            self._run(POSTCONF, "-P", f"127.0.0.1:{self.ports.submission}/inet/{name}={value}")

    def start(self) -> None:
        self._run(POSTFIX, "check")
        self._run(POSTFIX, "start")

    def stop(self) -> None:
        subprocess.run([str(POSTFIX), "-c", str(self.config), "stop"], capture_output=True, timeout=60)
        if (self.root / "dovecot.conf").exists():
            subprocess.run([str(DOVECOT), "-c", str(self.root / "dovecot.conf"), "stop"], timeout=60)

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def sendmail(self, raw: bytes, sender: str, recipient: str) -> None:
        """A local user's `sendmail -f SENDER RECIPIENT`: the maildrop, then Postfix's pickup."""
        assert SENDMAIL is not None
        subprocess.run(
            [SENDMAIL, "-C", str(self.config), "-f", sender, recipient], input=raw, check=True, timeout=60
        )

    def queue(self) -> list[dict[str, Any]]:
        """The messages in Postfix's queue (`postqueue -j`)."""
        return [json.loads(line) for line in self._run(POSTQUEUE, "-j").splitlines() if line.strip()]

    def flush(self) -> None:
        self._run(POSTQUEUE, "-f")

    def maillog(self) -> str:
        path = self.root / "maillog"
        return path.read_text(errors="replace") if path.exists() else ""


async def wait_until(condition: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    """Poll `condition` in the test's loop (the sink runs there) until it holds."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)
