import datetime as dt

import pytest

from coproduce.people.models import Person
from coproduce.projects.models import Project, ProjectMember
from coproduce.promises.models import Promise, PromiseSet, PromiseVersion
from tests.conftest import make_user


@pytest.fixture
def group(users):
    """A drafting group: alice and bob (tenants with logins) and cath (tenant with a login)."""
    project = Project.objects.create(title="Customer promises", purpose="x", owner=users["carol"])
    cath_user = make_user("cath", "tenant")
    cath = Person.objects.create(user=cath_user, first_name="Cath", last_name="Example")
    members = [Person.objects.get(user=users["alice"]), Person.objects.get(user=users["bob"]), cath]
    for person in members:
        ProjectMember.objects.create(project=project, person=person, joined_on=dt.date(2025, 1, 1))
    promise_set = PromiseSet.objects.create(project=project, title="Our promises", min_votes=2)
    promise = Promise.objects.create(
        promise_set=promise_set, title="Listen", wording="We will listen to you.", position=1
    )
    PromiseVersion.objects.create(
        promise=promise, version=1, title=promise.title, wording=promise.wording, note="First draft"
    )
    second = Promise.objects.create(
        promise_set=promise_set, title="Repairs", wording="We will fix things quickly.", position=2
    )
    PromiseVersion.objects.create(
        promise=second, version=1, title=second.title, wording=second.wording, note="First draft"
    )
    return {
        "set": promise_set,
        "promise": promise,
        "second": second,
        "members": members,
        "cath_user": cath_user,
        "project": project,
    }
