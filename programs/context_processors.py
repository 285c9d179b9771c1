from .access import current_program, switchable_programs
from .rules import is_funder_user, is_org_admin, is_staff_member


def navigation(request):
    """What the navigation bar needs: which areas the user may enter and the program switcher."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if not is_staff_member(user):
        return {"nav_is_funder": is_funder_user(user)}
    return {
        "nav_is_staff": True,
        "nav_is_org_admin": is_org_admin(user),
        "current_program": current_program(request),
        "switchable_programs": switchable_programs(request),
    }
