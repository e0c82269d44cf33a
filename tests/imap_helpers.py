"""Messages and parts shared by the IMAP front's tests and its backfill bench."""

from __future__ import annotations

import http.server
import json
import secrets
import threading
import urllib.parse
from pathlib import Path

from gateway.app import App
from gateway.clock import ManualClock
from gateway.fronts.imap.account import Parts
from gateway.fronts.imap.config import ImapAccount, ImapSettings
from gateway.fronts.imap.learning import Learning
from gateway.fronts.imap.watcher import Watcher
from gateway.settings import DigestSettings
from tests.dovecot import PASSWORD, Dovecot
from tests.mail import make_message

PITCH_BODY = (
    "Hi Bob,\n\nJust following up on my last email. Our platform helps teams like yours boost revenue by 40%\n"
    "and cut costs, and I'd love to show you a quick demo. Are you the right person to talk to about\n"
    "your sales pipeline? Book a 15-minute call here: https://calendly.com/dana-seller/demo\n\nBest,\nDana\n"
)


def pitch(to: str, mid: str, sender: str = "dana@growthly.test", outreach: bool = True) -> bytes:
    """Scores over quarantine_score (10) with the Outreach header and its booking link, between tag and
    quarantine without both (a stranger's first touch also carries STRANGER_FIRST_TOUCH)."""
    headers = {"X-Mailer": "Outreach"} if outreach else {}
    body = (
        PITCH_BODY
        if outreach
        else PITCH_BODY.replace(" Book a 15-minute call here: https://calendly.com/dana-seller/demo", "")
    )
    return make_message(sender, to, "Quick call?", body, message_id=mid, headers=headers)


def wanted(to: str, mid: str, sender: str = "alice@partner.test") -> bytes:
    return make_message(
        sender, to, "Lunch", "Hi Bob,\n\nSee you tomorrow at noon.\n\nAlice\n", message_id=mid
    )


def new_account(server: Dovecot, tmp: Path, **folders: str) -> ImapAccount:
    user = server.take_user()
    secret = tmp / f"{user}.password"
    secret.write_text(PASSWORD + "\n")
    secret.chmod(0o600)
    return ImapAccount(
        host="127.0.0.1", port=server.port, tls="none", user=user, password_file=str(secret), **folders
    )


def watcher(
    app: App, clock: ManualClock, account: ImapAccount, digest: DigestSettings | None = None, **options: float
) -> Watcher:
    settings = ImapSettings(accounts=[account], **options)  # type: ignore[arg-type]
    learning = Learning(account, app.store, app.quarantine, app.pipeline, clock, 365 * 86400.0)
    return Watcher(Parts(account, settings, app.pipeline, app.store, app.metrics, learning, digest))


class Introspection:
    """An RFC 7662 token introspection endpoint on 127.0.0.1, standing in for a provider's authorization
    server (Google's or Microsoft's cannot run here): a token it issued is active, with its user's email."""

    def __init__(self) -> None:
        self.tokens: dict[str, str] = {}
        tokens = self.tokens

        class Answer(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                form = urllib.parse.parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
                email = tokens.get(form.get("token", [""])[0])
                body = json.dumps({"active": True, "email": email} if email else {"active": False}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Answer)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/introspect"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def issue(self, user: str) -> str:
        token = f"ya29.{secrets.token_urlsafe(24)}"
        self.tokens[token] = user
        return token

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
