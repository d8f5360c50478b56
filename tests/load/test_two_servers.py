"""Two app servers and two task workers share one PostgreSQL and one Redis (issue #20).

Real processes, as docs/production.md runs them: two `gunicorn coproduce.wsgi` (two workers
each) on two ports, and two `manage.py db_worker`, all started with the documented production
settings (DEBUG off, HTTPS behind a proxy, REDIS_URL) against the test database. The test
speaks to them the way a load balancer would: any request may land on either server.

PostgreSQL only (SQLite is one file on one machine, never two servers). Redis comes from
TEST_REDIS_URL (default redis://127.0.0.1:6379/5); its keys get a prefix of their own and are
deleted afterwards. Under CI a missing Redis is a failure, never a skip.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from coproduce.accounts.hashers import OwaspArgon2PasswordHasher
from coproduce.core.models import AuditEntry
from coproduce.meetings.models import Invitation, Meeting, SessionChannel
from coproduce.meetings.tasks import send_session_reminders
from coproduce.messaging.models import Message, Status
from coproduce.people.models import Person
from coproduce.projects.models import Project
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
PORTS = range(18100, 18200)
REMINDERS = 1000
REMINDER_TASK = "coproduce.meetings.tasks.send_session_reminders"
DELIVERY_TASK = "coproduce.messaging.tasks.deliver_message"

pytestmark = pytest.mark.django_db(transaction=True)


@dataclass
class Cluster:
    servers: list[int]
    logs: Path
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def log_tails(self) -> str:
        parts = []
        for log in sorted(self.logs.glob("*.log")):
            parts.append(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}")
        return "\n".join(parts)


class Browser:
    """One browser behind the TLS proxy: it keeps its own cookies, whichever server answers."""

    def __init__(self, address: str = "203.0.113.7") -> None:
        self.address = address
        self.cookies: dict[str, str] = {}

    def request(
        self, port: int, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        origin = f"https://127.0.0.1:{port}"
        headers = {
            # What the proxy adds: the request came in over HTTPS (SECURE_PROXY_SSL_HEADER),
            # from this address (TRUSTED_PROXIES).
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.address,
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = origin
            headers["Referer"] = origin + path
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode(errors="replace")
            for header in response.msg.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, dict(response.getheaders()), text
        finally:
            conn.close()

    def csrf_token(self, port: int, path: str) -> str:
        status, _, page = self.request(port, "GET", path)
        assert status == 200, page[:500]
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert found, "no CSRF token on the page"
        return found.group(1)

    def sign_in(self, port: int, email: str, password: str) -> int:
        token = self.csrf_token(port, "/accounts/login/")
        status, _, _ = self.request(
            port,
            "POST",
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "username": email, "password": password},
        )
        return status


def _free_ports(count: int) -> list[int]:
    found = []
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        found.append(port)
        if len(found) == count:
            return found
    pytest.fail(f"no {count} free ports in {PORTS.start}-{PORTS.stop - 1}")


def _redis_or_skip() -> str:
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not reachable at {url} under CI: {exc}")
        pytest.skip(f"Redis is not reachable at {url} (set TEST_REDIS_URL): {exc}")
    return url


def _database_url() -> str:
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="")
    password = quote(db["PASSWORD"] or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return f"postgres://{auth}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _wait_healthy(cluster: Cluster, port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in cluster.processes):
            pytest.fail(f"a process stopped while starting:\n{cluster.log_tails()}")
        with contextlib.suppress(OSError):
            status, _, body = Browser().request(port, "GET", "/healthz")
            if status == 200 and '"ok"' in body:
                return
        time.sleep(0.2)
    pytest.fail(f"server on port {port} never answered /healthz:\n{cluster.log_tails()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    # Each process leads its own group (gunicorn's workers are in it): end that group only.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


@pytest.fixture(scope="module")
def cluster(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Cluster]:
    if connection.vendor != "postgresql":
        pytest.skip("two servers need PostgreSQL: SQLite is one file on one machine")
    redis_url = _redis_or_skip()
    prefix = f"two-servers-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "coproduce.settings",
        # The documented production settings (docs/production.md).
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_PROXY_SSL_HEADER": "true",
        "TRUSTED_PROXIES": "1",
        "DATABASE_URL": _database_url(),
        "DB_CONN_MAX_AGE": "60",
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": prefix,
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "PYTHONUNBUFFERED": "1",
    }
    logs = tmp_path_factory.mktemp("two-servers")
    cluster = Cluster(servers=_free_ports(2), logs=logs)
    commands = {
        f"web-{port}": [
            sys.executable,
            "-m",
            "gunicorn",
            "coproduce.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
        ]
        for port in cluster.servers
    }
    for name in ("worker-a", "worker-b"):
        commands[name] = [sys.executable, "manage.py", "db_worker", "--worker-id", name]
    try:
        for name, command in commands.items():
            with (logs / f"{name}.log").open("wb") as log:
                cluster.processes.append(
                    subprocess.Popen(  # noqa: S603 - our own fixed commands
                        command,
                        cwd=ROOT,
                        env=env,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                )
        deadline = time.monotonic() + 30
        for port in cluster.servers:
            _wait_healthy(cluster, port, deadline)
        yield cluster
    finally:
        for process in cluster.processes:
            _stop(process)
        import redis

        store = redis.Redis.from_url(redis_url)
        keys = list(store.scan_iter(f"{prefix}:*"))
        if keys:
            store.delete(*keys)


@pytest.fixture(autouse=True)
def tasks_settle(cluster, transactional_db) -> Iterator[None]:
    """After each test, wait for the workers to finish what the test queued (the `users`
    fixture's new people queue a dashboard refresh, for one) before the database is emptied:
    emptying it under a running task deletes the task's own row, and the worker stops on that."""
    yield
    pending = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"])
    deadline = time.monotonic() + 60
    while pending.exists() and time.monotonic() < deadline:
        time.sleep(0.25)


@pytest.fixture
def alice(users):
    """A tenant (staff need two-step sign-in in production), with an argon2 password the
    servers can check (tests hash with MD5, which production does not accept)."""
    user = users["alice"]
    user.password = make_password(PASSWORD, hasher=OwaspArgon2PasswordHasher())
    user.save(update_fields=["password"])
    return user


def test_a_sign_in_on_one_server_is_valid_on_the_other(cluster, alice):
    a, b = cluster.servers
    browser = Browser()
    status, headers, _ = browser.request(b, "GET", "/")
    assert status == 302 and "/accounts/login/" in headers["Location"]

    assert browser.sign_in(a, alice.email, PASSWORD) == 302, cluster.log_tails()
    assert "sessionid" in browser.cookies

    status, _, page = browser.request(b, "GET", "/")
    assert status == 200, cluster.log_tails()
    assert "Hello, Alice" in page and "Sign out" in page
    # And back: one session, whichever server answers.
    status, _, page = browser.request(a, "GET", "/")
    assert status == 200 and "Hello, Alice" in page


def test_failed_sign_ins_count_across_both_servers(cluster, alice):
    a, b = cluster.servers
    limit = settings.LOGIN_FAILURE_LIMIT  # the servers read the same (default) setting
    browser = Browser()
    for attempt in range(limit):
        port = (a, b)[attempt % 2]
        assert browser.sign_in(port, alice.email, "not the password at all") == 200, attempt
    # One more on either server is refused, even with the right password: the count of
    # failures is in the shared Redis, not in one server (or one gunicorn worker).
    assert browser.sign_in(b, alice.email, PASSWORD) == 429
    assert browser.sign_in(a, alice.email, PASSWORD) == 429
    assert "sessionid" not in browser.cookies


def test_reminder_tasks_are_each_run_once_by_the_two_workers(cluster, users):
    now = timezone.now()
    project = Project.objects.create(title="Repairs", purpose="Fix it", owner=users["carol"])
    people = Person.objects.bulk_create(
        Person(
            first_name="Tenant",
            last_name=str(n),
            email=f"tenant{n}@example.org",
            contact_consent=True,
        )
        for n in range(REMINDERS)
    )
    meetings = Meeting.objects.bulk_create(
        Meeting(
            project=project,
            title=f"Repairs group {n}",
            channel=SessionChannel.IN_PERSON,
            starts_at=now + timedelta(days=1),
            ends_at=now + timedelta(days=1, hours=2),
            reminder_at=now - timedelta(minutes=5),
            created_by=users["fiona"],
        )
        for n in range(REMINDERS)
    )
    Invitation.objects.bulk_create(
        Invitation(meeting=meeting, person=person)
        for meeting, person in zip(meetings, people, strict=True)
    )
    started = time.monotonic()
    for meeting in meetings:
        send_session_reminders.enqueue(meeting.pk)

    pending = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"])
    # About 40 s for the 2,000 tasks on a busy two-core machine; allow for a slower one.
    deadline = time.monotonic() + 150
    while pending.exists():
        assert time.monotonic() < deadline, f"tasks still waiting:\n{cluster.log_tails()}"
        assert all(p.poll() is None for p in cluster.processes), cluster.log_tails()
        time.sleep(0.25)
    elapsed = time.monotonic() - started

    reminders = list(DBTaskResult.objects.filter(task_path=REMINDER_TASK))
    assert len(reminders) == REMINDERS
    assert {r.status for r in reminders} == {"SUCCESSFUL"}, cluster.log_tails()
    # Each task was claimed by one worker only, once...
    assert all(len(r.worker_ids) == 1 for r in reminders)
    # ...and each run found its session still to remind, so no other run had been first.
    assert {r.return_value for r in reminders} == {1}
    # Both workers took a share.
    assert {r.worker_ids[0] for r in reminders} == {"worker-a", "worker-b"}

    assert not Meeting.objects.filter(reminder_sent_at__isnull=True).exists()
    assert AuditEntry.objects.filter(action="session.reminders_sent").count() == REMINDERS
    sent = Message.objects.filter(kind="reminder")
    assert sent.count() == REMINDERS
    assert sent.values("person").distinct().count() == REMINDERS
    assert set(sent.values_list("status", flat=True)) == {Status.SENT}
    # The emails themselves went once each: one delivery task per message, claimed once.
    deliveries = list(DBTaskResult.objects.filter(task_path=DELIVERY_TASK))
    assert len(deliveries) == REMINDERS
    assert all(d.status == "SUCCESSFUL" and len(d.worker_ids) == 1 for d in deliveries)
    print(f"{REMINDERS} reminders and their {REMINDERS} emails in {elapsed:.1f}s")
