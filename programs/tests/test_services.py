import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from programs import services
from programs.activity import activity_for_object
from programs.models import ActivityEntry, StaffMembership
from programs.tests.factories import ProgramFactory, StaffMembershipFactory

pytestmark = pytest.mark.django_db


def test_program_create_logs_who_created_it(organization, org_admin):
    program = services.program_create(
        organization=organization, actor=org_admin, name="Accountants", slug="accountants", focus="CPAs"
    )
    [entry] = activity_for_object(program)
    assert (entry.verb, entry.actor, entry.program) == ("program.created", org_admin, program)


def test_program_update_logs_only_what_changed(program, org_admin):
    services.program_update(program=program, actor=org_admin, name=program.name, region="Calgary")
    entry = ActivityEntry.objects.get(verb="program.updated")
    assert entry.data["changed"] == {"region": ["", "Calgary"]}


def test_program_update_without_change_writes_nothing(program, org_admin):
    services.program_update(program=program, actor=org_admin, name=program.name)
    assert not ActivityEntry.objects.filter(verb="program.updated").exists()


def test_program_slug_must_be_unique(organization, program, org_admin):
    with pytest.raises(ValidationError) as error:
        services.program_create(organization=organization, actor=org_admin, name="Copy", slug=program.slug)
    assert "slug" in error.value.message_dict


def test_staff_invite_creates_an_account_without_password_and_emails_a_link(
    organization, program, org_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.staff_invite(
            organization=organization,
            email="Leila.Nasser@Example.org",
            first_name="Leila",
            last_name="Nasser",
            role=StaffMembership.Role.COORDINATOR,
            programs=[program],
            actor=org_admin,
        )
    assert membership.user.email == "leila.nasser@example.org"
    assert not membership.user.has_usable_password()
    assert list(membership.programs.all()) == [program]
    [message] = mail.outbox
    assert message.to == ["leila.nasser@example.org"]
    assert "/accounts/password/reset/key/" in message.body
    verbs = [entry.verb for entry in activity_for_object(membership)]
    assert verbs == ["staff.invitation_sent", "staff.invited"]


def test_staff_invite_refuses_someone_already_on_staff(organization, coordinator, org_admin):
    with pytest.raises(ValidationError) as error:
        services.staff_invite(
            organization=organization,
            email=coordinator.email.upper(),
            first_name="A",
            last_name="B",
            role=StaffMembership.Role.COORDINATOR,
            actor=org_admin,
        )
    assert "email" in error.value.message_dict


def test_staff_invite_refuses_programs_of_another_organization(organization, other_program, org_admin):
    with pytest.raises(ValidationError):
        services.staff_invite(
            organization=organization,
            email="x@example.org",
            first_name="A",
            last_name="B",
            role=StaffMembership.Role.COORDINATOR,
            programs=[other_program],
            actor=org_admin,
        )
    assert not StaffMembership.objects.filter(user__email="x@example.org").exists()


def test_last_admin_cannot_be_demoted(organization, org_admin, coordinator):
    membership = StaffMembership.objects.get(user=org_admin)
    with pytest.raises(ValidationError):
        services.staff_update(
            membership=membership, role=StaffMembership.Role.COORDINATOR, programs=[], actor=org_admin
        )


def test_an_admin_cannot_remove_their_own_access(organization, org_admin):
    StaffMembershipFactory(organization=organization, role=StaffMembership.Role.ADMIN)
    with pytest.raises(ValidationError):
        services.staff_set_active(
            membership=StaffMembership.objects.get(user=org_admin), is_active=False, actor=org_admin
        )


def test_removed_staff_lose_access_and_it_is_logged(client, organization, org_admin, coordinator):
    membership = StaffMembership.objects.get(user=coordinator)
    services.staff_set_active(membership=membership, is_active=False, actor=org_admin)
    client.force_login(coordinator)
    assert client.get("/dashboard/").status_code == 403
    assert ActivityEntry.objects.filter(verb="staff.deactivated", target_id=str(membership.pk)).exists()


def test_staff_update_limits_programs(organization, org_admin, coordinator):
    second = ProgramFactory(organization=organization)
    membership = StaffMembership.objects.get(user=coordinator)
    services.staff_update(membership=membership, role=membership.role, programs=[second], actor=org_admin)
    assert list(membership.programs.all()) == [second]


def test_activity_entries_cannot_be_changed(program, org_admin):
    entry = services.program_update(program=program, actor=org_admin, region="Lethbridge").activity.get()
    entry.verb = "program.created"
    with pytest.raises(ValueError):
        entry.save()


def test_unknown_activity_verb_is_refused(program, org_admin):
    from programs.activity import activity_record

    with pytest.raises(ValueError):
        activity_record(
            actor=org_admin, verb="program.teleported", target=program, organization=program.organization
        )
