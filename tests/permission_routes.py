"""How to fill each route's URL kwargs from the world in tests/support/world.py.

A route with no entry here takes no kwargs. Add a line when you add a route with kwargs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

World = dict[str, Any]


def answer_token(key: str) -> str:
    from coproduce.messaging.tokens import answer_token as token

    return token(key)


def unsubscribe_token(person: Any) -> str:
    from django.core import signing

    return signing.dumps({"p": person.pk, "m": 0}, salt="messaging.unsubscribe")


def pk(key: str, name: str = "pk") -> Callable[[World], dict[str, Any]]:
    return lambda w: {name: w[key].pk}


def project_and(key: str, name: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": w["project"].pk, name: w[key].pk}


def check_and(key: str, name: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": w["check"].pk, name: w[key].pk}


KWARGS: dict[str, Callable[[World], dict[str, Any]]] = {
    "accounts:account_detail": lambda w: {"pk": w["users"]["alice"].pk},
    "accounts:account_two_step_reset": lambda w: {"pk": w["users"]["fiona"].pk},
    "accounts:sso_start": lambda w: {"provider": "oidc"},
    "accounts:sso_confirm": lambda w: {"provider": "oidc"},
    "accounts:password_reset_confirm": lambda w: {
        "uidb64": w["reset_uid"],
        "token": w["reset_token"],
    },
    # bob's record: a tenant must never reach another tenant's record through staff pages.
    "people:detail": pk("bob_person"),
    "people:edit": pk("bob_person"),
    "people:login_create": pk("bob_person"),
    "people:interest_decide": pk("interest"),
    "people:import_job": lambda w: {"token": w["import_job"].token},
    "projects:detail": pk("project"),
    "projects:edit": pk("project"),
    "projects:self_assessment": pk("project"),
    "projects:stage_create": pk("project"),
    "projects:stage_edit": project_and("stage", "stage_pk"),
    "projects:decision_create": pk("project"),
    "projects:decision_edit": project_and("decision", "decision_pk"),
    "projects:decision_tell": project_and("decision", "decision_pk"),
    "projects:member_add": pk("project"),
    "projects:member_leave": project_and("member", "member_pk"),
    "projects:staff_add": pk("project"),
    "projects:staff_remove": project_and("staff", "staff_pk"),
    "projects:support_triage": pk("support"),
    "meetings:detail": pk("meeting"),
    "meetings:edit": pk("meeting"),
    "meetings:print": pk("meeting"),
    "meetings:ics": pk("meeting"),
    "meetings:invite": pk("meeting"),
    "meetings:register": pk("meeting"),
    "meetings:book_room": pk("meeting"),
    "meetings:release_room": pk("meeting"),
    "meetings:assign_staff": pk("meeting"),
    "meetings:remove_staff": lambda w: {
        "pk": w["meeting"].pk,
        "staff_pk": w["session_staff"].pk,
    },
    "meetings:rsvp": pk("invitation"),
    "meetings:rsvp_on_behalf": pk("invitation"),
    "meetings:feed": lambda w: {"token": w["feed"].token},
    "meetings:person_history": pk("alice_person", "person_pk"),
    "meetings:venue_detail": pk("venue"),
    "meetings:venue_edit": pk("venue"),
    "meetings:room_create": pk("venue", "venue_pk"),
    "meetings:room_edit": pk("room"),
    "meetings:room_delete": pk("room"),
    "meetings:resourcing": pk("project", "project_pk"),
    "diversity:record_for_person": pk("alice_person"),
    "diversity:equality_record": pk("alice_person"),
    "diversity:equality_withdraw": pk("alice_person"),
    "diversity:population_delete": pk("population"),
    "diversity:outreach_list": pk("outreach"),
    "diversity:outreach_export": pk("outreach"),
    "diversity:quick_question": pk("question"),
    "diversity:quick_answer_on_behalf": pk("recipient"),
    "diversity:quick_answer_public": lambda w: {"token": w["recipient"].token},
    "api:token_detail": pk("api_token"),
    "api:token_revoke": pk("api_token"),
    "webhooks:endpoint_detail": pk("webhook"),
    "webhooks:endpoint_edit": pk("webhook"),
    "webhooks:endpoint_rotate": pk("webhook"),
    "webhooks:endpoint_test": pk("webhook"),
    "webhooks:delivery_retry": pk("webhook_delivery"),
    "api-v1:get_person": lambda w: {"person_id": w["alice_person"].pk},
    "api-v1:patch_person": lambda w: {"person_id": w["alice_person"].pk},
    "api-v1:upsert_person": lambda w: {"external_ref": "T-ALICE"},
    "api-v1:tenancy_ended": lambda w: {"external_ref": "T-ALICE"},
    "api-v1:get_session": lambda w: {"session_id": w["meeting"].pk},
    "api-v1:list_attendance": lambda w: {"session_id": w["meeting"].pk},
    "api-v1:record_attendance": lambda w: {"session_id": w["meeting"].pk},
    "api-v1:get_project": lambda w: {"project_id": w["project"].pk},
    "api-v1:get_batch": lambda w: {"batch_id": w["batch"].pk},
    "api-v1:mark_exported": lambda w: {"batch_id": w["batch"].pk},
    "messaging:unsubscribe": lambda w: {"token": unsubscribe_token(w["alice_person"])},
    "messaging:answer": lambda w: {"token": answer_token(w["alice_message"].key)},
    "messaging:inbound_resolve": pk("inbound_text"),
    "messaging:letter_pack": pk("letter_pack"),
    "messaging:message": pk("alice_message"),
    "messaging:phone_outcome": pk("alice_message"),
    "messaging:preferences": pk("alice_person"),
    "promises:set": pk("promise_set"),
    "promises:propose": pk("promise_set"),
    "promises:rank": pk("promise_set"),
    "promises:status": pk("promise_set"),
    "promises:board": pk("promise_set"),
    "promises:credits": pk("promise_set"),
    "promises:public": pk("promise_set"),
    "promises:proposal": pk("proposal"),
    "promises:decide": pk("proposal"),
    "promises:promise": pk("promise"),
    "evaluation:check": pk("check"),
    "evaluation:evidence": pk("check"),
    "evaluation:item": check_and("item", "item_pk"),
    "evaluation:evidence_job": lambda w: {"pk": w["check"].pk, "token": w["evidence_job"].token},
    "evaluation:themes": pk("check"),
    "evaluation:code_next": pk("check"),
    "evaluation:code_next_answer": check_and("item", "item_pk"),
    "evaluation:theme": check_and("theme", "theme_pk"),
    "evaluation:theme_accept": check_and("theme", "theme_pk"),
    "evaluation:theme_discard": check_and("theme", "theme_pk"),
    "evaluation:theme_rename": check_and("theme", "theme_pk"),
    "evaluation:theme_merge": check_and("theme", "theme_pk"),
    "evaluation:theme_split": check_and("theme", "theme_pk"),
    "evaluation:plan_save": pk("check"),
    "evaluation:evaluator_add": pk("check"),
    "evaluation:evidence_note": pk("check"),
    "evaluation:evidence_import": pk("check"),
    "evaluation:evidence_tsm": pk("check"),
    "evaluation:judgement_save": check_and("promise", "promise_pk"),
    "evaluation:recommendation_add": pk("check"),
    "evaluation:board_response": check_and("recommendation", "rec_pk"),
    "evaluation:action_add": check_and("recommendation", "rec_pk"),
    "evaluation:action_progress": check_and("action", "action_pk"),
    "promises:vote": pk("proposal"),
    "promises:comment": pk("proposal"),
    "promises:board_meeting": pk("promise_set"),
    "promises:board_decision": lambda w: {"pk": w["promise_set"].pk, "promise_pk": w["promise"].pk},
    "evaluation:judgements": pk("check"),
    "evaluation:report": pk("check"),
    "evaluation:report_pdf": pk("check"),
    "evaluation:section": check_and("section", "section_pk"),
    "evaluation:follow_up": pk("check"),
    "rewards:offer": pk("project", "project_pk"),
    "rewards:offer_edit": pk("project", "project_pk"),
    "rewards:person": pk("alice_person", "person_pk"),
    "rewards:person_choice": pk("alice_person", "person_pk"),
    "rewards:expense_new": pk("alice_person", "person_pk"),
    "rewards:receipt": pk("claim", "claim_pk"),
    "rewards:approve": lambda w: {"category": "fee"},
    "rewards:batch": pk("batch"),
    "rewards:batch_paid": pk("batch"),
    "rewards:batch_bank_csv": pk("batch"),
    "rewards:batch_bank_xlsx": pk("batch"),
    "rewards:batch_vouchers_csv": pk("batch"),
    "rewards:line_correct": pk("line"),
    "rewards:mine_summary": lambda w: {"year": 2025},
    "stories:journal": pk("project"),
    "stories:journal_file": pk("journal_file"),
    "stories:detail": pk("story"),
    "stories:edit": pk("story"),
    "stories:split": pk("transcript_story"),
    "stories:report": lambda w: {"year": 2026},
    "stories:report_download": lambda w: {"year": 2026},
    "stories:public": lambda w: {"public_id": w["public_story"].public_id},
    "privacy:detail": pk("data_request"),
    "privacy:close": pk("data_request"),
    "privacy:extend": pk("data_request"),
    "privacy:export": pk("data_request"),
    "privacy:export_download": pk("data_request"),
    "privacy:erasure_review": pk("erasure_request"),
    "privacy:restriction": pk("bob_person"),
    "tsm:year": pk("tsm_year"),
    "tsm:year_edit": pk("tsm_year"),
    "tsm:survey_upload": pk("tsm_year"),
    "tsm:survey_remove": lambda w: {"pk": w["tsm_year"].pk, "upload_pk": w["tsm_upload"].pk},
    "tsm:weights_upload": pk("tsm_year"),
    "tsm:weights_clear": pk("tsm_year"),
    "tsm:figures": pk("tsm_year"),
    "tsm:publish": pk("tsm_year"),
    "tsm:unpublish": pk("tsm_year"),
    "tsm:publication": lambda w: {"slug": w["tsm_published"].slug},
    "tsm:publication_pdf": lambda w: {"slug": w["tsm_published"].slug},
    "tsm:submission_csv": lambda w: {"slug": w["tsm_published"].slug},
}
