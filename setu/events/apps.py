from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "setu.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from setu.core.registries import register_demo_loader
        from setu.events import personal_data, search, sections
        from setu.events.demo import load_events_demo

        search.register()
        sections.register()
        register_demo_loader("events", load_events_demo, order=20)
        personal_data.register()  # what privacy shows, exports, retains and erases
