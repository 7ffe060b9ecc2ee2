from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    # The project's package is its parent; found from this module, the app needs no
    # edit when the project is renamed.
    name = __name__.rpartition(".")[0]
    label = "teams"
    verbose_name = _("Teams")

    def ready(self) -> None:
        # Connects the sign-up receiver (every new account gets a personal team).
        from . import signals  # noqa: F401
