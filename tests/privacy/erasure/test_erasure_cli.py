"""`coproduce dpo erase --person REF [--dry-run]`."""

from __future__ import annotations

from coproduce.core.models import AuditEntry
from coproduce.diversity.models import EqualityRecord
from coproduce.privacy.erasure_cli import main
from coproduce.privacy.models import DataRequest, RequestStatus
from coproduce.rewards.models import LineStatus, RewardLine


def test_an_unknown_person_is_one_line_on_stderr_and_exit_2(db, capsys):
    assert main(["--person", "NOPE-1"]) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and "NOPE-1" in captured.err
    assert captured.out == ""


def test_a_missing_reference_is_bad_input(db, capsys):
    assert main([]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_the_dry_run_prints_what_goes_and_what_stays_and_changes_nothing(involved_alice, capsys):
    alice = involved_alice["person"]
    assert main(["--person", alice.external_ref, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "nothing was changed" in out and "Will go:" in out and "Will stay:" in out
    assert "Equality answers (1)" in out and "HMRC" in out
    alice.refresh_from_db()
    assert alice.erased_at is None and EqualityRecord.objects.exists()
    assert not DataRequest.objects.exists()


def test_erasing_from_the_command_line_is_audited_as_the_system(involved_alice, capsys):
    alice = involved_alice["person"]
    assert main(["--person", alice.external_ref]) == 0
    alice.refresh_from_db()
    assert alice.erased_at is not None
    assert alice.pseudonym in capsys.readouterr().out
    entry = AuditEntry.objects.get(action="privacy.person_erased")
    assert entry.actor is None and entry.actor_email == ""
    assert DataRequest.objects.get().status == RequestStatus.DONE


def test_unpaid_rewards_refuse_the_erasure_and_leave_no_request_behind(involved_alice, capsys):
    alice = involved_alice["person"]
    RewardLine.objects.filter(person=alice).update(status=LineStatus.TO_REVIEW)
    assert main(["--person", alice.external_ref]) == 2
    err = capsys.readouterr().err
    assert "not paid yet" in err and err.count("\n") == 1
    alice.refresh_from_db()
    assert alice.erased_at is None and not DataRequest.objects.exists()


def test_erasing_someone_already_erased_says_so(involved_alice, capsys):
    alice = involved_alice["person"]
    ref = alice.external_ref
    assert main(["--person", ref]) == 0
    # The reference is blanked by the erasure, so they can no longer be found by it.
    assert main(["--person", ref]) == 2
    assert "no person has the reference" in capsys.readouterr().err
