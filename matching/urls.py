from django.urls import path

from . import circle_views, match_meeting_views, match_views, mentor_views, run_views, views

app_name = "matching"

urlpatterns = [
    path("", views.waiting, name="waiting"),
    path("mentees/<int:participation_id>/", views.suggestions, name="suggestions"),
    path("mentors/<int:participation_id>/", mentor_views.mentor_suggestions, name="mentor_suggestions"),
    path("settings/", views.matching_settings, name="settings"),
    path("supply/", views.supply, name="supply"),
    path("matches/", match_views.match_list, name="match_list"),
    path("matches/<int:match_id>/", match_views.match_detail, name="match_detail"),
    path("matches/<int:match_id>/introduce/", match_views.introduce, name="match_introduce"),
    path("matches/<int:match_id>/answer/<str:side>/", match_views.record_answer, name="match_record_answer"),
    path("matches/<int:match_id>/cancel/", match_views.cancel, name="match_cancel"),
    path("matches/<int:match_id>/complete/", match_views.complete, name="match_complete"),
    path("matches/<int:match_id>/close-early/", match_views.close_early, name="match_close_early"),
    path("matches/<int:match_id>/meetings/", match_meeting_views.match_meetings, name="match_meetings"),
    path(
        "people/<int:person_id>/hours/<int:year>/certificate.pdf",
        match_meeting_views.mentor_certificate,
        name="mentor_certificate",
    ),
    path("runs/", run_views.run_list, name="run_list"),
    path("runs/<int:run_id>/", run_views.run_detail, name="run_detail"),
    path("runs/<int:run_id>/publish/", run_views.run_publish, name="run_publish"),
    path("runs/<int:run_id>/discard/", run_views.run_discard, name="run_discard"),
    path(
        "runs/<int:run_id>/proposals/<int:match_id>/change/",
        run_views.proposal_change,
        name="run_proposal_change",
    ),
    path(
        "runs/<int:run_id>/proposals/<int:match_id>/remove/",
        run_views.proposal_remove,
        name="run_proposal_remove",
    ),
    path("circles/", circle_views.circle_list, name="circle_list"),
    path("circles/new/", circle_views.circle_create, name="circle_create"),
    path("circles/<int:circle_id>/", circle_views.circle_detail, name="circle_detail"),
    path("circles/<int:circle_id>/members/add/", circle_views.circle_add_member, name="circle_add_member"),
    path(
        "circles/<int:circle_id>/members/<int:membership_id>/leave/",
        circle_views.circle_member_leave,
        name="circle_member_leave",
    ),
    path("circles/<int:circle_id>/start/", circle_views.circle_start, name="circle_start"),
    path("circles/<int:circle_id>/close/", circle_views.circle_close, name="circle_close"),
    path("circles/<int:circle_id>/meetings/new/", circle_views.circle_meeting_log, name="circle_meeting_log"),
]
