"""Print the current two-factor code of a demo staff user (development only)."""

from __future__ import annotations

import time
from typing import Any

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from setu.core.management.commands.load_demo import DEMO_DOMAIN, demo_totp_secret


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo staff login."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, email: str, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Demo codes exist only in development.")
        if not email.endswith(f"@{DEMO_DOMAIN}"):
            raise CommandError(f"Only demo logins (…@{DEMO_DOMAIN}) have a known secret.")
        counter = int(time.time()) // 30
        self.stdout.write(format_hotp_value(hotp_value(demo_totp_secret(email), counter)))
