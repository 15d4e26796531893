"""Real mail servers for the e-mail channel tests (issue 18): no mock of ``imaplib`` or ``smtplib``.

- :class:`Dovecot` / fixture ``dovecot`` (one per test process): Debian's Dovecot IMAP server
  (``apt-get install dovecot-imapd``) started in the foreground (``dovecot -F -c <temp>/dovecot.conf``) with its own
  base, state and mail directories in a temporary directory, listening on 127.0.0.1 on a free port, TLS required
  with a self-signed certificate made here with ``cryptography`` (the client checks it: ``PESAN_IMAP_CAFILE``),
  users in a static passwd file. As root (CI) the login and internal processes run as ``nobody`` (Dovecot refuses
  root for them) and mail as nobody's uid; as any other user everything runs as that user. :meth:`Dovecot.stop` /
  :meth:`Dovecot.start` take it down and up again on the same port (the outage test).
- fixture ``mailbox``: the mailbox user's INBOX on that server, emptied, the e-mail ``ChannelAccount`` enabled
  with the server's credentials (``override_settings``); :meth:`Mailbox.deliver` puts a message in its INBOX by IMAP
  ``APPEND`` with the arrival time (``INTERNALDATE``) given; :meth:`Mailbox.unseen` lists what the poll has not
  marked seen.
- :class:`SmtpSink` / fixture ``smtp_sink``: an ``aiosmtpd`` SMTP server on a free port collecting the messages
  (parsed, ``email.policy.default``); Django's SMTP backend points at it. :meth:`SmtpSink.stop`/:meth:`start`.

Without Dovecot the tests are skipped with the reason — except in CI (``CI`` set, ``.ci/run``), where they fail.
"""

from __future__ import annotations

import datetime
import grp
import imaplib
import ipaddress
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.test import override_settings

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
MAILBOX_ADDRESS = "ppid@ppid.example.go.id"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "channels" / "email"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, *, up: bool = True, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                if up:
                    return True
        except OSError:
            if not up:
                return True
        time.sleep(0.05)
    return False


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1/localhost valid for a day, and its key (PEM files)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    key_path.chmod(0o600)
    return cert_path, key_path


class Dovecot:
    """One Dovecot IMAP server in a temporary directory (see the module docstring)."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="pesan-dovecot-"))
        self.root.chmod(0o755)  # the unprivileged login process must reach base_dir
        self.port = free_port()
        self.cafile, key = self_signed_certificate(self.root)
        self.passwd = self.root / "passwd"
        self.passwd.write_text("")
        self.mail = self.root / "mail"
        self.mail.mkdir()
        self.log = self.root / "dovecot.log"
        if os.geteuid() == 0:
            service_user = pwd.getpwnam("nobody")
            user, group = service_user.pw_name, grp.getgrgid(service_user.pw_gid).gr_name
            uid, gid = service_user.pw_uid, service_user.pw_gid
            os.chown(self.mail, uid, gid)
        else:
            uid, gid = os.getuid(), os.getgid()
            user, group = pwd.getpwuid(uid).pw_name, grp.getgrgid(gid).gr_name
        self.config = self.root / "dovecot.conf"
        self.config.write_text(
            f"""
base_dir = {self.root}/run
state_dir = {self.root}/state
instance_name = pesan-test-{self.port}
protocols = imap
listen = 127.0.0.1
log_path = {self.log}
ssl = required
ssl_cert = <{self.cafile}
ssl_key = <{key}
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
first_valid_uid = {uid}
first_valid_gid = {gid}
mail_location = maildir:{self.mail}/%u
auth_mechanisms = plain
auth_failure_delay = 0
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.passwd}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={self.mail}/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  unix_listener stats-reader {{
    user = {user}
  }}
  unix_listener stats-writer {{
    user = {user}
  }}
}}
"""
        )
        self.process: subprocess.Popen | None = None
        self._users: dict[str, str] = {}

    def start(self) -> None:
        """Start the server in the foreground (a child process of the tests) and wait until it accepts."""
        self.process = subprocess.Popen(  # noqa: S603 - a fixed binary, our own temporary config
            [DOVECOT, "-F", "-c", str(self.config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        if not wait_for_port(self.port):
            self.stop()
            log = self.log.read_text(errors="replace") if self.log.exists() else ""
            raise RuntimeError(f"Dovecot did not start on port {self.port}:\n{log}")

    def stop(self) -> None:
        """Stop the server (SIGTERM to the master, which ends its children) and wait until the port is closed."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        wait_for_port(self.port, up=False)

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def add_user(self, user: str = "ppid") -> tuple[str, str]:
        """The mailbox user (created once; Dovecot re-reads its passwd file only when the file's time changes):
        ``(user, password)``."""
        if user not in self._users:
            self._users[user] = f"secret-{os.urandom(6).hex()}"
            with self.passwd.open("a") as handle:
                handle.write(f"{user}:{{PLAIN}}{self._users[user]}::::::\n")
        return user, self._users[user]

    def client(self, user: str, password: str) -> imaplib.IMAP4_SSL:
        context = ssl.create_default_context(cafile=str(self.cafile))
        client = imaplib.IMAP4_SSL("127.0.0.1", self.port, ssl_context=context, timeout=10)
        client.login(user, password)
        return client


class Mailbox:
    """One user's INBOX on :class:`Dovecot`, as the test's own IMAP client sees it."""

    def __init__(self, server: Dovecot, user: str, password: str) -> None:
        self.server, self.user, self.password = server, user, password

    def deliver(self, raw: bytes, arrived_at: datetime.datetime | None = None) -> None:
        """Put ``raw`` in the INBOX, unseen, received (``INTERNALDATE``) at ``arrived_at`` (aware; default now)."""
        client = self.server.client(self.user, self.password)
        try:
            when = imaplib.Time2Internaldate(arrived_at) if arrived_at else None
            status, data = client.append("INBOX", "", when, raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
            assert status == "OK", data
        finally:
            client.logout()

    def _search(self, criterion: str) -> list[bytes]:
        client = self.server.client(self.user, self.password)
        try:
            client.select("INBOX", readonly=True)
            status, data = client.uid("SEARCH", None, criterion)
            assert status == "OK", data
            return (data[0] or b"").split()
        finally:
            client.logout()

    def empty(self) -> None:
        """Delete every message of the INBOX."""
        client = self.server.client(self.user, self.password)
        try:
            _status, data = client.select("INBOX")
            if int(data[0] or 0):
                client.store("1:*", "+FLAGS.SILENT", "(\\Deleted)")
                client.expunge()
        finally:
            client.logout()

    def unseen(self) -> list[bytes]:
        """UIDs of the INBOX messages not marked ``\\Seen``."""
        return self._search("UNSEEN")

    def all(self) -> list[bytes]:
        return self._search("ALL")


class _Collector:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = BytesParser(policy=policy.default).parsebytes(envelope.content)
        message.smtp_recipients = list(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"


class SmtpSink:
    """An aiosmtpd SMTP server on 127.0.0.1 collecting what it receives in :attr:`messages` (parsed e-mails)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.collector = _Collector()
        self.controller: Controller | None = None

    @property
    def messages(self) -> list:
        return self.collector.messages

    def start(self) -> None:
        self.controller = Controller(self.collector, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def _require_dovecot() -> None:
    if os.path.exists(DOVECOT) and os.access(DOVECOT, os.X_OK):
        return
    reason = "Dovecot (Debian package dovecot-imapd) is not installed: the e-mail channel tests need a real IMAP server"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(reason + " — CI must install it (.ci/run)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def dovecot():
    """The test process's Dovecot server (started once, stopped at the end)."""
    _require_dovecot()
    server = Dovecot()
    server.start()
    yield server
    server.close()


@pytest.fixture
def mailbox(dovecot, db):
    """An empty mailbox on :func:`dovecot`, the e-mail channel enabled and configured for it."""
    from layanan.channels.models import ChannelAccount, ChannelKind

    if dovecot.process is None or dovecot.process.poll() is not None:
        dovecot.start()  # a test that stopped it failed before starting it again
    user, password = dovecot.add_user()
    ChannelAccount.objects.update_or_create(
        kind=ChannelKind.EMAIL, defaults={"enabled": True, "address": MAILBOX_ADDRESS}
    )
    settings = {
        "PESAN_IMAP_HOST": "127.0.0.1",
        "PESAN_IMAP_PORT": str(dovecot.port),
        "PESAN_IMAP_USER": user,
        "PESAN_IMAP_PASSWORD": password,
        "PESAN_IMAP_FOLDER": "INBOX",
        "PESAN_IMAP_CAFILE": str(dovecot.cafile),
    }
    box = Mailbox(dovecot, user, password)
    box.empty()
    with override_settings(**settings):
        yield box


@pytest.fixture
def smtp_sink():
    """An SMTP server collecting the e-mails Django sends (the SMTP backend pointed at it)."""
    sink = SmtpSink()
    sink.start()
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=sink.port,
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
        EMAIL_TIMEOUT=5,
    ):
        yield sink
    sink.stop()


def fixture_bytes(name: str) -> bytes:
    """A file of ``tests/fixtures/channels/email``."""
    return (FIXTURES / name).read_bytes()
