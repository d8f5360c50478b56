import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from coproduce.core.models import AuditEntry
from coproduce.evaluation import selectors, services
from coproduce.evaluation.models import (
    Coding,
    EvidenceItem,
    EvidenceOriginal,
    Judgement,
    Theme,
    ThemeRun,
)
from tests.conftest import PERSONAS
from tests.evaluation.conftest import SURVEY
from tests.support.jobs import run_jobs

VIEWERS = {"alice", "cath", "carol", "fiona", "adam", "brenda", "dora"}


def _import(client, check, content, name="tsm.csv", kind="survey"):
    """Upload a file and let the background job read it (it runs in `db_worker`).

    Returns the upload's answer: a redirect to the job's page, or the form with errors."""
    response = client.post(
        reverse("evaluation:evidence_import", args=[check.pk]),
        {
            "import-kind": kind,
            "import-title": "TSM survey 2026",
            "import-gathered_on": "2026-06-01",
            "import-file": SimpleUploadedFile(name, content),
        },
    )
    run_jobs()
    return response


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_every_page_checks_the_role(client, users, group, check, persona):
    item = services.evidence_add(
        check=check,
        kind="interview",
        source="Interview",
        text="Repairs are slow.",
        gathered_on=dt.date(2026, 5, 1),
        person=None,
        actor=users["carol"],
    )
    theme = Theme.objects.create(health_check=check, label="Slow repairs")
    client.force_login(users[persona])
    allowed = VIEWERS - {"cath"}
    for name, args in [
        ("evaluation:check", [check.pk]),
        ("evaluation:evidence", [check.pk]),
        ("evaluation:item", [check.pk, item.pk]),
        ("evaluation:themes", [check.pk]),
        ("evaluation:theme", [check.pk, theme.pk]),
        ("evaluation:judgements", [check.pk]),
        ("evaluation:report", [check.pk]),
        ("evaluation:follow_up", [check.pk]),
    ]:
        code = client.get(reverse(name, args=args)).status_code
        assert code == (200 if persona in allowed else 403), (persona, name)


def test_anonymous_is_sent_to_sign_in(client, check):
    response = client.get(reverse("evaluation:check", args=[check.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_names_and_contacts_are_masked_with_the_original_for_the_dpo_only(client, users, check):
    item = services.evidence_add(
        check=check,
        kind="interview",
        source="Interview with a tenant",
        text="Mrs Patel at 14 Mill Lane called 07700 900123 about the damp.",
        gathered_on=dt.date(2026, 5, 1),
        person=None,
        actor=users["carol"],
    )
    assert "Patel" not in item.text and "07700" not in item.text
    assert EvidenceOriginal.objects.get(item=item).text.startswith("Mrs Patel")
    url = reverse("evaluation:item", args=[check.pk, item.pk])
    client.force_login(users["carol"])
    assert b"Patel" not in client.get(url).content
    client.force_login(users["dora"])
    assert b"Patel" in client.get(url).content
    assert AuditEntry.objects.filter(action="evidence.original_viewed").exists()


def test_an_evaluator_imports_the_tsm_survey(client, users, check):
    client.force_login(users["alice"])
    response = _import(client, check, SURVEY.encode())
    assert response.status_code == 302
    items = EvidenceItem.objects.filter(health_check=check, kind="survey")
    assert items.count() == 10
    assert items.get(reference="R1").scores["TP01"] == 4
    assert "Okafor" not in items.get(reference="R10").text


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "tsm.csv", b"empty"),
        (b"respondent_id,TP01,comment,shoe_size\nR1,4,hello,9\n", "tsm.csv", b"shoe_size"),
        (b"not a spreadsheet at all", "tsm.xlsx", b"Nothing was imported"),
        (b"WEBVTT\n\n00:00:01.000 --> nonsense\nhello\n", "call.vtt", b"Nothing was imported"),
    ],
)
def test_bad_files_give_a_clear_message_and_import_nothing(
    client, users, check, content, name, message
):
    client.force_login(users["alice"])
    kind = "transcript" if name.endswith(".vtt") else "survey"
    response = _import(client, check, content, name=name, kind=kind)
    if response.status_code == 302:  # found by the background job: its page says why
        response = client.get(response.url)
    assert response.status_code == 200
    assert message in response.content
    assert not EvidenceItem.objects.filter(health_check=check).exists()


def test_a_30_mb_upload_is_refused_with_a_clear_message(client, users, check, tmp_path):
    # The 200 MB attack upload is sent to a real server in tests/core/test_upload_responsiveness.
    client.force_login(users["alice"])
    big = SimpleUploadedFile("huge.csv", b"0" * (30 * 1024 * 1024))
    response = client.post(
        reverse("evaluation:evidence_import", args=[check.pk]),
        {
            "import-kind": "survey",
            "import-title": "Huge",
            "import-gathered_on": "2026-06-01",
            "import-file": big,
        },
    )
    assert response.status_code == 200
    assert b"The file is larger than 25 MB. Split it or ask us to raise the limit." in (
        response.content
    )
    assert not EvidenceItem.objects.exists()


def test_a_transcript_is_split_into_speaker_turns(client, users, check):
    vtt = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Evaluator>How do repairs work?\n\n"
        "00:00:05.000 --> 00:00:09.000\n<v Manager>We aim for 28 days on routine jobs.\n"
    )
    client.force_login(users["alice"])
    assert (
        _import(client, check, vtt.encode(), name="call.vtt", kind="transcript").status_code == 302
    )
    speakers = list(
        EvidenceItem.objects.filter(kind="transcript").values_list("speaker", flat=True)
    )
    assert speakers == ["Evaluator", "Manager"]


@pytest.mark.django_db(transaction=True)
def test_theming_runs_in_the_background_and_evaluators_stay_in_control(users, group, check):
    alice, cath = group["members"][0], group["members"][2]
    services.evidence_import(
        check=check,
        kind="survey",
        data=SURVEY.encode() * 1,
        filename="tsm.csv",
        title="TSM",
        gathered_on=dt.date(2026, 6, 1),
        person=alice,
        actor=users["alice"],
    )
    run = services.theme_run_start(check=check, actor=users["alice"], engine="tfidf")
    assert run.status == "queued"
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    run.refresh_from_db()
    assert run.status == "done" and run.progress == 100 and run.items == 10
    themes = list(Theme.objects.filter(health_check=check))
    assert len(themes) >= 2
    assert Coding.objects.filter(item__health_check=check, by_engine=True).exists()
    first, second = themes[0], themes[1]
    services.theme_decide(
        theme=first,
        action="rename",
        label="Repairs take too long",
        person=alice,
        actor=users["alice"],
    )
    services.theme_decide(
        theme=second, action="merge", into=first, person=alice, actor=users["alice"]
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.label == "Repairs take too long" and first.status == "accepted"
    assert second.status == "merged"
    # Hand coding: two evaluators code the same items; agreement is measured.
    promises = list(check.promise_set.promises.all())
    items = list(EvidenceItem.objects.filter(health_check=check).order_by("id"))
    for index, item in enumerate(items[:4]):
        services.coding_add(
            item=item, coder=alice, actor=users["alice"], theme=None, promise=promises[index % 2]
        )
        services.coding_add(
            item=item,
            coder=cath,
            actor=None,
            theme=None,
            promise=promises[0] if index < 3 else promises[1],
        )
    [pair] = selectors.agreement(check)
    assert pair["items"] == 4
    assert pair["kappa"] == pytest.approx(
        selectors.cohen_kappa(
            [(str(promises[i % 2].pk), str(promises[0 if i < 3 else 1].pk)) for i in range(4)]
        )
    )
    # Each hand coding queued a retraining; the worker re-maps the rest.
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    remapped = Coding.objects.filter(
        item__health_check=check, by_engine=True, promise__isnull=False
    )
    assert not remapped.filter(item__in=items[:4]).exists()  # hand-coded items are left alone
    # A new run is a new version; evaluators' themes survive it.
    services.theme_run_start(check=check, actor=users["alice"], engine="tfidf")
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert ThemeRun.objects.filter(health_check=check).count() == 2
    assert Theme.objects.filter(pk=first.pk, label="Repairs take too long").exists()


def test_cohen_kappa_matches_a_worked_example():
    # Wikipedia "Cohen's kappa": 50 items, 20 yes-yes, 15 no-no, 5 yes-no, 10 no-yes -> 0.4
    pairs = [("y", "y")] * 20 + [("n", "n")] * 15 + [("y", "n")] * 5 + [("n", "y")] * 10
    assert selectors.cohen_kappa(pairs) == pytest.approx(0.4)


def test_evaluators_judge_and_staff_cannot_change_a_judgement(client, users, check):
    promise = check.promise_set.promises.first()
    url = reverse("evaluation:judgement_save", args=[check.pk, promise.pk])
    data = {
        f"p{promise.pk}-rating": "amber",
        f"p{promise.pk}-narrative": "Listening happens, acting less so.",
        f"p{promise.pk}-version": "",
    }
    client.force_login(users["alice"])
    assert client.post(url, data).status_code == 302
    judgement = Judgement.objects.get(health_check=check, promise=promise)
    assert judgement.rating == "amber"
    for persona in ("carol", "fiona", "brenda", "dora"):
        client.force_login(users[persona])
        assert client.post(url, {**data, f"p{promise.pk}-rating": "green"}).status_code == 403
    judgement.refresh_from_db()
    assert judgement.rating == "amber"


def test_two_evaluators_saving_one_judgement_lose_nothing(client, users, group, check):
    promise = check.promise_set.promises.first()
    url = reverse("evaluation:judgement_save", args=[check.pk, promise.pk])
    base = {
        f"p{promise.pk}-rating": "red",
        f"p{promise.pk}-narrative": "First view",
        f"p{promise.pk}-version": "",
    }
    client.force_login(users["alice"])
    client.post(url, base)
    stale = {**base, f"p{promise.pk}-narrative": "Cath's view", f"p{promise.pk}-version": "0"}
    client.force_login(group["cath_user"])
    response = client.post(url, stale)
    assert response.status_code == 200
    assert b"Another evaluator saved a judgement" in response.content
    assert b"Cath&#x27;s view" in response.content
    assert Judgement.objects.get(promise=promise).narrative == "First view"


def test_the_report_is_a_real_pdf_and_the_command_writes_it(client, users, check, tmp_path):
    from coproduce.cli import main

    services.evidence_add(
        check=check,
        kind="interview",
        source="Interview",
        text="Repairs are slow.",
        gathered_on=dt.date(2026, 5, 1),
        person=None,
        actor=users["carol"],
    )
    client.force_login(users["brenda"])
    response = client.get(reverse("evaluation:report_pdf", args=[check.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    out = tmp_path / "report.pdf"
    assert main(["report", str(check.pk), "--format", "pdf", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    html = tmp_path / "report.html"
    assert main(["report", str(check.pk), "--format", "html", "--out", str(html)]) == 0
    assert "Health check 2026" in html.read_text()
    assert main(["report", "999999", "--format", "pdf", "--out", str(out)]) == 2


def test_follow_up_board_response_and_actions(client, users, check):
    client.force_login(users["alice"])
    client.post(
        reverse("evaluation:recommendation_add", args=[check.pk]),
        {"recommend-text": "Fix repairs faster", "recommend-promise": ""},
    )
    rec = check.recommendations.get()
    client.force_login(users["brenda"])
    client.post(
        reverse("evaluation:board_response", args=[check.pk, rec.pk]),
        {f"respond-{rec.pk}-response": "We agree", f"respond-{rec.pk}-agreed": "yes"},
    )
    client.force_login(users["carol"])
    client.post(
        reverse("evaluation:action_add", args=[check.pk, rec.pk]),
        {
            f"action-{rec.pk}-description": "New repairs contract",
            f"action-{rec.pk}-owner": "Head of repairs",
            f"action-{rec.pk}-due_on": "2027-06-01",
        },
    )
    rec.refresh_from_db()
    assert rec.board_agreed == "yes"
    assert rec.actions.get().owner == "Head of repairs"
    client.force_login(users["alice"])
    response = client.post(
        reverse("evaluation:board_response", args=[check.pk, rec.pk]),
        {f"respond-{rec.pk}-response": "x", f"respond-{rec.pk}-agreed": "no"},
    )
    assert response.status_code == 403


def test_a_burst_of_hand_codings_queues_one_retraining(
    users, group, check, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    alice = group["members"][0]
    promise = check.promise_set.promises.first()
    items = [
        services.evidence_add(
            check=check,
            kind="interview",
            source="Interview",
            text=f"Note {n} about repairs.",
            gathered_on=dt.date(2026, 5, 1),
            person=None,
            actor=users["carol"],
        )
        for n in range(5)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        for item in items:
            services.coding_add(item=item, coder=alice, actor=None, theme=None, promise=promise)
    assert DBTaskResult.objects.filter(task_path__endswith="remap_promises").count() == 1
    services.remap_execute(check.pk)  # the worker starts: the next coding queues again
    with django_capture_on_commit_callbacks(execute=True):
        services.coding_add(item=items[0], coder=alice, actor=None, theme=None, promise=promise)
    assert DBTaskResult.objects.filter(task_path__endswith="remap_promises").count() == 2
