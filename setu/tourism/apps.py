from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TourismConfig(AppConfig):
    name = "setu.tourism"
    label = "tourism"
    verbose_name = _("Tourism")

    def ready(self) -> None:
        from setu.core.registries import register_demo_loader
        from setu.directory.sections import register_section
        from setu.events.hooks import register_event_page_part
        from setu.results.kpi_parts import register_kpi_part
        from setu.tourism.demo import load_tourism_demo
        from setu.tourism.fairs import fair_part
        from setu.tourism.sections import arrivals_kpi_part, arrivals_section

        register_section("arrivals", arrivals_section, order=60)
        register_event_page_part("tourism", fair_part)
        register_kpi_part("arrivals", arrivals_kpi_part)
        register_demo_loader("tourism", load_tourism_demo, order=65)
