from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # This app's own kinds first, so that pages list the kinds in the order a person meets
        # them (the interview, orientation, the introduction, then the match's life).
        from . import reminders  # noqa: F401

        # Every app's reminders.py registers its kinds, as Celery finds every tasks.py.
        autodiscover_modules("reminders")
        # The weekly digest spans every app, so it is this app's own kind.
        from . import digest  # noqa: F401
