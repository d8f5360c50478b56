from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from coproduce.accounts import roles


def _nav(request: HttpRequest) -> list[dict[str, Any]]:
    user = request.user
    if not user.is_authenticated:
        return []
    items: list[tuple[str, str]] = [("Home", reverse("home:home"))]
    if roles.is_tenant(user):
        items.append(("My profile", reverse("people:my_profile")))
        items.append(("About me", reverse("diversity:about_me")))
        items.append(("My rewards", reverse("rewards:mine")))
        items.append(("My journey", reverse("stories:mine")))
    if roles.can_see_all_projects(user) or roles.is_tenant(user):
        items.append(("Projects", reverse("projects:list")))
    if roles.can_run_sessions(user) or roles.is_tenant(user) or roles.can_see_all_projects(user):
        items.append(("Sessions", reverse("meetings:list")))
    items.append(("Promises", reverse("promises:list")))
    if (
        roles.can_see_all_projects(user)
        or roles.is_tenant(user)
        or roles.can_read_equality_records(user)
    ):
        items.append(("Health checks", reverse("evaluation:list")))
    if roles.can_see_tsm_drafts(user):
        items.append(("Satisfaction measures", reverse("tsm:list")))
    if roles.can_see_tia_pack(user):
        items.append(("Evidence pack", reverse("tia:pack")))
    if roles.can_request_support(user):
        items.append(("Ask for help", reverse("projects:support_list")))
    if roles.can_list_people(user):
        items.append(("People", reverse("people:list")))
    if roles.can_see_diversity(user):
        items.append(("Whose voice", reverse("diversity:dashboard")))
    if roles.can_do_outreach(user):
        items.append(("Outreach", reverse("diversity:outreach")))
    if roles.can_manage_rewards(user) or roles.can_approve_payments(user):
        items.append(("Rewards", reverse("rewards:home")))
    if roles.can_see_stories(user):
        items.append(("Stories and impact", reverse("stories:home")))
    if roles.can_manage_venues(user):
        items.append(("Venues", reverse("meetings:venue_list")))
    if roles.can_print_letters(user):
        items.append(("Letters", reverse("messaging:letters")))
    if roles.can_triage_interest(user):
        items.append(("New sign-ups", reverse("people:interest_list")))
    if roles.can_handle_replies(user):
        items.append(("Texts received", reverse("messaging:inbound")))
    if roles.can_import_people(user):
        items.append(("Import people", reverse("people:import")))
    if roles.can_manage_data_requests(user):
        items.append(("Data requests", reverse("privacy:register")))
    if roles.can_see_messages(user):
        items.append(("Messages", reverse("messaging:outbox")))
    if roles.can_read_audit(user):
        items.append(("Audit log", reverse("home:audit_log")))
    if roles.can_manage_accounts(user):
        items.append(("Accounts", reverse("accounts:account_list")))
        items.append(("API tokens", reverse("api:token_list")))
    if roles.can_manage_webhooks(user):
        items.append(("Webhooks", reverse("webhooks:endpoint_list")))
    path = request.path
    # The most specific matching link is the current one (/people/import/ over /people/).
    matches = [url for _, url in items if path == url or (url != "/" and path.startswith(url))]
    current = max(matches, key=len) if matches else None
    return [{"label": label, "url": url, "current": url == current} for label, url in items]


def shell(request: HttpRequest) -> dict[str, Any]:
    return {
        "site_name": settings.SITE_NAME,
        "organisation_name": settings.ORGANISATION_NAME,
        "nav_items": _nav(request),
    }
