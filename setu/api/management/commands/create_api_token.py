"""``manage.py create_api_token EMAIL --scopes read --days 1``: a token for scripts and checks.

The token's text is the last line of standard output, alone, so that a script can take it
with ``| tail -n 1``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from setu.accounts.models import User
from setu.api import services
from setu.api.scopes import READ, SCOPES


class Command(BaseCommand):
    help = "Make a personal access token for the API and print it (last line, alone)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument(
            "--scopes",
            default=READ,
            help=f"Comma- or space-separated, from: {', '.join(SCOPES)} (default: read)",
        )
        parser.add_argument("--days", type=int, default=30)
        parser.add_argument("--name", default="Command line")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user with the email {options['email']}.")
        scopes = [s for s in options["scopes"].replace(",", " ").split() if s]
        try:
            created = services.token_create(
                user=user, name=options["name"], scopes=scopes, days=options["days"]
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        token = created.token
        self.stdout.write(
            f"Token {token.prefix} for {user.email}: scopes {', '.join(token.scopes)}, "
            f"expires {token.expires_at:%Y-%m-%d %H:%M} UTC. It is shown only now:"
        )
        self.stdout.write(created.text)
