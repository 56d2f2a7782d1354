from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CultureConfig(AppConfig):
    name = "setu.culture"
    label = "culture"
    verbose_name = _("Culture and language")

    def ready(self) -> None:
        from setu.core.registries import register_dashboard_part, register_demo_loader
        from setu.culture.demo import load_culture_demo
        from setu.culture.selectors import dashboard_cards, event_part
        from setu.events.hooks import register_event_page_part

        register_event_page_part("culture", event_part)
        register_dashboard_part("culture", dashboard_cards)
        register_demo_loader("culture", load_culture_demo, order=50)
