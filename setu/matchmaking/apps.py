from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchmakingConfig(AppConfig):
    name = "setu.matchmaking"
    label = "matchmaking"
    verbose_name = _("Matchmaking")

    def ready(self) -> None:
        from setu.core.registries import register_demo_loader
        from setu.matchmaking import personal_data
        from setu.matchmaking.demo import load

        register_demo_loader("matchmaking", load, order=30)
        personal_data.register()  # what privacy shows, exports, retains and erases
