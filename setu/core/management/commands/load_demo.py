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

from setu.accounts.models import STAFF_ROLES, Membership, Role, User
from setu.core.registries import demo_loaders
from setu.directory.demo import load_directory_demo
from setu.directory.models import Organisation

DEMO_PASSWORD = "setu-demo-2026"  # noqa: S105  # printed on purpose; the command refuses production
DEMO_DOMAIN = "demo.setu.example"

# One officer per member prefecture: (member region, lower-case romanised name, display name).
# Every cross-prefecture journey (a clash, a joint mission, a co-hosted event) can be tried by
# signing in as each side. The people are fictional.
DEMO_OFFICERS = [
    ("JP-19", "yamanashi", "Kenji Watanabe"),
    ("JP-22", "shizuoka", "Yumi Suzuki"),
    ("JP-31", "tottori", "Takashi Ikeda"),
    ("JP-04", "miyagi", "Mai Sato"),
    ("JP-16", "toyama", "Daisuke Yamamoto"),
    ("JP-03", "iwate", "Naoko Kikuchi"),
    ("JP-30", "wakayama", "Shota Nishimura"),
    ("JP-28", "hyogo", "Emi Fujita"),
    ("JP-38", "ehime", "Ryota Ochi"),
]
# (role, email local part, organisation key: member region or English name, display name)
DEMO_USERS = [
    (Role.SECRETARIAT, "secretariat", "secretariat", "Aiko Tanaka"),
    *(
        (Role.PREFECTURE_OFFICER, f"officer.{name}", code, person)
        for code, name, person in DEMO_OFFICERS
    ),
    (Role.MEMBER, "member", "Kofu Hydrogen Systems K.K.", "Hiroshi Mochizuki"),
    (Role.PARTNER, "partner", "Western India Clean Energy Chamber", "Priya Deshpande"),
    (Role.STUDENT, "student", "San'in Institute of Technology", "Arjun Mehta"),
]


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
            # Each activity app's demo after the users, so that the demo officers author its
            # records; the apps register their loaders (setu/core/registries.py).
            for _key, load in demo_loaders():
                created += load(by_key)
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
        """One line per role; the nine officers share one line and a list of prefectures."""
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        officers_printed = False
        for role, local, _org, _name in DEMO_USERS:
            if role == Role.PREFECTURE_OFFICER:
                if not officers_printed:
                    names = ", ".join(name for _code, name, _person in DEMO_OFFICERS)
                    self.stdout.write(
                        f"  {Role(role).label:<20} officer.<prefecture>@{DEMO_DOMAIN}\n"
                        f"  {'':<20} <prefecture>: {names}"
                    )
                    officers_printed = True
                continue
            self.stdout.write(f"  {Role(role).label:<20} {local}@{DEMO_DOMAIN}")
        self.stdout.write(
            "  Secretariat and officers need a second factor; print the current code with\n"
            f"  .venv/bin/python manage.py demo_totp officer.yamanashi@{DEMO_DOMAIN}\n"
        )
