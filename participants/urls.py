from django.urls import path

from . import alumni_views, views

app_name = "participants"

urlpatterns = [
    path("", views.participant_list, name="participant_list"),
    path("people/<int:person_id>/", views.person_detail, name="person_detail"),
    path("alumni/", alumni_views.alumni_list, name="alumni"),
    path("alumni/<int:participation_id>/invite/", alumni_views.alumni_invite_view, name="alumni_invite"),
]
