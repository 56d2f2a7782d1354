from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "setu.directory"
    label = "directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        from setu.directory import focal

        focal.connect()
