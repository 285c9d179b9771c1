from django.urls import path

from . import views

app_name = "participants"

urlpatterns = [
    path("", views.participant_list, name="participant_list"),
    path("people/<int:person_id>/", views.person_detail, name="person_detail"),
]
