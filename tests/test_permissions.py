"""Every route against every persona, generated from Django's URL resolver.

EXPECTED says, for every route name the resolver knows, what each persona gets on a GET:
OK (200), LOGIN (sent to sign in), FORBIDDEN (403), NOT_FOUND (404: someone else's record),
REDIRECT (sent elsewhere). A POST-only route is `post_only(...)`: a GET is answered 405, and the
profile inside says who may act. Every refused persona is also made to POST, and must be refused
in the same way without a single write to the database.

Adding a route? Add a line to EXPECTED (and, if it takes kwargs, to tests/permission_routes.py):
test_every_route_has_an_expected_answer fails, naming the route, until you do.

The world behind the URLs is tests/support/world.py: alice is a tenant in the project (member,
evaluator, invited, with a journal entry and a reward line); bob is a tenant outside it.
Two-step sign-in is off here (STAFF_TWO_STEP_REQUIRED is off with DEBUG on, as in every test
outside tests/accounts), so force_login signs staff straight in.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver, reverse

from tests.conftest import PERSONAS
from tests.permission_routes import KWARGS
from tests.support.world import build_world

OK = "ok (200)"
LOGIN = "sent to sign in"
FORBIDDEN = "refused (403)"
NOT_FOUND = "not found (404)"
NOT_ALLOWED = "method not allowed (405)"
REDIRECT = "sent elsewhere (302)"
UNAUTHORIZED = "not signed (401)"  # a machine's callback without its bearer token
REFUSALS = {LOGIN, FORBIDDEN, NOT_FOUND, UNAUTHORIZED}

ANONYMOUS = "anonymous"
EVERYONE_SIGNED_IN = frozenset(PERSONAS)
TENANTS = frozenset({"alice", "bob"})
STAFF = EVERYONE_SIGNED_IN - TENANTS
INVOLVEMENT = frozenset({"carol", "fiona", "adam"})  # coordinator, facilitator, admin support
ALL = (ANONYMOUS, *sorted(PERSONAS))

Profile = dict[str, str]


def only(
    *who: str | Iterable[str], others: str = FORBIDDEN, anonymous: str = LOGIN, **exceptions: str
) -> Profile:
    """OK for the personas named (or in the groups named), `others` for the rest."""
    allowed: set[str] = set()
    for item in who:
        allowed |= {item} if isinstance(item, str) else set(item)
    assert allowed <= EVERYONE_SIGNED_IN, allowed - EVERYONE_SIGNED_IN
    profile = {name: OK if name in allowed else others for name in PERSONAS}
    profile[ANONYMOUS] = anonymous
    profile.update(exceptions)
    return profile


@dataclass(frozen=True)
class PostOnly:
    """A route that only takes POST. A GET is answered 405 (anonymous visitors may be sent to
    sign in first, where login_required wraps require_POST)."""

    access: Profile
    get_anonymous: str = NOT_ALLOWED


def post_only(access: Profile, *, get_anonymous: str = NOT_ALLOWED) -> PostOnly:
    return PostOnly(access, get_anonymous)


PUBLIC = only(EVERYONE_SIGNED_IN, anonymous=OK)
SIGNED_IN = only(EVERYONE_SIGNED_IN)
TENANTS_ONLY = only(TENANTS)
STAFF_ONLY = only(STAFF)
INVOLVEMENT_ONLY = only(INVOLVEMENT)
COORDINATOR_ONLY = only("carol")
COORDINATOR_AND_ADMIN = only("carol", "adam")
DPO_ONLY = only("dora")
FINANCE_ONLY = only("frank")
SYSADMIN_ONLY = only("sam")
# An API operation: nobody reaches it without a token (tests/api checks tokens and scopes).
API_ONLY = only(others=UNAUTHORIZED, anonymous=UNAUTHORIZED)
# The project's own people: alice (member), the involvement team, the board.
PROJECT_READERS = only(INVOLVEMENT, "alice", "brenda")
# The health check: its evaluator alice, the involvement team, the data-protection lead, the board.
HEALTH_CHECK_READERS = only(INVOLVEMENT, "alice", "dora", "brenda")
STORY_READERS = only(INVOLVEMENT, "brenda")

EXPECTED: dict[str, Profile | PostOnly] = {
    "healthz": PUBLIC,
    # Home pages (may move to a `home` app).
    "home:home": SIGNED_IN,
    "home:history": TENANTS_ONLY,
    "home:audit_log": DPO_ONLY,
    # Accounts.
    "accounts:login": only(others=REDIRECT, anonymous=OK),
    # Only reachable half-way through a two-step sign-in, which nobody here is.
    "accounts:login_verify": only(others=LOGIN),
    "accounts:login_recovery": SIGNED_IN,
    # Single sign-on is public like the sign-in page, but off here (no SSO_* variables), so
    # its addresses are not found; tests/accounts/test_sso.py checks them with a provider on.
    "accounts:sso_start": post_only(only(others=NOT_FOUND, anonymous=NOT_FOUND)),
    "accounts:sso_callback": only(others=NOT_FOUND, anonymous=NOT_FOUND),
    # Only a provider this login has used is offered (none in the world): 404 for everyone.
    "accounts:sso_confirm": post_only(only(others=NOT_FOUND, anonymous=LOGIN)),
    "accounts:logout": post_only(SIGNED_IN),
    "accounts:reauth": SIGNED_IN,
    "accounts:security": SIGNED_IN,
    "accounts:security_remove": post_only(SIGNED_IN),
    "accounts:recovery_codes_regenerate": post_only(SIGNED_IN),
    "accounts:account_list": SYSADMIN_ONLY,
    "accounts:account_detail": SYSADMIN_ONLY,
    "accounts:account_two_step_reset": post_only(SYSADMIN_ONLY),
    "accounts:password_reset": PUBLIC,
    "accounts:password_reset_done": PUBLIC,
    "accounts:password_reset_complete": PUBLIC,
    # alice's reset link sends whoever holds it on to set her password.
    "accounts:password_reset_confirm": only(others=REDIRECT, anonymous=REDIRECT),
    # People.
    "people:list": only(INVOLVEMENT, "dora"),
    "people:create": INVOLVEMENT_ONLY,
    "people:detail": only(INVOLVEMENT, "dora"),
    "people:edit": INVOLVEMENT_ONLY,
    "people:login_create": post_only(COORDINATOR_AND_ADMIN),
    "people:my_profile": TENANTS_ONLY,
    "people:my_profile_edit": TENANTS_ONLY,
    "people:get_involved": PUBLIC,
    "people:get_involved_thanks": PUBLIC,
    "people:interest_list": COORDINATOR_AND_ADMIN,
    "people:interest_decide": post_only(COORDINATOR_AND_ADMIN),
    "people:import": COORDINATOR_ONLY,
    "people:import_job": COORDINATOR_ONLY,
    # Projects.
    "projects:list": SIGNED_IN,
    "projects:create": COORDINATOR_ONLY,
    "projects:detail": PROJECT_READERS,
    "projects:edit": COORDINATOR_ONLY,
    "projects:self_assessment": COORDINATOR_ONLY,
    "projects:stage_create": COORDINATOR_ONLY,
    "projects:stage_edit": COORDINATOR_ONLY,
    "projects:decision_create": only("carol", "fiona"),
    "projects:decision_edit": only("carol", "fiona"),
    "projects:decision_tell": post_only(only("carol", "fiona")),
    "projects:member_add": COORDINATOR_ONLY,
    "projects:member_leave": post_only(COORDINATOR_ONLY),
    "projects:staff_add": COORDINATOR_ONLY,
    "projects:staff_remove": post_only(COORDINATOR_ONLY),
    "projects:support_list": STAFF_ONLY,
    "projects:support_create": STAFF_ONLY,
    "projects:support_triage": COORDINATOR_ONLY,
    # Sessions.
    "meetings:list": only(INVOLVEMENT, TENANTS, "brenda"),
    "meetings:create": INVOLVEMENT_ONLY,
    "meetings:detail": PROJECT_READERS,
    "meetings:edit": INVOLVEMENT_ONLY,
    "meetings:print": PROJECT_READERS,
    "meetings:ics": PROJECT_READERS,
    "meetings:invite": INVOLVEMENT_ONLY,
    "meetings:register": INVOLVEMENT_ONLY,
    "meetings:book_room": post_only(INVOLVEMENT_ONLY),
    "meetings:release_room": post_only(INVOLVEMENT_ONLY),
    "meetings:assign_staff": post_only(INVOLVEMENT_ONLY),
    "meetings:remove_staff": post_only(INVOLVEMENT_ONLY),
    # alice's invitation: anyone else is told it does not exist.
    "meetings:rsvp": post_only(only("alice", others=NOT_FOUND)),
    "meetings:rsvp_on_behalf": post_only(INVOLVEMENT_ONLY),
    "meetings:feed": PUBLIC,  # the secret token in the URL is the key
    "meetings:my_calendar": post_only(TENANTS_ONLY),
    "meetings:person_history": only(INVOLVEMENT, "dora"),
    "meetings:venue_list": INVOLVEMENT_ONLY,
    "meetings:venue_create": COORDINATOR_AND_ADMIN,
    "meetings:venue_detail": INVOLVEMENT_ONLY,
    "meetings:venue_edit": COORDINATOR_AND_ADMIN,
    "meetings:room_create": COORDINATOR_AND_ADMIN,
    "meetings:room_edit": COORDINATOR_AND_ADMIN,
    "meetings:room_delete": post_only(COORDINATOR_AND_ADMIN),
    "meetings:resourcing": only("carol", "adam", "frank"),
    # Diversity of voice.
    "diversity:dashboard": only(INVOLVEMENT, "dora", "brenda"),
    "diversity:same_old_people": only(INVOLVEMENT, "dora", "brenda"),
    "diversity:about_me": TENANTS_ONLY,
    "diversity:about_me_withdraw": post_only(TENANTS_ONLY),
    "diversity:record_for_person": INVOLVEMENT_ONLY,
    "diversity:equality_record": DPO_ONLY,
    "diversity:equality_withdraw": post_only(DPO_ONLY),
    "diversity:population": only("carol", "dora"),
    "diversity:population_delete": post_only(only("carol", "dora")),
    "diversity:outreach": COORDINATOR_AND_ADMIN,
    "diversity:outreach_list": COORDINATOR_AND_ADMIN,
    "diversity:outreach_export": COORDINATOR_AND_ADMIN,
    "diversity:quick_questions": INVOLVEMENT_ONLY,
    "diversity:quick_question": INVOLVEMENT_ONLY,
    "diversity:quick_answer_on_behalf": INVOLVEMENT_ONLY,
    "diversity:quick_answer_public": PUBLIC,  # the secret token in the URL is the key
    # Messages.
    # Tenant Satisfaction Measures: the coordinator prepares a year, the board reads drafts,
    # and once published anyone may read the results.
    "tsm:list": only("carol", "brenda"),
    "tsm:year": only("carol", "brenda"),
    "tsm:year_edit": COORDINATOR_ONLY,
    "tsm:survey_upload": post_only(COORDINATOR_ONLY),
    "tsm:survey_remove": post_only(COORDINATOR_ONLY),
    "tsm:weights_upload": post_only(COORDINATOR_ONLY),
    "tsm:weights_clear": post_only(COORDINATOR_ONLY),
    "tsm:figures": COORDINATOR_ONLY,
    "tsm:publish": post_only(COORDINATOR_ONLY),
    "tsm:unpublish": post_only(COORDINATOR_ONLY),
    "tsm:published": PUBLIC,
    "tsm:publication": PUBLIC,
    "tsm:publication_pdf": PUBLIC,
    "tsm:submission_csv": PUBLIC,
    # The API (tests/api): a session cookie is not a credential there, only a bearer token.
    "api-v1:api-root": only(others=NOT_FOUND, anonymous=NOT_FOUND),  # nothing at the root
    "api-v1:openapi-json": PUBLIC,  # the document describes the API; it holds no data
    "api-v1:openapi-view": PUBLIC,
    "api-v1:list_people": API_ONLY,
    "api-v1:get_person": API_ONLY,
    "api-v1:patch_person": API_ONLY,  # the same path as get_person
    # Write-only API paths: a GET is 405 before any token is asked for.
    "api-v1:upsert_person": post_only(API_ONLY),
    "api-v1:bulk_upsert": post_only(API_ONLY),
    "api-v1:tenancy_ended": post_only(API_ONLY),
    "api-v1:list_sessions": API_ONLY,
    "api-v1:get_session": API_ONLY,
    "api-v1:list_attendance": API_ONLY,
    "api-v1:record_attendance": API_ONLY,  # the same path as list_attendance
    "api-v1:list_projects": API_ONLY,
    "api-v1:get_project": API_ONLY,
    "api-v1:list_decisions": API_ONLY,
    "api-v1:list_batches": API_ONLY,
    "api-v1:get_batch": API_ONLY,
    "api-v1:mark_exported": post_only(API_ONLY),
    "api-v1:voice": API_ONLY,
    "api-v1:published_promises": API_ONLY,
    "api-v1:presented_health_checks": API_ONLY,
    "api-v1:published_tsm": API_ONLY,
    "api:token_list": SYSADMIN_ONLY,
    "api:token_create": SYSADMIN_ONLY,
    "api:token_detail": SYSADMIN_ONLY,
    "api:token_revoke": post_only(SYSADMIN_ONLY),
    "webhooks:endpoint_list": SYSADMIN_ONLY,
    "webhooks:endpoint_create": SYSADMIN_ONLY,
    "webhooks:endpoint_detail": SYSADMIN_ONLY,
    "webhooks:endpoint_edit": SYSADMIN_ONLY,
    "webhooks:endpoint_rotate": post_only(SYSADMIN_ONLY),
    "webhooks:endpoint_test": post_only(SYSADMIN_ONLY),
    "webhooks:delivery_retry": post_only(SYSADMIN_ONLY),
    "messaging:unsubscribe": PUBLIC,  # the signed token in the URL is the key
    "messaging:answer": PUBLIC,  # the signed token in the URL is the key
    # Notify's callbacks: the bearer token is the key, whoever is signed in.
    "messaging:notify_status": post_only(only(others=UNAUTHORIZED, anonymous=UNAUTHORIZED)),
    "messaging:notify_inbound": post_only(only(others=UNAUTHORIZED, anonymous=UNAUTHORIZED)),
    "messaging:inbound": COORDINATOR_AND_ADMIN,
    "messaging:inbound_resolve": COORDINATOR_AND_ADMIN,
    "messaging:letters": COORDINATOR_AND_ADMIN,
    "messaging:letters_print": post_only(COORDINATOR_AND_ADMIN, get_anonymous=LOGIN),
    "messaging:letter_pack": COORDINATOR_AND_ADMIN,
    "messaging:reply_slips": COORDINATOR_AND_ADMIN,
    "messaging:outbox": COORDINATOR_AND_ADMIN,
    "messaging:message": COORDINATOR_AND_ADMIN,
    "messaging:unreached": COORDINATOR_AND_ADMIN,
    "messaging:phone_list": COORDINATOR_AND_ADMIN,
    "messaging:phone_outcome": post_only(COORDINATOR_AND_ADMIN),
    "messaging:my_preferences": TENANTS_ONLY,
    "messaging:preferences": COORDINATOR_AND_ADMIN,
    # Promises.
    "promises:list": SIGNED_IN,
    "promises:public_latest": only(others=REDIRECT, anonymous=REDIRECT),
    "promises:public": PUBLIC,
    "promises:set": only(STAFF, "alice"),
    "promises:promise": only(STAFF, "alice"),
    "promises:proposal": only(STAFF, "alice"),
    "promises:propose": only(INVOLVEMENT, "alice"),
    "promises:rank": only(INVOLVEMENT, "alice"),
    "promises:status": post_only(COORDINATOR_ONLY),
    "promises:board": COORDINATOR_ONLY,
    "promises:credits": COORDINATOR_ONLY,
    "promises:decide": post_only(only("alice")),  # the drafting group decides
    # Members of the drafting group vote and comment, or staff on a member's behalf.
    "promises:vote": post_only(only(INVOLVEMENT, "alice")),
    "promises:comment": post_only(only(INVOLVEMENT, "alice")),
    "promises:board_meeting": post_only(COORDINATOR_ONLY),
    "promises:board_decision": post_only(COORDINATOR_ONLY),
    # Health checks.
    "evaluation:list": only(INVOLVEMENT, TENANTS, "dora", "brenda"),
    "evaluation:check": HEALTH_CHECK_READERS,
    "evaluation:evidence": HEALTH_CHECK_READERS,
    "evaluation:item": HEALTH_CHECK_READERS,
    # carol's upload: other readers are told it does not exist.
    "evaluation:evidence_job": only("carol", alice=NOT_FOUND, fiona=NOT_FOUND, adam=NOT_FOUND),
    "evaluation:themes": HEALTH_CHECK_READERS,
    "evaluation:theme": HEALTH_CHECK_READERS,
    # The tenant evaluators (alice) work on the themes, the judgements and the recommendations.
    "evaluation:theme_accept": post_only(only("alice")),
    "evaluation:theme_discard": post_only(only("alice")),
    "evaluation:theme_rename": post_only(only("alice")),
    "evaluation:theme_merge": post_only(only("alice")),
    "evaluation:theme_split": post_only(only("alice")),
    "evaluation:judgement_save": post_only(only("alice")),
    "evaluation:recommendation_add": post_only(only("alice")),
    "evaluation:plan_save": post_only(only("alice", "carol")),
    "evaluation:evaluator_add": post_only(COORDINATOR_ONLY),
    "evaluation:evidence_note": post_only(only(INVOLVEMENT, "alice")),
    "evaluation:evidence_import": post_only(only(INVOLVEMENT, "alice")),
    "evaluation:evidence_tsm": post_only(only(INVOLVEMENT, "alice")),
    "evaluation:board_response": post_only(only("carol", "brenda")),
    "evaluation:action_add": post_only(COORDINATOR_ONLY),
    "evaluation:action_progress": post_only(COORDINATOR_ONLY),
    "evaluation:judgements": HEALTH_CHECK_READERS,
    "evaluation:code_next": HEALTH_CHECK_READERS,  # evaluators answer; readers see the page
    "evaluation:code_next_answer": post_only(only("alice")),
    "evaluation:report": HEALTH_CHECK_READERS,
    "evaluation:report_pdf": HEALTH_CHECK_READERS,
    "evaluation:section": only("alice"),  # the tenant evaluators write the report
    "evaluation:follow_up": HEALTH_CHECK_READERS,
    # Rewards.
    "rewards:home": only("carol", "frank"),
    "rewards:policy": SIGNED_IN,
    "rewards:policy_new": COORDINATOR_ONLY,
    "rewards:offer": only(INVOLVEMENT, "alice", "frank", "brenda"),
    "rewards:offer_edit": COORDINATOR_ONLY,
    "rewards:choices": COORDINATOR_ONLY,
    "rewards:person": COORDINATOR_ONLY,
    "rewards:person_choice": COORDINATOR_ONLY,
    "rewards:expense_new": COORDINATOR_ONLY,
    # alice's receipt: bob is told it does not exist.
    "rewards:receipt": only("alice", "carol", "frank", bob=NOT_FOUND),
    "rewards:review": COORDINATOR_ONLY,
    "rewards:accrue": post_only(COORDINATOR_ONLY, get_anonymous=LOGIN),
    "rewards:approve": FINANCE_ONLY,
    "rewards:batches": FINANCE_ONLY,
    "rewards:batch": FINANCE_ONLY,
    "rewards:batch_paid": post_only(FINANCE_ONLY, get_anonymous=LOGIN),
    "rewards:batch_bank_csv": FINANCE_ONLY,
    "rewards:batch_bank_xlsx": FINANCE_ONLY,
    "rewards:batch_vouchers_csv": FINANCE_ONLY,
    "rewards:line_correct": only("carol", "frank"),
    "rewards:mine": TENANTS_ONLY,
    "rewards:mine_choice": TENANTS_ONLY,
    "rewards:mine_expense": TENANTS_ONLY,
    "rewards:mine_summary": TENANTS_ONLY,
    # Stories.
    "stories:home": STORY_READERS,
    "stories:mine": TENANTS_ONLY,
    "stories:check_in": TENANTS_ONLY,
    "stories:journal": PROJECT_READERS,
    "stories:journal_file": only(INVOLVEMENT, "alice"),
    # A private story: the project team (owner carol, facilitator fiona, member alice) only.
    "stories:create": INVOLVEMENT_ONLY,
    "stories:detail": only("alice", "carol", "fiona"),
    "stories:edit": only("carol", "fiona"),
    "stories:split": only("carol", "fiona"),
    "stories:learning": STORY_READERS,
    "stories:learning_download": STORY_READERS,
    "stories:impact": STORY_READERS,
    "stories:impact_create": INVOLVEMENT_ONLY,
    "stories:report_latest": only(carol=REDIRECT, fiona=REDIRECT, adam=REDIRECT, brenda=REDIRECT),
    "stories:report": STORY_READERS,
    "stories:report_download": STORY_READERS,
    "stories:public_index": PUBLIC,
    "stories:public": PUBLIC,
    # Data protection.
    "tia:pack": only(INVOLVEMENT, "dora", "brenda", TENANTS),
    "tia:pack_pdf": only(INVOLVEMENT, "dora", "brenda", TENANTS),
    "privacy:register": DPO_ONLY,
    "privacy:open": DPO_ONLY,
    "privacy:detail": DPO_ONLY,
    "privacy:close": post_only(DPO_ONLY, get_anonymous=LOGIN),
    "privacy:extend": post_only(DPO_ONLY, get_anonymous=LOGIN),
    "privacy:export": post_only(DPO_ONLY, get_anonymous=LOGIN),
    "privacy:export_download": DPO_ONLY,
    "privacy:ask": post_only(TENANTS_ONLY, get_anonymous=LOGIN),
    "privacy:erasure_review": DPO_ONLY,
    "privacy:restriction": DPO_ONLY,
    "privacy:retention": DPO_ONLY,
}


def resolver_routes(resolver: URLResolver | None = None, namespace: str = "") -> Iterator[str]:
    """Every named route, with its namespaces, as reverse() wants it ("people:list")."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from resolver_routes(pattern, inner)
        elif pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name
        else:
            yield f"(unnamed route {pattern.pattern} in {namespace or 'the root'})"


def test_every_route_has_an_expected_answer():
    routes = set(resolver_routes())
    missing = sorted(routes - set(EXPECTED))
    gone = sorted(set(EXPECTED) - routes)
    assert not missing, f"Routes with no expected answer in tests/test_permissions.py: {missing}"
    assert not gone, f"EXPECTED names routes that no longer exist: {gone}"
    no_kwargs = sorted(set(KWARGS) - routes)
    assert not no_kwargs, f"KWARGS names routes that no longer exist: {no_kwargs}"
    for name, rule in EXPECTED.items():
        profile = rule.access if isinstance(rule, PostOnly) else rule
        assert set(profile) == set(ALL), f"{name}: the profile must name every persona"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module inside a transaction that is rolled back at the end; each test
    runs in a savepoint of its own inside it."""
    quiet = logging.getLogger("django.request")
    level = quiet.level
    # Hundreds of deliberate 403s and 404s: do not format a traceback for each.
    quiet.setLevel(logging.ERROR)
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, NOTIFY_CALLBACK_TOKEN="callback-token-for-tests"),
    ):
        with transaction.atomic():
            made = build_world()
            # Sign each persona in once: every test reuses the session cookie.
            made["sessions"] = {}
            for persona in PERSONAS:
                client = Client()
                client.force_login(made["users"][persona])
                made["sessions"][persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
            # Signing in changes last_login, which spends a reset link: make alice's now.
            made["reset_token"] = default_token_generator.make_token(made["users"]["alice"])
            yield made
            transaction.set_rollback(True)
    quiet.setLevel(level)


def _url(name: str, world) -> str:
    fill = KWARGS.get(name)
    return reverse(name, kwargs=fill(world) if fill else None)


def _client(persona: str, world) -> Client:
    client = Client()
    if persona != ANONYMOUS:
        client.cookies[settings.SESSION_COOKIE_NAME] = world["sessions"][persona]
    return client


def _answer(response) -> str:
    code = response.status_code
    if code == 302:
        return LOGIN if response["Location"].startswith(reverse("accounts:login")) else REDIRECT
    answers = {200: OK, 401: UNAUTHORIZED, 403: FORBIDDEN, 404: NOT_FOUND, 405: NOT_ALLOWED}
    return answers.get(code, str(code))


def _expected_get(name: str, persona: str) -> str:
    rule = EXPECTED[name]
    if isinstance(rule, PostOnly):
        return rule.get_anonymous if persona == ANONYMOUS else NOT_ALLOWED
    return rule[persona]


@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_get(world, db, name, persona):
    url = _url(name, world)
    answer = _answer(_client(persona, world).get(url))
    assert answer == _expected_get(name, persona), f"GET {url} ({name}) as {persona}"


REFUSED = [
    (name, persona)
    for name, rule in sorted(EXPECTED.items())
    for persona in ALL
    if (rule.access if isinstance(rule, PostOnly) else rule)[persona] in REFUSALS
    # An API path answers a method it does not have with 405 before asking for a token;
    # tests/api/test_schema.py makes every operation refuse writes without one.
    and not name.startswith("api-v1:")
]


def _writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "django_session" not in q["sql"]
    ]


@pytest.mark.parametrize(("name", "persona"), REFUSED)
def test_refused_post_changes_nothing(world, db, name, persona):
    rule = EXPECTED[name]
    expected = (rule.access if isinstance(rule, PostOnly) else rule)[persona]
    url = _url(name, world)
    client = _client(persona, world)
    with CaptureQueriesContext(connection) as queries:
        answer = _answer(client.post(url, {}))
    assert answer == expected, f"POST {url} ({name}) as {persona}"
    assert _writes(queries.captured_queries) == [], f"POST {url} ({name}) as {persona} wrote"
