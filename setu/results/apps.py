from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "setu.results"
    label = "results"
    verbose_name = _("Results")

    def ready(self) -> None:
        from setu.core.registries import register_dashboard_part, register_demo_loader
        from setu.results import actions, kpi_summary, sections
        from setu.results.demo import load_results_demo
        from setu.results.kpi_cache import connect_signals

        connect_signals()
        kpi_summary.connect_signals()
        actions.register()
        sections.register()
        register_dashboard_part("results", sections.dashboard_part)
        register_demo_loader("results", load_results_demo, order=60)
