from django.urls import path

from . import inbox_views, intake_views, views

app_name = "intake"

urlpatterns = [
    path("", inbox_views.inbox, name="inbox"),
    path("bulk/", inbox_views.inbox_bulk, name="bulk"),
    path("<int:participation_id>/step/<str:status>/", intake_views.participation_step, name="step"),
    path("<int:participation_id>/accept/", intake_views.participation_accept, name="accept"),
    path("<int:participation_id>/waitlist/", intake_views.participation_waitlist, name="waitlist"),
    path("<int:participation_id>/withdraw/", intake_views.participation_withdraw, name="withdraw"),
    path("<int:participation_id>/decline/", intake_views.participation_decline, name="decline"),
    path(
        "<int:participation_id>/decline/message/", intake_views.decline_message_send, name="decline_message"
    ),
    path("<int:participation_id>/refer/", intake_views.participation_refer, name="refer"),
    path(
        "<int:participation_id>/interviews/new/", intake_views.interview_schedule, name="interview_schedule"
    ),
    path(
        "interviews/<int:interview_id>/reschedule/",
        intake_views.interview_reschedule,
        name="interview_reschedule",
    ),
    path("interviews/<int:interview_id>/cancel/", intake_views.interview_cancel, name="interview_cancel"),
    path("interviews/<int:interview_id>/record/", intake_views.interview_record, name="interview_record"),
    path("interviews/<int:interview_id>/invitation.ics", intake_views.interview_ics, name="interview_ics"),
    path("referrals/<int:referral_id>/outcome/", intake_views.referral_outcome, name="referral_outcome"),
    path("people/<int:person_id>/notes/", views.note_add, name="note_add"),
]
