"""Who gets what at every library URL (collected by setu/core/tests/test_role_matrix.py).

The records: a private document of the company managed by officer_own's prefecture (its
member and officer_own read and edit it), a private collection of that prefecture whose working
group includes the partner's chamber, and a consortium announcement of the prefecture.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from setu.conftest import World
from setu.core.models import Visibility
from setu.core.tests.matrix import ALL_200, NETWORK_200, SIGNED_IN_200, STAFF_ONLY, Row
from setu.library.models import (
    Announcement,
    Collection,
    Document,
    DocumentVersion,
    ExtractionStatus,
)
from setu.library.notifications import unsubscribe_token

# a fixed, tiny file: the matrix runs outside the library's temporary MEDIA_ROOT
MATRIX_FILE = "documents/role-matrix-sample.txt"


def _document(world: World) -> Document:
    document = Document.objects.create(
        owner=world.company, title_en="Die-casting costs", visibility=Visibility.PRIVATE
    )
    if not default_storage.exists(MATRIX_FILE):
        default_storage.save(MATRIX_FILE, ContentFile(b"Die-casting costs, 2026.\n"))
    version = DocumentVersion.objects.create(
        document=document,
        number=1,
        file=MATRIX_FILE,
        original_name="costs.txt",
        extension=".txt",
        file_kind="text",
        content_type="text/plain",
        size=24,
        sha256="0" * 64,
        extraction_status=ExtractionStatus.FAILED,
    )
    Document.objects.filter(pk=document.pk).update(current_version=version)
    return document


def _collection(world: World) -> Collection:
    collection = Collection.objects.create(
        owner=world.prefecture, name_en="Hydrogen working group", visibility=Visibility.PRIVATE
    )
    collection.members.add(world.partner_org)
    return collection


def _announcement(world: World) -> Announcement:
    return Announcement.objects.create(
        owner=world.prefecture,
        title_en="Mission to Gujarat",
        body_en="Dates agreed.",
        visibility=Visibility.CONSORTIUM,
    )


COMPANY_READERS = ("404", "404", "200", "404", "200", "404", "404")
COMPANY_EDITORS = ("login", "404", "200", "404", "200", "404", "404")
TO_DOCUMENT = "→/library/documents/"
BACK_TO_DOCUMENT = ("login", "404", TO_DOCUMENT, "404", TO_DOCUMENT, "404", "404")

ROWS: dict[str, Row] = {
    "library:home": Row(ALL_200),
    "library:search": Row(ALL_200, url=lambda w: reverse("library:search") + "?q=部品+energy"),
    "library:documents": Row(ALL_200),
    "library:document_create": Row(NETWORK_200),
    "library:document": Row(
        COMPANY_READERS, url=lambda w: reverse("library:document", args=[_document(w).pk])
    ),
    "library:document_edit": Row(
        COMPANY_EDITORS, url=lambda w: reverse("library:document_edit", args=[_document(w).pk])
    ),
    "library:download": Row(
        COMPANY_READERS, url=lambda w: reverse("library:download", args=[_document(w).pk])
    ),
    "library:version_upload": Row(
        COMPANY_EDITORS, url=lambda w: reverse("library:version_upload", args=[_document(w).pk])
    ),
    "library:version_download": Row(
        COMPANY_READERS,
        url=lambda w: reverse("library:version_download", args=[_document(w).pk, 1]),
    ),
    "library:extraction_retry": Row(
        BACK_TO_DOCUMENT,
        url=lambda w: reverse("library:extraction_retry", args=[_document(w).pk, 1]),
        method="post",
    ),
    # an empty form: the editors are sent back with a message
    "library:file_into_collection": Row(
        BACK_TO_DOCUMENT,
        url=lambda w: reverse("library:file_into_collection", args=[_document(w).pk]),
        method="post",
    ),
    "library:collections": Row(ALL_200),
    "library:collection_create": Row(STAFF_ONLY),
    # the owner's officer and the working group's partner read it; only the owner edits
    "library:collection": Row(
        ("404", "404", "404", "200", "200", "404", "404"),
        url=lambda w: reverse("library:collection", args=[_collection(w).pk]),
    ),
    "library:collection_edit": Row(
        ("login", "404", "404", "403", "200", "404", "404"),
        url=lambda w: reverse("library:collection_edit", args=[_collection(w).pk]),
    ),
    "library:briefs": Row(ALL_200),
    "library:brief_create": Row(NETWORK_200),
    "library:announcements": Row(ALL_200),
    "library:feed": Row(ALL_200),
    "library:announcement_create": Row(STAFF_ONLY),
    "library:announcement": Row(
        ("404", "404", "404", "404", "200", "200", "200"),
        url=lambda w: reverse("library:announcement", args=[_announcement(w).pk]),
    ),
    "library:announcement_edit": Row(
        ("login", "404", "404", "404", "200", "403", "200"),
        url=lambda w: reverse("library:announcement_edit", args=[_announcement(w).pk]),
    ),
    "library:notifications": Row(SIGNED_IN_200),
    "library:unsubscribe": Row(
        ALL_200,
        url=lambda w: reverse(
            "library:unsubscribe", args=[unsubscribe_token(w.users["member"], "digest")]
        ),
    ),
}
