from setu.library.models.announcements import Announcement
from setu.library.models.documents import (
    Collection,
    CollectionItem,
    ContentLanguage,
    Document,
    DocumentKind,
    DocumentVersion,
    ExtractionStatus,
    FileKind,
    MarketBrief,
    Tag,
)
from setu.library.models.notifications import (
    Channel,
    DigestRun,
    Frequency,
    NotificationPreference,
    Scope,
    SentNotification,
)
from setu.library.models.search import SearchEntry, SearchTerm

__all__ = [
    "Announcement",
    "Channel",
    "Collection",
    "CollectionItem",
    "ContentLanguage",
    "DigestRun",
    "Document",
    "DocumentKind",
    "DocumentVersion",
    "ExtractionStatus",
    "FileKind",
    "Frequency",
    "MarketBrief",
    "NotificationPreference",
    "Scope",
    "SearchEntry",
    "SearchTerm",
    "SentNotification",
    "Tag",
]
