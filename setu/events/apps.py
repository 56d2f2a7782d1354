from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "setu.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from setu.events import plans, search, sections

        plans.register()
        search.register()
        sections.register()
