from django.urls import path

from . import (
    portal_goal_views,
    portal_match_views,
    portal_profile_views,
    portal_resource_views,
    portal_views,
)

app_name = "portal"

urlpatterns = [
    path("", portal_views.portal_home, name="home"),
    path("help/", portal_views.help_request, name="help"),
    # My profile
    path("profile/", portal_profile_views.profile, name="profile"),
    path("profile/<int:person_id>/contact/", portal_profile_views.contact_edit, name="contact"),
    path(
        "profile/participations/<int:participation_id>/",
        portal_profile_views.participation_edit,
        name="participation",
    ),
    path("profile/<int:person_id>/resume/", portal_profile_views.resume, name="resume"),
    path("profile/<int:person_id>/sharing/", portal_profile_views.sharing_edit, name="sharing"),
    path("resumes/<int:resume_id>/", portal_profile_views.resume_download, name="resume_download"),
    # My match
    path("matches/", portal_views.match_list, name="matches"),
    path("matches/<int:match_id>/", portal_match_views.match_detail, name="match"),
    path("matches/<int:match_id>/answer/", portal_match_views.match_answer, name="match_answer"),
    path("matches/<int:match_id>/meetings/", portal_match_views.match_meetings, name="match_meetings"),
    path("matches/<int:match_id>/agreement/", portal_match_views.agreement, name="agreement"),
    path("matches/<int:match_id>/help/", portal_views.help_request, name="match_help"),
    path("matches/<int:match_id>/goals/", portal_goal_views.goals, name="goals"),
    path("matches/<int:match_id>/goals/new/", portal_goal_views.goal_add, name="goal_add"),
    path(
        "matches/<int:match_id>/goals/<int:goal_id>/status/",
        portal_goal_views.goal_status,
        name="goal_status",
    ),
    path("matches/<int:match_id>/goals/<int:goal_id>/notes/", portal_goal_views.goal_note, name="goal_note"),
    path(
        "hours/<int:person_id>/<int:year>/certificate.pdf",
        portal_match_views.hours_certificate,
        name="hours_certificate",
    ),
    # Resources
    path("resources/", portal_resource_views.resources, name="resources"),
    path(
        "resources/<int:resource_id>/download/",
        portal_resource_views.resource_download,
        name="resource_download",
    ),
    path("resources/<int:resource_id>/read/", portal_resource_views.resource_read, name="resource_read"),
]
