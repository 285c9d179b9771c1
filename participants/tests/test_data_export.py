"""The personal data export: every model that links to a person has a section (checked against
the project's models, so that a model added later is caught), the content of a person with a
match, meetings and goals, and that nothing of anyone else leaks in."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.apps import apps
from django.db import models
from pypdf import PdfReader

from matching.models import CheckIn, ClosingSurvey, DoNotMatch, GoalNote, Match, Meeting
from matching.services import do_not_match_add
from matching.tests.factories import GoalFactory, MatchFactory
from participants.data_export import SECTIONS, export_json, installed_sections
from participants.data_export_pdf import export_pdf
from participants.erasure import installed_rules
from participants.models import Participation, Person, PersonLanguage
from participants.portal_services import portal_contact_update
from participants.resumes import resume_add

from .apply_data import pdf_bytes, upload
from .portal_helpers import active_match, mentee, mentor

pytestmark = pytest.mark.django_db


def models_linked_to_a_person() -> set[str]:
    """Every model with a chain of foreign keys or one-to-one fields to Person or Participation."""
    linked: set[type[models.Model]] = {Person, Participation}
    candidates = apps.get_models()
    grew = True
    while grew:
        grew = False
        for model in candidates:
            if model in linked:
                continue
            for model_field in model._meta.get_fields():
                forward = model_field.concrete and (model_field.many_to_one or model_field.one_to_one)
                if forward and model_field.related_model in linked:
                    linked.add(model)
                    grew = True
                    break
    return {model._meta.label_lower for model in linked}


def test_the_introspection_finds_direct_and_indirect_links():
    linked = models_linked_to_a_person()
    # Direct (Resume → Person), through a match (Meeting → Match), two steps (GoalNote → Goal → Match).
    assert {"participants.resume", "matching.meeting", "matching.goalnote"} <= linked
    assert "programs.program" not in linked


def test_every_model_linked_to_a_person_has_an_export_section():
    exported = {section.model_label for section in installed_sections()}
    missing = models_linked_to_a_person() - exported
    assert not missing, f"Add an export section (participants/data_export.py) for {sorted(missing)}"


def test_every_model_linked_to_a_person_has_an_erasure_rule():
    erased = {rule.model_label for rule in installed_rules()}
    missing = models_linked_to_a_person() - erased
    assert not missing, f"Add an erasure rule (participants/erasure.py) for {sorted(missing)}"


def test_every_section_names_an_installed_model():
    assert len(installed_sections()) == len(SECTIONS)


def test_anonymous_feedback_has_no_link_to_anyone():
    assert apps.is_installed("stories")
    assert "stories.feedbackresponse" not in models_linked_to_a_person()


# --- The content ------------------------------------------------------------------------------------


@pytest.fixture
def pair(program, settings, tmp_path):
    """Amina (mentee) and Daniel (mentor) in an active match, with a meeting, a goal and notes."""
    settings.MEDIA_ROOT = tmp_path / "private-media"
    match = active_match(program, mentee(program), mentor(program, email="daniel@mentors.example"))
    Meeting.objects.create(
        match=match,
        occurred_on=match.started_on,
        duration_minutes=90,
        topics="Rewriting the resume for Canadian employers",
        logged_as="mentee",
    )
    goal = GoalFactory(match=match, title="Engineer-in-training registration with APEGA")
    GoalNote.objects.create(goal=goal, text="Transcripts requested.", author_role="mentee")
    resume_add(
        person=match.mentee.person,
        upload=upload("amina-cv.pdf", pdf_bytes()),
        participation=match.mentee,
        actor=None,
    )
    PersonLanguage.objects.create(person=match.mentee.person, language="Yoruba", proficiency="fluent")
    return match


def _export(person: Person) -> dict:
    return json.loads(export_json(person))


def _rows(document: dict, label: str) -> list[dict]:
    (section,) = [s for s in document["sections"] if s["model"] == label]
    return section["rows"]


def test_the_export_holds_my_details_match_meetings_and_goals(pair):
    document = _export(pair.mentee.person)
    assert document["format"] == "newcomer-mentorship-personal-data"
    assert document["version"] == 1
    assert {s["model"] for s in document["sections"]} == {s.model_label for s in installed_sections()}
    (me,) = _rows(document, "participants.person")
    assert (me["first_name"], me["last_name"], me["phone"]) == ("Amina", "Okafor", "780-555-0101")
    assert [row["language"] for row in _rows(document, "participants.personlanguage")] == ["Yoruba"]
    (resume,) = _rows(document, "participants.resume")
    assert resume["original_filename"] == "amina-cv.pdf"
    (match,) = _rows(document, "matching.match")
    assert match["my_side"] == "mentee"
    assert match["status"] == Match.Status.ACTIVE
    assert match["mentor"] == {"id": None, "name": "Daniel"}
    assert match["mentee"]["id"] == pair.mentee.pk
    (meeting,) = _rows(document, "matching.meeting")
    assert (meeting["duration_minutes"], meeting["topics"]) == (
        90,
        "Rewriting the resume for Canadian employers",
    )
    assert [g["title"] for g in _rows(document, "matching.goal")] == [
        "Engineer-in-training registration with APEGA"
    ]
    assert [n["text"] for n in _rows(document, "matching.goalnote")] == ["Transcripts requested."]
    (agreement,) = _rows(document, "matching.agreement")
    assert agreement["match"]["id"] == pair.pk
    verbs = [row["verb"] for row in _rows(document, "programs.activityentry")]
    assert "match.accepted" in verbs and "resume.uploaded" in verbs


def test_the_partner_appears_by_first_name_only(pair):
    text = export_json(pair.mentee.person).decode()
    mentor_person = pair.mentor.person
    for hidden in (
        mentor_person.last_name,
        mentor_person.email,
        mentor_person.phone,
        "Prairie Infrastructure",
    ):
        assert hidden not in text, hidden
    assert "Daniel" in text


def test_the_partners_own_words_are_left_out(pair):
    ClosingSurvey.objects.create(
        match=pair,
        side="mentor",
        satisfaction=2,
        would_take_part_again="no",
        comments="Mentor's private view",
    )
    ClosingSurvey.objects.create(
        match=pair,
        side="mentee",
        satisfaction=5,
        would_take_part_again="yes",
        comments="It changed my career",
    )
    CheckIn.objects.create(
        match=pair, due_on=pair.started_on, with_whom="mentor", concerns="Told the coordinator alone"
    )
    CheckIn.objects.create(
        match=pair,
        due_on=pair.started_on + datetime.timedelta(days=30),
        with_whom="both",
        how_it_is_going="Both happy",
    )
    document = _export(pair.mentee.person)
    text = json.dumps(document)
    assert "It changed my career" in text and "Both happy" in text
    assert "Mentor's private view" not in text
    assert "Told the coordinator alone" not in text
    assert len(_rows(document, "matching.checkin")) == 2


def test_a_partner_s_decline_reason_stays_with_them(program):
    match = MatchFactory(
        program=program,
        mentee=mentee(program),
        mentor=mentor(program),
        status=Match.Status.DECLINED,
        mentor_response=Match.Response.DECLINED,
        decline_reason="I do not want to work with her",
    )
    assert "I do not want to work with her" not in export_json(match.mentee.person).decode()
    assert "I do not want to work with her" in export_json(match.mentor.person).decode()


def test_a_proposal_i_was_never_told_about_does_not_name_anyone(program):
    match = MatchFactory(program=program, mentee=mentee(program), mentor=mentor(program))
    (row,) = _rows(_export(match.mentee.person), "matching.match")
    assert row["mentor"] == {"id": None, "name": "not introduced"}
    assert "Daniel" not in export_json(match.mentee.person).decode()


def test_the_activity_log_keeps_only_my_own_details(program, coordinator):
    match = MatchFactory(program=program, mentee=mentee(program), mentor=mentor(program))
    do_not_match_add(
        mentee=match.mentee.person,
        mentor=match.mentor.person,
        kind=DoNotMatch.Kind.CONFLICT,
        note="Same employer",
        actor=coordinator,
    )
    portal_contact_update(
        person=match.mentee.person, fields={"city": "Red Deer"}, languages=[], actor=match.mentee.person.user
    )
    document = _export(match.mentee.person)
    rows = _rows(document, "programs.activityentry")
    updated = next(row for row in rows if row["verb"] == "person.updated")
    assert updated["data"]["changed"]["city"] == ["Edmonton", "Red Deer"]
    assert updated["actor"]["name"] == "you"
    assert "Tremblay" not in json.dumps(document)
    (pair_row,) = _rows(document, "matching.donotmatch")
    assert pair_row["mentor"]["name"] == "another person"


def test_another_persons_data_never_appears(pair, program):
    other = active_match(
        program,
        mentee(program, first_name="Xiomara", last_name="Quintero", email="xq@example.org", phone="555-0000"),
        mentor(program, first_name="Yusuf", last_name="Zeller", email="yz@example.org"),
    )
    Meeting.objects.create(
        match=other,
        occurred_on=other.started_on,
        duration_minutes=45,
        topics="Their private topic",
        logged_as="mentor",
    )
    GoalFactory(match=other, title="Their own goal")
    text = export_json(pair.mentee.person).decode()
    for hidden in (
        "Xiomara",
        "Quintero",
        "xq@example.org",
        "Yusuf",
        "Zeller",
        "Their private topic",
        "Their own goal",
    ):
        assert hidden not in text, hidden


def test_the_pdf_reads_as_a_document(pair):
    content = export_pdf(pair.mentee.person)
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())
    assert "Your data at" in text
    assert "Your matches" in text
    assert "Okafor" in text
    assert "Rewriting the resume" in text
    assert "Tremblay" not in text
