"""Who may do what. Views and templates ask these predicates, never roles directly."""

import rules

from .selectors import funders_of, staff_memberships_of


@rules.predicate
def is_staff_member(user) -> bool:
    return bool(staff_memberships_of(user))


@rules.predicate
def is_org_admin(user, organization=None) -> bool:
    memberships = staff_memberships_of(user)
    if organization is None:
        return any(m.is_admin for m in memberships)
    return any(m.is_admin and m.organization_id == organization.pk for m in memberships)


@rules.predicate
def can_work_in_program(user, program) -> bool:
    for membership in staff_memberships_of(user):
        if membership.organization_id != program.organization_id:
            continue
        limited_to = {p.pk for p in membership.programs.all()}
        if not limited_to or program.pk in limited_to:
            return True
    return False


@rules.predicate
def administers_program(user, program) -> bool:
    return is_org_admin(user, program.organization)


@rules.predicate
def is_funder_user(user) -> bool:
    return user.is_authenticated and funders_of(user).exists()


rules.add_perm("programs.access_staff_area", is_staff_member)
rules.add_perm("programs.view_program", can_work_in_program)
rules.add_perm("programs.change_program", administers_program)
rules.add_perm("programs.manage_organization", is_org_admin)
rules.add_perm("programs.access_funder_area", is_funder_user)
