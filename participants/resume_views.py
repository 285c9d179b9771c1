"""Staff open resumes here and only here: MEDIA_ROOT has no URL."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from programs.access import staff_required

from .resumes import PDF, get_resume_for_user, resume_open_for_download


@staff_required
@require_GET
def resume_download(request: HttpRequest, resume_id: int) -> FileResponse:
    resume = get_resume_for_user(request.user, resume_id)
    # Only PDFs are shown in the browser; Word and OpenDocument files always download.
    inline = request.GET.get("inline") == "1" and resume.content_type == PDF.content_type
    try:
        handle = resume_open_for_download(resume=resume, actor=request.user)
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=not inline, filename=resume.original_filename, content_type=resume.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if inline:
        # The document is shown on our origin: sandboxed, it can run nothing and reach nothing.
        response["Content-Security-Policy"] = "sandbox"
    return response
