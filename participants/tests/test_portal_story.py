"""My story in the portal: telling it with a consent in the exact words shown, sharing it less
widely later, withdrawing it, and nobody else's story within reach."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from participants.models import Participation
from programs.models import ActivityEntry
from stories.models import (
    CONSENT_TEXTS,
    WITHDRAWAL_TEXT,
    ConsentLevel,
    Story,
    StoryConsentChange,
    consent_choices_version,
    consent_version,
)
from stories.services import story_consent_lower, story_submit, story_withdraw

from .portal_helpers import mentee, mentor

pytestmark = pytest.mark.django_db
S = Participation.Status
L = ConsentLevel


@pytest.fixture
def amina(program) -> Participation:
    return mentee(program, status=S.COMPLETED, email="amina@example.org")


@pytest.fixture
def daniel(program) -> Participation:
    return mentor(program, status=S.MATCHED, email="daniel@example.org")


def _story_data(participation: Participation, **changes) -> dict:
    return {
        "participation": participation.pk,
        "title": "My first job in Canada",
        "text": "My mentor helped me prepare for the APEGA interview.",
        "consent_level": L.PUBLIC_ANONYMISED,
        "shown_consent_version": consent_choices_version(),
    } | changes


def _submit(participation: Participation, level: str = L.PUBLIC_NAMED) -> Story:
    return story_submit(
        participation=participation,
        title="Hello",
        text="It went well.",
        consent_level=level,
        shown_consent_version=consent_choices_version(),
        actor=participation.person.user,
    )


def test_the_page_shows_the_exact_words_of_each_choice(client, amina):
    client.force_login(amina.person.user)
    body = client.get(reverse("portal:story")).content.decode()
    for level in L:
        assert str(level.label) in body
        assert str(CONSENT_TEXTS[level]).replace("“", "&ldquo;") in body or str(CONSENT_TEXTS[level]) in body
    assert "Nothing is published for now" in body


def test_telling_a_story_stores_it_with_the_consent_words_and_their_version(client, amina):
    user = amina.person.user
    client.force_login(user)
    response = client.post(reverse("portal:story"), _story_data(amina))
    story = Story.objects.get()
    assert response.status_code == 302 and response.url == reverse("portal:story_detail", args=[story.pk])
    assert (story.person, story.program, story.participation) == (amina.person, amina.program, amina)
    assert (story.title, story.status, story.consent_level) == (
        "My first job in Canada",
        Story.Status.SUBMITTED,
        L.PUBLIC_ANONYMISED,
    )
    assert story.consent_text == str(CONSENT_TEXTS[L.PUBLIC_ANONYMISED])
    assert story.consent_version == consent_version(story.consent_text)
    [given] = story.consent_changes.all()
    assert (given.kind, given.to_level, given.consent_text, given.changed_by) == (
        "given",
        L.PUBLIC_ANONYMISED,
        story.consent_text,
        user,
    )
    entry = ActivityEntry.objects.get(verb="story.submitted")
    assert entry.data == {"story": story.pk, "consent_level": "public_anonymised"}  # no words of the story
    page = client.get(response.url).content.decode()
    assert "My mentor helped me prepare" in page and "Public, anonymised" in page


def test_a_story_sent_after_the_wording_changed_is_refused(client, amina):
    client.force_login(amina.person.user)
    response = client.post(
        reverse("portal:story"), _story_data(amina, shown_consent_version="0123456789abcdef")
    )
    assert response.status_code == 200
    assert "consent_level" in response.context["form"].errors
    assert not Story.objects.exists()


def test_a_story_without_a_title_or_a_choice_shows_the_errors(client, amina):
    client.force_login(amina.person.user)
    response = client.post(reverse("portal:story"), _story_data(amina, title="", consent_level=""))
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"title", "consent_level"}
    assert "Choose how far your story may go." in response.content.decode()


def test_an_applicant_cannot_tell_a_story_yet(client, program):
    applicant = mentee(program, status=S.SCREENING)
    client.force_login(applicant.person.user)
    response = client.get(reverse("portal:story"))
    assert response.context["form"] is None
    client.post(reverse("portal:story"), _story_data(applicant))
    assert not Story.objects.exists()
    with pytest.raises(ValidationError):
        _submit(applicant)


def test_sharing_less_widely_keeps_the_history(client, amina):
    story = _submit(amina, L.PUBLIC_NAMED)
    client.force_login(amina.person.user)
    response = client.post(
        reverse("portal:story_consent", args=[story.pk]), {"consent_level": L.FUNDER_ANONYMISED}
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert (story.consent_level, story.consent_text) == (
        L.FUNDER_ANONYMISED,
        str(CONSENT_TEXTS[L.FUNDER_ANONYMISED]),
    )
    assert list(story.consent_changes.values_list("kind", "from_level", "to_level")) == [
        ("given", "", L.PUBLIC_NAMED),
        ("lowered", L.PUBLIC_NAMED, L.FUNDER_ANONYMISED),
    ]
    assert ActivityEntry.objects.filter(verb="story.consent_lowered").exists()


def test_sharing_more_widely_is_not_offered_nor_accepted(client, amina):
    story = _submit(amina, L.FUNDER_ANONYMISED)
    client.force_login(amina.person.user)
    page = client.get(reverse("portal:story_detail", args=[story.pk]))
    assert [level for level, _name, _words in page.context["lower_form"].consent_options()] == [L.INTERNAL]
    response = client.post(
        reverse("portal:story_consent", args=[story.pk]), {"consent_level": L.PUBLIC_NAMED}
    )
    assert response.status_code == 200
    assert "consent_level" in response.context["lower_form"].errors
    with pytest.raises(ValidationError):
        story_consent_lower(story=story, consent_level=L.PUBLIC_NAMED, actor=None)
    story.refresh_from_db()
    assert story.consent_level == L.FUNDER_ANONYMISED


def test_an_internal_story_can_only_be_withdrawn(client, amina):
    story = _submit(amina, L.INTERNAL)
    client.force_login(amina.person.user)
    page = client.get(reverse("portal:story_detail", args=[story.pk]))
    assert page.context["lower_form"] is None
    assert "Withdraw my story" in page.content.decode()


def test_withdrawing_hides_the_story_for_good(client, amina):
    story = _submit(amina, L.PUBLIC_NAMED)
    client.force_login(amina.person.user)
    response = client.post(reverse("portal:story_withdraw", args=[story.pk]))
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.status == Story.Status.WITHDRAWN and story.withdrawn_at is not None
    last = story.consent_changes.last()
    assert (last.kind, last.from_level, last.to_level, last.consent_text) == (
        "withdrawn",
        L.PUBLIC_NAMED,
        "",
        str(WITHDRAWAL_TEXT),
    )
    assert not Story.objects.not_withdrawn().exists()
    page = client.get(reverse("portal:story_detail", args=[story.pk])).content.decode()
    assert "You withdrew this story" in page and "It went well." not in page
    with pytest.raises(ValidationError):
        story_consent_lower(story=story, consent_level=L.INTERNAL, actor=None)
    with pytest.raises(ValidationError):
        story_withdraw(story=story, actor=None)
    client.post(reverse("portal:story_withdraw", args=[story.pk]))
    assert StoryConsentChange.objects.filter(kind="withdrawn").count() == 1


def test_my_stories_are_listed_withdrawn_ones_marked(client, amina):
    kept, gone = _submit(amina), _submit(amina)
    story_withdraw(story=gone, actor=None)
    client.force_login(amina.person.user)
    response = client.get(reverse("portal:story"))
    assert [story.pk for story in response.context["page_obj"].object_list] == [gone.pk, kept.pk]
    assert "Withdrawn" in response.content.decode()


def test_someone_elses_story_gives_404(client, amina, daniel):
    story = _submit(amina)
    client.force_login(daniel.person.user)
    assert client.get(reverse("portal:story_detail", args=[story.pk])).status_code == 404
    assert (
        client.post(
            reverse("portal:story_consent", args=[story.pk]), {"consent_level": "internal"}
        ).status_code
        == 404
    )
    assert client.post(reverse("portal:story_withdraw", args=[story.pk])).status_code == 404
    story.refresh_from_db()
    assert (story.status, story.consent_level) == (Story.Status.SUBMITTED, L.PUBLIC_NAMED)
    # Choosing someone else's participation in the form is refused too.
    response = client.post(reverse("portal:story"), _story_data(amina))
    assert response.status_code == 200 and "participation" in response.context["form"].errors
    assert Story.objects.count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(client, amina):
    story = _submit(amina)
    for url in [
        reverse("portal:story"),
        reverse("portal:story_detail", args=[story.pk]),
        reverse("portal:story_consent", args=[story.pk]),
        reverse("portal:story_withdraw", args=[story.pk]),
    ]:
        response = client.post(url) if "consent" in url or "withdraw" in url else client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_login")), url


def test_staff_without_a_participation_are_turned_away(client, coordinator, amina):
    story = _submit(amina)
    client.force_login(coordinator)
    assert client.get(reverse("portal:story")).status_code == 403
    assert client.get(reverse("portal:story_detail", args=[story.pk])).status_code == 403
