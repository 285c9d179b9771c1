"""Settings pages under /settings/: each program's setup, and the organization's partners and funders."""

from django.urls import path

from . import organization_setup_views as org_views
from . import setup_views as views

app_name = "setup"

program = "programs/<slug:slug>/setup"

urlpatterns = [
    path(f"{program}/", views.program_setup, name="program_setup"),
    path(f"{program}/eligibility/", views.eligibility_edit, name="eligibility_edit"),
    path(f"{program}/questions/", views.intake_questions, name="intake_questions"),
    path(f"{program}/cohorts/", views.cohort_list, name="cohort_list"),
    path(f"{program}/cohorts/new/", views.cohort_create, name="cohort_create"),
    path(f"{program}/cohorts/<int:cohort_id>/", views.cohort_edit, name="cohort_edit"),
    path(f"{program}/resources/", views.resource_list, name="resource_list"),
    path(f"{program}/resources/new/", views.resource_create, name="resource_create"),
    path(f"{program}/resources/<int:resource_id>/", views.resource_edit, name="resource_edit"),
    path(f"{program}/resources/<int:resource_id>/remove/", views.resource_remove, name="resource_remove"),
    path(f"{program}/privacy/", views.privacy_notice_list, name="privacy_notice_list"),
    path(f"{program}/privacy/new/", views.privacy_notice_create, name="privacy_notice_create"),
    path(f"{program}/privacy/<int:notice_id>/", views.privacy_notice_detail, name="privacy_notice_detail"),
    path(
        f"{program}/privacy/<int:notice_id>/publish/",
        views.privacy_notice_publish,
        name="privacy_notice_publish",
    ),
    path("resources/<int:resource_id>/download/", views.resource_download, name="resource_download"),
    # Partners
    path("partners/", org_views.partner_list, name="partner_list"),
    path("partners/new/", org_views.partner_create, name="partner_create"),
    path("partners/<int:partner_id>/", org_views.partner_detail, name="partner_detail"),
    path("partners/<int:partner_id>/edit/", org_views.partner_edit, name="partner_edit"),
    path(
        "partners/<int:partner_id>/people/<slug:relation>/", org_views.partner_people, name="partner_people"
    ),
    path(
        "partners/<int:partner_id>/contacts/new/",
        org_views.partner_contact_edit,
        name="partner_contact_create",
    ),
    path(
        "partners/<int:partner_id>/contacts/<int:contact_id>/",
        org_views.partner_contact_edit,
        name="partner_contact_edit",
    ),
    path(
        "partners/<int:partner_id>/contacts/<int:contact_id>/remove/",
        org_views.partner_contact_remove,
        name="partner_contact_remove",
    ),
    # Funders
    path("funders/", org_views.funder_list, name="funder_list"),
    path("funders/new/", org_views.funder_create, name="funder_create"),
    path("funders/<int:funder_id>/", org_views.funder_detail, name="funder_detail"),
    path("funders/<int:funder_id>/edit/", org_views.funder_edit, name="funder_edit"),
    path(
        "funders/<int:funder_id>/contacts/new/", org_views.funder_contact_edit, name="funder_contact_create"
    ),
    path(
        "funders/<int:funder_id>/contacts/<int:contact_id>/",
        org_views.funder_contact_edit,
        name="funder_contact_edit",
    ),
    path(
        "funders/<int:funder_id>/contacts/<int:contact_id>/remove/",
        org_views.funder_contact_remove,
        name="funder_contact_remove",
    ),
    path("funders/<int:funder_id>/fundings/new/", org_views.funding_add, name="funding_add"),
    path(
        "funders/<int:funder_id>/fundings/<int:funding_id>/remove/",
        org_views.funding_remove,
        name="funding_remove",
    ),
    path(
        "funders/<int:funder_id>/periods/new/",
        org_views.reporting_period_edit,
        name="reporting_period_create",
    ),
    path(
        "funders/<int:funder_id>/periods/<int:period_id>/",
        org_views.reporting_period_edit,
        name="reporting_period_edit",
    ),
    path(
        "funders/<int:funder_id>/periods/<int:period_id>/remove/",
        org_views.reporting_period_remove,
        name="reporting_period_remove",
    ),
]
