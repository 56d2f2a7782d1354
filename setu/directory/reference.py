"""Reference data from setu/directory/data/: regions, cities and the sector taxonomy.

Idempotent: records are matched on their codes and updated in place. Works with the real
models and with a migration's historical ones (pass ``apps``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction

DATA = Path(__file__).resolve().parent / "data"


def read(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / name).read_text(encoding="utf-8"))
    return data


def load_reference_data(apps: Any = None) -> dict[str, int]:
    """Load regions, cities, ISIC sectors, national codes and focal sectors; return counts.
    One transaction: a few hundred rows, committed once (not once per row)."""
    with transaction.atomic():
        return _load(apps)


def _load(apps: Any) -> dict[str, int]:
    if apps is None:
        from django.apps import apps as django_apps

        apps = django_apps
    region_model = apps.get_model("directory", "Region")
    city_model = apps.get_model("directory", "City")
    sector_model = apps.get_model("directory", "Sector")
    code_model = apps.get_model("directory", "SectorCode")
    focal_model = apps.get_model("directory", "FocalSector")

    regions = read("regions.json")["regions"]
    for row in regions:
        region_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "country": row["country"],
                "kind": row["kind"],
                "name_en": row["name_en"],
                "name_ja": row.get("name_ja", ""),
                "name_hi": row.get("name_hi", ""),
                "name_ja_kana": row.get("name_ja_kana", ""),
            },
        )
    cities = read("cities.json")["cities"]
    for row in cities:
        city_model.objects.update_or_create(
            key=row["key"],
            defaults={
                "country": row["country"],
                "region_id": row.get("region"),
                "name_en": row["name_en"],
                "name_ja": row.get("name_ja", ""),
                "name_hi": row.get("name_hi", ""),
                "timezone": row["timezone"],
                "latitude": row.get("lat"),
                "longitude": row.get("lon"),
            },
        )
    taxonomy = read("sectors.json")
    sections: dict[str, Any] = {}
    divisions: dict[str, Any] = {}
    for row in taxonomy["isic"]:
        if row["level"] == "section":
            sections[row["code"]], _ = sector_model.objects.update_or_create(
                code=row["code"],
                defaults={
                    "level": "section",
                    "parent": None,
                    "name_en": row["name_en"],
                    "name_ja": row.get("name_ja", ""),
                    "name_hi": row.get("name_hi", ""),
                },
            )
    for row in taxonomy["isic"]:
        if row["level"] == "division":
            divisions[row["code"]], _ = sector_model.objects.update_or_create(
                code=row["code"],
                defaults={
                    "level": "division",
                    "parent": sections[row["section"]],
                    "name_en": row["name_en"],
                    "name_ja": row.get("name_ja", ""),
                    "name_hi": row.get("name_hi", ""),
                },
            )
    for row in taxonomy["nic2008"]:
        code, _ = code_model.objects.update_or_create(
            scheme="nic2008", code=row["nic"], defaults={"name_en": divisions[row["isic"]].name_en}
        )
        code.sectors.set([divisions[row["isic"]]])
    for row in taxonomy["jsic"]:
        if row.get("level") != "division":
            continue
        code, _ = code_model.objects.update_or_create(
            scheme="jsic",
            code=row["jsic"],
            defaults={"name_en": row.get("name_en", ""), "name_ja": row.get("name_ja", "")},
        )
        code.sectors.set([divisions[c] for c in row.get("isic", []) if c in divisions])
    for position, row in enumerate(taxonomy["focal"]):
        focal, _ = focal_model.objects.update_or_create(
            key=row["key"],
            defaults={
                "name_en": row["name_en"],
                "name_ja": row.get("name_ja", ""),
                "name_hi": row.get("name_hi", ""),
                "description_en": row.get("description_en", ""),
                "position": position,
            },
        )
        focal.sectors.set([divisions[c] for c in row["isic"] if c in divisions])
    return {
        "regions": len(regions),
        "cities": len(cities),
        "sectors": len(sections) + len(divisions),
        "focal sectors": len(taxonomy["focal"]),
    }
