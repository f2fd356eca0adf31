"""Mail intake against a real IMAP server: a throwaway Debian dovecot-imapd on loopback, started by the tests.

Skipped when dovecot is not installed (apt-get install dovecot-imapd); REQUIRE_IMAP=1 (set by .ci/run)
turns the skip into a failure. One server for the module: it is a slow check.
"""

import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from casebase.editorial.mailintake import FILED_KEYWORD
from casebase.editorial.models import Correction, CorrectionState
from tests.factories import CaseFactory, mail_bytes

USER, PASSWORD = "desk", "desk-password"


def _dovecot_binary():
    return shutil.which("dovecot") or next(
        (path for path in ("/usr/sbin/dovecot", "/usr/local/sbin/dovecot") if os.access(path, os.X_OK)), None
    )


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _version(binary):
    out = subprocess.run([binary, "--version"], capture_output=True, text=True, check=True).stdout
    return tuple(int(part) for part in out.split()[0].split(".")[:2])


CONFIG = """\
# A throwaway dovecot for casebase's tests: loopback only, plain-text login, one user, one Maildir.
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
{plaintext}
auth_mechanisms = plain login
default_login_user = {login_user}
default_internal_user = {internal_user}
first_valid_uid = {uid}
last_valid_uid = {uid}
first_valid_gid = {gid}
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    port = 0
  }}
  inet_listener pop3s {{
    port = 0
  }}
}}
service submission-login {{
  inet_listener submission {{
    port = 0
  }}
}}
"""


@pytest.fixture(scope="module")
def imap_server():
    """(host, port) of a fresh dovecot with user `desk`; stopped and deleted after the module."""
    binary = _dovecot_binary()
    if binary is None:
        message = "dovecot is not installed (apt-get install dovecot-imapd)"
        if os.environ.get("REQUIRE_IMAP") == "1":
            pytest.fail(f"REQUIRE_IMAP=1 but {message}")
        pytest.skip(message)

    if os.geteuid() == 0:
        # Dovecot runs its login and internal processes as its own users and the mail as an
        # unprivileged one; the temp dir must be theirs to enter.
        mail_user = pwd.getpwnam("dovecot")
        login_user, internal_user = "dovenull", "dovecot"
    else:
        mail_user = pwd.getpwuid(os.getuid())
        login_user = internal_user = mail_user.pw_name
    uid, gid = mail_user.pw_uid, mail_user.pw_gid

    root = Path(tempfile.mkdtemp(prefix="casebase-imap."))
    root.chmod(0o755)
    for sub in ("run", "state", "mail"):
        (root / sub).mkdir()
    (root / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    if os.geteuid() == 0:
        os.chown(root / "mail", uid, gid)
        os.chown(root / "state", uid, gid)
    port = _free_port()
    plaintext = "auth_allow_cleartext = yes" if _version(binary) >= (2, 4) else "disable_plaintext_auth = no"
    config = root / "dovecot.conf"
    config.write_text(
        CONFIG.format(
            root=root,
            port=port,
            uid=uid,
            gid=gid,
            login_user=login_user,
            internal_user=internal_user,
            plaintext=plaintext,
        )
    )
    server = subprocess.Popen(
        [binary, "-c", str(config), "-F"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=root
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            if server.poll() is not None:
                log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
                raise RuntimeError(f"dovecot exited: {server.stderr.read().decode()} {log}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("dovecot did not start listening within 20 seconds") from None
                time.sleep(0.1)
        yield "127.0.0.1", port
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def desk_mailbox(imap_server, settings):
    """The desk's IMAP settings pointing at the test server, with an empty INBOX."""
    host, port = imap_server
    settings.CORRECTIONS_IMAP_HOST = host
    settings.CORRECTIONS_IMAP_PORT = port
    settings.CORRECTIONS_IMAP_SECURITY = "none"
    settings.CORRECTIONS_IMAP_USER = USER
    settings.CORRECTIONS_IMAP_PASSWORD = PASSWORD
    settings.CORRECTIONS_IMAP_MAILBOX = "INBOX"
    settings.CORRECTIONS_MAILDIR = ""
    client = imaplib.IMAP4(host, port, timeout=10)
    client.login(USER, PASSWORD)
    client.select("INBOX")
    if client.search(None, "ALL")[1][0]:
        client.store("1:*", "+FLAGS", "\\Deleted")
        client.expunge()
    yield client
    client.logout()


def flags_of(client):
    status, data = client.fetch("1:*", "(FLAGS)")
    return [item.decode() for item in data]


@pytest.mark.django_db
def test_fetch_over_imap_files_each_message_once(desk_mailbox):
    case = CaseFactory(slug="ftc-everalbum")
    desk_mailbox.append(
        "INBOX",
        None,
        None,
        mail_bytes("http://127.0.0.1:8000/cases/ftc-everalbum/ gives the wrong year.", subject="Wrong year"),
    )
    # An editor already read this one in a mail client: it is still filed.
    desk_mailbox.append("INBOX", "(\\Seen)", None, mail_bytes("Second report.", sender="bo@example.net"))

    call_command("fetch_correction_mail", verbosity=0)
    reports = list(Correction.objects.order_by("number"))
    assert [r.reporter_email for r in reports] == ["ada@example.net", "bo@example.net"]
    assert reports[0].page == case
    assert reports[0].channel == "mail"
    assert all(r.state == CorrectionState.NEW for r in reports)
    # Marked done on the server with our keyword (and read), left in place.
    desk_mailbox.select("INBOX")
    flags = flags_of(desk_mailbox)
    assert len(flags) == 2
    assert all(FILED_KEYWORD in line and "\\Seen" in line for line in flags)

    call_command("fetch_correction_mail", verbosity=0)
    assert Correction.objects.count() == 2

    desk_mailbox.append("INBOX", None, None, mail_bytes("A third.", sender="cy@example.net"))
    call_command("fetch_correction_mail", verbosity=0)
    assert Correction.objects.count() == 3


@pytest.mark.django_db
def test_a_wrong_password_is_a_clear_error(desk_mailbox, settings):
    settings.CORRECTIONS_IMAP_PASSWORD = "wrong"
    with pytest.raises(CommandError, match="Could not read desk@127.0.0.1"):
        call_command("fetch_correction_mail", verbosity=0)
    assert not Correction.objects.exists()
