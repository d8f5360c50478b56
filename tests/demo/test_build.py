"""`coproduce demo`: Riverside Homes, deterministic, idempotent, one login in every role."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import statistics

import pytest
from django.contrib.auth import authenticate

from coproduce.accounts.models import User
from coproduce.accounts.roles import Role
from coproduce.demo.build import demo_build
from coproduce.demo.command import cli_main
from coproduce.demo.logins import DEMO_LOGINS, DEMO_PASSWORD
from coproduce.demo.people import demo_people
from coproduce.demo.riverside import DEMO_EMAIL_DOMAIN, REFERENCE_DATE
from coproduce.people.models import (
    Area,
    DigitalAccess,
    Interest,
    InterestStatus,
    Involvement,
    Person,
    Tenure,
)

HOMES = 300
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9]{1,2}[A-Z]? [0-9][ABD-HJLNP-UW-Z]{2}$")


def build(homes: int = HOMES, seed: int = 2026) -> dict:
    return demo_build(homes=homes, seed=seed, stdout=io.StringIO())


def age(person: Person) -> int:
    born = person.date_of_birth
    return (
        REFERENCE_DATE.year
        - born.year
        - ((REFERENCE_DATE.month, REFERENCE_DATE.day) < (born.month, born.day))
    )


def people_digest() -> str:
    rows = Person.objects.order_by("external_ref").values_list(
        "external_ref",
        "first_name",
        "last_name",
        "date_of_birth",
        "area__name",
        "scheme",
        "tenure",
        "postcode",
        "email",
        "preferred_channels",
        "digital_access",
        "involvement",
        "involved_since",
        "contact_consent_at",
    )
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def wipe_demo() -> None:
    # The demo now reaches into every app (projects, sessions, promises, rewards...), so
    # empty the whole test database rather than chase each protected link.
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def demo(db) -> dict:
    return build()


def test_it_builds_one_person_per_home(demo):
    assert Person.objects.count() == HOMES
    refs = set(Person.objects.values_list("external_ref", flat=True))
    assert refs == {f"RH-{i:06d}" for i in range(1, HOMES + 1)}
    assert 8 <= Area.objects.count() <= 12
    assert demo["people"] == HOMES and demo["people_created"] == HOMES


def test_every_role_has_a_login_that_can_authenticate(demo):
    for role in Role:
        users = User.objects.filter(role=role, email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
        assert users.exists(), role
        for user in users:
            assert authenticate(username=user.email, password=DEMO_PASSWORD) == user
    assert User.objects.filter(role=Role.TENANT).count() in (2, 3)


def test_tenant_logins_belong_to_people_in_the_involvement_pool(demo):
    old_hand = Person.objects.get(user__email=f"tenant@{DEMO_EMAIL_DOMAIN}")
    newcomer = Person.objects.get(user__email=f"new.tenant@{DEMO_EMAIL_DOMAIN}")
    for person in (old_hand, newcomer):
        assert person.involvement == Involvement.ACTIVE
        assert person.user.full_name == person.full_name
    assert dt.date(2012, 1, 1) <= old_hand.involved_since < dt.date(2017, 1, 1)
    assert age(newcomer) < 30
    assert newcomer.involved_since >= REFERENCE_DATE - dt.timedelta(days=730)


def test_the_involvement_pool_has_a_long_standing_core_and_new_voices(demo):
    pool = Person.objects.filter(involvement=Involvement.ACTIVE)
    assert 50 <= pool.count() <= 80  # about one home in twenty, at least 60
    core = list(pool.filter(involved_since__lt=dt.date(2017, 1, 1)))
    assert 15 <= len(core) <= 30
    assert all(person.involved_since >= dt.date(2012, 1, 1) for person in core)
    new = list(pool.filter(involved_since__gte=REFERENCE_DATE - dt.timedelta(days=730)))
    assert len(new) >= 10
    # The "same old people" are older than the newer voices.
    assert statistics.mean(map(age, core)) > statistics.mean(map(age, new)) + 10
    assert all(person.involved_since for person in pool)


def test_the_people_look_like_a_housing_association(demo):
    people = list(Person.objects.all())
    tenures = {person.tenure for person in people}
    assert {Tenure.GENERAL_NEEDS, Tenure.SHELTERED, Tenure.SHARED_OWNERSHIP} <= tenures
    assert sum(p.tenure == Tenure.GENERAL_NEEDS for p in people) > HOMES / 2
    assert all(18 <= age(p) <= 95 for p in people)
    sheltered = [age(p) for p in people if p.tenure == Tenure.SHELTERED]
    assert statistics.mean(sheltered) > statistics.mean(age(p) for p in people) + 10
    offline = [
        p for p in people if p.digital_access in (DigitalAccess.NONE, DigitalAccess.NEEDS_SUPPORT)
    ]
    assert len(offline) > HOMES * 0.1
    assert all(POSTCODE.match(p.postcode) for p in people)
    assert all(p.area_id and p.scheme for p in people)
    assert 0.2 < sum(p.contact_consent for p in people) / HOMES < 0.8
    assert all(p.contact_consent_at.tzinfo is not None for p in people if p.contact_consent)
    assert len({p.last_name for p in people}) > 60


def test_it_leaves_get_involved_sign_ups_waiting(demo):
    assert Interest.objects.filter(status=InterestStatus.NEW).count() >= 3


def test_a_second_run_adds_nothing(demo):
    before = (
        Person.objects.count(),
        User.objects.count(),
        Interest.objects.count(),
        Area.objects.count(),
        people_digest(),
    )
    again = build()
    after = (
        Person.objects.count(),
        User.objects.count(),
        Interest.objects.count(),
        Area.objects.count(),
        people_digest(),
    )
    assert after == before
    assert again["people_created"] == again["logins_created"] == again["sign_ups_created"] == 0


def test_the_same_seed_gives_the_same_people(transactional_db):
    build(seed=11)
    first = people_digest()
    wipe_demo()
    build(seed=11)
    assert people_digest() == first
    wipe_demo()
    build(seed=12)
    assert people_digest() != first


def test_the_people_do_not_depend_on_the_database():
    first = list(demo_people(homes=50, seed=5))
    assert first == list(demo_people(homes=50, seed=5))
    assert first != list(demo_people(homes=50, seed=6))


def test_it_prints_a_summary_and_the_logins(db):
    out = io.StringIO()
    demo_build(homes=120, seed=1, stdout=out)
    text = out.getvalue()
    assert "Riverside Homes" in text
    for login in DEMO_LOGINS:
        assert login.email in text
    assert DEMO_PASSWORD in text


def test_print_logins_only_prints(db, capsys):
    assert cli_main(["--print-logins"]) == 0
    out = capsys.readouterr().out
    assert all(login.email in out for login in DEMO_LOGINS)
    assert not Person.objects.exists() and not User.objects.exists()


def test_if_empty_builds_once_then_does_nothing(db, capsys):
    assert cli_main(["--if-empty", "--homes", "80", "--seed", "3"]) == 0
    assert Person.objects.count() == 80
    capsys.readouterr()
    assert cli_main(["--if-empty", "--homes", "200"]) == 0
    assert Person.objects.count() == 80
    assert "nothing to do" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [
        ["--homes", "0"],
        ["--homes", "-5"],
        ["--homes", "lots"],
        ["--homes", "2.5"],
        ["--homes", "99999999"],
        ["--seed", "x"],
        ["--frobnicate"],
        ["extra"],
    ],
)
def test_bad_input_exits_2_with_one_line(db, capsys, argv):
    assert cli_main(argv) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and captured.err.startswith("coproduce demo:")
    assert "Traceback" not in captured.err and captured.out == ""
    assert not Person.objects.exists()


def test_help_exits_0(capsys):
    assert cli_main(["--help"]) == 0
    assert "--homes" in capsys.readouterr().out
