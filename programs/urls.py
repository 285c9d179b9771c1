from django.urls import path

from . import views

app_name = "programs"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("switch-program/", views.program_switch, name="program_switch"),
    path("programs/", views.programs_overview, name="programs_overview"),
    path("programs/<slug:slug>/", views.program_detail, name="program_detail"),
    path("settings/programs/", views.program_list, name="program_list"),
    path("settings/programs/new/", views.program_create, name="program_create"),
    path("settings/programs/<slug:slug>/edit/", views.program_edit, name="program_edit"),
    path("settings/staff/", views.staff_list, name="staff_list"),
    path("settings/staff/invite/", views.staff_invite, name="staff_invite"),
    path("settings/staff/<int:membership_id>/", views.staff_edit, name="staff_edit"),
    path("settings/staff/<int:membership_id>/active/", views.staff_set_active, name="staff_set_active"),
]
