"""The library's demo records: a few shared documents, a market brief, announcements.

Everything here is illustrative demo content and says so: the figures of the market brief and
the wording of the MoU are not real. Texts are extracted synchronously and the whole index is
rebuilt, so search works at once without the worker.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from setu.core.models import Visibility
from setu.directory.models import FocalSector, Organisation, Region, Sector
from setu.library.files import CONTENT_TYPES, EXTENSIONS
from setu.library.minimal_pdf import text_pdf
from setu.library.models import (
    Announcement,
    Collection,
    CollectionItem,
    Document,
    DocumentVersion,
    MarketBrief,
    Tag,
)
from setu.library.search.indexing import rebuild
from setu.library.services import version_extract

DEMO_NOTE = "Demo content: illustrative, not an official document."


@dataclass
class DemoDocument:
    owner: str  # a key of by_key
    title_en: str
    title_ja: str
    title_hi: str
    kind: str
    language: str
    visibility: str
    summary_en: str
    file_name: str
    content: bytes
    days_ago: int
    focal: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


def _brief_pdf() -> bytes:
    return text_pdf(
        [
            "Market brief: renewable energy in Gujarat (Setu demo)",
            "Figures in this brief are illustrative demo values, not sourced statistics.",
            "",
            "Gujarat is one of India's leading states for solar and wind power.",
            "Opportunities for Japanese SMEs: inverters, hydrogen electrolysers, grid storage,",
            "automotive components for electric two-wheelers.",
            "",
            "グジャラート州の再生可能エネルギー市場（デモ資料）",
            "太陽光発電と風力発電が急速に拡大。日本の中小企業には蓄電池、水素、部品の商機がある。",
            "",
            "गुजरात में नवीकरणीय ऊर्जा (डेमो)",
            "सौर और पवन ऊर्जा में तेज़ी से वृद्धि; जापानी कंपनियों के लिए अवसर।",
        ]
    )


def _deck() -> bytes:
    import io

    from pptx import Presentation

    deck = Presentation()
    slides = [
        (
            "Hydrogen and fuel cells: Yamanashi × Gujarat (demo)",
            "水素・燃料電池セミナー\nAhmedabad",
        ),
        (
            "Why hydrogen",
            "再生可能エネルギーの余剰電力で水素を製造\nGreen hydrogen from solar power",
        ),
        ("Partners wanted", "部品メーカー、電解装置、試験設備 · Component makers, electrolysers"),
    ]
    for title, body in slides:
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = title
        slide.placeholders[1].text = body
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _mou_docx() -> bytes:
    import io

    import docx

    document = docx.Document()
    document.add_heading("再生可能エネルギー分野における協力に関する覚書（例文）", level=1)
    for paragraph in [
        "本文書はSetuのデモ用の例文であり、実在の協定文ではありません。",
        "第1条 両者は、太陽光発電、水素及び蓄電池の分野において、中小企業の交流を促進する。",
        "第2条 両者は、年1回の投資セミナーを交互に開催する。",
        "第3条 この覚書は署名の日から5年間有効とする。",
    ]:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


BROCHURE_HI = """गुजरात में जापानी कंपनियों के लिए निवेश पुस्तिका (डेमो)

यह पुस्तिका Setu के डेमो डेटा का हिस्सा है।
नवीकरणीय ऊर्जा, ऑटोमोबाइल पुर्ज़े और खाद्य प्रसंस्करण में साझेदारी के अवसर।
संपर्क: वेस्टर्न इंडिया क्लीन एनर्जी चैंबर
"""

PRIVATE_MEMO = """社内メモ（山梨県・非公開）
インド訪問団に同行する部品メーカーの候補と訪問計画。
他県とは共有しない。デモ用の文書です。
"""

DOCUMENTS = [
    DemoDocument(
        owner="secretariat",
        title_en="Market brief: renewable energy in Gujarat",
        title_ja="市場概況：グジャラート州の再生可能エネルギー",
        title_hi="बाज़ार सार: गुजरात में नवीकरणीय ऊर्जा",
        kind="market_brief",
        language="mixed",
        visibility=Visibility.PARTNERS,
        summary_en="Solar, wind and hydrogen in Gujarat, and where Japanese SMEs fit. " + DEMO_NOTE,
        file_name="gujarat-renewables-brief.pdf",
        content=_brief_pdf(),
        days_ago=3,
        focal=["renewable_energy"],
        sectors=["35"],
        tags=["Gujarat", "solar", "hydrogen"],
    ),
    DemoDocument(
        owner="JP-19",
        title_en="Seminar deck: hydrogen and fuel cells",
        title_ja="セミナー資料：水素・燃料電池",
        title_hi="",
        kind="presentation",
        language="mixed",
        visibility=Visibility.PARTNERS,
        summary_en="Slides of the Yamanashi hydrogen seminar. " + DEMO_NOTE,
        file_name="水素セミナー.pptx",
        content=_deck(),
        days_ago=10,
        focal=["renewable_energy"],
        tags=["hydrogen", "seminar"],
    ),
    DemoDocument(
        owner="JP-22",
        title_en="MoU on renewable energy cooperation (sample text, Japanese)",
        title_ja="再生可能エネルギー分野の協力に関する覚書（例文）",
        title_hi="",
        kind="agreement",
        language="ja",
        visibility=Visibility.PUBLIC,
        summary_en="A sample MoU text in Japanese. " + DEMO_NOTE,
        file_name="覚書_例文.docx",
        content=_mou_docx(),
        days_ago=20,
        focal=["renewable_energy"],
        tags=["MoU"],
    ),
    DemoDocument(
        owner="Western India Clean Energy Chamber",
        title_en="Investment brochure for Japanese companies in Gujarat",
        title_ja="",
        title_hi="गुजरात में जापानी कंपनियों के लिए निवेश पुस्तिका",
        kind="brochure",
        language="hi",
        visibility=Visibility.PUBLIC,
        summary_en="A Hindi brochure. " + DEMO_NOTE,
        file_name="निवेश-पुस्तिका.txt",
        content=BROCHURE_HI.encode(),
        days_ago=5,
        focal=["renewable_energy", "food_processing"],
        tags=["Gujarat"],
    ),
    DemoDocument(
        owner="JP-19",
        title_en="Internal memo: parts makers for the India mission",
        title_ja="社内メモ：訪問団の部品メーカー候補",
        title_hi="",
        kind="other",
        language="ja",
        visibility=Visibility.PRIVATE,
        summary_en="Yamanashi only. " + DEMO_NOTE,
        file_name="memo.txt",
        content=PRIVATE_MEMO.encode(),
        days_ago=1,
        focal=["automotive_components"],
    ),
]

ANNOUNCEMENTS = [
    (
        "secretariat",
        Visibility.PUBLIC,
        "en",
        ("Council meeting on 15 May", "5月15日に協議会を開催", "15 मई को परिषद की बैठक"),
        (
            "The consortium council meets online; members receive the agenda by email.",
            "協議会をオンラインで開催します。議題は会員にメールでお送りします。",
            "परिषद की बैठक ऑनलाइन होगी; सदस्यों को कार्यसूची ईमेल से मिलेगी।",
        ),
    ),
    (
        "JP-19",
        Visibility.CONSORTIUM,
        "ja",
        ("Hydrogen seminar slides shared", "水素セミナーの資料を共有しました", ""),
        (
            "The slides are in the library for all member prefectures.",
            "資料はライブラリで全加盟県に共有しています。",
            "",
        ),
    ),
    (
        "Western India Clean Energy Chamber",
        Visibility.PARTNERS,
        "hi",
        ("Solar buyers' meet in Ahmedabad", "", "अहमदाबाद में सौर ख़रीदार सम्मेलन"),
        (
            "Japanese suppliers are invited to meet Gujarat's solar developers.",
            "",
            "जापानी आपूर्तिकर्ताओं को गुजरात के सौर डेवलपर्स से मिलने का निमंत्रण।",
        ),
    ),
]


def _document(spec: DemoDocument, owner: Organisation) -> tuple[Document, bool]:
    now = timezone.now() - timedelta(days=spec.days_ago)
    document, created = Document.objects.get_or_create(
        owner=owner,
        title_en=spec.title_en,
        defaults={
            "title_ja": spec.title_ja,
            "title_hi": spec.title_hi,
            "kind": spec.kind,
            "language": spec.language,
            "visibility": spec.visibility,
            "summary_en": spec.summary_en,
            "created_at": now,
            "updated_at": now,
        },
    )
    if created:
        document.focal_sectors.set(FocalSector.objects.filter(key__in=spec.focal))
        document.sectors.set(Sector.objects.filter(code__in=spec.sectors))
        document.tags.set(
            Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
            for name in spec.tags
        )
    if not document.versions.exists():
        extension = "." + spec.file_name.rsplit(".", 1)[-1]
        version = DocumentVersion(
            document=document,
            number=1,
            original_name=spec.file_name,
            extension=extension,
            file_kind=EXTENSIONS[extension],
            content_type=CONTENT_TYPES[extension],
            size=len(spec.content),
            sha256=hashlib.sha256(spec.content).hexdigest(),
            uploaded_at=now,
            note="Demo upload",
        )
        version.file.save(spec.file_name, ContentFile(spec.content), save=False)
        version.save()
        Document.objects.filter(pk=document.pk).update(current_version=version)
        version_extract(version_id=version.pk)  # synchronously: search works at once
    return document, created


def load_library_demo(by_key: dict[str, Organisation]) -> int:
    """Create the demo documents, brief, collection and announcements (idempotent)."""
    created = 0
    documents: dict[str, Document] = {}
    for spec in DOCUMENTS:
        document, new = _document(spec, by_key[spec.owner])
        documents[spec.title_en] = document
        created += new
    brief_document = documents[DOCUMENTS[0].title_en]
    _brief, new = MarketBrief.objects.get_or_create(
        document=brief_document,
        defaults={
            "sector": Sector.objects.get(code="35"),
            "state": Region.objects.filter(code="IN-GJ").first(),
            "as_of": date.today() - timedelta(days=3),
            "key_figures": [
                ["Solar capacity (illustrative)", "20 GW"],
                ["Wind capacity (illustrative)", "12 GW"],
                ["Japanese firms active (illustrative)", "40+"],
            ],
            "source_title": "Setu demo data (illustrative figures)",
        },
    )
    created += new
    collection, new = Collection.objects.get_or_create(
        owner=by_key["JP-19"],
        name_en="Hydrogen working group",
        defaults={
            "name_ja": "水素ワーキンググループ",
            "description_en": "Yamanashi, Shizuoka and Gujarat partners on hydrogen. " + DEMO_NOTE,
            "visibility": Visibility.PRIVATE,
        },
    )
    created += new
    if new:
        collection.members.set([by_key["JP-22"], by_key["Western India Clean Energy Chamber"]])
    CollectionItem.objects.get_or_create(
        collection=collection, document=documents[DOCUMENTS[1].title_en]
    )
    for days, (owner, visibility, language, titles, bodies) in enumerate(ANNOUNCEMENTS):
        published = timezone.now() - timedelta(days=days * 2)
        _announcement, new = Announcement.objects.get_or_create(
            owner=by_key[owner],
            title_en=titles[0],
            defaults={
                "title_ja": titles[1],
                "title_hi": titles[2],
                "body_en": bodies[0],
                "body_ja": bodies[1],
                "body_hi": bodies[2],
                "original_language": language,
                "visibility": visibility,
                "published_at": published,
                "created_at": published,
                "updated_at": published,
            },
        )
        created += new
    rebuild()  # documents, announcements and the directory's organisations, now
    return created
