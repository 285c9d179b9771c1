from django.urls import path

from . import help_views

app_name = "help_requests"

urlpatterns = [
    path("", help_views.help_request_list, name="list"),
    path("<int:help_request_id>/handle/", help_views.help_request_handle_view, name="handle"),
]
