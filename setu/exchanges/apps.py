from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangesConfig(AppConfig):
    name = "setu.exchanges"
    label = "exchanges"
    verbose_name = _("Student exchanges")

    def ready(self) -> None:
        from setu.core.registries import register_dashboard_part, register_demo_loader
        from setu.exchanges import (
            personal_data,
            rules,  # noqa: F401  # registers the permissions
        )
        from setu.exchanges.demo import load_exchanges_demo
        from setu.exchanges.selectors import dashboard_part

        register_dashboard_part("exchanges", dashboard_part)
        register_demo_loader("exchanges", load_exchanges_demo, order=50)
        personal_data.register()  # what privacy shows, exports, retains and erases
