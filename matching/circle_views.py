"""Staff pages for mentoring circles: the current program's circles, a new circle, and one
circle with its members, its meetings and the actions its status allows (add a member, start,
a member leaves, log a meeting, close). Each action calls its service, which decides whether
the move is allowed; refusals show on the form or as a message."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentorship.forms import add_service_error
from participants.models import Participation
from programs.access import current_program, staff_required
from programs.activity import activity_for_object
from programs.selectors import programs_visible_to

from . import circle_services
from .circle_forms import CircleCloseForm, CircleForm, CircleMemberAddForm, CircleMemberLeaveForm, MeetingForm
from .meeting_services import circle_takes_meetings, meeting_log
from .models import Circle, CircleMembership, Meeting
from .selectors import circles_visible_to, get_circle_for_user, mentors_available_to
from .services import MENTOR_MATCHABLE

C = Circle.Status
MENTOR, MENTEE = CircleMembership.Role.MENTOR, CircleMembership.Role.MENTEE


# --- Reads within a circle the user may see ------------------------------------------------------


def _circles_with_counts(circles: QuerySet[Circle]) -> QuerySet[Circle]:
    """Each circle with its current mentors and mentees, its meetings and the last one's date.
    The meeting figures are subqueries, so that members and meetings do not multiply."""
    meetings = Meeting.objects.filter(circle=OuterRef("pk")).order_by().values("circle")
    current = Q(memberships__left_at__isnull=True)
    return circles.annotate(
        mentor_count=Count("memberships", filter=current & Q(memberships__role=MENTOR)),
        mentee_count=Count("memberships", filter=current & Q(memberships__role=MENTEE)),
        meeting_count=Coalesce(Subquery(meetings.annotate(n=Count("pk")).values("n")), 0),
        last_meeting_on=Subquery(meetings.annotate(last=Max("occurred_on")).values("last")),
    ).order_by("name", "pk")


def _membership_of(circle: Circle, membership_id: int) -> CircleMembership:
    try:
        return circle.memberships.select_related("participation__person").get(pk=membership_id)
    except CircleMembership.DoesNotExist:
        raise Http404 from None


def _current_members(circle: Circle) -> QuerySet[CircleMembership]:
    return (
        circle.memberships.filter(left_at__isnull=True)
        .select_related("participation__person")
        .order_by("-role", "participation__person__last_name", "participation__person__first_name", "pk")
    )


def _eligible(circle: Circle, current: list[CircleMembership]) -> QuerySet[Participation]:
    """Who may join, as `circle_add_member` allows: the program's mentees and the mentors its
    mentees may have (its own, and those of programs sharing mentors), ready to match or already
    matched, not in the circle now. Mentors only while the circle has room for one."""
    program = circle.program
    people = Q(program=program, role=Participation.Role.MENTEE, status__in=MENTOR_MATCHABLE)
    if sum(member.role == MENTOR for member in current) < circle_services.MAX_MENTORS:
        people |= Q(pk__in=mentors_available_to(program).values("pk"))
    return (
        Participation.objects.filter(people)
        .exclude(pk__in=[member.participation_id for member in current])
        .select_related("person", "program")
        .order_by("-role", "person__last_name", "person__first_name", "pk")
    )


# --- Pages ---------------------------------------------------------------------------------------


@staff_required
def circle_list(request: HttpRequest) -> HttpResponse:
    program = current_program(request)
    circles = Circle.objects.none()
    if program is not None:
        circles = _circles_with_counts(circles_visible_to(request.user).filter(program=program))
    page = Paginator(circles, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "matching/circles/circle_list.html", {"program": program, "page_obj": page})


@staff_required
def circle_create(request: HttpRequest) -> HttpResponse:
    program = current_program(request)
    form = None
    if program is not None:
        form = CircleForm(request.POST or None, program=program)
        if request.method == "POST" and form.is_valid():
            try:
                circle = circle_services.circle_create(
                    program=program,
                    name=form.cleaned_data["name"],
                    focus=form.cleaned_data["focus"],
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("The circle is created. Add its mentors and mentees."))
                return redirect("matching:circle_detail", circle.pk)
    return render(request, "matching/circles/circle_form.html", {"program": program, "form": form})


@staff_required
def circle_detail(request: HttpRequest, circle_id: int) -> HttpResponse:
    return _render_detail(request, get_circle_for_user(request.user, circle_id))


def _render_detail(
    request: HttpRequest,
    circle: Circle,
    *,
    add_form: CircleMemberAddForm | None = None,
    close_form: CircleCloseForm | None = None,
) -> HttpResponse:
    # Mentors first, then in the order they joined.
    members = list(
        circle.memberships.select_related("participation__person", "participation__program").order_by(
            "-role", "joined_at", "pk"
        )
    )
    current = [member for member in members if member.left_at is None]
    past = sorted((m for m in members if m.left_at is not None), key=lambda m: m.left_at, reverse=True)
    mentors = sum(member.role == MENTOR for member in current)
    is_open = circle.status != C.CLOSED
    if is_open and add_form is None:
        add_form = CircleMemberAddForm(circle=circle, eligible=_eligible(circle, current))
    # A bound form shows its errors even when nobody is left to choose.
    can_add = is_open and (add_form.is_bound or add_form.fields["participation"].queryset.exists())
    meetings = circle.meetings.select_related("logged_by").prefetch_related(
        Prefetch(
            "attendees",
            queryset=CircleMembership.objects.select_related("participation__person").order_by(
                "-role", "participation__person__last_name", "participation__person__first_name", "pk"
            ),
        )
    )
    meetings_page = Paginator(meetings, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    total_minutes = 0
    if meetings_page.paginator.count:
        total_minutes = circle.meetings.aggregate(total=Sum("duration_minutes"))["total"]
    return render(
        request,
        "matching/circles/circle_detail.html",
        {
            "circle": circle,
            "current_members": current,
            "current_mentors": mentors,
            "current_mentees": len(current) - mentors,
            "past_members": past,
            "add_form": add_form if is_open else None,
            "can_add": can_add,
            "mentors_full": mentors >= circle_services.MAX_MENTORS,
            "can_start": circle.status == C.FORMING,
            "can_log_meeting": circle_takes_meetings(circle),
            "close_form": (close_form or CircleCloseForm()) if is_open else None,
            "page_obj": meetings_page,
            "total_hours": total_minutes / 60,
            "timeline": activity_for_object(circle, visible_programs=programs_visible_to(request.user)),
        },
    )


def _refused(request: HttpRequest, circle: Circle, error: ValidationError) -> HttpResponse:
    messages.error(request, " ".join(error.messages))
    return redirect("matching:circle_detail", circle.pk)


@staff_required
@require_POST
def circle_add_member(request: HttpRequest, circle_id: int) -> HttpResponse:
    circle = get_circle_for_user(request.user, circle_id)
    if circle.status == C.CLOSED:
        return _refused(request, circle, ValidationError(_("A closed circle takes no new members.")))
    current = list(_current_members(circle))
    form = CircleMemberAddForm(request.POST, circle=circle, eligible=_eligible(circle, current))
    if form.is_valid():
        participation = form.cleaned_data["participation"]
        was_peer_group = circle.status == C.PEER_GROUP
        try:
            circle_services.circle_add_member(circle=circle, participation=participation, actor=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            name = participation.person.full_name
            messages.success(request, _("%(name)s has joined the circle.") % {"name": name})
            if was_peer_group and circle.status == C.ACTIVE:
                messages.info(request, _("With a mentor again, the peer group is an active circle."))
            return redirect("matching:circle_detail", circle.pk)
    return _render_detail(request, circle, add_form=form)


@staff_required
@require_POST
def circle_start(request: HttpRequest, circle_id: int) -> HttpResponse:
    circle = get_circle_for_user(request.user, circle_id)
    try:
        circle_services.circle_start(circle=circle, actor=request.user)
    except ValidationError as error:
        return _refused(request, circle, error)
    messages.success(request, _("The circle has started. Its meetings can now be logged."))
    return redirect("matching:circle_detail", circle.pk)


@staff_required
def circle_member_leave(request: HttpRequest, circle_id: int, membership_id: int) -> HttpResponse:
    """A page of its own, because it asks for a reason and warns when the last mentor leaves."""
    circle = get_circle_for_user(request.user, circle_id)
    membership = _membership_of(circle, membership_id)
    name = membership.participation.person.full_name
    if membership.left_at is not None:
        return _refused(
            request, circle, ValidationError(_("%(name)s has already left the circle.") % {"name": name})
        )
    last_mentor = (
        circle.status == C.ACTIVE
        and membership.role == MENTOR
        and not _current_members(circle).filter(role=MENTOR).exclude(pk=membership.pk).exists()
    )
    form = CircleMemberLeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            circle_services.circle_member_leave(
                membership=membership, reason=form.cleaned_data["reason"], actor=request.user
            )
        except ValidationError as error:
            return _refused(request, circle, error)
        messages.success(request, _("%(name)s has left the circle.") % {"name": name})
        if circle.status == C.PEER_GROUP and last_mentor:
            messages.warning(
                request,
                _(
                    "%(name)s was the last mentor: the circle carries on as a peer group of its "
                    "mentees. Add a mentor to make it an active circle again, or close it."
                )
                % {"name": name},
            )
        return redirect("matching:circle_detail", circle.pk)
    return render(
        request,
        "matching/circles/member_leave.html",
        {"circle": circle, "membership": membership, "form": form, "last_mentor": last_mentor},
    )


@staff_required
@require_POST
def circle_close(request: HttpRequest, circle_id: int) -> HttpResponse:
    circle = get_circle_for_user(request.user, circle_id)
    form = CircleCloseForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, circle, close_form=form)
    try:
        circle_services.circle_close(circle=circle, reason=form.cleaned_data["reason"], actor=request.user)
    except ValidationError as error:
        return _refused(request, circle, error)
    messages.success(request, _("The circle is closed; its members have left it."))
    return redirect("matching:circle_detail", circle.pk)


@staff_required
def circle_meeting_log(request: HttpRequest, circle_id: int) -> HttpResponse:
    circle = get_circle_for_user(request.user, circle_id)
    if request.method != "POST" and not circle_takes_meetings(circle):
        return _refused(
            request, circle, ValidationError(_("Meetings are logged for active circles and peer groups."))
        )
    form = MeetingForm(request.POST or None, circle=circle, members=_current_members(circle))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting_log(
                circle=circle,
                occurred_on=data["occurred_on"],
                duration_minutes=data["duration_minutes"],
                mode=data["mode"],
                topics=data["topics"],
                next_steps=data["next_steps"],
                attendees=data["attendees"],
                logged_as=Meeting.LoggedAs.COORDINATOR,
                actor=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The meeting is logged."))
            return redirect("matching:circle_detail", circle.pk)
    return render(request, "matching/circles/meeting_form.html", {"circle": circle, "form": form})
