"""My story, in the portal: tell how the mentoring went and choose how far the story may go;
later, share it less widely or withdraw it. Coordinators' moderation and the public stories
page come in a later issue: for now nothing is published."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matching.views import add_service_error
from stories.forms import ConsentLowerForm, StoryForm
from stories.models import ConsentLevel, Story
from stories.selectors import get_portal_story, portal_stories
from stories.services import TOOK_PART_STATUSES, story_consent_lower, story_submit, story_withdraw

from .portal_access import participant_required
from .portal_selectors import portal_participations


def _story_participations(user) -> list:
    return list(portal_participations(user).filter(status__in=TOOK_PART_STATUSES))


@participant_required
def story(request: HttpRequest) -> HttpResponse:
    """My stories, and the form to tell a new one."""
    participations = _story_participations(request.user)
    form = StoryForm(request.POST or None, participations=participations) if participations else None
    if request.method == "POST":
        if form is None:
            messages.info(request, _("You can tell your story once you take part in a program."))
            return redirect("portal:story")
        if form.is_valid():
            try:
                created = story_submit(
                    participation=form.chosen_participation(),
                    title=form.cleaned_data["title"],
                    text=form.cleaned_data["text"],
                    consent_level=form.cleaned_data["consent_level"],
                    shown_consent_version=form.cleaned_data["shown_consent_version"],
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request,
                    _("Thank you for your story! A coordinator will read it; nothing is published yet."),
                )
                return redirect("portal:story_detail", created.pk)
    page = Paginator(portal_stories(request.user), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/story/story.html", {"form": form, "page_obj": page})


def _render_detail(request: HttpRequest, story: Story, *, lower_form: ConsentLowerForm | None = None):
    can_lower = not story.is_withdrawn and story.consent_level != ConsentLevel.INTERNAL
    return render(
        request,
        "portal/story/detail.html",
        {
            "story": story,
            "lower_form": (lower_form or ConsentLowerForm(story=story)) if can_lower else None,
        },
    )


@participant_required
def story_detail(request: HttpRequest, story_id: int) -> HttpResponse:
    return _render_detail(request, get_portal_story(request.user, story_id))


@participant_required
@require_POST
def story_consent(request: HttpRequest, story_id: int) -> HttpResponse:
    story = get_portal_story(request.user, story_id)
    form = ConsentLowerForm(request.POST, story=story)
    if not form.is_valid():
        return _render_detail(request, story, lower_form=form)
    try:
        story_consent_lower(story=story, consent_level=form.cleaned_data["consent_level"], actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Done: your story will now be shared less widely."))
    return redirect("portal:story_detail", story.pk)


@participant_required
@require_POST
def story_withdraw_view(request: HttpRequest, story_id: int) -> HttpResponse:
    story = get_portal_story(request.user, story_id)
    try:
        story_withdraw(story=story, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your story is withdrawn. Nobody but you can see it any more."))
    return redirect("portal:story_detail", story.pk)
