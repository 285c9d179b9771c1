"""What the matcher reads about each mentee and mentor, and how it loads them."""

import datetime

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from matching.features import (
    candidates_for_program,
    keywords_from,
    licensing_key,
    mentor_goals,
    utc_offset_hours,
)
from matching.models import Occupation
from participants.models import Interview, Participation, PersonLanguage, Resume
from participants.tests.factories import MenteeProfileFactory, MentorProfileFactory
from programs.tests.factories import ProgramFactory

S = Participation.Status


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("P.Eng.", "peng"),
        ("P. Eng., PMP", "peng"),
        ("working toward APEGA", "peng"),
        ("Working toward APEGA registration", "peng"),
        ("CPA", "cpa"),
        ("Working toward CPA designation", "cpa"),
        ("RN", "rn"),
        ("Working toward CRNA registration (NCLEX)", "rn"),
        ("MD, CCFP", "md"),
        ("Preparing for MCCQE and practice-ready assessment", "md"),
        ("RPh", "rph"),
        ("Challenging the Red Seal exam", "red_seal"),
        ("Journeyperson", "red_seal"),
        ("", ""),
        ("Senior project manager", ""),
    ],
)
def test_licensing_paths_are_read_from_free_text(text, key):
    assert licensing_key(text) == key


def test_keywords_drop_stopwords_numbers_short_words_punctuation_and_own_name():
    keywords = keywords_from(
        "Amara Okafor, Calgary. 12 years of experience in structural design; AutoCAD, C++ and "
        "bridges (2019-2023). Structural inspection.",
        "Civil engineer",
        exclude=("Amara", "Okafor", "Calgary"),
    )
    assert keywords == {
        "structural",
        "design",
        "autocad",
        "c++",
        "bridges",
        "inspection",
        "civil",
        "engineer",
    }


def test_keywords_keep_the_most_frequent_words_up_to_the_cap():
    text = "concrete concrete concrete steel steel timber"
    assert keywords_from(text, cap=2) == {"concrete", "steel"}


def test_time_zone_comes_from_the_person_then_from_the_country():
    winter = datetime.datetime(2026, 1, 15, 12, tzinfo=datetime.UTC)
    assert utc_offset_hours("Asia/Kolkata", "Canada", when=winter) == 5.5
    assert utc_offset_hours("America/Edmonton", "", when=winter) == -7
    assert utc_offset_hours("", "Nigeria", when=winter) == 1
    assert utc_offset_hours("", "Canada", when=winter) == -7
    assert utc_offset_hours("Not/A_Zone", "Philippines", when=winter) == 8
    assert utc_offset_hours("", "Atlantis", when=winter) == 0


def test_every_mentor_serves_networking_culture_and_language_and_more_with_a_licence_or_a_job():
    retired_newcomer = mentor_goals(licensing="", is_retired=True, years_experience=2)
    assert retired_newcomer == {"networking", "workplace_culture", "language"}
    working_engineer = mentor_goals(licensing="peng", is_retired=False, years_experience=2)
    assert working_engineer == {
        "networking",
        "workplace_culture",
        "language",
        "certification",
        "employment_in_field",
        "related_employment",
    }
    retired_veteran = mentor_goals(licensing="", is_retired=True, years_experience=30)
    assert "employment_in_field" in retired_veteran


# --- Loading a program's candidates -----------------------------------------------------------------


@pytest.fixture
def civil(db):
    Occupation.objects.create(code="2", title="Natural and applied sciences and related occupations", level=1)
    Occupation.objects.create(
        code="21", title="Professional occupations in natural and applied sciences", level=2
    )
    return Occupation.objects.create(code="21300", title="Civil engineers", level=5)


def _mentee(program, civil, index: int, status: str = S.READY_TO_MATCH):
    mentee = MenteeProfileFactory(
        participation__program=program,
        participation__status=status,
        participation__interests=["Hiking", "chess"],
        participation__availability=["weekends"],
        participation__meeting_modes=["video"],
        participation__communication_style={"agenda": "structured"},
        participation__person__city="Red Deer",
        participation__person__country="Canada",
        occupation=civil,
        occupation_title="Civil engineer",
        licensing_status="Working toward APEGA registration",
        goals=["certification", "networking"],
    ).participation
    PersonLanguage.objects.create(person=mentee.person, language="Arabic", proficiency="fluent")
    PersonLanguage.objects.create(person=mentee.person, language="English", proficiency="professional")
    for days_ago, text in ((30, "old resume about welding"), (1, f"bridges concrete resume {index}")):
        Resume.objects.create(
            person=mentee.person,
            participation=mentee,
            file=f"resume/{index}-{days_ago}.pdf",
            original_filename="resume.pdf",
            content_type="application/pdf",
            size=100,
            sha256="0" * 64,
            extracted_text=text,
            uploaded_at=timezone.now() - datetime.timedelta(days=days_ago),
        )
    return mentee


def _mentor(program, civil, status: str = S.READY_TO_MATCH):
    mentor = MentorProfileFactory(
        participation__program=program,
        participation__status=status,
        participation__person__city="Red Deer",
        occupation=civil,
        designation="P.Eng.",
        max_mentees=2,
    ).participation
    PersonLanguage.objects.create(person=mentor.person, language="English", proficiency="fluent")
    return mentor


def _people(program, civil, count: int) -> None:
    interviewer = UserFactory()
    for index in range(count):
        mentee = _mentee(program, civil, index)
        Interview.objects.create(
            participation=mentee,
            scheduled_at=timezone.now(),
            interviewer=interviewer,
            background_notes="Designed highway interchanges",
        )
        _mentor(program, civil)


def test_loader_reads_everything_scoring_needs(program, civil):
    mentee = _mentee(program, civil, 7)
    mentor = _mentor(program, civil)
    mentees, mentors = candidates_for_program(program)
    assert [c.participation_id for c in mentees] == [mentee.pk]
    assert [c.participation_id for c in mentors] == [mentor.pk]
    loaded = mentees[0]
    assert loaded.occupation_code == "21300"
    assert loaded.occupation_title(5) == "Civil engineers"
    assert loaded.occupation_title(2) == "Professional occupations in natural and applied sciences"
    assert loaded.licensing == "peng"
    assert loaded.goals == {"certification", "networking"}
    assert loaded.languages == {"arabic", "english"}
    assert loaded.interests == {"hiking", "chess"}
    assert loaded.availability == {"weekends"}
    assert loaded.communication_style == {"agenda": "structured"}
    assert loaded.utc_offset in (-7, -6)  # Alberta, winter or summer
    # Only the newest resume counts.
    assert {"bridges", "concrete", "civil", "engineer"} <= loaded.keywords
    assert "welding" not in loaded.keywords
    assert mentors[0].licensing == "peng"
    assert mentors[0].capacity == 2
    assert "certification" in mentors[0].goals


def test_loader_takes_only_people_who_can_be_matched_now(program, civil):
    _mentee(program, civil, 1, status=S.ACCEPTED)
    _mentor(program, civil, status=S.WITHDRAWN)
    mentoring = _mentor(program, civil, status=S.MATCHED)
    other_program_mentor = _mentor(ProgramFactory(organization=program.organization), civil)
    mentees, mentors = candidates_for_program(program)
    assert mentees == []
    assert [c.participation_id for c in mentors] == [mentoring.pk]
    assert other_program_mentor.pk not in [c.participation_id for c in mentors]


def test_capacity_is_what_the_mentor_offered_less_their_open_matches(program, civil):
    busy = _mentor(program, civil)
    free = _mentor(program, civil)
    _mentees, mentors = candidates_for_program(program, taken={busy.pk: 2})
    capacities = {c.participation_id: c.capacity for c in mentors}
    assert capacities == {busy.pk: 0, free.pk: 2}


def test_shared_mentors_come_only_from_programs_that_both_opted_in(program, civil):
    program.shares_mentors = True
    program.save()
    sharing = ProgramFactory(organization=program.organization, shares_mentors=True)
    not_sharing = ProgramFactory(organization=program.organization, shares_mentors=False)
    elsewhere = ProgramFactory(shares_mentors=True)
    lent = _mentor(sharing, civil)
    _mentor(not_sharing, civil)
    _mentor(elsewhere, civil)
    _mentees, mentors = candidates_for_program(program, include_shared=True)
    assert [c.participation_id for c in mentors] == [lent.pk]
    _mentees, mentors = candidates_for_program(program)
    assert mentors == []


def test_loader_runs_a_constant_number_of_queries(program, civil, django_assert_max_num_queries):
    # Participations with person, profile, newest resume and interview notes; languages;
    # occupation titles.
    _people(program, civil, 2)
    with django_assert_max_num_queries(3):
        mentees, _mentors = candidates_for_program(program)
    assert len(mentees) == 2
    _people(program, civil, 6)
    with django_assert_max_num_queries(3):
        mentees, _mentors = candidates_for_program(program)
    assert len(mentees) == 8
    assert "highway" in mentees[0].keywords
