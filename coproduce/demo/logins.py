"""One login in every role: staff by name, tenants on people from the involvement pool.

All demo logins share one password, DEMO_PASSWORD. It is for the demo only: never load the
demo into a database that real people use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from coproduce.accounts.models import User
from coproduce.accounts.roles import Role, is_tenant_role
from coproduce.demo.plan import Plan
from coproduce.demo.riverside import DEMO_EMAIL_DOMAIN, LONDON, person_ref, story_today
from coproduce.people.models import Person

DEMO_PASSWORD = "coproduce-demo"  # demo only: printed on screen and in the README


@dataclass(frozen=True)
class DemoLogin:
    key: str
    role: str
    email: str
    full_name: str  # empty for tenants: they take their Person record's name
    description: str


def _email(local: str) -> str:
    return f"{local}@{DEMO_EMAIL_DOMAIN}"


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(
        "coordinator",
        Role.COORDINATOR,
        _email("coordinator"),
        "Grace Okafor",
        "Involvement coordinator",
    ),
    DemoLogin("facilitator", Role.FACILITATOR, _email("facilitator"), "Tom Hughes", "Facilitator"),
    DemoLogin(
        "admin_support", Role.ADMIN_SUPPORT, _email("admin.support"), "Priya Shah", "Admin support"
    ),
    DemoLogin("finance", Role.FINANCE, _email("finance"), "Marek Nowak", "Finance"),
    DemoLogin(
        "data_protection",
        Role.DATA_PROTECTION,
        _email("data.protection"),
        "Helen Marsh",
        "Data-protection lead",
    ),
    DemoLogin("board", Role.BOARD, _email("board"), "Richard Evans", "Board member"),
    DemoLogin(
        "colleague",
        Role.COLLEAGUE,
        _email("colleague"),
        "Jo Campbell",
        "Colleague in another team (repairs)",
    ),
    DemoLogin("sysadmin", Role.SYSADMIN, _email("sysadmin"), "Sam Lee", "System admin"),
    DemoLogin(
        "tenant", Role.TENANT, _email("tenant"), "", "Tenant (long-standing, involved for years)"
    ),
    DemoLogin(
        "new_tenant", Role.TENANT, _email("new.tenant"), "", "Tenant (young, joined recently)"
    ),
    DemoLogin("customer", Role.TENANT, _email("customer"), "", "Customer of a support service"),
)


def logins_table() -> str:
    rows = [("who", "email", "password")]
    rows += [(login.description, login.email, DEMO_PASSWORD) for login in DEMO_LOGINS]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [f"Demo logins (for the demo only; every account has the password {DEMO_PASSWORD!r}):"]
    for row in rows:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        lines.append("  " + "  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


def logins_ensure(plan: Plan) -> int:
    """Add the logins not there yet (matched by email); returns how many were added."""
    wanted = {login.email for login in DEMO_LOGINS}
    have = set(User.objects.filter(email__in=wanted).values_list("email", flat=True))
    password = make_password(DEMO_PASSWORD)  # hashed once: every demo login shares it
    joined = dt.datetime.combine(story_today(), dt.time(9, 0), tzinfo=LONDON)
    made = 0
    for login in DEMO_LOGINS:
        if login.email in have:
            continue
        person = None
        full_name = login.full_name
        if is_tenant_role(login.role):
            person = _tenant_person(plan, login)
            if person is None:
                continue  # too few homes for this kind of tenant
            full_name = person.full_name
        user = User.objects.create(
            email=login.email,
            full_name=full_name,
            role=login.role,
            password=password,
            date_joined=joined,
        )
        if person is not None:
            person.user = user
            person.email = login.email
            person.save(update_fields=["user", "email", "updated_at"])
        made += 1
    return made


def _tenant_person(plan: Plan, login: DemoLogin) -> Person | None:
    """The person from the involvement pool this tenant login belongs to, if still free."""
    index = plan.login_homes.get(login.key)
    if index is None:
        return None
    ref = person_ref(plan.homes[index].index)
    return Person.objects.filter(external_ref=ref, user__isnull=True).first()
