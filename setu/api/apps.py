from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "setu.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from setu.api.demo import load_api_demo
        from setu.core.registries import register_demo_loader

        register_demo_loader("api", load_api_demo, order=90)
