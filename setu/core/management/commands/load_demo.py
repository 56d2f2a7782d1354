"""Load the demo network (idempotent). Refuses to run with production settings."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from setu.accounts.models import Membership, Role, User
from setu.core.models import Visibility
from setu.directory.models import Organisation, OrganisationKind

DATA = Path(__file__).resolve().parents[3] / "directory" / "data"
DEMO_PASSWORD = "setu-demo-2026"  # noqa: S105  # printed on purpose; the command refuses production
DEMO_DOMAIN = "demo.setu.example"

# The six members named at the India–Japan Governors' Network launch, plus three illustrative
# ones, used when members.json is absent.
DEFAULT_MEMBERS = [
    ("JP-19", False),
    ("JP-31", False),
    ("JP-04", False),
    ("JP-16", False),
    ("JP-03", False),
    ("JP-22", False),
    ("JP-30", True),
    ("JP-24", True),
    ("JP-28", True),
]

# Fictional organisations: (kind, managing member region, region, en, ja, visibility)
FICTIONAL_ORGS: list[tuple[str, str | None, str, str, str, str]] = [
    (
        OrganisationKind.COMPANY,
        "JP-19",
        "JP-19",
        "Kofu Hydrogen Systems K.K.",
        "甲府水素システム株式会社",
        Visibility.PARTNERS,
    ),
    (
        OrganisationKind.COMPANY,
        "JP-22",
        "JP-22",
        "Enshu Auto Parts Co., Ltd.",
        "遠州オートパーツ株式会社",
        Visibility.PARTNERS,
    ),
    (
        OrganisationKind.COMPANY,
        "JP-16",
        "JP-16",
        "Tateyama Smart Grid Co., Ltd.",
        "立山スマートグリッド株式会社",
        Visibility.PARTNERS,
    ),
    (
        OrganisationKind.COMPANY,
        "JP-31",
        "JP-31",
        "Daisen Foods K.K.",
        "大山フーズ株式会社",
        Visibility.PARTNERS,
    ),
    (
        OrganisationKind.COMPANY,
        "JP-04",
        "JP-04",
        "Sendai Cloudworks Inc.",
        "仙台クラウドワークス株式会社",
        Visibility.PARTNERS,
    ),
    (
        OrganisationKind.COMPANY,
        "JP-19",
        "JP-19",
        "Fujikawa Precision Dies K.K.",
        "富士川精密金型株式会社",
        Visibility.PRIVATE,
    ),
    (
        OrganisationKind.CHAMBER,
        None,
        "IN-MH",
        "Western India Clean Energy Chamber",
        "",
        Visibility.PARTNERS,
    ),
    (
        OrganisationKind.COMPANY,
        None,
        "IN-KA",
        "Namma Mobility Components Pvt Ltd",
        "",
        Visibility.PARTNERS,
    ),
    (
        OrganisationKind.ACADEMIC,
        None,
        "JP-31",
        "San'in Institute of Technology",
        "山陰工科大学",
        Visibility.PUBLIC,
    ),
]

# (role, email local part, organisation English name or member region, display name)
DEMO_USERS = [
    (Role.SECRETARIAT, "secretariat", "secretariat", "Aiko Tanaka"),
    (Role.PREFECTURE_OFFICER, "officer.yamanashi", "JP-19", "Kenji Watanabe"),
    (Role.PREFECTURE_OFFICER, "officer.shizuoka", "JP-22", "Yumi Suzuki"),
    (Role.MEMBER, "member", "Kofu Hydrogen Systems K.K.", "Hiroshi Mochizuki"),
    (Role.PARTNER, "partner", "Western India Clean Energy Chamber", "Priya Deshpande"),
    (Role.STUDENT, "student", "San'in Institute of Technology", "Arjun Mehta"),
]


def _load(name: str) -> dict[str, Any]:
    path = DATA / name
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


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
            created = self._load()
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready ({created} new records).")
            + " Companies and people in it are fictional.\n"
        )
        self._print_logins()

    def _org(
        self, *, lookup: dict[str, Any], defaults: dict[str, Any]
    ) -> tuple[Organisation, bool]:
        return Organisation.objects.update_or_create(**lookup, defaults=defaults)

    def _load(self) -> int:
        created = 0
        regions = {r["code"]: r for r in _load("regions.json").get("regions", [])}
        member_rows = _load("members.json").get("members") or [
            {"region": code, "illustrative": illustrative} for code, illustrative in DEFAULT_MEMBERS
        ]
        member_codes = {row["region"] for row in member_rows if row.get("region")}

        secretariat, new = self._org(
            lookup={"kind": OrganisationKind.SECRETARIAT, "country": "JP"},
            defaults={
                "name_en": f"{settings.SETU_CONSORTIUM_NAME} Secretariat",
                "name_ja": "日印県連携ネットワーク事務局",
                "name_hi": "जापान–भारत प्रीफ़ेक्चर नेटवर्क सचिवालय",
                "original_language": "ja",
                "visibility": Visibility.PUBLIC,
            },
        )
        created += new
        by_key: dict[str, Organisation] = {"secretariat": secretariat}
        for code, region in regions.items():
            if code.startswith("JP-"):
                kind = (
                    OrganisationKind.MEMBER_PREFECTURE
                    if code in member_codes
                    else OrganisationKind.PREFECTURE
                )
                language = "ja"
            else:
                kind, language = OrganisationKind.INDIAN_STATE, "en"
            org, new = self._org(
                lookup={"region": code, "kind__in": [kind, *self._region_kinds(code)]},
                defaults={
                    "kind": kind,
                    "name_en": region["name_en"],
                    "name_ja": region.get("name_ja", ""),
                    "name_hi": region.get("name_hi", ""),
                    "original_language": language,
                    "country": region["country"],
                    "city": region.get("capital_en", ""),
                    "visibility": Visibility.PUBLIC,
                },
            )
            created += new
            by_key[code] = org
        for org_kind, manager, region_code, name_en, name_ja, visibility in FICTIONAL_ORGS:
            org, new = self._org(
                lookup={"name_en": name_en, "kind": org_kind},
                defaults={
                    "name_ja": name_ja,
                    "original_language": "ja" if name_ja else "en",
                    "country": region_code[:2],
                    "region": region_code,
                    "managed_by": by_key.get(manager) if manager else None,
                    "visibility": visibility,
                },
            )
            created += new
            by_key[name_en] = org
        for role, local, org_key, name in DEMO_USERS:
            created += self._user(role, f"{local}@{DEMO_DOMAIN}", by_key[org_key], name)
        return created

    @staticmethod
    def _region_kinds(code: str) -> list[str]:
        if code.startswith("JP-"):
            return [OrganisationKind.MEMBER_PREFECTURE, OrganisationKind.PREFECTURE]
        return [OrganisationKind.INDIAN_STATE]

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
        if (
            role in (Role.SECRETARIAT, Role.PREFECTURE_OFFICER)
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            TOTP.activate(user, demo_totp_secret(email))
        return int(new)

    def _print_logins(self) -> None:
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for role, local, _org, _name in DEMO_USERS:
            note = ""
            if role in (Role.SECRETARIAT, Role.PREFECTURE_OFFICER):
                note = f"  2FA code: .venv/bin/python manage.py demo_totp {local}@{DEMO_DOMAIN}"
            self.stdout.write(f"  {Role(role).label:<20} {local}@{DEMO_DOMAIN}{note}")
        self.stdout.write("")
