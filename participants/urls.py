from django.urls import path

from . import alumni_views, data_request_views, views

app_name = "participants"

urlpatterns = [
    path("", views.participant_list, name="participant_list"),
    path("people/<int:person_id>/", views.person_detail, name="person_detail"),
    path("alumni/", alumni_views.alumni_list, name="alumni"),
    path("alumni/<int:participation_id>/invite/", alumni_views.alumni_invite_view, name="alumni_invite"),
    path("data-requests/", data_request_views.data_request_list, name="data_requests"),
    path(
        "data-requests/<int:data_request_id>/handle/",
        data_request_views.data_request_handle_view,
        name="data_request_handle",
    ),
    path(
        "data-requests/<int:data_request_id>/erase/",
        data_request_views.data_request_erase_view,
        name="data_request_erase",
    ),
]
