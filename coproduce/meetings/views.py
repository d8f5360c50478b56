"""Sessions, invitations, attendance, venues and resourcing. Thin: check, call a service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import ProtectedError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from coproduce.accounts import roles
from coproduce.accounts.types import AuthenticatedHttpRequest
from coproduce.core.audit import audit_record
from coproduce.core.forms import submit
from coproduce.meetings import calendar, selectors, services
from coproduce.meetings.forms import (
    MeetingFilterForm,
    MeetingForm,
    PeopleSearchForm,
    RegisterFormSet,
    RoomBookingForm,
    RoomForm,
    RsvpForm,
    RsvpOnBehalfForm,
    StaffAssignForm,
    TimeGivenForm,
    VenueForm,
)
from coproduce.meetings.models import (
    CalendarFeed,
    Invitation,
    Meeting,
    RecordedVia,
    Room,
    SessionStaff,
    Venue,
)
from coproduce.people.models import Person
from coproduce.projects.models import Project


def _own_person(request: HttpRequest) -> Person | None:
    return Person.objects.filter(user_id=request.user.pk or 0).first()


def _get_meeting_for_user(
    request: HttpRequest, pk: int, *, write: bool = False
) -> tuple[Meeting, Invitation | None]:
    """The session, if this user may see it (or change it, with write=True)."""
    user = request.user
    if write and not roles.can_run_sessions(user):
        raise PermissionDenied
    if not (roles.can_see_all_projects(user) or roles.is_tenant(user)):
        raise PermissionDenied
    meeting = selectors.meeting_for_detail(pk)
    if meeting is None:
        raise Http404
    invitation = None
    if roles.is_tenant(user):
        # Tenants see only sessions they are invited to.
        invitation = selectors.invitation_for_user(meeting, user.pk)
        if invitation is None:
            raise PermissionDenied
    return meeting, invitation


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# Sessions -------------------------------------------------------------------------------------


@login_required
def meeting_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if roles.is_tenant(request.user):
        person = _own_person(request)
        invitations = (
            selectors.person_invitations(person).order_by("-meeting__starts_at", "-id")
            if person
            else Invitation.objects.none()
        )
        mine = Paginator(invitations, 25).get_page(request.GET.get("page"))
        return render(request, "meetings/my_sessions.html", {"page": mine, "query": ""})
    if not roles.can_see_all_projects(request.user):
        raise PermissionDenied
    form = MeetingFilterForm(request.GET or None)
    meetings = selectors.meeting_list(form.cleaned_data if form.is_valid() else {})
    page = Paginator(meetings, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "form": form,
            "page": page,
            "query": _query_without_page(request),
            "can_edit": roles.can_run_sessions(request.user),
        },
    )


def _meeting_data(form: MeetingForm) -> dict[str, Any]:
    return dict(form.cleaned_data)


@login_required
def meeting_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not roles.can_run_sessions(request.user):
        raise PermissionDenied
    initial = {}
    if request.GET.get("project", "").isdigit():
        initial["project"] = request.GET["project"]
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(
                data=_meeting_data(form), actor=request.user, request=request
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"The session '{meeting.title}' has been added.")
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": None})


@login_required
def meeting_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting, _ = _get_meeting_for_user(request, pk, write=True)
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and submit(
        form,
        lambda data: services.meeting_update(
            meeting=meeting, data=_meeting_data(form), actor=request.user, request=request
        ),
    ):
        messages.success(request, "The session has been updated.")
        return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting})


@login_required
def meeting_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting, invitation = _get_meeting_for_user(request, pk)
    booking = getattr(meeting, "booking", None)
    context: dict[str, Any] = {"meeting": meeting, "booking": booking, "invitation": invitation}
    if invitation is not None:
        context["rsvp_form"] = RsvpForm(initial={"rsvp": invitation.rsvp})
        return render(request, "meetings/meeting_detail_tenant.html", context)
    counts = selectors.meeting_counts(meeting)
    capacity_warning = ""
    if booking is not None and meeting.capacity and booking.room.capacity < meeting.capacity:
        capacity_warning = (
            f"{booking.room.name} holds {booking.room.capacity} people, but the session is "
            f"for up to {meeting.capacity}."
        )
    context.update(
        {
            "counts": counts,
            "invitations": selectors.meeting_invitations(meeting),
            "attendances": selectors.meeting_attendances(meeting),
            "staff": selectors.meeting_staff(meeting),
            "capacity_warning": capacity_warning,
            "over_capacity": bool(meeting.capacity and counts["yes"] > meeting.capacity),
            "can_edit": roles.can_run_sessions(request.user),
            # The question meetings:person_history asks before it shows anyone's history.
            "can_see_history": roles.can_list_people(request.user),
            "booking_form": RoomBookingForm(),
            "staff_form": StaffAssignForm(),
            "reply_form": RsvpOnBehalfForm(),
        }
    )
    return render(request, "meetings/meeting_detail.html", context)


@login_required
def meeting_print(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting, _ = _get_meeting_for_user(request, pk)
    return render(
        request,
        "meetings/meeting_print.html",
        {"meeting": meeting, "booking": getattr(meeting, "booking", None)},
    )


@login_required
def meeting_ics(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting, _ = _get_meeting_for_user(request, pk)
    body = calendar.calendar_bytes([meeting], name=meeting.title)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="session-{meeting.pk}.ics"'
    return response


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A person's own calendar, by secret address: calendar apps cannot sign in."""
    feed = CalendarFeed.objects.select_related("person").filter(token=token).first()
    if feed is None:
        raise Http404
    invitations = selectors.feed_invitations(feed.person)
    body = calendar.calendar_bytes([i.meeting for i in invitations], name="My sessions")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


@require_POST
@login_required
def my_calendar(request: AuthenticatedHttpRequest) -> HttpResponse:
    person = _own_person(request)
    if not roles.is_tenant(request.user) or person is None:
        raise PermissionDenied
    services.calendar_feed_for(person=person)
    messages.success(request, "Your calendar address is ready. Copy it into your calendar app.")
    return redirect(reverse("home:home") + "#my-calendar")


# Invitations and replies ----------------------------------------------------------------------


@login_required
def meeting_invite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting, _ = _get_meeting_for_user(request, pk, write=True)
    if request.method == "POST":
        try:
            if request.POST.get("members"):
                added = services.invitations_for_members(
                    meeting=meeting, actor=request.user, request=request
                )
            else:
                ids = [int(v) for v in request.POST.getlist("person") if v.isdigit()]
                if not ids:
                    messages.error(request, "Choose at least one person to invite.")
                    return redirect(reverse("meetings:invite", args=[meeting.pk]))
                people = Person.objects.filter(pk__in=ids)
                added = services.invitations_create(
                    meeting=meeting, people=people, actor=request.user, request=request
                )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("meetings:invite", pk=meeting.pk)
        if added:
            messages.success(request, f"{added} {'person' if added == 1 else 'people'} invited.")
        else:
            messages.success(request, "Everyone you chose was already invited.")
        return redirect("meetings:detail", pk=meeting.pk)
    form = PeopleSearchForm(request.GET or None)
    invited = {i.person_id for i in selectors.meeting_invitations(meeting)}
    results = selectors.people_search(form.cleaned_data["q"]) if form.is_valid() else []
    counts = selectors.meeting_counts(meeting)
    return render(
        request,
        "meetings/meeting_invite.html",
        {
            "meeting": meeting,
            "form": form,
            "results": results,
            "invited": invited,
            "counts": counts,
            "searched": form.is_bound,
        },
    )


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


@require_POST
@login_required
def rsvp(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The person replies to their own invitation."""
    # Their own invitation only: one query, joined to the person through their login.
    invitation = get_object_or_404(
        Invitation.objects.select_related("meeting"), pk=pk, person__user_id=request.user.pk
    )
    form = RsvpForm(request.POST)
    if form.is_valid():
        try:
            services.rsvp_record(
                invitation=invitation,
                rsvp=form.cleaned_data["rsvp"],
                via=RecordedVia.WEB,
                actor=request.user,
                request=request,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Thank you. We have your reply for '{invitation.meeting}'.")
    else:
        messages.error(request, "Choose coming, maybe or not coming.")
    return _back(request, reverse("meetings:detail", args=[invitation.meeting_id]))


@require_POST
@login_required
def rsvp_on_behalf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Staff write down a reply given by phone, on paper or in person."""
    if not roles.can_run_sessions(request.user):
        raise PermissionDenied
    invitation = get_object_or_404(Invitation.objects.select_related("person", "meeting"), pk=pk)
    form = RsvpOnBehalfForm(request.POST)
    if form.is_valid():
        try:
            services.rsvp_record(
                invitation=invitation,
                rsvp=form.cleaned_data["rsvp"],
                via=form.cleaned_data["via"],
                actor=request.user,
                request=request,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Reply recorded for {invitation.person.full_name}.")
    else:
        messages.error(request, "Choose the reply and how they gave it.")
    return redirect(reverse("meetings:detail", args=[invitation.meeting_id]) + "#invited")


# Rooms and staff for a session ----------------------------------------------------------------


@require_POST
@login_required
def meeting_book_room(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting, _ = _get_meeting_for_user(request, pk, write=True)
    form = RoomBookingForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a room to book.")
    else:
        room = form.cleaned_data["room"]
        try:
            services.room_book(meeting=meeting, room=room, actor=request.user, request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{room} is booked for this session.")
    return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#room")


@require_POST
@login_required
def meeting_release_room(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting, _ = _get_meeting_for_user(request, pk, write=True)
    services.room_unbook(meeting=meeting, actor=request.user, request=request)
    messages.success(request, "The room booking has been released.")
    return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#room")


@require_POST
@login_required
def meeting_assign_staff(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting, _ = _get_meeting_for_user(request, pk, write=True)
    form = StaffAssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a member of staff and their role.")
    else:
        try:
            member = services.staff_assign(
                meeting=meeting,
                user=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
                actor=request.user,
                request=request,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{member.user} is working at this session.")
    return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#staff")


@require_POST
@login_required
def meeting_remove_staff(request: AuthenticatedHttpRequest, pk: int, staff_pk: int) -> HttpResponse:
    meeting, _ = _get_meeting_for_user(request, pk, write=True)
    member = get_object_or_404(
        SessionStaff.objects.select_related("user"), pk=staff_pk, meeting=meeting
    )
    services.staff_remove(member=member, actor=request.user, request=request)
    messages.success(request, f"{member.user} is no longer working at this session.")
    return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#staff")


# Attendance -----------------------------------------------------------------------------------


@login_required
def meeting_register(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting, _ = _get_meeting_for_user(request, pk, write=True)
    invitations = selectors.meeting_invitations(meeting)
    attendances = {a.person_id: a for a in selectors.meeting_attendances(meeting)}
    people = {i.person_id: i.person for i in invitations}
    for record in attendances.values():
        people.setdefault(record.person_id, record.person)
    extra_ids = [int(v) for v in request.POST.getlist("extra") if v.isdigit()]
    search = PeopleSearchForm(request.GET or None)
    found = (
        selectors.people_search(search.cleaned_data["q"], exclude_ids=set(people), limit=20)
        if search.is_valid()
        else []
    )
    for extra in [*found, *Person.objects.filter(pk__in=extra_ids)]:
        people.setdefault(extra.pk, extra)
    ordered = sorted(people.values(), key=lambda p: (p.last_name, p.first_name, p.pk))
    initial = []
    for listed in ordered:
        a = attendances.get(listed.pk)
        initial.append(
            {
                "person_id": listed.pk,
                "took_part": a is not None,
                "took_part_via": a.took_part_via if a else meeting.channel,
                "minutes": a.minutes if a else meeting.duration_minutes,
                "recorded_via": a.recorded_via if a else RecordedVia.IN_PERSON,
            }
        )
    formset = RegisterFormSet(request.POST or None, initial=initial)
    if request.method == "POST" and formset.is_valid():
        rows = []
        for row in formset.cleaned_data:
            chosen = people.get(row.get("person_id", 0))
            if chosen is not None:
                rows.append({**row, "person": chosen})
        try:
            recorded, removed = services.attendance_register(
                meeting=meeting, rows=rows, actor=request.user, request=request
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                f"Register saved: {recorded} recorded, {removed} removed.",
            )
            return redirect("meetings:detail", pk=meeting.pk)
    rows_for_template = []
    for form in formset.forms:
        raw = str(form["person_id"].value() or "")
        shown = people.get(int(raw)) if raw.isdigit() else None
        if shown is not None:
            rows_for_template.append((shown, form))
    return render(
        request,
        "meetings/meeting_register.html",
        {
            "meeting": meeting,
            "formset": formset,
            "rows": rows_for_template,
            "search": search,
            "found": found,
            "invited_ids": {i.person_id for i in invitations},
        },
    )


@login_required
def person_history(request: AuthenticatedHttpRequest, person_pk: int) -> HttpResponse:
    if not roles.can_list_people(request.user):
        raise PermissionDenied
    person = get_object_or_404(Person, pk=person_pk)
    can_record = roles.can_run_sessions(request.user)
    form = TimeGivenForm(request.POST or None)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        if submit(
            form,
            lambda data: services.time_given_record(
                person=person, actor=request.user, request=request, **data
            ),
        ):
            messages.success(request, f"Time given recorded for {person.full_name}.")
            return redirect("meetings:person_history", person_pk=person.pk)
    audit_record(
        action="person.history_viewed",
        actor=request.user,
        obj=person,
        request=request,
        summary="Viewed history of involvement",
    )
    return render(
        request,
        "meetings/person_history.html",
        {
            "person": person,
            "history": selectors.person_history(person),
            "form": form,
            "can_record": can_record,
        },
    )


# Venues and rooms -----------------------------------------------------------------------------


def _check_venues(request: HttpRequest, *, write: bool = False) -> None:
    allowed = roles.can_manage_venues if write else roles.can_run_sessions
    if not allowed(request.user):
        raise PermissionDenied


@login_required
def venue_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _check_venues(request)
    venues = Venue.objects.prefetch_related("rooms")
    page = Paginator(venues, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/venue_list.html",
        {"page": page, "query": "", "can_edit": roles.can_manage_venues(request.user)},
    )


@login_required
def venue_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _check_venues(request)
    venue = get_object_or_404(Venue.objects.prefetch_related("rooms"), pk=pk)
    return render(
        request,
        "meetings/venue_detail.html",
        {"venue": venue, "can_edit": roles.can_manage_venues(request.user)},
    )


@login_required
def venue_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    _check_venues(request, write=True)
    venue = get_object_or_404(Venue, pk=pk) if pk else None
    form = VenueForm(request.POST or None, instance=venue)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.venue_save(
                venue=venue, data=form.cleaned_data, actor=request.user, request=request
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{saved.name} has been saved.")
            return redirect("meetings:venue_detail", pk=saved.pk)
    return render(request, "meetings/venue_form.html", {"form": form, "venue": venue})


@login_required
def room_edit(
    request: AuthenticatedHttpRequest, venue_pk: int | None = None, pk: int | None = None
) -> HttpResponse:
    _check_venues(request, write=True)
    room = get_object_or_404(Room.objects.select_related("venue"), pk=pk) if pk else None
    venue = room.venue if room else get_object_or_404(Venue, pk=venue_pk)
    form = RoomForm(request.POST or None, instance=room, venue=venue)
    if request.method == "POST" and submit(
        form,
        lambda data: services.room_save(
            room=room, venue=venue, data=data, actor=request.user, request=request
        ),
    ):
        messages.success(request, "The room has been saved.")
        return redirect("meetings:venue_detail", pk=venue.pk)
    return render(request, "meetings/room_form.html", {"form": form, "venue": venue, "room": room})


@require_POST
@login_required
def room_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _check_venues(request, write=True)
    room = get_object_or_404(Room.objects.select_related("venue"), pk=pk)
    try:
        services.room_delete(room=room, actor=request.user, request=request)
    except (ValidationError, ProtectedError) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else "It has bookings."
        messages.error(request, text)
    else:
        messages.success(request, f"{room.name} has been removed.")
    return redirect("meetings:venue_detail", pk=room.venue_id)


# Resourcing -----------------------------------------------------------------------------------


@login_required
def project_resourcing(request: AuthenticatedHttpRequest, project_pk: int) -> HttpResponse:
    if not roles.can_see_resourcing(request.user):
        raise PermissionDenied
    project = get_object_or_404(Project, pk=project_pk)
    return render(
        request,
        "meetings/resourcing.html",
        {"project": project, "resourcing": selectors.project_resourcing(project)},
    )
