"""Roles and what each may do. Views ask these questions; they never compare role names."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from coproduce.accounts.models import User
    from coproduce.accounts.types import Visitor
    from coproduce.evaluation.models import HealthCheck
    from coproduce.projects.models import Project
    from coproduce.promises.models import PromiseSet
    from coproduce.stories.models import JournalFile, Story


class Role(models.TextChoices):
    TENANT = "tenant", "Tenant or customer"
    COORDINATOR = "coordinator", "Involvement coordinator"
    FACILITATOR = "facilitator", "Facilitator"
    ADMIN_SUPPORT = "admin_support", "Admin support"
    FINANCE = "finance", "Finance"
    DATA_PROTECTION = "data_protection", "Data-protection lead"
    BOARD = "board", "Board member"
    COLLEAGUE = "colleague", "Colleague in another team"
    SYSADMIN = "sysadmin", "System admin"


# Tenant evaluators are tenants given the evaluator role for one health check
# (see the evaluation app); it is a membership, not an account role.

STAFF_ROLES = frozenset(
    {
        Role.COORDINATOR,
        Role.FACILITATOR,
        Role.ADMIN_SUPPORT,
        Role.FINANCE,
        Role.DATA_PROTECTION,
        Role.BOARD,
        Role.COLLEAGUE,
        Role.SYSADMIN,
    }
)
# Two-step sign-in is required (when STAFF_TWO_STEP_REQUIRED is on) for every staff role,
# because every staff role reaches personal data: the involvement team, finance (bank details),
# the data-protection lead (equality answers) and the system admin (every account) obviously;
# board members see every project's members and tenants' stories; colleagues see the members
# of the projects they asked for help with. A role added later is covered until someone decides
# it sees no personal data.
TWO_STEP_ROLES = STAFF_ROLES
# The involvement team works with people's records day to day.
INVOLVEMENT_TEAM = frozenset({Role.COORDINATOR, Role.FACILITATOR, Role.ADMIN_SUPPORT})


def _role(user: Visitor | None) -> str | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return str(getattr(user, "role", ""))


def is_staff_role(role: str) -> bool:
    """For a role value not yet on a signed-in user (a model property, the demo's plan)."""
    return role in STAFF_ROLES


def is_tenant_role(role: str) -> bool:
    return role == Role.TENANT


def is_staff_member(user: Visitor | None) -> bool:
    return _role(user) in STAFF_ROLES


def is_tenant(user: Visitor | None) -> bool:
    return _role(user) == Role.TENANT


def must_use_two_step(user: Visitor | None) -> bool:
    return _role(user) in TWO_STEP_ROLES


def can_list_people(user: Visitor | None) -> bool:
    return _role(user) in INVOLVEMENT_TEAM | {Role.DATA_PROTECTION}


def can_edit_people(user: Visitor | None) -> bool:
    return _role(user) in INVOLVEMENT_TEAM


def can_import_people(user: Visitor | None) -> bool:
    return _role(user) == Role.COORDINATOR


def can_triage_interest(user: Visitor | None) -> bool:
    return _role(user) in {Role.COORDINATOR, Role.ADMIN_SUPPORT}


def can_read_audit(user: Visitor | None) -> bool:
    return _role(user) == Role.DATA_PROTECTION


def can_manage_accounts(user: Visitor | None) -> bool:
    return _role(user) == Role.SYSADMIN


def can_manage_webhooks(user: Visitor | None) -> bool:
    """Webhooks send events to the landlord's other systems: the system admin sets them up."""
    return _role(user) == Role.SYSADMIN


# Projects and sessions.
def can_see_all_projects(user: Visitor | None) -> bool:
    return _role(user) in INVOLVEMENT_TEAM | {Role.BOARD}


def can_manage_projects(user: Visitor | None) -> bool:
    return _role(user) == Role.COORDINATOR


def can_record_decisions(user: Visitor | None) -> bool:
    return _role(user) in {Role.COORDINATOR, Role.FACILITATOR}


def can_run_sessions(user: Visitor | None) -> bool:
    return _role(user) in INVOLVEMENT_TEAM


def looks_after_every_session(user: Visitor | None) -> bool:
    """Their home page counts replies to record for every session, not just the ones they run."""
    return _role(user) == Role.COORDINATOR


def can_manage_venues(user: Visitor | None) -> bool:
    return _role(user) in {Role.COORDINATOR, Role.ADMIN_SUPPORT}


def can_see_resourcing(user: Visitor | None) -> bool:
    return _role(user) in {Role.COORDINATOR, Role.ADMIN_SUPPORT, Role.FINANCE}


def can_request_support(user: Visitor | None) -> bool:
    return _role(user) in STAFF_ROLES


def can_triage_support(user: Visitor | None) -> bool:
    return _role(user) == Role.COORDINATOR


def can_give_logins(user: Visitor | None) -> bool:
    return _role(user) in {Role.COORDINATOR, Role.ADMIN_SUPPORT}


# Diversity of voice. Per-person equality data is for the data-protection lead alone.
def can_see_diversity(user: Visitor | None) -> bool:
    return _role(user) in INVOLVEMENT_TEAM | {Role.BOARD, Role.DATA_PROTECTION}


def sees_unsuppressed_figures(user: Visitor | None) -> bool:
    return _role(user) == Role.DATA_PROTECTION


def can_read_equality_records(user: Visitor | None) -> bool:
    return _role(user) == Role.DATA_PROTECTION


def can_record_equality_for_others(user: Visitor | None) -> bool:
    return _role(user) in INVOLVEMENT_TEAM


def can_manage_population(user: Visitor | None) -> bool:
    return _role(user) in {Role.COORDINATOR, Role.DATA_PROTECTION}


def can_do_outreach(user: Visitor | None) -> bool:
    return _role(user) in {Role.COORDINATOR, Role.ADMIN_SUPPORT}


def can_send_quick_questions(user: Visitor | None) -> bool:
    return _role(user) == Role.COORDINATOR


# Messages: texts that came back in and could not be read wait for the coordinator or admin
# support, who take replies by phone and post too.
def can_handle_replies(user: Visitor | None) -> bool:
    return _role(user) in {Role.COORDINATOR, Role.ADMIN_SUPPORT}


# Letters by post: printing the packs and typing in the reply slips that come back.
def can_print_letters(user: Visitor | None) -> bool:
    return _role(user) in {Role.COORDINATOR, Role.ADMIN_SUPPORT}


def can_enter_reply_slips(user: Visitor | None) -> bool:
    return _role(user) in {Role.COORDINATOR, Role.ADMIN_SUPPORT}


# Rewards: the coordinator reviews, finance approves and pays; each person sees their own.
def can_manage_rewards(user: Visitor | None) -> bool:
    return _role(user) == Role.COORDINATOR


def can_approve_payments(user: Visitor | None) -> bool:
    return _role(user) == Role.FINANCE


# Stories and impact.
def can_see_stories(user: Visitor | None) -> bool:
    return _role(user) in INVOLVEMENT_TEAM | {Role.BOARD}


def can_manage_stories(user: Visitor | None) -> bool:
    return _role(user) in INVOLVEMENT_TEAM


# Data protection: the register of subject access, erasure and restriction requests.
def can_manage_data_requests(user: Visitor | None) -> bool:
    return _role(user) == Role.DATA_PROTECTION


# Questions about one record of an app above this one (projects, promises, evaluation, rewards,
# stories). They read the record's own fields and relations; this module never imports those
# apps' models at run time (only for annotations), so the values of their choices are written out.
JOURNAL_PROJECT_ONLY = "project"  # stories.models.ShareConsent.PROJECT
STORY_PRIVATE = "private"  # stories.models.StoryConsent.PRIVATE
SET_OPEN_TO_STAFF = ("adopted", "published")  # promises.models.SetStatus


def _login(user: Visitor | None) -> User | None:
    """The active signed-in user asking, or None for an anonymous visitor or a closed account."""
    from coproduce.accounts.models import User  # noqa: PLC0415 (models imports this module)

    return user if isinstance(user, User) and user.is_active else None


def can_see_project(user: Visitor | None, project: Project) -> bool:
    """Staff who see every project; the project's tenants; staff on it or asked to support it."""
    if can_see_all_projects(user):
        return True
    login = _login(user)
    if login is None:
        return False
    if is_tenant(login):
        return project.members.filter(person__user=login).exists()
    return (
        project.support_requests.filter(requested_by=login).exists()
        or project.staff.filter(user=login).exists()
    )


def in_project_team(user: Visitor | None, project: Project) -> bool:
    """Its owner, its staff and its members (tenants)."""
    login = _login(user)
    if login is None:
        return False
    return (
        project.owner_id == login.pk
        or project.staff.filter(user=login).exists()
        or project.members.filter(person__user=login).exists()
    )


def can_see_set(user: Visitor | None, promise_set: PromiseSet) -> bool:
    """Adopted and published promises are for every member of staff; drafts for the project."""
    if promise_set.status in SET_OPEN_TO_STAFF and is_staff_member(user):
        return True
    return can_see_project(user, promise_set.project)


def is_evaluator(user: Visitor | None, check: HealthCheck) -> bool:
    """A tenant chosen to evaluate this health check."""
    login = _login(user)
    return is_tenant(login) and check.evaluators.filter(person__user=login).exists()


def can_see_check(user: Visitor | None, check: HealthCheck) -> bool:
    return (
        can_see_all_projects(user) or is_evaluator(user, check) or can_read_equality_records(user)
    )


def can_respond_for_board(user: Visitor | None) -> bool:
    """Write down the board's response to a recommendation: the coordinator or a board member."""
    return _role(user) in {Role.COORDINATOR, Role.BOARD}


# The TIA evidence pack (issue #17): tenants use it to scrutinise their landlord; the board, the
# involvement team and the data-protection lead read it too. Every figure in it is an aggregate.
def can_see_tia_pack(user: Visitor | None) -> bool:
    return _role(user) in INVOLVEMENT_TEAM | {Role.BOARD, Role.DATA_PROTECTION, Role.TENANT}


def can_see_rewards_home(user: Visitor | None) -> bool:
    return can_manage_rewards(user) or can_approve_payments(user)


def can_correct_lines(user: Visitor | None) -> bool:
    return can_manage_rewards(user) or can_approve_payments(user)


def can_read_offer(user: Visitor | None, project: Project) -> bool:
    """A project's reward offer: the rewards team, staff who see every project, its tenants."""
    if can_manage_rewards(user) or can_approve_payments(user):
        return True
    login = _login(user)
    if is_tenant(login):
        return project.members.filter(person__user=login, left_on__isnull=True).exists()
    return can_see_all_projects(user)


def can_see_journal(user: Visitor | None, project: Project) -> bool:
    """A project's journal is open to whoever may see the project."""
    return can_see_project(user, project)


def sees_whole_journal(user: Visitor | None, project: Project) -> bool:
    """The project team and the involvement team also see entries kept within the project."""
    return can_manage_stories(user) or in_project_team(user, project)


def can_write_journal(user: Visitor | None, project: Project) -> bool:
    return sees_whole_journal(user, project)


def can_see_journal_file(user: Visitor | None, item: JournalFile) -> bool:
    project = item.entry.project
    if not can_see_journal(user, project):
        return False
    return item.entry.consent != JOURNAL_PROJECT_ONLY or sees_whole_journal(user, project)


def can_see_story(user: Visitor | None, story: Story) -> bool:
    """The interviewer and the project team; staff who read stories, unless it is private."""
    login = _login(user)
    if login is None:
        return False
    if story.interviewer_id == login.pk or in_project_team(login, story.project):
        return True
    return story.consent != STORY_PRIVATE and can_see_stories(user)


def can_edit_story(user: Visitor | None, story: Story) -> bool:
    return can_manage_stories(user) and can_see_story(user, story)


# Messages (issue #16): the outbox, who could not be reached, the phone list, and a person's
# contact preferences edited on their behalf.
def can_see_messages(user: Visitor | None) -> bool:
    return _role(user) in {Role.COORDINATOR, Role.ADMIN_SUPPORT}


def can_ring_people(user: Visitor | None) -> bool:
    return _role(user) in {Role.COORDINATOR, Role.ADMIN_SUPPORT}


def can_edit_contact_preferences(user: Visitor | None) -> bool:
    return _role(user) in {Role.COORDINATOR, Role.ADMIN_SUPPORT}


# Tenant Satisfaction Measures (issue #17): the coordinator runs a year's figures; the board reads
# them before they are published; once published they are public.
def can_manage_tsm(user: Visitor | None) -> bool:
    return _role(user) == Role.COORDINATOR


def can_see_tsm_drafts(user: Visitor | None) -> bool:
    return _role(user) in {Role.COORDINATOR, Role.BOARD}
