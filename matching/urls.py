from django.urls import path

from . import match_views, views

app_name = "matching"

urlpatterns = [
    path("", views.waiting, name="waiting"),
    path("mentees/<int:participation_id>/", views.suggestions, name="suggestions"),
    path("settings/", views.matching_settings, name="settings"),
    path("matches/", match_views.match_list, name="match_list"),
    path("matches/<int:match_id>/", match_views.match_detail, name="match_detail"),
    path("matches/<int:match_id>/introduce/", match_views.introduce, name="match_introduce"),
    path("matches/<int:match_id>/answer/<str:side>/", match_views.record_answer, name="match_record_answer"),
    path("matches/<int:match_id>/cancel/", match_views.cancel, name="match_cancel"),
    path("matches/<int:match_id>/complete/", match_views.complete, name="match_complete"),
    path("matches/<int:match_id>/close-early/", match_views.close_early, name="match_close_early"),
]
