"""The portal's home page: the onboarding checklist, my programs and my matches."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matching.goal_services import agreement_acknowledge
from matching.models import Match
from participants.portal_selectors import onboarding_checklist, portal_matches, portal_participations
from participants.resumes import resume_add
from participants.tests.factories import ParticipationFactory
from programs.models import ProgramResource

from .apply_data import pdf_bytes, upload
from .portal_helpers import S, active_match, complete_profile, introduced_match, mentee, mentor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private-media"


def _checklist(user):
    people = list(user.people.prefetch_related("languages"))
    return onboarding_checklist(
        user,
        people=people,
        participations=list(portal_participations(user)),
        matches=list(portal_matches(user)),
    )


def _keys(checklist) -> dict[str, bool]:
    return {item.key: item.done for item in checklist.items}


def test_a_new_mentee_is_asked_for_their_profile_and_resume(program):
    participation = mentee(program, status=S.ACCEPTED)
    checklist = _checklist(participation.person.user)
    assert _keys(checklist) == {"profile": False, "resume": False}
    assert checklist.percent == 0
    profile = checklist.items[0]
    assert "the languages you speak" in profile.detail
    assert "when you can meet" in profile.detail


def test_a_mentor_without_a_resume_is_not_asked_for_one(program):
    participation = mentor(program, status=S.ACCEPTED)
    assert "resume" not in _keys(_checklist(participation.person.user))


def test_orientation_shows_only_when_the_program_marks_resources_for_it(program):
    participation = mentee(program, status=S.ACCEPTED)
    ProgramResource.objects.create(program=program, title="Optional reading", url="https://example.org/a")
    assert "orientation" not in _keys(_checklist(participation.person.user))
    ProgramResource.objects.create(
        program=program,
        title="Mentor guide",
        url="https://example.org/b",
        is_required=True,
        audience="mentor",
    )
    assert "orientation" not in _keys(_checklist(participation.person.user))  # not for mentees
    ProgramResource.objects.create(
        program=program, title="Welcome", url="https://example.org/c", is_required=True, audience="mentee"
    )
    item = _checklist(participation.person.user).items[-1]
    assert (item.key, item.done, item.detail) == ("orientation", False, "0 of 1 read.")


def test_every_step_done_makes_the_checklist_complete(client, program):
    participation = complete_profile(mentee(program, status=S.ACCEPTED))
    person = participation.person
    resume_add(person=person, upload=upload("cv.pdf", pdf_bytes()), participation=participation, actor=None)
    resource = ProgramResource.objects.create(
        program=program, title="Welcome", url="https://example.org/", is_required=True
    )
    client.force_login(person.user)
    client.post(reverse("portal:resource_read", args=[resource.pk]))

    checklist = _checklist(person.user)

    assert _keys(checklist) == {"profile": True, "resume": True, "orientation": True}
    assert checklist.is_complete and checklist.percent == 100
    body = client.get(reverse("portal:home")).content.decode()
    assert "You are all set" in body
    assert "3 of 3 steps done" in body


def test_the_agreement_step_appears_with_an_active_match_and_ticks_when_accepted(program):
    match = active_match(program, complete_profile(mentee(program)), mentor(program))
    user = match.mentee.person.user
    item = _checklist(user).items[-1]
    assert (item.key, item.done) == (f"agreement-{match.pk}", False)
    assert item.title == "Read and accept your mentorship agreement with Daniel"
    agreement_acknowledge(agreement=match.agreement, side="mentee", actor=user, recorded_by_coordinator=False)
    assert _checklist(user).items[-1].done


def test_no_agreement_step_before_both_have_accepted(program):
    match = introduced_match(program, mentee(program), mentor(program))
    assert not any(key.startswith("agreement") for key in _keys(_checklist(match.mentee.person.user)))


def test_home_shows_my_programs_with_what_comes_next(client, program):
    participation = mentee(program, status=S.READY_TO_MATCH)
    client.force_login(participation.person.user)
    body = client.get(reverse("portal:home")).content.decode()
    assert program.name in body
    assert "We are looking for a good match for you." in body
    assert "Welcome, Amina" in body


def test_home_invites_me_to_answer_an_introduction_with_the_partners_first_name_only(client, program):
    match = introduced_match(program, mentee(program), mentor(program))
    client.force_login(match.mentee.person.user)
    body = client.get(reverse("portal:home")).content.decode()
    assert "See the introduction and answer" in body
    assert "Daniel" in body
    assert "Tremblay" not in body


def test_home_links_past_matches(client, program):
    participation = mentee(program)
    match = introduced_match(program, participation, mentor(program))
    Match.objects.filter(pk=match.pk).update(status=Match.Status.DECLINED)
    client.force_login(participation.person.user)
    body = client.get(reverse("portal:home")).content.decode()
    assert "My past match (1)" in body
    page = client.get(reverse("portal:matches")).content.decode()
    assert reverse("portal:match", args=[match.pk]) in page


def test_proposals_not_yet_introduced_stay_with_the_coordinator(client, program):
    participation = mentee(program)
    match = introduced_match(program, participation, mentor(program))
    Match.objects.filter(pk=match.pk).update(status=Match.Status.PROPOSED)
    client.force_login(participation.person.user)
    assert "Daniel" not in client.get(reverse("portal:home")).content.decode()
    assert client.get(reverse("portal:match", args=[match.pk])).status_code == 404


@pytest.mark.parametrize("extra", [0, 12])
def test_home_query_count_does_not_grow(client, program, extra, django_assert_max_num_queries):
    participation = complete_profile(mentee(program))
    person = participation.person
    active_match(program, participation, mentor(program))
    for number in range(extra):
        # Earlier participations in other programs, resources and resume versions.
        other = ParticipationFactory(
            person=person, program__organization=program.organization, status=S.COMPLETED
        )
        ProgramResource.objects.create(
            program=other.program, title=f"Guide {number}", url="https://example.org/", is_required=True
        )
        ProgramResource.objects.create(
            program=program, title=f"Guide {number}", url="https://example.org/", is_required=True
        )
        resume_add(
            person=person, upload=upload("cv.pdf", pdf_bytes()), participation=participation, actor=None
        )
    client.force_login(person.user)
    # Session, user, staff memberships and funders (navigation), people for the door, people
    # with languages (2), participations, matches, newest resume, orientation resources,
    # agreements, and the surveys due (matches with their surveys and check-in answers,
    # follow-ups).
    with django_assert_max_num_queries(14):
        response = client.get(reverse("portal:home"))
    assert response.status_code == 200
