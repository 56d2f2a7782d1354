from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "setu.coordination"
    label = "coordination"
    verbose_name = _("Coordination")

    def ready(self) -> None:
        from setu.coordination import search, sections

        search.register()
        sections.register()
