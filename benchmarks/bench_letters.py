"""Benchmark: 10,000 letters rendered into one PDF pack (target < 120 s, < 1 GB peak memory).

On a fresh SQLite database (or DATABASE_URL: use a scratch database), makes 10,000 people who
asked for post (one in ten in large print, addresses of two to six lines), a quick question with
four answers to choose from, and one letter each with its reply slip, through the real templates
(`messaging.services.render`), waiting to print. Then times `letters.letter_pack` writing them
all into one PDF, reading the letters from the database a chunk at a time.

Peak memory is the largest resident set of the process that makes the pack (getrusage
RUSAGE_SELF), measured in a fresh process that does nothing else.

    .venv/bin/python benchmarks/bench_letters.py [--letters 10000] [--full] [--out FILE]

`--full` lays every letter out in full with WeasyPrint instead of stamping each person's lines
on a shape laid out once (see coproduce/messaging/stamp.py): the slow way, for comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 120
TARGET_MB = 1024

FIRST = "Amira Ben Chloe Dev Ella Femi Grace Hassan Isla Jack Kai Leah Mo Nia Olu Priya".split()
LAST = "Smith Jones Patel Khan Brown Taylor Wilson Evans Okafor Nowak Murphy Ali Chen".split()
STREETS = ["Oak Street", "Mill Lane", "Riverside Court", "Hillcrest Road", "Station Approach"]
TOWNS = ["Northfield", "Southgate", "Meadowbank", "Old Town"]


def setup_django(database: str) -> None:
    os.environ.setdefault("DATABASE_URL", database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build(letters: int) -> None:
    """People, a quick question and one letter each, waiting to print."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from coproduce.accounts.models import User
    from coproduce.diversity.models import QuickQuestion, QuickQuestionRecipient
    from coproduce.diversity.services import quick_question_context
    from coproduce.messaging import references, services
    from coproduce.messaging.models import Message, Status
    from coproduce.people.models import Person
    from coproduce.projects.models import Project

    rng = random.Random(11)
    user = User.objects.create_user("bench@example.org", "x", full_name="Bench", role="coordinator")
    project = Project.objects.create(title="Bins", purpose="Better bin collections", owner=user)
    question = QuickQuestion.objects.create(
        project=project,
        title="Bin collections",
        question_1="Are your bins collected on the right day?",
        choices=["Yes, always", "Most weeks", "No, often late", "Not sure"],
        sample_size=letters,
        created_by=user,
    )
    people = []
    for n in range(letters):
        town = rng.choice(TOWNS)
        parts = [f"{rng.randint(1, 200)} {rng.choice(STREETS)}", town]
        if n % 3 == 0:
            parts.insert(0, f"Flat {rng.randint(1, 40)}")
        if n % 7 == 0:
            parts.append("West Yorkshire")
        people.append(
            Person(
                first_name=rng.choice(FIRST),
                last_name=rng.choice(LAST),
                address=", ".join(parts),
                postcode=f"NF{rng.randint(1, 9)} {rng.randint(1, 9)}{rng.choice('ABDEFG')}Q",
                contact_consent=True,
                external_ref=f"BL-{n:06d}",
            )
        )
    Person.objects.bulk_create(people, batch_size=2000)
    people = list(Person.objects.filter(external_ref__startswith="BL-").order_by("pk"))
    QuickQuestionRecipient.objects.bulk_create(
        [QuickQuestionRecipient(question=question, person=p, channel="post") for p in people],
        batch_size=2000,
    )
    rows = []
    recipients = question.recipients.select_related("person", "question").order_by("pk")
    for recipient in recipients.iterator(chunk_size=2000):
        person = recipient.person
        context = quick_question_context(recipient)
        message = Message(
            key=f"quick_question:{recipient.pk}",
            kind="quick_question",
            person=person,
            channel="letter",
            status=Status.TO_PRINT,
            about=f"diversity.quickquestionrecipient:{recipient.pk}",
            to="\n".join(
                [
                    f"{person.first_name} {person.last_name}",
                    *person.address.split(", "),
                    person.postcode,
                ]
            ),
            large_print=recipient.pk % 10 == 0,
            reference=references.new_reference(),
            context=context,
        )
        options = [
            {"number": n, "code": str(n), "label": label}
            for n, label in enumerate(context["choices"], start=1)
        ]
        message.subject, message.body = services.render(
            "quick_question",
            "letter",
            "en",
            {**context, "first_name": person.first_name, "options": options},
        )
        rows.append(message)
        if len(rows) >= 2000:
            Message.objects.bulk_create(rows)
            rows = []
    Message.objects.bulk_create(rows)


def run(full: bool, out: str) -> dict[str, object]:
    from coproduce.messaging import letters, selectors

    waiting = selectors.letters_waiting().order_by("pk")
    started = time.perf_counter()
    pack = letters.letter_pack(waiting.iterator(chunk_size=1000), out, stamp=not full)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "letters": pack.letters,
        "pages": pack.pages,
        "stamped": not full,
        "seconds": round(seconds, 1),
        "letters_per_second": round(pack.letters / seconds, 1),
        "pdf_mb": round(os.path.getsize(out) / 1024 / 1024, 1),
        "peak_rss_mb": round(peak),
        "target_seconds": TARGET_SECONDS,
        "target_mb": TARGET_MB,
        "meets_targets": seconds < TARGET_SECONDS and peak < TARGET_MB,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=10_000)
    parser.add_argument("--full", action="store_true", help="lay every letter out in full")
    parser.add_argument("--out", default="")
    parser.add_argument("--database", default="", help=argparse.SUPPRESS)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:  # the child: only the pack, so its peak memory is the pack's own
        setup_django(args.database)
        print(json.dumps(run(args.full, args.out)))
        return 0
    tmp = tempfile.mkdtemp(prefix="coproduce-bench-letters-")
    database = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3"
    out = args.out or str(Path(tmp) / "letters.pdf")
    setup_django(database)
    started = time.perf_counter()
    build(args.letters)
    build_seconds = round(time.perf_counter() - started, 1)
    child = subprocess.run(  # noqa: S603 (our own script, our own arguments)
        [
            sys.executable,
            __file__,
            "--measure",
            "--database",
            database,
            *(["--full"] if args.full else []),
            "--out",
            out,
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "DATABASE_URL": database},
    )
    if child.returncode != 0:
        sys.stderr.write(child.stderr)
        return child.returncode
    result = {"set_up_seconds": build_seconds, **json.loads(child.stdout.strip().splitlines()[-1])}
    result["pdf"] = out
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
