from django.urls import path

from . import (
    portal_circle_views,
    portal_data_views,
    portal_goal_views,
    portal_match_views,
    portal_notification_views,
    portal_profile_views,
    portal_resource_views,
    portal_story_views,
    portal_survey_views,
    portal_views,
)

app_name = "portal"

urlpatterns = [
    path("", portal_views.portal_home, name="home"),
    path("help/", portal_views.help_request, name="help"),
    path("notifications/", portal_notification_views.notification_choices, name="notifications"),
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
    # My group (mentoring circles)
    path("circles/", portal_circle_views.circle_list, name="circles"),
    path("circles/<int:circle_id>/", portal_circle_views.circle_detail, name="circle"),
    path(
        "circles/<int:circle_id>/meetings/new/", portal_circle_views.circle_meeting_log, name="circle_meeting"
    ),
    # My data
    path("data/", portal_data_views.data_home, name="data"),
    path("data/<int:person_id>/export.json", portal_data_views.export_json_view, name="data_json"),
    path("data/<int:person_id>/export.pdf", portal_data_views.export_pdf_view, name="data_pdf"),
    path("data/<int:person_id>/correction/", portal_data_views.correction, name="data_correction"),
    path("data/<int:person_id>/delete/", portal_data_views.deletion, name="data_deletion"),
    path(
        "data/participations/<int:participation_id>/withdraw/",
        portal_data_views.withdraw,
        name="data_withdraw",
    ),
    # Surveys and feedback
    path("surveys/", portal_survey_views.surveys, name="surveys"),
    path("surveys/checkin/<int:match_id>/", portal_survey_views.checkin, name="checkin"),
    path("surveys/closing/<int:match_id>/", portal_survey_views.closing_survey, name="closing_survey"),
    path("surveys/follow-up/<int:follow_up_id>/", portal_survey_views.follow_up, name="follow_up"),
    path("feedback/", portal_survey_views.feedback, name="feedback"),
    # My story
    path("story/", portal_story_views.story, name="story"),
    path("story/<int:story_id>/", portal_story_views.story_detail, name="story_detail"),
    path("story/<int:story_id>/consent/", portal_story_views.story_consent, name="story_consent"),
    path("story/<int:story_id>/withdraw/", portal_story_views.story_withdraw_view, name="story_withdraw"),
]
