from django.urls import path

from . import unsubscribe_views, views

app_name = "notifications"

urlpatterns = [
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<int:reminder_id>/resend/", views.resend, name="resend"),
    path("settings/", views.cadence_settings, name="settings"),
    path("unsubscribe/<str:token>/", unsubscribe_views.unsubscribe, name="unsubscribe"),
]
