from django.urls import path

from . import funder_views

app_name = "funders"

urlpatterns = [
    path("", funder_views.funder_home, name="home"),
]
