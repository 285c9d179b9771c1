import pytest
from django.test import Client
from django.urls import path

from mentorship import urls as project_urls


def _boom(request):
    raise RuntimeError("a bug")


urlpatterns = [*project_urls.urlpatterns, path("boom/", _boom)]
handler500 = project_urls.handler500


@pytest.mark.django_db
def test_unknown_page_gets_the_friendly_404(client, coordinator):
    client.force_login(coordinator)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


@pytest.mark.django_db
def test_refused_page_gets_the_friendly_403(client, participant_user):
    client.force_login(participant_user)
    response = client.get("/dashboard/")
    assert response.status_code == 403
    assert "This page is not part of your access" in response.content.decode()


@pytest.mark.urls("mentorship.tests.test_error_pages")
@pytest.mark.django_db
def test_a_crash_gets_the_friendly_500_without_details():
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "a bug" not in html
