"""Load the demo network (idempotent). Refuses to run with production settings."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from setu.accounts.models import Membership, Role, User
from setu.coordination.demo import load_coordination_demo
from setu.directory.demo import load_directory_demo
from setu.directory.models import Organisation
from setu.events.demo import load_events_demo
from setu.library.demo import load_library_demo
from setu.matchmaking.demo import load as load_matchmaking_demo

DEMO_PASSWORD = "setu-demo-2026"  # noqa: S105  # printed on purpose; the command refuses production
DEMO_DOMAIN = "demo.setu.example"

# (role, email local part, organisation key: member region or English name, display name)
DEMO_USERS = [
    (Role.SECRETARIAT, "secretariat", "secretariat", "Aiko Tanaka"),
    (Role.PREFECTURE_OFFICER, "officer.yamanashi", "JP-19", "Kenji Watanabe"),
    (Role.PREFECTURE_OFFICER, "officer.shizuoka", "JP-22", "Yumi Suzuki"),
    (Role.MEMBER, "member", "Kofu Hydrogen Systems K.K.", "Hiroshi Mochizuki"),
    (Role.PARTNER, "partner", "Western India Clean Energy Chamber", "Priya Deshpande"),
    (Role.STUDENT, "student", "San'in Institute of Technology", "Arjun Mehta"),
]
STAFF_ROLES = (Role.SECRETARIAT, Role.PREFECTURE_OFFICER)


def demo_totp_secret(email: str) -> str:
    """A stable secret per demo user, so the printed codes keep working across reloads."""
    digest = hashlib.sha256(f"setu-demo-totp:{email}".encode()).digest()[:20]
    return base64.b32encode(digest).decode("ascii")


class Command(BaseCommand):
    help = "Load the demo network of nine member prefectures, partners and one login per role."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("The demo data is for development only: SETU_ENV=prod refuses it.")
        with transaction.atomic():
            by_key, created = load_directory_demo()
            for role, local, org_key, name in DEMO_USERS:
                created += self._user(role, f"{local}@{DEMO_DOMAIN}", by_key[org_key], name)
            # Each domain's demo after the users, so that the demo officers author its records.
            created += load_coordination_demo(by_key)
            created += load_events_demo(by_key)
            created += load_matchmaking_demo(by_key)
            created += load_library_demo(by_key)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready ({created} new records).")
            + " Companies and people in it are fictional.\n"
        )
        self._print_logins()

    def _user(self, role: str, email: str, organisation: Organisation, name: str) -> int:
        user, new = User.objects.get_or_create(email=email, defaults={"full_name": name})
        if new:
            user.set_password(DEMO_PASSWORD)
            user.language = "ja" if organisation.country == "JP" and role != Role.STUDENT else "en"
            user.time_zone = "Asia/Tokyo" if organisation.country == "JP" else "Asia/Kolkata"
            user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
        enrolled = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        if role in STAFF_ROLES and not enrolled:
            TOTP.activate(user, demo_totp_secret(email))
            RecoveryCodes.activate(user)
        return int(new)

    def _print_logins(self) -> None:
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for role, local, _org, _name in DEMO_USERS:
            email = f"{local}@{DEMO_DOMAIN}"
            note = (
                f"  2FA code: .venv/bin/python manage.py demo_totp {email}"
                if role in STAFF_ROLES
                else ""
            )
            self.stdout.write(f"  {Role(role).label:<20} {email}{note}")
        self.stdout.write("")
