"""Benchmark: 10,000 queued texts sent by the worker's `services.deliver_due()` through the real
GOV.UK Notify client to a local server that speaks Notify's API.

The Notify-speaking server (tests/support/notify_server.py: checks every JWT, validates every
text, answers in Notify's shapes) runs in its own process, as Notify would be elsewhere, so the
time is our side's: reading each message, locking it, the HTTP request and response, saving the
result. Setup (people and queued messages, made in bulk) is not timed.
Target (issue #16): < 60 s for 10,000 texts on a 2-core machine.

    .venv/bin/python benchmarks/bench_texts.py [--texts 10000]
    BENCH_PROFILE=1 ... prints a profile of the timed part on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 60


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--texts", type=int, default=10_000)
    args = parser.parse_args()
    if not 0 < args.texts <= 100_000:
        print("--texts must be between 1 and 100000", file=sys.stderr)
        return 2
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.support.notify_server"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        notify = json.loads(server.stdout.readline())
        return run(args.texts, notify)
    finally:
        if server.stdin:
            server.stdin.close()
        server.wait(timeout=10)


def run(count: int, notify: dict[str, str]) -> int:
    tmp = tempfile.mkdtemp(prefix="coproduce-bench-texts-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.settings")
    os.environ["NOTIFY_API_KEY"] = notify["api_key"]
    os.environ["NOTIFY_BASE_URL"] = notify["base_url"]
    os.environ["NOTIFY_SMS_TEMPLATE_ID"] = notify["sms_template_id"]
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from coproduce.messaging import senders, services
    from coproduce.messaging.models import Channel, Message, Status
    from coproduce.people.models import Person

    call_command("migrate", verbosity=0)
    if Message.objects.exists():
        print("The benchmark needs an empty database (unset DATABASE_URL).", file=sys.stderr)
        return 2
    setup = time.perf_counter()
    people = Person.objects.bulk_create(
        Person(
            first_name=f"Tenant{i}",
            last_name="Bench",
            phone=f"07700 9{i:05d}",
            contact_consent=True,
        )
        for i in range(count)
    )
    body = (
        'Hello {name}, you are invited to "Repairs panel" on Tuesday 8 December, 6pm. '
        "Oak Hall, 1 Oak Street. Can you come? Reply YES, NO or MAYBE."
    )
    Message.objects.bulk_create(
        (
            Message(
                key=f"bench:{p.pk}",
                kind="invitation",
                person=p,
                channel=Channel.TEXT,
                to=f"+447700{900000 + i}",
                subject="Invitation: Repairs panel",
                body=body.format(name=p.first_name),
                context={"title": "Repairs panel"},
            )
            for i, p in enumerate(people)
        ),
        batch_size=1000,
    )
    setup_seconds = time.perf_counter() - setup

    started, cpu = time.perf_counter(), time.process_time()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profile = cProfile.Profile()
        processed = profile.runcall(services.deliver_due, now=timezone.now())
        pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
    else:
        processed = services.deliver_due(now=timezone.now())
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu

    sent = Message.objects.filter(status=Status.SENT).exclude(provider_id="")
    ids = list(sent.values_list("provider_id", flat=True))
    # Spot-check that Notify really holds what we recorded.
    client = senders._notify_client()
    checked = [client.get_notification_by_id(pk) for pk in random.Random(16).sample(ids, 5)]
    result = {
        "benchmark": "texts through Notify",
        "database": connection.vendor,
        "texts": count,
        "processed": processed,
        "sent": len(ids),
        "distinct_notify_ids": len(set(ids)),
        "spot_checked": sum(1 for n in checked if n["type"] == "sms"),
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "texts_per_second": round(count / seconds, 1),
        "setup_seconds": round(setup_seconds, 2),
        "target_seconds": TARGET_SECONDS * count / 10_000,
        "met": seconds < TARGET_SECONDS * count / 10_000 and len(set(ids)) == count,
    }
    print(json.dumps(result))
    return 0 if result["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
