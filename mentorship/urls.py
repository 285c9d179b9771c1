from django.contrib import admin
from django.urls import include, path

from programs import views as program_views

from . import views

urlpatterns = [
    path("", program_views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("apply/", include("participants.public_urls")),
    path("applications/", include("participants.intake_urls")),
    path("resumes/", include("participants.resume_urls")),
    path("settings/", include("programs.setup_urls")),
    path("matching/", include("matching.urls")),
    path("participants/", include("participants.urls")),
    path("portal/", include("participants.portal_urls")),
    path("help-requests/", include("participants.help_urls")),
    path("funder/", include("programs.funder_urls")),
    path("notifications/", include("notifications.urls")),
    path("stories/", include("stories.urls")),
    path("", include("programs.urls")),
]

handler400 = "mentorship.views.bad_request"
handler403 = "mentorship.views.permission_denied"
handler404 = "mentorship.views.page_not_found"
handler500 = "mentorship.views.server_error"
