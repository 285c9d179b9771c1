"""Resources in the portal: the orientation and welcome materials of the person's programs, for
their role. Files come only through the download view here, which checks that the resource is
one of theirs (the staff download view serves staff only)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from programs.setup_services import RESOURCE_CONTENT_TYPES

from .portal_access import participant_required
from .portal_selectors import get_portal_resource, person_for_program, portal_resources
from .portal_services import resource_mark_read


@participant_required
def resources(request: HttpRequest) -> HttpResponse:
    page = Paginator(portal_resources(request.user), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/resources.html", {"page_obj": page})


@participant_required
@require_GET
def resource_download(request: HttpRequest, resource_id: int) -> FileResponse:
    resource = get_portal_resource(request.user, resource_id)
    if not resource.file:
        raise Http404
    suffix = "." + resource.file.name.rsplit(".", 1)[-1].lower()
    try:
        handle = resource.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=resource.original_filename or f"resource{suffix}",
        content_type=RESOURCE_CONTENT_TYPES.get(suffix, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@participant_required
@require_POST
def resource_read(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = get_portal_resource(request.user, resource_id)
    person = person_for_program(request.portal_people, resource.program)
    if person is None:  # cannot happen: the resource is one of the person's programs'
        raise Http404
    resource_mark_read(person=person, resource=resource, actor=request.user)
    messages.success(request, _("“%(title)s” is marked as read.") % {"title": resource.title})
    return redirect("portal:resources")
