"""View decorators for the three front doors: staff, funders, and (in participants) the portal."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from .models import Program
from .rules import is_funder_user, is_org_admin, is_staff_member
from .selectors import programs_visible_to

CURRENT_PROGRAM_SESSION_KEY = "current_program_id"


def _require(predicate):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not predicate(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


staff_required = _require(is_staff_member)
org_admin_required = _require(is_org_admin)
funder_required = _require(is_funder_user)


def current_program(request: HttpRequest) -> Program | None:
    """The program the staff member chose in the switcher, or their first one."""
    cached = getattr(request, "_current_program", False)
    if cached is not False:
        return cached
    programs = list(programs_visible_to(request.user).filter(is_active=True).order_by("name"))
    chosen_id = request.session.get(CURRENT_PROGRAM_SESSION_KEY)
    program = next((p for p in programs if p.pk == chosen_id), programs[0] if programs else None)
    request._current_program = program
    request._switchable_programs = programs
    return program


def switchable_programs(request: HttpRequest) -> list[Program]:
    current_program(request)
    return request._switchable_programs
