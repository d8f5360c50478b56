"""Shared fixtures: one persona per role, so permission tests read like sentences.

alice is a tenant with a person record; bob is another tenant; carol coordinates
involvement; fiona facilitates; adam is admin support; frank is finance; dora is the
data-protection lead; brenda sits on the board; colin is a colleague in another team;
sam is the system admin.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.core.cache import cache

from coproduce.accounts.models import User
from coproduce.accounts.roles import Role
from coproduce.people.models import Area, Person

PASSWORD = "correct horse battery staple"

PERSONAS = {
    "alice": Role.TENANT,
    "bob": Role.TENANT,
    "carol": Role.COORDINATOR,
    "fiona": Role.FACILITATOR,
    "adam": Role.ADMIN_SUPPORT,
    "frank": Role.FINANCE,
    "dora": Role.DATA_PROTECTION,
    "brenda": Role.BOARD,
    "colin": Role.COLLEAGUE,
    "sam": Role.SYSADMIN,
}


def make_user(name: str, role: str) -> User:
    return User.objects.create_user(
        f"{name}@example.org", PASSWORD, full_name=f"{name.title()} Example", role=role
    )


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _remap_at_once(settings):
    """Retrain a promise mapping as soon as asked: tests run the task worker in a batch, which
    leaves a task to run later where it is. tests/evaluation/test_code_next.py checks the pause."""
    settings.REMAP_PAUSE_SECONDS = 0


@pytest.fixture
def area(db) -> Area:
    return Area.objects.create(name="Northfield")


@pytest.fixture
def users(db, area) -> dict[str, User]:
    made = {name: make_user(name, role) for name, role in PERSONAS.items()}
    for name in ("alice", "bob"):
        Person.objects.create(
            user=made[name],
            first_name=name.title(),
            last_name="Example",
            email=f"{name}@example.org",
            area=area,
            date_of_birth=dt.date(1980, 5, 1),
            external_ref=f"T-{name.upper()}",
        )
    return made


@pytest.fixture
def login(client, users):
    """login("carol") signs the test client in as that persona and returns the client."""

    def _login(name: str):
        client.force_login(users[name])
        return client

    return _login


def pytest_collection_modifyitems(config, items):
    # Under CI a missing browser must fail, never skip: browser tests check this themselves.
    os.environ.setdefault("COPRODUCE_TESTING", "1")
