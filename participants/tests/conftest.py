import pytest
from django.core.cache import cache

from programs.tests.factories import PrivacyNoticeFactory

from .apply_data import occupations

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def mentee_form(page, program, settings, tmp_path):
    """The program's public mentee form, open in a phone-sized browser tab."""
    settings.MEDIA_ROOT = tmp_path / "private-media"
    cache.clear()
    PrivacyNoticeFactory(program=program, text="We keep your answers to find you a mentor.")
    occupations()
    page.set_viewport_size(PHONE)
    page.goto(f"/apply/{program.slug}/mentee/")
    return page
