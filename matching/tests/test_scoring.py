"""Scores worked out by hand for each criterion, the hard rules, suggestions and explanations."""

from dataclasses import fields, replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.features import MENTEE, MENTOR, Candidate
from matching.scoring import (
    MentorPool,
    Weights,
    explain,
    forbidden_mask,
    rounded_score,
    score_matrix,
    suggestions,
    top_k,
)
from matching.synthetic import synthetic_pool

CIVIL_PATH = (
    ("2", "Natural and applied sciences and related occupations"),
    ("21", "Professional occupations in natural and applied sciences"),
    ("21300", "Civil engineers"),
)


def mentee(**fields_) -> Candidate:
    return Candidate(participation_id=1, role=MENTEE, program_id=1, person_id=1, **fields_)


def mentor(participation_id: int = 2, **fields_) -> Candidate:
    return Candidate(
        participation_id=participation_id, role=MENTOR, program_id=1, person_id=participation_id, **fields_
    )


def only(criterion: str) -> Weights:
    """Weights that give all 100 points to one criterion."""
    return Weights(**{item.name: 0 for item in fields(Weights)} | {criterion: 1})


def score(first: Candidate, second: Candidate, criterion: str) -> float:
    return float(score_matrix([first], [second], only(criterion))[0, 0])


@pytest.mark.parametrize(
    ("code", "points"),
    [
        ("21300", 100),  # same unit group
        ("21301", 75),  # same minor group 2130
        ("21310", 50),  # same sub-major group 213
        ("21231", 25),  # same major group 21
        ("22300", 12.5),  # same broad category 2
        ("31301", 0),
        ("", 0),
    ],
)
def test_profession_points_follow_the_noc_hierarchy(code, points):
    assert score(mentee(occupation_code="21300"), mentor(occupation_code=code), "profession") == points


def test_two_people_without_a_noc_code_share_no_profession():
    assert score(mentee(), mentor(), "profession") == 0


def test_licensing_path_must_be_the_same_and_known():
    assert score(mentee(licensing="peng"), mentor(licensing="peng"), "licensing") == 100
    assert score(mentee(licensing="peng"), mentor(licensing="cpa"), "licensing") == 0
    assert score(mentee(), mentor(), "licensing") == 0


def test_keywords_score_the_dice_coefficient_with_full_points_from_one_half():
    # 2 shared of 4 + 4 words: Dice 0.5, full points.
    assert score(mentee(keywords=frozenset("abcd")), mentor(keywords=frozenset("abef")), "keywords") == 100
    # 1 shared of 8 + 2 words: Dice 0.2, 0.2 / 0.5 = 40 %.
    assert score(mentee(keywords=frozenset("abcdefgh")), mentor(keywords=frozenset("ax")), "keywords") == (
        pytest.approx(40)
    )
    assert score(mentee(), mentor(keywords=frozenset("ab")), "keywords") == 0


def test_goals_count_the_share_of_the_mentees_goals_the_mentor_serves():
    wants = mentee(goals=frozenset({"certification", "networking"}))
    assert score(wants, mentor(goals=frozenset({"networking", "language"})), "goals") == 50
    assert score(mentee(), mentor(goals=frozenset({"networking"})), "goals") == 0


def test_one_shared_language_gives_half_and_two_give_all():
    speaks = mentee(languages=frozenset({"arabic", "english"}))
    assert score(speaks, mentor(languages=frozenset({"english"})), "languages") == 50
    assert score(speaks, mentor(languages=frozenset({"english", "arabic", "french"})), "languages") == 100
    assert score(speaks, mentor(languages=frozenset({"french"})), "languages") == 0


def test_interests_work_like_languages():
    likes = mentee(interests=frozenset({"hiking", "chess", "soccer"}))
    assert score(likes, mentor(interests=frozenset({"chess"})), "interests") == 50
    assert score(likes, mentor(interests=frozenset({"chess", "hiking"})), "interests") == 100


def test_communication_counts_agreement_on_the_questions_both_answered():
    first = mentee(communication_style={"agenda": "structured", "feedback": "direct", "frequency": "weekly"})
    second = mentor(
        communication_style={"agenda": "structured", "feedback": "diplomatic", "contact": "email"}
    )
    assert score(first, second, "communication") == 50
    assert score(mentee(), second, "communication") == 0


def test_cultural_background_counts_only_when_both_shared_it():
    assert score(mentee(cultural_background="syrian"), mentor(cultural_background="syrian"), "culture") == 100
    assert score(mentee(cultural_background="syrian"), mentor(), "culture") == 0
    assert score(mentee(), mentor(), "culture") == 0


def test_gender_counts_only_when_the_mentee_asked():
    assert score(mentee(gender="woman"), mentor(gender="woman"), "gender") == 0
    asked = mentee(gender="woman", wants_same_gender=True)
    assert score(asked, mentor(gender="woman"), "gender") == 100
    assert score(asked, mentor(gender="man"), "gender") == 0


def test_place_prefers_the_same_city_then_region_then_remote_by_time_zone():
    red_deer = {"city": "Red Deer", "region": "Central Alberta", "country": "Canada", "utc_offset": -7}
    assert score(mentee(**red_deer), mentor(**red_deer), "place") == 100
    lacombe = red_deer | {"city": "Lacombe"}
    assert score(mentee(**red_deer), mentor(**lacombe), "place") == pytest.approx(60)
    calgary = {"city": "Calgary", "region": "Calgary Region", "country": "Canada", "utc_offset": -7}
    assert score(mentee(**red_deer), mentor(**calgary), "place") == 0
    remote = {"open_to_remote": True, "meeting_modes": frozenset({"video"})}
    winnipeg = {"city": "Winnipeg", "region": "Manitoba", "country": "Canada", "utc_offset": -6}
    # Both open to video, 1 h apart: 0.5 × (1 - 1/12) of the points.
    assert score(mentee(**red_deer, **remote), mentor(**winnipeg, **remote), "place") == pytest.approx(
        45.8333
    )
    assert score(mentee(**red_deer, **remote), mentor(**winnipeg), "place") == 0
    by_phone_only = {"open_to_remote": True, "meeting_modes": frozenset({"phone"})}
    assert score(mentee(**red_deer, **remote), mentor(**winnipeg, **by_phone_only), "place") == 0
    # A mentee still in India (UTC+5:30) and a mentor in Alberta (UTC-7): 11.5 h apart on the clock.
    india = {"country": "India", "utc_offset": 5.5, "open_to_remote": True}
    assert score(mentee(**india), mentor(**red_deer, **remote), "place") == pytest.approx(50 * 0.5 / 12)


def test_availability_is_the_share_of_the_shorter_list_both_have():
    weekends = mentee(availability=frozenset({"weekends"}))
    assert (
        score(weekends, mentor(availability=frozenset({"weekends", "weekday_evenings"})), "availability")
        == 100
    )
    two = mentee(availability=frozenset({"weekends", "weekday_daytime"}))
    assert (
        score(
            two, mentor(availability=frozenset({"weekday_daytime", "weekday_evenings", "x"})), "availability"
        )
        == 50
    )
    assert score(mentee(), mentor(availability=frozenset({"weekends"})), "availability") == 0


PERFECT = {
    "occupation_code": "21300",
    "occupation_path": CIVIL_PATH,
    "licensing": "peng",
    "goals": frozenset({"certification", "networking"}),
    "languages": frozenset({"arabic", "english"}),
    "interests": frozenset({"hiking", "chess"}),
    "communication_style": {"agenda": "structured", "feedback": "direct"},
    "cultural_background": "syrian",
    "city": "Red Deer",
    "region": "Central Alberta",
    "country": "Canada",
    "utc_offset": -7.0,
    "availability": frozenset({"weekends"}),
    "keywords": frozenset({"bridges", "concrete", "autocad"}),
}


def test_a_pair_perfect_on_every_criterion_scores_100():
    assert score_matrix([mentee(**PERFECT)], [mentor(**PERFECT)])[0, 0] == pytest.approx(100)


def test_a_pair_with_nothing_in_common_scores_0():
    assert score_matrix([mentee(city="Calgary")], [mentor(city="Edmonton")])[0, 0] == 0


def test_weights_scale_to_100_and_tolerate_missing_or_invalid_entries():
    weights = Weights.from_dict({"profession": 60, "languages": "oops", "unknown": 5, "place": -3})
    assert weights.profession == 60
    assert weights.languages == Weights().languages
    assert weights.place == Weights().place
    assert sum(weights.scaled().values()) == pytest.approx(100)
    assert Weights.from_dict(None) == Weights()
    assert Weights.from_dict({item.name: 0 for item in fields(Weights)}) == Weights()
    assert sum(Weights().scaled().values()) == pytest.approx(100)


def test_scores_of_a_pool_match_scoring_each_pair_alone():
    pool = synthetic_pool(12, 9, seed=3)
    scores = score_matrix(pool.mentees, pool.mentors)
    alone = np.array([[score_matrix([e], [m])[0, 0] for m in pool.mentors] for e in pool.mentees])
    np.testing.assert_array_equal(scores, alone)
    assert scores.dtype == np.float32
    assert scores.min() >= 0 and scores.max() <= 100


def test_a_pre_encoded_mentor_pool_gives_the_same_scores():
    pool = synthetic_pool(5, 30, seed=4)
    np.testing.assert_array_equal(
        score_matrix(pool.mentees, pool.mentors), score_matrix(pool.mentees, MentorPool(pool.mentors))
    )


# --- Explanations ---------------------------------------------------------------------------------


def test_explanation_names_each_reason_in_plain_words_and_adds_up_to_the_score():
    first = mentee(**PERFECT | {"open_to_remote": True, "meeting_modes": frozenset({"video"})})
    second = mentor(
        **PERFECT
        | {
            "city": "Winnipeg",
            "region": "Manitoba",
            "utc_offset": -6.0,
            "open_to_remote": True,
            "meeting_modes": frozenset({"video", "in_person"}),
            "cultural_background": "",
            "goals": frozenset({"networking"}),
        }
    )
    reasons = explain(first, second)
    labels = {reason.criterion: reason.label for reason in reasons}
    assert labels == {
        "profession": "Same NOC unit group 21300 Civil engineers",
        "licensing": "Same licensing path: P.Eng.",
        "keywords": "Shared skills and keywords: autocad, bridges and concrete",
        "goals": "Can help with professional networking",
        "languages": "Both speak Arabic and English",
        "interests": "Shared interests: chess and hiking",
        "communication": "Same communication preferences on 2 of 2 questions",
        "place": "Both open to video calls, 1 h apart",
        "availability": "Both available: weekends",
    }
    total = score_matrix([first], [second])[0, 0]
    assert sum(reason.points for reason in reasons) == rounded_score(total)
    assert [reason.points for reason in reasons] == sorted(
        (reason.points for reason in reasons), reverse=True
    )


def test_explanation_of_a_closer_group_names_the_group():
    nurse_path = (("3", "Health occupations"), ("31", "Professional occupations in health"))
    first = mentee(occupation_code="31301", occupation_path=nurse_path)
    reasons = explain(first, mentor(occupation_code="31102"))
    assert [r.label for r in reasons] == ["Same NOC major group 31 Professional occupations in health"]


@settings(derandomize=True, max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), size=st.integers(1, 6))
def test_explanations_always_add_up_to_the_rounded_score(seed, size):
    pool = synthetic_pool(size, size + 2, seed=seed)
    weights = Weights.from_dict({"gender": seed % 3, "culture": seed % 5})
    scores = score_matrix(pool.mentees, pool.mentors, weights)
    for row, first in enumerate(pool.mentees):
        for column, second in enumerate(pool.mentors):
            reasons = explain(first, second, weights)
            assert sum(reason.points for reason in reasons) == rounded_score(scores[row, column])
            assert all(reason.points > 0 and reason.label for reason in reasons)


# --- Hard rules, top mentors, suggestions -----------------------------------------------------------


def test_forbidden_pairs_full_mentors_the_same_person_and_programs_that_do_not_share():
    mentees = [mentee(), replace(mentee(), participation_id=3, person_id=3, program_id=2)]
    mentors = [
        mentor(10),
        mentor(11, capacity=0),
        replace(mentor(12), person_id=1),  # the first mentee, mentoring in the same program
        replace(mentor(13), program_id=2),
        mentor(14),
    ]
    forbidden = forbidden_mask(mentees, mentors, do_not_match={(1, 14), (99, 10)})
    assert forbidden.tolist() == [
        [False, True, True, True, True],
        [True, True, True, False, True],
    ]
    shared = forbidden_mask(mentees, MentorPool(mentors), sharing_program_ids={1, 2})
    assert shared.tolist() == [
        [False, True, True, False, False],
        [False, True, False, False, False],
    ]


def test_top_k_gives_the_best_allowed_mentors_best_first_ties_in_order():
    row = np.array([50, 90, 70, 90, 10], dtype=np.float32)
    assert top_k(row, 3).tolist() == [1, 3, 2]
    assert top_k(row, 2, np.array([False, True, False, False, False])).tolist() == [3, 2]
    assert top_k(row, 10, np.ones(5, dtype=bool)).tolist() == []


def test_suggestions_list_the_best_mentors_with_their_reasons():
    pool = synthetic_pool(3, 40, seed=5)
    chosen = pool.mentees[0]
    found = suggestions(chosen, pool.mentors, k=5, do_not_match={(chosen.participation_id, 44)})
    row = score_matrix([chosen], pool.mentors)[0]
    assert len(found) == 5
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)
    assert found[0].score == row.max() or found[0].mentor.participation_id != 44
    assert 44 not in [s.mentor.participation_id for s in found]
    for suggestion in found:
        assert sum(r.points for r in suggestion.reasons) == rounded_score(suggestion.score)
