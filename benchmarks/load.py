"""Benchmark: the production stack under many people at once (issue #20).

Starts the stack itself on this machine: a fresh PostgreSQL database next to DATABASE_URL
(default postgres://postgres@127.0.0.1:5432/load_bench; its name must start with "load_"),
migrated, with the demo organisation (`coproduce demo`) and a few load-test accounts; gunicorn
(3 workers, as README's production section) and one `manage.py db_worker`, with production
settings (DEBUG off, Redis cache on db 7, the proxy's X-Forwarded-Proto trusted). Then locust
(in this process, on the same machine) sends realistic journeys to 127.0.0.1 only:

- tenants sign in, read home, open a session and reply to the invitation, vote on a proposal;
- coordinators sign in, open their home and the diversity dashboard, search people, record a
  session's attendance;
- evaluators sign in and code passages of this year's health check evidence;
- three tenants to one coordinator; every simulated person waits 0.5-1.5 s between requests;
- `/healthz`, polled in the same run, is the ceiling: the stack's fastest answer under that load.

Every form is posted with the page's own CSRF token; a post counts as an error unless it is
answered with a redirect and the next page shows the success message. It prints a table and
JSON (median, p95, p99, requests/s and errors per journey step, sign-in apart), stops every
process it started (also on Ctrl+C or failure) and drops its database.

    .venv/bin/python benchmarks/load.py                      # quick: 20 users for 30 s
    .venv/bin/python benchmarks/load.py --users 200 --duration 120
    .venv/bin/python benchmarks/load.py --users 50 --spawn-rate 5   # 50 sign-ins in 10 s

Without a reachable PostgreSQL it prints {"skipped": reason} and exits 0, so `make bench` goes on.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/load_bench"
PASSWORD = "coproduce-demo"  # the demo's password (coproduce/demo/logins.py); demo data only
LOAD_DOMAIN = "load.coproduce.test"


# --------------------------------------------------------------------------------------------
# Setting up: runs in a child process with Django (`load.py --prepare FILE`), so the locust
# process never imports Django.
# --------------------------------------------------------------------------------------------


def prepare(out: Path, *, tenants: int, coordinators: int) -> None:
    """Add the load-test accounts and what their journeys act on; write them to `out` as JSON."""
    import datetime as dt

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.cache import cache
    from django.db import transaction
    from django.utils import timezone

    from coproduce.accounts.models import User
    from coproduce.accounts.roles import Role
    from coproduce.evaluation.models import EvidenceItem, HealthCheck
    from coproduce.meetings.models import Invitation, Meeting, SessionStatus
    from coproduce.people.models import Involvement, Person
    from coproduce.projects.models import Project, ProjectMember
    from coproduce.promises.models import PromiseSet, Proposal, ProposalKind

    cache.clear()  # Redis db 7 is ours: no throttle counts left from an earlier run
    password = make_password(PASSWORD)
    now = timezone.now()
    coordinator = User.objects.get(email="coordinator@demo.coproduce.test")
    check = HealthCheck.objects.order_by("-year").first()
    assert check is not None, "the demo has no health check"
    evaluator_people = list(
        Person.objects.filter(evaluations__health_check=check).select_related("user")
    )
    with transaction.atomic():
        evaluators = []
        for person in evaluator_people:
            if person.user is None:
                email = f"evaluator.{person.pk}@{LOAD_DOMAIN}"
                person.user = User.objects.create(
                    email=email, full_name=person.full_name, role=Role.TENANT, password=password
                )
                person.save(update_fields=["user"])
            evaluators.append(person.user.email)
        free = Person.objects.filter(user__isnull=True, evaluations__isnull=True).order_by(
            # the involvement pool first, then anyone
            "-involvement",
            "pk",
        )
        pool = list(free.filter(involvement=Involvement.ACTIVE)[:tenants])
        if len(pool) < tenants:
            more = free.exclude(pk__in=[p.pk for p in pool])[: tenants - len(pool)]
            pool += list(more)
        tenant_emails = []
        for person in pool:
            email = f"tenant.{person.pk}@{LOAD_DOMAIN}"
            person.user = User.objects.create(
                email=email, full_name=person.full_name, role=Role.TENANT, password=password
            )
            person.save(update_fields=["user"])
            tenant_emails.append(email)
        coordinator_emails = []
        for i in range(coordinators):
            email = f"coordinator.{i}@{LOAD_DOMAIN}"
            User.objects.create(
                email=email,
                full_name=f"Load Coordinator {i}",
                role=Role.COORDINATOR,
                password=password,
            )
            coordinator_emails.append(email)
        project = Project.objects.create(
            title="Refreshing our promises (load test)",
            purpose="Tenants reword the customer promises.",
            owner=coordinator,
        )
        today = timezone.localdate()
        ProjectMember.objects.bulk_create(
            ProjectMember(project=project, person=p, joined_on=today) for p in pool
        )
        promise_set = PromiseSet.objects.create(project=project, title="Promises, next version")
        proposals = [
            Proposal.objects.create(
                promise_set=promise_set,
                kind=ProposalKind.NEW,
                title=title,
                wording=f"We will {title.lower()}.",
                proposed_by=pool[0],
            ).pk
            for title in ("Answer the phone", "Fix repairs first time", "Keep estates clean")
        ]
        coming = Meeting.objects.create(
            project=project,
            title="Promises workshop",
            channel="in_person",
            starts_at=now + dt.timedelta(days=10),
            ends_at=now + dt.timedelta(days=10, hours=2),
            location_notes="Community centre",
            created_by=coordinator,
        )
        Invitation.objects.bulk_create(Invitation(meeting=coming, person=p) for p in pool)
        registers = []
        for i in range(coordinators):
            held = Meeting.objects.create(
                project=project,
                title=f"Promises walkabout {i}",
                channel="in_person",
                starts_at=now - dt.timedelta(days=2, hours=i),
                ends_at=now - dt.timedelta(days=2, hours=i - 1),
                location_notes="Riverside estate",
                status=SessionStatus.PLANNED,
                created_by=coordinator,
            )
            invited = random.Random(i).sample(pool, min(12, len(pool)))
            Invitation.objects.bulk_create(Invitation(meeting=held, person=p) for p in invited)
            registers.append(held.pk)
    items = list(
        EvidenceItem.objects.filter(health_check=check).order_by("pk").values_list("pk", flat=True)
    )
    surnames = sorted(set(Person.objects.values_list("last_name", flat=True)[:2000]))
    fixture = {
        "tenants": tenant_emails,
        "coordinators": coordinator_emails,
        "evaluators": evaluators,
        "meeting": coming.pk,
        "proposals": proposals,
        "registers": registers,
        "check": check.pk,
        "items": items[:300],
        "surnames": surnames[:200],
    }
    out.write_text(json.dumps(fixture))


# --------------------------------------------------------------------------------------------
# The journeys (locust). Imported only in the run, since importing locust patches the standard
# library for gevent.
# --------------------------------------------------------------------------------------------


class FormReader(HTMLParser):
    """Every form on a page: its action and the values a browser would send unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = {
                "action": a.get("action", ""),
                "method": a.get("method", "get").lower(),
                "fields": [],
                "options": {},
            }
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                form["options"].setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    form["fields"].append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "file"):
                form["fields"].append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select, self._select_first = name, None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            form["options"].setdefault(self._select, []).append(value)
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                form["fields"].append((self._select, value))
                self._select_first = "chosen"
        elif tag == "textarea" and name:
            self._textarea = name
            form["fields"].append((name, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select" and self._form is not None and self._select:
            if self._select_first not in (None, "chosen"):
                self._form["fields"].append((self._select, self._select_first))
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_on(html: str) -> list[dict[str, Any]]:
    reader = FormReader()
    reader.feed(html)
    return reader.forms


def form_with(html: str, action_part: str) -> dict[str, Any] | None:
    """The page's POST form whose action has `action_part` in it."""
    return next(
        (f for f in forms_on(html) if f["method"] == "post" and action_part in f["action"]), None
    )


ERROR_MESSAGE = re.compile(
    r'class="[^"]*(?:error-summary__list|error-message|notification-banner__heading)[^"]*">'
    r"((?:.|\n){0,400})"
)
TAG = re.compile(r"<[^>]*>")
SIGN_IN = "sign in"
HEALTHZ = "/healthz (ceiling)"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def run_locust(args: argparse.Namespace, base: str, fixture: dict[str, Any]) -> dict[str, Any]:
    import gevent
    from locust import FastHttpUser, between, constant, events, task
    from locust.env import Environment

    origin = "https://" + urlsplit(base).netloc
    # The stack runs as behind a TLS proxy (SECURE_PROXY_SSL_HEADER): the proxy's header says
    # HTTPS, and the browser sends its Secure cookies and the page it came from.
    proxy = {"X-Forwarded-Proto": "https"}

    accounts: dict[str, list[str]] = {
        "tenant": list(fixture["tenants"]),
        "coordinator": list(fixture["coordinators"]),
        "evaluator": list(fixture["evaluators"]),
    }
    handed: dict[str, int] = {k: 0 for k in accounts}

    def next_account(kind: str) -> str:
        emails = accounts[kind]
        email = emails[handed[kind] % len(emails)]
        handed[kind] += 1
        return email

    def why(response: Any) -> str:
        """What went wrong, in a few words: the connection error, or the page's error message."""
        if not response.status_code:
            return f"no answer: {response.error!r}"[:200]
        found = ERROR_MESSAGE.search(response.text or "")
        said = re.sub(r"\s+", " ", TAG.sub(" ", found.group(1))).strip()[:120] if found else ""
        return f"HTTP {response.status_code}" + (f" ({said})" if said else "")

    def missing(user: Any, name: str, what: str, method: str = "GET") -> None:
        """Count a page without the form the journey needs (or a post without its success
        message) as an error of its own step."""
        events.request.fire(
            request_type=method,
            name=name,
            response_time=0,
            response_length=0,
            exception=AssertionError(what),
            context={},
        )

    class Person(FastHttpUser):
        """One person with a browser. locust's FastHttpUser (geventhttpclient) costs the
        machine about a third of the CPU of its requests-based HttpUser, and locust shares the
        2 cores with the stack it measures."""

        abstract = True
        kind = ""
        wait_time = between(0.5, 1.5)
        default_headers = proxy

        def on_start(self) -> None:
            self.email = next_account(self.kind)
            self.sign_in()

        def browser_cookies(self) -> None:
            """Cookies are Secure (DEBUG off); the browser is behind the TLS proxy, so it sends
            them back to this plain-HTTP address (a cookie jar would not)."""
            for cookie in self.client.cookiejar:
                cookie.secure = False

        def get(self, path: str, name: str, expect: str = "") -> str:
            with self.client.get(
                path, name=name, allow_redirects=False, catch_response=True
            ) as response:
                self.browser_cookies()
                if response.status_code != 200:
                    response.failure(why(response))
                elif expect and expect not in response.text:
                    response.failure(f"no {expect!r} on the page")
                return response.text

        def post(self, path: str, data: Any, name: str, success: str, page: str) -> bool:
            """A real form post: a redirect, then the next page shows the success message."""
            headers = {
                "Origin": origin,
                "Referer": origin + page,
                "Content-Type": "application/x-www-form-urlencoded",
            }
            with self.client.post(
                path,
                data=urlencode(data, doseq=True),
                name=name,
                headers=headers,
                allow_redirects=False,
                catch_response=True,
            ) as response:
                self.browser_cookies()
                if response.status_code != 302:
                    response.failure(why(response) + ", not a redirect")
                    return False
                location = response.headers.get("Location", "")
            text = self.get(location, name=name + " (the page after)")
            if success not in text:
                # the post itself is the error: count it against the post's own step
                missing(self, name + " (success message)", f"no {success!r} after it", "POST")
                return False
            return True

        def sign_in(self) -> None:
            page = self.get("/accounts/login/", name="sign-in page")
            token = CSRF.search(page)
            data = {
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "username": self.email,
                "password": PASSWORD,
            }
            headers = {
                "Origin": origin,
                "Referer": origin + "/accounts/login/",
                "Content-Type": "application/x-www-form-urlencoded",
            }
            with self.client.post(
                "/accounts/login/",
                data=urlencode(data),
                name=SIGN_IN,
                headers=headers,
                allow_redirects=False,
                catch_response=True,
            ) as response:
                self.browser_cookies()
                if response.status_code != 302:
                    response.failure(why(response) + ": not signed in")

    class Tenant(Person):
        kind = "tenant"
        weight = 6

        @task(3)
        def read_home(self) -> None:
            self.get("/", name="tenant: home")

        @task(1)
        def reply_to_invitation(self) -> None:
            page_path = f"/sessions/{fixture['meeting']}/"
            page = self.get(page_path, name="tenant: session page")
            form = form_with(page, "/reply/")
            if form is None:
                missing(self, "tenant: session page (reply form)", "no reply form")
                return
            data = dict(form["fields"])
            data["rsvp"] = random.choice(["yes", "maybe", "no"])
            self.post(form["action"], data, "tenant: reply (RSVP)", "We have your reply", page_path)

        @task(1)
        def vote(self) -> None:
            pk = random.choice(fixture["proposals"])
            page_path = f"/promises/proposals/{pk}/"
            page = self.get(page_path, name="tenant: proposal page")
            form = form_with(page, "/vote/")
            if form is None:
                missing(self, "tenant: proposal page (vote form)", "no vote form")
                return
            data = dict(form["fields"])
            data["vote-choice"] = random.choice(["for", "against", "abstain"])
            self.post(form["action"], data, "tenant: vote", "Your vote has been counted", page_path)

    class Coordinator(Person):
        kind = "coordinator"
        weight = 2

        @task(2)
        def dashboard(self) -> None:
            self.get("/", name="coordinator: home")

        @task(1)
        def diversity(self) -> None:
            self.get("/diversity/", name="coordinator: diversity dashboard")

        @task(2)
        def search(self) -> None:
            q = random.choice(fixture["surnames"])
            self.get(f"/people/?q={q}", name="coordinator: search people")

        @task(1)
        def record_attendance(self) -> None:
            pk = random.choice(fixture["registers"])
            page_path = f"/sessions/{pk}/register/"
            page = self.get(page_path, name="coordinator: register page")
            form = next(
                (
                    f
                    for f in forms_on(page)
                    if f["method"] == "post" and "form-TOTAL_FORMS" in dict(f["fields"])
                ),
                None,
            )
            if form is None:
                missing(self, "coordinator: register page (register form)", "no register form")
                return
            data = list(form["fields"])
            took = [n for n in form["options"] if n.endswith("-took_part")]
            data = [(n, v) for n, v in data if not n.endswith("-took_part")]
            data += [(n, "on") for n in took if random.random() < 0.7]
            self.post(
                form["action"] or page_path,
                data,
                "coordinator: record attendance",
                "Register saved",
                page_path,
            )

    class Evaluator(Person):
        kind = "evaluator"
        weight = 1

        @task(1)
        def evidence_list(self) -> None:
            self.get(f"/health-checks/{fixture['check']}/evidence/", name="evaluator: evidence")

        @task(3)
        def code_passage(self) -> None:
            item = random.choice(fixture["items"])
            page_path = f"/health-checks/{fixture['check']}/evidence/{item}/"
            page = self.get(page_path, name="evaluator: evidence item")
            form = form_with(page, f"/evidence/{item}/")
            if form is None:
                form = next(
                    (
                        f
                        for f in forms_on(page)
                        if f["method"] == "post" and "promise" in f["options"]
                    ),
                    None,
                )
            if form is None or not [v for v in form["options"].get("promise", []) if v]:
                missing(self, "evaluator: evidence item (coding form)", "no coding form")
                return
            data = dict(form["fields"])
            data["promise"] = random.choice([v for v in form["options"]["promise"] if v])
            self.post(
                form["action"] or page_path,
                data,
                "evaluator: code a passage",
                "Your coding is saved",
                page_path,
            )

    class Healthz(FastHttpUser):
        """The ceiling: the same stack's answer when there is nothing to do."""

        fixed_count = 1
        wait_time = constant(0.2)

        @task
        def healthz(self) -> None:
            self.client.get("/healthz", name=HEALTHZ)

    env = Environment(
        user_classes=[Tenant, Coordinator, Evaluator, Healthz], events=events, host=base
    )
    runner = env.create_local_runner()
    started = time.time()
    runner.start(args.users + 1, spawn_rate=args.spawn_rate)
    gevent.spawn_later(args.duration, runner.quit)
    runner.greenlet.join()
    elapsed = time.time() - started
    return _stats(env, elapsed)


def _figures(entry: Any, elapsed: float) -> dict[str, Any]:
    return {
        "requests": entry.num_requests,
        "errors": entry.num_failures,
        "median_ms": round(entry.median_response_time) if entry.num_requests else None,
        "p95_ms": entry.get_response_time_percentile(0.95) if entry.num_requests else None,
        "p99_ms": entry.get_response_time_percentile(0.99) if entry.num_requests else None,
        "rps": round(entry.num_requests / elapsed, 2),
    }


def _stats(env: Any, elapsed: float) -> dict[str, Any]:
    rows = []
    for (name, method), entry in sorted(env.stats.entries.items()):
        if entry.num_requests == 0 and entry.num_failures == 0:
            continue
        rows.append(
            {
                "step": name,
                "method": method,
                "requests": entry.num_requests,
                "errors": entry.num_failures,
                "median_ms": round(entry.median_response_time) if entry.num_requests else None,
                "p95_ms": entry.get_response_time_percentile(0.95) if entry.num_requests else None,
                "p99_ms": entry.get_response_time_percentile(0.99) if entry.num_requests else None,
                "rps": round(entry.num_requests / elapsed, 2),
            }
        )
    total = env.stats.total
    # Every page a person waits for, apart from signing in (its own target) and /healthz.
    from locust.stats import StatsEntry

    pages = StatsEntry(env.stats, "pages", "")
    for (name, _), entry in env.stats.entries.items():
        if name not in (SIGN_IN, HEALTHZ):
            pages.extend(entry)
    sign_in = env.stats.entries.get((SIGN_IN, "POST"))
    summary = {
        "pages": _figures(pages, elapsed),
        "sign_in": _figures(sign_in, elapsed) if sign_in else None,
    }
    summary["targets_met"] = {
        "zero_errors": total.num_failures == 0,
        "page_p95_under_500_ms": (summary["pages"]["p95_ms"] or 0) < 500,
        "sign_in_p95_under_2_s": bool(sign_in) and (summary["sign_in"]["p95_ms"] or 0) < 2000,
    }
    errors = [
        {"step": e.name, "method": e.method, "error": str(e.error), "count": e.occurrences}
        for e in env.stats.errors.values()
    ]
    return {
        "rows": rows,
        "total": {
            "requests": total.num_requests,
            "errors": total.num_failures,
            "median_ms": round(total.median_response_time),
            "p95_ms": total.get_response_time_percentile(0.95),
            "p99_ms": total.get_response_time_percentile(0.99),
            "rps": round(total.num_requests / elapsed, 2),
        },
        "errors": errors,
        **summary,
        "seconds": round(elapsed, 1),
    }


# --------------------------------------------------------------------------------------------
# The stack: database, gunicorn, task worker.
# --------------------------------------------------------------------------------------------


def _admin(url: str, sql: str) -> None:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(
        urlunsplit(parts._replace(path="/postgres")), autocommit=True, connect_timeout=3
    ) as c:
        c.execute(sql)


def _wait_for(url: str, seconds: float, procs: list[subprocess.Popen[bytes]]) -> None:
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for p in procs:
            if p.poll() is not None:
                raise RuntimeError(f"{p.args!r} exited with {p.returncode} before it answered")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def _stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for p in procs:
        if p.poll() is None:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + 15
    for p in procs:
        try:
            p.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()


def _cpu_seconds(procs: list[subprocess.Popen[bytes]]) -> dict[str, float]:
    """CPU time used so far by the web server (all its workers), the task worker, locust,
    PostgreSQL, and the whole machine."""
    import psutil

    def tree(pid: int) -> float:
        try:
            root = psutil.Process(pid)
            family = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return 0.0
        total = 0.0
        for p in family:
            try:
                t = p.cpu_times()
                total += t.user + t.system
            except psutil.NoSuchProcess:
                pass
        return total

    def postgres() -> float:
        # PostgreSQL's server processes on this machine (a backend that ended during the run
        # is missed, so this is a floor)
        total = 0.0
        for p in psutil.process_iter(["name"]):
            if p.info["name"] in ("postgres", "postmaster"):
                try:
                    t = p.cpu_times()
                    total += t.user + t.system
                except psutil.NoSuchProcess:
                    pass
        return total

    me = psutil.Process().cpu_times()
    machine = psutil.cpu_times()
    return {
        "gunicorn": tree(procs[0].pid),
        "task_worker": tree(procs[1].pid),
        "locust": me.user + me.system,
        "postgres": postgres(),
        # every core's busy time, whoever used it: the rest is other jobs on the machine
        "machine": machine.user + machine.nice + machine.system + machine.irq + machine.softirq,
    }


def _table(result: dict[str, Any]) -> str:
    lines = [
        "| step | requests | errors | median ms | p95 ms | p99 ms | req/s |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in result["rows"]:
        lines.append(
            f"| {row['method']} {row['step']} | {row['requests']} | {row['errors']} | "
            f"{row['median_ms']} | {row['p95_ms']} | {row['p99_ms']} | {row['rps']} |"
        )
    for label, key in (("all pages (not sign-in, not /healthz)", "pages"), ("sign in", "sign_in")):
        f = result.get(key)
        if f:
            lines.append(
                f"| **{label}** | {f['requests']} | {f['errors']} | {f['median_ms']} | "
                f"{f['p95_ms']} | {f['p99_ms']} | {f['rps']} |"
            )
    t = result["total"]
    lines.append(
        f"| **all** | {t['requests']} | {t['errors']} | {t['median_ms']} | {t['p95_ms']} | "
        f"{t['p99_ms']} | {t['rps']} |"
    )
    lines.append(f"targets met: {result['targets_met']}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=20, help="simulated people (default 20)")
    parser.add_argument(
        "--spawn-rate", type=float, default=5, help="people arriving per second (default 5)"
    )
    parser.add_argument("--duration", type=float, default=30, help="seconds of load (default 30)")
    parser.add_argument("--port", type=int, default=18231)
    # gunicorn reads the project's gunicorn.conf.py; these override it (e.g. the single-threaded
    # baseline of docs/benchmarks.md: --threads 1 --worker-class sync --keep-alive 2).
    parser.add_argument("--workers", type=int, help="gunicorn workers (gunicorn.conf.py: 3)")
    parser.add_argument("--threads", type=int, help="threads per worker (gunicorn.conf.py: 4)")
    parser.add_argument("--worker-class", help="gunicorn worker class (gunicorn.conf.py: gthread)")
    parser.add_argument("--keep-alive", type=int, help="seconds (gunicorn.conf.py: 75)")
    parser.add_argument(
        "--worker-nice", type=int, default=10, help="nice level of the task worker (default 10)"
    )
    parser.add_argument("--homes", type=int, default=6000, help="demo size (default 6000)")
    parser.add_argument("--json", type=Path, help="also write the result here")
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--tenants", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--coordinators", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare(args.prepare, tenants=args.tenants, coordinators=args.coordinators)
        return 0

    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith(("postgres://", "postgresql://")):
        base_url = DEFAULT_URL
    name = urlsplit(base_url).path.lstrip("/")
    if not name.startswith("load_"):
        name = "load_bench"
    url = urlunsplit(urlsplit(base_url)._replace(path=f"/{name}"))
    try:
        _admin(url, f"DROP DATABASE IF EXISTS {name}")
        _admin(url, f"CREATE DATABASE {name}")
    except Exception as exc:  # no PostgreSQL here: skip, as the other benchmarks do
        reason = f"needs PostgreSQL at {urlsplit(url).netloc}: {exc.__class__.__name__}"
        print(json.dumps({"benchmark": "load", "skipped": reason}))
        return 0

    tmp = Path(tempfile.mkdtemp(prefix="coproduce-load-"))
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "SECRET_KEY": "load-benchmark-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "REDIS_URL": "redis://127.0.0.1:6379/7",
        "SECURE_PROXY_SSL_HEADER": "true",
        "DB_CONN_MAX_AGE": os.environ.get("DB_CONN_MAX_AGE", "60"),
        # Staff would complete the second step once; the load is about what comes after.
        "STAFF_TWO_STEP_REQUIRED": "false",
        "MEDIA_ROOT": str(tmp / "media"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    procs: list[subprocess.Popen[bytes]] = []

    def interrupted(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    setup: dict[str, float] = {}
    try:
        t = time.perf_counter()
        manage = [PYTHON, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
        subprocess.run(
            [PYTHON, "-m", "coproduce", "demo", "--homes", str(args.homes)],
            env=env,
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        fixture_file = tmp / "fixture.json"
        subprocess.run(
            [
                PYTHON,
                __file__,
                "--prepare",
                str(fixture_file),
                "--tenants",
                str(max(3, args.users)),
                "--coordinators",
                str(max(1, args.users // 4)),
            ],
            env=env,
            check=True,
            cwd=ROOT,
        )
        fixture = json.loads(fixture_file.read_text())
        setup["setup_seconds"] = round(time.perf_counter() - t, 1)
        log = (tmp / "server.log").open("wb")
        bind = f"127.0.0.1:{args.port}"
        gunicorn = [
            str(Path(PYTHON).parent / "gunicorn"),
            "coproduce.wsgi",
            "--config",
            str(ROOT / "gunicorn.conf.py"),
            "--bind",
            bind,
        ]
        for flag, value in (
            ("--workers", args.workers),
            ("--threads", args.threads),
            ("--worker-class", args.worker_class),
            ("--keep-alive", args.keep_alive),
        ):
            if value is not None:
                gunicorn += [flag, str(value)]
        # The task worker shares the 2 cores with the web server: under `nice`, page requests come
        # first and background work (retraining after codings, dashboard refreshes) takes the rest.
        worker = [*manage, "db_worker"]
        if args.worker_nice:
            worker = ["nice", "-n", str(args.worker_nice), *worker]
        for command in (gunicorn, worker):
            procs.append(
                subprocess.Popen(
                    command,
                    env=env,
                    cwd=ROOT,
                    stdout=log,
                    stderr=log,
                    # Its own process group (to stop it and its children) but this session:
                    # with the kernel's autogroup scheduling (Linux's default on desktops and
                    # here), every session shares the CPU equally whatever the nice values, so
                    # a task worker in a session of its own took half a core from the pages.
                    # `coproduce serve` runs both in one session too.
                    process_group=0,
                )
            )
        base = f"http://{bind}"
        _wait_for(base + "/healthz", 60, procs)
        load_before = os.getloadavg()
        cpu_before = _cpu_seconds(procs)
        result = run_locust(args, base, fixture)
        cpu_after = _cpu_seconds(procs)
        result["cpu_seconds"] = {k: round(cpu_after[k] - cpu_before[k], 1) for k in cpu_before}
        result["load_average_before"] = [round(x, 2) for x in load_before]
        result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
        result.update(
            {
                "benchmark": "load",
                "users": args.users,
                "spawn_rate": args.spawn_rate,
                "duration": args.duration,
                "gunicorn": " ".join(gunicorn[1:]),
                "task_worker": " ".join(worker[:3]) if args.worker_nice else "db_worker",
                "cpus": os.cpu_count(),
                **setup,
            }
        )
        for p in procs:
            if p.poll() is not None:
                raise RuntimeError(f"{p.args!r} died during the run (see {tmp}/server.log)")
        print(_table(result), file=sys.stderr)
        print(
            f"load average before {result['load_average_before']}, after "
            f"{result['load_average_after']}; CPU seconds used {result['cpu_seconds']} "
            f"in {result['seconds']} s on {os.cpu_count()} cores",
            file=sys.stderr,
        )
        print(json.dumps(result, indent=2))
        if args.json:
            args.json.write_text(json.dumps(result, indent=2))
        shutil.rmtree(tmp, ignore_errors=True)  # kept after a failure: server.log says why
        return 0
    except KeyboardInterrupt:
        print("interrupted: stopping the stack", file=sys.stderr)
        return 130
    finally:
        _stop(procs)
        try:
            _admin(url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        except Exception as exc:
            print(f"could not drop {name}: {exc}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
