"""Demo privacy data: a sample notice per purpose in en/ja/hi (marked sample), consents of the
demo member, partner and student, one sharing abroad with its provision, one grievance and one
breach. Idempotent: nothing is created twice."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone, translation

from setu.accounts.models import User
from setu.privacy.consent import consent_give
from setu.privacy.models import Breach, Consent, ConsentMethod, Grievance, Notice, Purpose

DEMO_DOMAIN = "demo.setu.example"

# purpose: (en, ja, hi) — (title, body) each; plain language, itemised (DPDP Rule 3)
SAMPLE_NOTICES: dict[str, tuple[tuple[str, str], ...]] = {
    Purpose.DIRECTORY: (
        (
            "Your entry in the directory",
            "What: your name, title, work email and phone.\nWhy: so that member prefectures and "
            "partners can reach you.\nWho sees it: the organisations the entry is shared with.\n"
            "How long: while you work with the organisation.\nWithdraw at any time on your "
            "privacy page.",
        ),
        (
            "名簿への掲載",
            "項目：氏名、役職、勤務先のメールアドレスと電話番号。\n目的：加盟県と協力機関があなたに連絡できるように"
            "するため。\n閲覧者：掲載情報が共有される組織。\n保存期間：その組織との関係が続く間。\n"
            "同意はプライバシーのページからいつでも撤回できます。",
        ),
        (
            "निर्देशिका में आपकी प्रविष्टि",
            "क्या: आपका नाम, पद, कार्यालय ईमेल और फ़ोन।\nक्यों: ताकि सदस्य प्रान्त और साझेदार आपसे "
            "संपर्क कर सकें।\nकौन देखता है: वे संगठन जिनके साथ प्रविष्टि साझा है।\nकितने समय: जब तक आप "
            "संगठन के साथ काम करते हैं।\nअपनी गोपनीयता पृष्ठ पर कभी भी सहमति वापस लें।",
        ),
    ),
    Purpose.EVENTS: (
        (
            "Registering for an event",
            "What: your name, email, organisation and your answers.\nWhy: to admit you and send "
            "you the programme.\nWho sees it: the hosting prefectures.\nHow long: two years after "
            "the event, then anonymised.",
        ),
        (
            "イベントへの申込み",
            "項目：氏名、メールアドレス、所属、回答。\n目的：入場の受付と案内の送付。\n閲覧者：主催県。\n"
            "保存期間：イベント終了後2年、その後匿名化します。",
        ),
        (
            "कार्यक्रम के लिए पंजीकरण",
            "क्या: आपका नाम, ईमेल, संगठन और आपके उत्तर।\nक्यों: आपको प्रवेश देने और कार्यक्रम भेजने "
            "के लिए।\nकौन देखता है: मेज़बान प्रान्त।\nकितने समय: कार्यक्रम के दो वर्ष बाद तक, फिर "
            "अनाम।",
        ),
    ),
    Purpose.MATCHMAKING: (
        (
            "Your matchmaking profile",
            "What: what your organisation offers and needs, the languages you speak.\nWhy: to "
            "suggest and schedule business meetings.\nWho sees it: the other participants of "
            "the event.\nHow long: three years after your last change.",
        ),
        (
            "商談会のプロフィール",
            "項目：貴社が提供できるもの・求めるもの、話せる言語。\n目的：商談の提案と日程調整。\n"
            "閲覧者：同じイベントの参加者。\n保存期間：最後の更新から3年。",
        ),
        (
            "आपकी मैचमेकिंग प्रोफ़ाइल",
            "क्या: आपका संगठन क्या देता है और क्या चाहता है, आप कौन सी भाषाएँ बोलते हैं।\nक्यों: "
            "व्यावसायिक बैठकें सुझाने और तय करने के लिए।\nकौन देखता है: उसी कार्यक्रम के अन्य "
            "प्रतिभागी।\nकितने समय: अंतिम बदलाव के तीन वर्ष बाद तक।",
        ),
    ),
    Purpose.NEWSLETTERS: (
        (
            "Newsletters and digests",
            "What: your email and language.\nWhy: to send you the digest you asked for.\nHow "
            "long: until you withdraw.",
        ),
        (
            "ニュースレターとダイジェスト",
            "項目：メールアドレスと言語。\n目的：ご希望のダイジェストを送るため。\n保存期間：撤回まで。",
        ),
        (
            "समाचार पत्र और सारांश",
            "क्या: आपका ईमेल और भाषा।\nक्यों: आपके माँगे गए सारांश भेजने के लिए।\nकितने समय: सहमति वापस लेने तक।",
        ),
    ),
    Purpose.EXCHANGES: (
        (
            "Applying for an exchange",
            "What: your date of birth, studies, language levels and statement; a guardian's "
            "consent if you are under 18.\nWhy: to place you with a host.\nWho sees it: the "
            "host prefectures of the programmes you chose.\nHow long: five years.",
        ),
        (
            "交流プログラムへの応募",
            "項目：生年月日、学業、語学レベル、志望動機。18歳未満は保護者の同意。\n目的：受入先の決定。\n"
            "閲覧者：選んだプログラムの受入県。\n保存期間：5年。",
        ),
        (
            "आदान-प्रदान के लिए आवेदन",
            "क्या: आपकी जन्मतिथि, पढ़ाई, भाषा स्तर और वक्तव्य; 18 से कम आयु पर अभिभावक की सहमति।\n"
            "क्यों: मेज़बान तय करने के लिए।\nकौन देखता है: चुने गए कार्यक्रमों के मेज़बान प्रान्त।\n"
            "कितने समय: पाँच वर्ष।",
        ),
    ),
    Purpose.ABROAD: (
        (
            "Sharing with a partner abroad",
            "What: your name and work contact.\nTo whom: the organisation named when you agree, "
            "in Japan or India.\nThat country's regime: Japan — the Act on the Protection of "
            "Personal Information; India — the Digital Personal Data Protection Act 2023.\nThe "
            "recipient's measures: it is bound by the consortium's data sharing terms.\nEach "
            "time your data is shared it is listed on your privacy page.",
        ),
        (
            "海外の協力機関への提供",
            "項目：氏名と勤務先の連絡先。\n提供先：同意の際に示す日本またはインドの組織。\n"
            "その国の制度：日本は個人情報保護法、インドは2023年デジタル個人データ保護法。\n"
            "提供先の措置：コンソーシアムのデータ共有規約に従います。\n提供のたびにプライバシーのページに表示されます。",
        ),
        (
            "विदेश में साझेदार के साथ साझा करना",
            "क्या: आपका नाम और कार्यालय संपर्क।\nकिसे: सहमति के समय बताया गया जापान या भारत का "
            "संगठन।\nउस देश का कानून: जापान — व्यक्तिगत सूचना संरक्षण अधिनियम; भारत — डिजिटल "
            "व्यक्तिगत डेटा संरक्षण अधिनियम 2023।\nप्राप्तकर्ता के उपाय: वह संघ की डेटा साझा करने "
            "की शर्तों से बँधा है।\nहर बार साझा करने पर यह आपकी गोपनीयता पृष्ठ पर दिखता है।",
        ),
    ),
}


def _notices() -> int:
    created = 0
    for purpose, versions in SAMPLE_NOTICES.items():
        for language, (title, body) in zip(("en", "ja", "hi"), versions, strict=True):
            _notice, made = Notice.objects.get_or_create(
                purpose=purpose,
                version=1,
                language=language,
                defaults={"title": f"{title} (sample)", "body": body, "sample": True},
            )
            created += made
    return created


def load_privacy_demo(by_key: dict[str, Any]) -> int:
    created = _notices()
    people = {
        user.email.split("@")[0]: user
        for user in User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}")
    }
    member, partner, student = people.get("member"), people.get("partner"), people.get("student")
    for user, purposes in (
        (member, [Purpose.DIRECTORY, Purpose.EVENTS, Purpose.MATCHMAKING, Purpose.NEWSLETTERS]),
        (partner, [Purpose.DIRECTORY, Purpose.EVENTS, Purpose.MATCHMAKING]),
        (student, [Purpose.EXCHANGES, Purpose.NEWSLETTERS]),
    ):
        if user is None or Consent.objects.filter(user=user).exists():
            continue
        with translation.override(user.language or "en"):
            for purpose in purposes:
                consent_give(subject=user, purpose=purpose, actor=user, method=ConsentMethod.DEMO)
                created += 1
    if partner is not None and not Grievance.objects.filter(user=partner).exists():
        now = timezone.now()
        Grievance.objects.create(
            user=partner,
            subject="Old phone number still listed (demo)",
            body="My entry in the directory still shows my old mobile number. Please remove it.",
            filed_at=now - timedelta(days=10),
            due_at=now + timedelta(days=80),
        )
        created += 1
    if not Breach.objects.exists():
        detected = timezone.now() - timedelta(hours=30)
        Breach.objects.create(
            title="Registration list emailed to the wrong address (demo)",
            detected_at=detected,
            occurred_at=detected - timedelta(hours=4),
            categories="names, work emails, organisations",
            people_count=42,
            cause="An officer picked the wrong address from autocomplete.",
            measures="The recipient confirmed deletion; autocomplete turned off for lists.",
            appi_preliminary_at=detected + timedelta(hours=20),
        )
        created += 1
    return created
