from django.urls import path

from . import public_views
from .models import Participation

app_name = "apply"

MENTOR = {"role": Participation.Role.MENTOR}
MENTEE = {"role": Participation.Role.MENTEE}

urlpatterns = [
    path("occupations/", public_views.occupation_options, name="occupation_options"),
    path("<slug:slug>/", public_views.apply_start, name="start"),
    path("<slug:slug>/mentor/", public_views.apply_form, MENTOR, name="mentor"),
    path("<slug:slug>/mentee/", public_views.apply_form, MENTEE, name="mentee"),
    path("<slug:slug>/mentor/thanks/", public_views.apply_thanks, MENTOR, name="mentor_thanks"),
    path("<slug:slug>/mentee/thanks/", public_views.apply_thanks, MENTEE, name="mentee_thanks"),
]
