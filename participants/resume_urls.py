from django.urls import path

from . import resume_views

app_name = "resumes"

urlpatterns = [
    path("<int:resume_id>/", resume_views.resume_download, name="download"),
]
