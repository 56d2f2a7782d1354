"""Sharing documents: upload, versions, downloads, editing, collections; bad input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from setu.conftest import World
from setu.core.models import AuditEntry, Visibility
from setu.directory.models import FocalSector, Sector
from setu.library.models import Collection, Document, DocumentVersion, ExtractionStatus
from setu.library.tests.factories import (
    DocumentFactory,
    docx_bytes,
    exe_bytes,
    pdf_bytes,
    upload,
)

pytestmark = pytest.mark.django_db


def _stored_files() -> list[Path]:
    root = Path(django_settings.MEDIA_ROOT) / "documents"
    return sorted(root.iterdir()) if root.exists() else []


def _create(client: Any, **data: Any) -> Any:
    fields = {
        "kind": "report",
        "title_en": "Gujarat solar market",
        "language": "en",
        "visibility": "partners",
        "tags_text": "solar, Gujarat",
        **data,
    }
    return client.post(reverse("library:document_create"), fields)


def test_upload_stores_a_server_made_name_and_reads_the_text(world: World, committed: Any) -> None:
    client = world.client_for("officer_own")
    focal = FocalSector.objects.get(key="renewable_energy")
    with committed():
        response = _create(
            client,
            owner=world.prefecture.pk,
            file=upload(
                "../報告書 <draft>.pdf", pdf_bytes("グジャラート州の太陽光発電", "19.2 GW")
            ),
            focal_sectors=[focal.pk],
            sectors=[Sector.objects.get(code="35").pk],
        )
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()
    version = document.current_version
    assert version.number == 1
    assert version.original_name == "報告書 _draft_.pdf"
    assert Path(version.file.name).parent.name == "documents"
    assert len(Path(version.file.name).stem) == 32  # a uuid, never the user's name
    assert version.extraction_status == ExtractionStatus.DONE
    assert "太陽光発電" in version.extracted_text
    assert sorted(t.name for t in document.tags.all()) == ["Gujarat", "solar"]
    assert document.owner == world.prefecture and document.created_by == world.user("officer_own")
    assert AuditEntry.objects.filter(action="library.document.created").count() == 1


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("setup.pdf", exe_bytes(), "its content is a program"),
        ("report.pdf", b"<html><script>alert(1)</script></html>", "its content is an HTML page"),
        ("empty.pdf", b"", "The submitted file is empty."),
    ],
)
def test_bad_uploads_store_nothing(world: World, name: str, data: bytes, message: str) -> None:
    response = _create(
        world.client_for("officer_own"), owner=world.prefecture.pk, file=upload(name, data)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Document.objects.exists()
    assert _stored_files() == []


def test_oversized_upload(world: World, settings: Any) -> None:
    settings.SETU_UPLOAD_MAX_BYTES = 100
    response = _create(
        world.client_for("officer_own"),
        owner=world.prefecture.pk,
        file=upload("big.txt", b"x" * 500),
    )
    assert "The file is too large" in response.content.decode()
    assert not Document.objects.exists() and _stored_files() == []


def test_a_title_in_some_language_and_an_owner_of_ones_own(world: World) -> None:
    client = world.client_for("member")
    response = _create(client, title_en="", owner=world.company.pk, file=upload("a.txt", b"x"))
    assert "Give the document a title in at least one language." in response.content.decode()
    response = _create(client, owner=world.prefecture.pk, file=upload("a.txt", b"x"))
    assert "Select a valid choice" in response.content.decode()  # not the member's organisation
    assert not Document.objects.exists()


def test_versions_keep_the_history_and_the_latest_is_the_download(
    world: World, share: Any, committed: Any
) -> None:
    officer = world.user("officer_own")
    document = share(user=officer, owner=world.prefecture, file=upload("v1.txt", b"first draft"))
    client = world.client_for("officer_own")
    with committed():
        response = client.post(
            reverse("library:version_upload", args=[document.pk]),
            {"file": upload("v2.docx", docx_bytes("second draft")), "note": "Figures for 2026"},
        )
    assert response.status_code == 302
    versions = list(document.versions.order_by("number"))
    assert [(v.number, v.original_name, v.uploaded_by) for v in versions] == [
        (1, "v1.txt", officer),
        (2, "v2.docx", officer),
    ]
    document.refresh_from_db()
    assert document.current_version == versions[1]
    latest = client.get(reverse("library:download", args=[document.pk]))
    assert latest["Content-Type"].startswith("application/vnd.openxmlformats")
    assert b"".join(latest.streaming_content).startswith(b"PK")
    first = client.get(reverse("library:version_download", args=[document.pk, 1]))
    assert b"".join(first.streaming_content) == b"first draft"
    page = client.get(document.get_absolute_url()).content.decode()
    assert "Figures for 2026" in page and "v2.docx" in page and "v1.txt" in page


def test_download_headers(world: World, share: Any) -> None:
    document = share(
        user=world.user("officer_own"),
        owner=world.prefecture,
        file=upload("静岡 報告.txt", b"<script>alert(1)</script>"),
        visibility=Visibility.PUBLIC,
    )
    response = world.client_for("anonymous").get(reverse("library:download", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert "filename*=UTF-8''%E9%9D%99%E5%B2%A1%20%E5%A0%B1%E5%91%8A.txt" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_version_upload_by_someone_who_may_not_edit_stores_nothing(
    world: World, share: Any
) -> None:
    document = share(
        user=world.user("officer_own"),
        owner=world.prefecture,
        file=upload("a.txt", b"v1"),
        visibility=Visibility.CONSORTIUM,
    )
    files_before = _stored_files()
    url = reverse("library:version_upload", args=[document.pk])
    data = {"file": upload("b.txt", b"v2 by someone else")}
    # officer_other reads it (consortium) but may not edit: 403; a partner may not read: 404
    assert world.client_for("officer_other").post(url, data).status_code == 403
    data = {"file": upload("b.txt", b"v2 by someone else")}
    assert world.client_for("partner").post(url, data).status_code == 404
    assert DocumentVersion.objects.filter(document=document).count() == 1
    assert _stored_files() == files_before


def test_disguised_new_version_is_refused(world: World, share: Any) -> None:
    document = share(
        user=world.user("officer_own"), owner=world.prefecture, file=upload("a.txt", b"v1")
    )
    response = world.client_for("officer_own").post(
        reverse("library:version_upload", args=[document.pk]),
        {"file": upload("v2.pdf", exe_bytes())},
    )
    assert response.status_code == 200
    assert "its content is a program" in response.content.decode()
    assert document.versions.count() == 1


def test_edit_metadata_and_audit(world: World, share: Any, committed: Any) -> None:
    document = share(user=world.user("member"), owner=world.company, file=upload("a.txt", b"x"))
    client = world.client_for("officer_own")  # manages the company
    with committed():
        response = client.post(
            reverse("library:document_edit", args=[document.pk]),
            {"kind": "agreement", "title_en": "MoU text", "title_ja": "覚書", "language": "ja",
             "visibility": "consortium", "tags_text": "mou"},
        )  # fmt: skip
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.title_ja, document.visibility) == ("覚書", "consortium")
    entry = AuditEntry.objects.get(action="library.document.updated")
    assert entry.changes["visibility"] == ["private", "consortium"]
    assert entry.owner == world.company


def test_collection_members_read_what_is_filed_there(
    world: World, share: Any, committed: Any
) -> None:
    document = share(
        user=world.user("officer_own"),
        owner=world.prefecture,
        file=upload("a.txt", "水素 roadmap".encode()),
    )
    collection = Collection.objects.create(owner=world.prefecture, name_en="Hydrogen WG")
    collection.members.add(world.partner_org)
    partner = world.client_for("partner")
    assert partner.get(document.get_absolute_url()).status_code == 404
    with committed():
        response = world.client_for("officer_own").post(
            reverse("library:file_into_collection", args=[document.pk]),
            {"collection": collection.pk},
        )
    assert response.status_code == 302
    assert partner.get(document.get_absolute_url()).status_code == 200
    assert partner.get(collection.get_absolute_url()).status_code == 200
    from setu.library.search.backends import get_backend

    assert [h.key for h in get_backend().search("roadmap", world.user("partner")).hits] == [
        f"library.document:{document.pk}"
    ]
    # another prefecture still sees nothing
    assert world.client_for("officer_other").get(document.get_absolute_url()).status_code == 404
    assert get_backend().search("roadmap", world.user("officer_other")).hits == []


def test_filing_into_a_collection_needs_membership(world: World, share: Any) -> None:
    document = share(
        user=world.user("officer_own"), owner=world.prefecture, file=upload("a.txt", b"x")
    )
    foreign = Collection.objects.create(owner=world.other_prefecture, name_en="Other WG")
    response = world.client_for("officer_own").post(
        reverse("library:file_into_collection", args=[document.pk]), {"collection": foreign.pk}
    )
    assert response.status_code == 302
    assert not foreign.items.exists()


@pytest.mark.parametrize("rows", [2, 40])
def test_document_list_query_count(
    world: World, rows: int, django_assert_max_num_queries: Any
) -> None:
    DocumentFactory.create_batch(rows, owner=world.prefecture, visibility=Visibility.PARTNERS)
    client = world.client_for("partner")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("library:documents"), {"sector": "focal:renewable_energy"})
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        response = client.get(reverse("library:documents"))
    assert len(response.context["page"].object_list) == min(rows, 25)


@pytest.mark.parametrize("rows", [2, 40])
def test_collection_list_query_count(
    world: World, rows: int, django_assert_max_num_queries: Any
) -> None:
    for n in range(rows):
        Collection.objects.create(owner=world.prefecture, name_en=f"WG {n}", visibility="partners")
    client = world.client_for("partner")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("library:collections"))
    assert len(response.context["page"].object_list) == min(rows, 25)


def test_document_list_filters(world: World) -> None:
    solar = DocumentFactory(owner=world.prefecture, title_en="Solar", language="ja", kind="report")
    solar.focal_sectors.add(FocalSector.objects.get(key="renewable_energy"))
    DocumentFactory(owner=world.other_prefecture, title_en="Food", language="en", kind="minutes")
    client = world.client_for("partner")
    url = reverse("library:documents")

    def titles(**params: Any) -> list[str]:
        return [d.title_en for d in client.get(url, params).context["page"].object_list]

    assert titles(sector="focal:renewable_energy") == ["Solar"]
    assert titles(sector="isic:35") == ["Solar"]
    assert titles(language="en") == ["Food"]
    assert titles(kind="minutes") == ["Food"]
    assert titles(owner=world.prefecture.pk) == ["Solar"]
    assert client.get(url, {"sector": "<x>", "owner": "abc", "page": "99"}).status_code == 200
