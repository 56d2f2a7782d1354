from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "setu.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from setu.core.bidi import normalise_on_save

        # Every title and name loses bidi overrides when saved (docs/decisions/0009).
        pre_save.connect(normalise_on_save, dispatch_uid="setu.core.bidi")
