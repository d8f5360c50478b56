import datetime as dt

import pytest

from coproduce.evaluation import services
from coproduce.evaluation.models import Evaluator
from coproduce.promises.models import Promise, PromiseVersion, SetStatus
from tests.promises.conftest import group  # noqa: F401  (shared fixture)

SURVEY = """respondent_id,date,TP01,TP06,comment
R1,2026-05-01,4,2,The repairs team took three weeks to come and fix the boiler.
R2,2026-05-02,2,1,Nobody listens when we report damp and mould in the bathroom.
R3,2026-05-03,5,4,Staff were kind and listened to me about my rent.
R4,2026-05-04,1,1,Repairs are slow and the contractor never turns up on time.
R5,2026-05-05,3,3,I was told about the new estate plans in a clear letter.
R6,2026-05-06,2,2,Mould has come back three times and the repair was poor.
R7,2026-05-07,4,5,The officer listened and acted on what I said about the bins.
R8,2026-05-08,3,2,"Letters are confusing, I never know what is happening."
R9,2026-05-09,2,2,My repair was cancelled twice without anyone telling me.
R10,2026-05-10,5,5,Grace Okafor was brilliant and kept me informed.
"""


@pytest.fixture
def check(users, group):  # noqa: F811 (shared fixture)
    promise_set = group["set"]
    promise_set.status = SetStatus.PUBLISHED
    promise_set.save()
    third = Promise.objects.create(
        promise_set=promise_set,
        title="Keep you informed",
        wording="We will tell you what is happening.",
        position=3,
    )
    PromiseVersion.objects.create(
        promise=third, version=1, title=third.title, wording=third.wording
    )
    check = services.check_create(
        promise_set=promise_set,
        year=2026,
        title="Health check 2026",
        scale="rag",
        actor=users["carol"],
        board_date=dt.date(2027, 3, 1),
    )
    for person in group["members"][::2]:  # alice and cath evaluate; bob does not
        Evaluator.objects.create(health_check=check, person=person)
    return check
