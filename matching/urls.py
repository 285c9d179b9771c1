from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("", views.waiting, name="waiting"),
    path("mentees/<int:participation_id>/", views.suggestions, name="suggestions"),
    path("settings/", views.matching_settings, name="settings"),
]
