"""A large, realistic, synthetic directory for benchmarks and load tests.

``generate_scale_data`` writes organisations (mostly Japanese and Indian companies, some
universities, agencies and chambers), their ISIC divisions, the duplicate-search keys and
tokens, and people, in bulk: ``bulk_create`` in batches, one transaction per batch, no
per-row ``save()`` and no audit entries (nobody acted; the rows are fixtures).

Names are built from place names, surnames, coined brand syllables and the industry words of
each sector, in three scripts: Japanese companies in kanji/kana with a romanised or translated
English name, Indian ones in English and Devanagari. The same seed gives the same records, in
the same order, whatever the database already holds (apart from the ids).
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, NamedTuple, TypeVar

from django.db import transaction

from setu.algorithms.names import name_tokens, normalise_name
from setu.core.models import Visibility
from setu.directory.maintenance import directory_tables, update_planner_statistics
from setu.directory.models import (
    City,
    NameToken,
    Organisation,
    OrganisationKind,
    Person,
    Region,
    Sector,
)
from setu.directory.sme import is_sme

# --- Vocabulary ---------------------------------------------------------------------------
# Entries are "native|kana|romaji|English" (Japanese) or "English|Devanagari" (Indian),
# separated by ";" so that the lists stay short. Companies and people are fictional.


class Word(NamedTuple):
    native: str
    kana: str
    romaji: str
    english: str


class Template(NamedTuple):
    en: str
    native: str
    kana: str = ""


class SectorGroup(NamedTuple):
    codes: tuple[str, ...]
    jp_words: tuple[Word, ...]
    in_words: tuple[Word, ...]
    tails: tuple[Word, ...]  # what may follow the industry word: 工業, 製作所, ...


def _jp(text: str) -> tuple[Word, ...]:
    words = []
    for entry in text.replace("\n", ";").split(";"):
        if entry.strip():
            native, kana, romaji, *english = (part.strip() for part in entry.split("|"))
            words.append(Word(native, kana, romaji, english[0] if english else romaji))
    return tuple(words)


def _in(text: str) -> tuple[Word, ...]:
    words = []
    for entry in text.replace("\n", ";").split(";"):
        if entry.strip():
            english, native = (part.strip() for part in entry.split("|"))
            words.append(Word(native, "", english, english))
    return tuple(words)


JAPANESE_PLACES = _jp("""
東海|とうかい|Tokai; 北陸|ほくりく|Hokuriku; 甲斐|かい|Kai; 駿河|するが|Suruga
遠州|えんしゅう|Enshu; 立山|たてやま|Tateyama; 越中|えっちゅう|Etchu; 大山|だいせん|Daisen
因幡|いなば|Inaba; 伯耆|ほうき|Hoki; 陸奥|むつ|Mutsu; 三陸|さんりく|Sanriku
仙台|せんだい|Sendai; 盛岡|もりおか|Morioka; 紀州|きしゅう|Kishu; 播磨|はりま|Harima
但馬|たじま|Tajima; 伊予|いよ|Iyo; 瀬戸内|せとうち|Setouchi; 富士|ふじ|Fuji
甲府|こうふ|Kofu; 浜松|はままつ|Hamamatsu; 静岡|しずおか|Shizuoka; 富山|とやま|Toyama
鳥取|とっとり|Tottori; 米子|よなご|Yonago; 宮城|みやぎ|Miyagi; 岩手|いわて|Iwate
北上|きたかみ|Kitakami; 和歌山|わかやま|Wakayama; 姫路|ひめじ|Himeji; 神戸|こうべ|Kobe
松山|まつやま|Matsuyama; 今治|いまばり|Imabari; 新居浜|にいはま|Niihama
八ヶ岳|やつがたけ|Yatsugatake; 天竜|てんりゅう|Tenryu; 黒部|くろべ|Kurobe
高岡|たかおか|Takaoka; 石巻|いしのまき|Ishinomaki; 釜石|かまいし|Kamaishi
花巻|はなまき|Hanamaki; 一関|いちのせき|Ichinoseki; 気仙沼|けせんぬま|Kesennuma
塩竈|しおがま|Shiogama; 富士宮|ふじのみや|Fujinomiya; 沼津|ぬまづ|Numazu; 焼津|やいづ|Yaizu
磐田|いわた|Iwata; 掛川|かけがわ|Kakegawa; 魚津|うおづ|Uozu; 砺波|となみ|Tonami
倉吉|くらよし|Kurayoshi; 境港|さかいみなと|Sakaiminato; 田辺|たなべ|Tanabe
有田|ありだ|Arida; 明石|あかし|Akashi; 尼崎|あまがさき|Amagasaki; 西条|さいじょう|Saijo
宇和島|うわじま|Uwajima; 笛吹|ふえふき|Fuefuki; 韮崎|にらさき|Nirasaki
日本海|にほんかい|Nihonkai; 中部|ちゅうぶ|Chubu; 東北|とうほく|Tohoku; 関西|かんさい|Kansai
山陰|さんいん|San'in; 四国|しこく|Shikoku; 大和|やまと|Yamato; 湘南|しょうなん|Shonan
北越|ほくえつ|Hokuetsu; 奥羽|おうう|Ou; 房総|ぼうそう|Boso; 筑紫|つくし|Tsukushi
那須|なす|Nasu; 木曽|きそ|Kiso; 諏訪|すわ|Suwa; 飛騨|ひだ|Hida; 美濃|みの|Mino
尾張|おわり|Owari; 三河|みかわ|Mikawa; 伊勢|いせ|Ise; 近江|おうみ|Omi; 丹波|たんば|Tamba
吉備|きび|Kibi; 出雲|いずも|Izumo; 土佐|とさ|Tosa; 阿波|あわ|Awa; 讃岐|さぬき|Sanuki
肥後|ひご|Higo; 薩摩|さつま|Satsuma; 信州|しんしゅう|Shinshu; 越後|えちご|Echigo
会津|あいづ|Aizu; 津軽|つがる|Tsugaru; 出羽|でわ|Dewa; 上州|じょうしゅう|Joshu
武蔵|むさし|Musashi; 相模|さがみ|Sagami
""")
JAPANESE_AUSPICIOUS = _jp("""
朝日|あさひ|Asahi; 日之出|ひので|Hinode; 太陽|たいよう|Taiyo; 東洋|とうよう|Toyo
新光|しんこう|Shinko; 共栄|きょうえい|Kyoei; 大同|だいどう|Daido; 協和|きょうわ|Kyowa
丸一|まるいち|Maruichi; 三和|さんわ|Sanwa; 昭和|しょうわ|Showa; 平和|へいわ|Heiwa
光洋|こうよう|Koyo; 大成|たいせい|Taisei; 富士見|ふじみ|Fujimi; 日進|にっしん|Nisshin
明和|めいわ|Meiwa; 旭|あさひ|Asahi; 栄光|えいこう|Eiko
""")
JAPANESE_SURNAMES = _jp("""
佐藤|さとう|Sato; 鈴木|すずき|Suzuki; 高橋|たかはし|Takahashi; 田中|たなか|Tanaka
伊藤|いとう|Ito; 渡辺|わたなべ|Watanabe; 山本|やまもと|Yamamoto; 中村|なかむら|Nakamura
小林|こばやし|Kobayashi; 加藤|かとう|Kato; 吉田|よしだ|Yoshida; 山田|やまだ|Yamada
佐々木|ささき|Sasaki; 山口|やまぐち|Yamaguchi; 松本|まつもと|Matsumoto; 井上|いのうえ|Inoue
木村|きむら|Kimura; 林|はやし|Hayashi; 斎藤|さいとう|Saito; 清水|しみず|Shimizu
山崎|やまざき|Yamazaki; 森|もり|Mori; 池田|いけだ|Ikeda; 橋本|はしもと|Hashimoto
阿部|あべ|Abe; 石川|いしかわ|Ishikawa; 山下|やました|Yamashita; 中島|なかじま|Nakajima
石井|いしい|Ishii; 小川|おがわ|Ogawa; 前田|まえだ|Maeda; 岡田|おかだ|Okada
長谷川|はせがわ|Hasegawa; 藤田|ふじた|Fujita; 後藤|ごとう|Goto; 近藤|こんどう|Kondo
村上|むらかみ|Murakami; 遠藤|えんどう|Endo; 青木|あおき|Aoki; 坂本|さかもと|Sakamoto
望月|もちづき|Mochizuki; 深沢|ふかさわ|Fukasawa; 千葉|ちば|Chiba; 菊地|きくち|Kikuchi
佐野|さの|Sano; 杉山|すぎやま|Sugiyama; 山根|やまね|Yamane; 竹内|たけうち|Takeuchi
野口|のぐち|Noguchi; 松井|まつい|Matsui
""")
JAPANESE_GIVEN_NAMES = _jp("""
浩|ひろし|Hiroshi; 武|たけし|Takeshi; 亮|りょう|Ryo; 大輔|だいすけ|Daisuke
和樹|かずき|Kazuki; 健一|けんいち|Kenichi; 誠|まこと|Makoto; 翔太|しょうた|Shota
拓也|たくや|Takuya; 直樹|なおき|Naoki; 隆|たかし|Takashi; 聡|さとし|Satoshi; 修|おさむ|Osamu
健太|けんた|Kenta; 大樹|だいき|Daiki; 達也|たつや|Tatsuya; 剛|つよし|Tsuyoshi
哲也|てつや|Tetsuya; 雄一|ゆういち|Yuichi; 秀樹|ひでき|Hideki; 幸子|さちこ|Sachiko
舞|まい|Mai; 直子|なおこ|Naoko; 恵子|けいこ|Keiko; 裕子|ゆうこ|Yuko; 美穂|みほ|Miho
陽子|ようこ|Yoko; 由美|ゆみ|Yumi; 真由美|まゆみ|Mayumi; 智子|ともこ|Tomoko; 愛|あい|Ai
彩|あや|Aya; 美咲|みさき|Misaki; 奈々|なな|Nana; 香織|かおり|Kaori; 明美|あけみ|Akemi
千尋|ちひろ|Chihiro; 葵|あおい|Aoi; 結衣|ゆい|Yui; 麻衣|まい|Mai
""")
# Coined brand names of two parts: サン + テック → サンテック, Santec.
COINED_FIRST = _jp("""
サン|さん|San; ダイ|だい|Dai; ミツ|みつ|Mitsu; トー|とー|To; ヤマ|やま|Yama; シン|しん|Shin
ケン|けん|Ken; セイ|せい|Sei; ホク|ほく|Hoku; アサ|あさ|Asa; マル|まる|Maru; タカ|たか|Taka
ミナ|みな|Mina; ニチ|にち|Nichi; テイ|てい|Tei; カネ|かね|Kane; フジ|ふじ|Fuji
ユニ|ゆに|Uni; エコ|えこ|Eco; ハヤ|はや|Haya
""")
COINED_SECOND = _jp("""
テック|てっく|Tec; コー|こー|Ko; ワ|わ|Wa; エイ|えい|Ei; ヨー|よー|Yo; ミ|み|Mi
リン|りん|Rin; セン|せん|Sen; デン|でん|Den; キ|き|Ki; テクノ|てくの|Techno; ロン|ろん|Ron
ソー|そー|So; テックス|てっくす|Tex; ニクス|にくす|Nics; メイ|めい|Mei; ラ|ら|Ra
""")
MAKER_TAILS = _jp("""
工業|こうぎょう|Kogyo|Industries; 製作所|せいさくしょ|Seisakusho|Works
産業|さんぎょう|Sangyo|Industries; 技研|ぎけん|Giken|Engineering
工業所|こうぎょうしょ|Kogyosho|Works
""")
SERVICE_TAILS = _jp("""
ソリューションズ|そりゅーしょんず|Solutions; 開発|かいはつ|Kaihatsu|Development
企画|きかく|Kikaku|Planning; サービス|さーびす|Service|Services
インターナショナル|いんたーなしょなる|International
""")
# (Japanese, English renderings, may stand before the name, weight)
JAPANESE_LEGAL_FORMS = (
    ("株式会社", ("K.K.", "Co., Ltd.", "Co., Ltd.", "Corporation", "Inc."), True, 80),
    ("有限会社", ("Y.K.", "Ltd."), True, 15),
    ("合同会社", ("G.K.", "LLC"), False, 5),
)
INDIAN_LEGAL_FORMS = (
    ("Pvt Ltd", "प्रा. लि.", 55),
    ("Private Limited", "प्राइवेट लिमिटेड", 15),
    ("Ltd", "लि.", 20),
    ("LLP", "एलएलपी", 10),
)
INDIAN_BRAND_WORDS = _in("""
Shakti|शक्ति; Bharat|भारत; Surya|सूर्य; Agni|अग्नि; Vayu|वायु; Indra|इंद्र; Lakshmi|लक्ष्मी
Ashoka|अशोक; Vijay|विजय; Navya|नव्य; Pragati|प्रगति; Unnati|उन्नति; Amrit|अमृत; Sagar|सागर
Kiran|किरण; Prakash|प्रकाश; Jyoti|ज्योति; Tejas|तेजस; Akash|आकाश; Prithvi|पृथ्वी; Dhara|धरा
Veda|वेद; Sarthak|सार्थक; Samrat|सम्राट; Suvarna|सुवर्ण; Rajhans|राजहंस; Garuda|गरुड़; Nandi|नंदी
Orient|ओरिएंट; Apex|एपेक्स; Zenith|ज़ेनिथ; Pinnacle|पिनेकल; Sterling|स्टर्लिंग; Supreme|सुप्रीम
Excel|एक्सेल; Arihant|अरिहंत; Sanjivani|संजीवनी; Meghdoot|मेघदूत; Chola|चोल; Pallava|पल्लव
Maurya|मौर्य; Kohinoor|कोहिनूर; Swastik|स्वस्तिक; Shubh|शुभ; Utkarsh|उत्कर्ष; Vikas|विकास; Yash|यश
Kirti|कीर्ति
""")
INDIAN_PLACES = _in("""
Deccan|डेक्कन; Coromandel|कोरोमंडल; Malabar|मालाबार; Konkan|कोंकण; Vindhya|विंध्य; Aravalli|अरावली
Nilgiri|नीलगिरि; Godavari|गोदावरी; Krishna|कृष्णा; Sabarmati|साबरमती; Yamuna|यमुना
Narmada|नर्मदा; Kaveri|कावेरी; Ganga|गंगा; Himalaya|हिमालय; Sahyadri|सह्याद्रि; Tapti|ताप्ती
Mahanadi|महानदी; Kalinga|कलिंग; Satpura|सतपुड़ा; Purvanchal|पूर्वांचल; Bundelkhand|बुंदेलखंड
Marathwada|मराठवाड़ा; Saurashtra|सौराष्ट्र; Rayalaseema|रायलसीमा; Doaba|दोआबा; Mewar|मेवाड़
Kutch|कच्छ; Vidarbha|विदर्भ; Awadh|अवध
""")
INDIAN_SURNAMES = _in("""
Mehta|मेहता; Patel|पटेल; Agarwal|अग्रवाल; Reddy|रेड्डी; Iyer|अय्यर; Kulkarni|कुलकर्णी; Sharma|शर्मा
Gupta|गुप्ता; Singh|सिंह; Jain|जैन; Bansal|बंसल; Goyal|गोयल; Kapoor|कपूर; Malhotra|मल्होत्रा
Desai|देसाई; Shah|शाह; Nair|नायर; Menon|मेनन; Rao|राव; Pillai|पिल्लै; Bose|बोस; Chatterjee|चटर्जी
Banerjee|बनर्जी; Das|दास; Mishra|मिश्र; Pandey|पांडेय; Tiwari|तिवारी; Joshi|जोशी; Naidu|नायडू
Deshpande|देशपांडे; Siddiqui|सिद्दीक़ी; Khan|ख़ान; Verma|वर्मा; Chauhan|चौहान; Yadav|यादव
Thakur|ठाकुर; Bhatt|भट्ट; Kumar|कुमार; Saxena|सक्सेना; Srivastava|श्रीवास्तव; Choudhary|चौधरी
Hegde|हेगड़े; Shetty|शेट्टी; Gowda|गौड़ा; Patil|पाटिल; Pawar|पवार; Ghosh|घोष; Mukherjee|मुखर्जी
Sinha|सिन्हा; Dubey|दुबे
""")
INDIAN_DEVOTIONAL = _in("""
Sri Venkateswara|श्री वेंकटेश्वर; Shree Ganesh|श्री गणेश; Balaji|बालाजी; Sai|साई; Hanuman|हनुमान
Durga|दुर्गा; Saraswati|सरस्वती; Murugan|मुरुगन; Mahalaxmi|महालक्ष्मी; Vishwakarma|विश्वकर्मा
Om Sai|ओम साई; Shiv Shakti|शिव शक्ति
""")
INDIAN_QUALIFIERS = _in("""
New|न्यू; Navin|नवीन; Maha|महा; Param|परम; Royal|रॉयल; Global|ग्लोबल; United|यूनाइटेड
National|नेशनल; Modern|मॉडर्न; Super|सुपर; Universal|यूनिवर्सल; Jai|जय; Shree|श्री
""")
INDIAN_GIVEN_NAMES = _in("""
Ananya|अनन्या; Rohan|रोहन; Kavita|कविता; Suresh|सुरेश; Farah|फ़राह; Priya|प्रिया; Alok|आलोक
Arjun|अर्जुन; Aditya|आदित्य; Vikram|विक्रम; Rahul|राहुल; Amit|अमित; Sunil|सुनील; Rajesh|राजेश
Sanjay|संजय; Deepak|दीपक; Manoj|मनोज; Anil|अनिल; Ravi|रवि; Vivek|विवेक; Karthik|कार्तिक
Arun|अरुण; Ramesh|रमेश; Naveen|नवीन; Harish|हरीश; Imran|इमरान; Farhan|फ़रहान; Gurpreet|गुरप्रीत
Harpreet|हरप्रीत; Neha|नेहा; Pooja|पूजा; Anjali|अंजलि; Sneha|स्नेहा; Divya|दिव्या; Meera|मीरा
Lakshmi|लक्ष्मी; Swati|स्वाति; Shreya|श्रेया; Nandini|नंदिनी; Aisha|आयशा; Sunita|सुनीता; Rekha|रेखा
Geeta|गीता; Asha|आशा; Kiran|किरण; Pallavi|पल्लवी; Madhuri|माधुरी; Shalini|शालिनी; Ritu|रितु
Sameer|समीर; Nikhil|निखिल; Varun|वरुण; Gaurav|गौरव; Abhishek|अभिषेक; Pranav|प्रणव
Siddharth|सिद्धार्थ; Tanvi|तन्वी; Ishaan|ईशान; Meenakshi|मीनाक्षी; Venkatesh|वेंकटेश
""")


def _codes(*spans: str) -> tuple[str, ...]:
    """ "10" or "36-39" → the two-digit division codes."""
    codes: list[str] = []
    for span in spans:
        first, _, last = span.partition("-")
        codes.extend(f"{n:02d}" for n in range(int(first), int(last or first) + 1))
    return tuple(codes)


SECTOR_GROUPS = (
    SectorGroup(
        codes=_codes("10"),
        jp_words=_jp("""
            食品|しょくひん|Shokuhin|Foods; フーズ|ふーず|Foods
            製菓|せいか|Seika|Confectionery
            水産加工|すいさんかこう|Suisan Kako|Seafood Processing
            製麺|せいめん|Seimen|Noodles; 醸造|じょうぞう|Jozo|Brewing
            製茶|せいちゃ|Seicha|Tea; 乳業|にゅうぎょう|Nyugyo|Dairy
        """),
        in_words=_in("""
            Foods|फ़ूड्स; Agro Foods|एग्रो फ़ूड्स; Spices|स्पाइसेज़; Dairy|डेयरी; Snacks|स्नैक्स
            Food Processors|फ़ूड प्रोसेसर्स; Agro Industries|एग्रो इंडस्ट्रीज़; Edible Oils|एडिबल ऑयल्स
        """),
        tails=MAKER_TAILS,
    ),
    SectorGroup(
        codes=_codes("11-12"),
        jp_words=_jp("""
            酒造|しゅぞう|Shuzo|Brewery; 飲料|いんりょう|Inryo|Beverages
            醸造|じょうぞう|Jozo|Brewing
        """),
        in_words=_in("""
            Beverages|बेवरेजेज़; Breweries|ब्रुअरीज़; Distilleries|डिस्टिलरीज़
        """),
        tails=(),
    ),
    SectorGroup(
        codes=_codes("01-03"),
        jp_words=_jp("""
            農産|のうさん|Nosan|Agri Products; 水産|すいさん|Suisan|Fisheries
            アグリ|あぐり|Agri; 林業|りんぎょう|Ringyo|Forestry; 農園|のうえん|Noen|Farms
        """),
        in_words=_in("""
            Agritech|एग्रीटेक; Farms|फ़ार्म्स; Seafoods|सीफ़ूड्स; Plantations|प्लांटेशंस
        """),
        tails=(),
    ),
    SectorGroup(
        codes=_codes("05-09"),
        jp_words=_jp("""
            鉱業|こうぎょう|Kogyo|Mining; 砕石|さいせき|Saiseki|Quarrying
            資源|しげん|Shigen|Resources
        """),
        in_words=_in("""
            Minerals|मिनरल्स; Mining|माइनिंग; Resources|रिसोर्सेज़
        """),
        tails=(),
    ),
    SectorGroup(
        codes=_codes("13-15"),
        jp_words=_jp("""
            繊維|せんい|Sen'i|Textiles; 織物|おりもの|Orimono|Weaving
            紡績|ぼうせき|Boseki|Spinning; 染工|せんこう|Senko|Dyeing
            縫製|ほうせい|Hosei|Sewing
        """),
        in_words=_in("""
            Textiles|टेक्सटाइल्स; Spinning Mills|स्पिनिंग मिल्स; Fabrics|फ़ैब्रिक्स; Garments|गारमेंट्स
            Leather|लेदर
        """),
        tails=MAKER_TAILS,
    ),
    SectorGroup(
        codes=_codes("16-18", "31-32"),
        jp_words=_jp("""
            木材|もくざい|Mokuzai|Timber; 製紙|せいし|Seishi|Paper
            印刷|いんさつ|Insatsu|Printing; 家具|かぐ|Kagu|Furniture
            紙器|しき|Shiki|Paper Products
        """),
        in_words=_in("""
            Timber|टिम्बर; Paper Mills|पेपर मिल्स; Packaging|पैकेजिंग; Printers|प्रिंटर्स
            Furniture|फ़र्नीचर
        """),
        tails=MAKER_TAILS,
    ),
    SectorGroup(
        codes=_codes("19-20"),
        jp_words=_jp("""
            化学|かがく|Kagaku|Chemical; 化成|かせい|Kasei|Chemicals
            ケミカル|けみかる|Chemical; 石油|せきゆ|Sekiyu|Oil; 塗料|とりょう|Toryo|Paints
        """),
        in_words=_in("""
            Chemicals|केमिकल्स; Specialty Chemicals|स्पेशियलिटी केमिकल्स; Gases|गैसेज़
            Petrochem|पेट्रोकेम; Paints|पेंट्स
        """),
        tails=MAKER_TAILS,
    ),
    SectorGroup(
        codes=_codes("21"),
        jp_words=_jp("""
            製薬|せいやく|Seiyaku|Pharmaceutical; 薬品|やくひん|Yakuhin|Pharmaceuticals
            ファーマ|ふぁーま|Pharma
        """),
        in_words=_in("""
            Pharma|फ़ार्मा; Lifesciences|लाइफ़साइंसेज़; Drugs|ड्रग्स; Formulations|फ़ॉर्मूलेशंस
        """),
        tails=(),
    ),
    SectorGroup(
        codes=_codes("22"),
        jp_words=_jp("""
            樹脂|じゅし|Jushi|Plastics; ゴム|ごむ|Gomu|Rubber
            化工|かこう|Kako|Chemical Works
            合成樹脂|ごうせいじゅし|Gosei Jushi|Synthetic Resins
            プラスチック|ぷらすちっく|Plastic
        """),
        in_words=_in("""
            Polymers|पॉलिमर्स; Plastics|प्लास्टिक्स; Rubber Products|रबर प्रोडक्ट्स
            Moulders|मोल्डर्स
        """),
        tails=MAKER_TAILS,
    ),
    SectorGroup(
        codes=_codes("23"),
        jp_words=_jp("""
            窯業|ようぎょう|Yogyo|Ceramics; 硝子|がらす|Garasu|Glass
            セラミックス|せらみっくす|Ceramics; セメント|せめんと|Cement
            陶器|とうき|Toki|Pottery
        """),
        in_words=_in("""
            Ceramics|सेरामिक्स; Glass Works|ग्लास वर्क्स; Cements|सीमेंट्स; Refractories|रिफ़्रैक्टरीज़
            Tiles|टाइल्स
        """),
        tails=MAKER_TAILS,
    ),
    SectorGroup(
        codes=_codes("24"),
        jp_words=_jp("""
            製鋼|せいこう|Seiko|Steel; 鋳造|ちゅうぞう|Chuzo|Casting
            金属|きんぞく|Kinzoku|Metals; 鋳工|ちゅうこう|Chuko|Foundry
            伸銅|しんどう|Shindo|Copper Products
        """),
        in_words=_in("""
            Steel|स्टील; Alloys|एलॉयज़; Castings|कास्टिंग्स; Metals|मेटल्स
        """),
        tails=MAKER_TAILS,
    ),
    SectorGroup(
        codes=_codes("25"),
        jp_words=_jp("""
            鉄工|てっこう|Tekko|Ironworks; 精工|せいこう|Seiko|Precision Works
            金型|かながた|Kanagata|Dies; 板金|ばんきん|Bankin|Sheet Metal
            鍛造|たんぞう|Tanzo|Forging; 螺子|ねじ|Neji|Fasteners; 工具|こうぐ|Kogu|Tools
        """),
        in_words=_in("""
            Forgings|फ़ोर्जिंग्स; Fabricators|फ़ैब्रिकेटर्स; Engineering Works|इंजीनियरिंग वर्क्स
            Precision Tools|प्रिसिज़न टूल्स; Fasteners|फ़ास्टनर्स; Sheet Metal|शीट मेटल
        """),
        tails=MAKER_TAILS,
    ),
    SectorGroup(
        codes=_codes("26"),
        jp_words=_jp("""
            電子|でんし|Denshi|Electronics; 光学|こうがく|Kogaku|Optical
            デバイス|でばいす|Device|Devices; 半導体|はんどうたい|Handotai|Semiconductor
            計器|けいき|Keiki|Instruments; センサー|せんさー|Sensor|Sensors
        """),
        in_words=_in("""
            Electronics|इलेक्ट्रॉनिक्स; Semiconductors|सेमीकंडक्टर्स; Devices|डिवाइसेज़
            Instruments|इंस्ट्रूमेंट्स; Sensors|सेंसर्स
        """),
        tails=MAKER_TAILS,
    ),
    SectorGroup(
        codes=_codes("27"),
        jp_words=_jp("""
            電機|でんき|Denki|Electric; 電線|でんせん|Densen|Cable
            電池|でんち|Denchi|Battery; 変圧器|へんあつき|Hen'atsuki|Transformer
            照明|しょうめい|Shomei|Lighting
        """),
        in_words=_in("""
            Electricals|इलेक्ट्रिकल्स; Cables|केबल्स; Batteries|बैटरीज़; Switchgear|स्विचगियर
            Transformers|ट्रांसफ़ॉर्मर्स; Lighting|लाइटिंग
        """),
        tails=MAKER_TAILS,
    ),
    SectorGroup(
        codes=_codes("28", "33"),
        jp_words=_jp("""
            機械|きかい|Kikai|Machinery; 機工|きこう|Kiko|Machine Works
            精機|せいき|Seiki|Precision Machinery; 工機|こうき|Koki|Machine Tools
            ポンプ|ぽんぷ|Pump|Pumps; 重機|じゅうき|Juki|Heavy Machinery
            産機|さんき|Sanki|Industrial Machinery
        """),
        in_words=_in("""
            Machine Tools|मशीन टूल्स; Machinery|मशीनरी; Pumps|पम्प्स; Hydraulics|हाइड्रॉलिक्स
            Industrial Equipment|इंडस्ट्रियल इक्विपमेंट; Compressors|कंप्रेसर्स
        """),
        tails=MAKER_TAILS,
    ),
    SectorGroup(
        codes=_codes("29-30", "45"),
        jp_words=_jp("""
            自動車部品|じどうしゃぶひん|Jidosha Buhin|Auto Parts
            オートパーツ|おーとぱーつ|Auto Parts; 精密|せいみつ|Seimitsu|Precision
            車体|しゃたい|Shatai|Auto Body; 発條|はつじょう|Hatsujo|Springs
            造船|ぞうせん|Zosen|Shipbuilding; モビリティ|もびりてぃ|Mobility
            歯車|はぐるま|Haguruma|Gears; 部品|ぶひん|Buhin|Components
        """),
        in_words=_in("""
            Auto Components|ऑटो कंपोनेंट्स; Auto Parts|ऑटो पार्ट्स; Motors|मोटर्स
            Automotive|ऑटोमोटिव; Mobility|मोबिलिटी; Auto Ancillaries|ऑटो एंसिलरीज़
            Gears|गियर्स
        """),
        tails=MAKER_TAILS,
    ),
    SectorGroup(
        codes=_codes("35"),
        jp_words=_jp("""
            電力|でんりょく|Denryoku|Power; エナジー|えなじー|Energy
            ソーラー|そーらー|Solar; 水素|すいそ|Suiso|Hydrogen
            風力|ふうりょく|Furyoku|Wind Power; ガス|がす|Gas
            新エネルギー|しんえねるぎー|Shin Energy|New Energy
            発電|はつでん|Hatsuden|Power Generation
        """),
        in_words=_in("""
            Solar|सोलर; Energy|एनर्जी; Power|पावर; Renewables|रिन्यूएबल्स
            Green Energy|ग्रीन एनर्जी; Wind Power|विंड पावर; Hydro Power|हाइड्रो पावर
            Green Hydrogen|ग्रीन हाइड्रोजन
        """),
        tails=SERVICE_TAILS,
    ),
    SectorGroup(
        codes=_codes("36-39"),
        jp_words=_jp("""
            環境|かんきょう|Kankyo|Environmental; 水道|すいどう|Suido|Water
            リサイクル|りさいくる|Recycle; 水処理|みずしょり|Mizushori|Water Treatment
            清掃|せいそう|Seiso|Cleaning
        """),
        in_words=_in("""
            Water Solutions|वॉटर सॉल्यूशंस; Enviro|एनवायरो; Recycling|रीसाइक्लिंग
            Waste Management|वेस्ट मैनेजमेंट; Water Technologies|वॉटर टेक्नोलॉजीज़
        """),
        tails=SERVICE_TAILS,
    ),
    SectorGroup(
        codes=_codes("41-43"),
        jp_words=_jp("""
            建設|けんせつ|Kensetsu|Construction; 工務店|こうむてん|Komuten|Builders
            土木|どぼく|Doboku|Civil Engineering; 設備|せつび|Setsubi|Building Services
            電設|でんせつ|Densetsu|Electrical Works; 組|ぐみ|Gumi; ハウス|はうす|House|Homes
        """),
        in_words=_in("""
            Infra|इन्फ्रा; Infrastructure|इन्फ्रास्ट्रक्चर; Constructions|कंस्ट्रक्शंस; Builders|बिल्डर्स
            Projects|प्रोजेक्ट्स; Smart Infra|स्मार्ट इन्फ्रा; Developers|डेवलपर्स
        """),
        tails=SERVICE_TAILS,
    ),
    SectorGroup(
        codes=_codes("46-47"),
        jp_words=_jp("""
            商事|しょうじ|Shoji|Trading; 物産|ぶっさん|Bussan|Trading
            商会|しょうかい|Shokai|Trading; 通商|つうしょう|Tsusho|Trading
            貿易|ぼうえき|Boeki|Trading; 商店|しょうてん|Shoten|Store
        """),
        in_words=_in("""
            Traders|ट्रेडर्स; Exports|एक्सपोर्ट्स; Trading|ट्रेडिंग; Overseas|ओवरसीज़; Retail|रिटेल
            Impex|इम्पेक्स
        """),
        tails=SERVICE_TAILS,
    ),
    SectorGroup(
        codes=_codes("49-53"),
        jp_words=_jp("""
            運輸|うんゆ|Unyu|Transport; 物流|ぶつりゅう|Butsuryu|Logistics
            ロジスティクス|ろじすてぃくす|Logistics; 倉庫|そうこ|Soko|Warehousing
            海運|かいうん|Kaiun|Shipping; 運送|うんそう|Unso|Transport
        """),
        in_words=_in("""
            Logistics|लॉजिस्टिक्स; Transport|ट्रांसपोर्ट; Freight Carriers|फ़्रेट कैरियर्स
            Warehousing|वेयरहाउसिंग; Shipping|शिपिंग; Roadways|रोडवेज़
        """),
        tails=SERVICE_TAILS,
    ),
    SectorGroup(
        codes=_codes("55-56", "79", "90-93"),
        jp_words=_jp("""
            観光|かんこう|Kanko|Tourism; ホテル|ほてる|Hotel|Hotels
            旅行|りょこう|Ryoko|Travel; 旅館|りょかん|Ryokan|Inn
            興業|こうぎょう|Kogyo|Enterprises
        """),
        in_words=_in("""
            Hospitality|हॉस्पिटैलिटी; Hotels|होटल्स; Travels|ट्रैवल्स; Resorts|रिसॉर्ट्स; Tours|टूर्स
        """),
        tails=(),
    ),
    SectorGroup(
        codes=_codes("58-63"),
        jp_words=_jp("""
            情報システム|じょうほうしすてむ|Joho System|Information Systems
            システムズ|しすてむず|Systems; ソフトウェア|そふとうぇあ|Software
            データ|でーた|Data; クラウド|くらうど|Cloud; 通信|つうしん|Tsushin|Telecom
            ネットワークス|ねっとわーくす|Networks; デジタル|でじたる|Digital
            情報|じょうほう|Joho|Information; 電算|でんさん|Densan|Computing
        """),
        in_words=_in("""
            Technologies|टेक्नोलॉजीज़; Software|सॉफ़्टवेयर; Infotech|इन्फ़ोटेक
            Data Systems|डेटा सिस्टम्स; Digital|डिजिटल; Cloudworks|क्लाउडवर्क्स; Systems|सिस्टम्स
            Telecom|टेलीकॉम; Analytics|एनालिटिक्स; Infosystems|इन्फ़ोसिस्टम्स; Softech|सॉफ़्टेक
        """),
        tails=SERVICE_TAILS,
    ),
    SectorGroup(
        codes=_codes("64-66"),
        jp_words=_jp("""
            証券|しょうけん|Shoken|Securities; 保険|ほけん|Hoken|Insurance
            キャピタル|きゃぴたる|Capital; 信用|しんよう|Shin'yo|Credit
            ファイナンス|ふぁいなんす|Finance
        """),
        in_words=_in("""
            Finance|फ़ाइनेंस; Capital|कैपिटल; Insurance Brokers|इंश्योरेंस ब्रोकर्स; Fincorp|फ़िनकॉर्प
            Investments|इन्वेस्टमेंट्स
        """),
        tails=(),
    ),
    SectorGroup(
        codes=_codes("68", "77"),
        jp_words=_jp("""
            不動産|ふどうさん|Fudosan|Real Estate; リース|りーす|Lease|Leasing
            地所|じしょ|Jisho|Estate; レンタル|れんたる|Rental|Rentals
        """),
        in_words=_in("""
            Estates|एस्टेट्स; Realty|रियल्टी; Leasing|लीज़िंग; Properties|प्रॉपर्टीज़
        """),
        tails=(),
    ),
    SectorGroup(
        codes=_codes("69-75"),
        jp_words=_jp("""
            技研|ぎけん|Giken|Engineering Laboratory
            研究所|けんきゅうじょ|Kenkyujo|Research Institute
            エンジニアリング|えんじにありんぐ|Engineering; 設計|せっけい|Sekkei|Design
            コンサルタンツ|こんさるたんつ|Consultants; 測量|そくりょう|Sokuryo|Surveying
            広告|こうこく|Kokoku|Advertising
        """),
        in_words=_in("""
            Consultants|कंसल्टेंट्स; Engineering|इंजीनियरिंग; Research|रिसर्च; Labs|लैब्स
            Design Studio|डिज़ाइन स्टूडियो; Advisors|एडवाइज़र्स
        """),
        tails=SERVICE_TAILS,
    ),
    SectorGroup(
        codes=_codes("78", "80-82", "84", "94-99"),
        jp_words=_jp("""
            サービス|さーびす|Service|Services; 人材|じんざい|Jinzai|Staffing
            警備保障|けいびほしょう|Keibi Hosho|Security
            ビルメンテナンス|びるめんてなんす|Building Maintenance
            ビジネスサポート|びじねすさぽーと|Business Support
            総合サービス|そうごうさーびす|Sogo Service
            事務センター|じむせんたー|Jimu Center|Business Centre
            翻訳|ほんやく|Hon'yaku|Translation
        """),
        in_words=_in("""
            Services|सर्विसेज़; Staffing|स्टाफ़िंग; Facility Services|फ़ैसिलिटी सर्विसेज़
            Business Services|बिज़नेस सर्विसेज़; Security Services|सिक्योरिटी सर्विसेज़
            Outsourcing|आउटसोर्सिंग; Manpower|मैनपावर
        """),
        tails=SERVICE_TAILS,
    ),
    SectorGroup(
        codes=_codes("85-88"),
        jp_words=_jp("""
            教育|きょういく|Kyoiku|Education; 医療|いりょう|Iryo|Medical; ケア|けあ|Care
            福祉|ふくし|Fukushi|Welfare; メディカル|めでぃかる|Medical
        """),
        in_words=_in("""
            Education|एजुकेशन; Healthcare|हेल्थकेयर; Care|केयर; Diagnostics|डायग्नोस्टिक्स
            Hospitals|हॉस्पिटल्स
        """),
        tails=(),
    ),
)
DEFAULT_GROUP = SectorGroup(
    codes=(),
    jp_words=_jp("""
        産業|さんぎょう|Sangyo|Industries; 工業|こうぎょう|Kogyo|Industries
        興産|こうさん|Kosan|Enterprises
    """),
    in_words=_in("""
        Industries|इंडस्ट्रीज़; Enterprises|एंटरप्राइज़ेज़; Group|ग्रुप
    """),
    tails=(),
)
_GROUP_BY_CODE = {code: group for group in SECTOR_GROUPS for code in group.codes}


def group_of(code: str) -> SectorGroup:
    return _GROUP_BY_CODE.get(code, DEFAULT_GROUP)


# First-sector weights: the focal sectors (automotive components, renewable energy, food
# processing, IT, smart cities) dominate, as in the consortium's own directory.
SECTOR_WEIGHTS = {
    "29": 14, "10": 10, "25": 10, "28": 10, "62": 10, "26": 8, "27": 8, "35": 8, "22": 6,
    "46": 6, "20": 5, "24": 5, "42": 5, "43": 5, "63": 4, "71": 4, "11": 3, "41": 3, "49": 3,
    "52": 3, "30": 3, "45": 3, "33": 3, "61": 3, "72": 2, "58": 2, "82": 2, "01": 2, "03": 2,
    "17": 2, "36": 2, "37": 2, "38": 2, "39": 2,
    # Not what companies do: public administration, membership bodies, gambling, households,
    # extraterritorial bodies.
    "84": 0, "92": 0, "94": 0, "97": 0, "98": 0, "99": 0,
}  # fmt: skip


def sme_industry(code: str) -> str:
    """The SME Basic Act's industry group of an ISIC division."""
    number = int(code)
    if number in (45, 46):
        return "wholesale"
    if number == 47:
        return "retail"
    return "services" if number >= 55 else "manufacturing"


INSTITUTION_TEMPLATES: dict[tuple[str, str], tuple[Template, ...]] = {
    ("academic", "JP"): (
        Template("{place} University", "{place}大学", "{place}だいがく"),
        Template("{place} Institute of Technology", "{place}工業大学", "{place}こうぎょうだいがく"),
        Template(
            "National Institute of Technology, {place} College",
            "{place}工業高等専門学校",
            "{place}こうぎょうこうとうせんもんがっこう",
        ),
        Template(
            "{place} University of Agriculture", "{place}農業大学", "{place}のうぎょうだいがく"
        ),
        Template("{place} Medical University", "{place}医科大学", "{place}いかだいがく"),
        Template("{place} University of Commerce", "{place}商科大学", "{place}しょうかだいがく"),
        Template("{place} Gakuin University", "{place}学院大学", "{place}がくいんだいがく"),
        Template("{place} Women's University", "{place}女子大学", "{place}じょしだいがく"),
        Template(
            "{place} {industry} Research Institute",
            "{place}{industry}研究所",
            "{place}{industry}けんきゅうじょ",
        ),
    ),
    ("agency", "JP"): (
        Template(
            "{place} Industrial Promotion Center",
            "{place}産業振興センター",
            "{place}さんぎょうしんこうせんたー",
        ),
        Template(
            "{place} International Exchange Association",
            "{place}国際交流協会",
            "{place}こくさいこうりゅうきょうかい",
        ),
        Template(
            "{place} Industrial Technology Center",
            "{place}工業技術センター",
            "{place}こうぎょうぎじゅつせんたー",
        ),
        Template(
            "{place} {industry} Promotion Council",
            "{place}{industry}振興協議会",
            "{place}{industry}しんこうきょうぎかい",
        ),
    ),
    ("chamber", "JP"): (
        Template(
            "{place} Chamber of Commerce and Industry",
            "{place}商工会議所",
            "{place}しょうこうかいぎしょ",
        ),
        Template(
            "{place} Society of Commerce and Industry", "{place}商工会", "{place}しょうこうかい"
        ),
        Template(
            "{place} {industry} Study Group",
            "{place}{industry}研究会",
            "{place}{industry}けんきゅうかい",
        ),
        Template(
            "{place} {industry} Association", "{place}{industry}協会", "{place}{industry}きょうかい"
        ),
        Template(
            "{place} {industry} Cooperative",
            "{place}{industry}協同組合",
            "{place}{industry}きょうどうくみあい",
        ),
        Template(
            "{place} {industry} Industry Association",
            "{place}{industry}工業会",
            "{place}{industry}こうぎょうかい",
        ),
    ),
    ("academic", "IN"): (
        Template("{place} Institute of Technology", "{place} प्रौद्योगिकी संस्थान"),
        Template("{place} University", "{place} विश्वविद्यालय"),
        Template("{place} College of Engineering", "{place} अभियांत्रिकी महाविद्यालय"),
        Template("{place} Institute of Management", "{place} प्रबंध संस्थान"),
        Template("{place} Agricultural University", "{place} कृषि विश्वविद्यालय"),
        Template("{place} Institute of Science", "{place} विज्ञान संस्थान"),
        Template("{place} Polytechnic", "{place} पॉलिटेक्निक"),
        Template("{place} Centre for {industry} Research", "{place} {industry} अनुसंधान केंद्र"),
    ),
    ("agency", "IN"): (
        Template("{place} Industrial Development Corporation", "{place} औद्योगिक विकास निगम"),
        Template("{place} Investment Promotion Agency", "{place} निवेश संवर्धन एजेंसी"),
        Template("{place} MSME Development Institute", "{place} एमएसएमई विकास संस्थान"),
        Template("{place} Export Promotion Council", "{place} निर्यात संवर्धन परिषद"),
        Template("{place} {industry} Development Board", "{place} {industry} विकास बोर्ड"),
    ),
    ("chamber", "IN"): (
        Template("{place} Chamber of Commerce", "{place} वाणिज्य मंडल"),
        Template("{place} Chamber of Commerce and Industry", "{place} वाणिज्य एवं उद्योग मंडल"),
        Template("{place} {industry} Manufacturers' Association", "{place} {industry} निर्माता संघ"),
        Template("{place} {industry} Association", "{place} {industry} संघ"),
        Template("{place} Small Industries Association", "{place} लघु उद्योग संघ"),
    ),
}
TITLES = {
    "company": (
        "President", "Managing Director", "Director, Overseas Business", "Manager, India Desk",
        "Export Sales", "Chief Engineer", "Head of Partnerships", "Vice President, Projects",
        "Chief Executive", "Export Manager", "Director, Japan Business", "Sales Manager",
        "Procurement Manager", "Plant Manager", "General Manager, International", "CTO", "CFO",
        "Business Development Manager", "Quality Assurance Manager", "R&D Manager",
        "Deputy General Manager", "Assistant Manager, Sales", "Senior Engineer",
        "Section Chief, Planning", "Liaison Officer",
    ),
    "academic": (
        "Professor", "Associate Professor", "Registrar", "Dean, International Relations",
        "Director, Industry Liaison", "Head of Department", "Research Fellow",
    ),
    "agency": (
        "Joint Director", "Deputy Secretary", "Investment Promotion Officer", "General Manager",
        "Senior Consultant", "Director",
    ),
    "chamber": (
        "Secretary General", "President", "Membership Officer", "Director, Trade Missions",
        "Executive Director", "Vice Chair",
    ),
}  # fmt: skip
# Landline area prefixes after +81 (the first digits of the nine-digit national number).
JAPANESE_AREA_PREFIXES = {
    "JP-19": "552", "JP-22": "542", "JP-16": "764", "JP-31": "8572", "JP-04": "222",
    "JP-03": "196", "JP-30": "734", "JP-28": "783", "JP-38": "899", "JP-13": "35",
    "JP-27": "66", "JP-23": "522",
}  # fmt: skip
# STD codes after +91 (national numbers are ten digits).
INDIAN_AREA_CODES = {
    "IN-DL": "11", "IN-MH": "22", "IN-KA": "80", "IN-TN": "44", "IN-TS": "40", "IN-WB": "33",
    "IN-GJ": "79", "IN-UP": "522", "IN-RJ": "141", "IN-KL": "484", "IN-HR": "124",
    "IN-PB": "172", "IN-MP": "755", "IN-OD": "674", "IN-AP": "891",
}  # fmt: skip
INDIAN_MOBILE_STARTS = ("98", "99", "97", "94", "93", "91", "90", "88", "87", "81", "80", "70")
SLUG_STOP_WORDS = frozenset(
    {"kk", "co", "ltd", "corporation", "inc", "yk", "gk", "llc", "pvt", "private", "limited"}
)


# --- Generator ----------------------------------------------------------------------------

SYNTHETIC_NOTE = "Synthetic record generated by generate_scale_data (seed {seed})."

# Share of the generated organisations by kind; the rest are companies.
KIND_SHARES = (
    (OrganisationKind.CHAMBER, 0.02),
    (OrganisationKind.AGENCY, 0.01),
    (OrganisationKind.ACADEMIC, 0.015),
)
JAPANESE_SHARE = 0.6
# How members share the companies they register; a member not listed weighs 10.
MEMBER_WEIGHTS = {"JP-22": 16, "JP-28": 16, "JP-04": 12, "JP-16": 11, "JP-19": 9, "JP-38": 8}
# Where Indian organisations are, by ISO 3166-2 code; a state not listed weighs 0.5.
INDIAN_REGION_WEIGHTS = {
    "IN-MH": 18, "IN-KA": 12, "IN-TN": 12, "IN-GJ": 10, "IN-DL": 8, "IN-TS": 7, "IN-UP": 6,
    "IN-HR": 5, "IN-WB": 4, "IN-RJ": 4, "IN-AP": 3, "IN-KL": 3, "IN-MP": 3, "IN-PB": 2,
    "IN-OD": 2,
}  # fmt: skip
COMPANY_VISIBILITY = (
    (Visibility.PARTNERS, 70), (Visibility.PRIVATE, 15),
    (Visibility.CONSORTIUM, 10), (Visibility.PUBLIC, 5),
)  # fmt: skip
INSTITUTION_VISIBILITY = (
    (Visibility.PUBLIC, 60), (Visibility.PARTNERS, 35), (Visibility.CONSORTIUM, 5),
)  # fmt: skip
PERSON_VISIBILITY = (
    (Visibility.PARTNERS, 40), (Visibility.PRIVATE, 35),
    (Visibility.CONSORTIUM, 20), (Visibility.PUBLIC, 5),
)  # fmt: skip

ProgressCallback = Callable[[str], None]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ScaleResult:
    organisations: int
    sector_links: int
    name_tokens: int
    people: int
    seconds: float

    @property
    def rows(self) -> int:
        return self.organisations + self.sector_links + self.name_tokens + self.people

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


class _Names(NamedTuple):
    en: str
    ja: str
    kana: str
    hi: str
    en_stem: str  # the English name without its legal form, case-folded
    native_stem: str  # the Japanese or Hindi name without its legal form


@dataclass(frozen=True, slots=True)
class _Org:
    """What the people generator needs to know of an organisation already written."""

    pk: int
    country: str
    region_id: str | None
    managed_by_id: int | None
    kind: str
    domain: str


class _Weighted(Generic[T]):
    """A seeded weighted choice: bisect on cumulative weights (rng.choices re-sums them)."""

    def __init__(self, items: Sequence[tuple[T, float]]) -> None:
        self.values = [value for value, _ in items]
        self.cumulative = list(itertools.accumulate(weight for _, weight in items))

    def pick(self, rng: random.Random) -> T:
        index = bisect.bisect_right(self.cumulative, rng.random() * self.cumulative[-1])
        return self.values[min(index, len(self.values) - 1)]


class _World:
    """Reference rows the generator draws from, read once."""

    def __init__(self) -> None:
        members = list(
            Organisation.objects.filter(kind=OrganisationKind.MEMBER_PREFECTURE)
            .exclude(region=None)
            .order_by("region_id", "id")
        )
        if not members:
            from setu.directory.demo import load_directory_demo

            load_directory_demo()
            members = list(
                Organisation.objects.filter(kind=OrganisationKind.MEMBER_PREFECTURE)
                .exclude(region=None)
                .order_by("region_id", "id")
            )
        self.members = _Weighted([(m, MEMBER_WEIGHTS.get(m.region_id or "", 10)) for m in members])
        regions = list(Region.objects.order_by("code"))
        self.regions = {region.code: region for region in regions}
        self.japanese_regions = [r.code for r in regions if r.country == "JP"]
        self.indian_regions = _Weighted(
            [(r.code, INDIAN_REGION_WEIGHTS.get(r.code, 0.5)) for r in regions if r.country == "IN"]
        )
        self.cities: dict[str, list[City]] = {}
        for city in City.objects.order_by("key"):
            self.cities.setdefault(city.region_id or "", []).append(city)
        self.sectors = {s.code: s for s in Sector.objects.filter(level="division")}
        codes = sorted(self.sectors)
        self.divisions = _Weighted([(c, SECTOR_WEIGHTS.get(c, 1)) for c in codes])


def _ascii_slug(text: str, words: int = 2) -> str:
    parts = ["".join(ch for ch in word if ch.isascii() and ch.isalnum()) for word in text.split()]
    kept = [p.lower() for p in parts if p and p.lower() not in SLUG_STOP_WORDS]
    return "-".join(kept[:words]) or "org"


class _Generator:
    def __init__(self, seed: int, world: _World) -> None:
        self.rng = random.Random(seed)  # noqa: S311  # synthetic data, reproducible on purpose
        self.seed = seed
        self.world = world
        # Name stems (no legal form) already given: uniqueness without normalise_name's cost.
        self.seen_stems: set[str] = set()
        self.duplicates = 0
        self.kinds = _Weighted(
            [
                *KIND_SHARES,
                (OrganisationKind.COMPANY, 1 - sum(share for _, share in KIND_SHARES)),
            ]
        )
        self.company_visibility = _Weighted(COMPANY_VISIBILITY)
        self.institution_visibility = _Weighted(INSTITUTION_VISIBILITY)
        self.person_visibility = _Weighted(PERSON_VISIBILITY)
        self.japanese_legal = _Weighted([(f, f[3]) for f in JAPANESE_LEGAL_FORMS])
        self.indian_legal = _Weighted([(f, f[2]) for f in INDIAN_LEGAL_FORMS])
        self.offers = {code: sector.name_en for code, sector in world.sectors.items()}
        self.note = SYNTHETIC_NOTE.format(seed=seed)

    # --- organisations ------------------------------------------------------------------

    def organisation(self) -> tuple[Organisation, list[str]]:
        """One unsaved organisation and its ISIC division codes."""
        rng = self.rng
        kind = self.kinds.pick(rng)
        japanese = rng.random() < JAPANESE_SHARE
        country = "JP" if japanese else "IN"
        manager: Organisation | None = None
        if japanese:
            manager = self._pick_member()
            home = manager.region_id or "JP-13"
            region = home if rng.random() < 0.8 else rng.choice(self.world.japanese_regions)
            if kind != OrganisationKind.COMPANY:
                manager = manager if rng.random() < 0.5 else None
        else:
            region = self.world.indian_regions.pick(rng)
            # Most Indian records were registered by a member prefecture's officer.
            manager = self._pick_member() if rng.random() < 0.6 else None
        cities = self.world.cities.get(region, [])
        city = rng.choice(cities) if cities and rng.random() < 0.85 else None
        codes = self._sectors(kind)
        names = self._unique_names(kind, japanese, codes, region, city)
        name_en, name_ja, name_kana, name_hi = names.en, names.ja, names.kana, names.hi
        employees, capital, currency, industry = self._size(kind, japanese, codes[0])
        capital_jpy = capital if currency == "JPY" else None
        visibility = (
            self.company_visibility if kind == OrganisationKind.COMPANY
            else self.institution_visibility
        ).pick(rng)  # fmt: skip
        domain = f"{_ascii_slug(name_en)}.example"
        organisation = Organisation(
            kind=kind,
            name_en=name_en,
            name_ja=name_ja,
            name_ja_kana=name_kana,
            name_hi=name_hi,
            original_language="ja" if japanese else "en",
            country=country,
            region_id=region,
            city=city,
            website=f"https://www.{domain}",
            description_en=self.note,
            offers="; ".join(self.offers[c] for c in codes if c in self.offers),
            employees=employees,
            capital=capital,
            capital_currency=currency,
            sme_industry=industry,
            # The rule of services.organisation_refresh_derived, applied in bulk.
            is_sme=(
                is_sme(industry=industry, capital_jpy=capital_jpy, employees=employees)
                if country == "JP"
                else None
            ),
            managed_by=manager,
            visibility=visibility,
            name_key=normalise_name(name_en or name_ja or name_hi)[:300],
        )
        return organisation, codes

    def _pick_member(self) -> Organisation:
        return self.world.members.pick(self.rng)

    def _sectors(self, kind: str) -> list[str]:
        rng = self.rng
        if kind == OrganisationKind.ACADEMIC:
            return ["85", "72"] if rng.random() < 0.4 else ["85"]
        if kind == OrganisationKind.AGENCY:
            return ["84"]
        first = self.world.divisions.pick(rng)
        codes = [first]
        extra = 2 if rng.random() < 0.15 else 1 if rng.random() < 0.45 else 0
        group = group_of(first)
        for _ in range(extra):
            candidates = group.codes if rng.random() < 0.6 else tuple(self.world.sectors)
            code = rng.choice(candidates)
            if code in self.world.sectors and code not in codes:
                codes.append(code)
        if kind == OrganisationKind.CHAMBER:
            codes.insert(0, "94")
        return [c for c in codes if c in self.world.sectors]

    def _unique_names(
        self, kind: str, japanese: bool, codes: list[str], region: str, city: City | None
    ) -> _Names:
        """Names no earlier record of this run has; a look-alike is kept after many tries."""
        for _ in range(60):
            names = self._names(kind, japanese, codes, region, city)
            if names.en_stem not in self.seen_stems and names.native_stem not in self.seen_stems:
                break
        else:
            self.duplicates += 1
        self.seen_stems.add(names.en_stem)
        self.seen_stems.add(names.native_stem)
        return names

    def _place(self, kind: str, japanese: bool, region: str, city: City | None) -> Word:
        """A place for an institution's name: its city, its region, or a nearby landmark."""
        rng = self.rng
        if japanese:
            if city is not None and rng.random() < 0.3:
                return Word(city.name_ja, "", city.name_en, city.name_en)
            return rng.choice(JAPANESE_PLACES)
        if city is not None and rng.random() < 0.35:
            return Word(city.name_hi, "", city.name_en, city.name_en)
        if rng.random() < 0.15:
            state = self.world.regions[region]
            return Word(state.name_hi, "", state.name_en, state.name_en)
        if kind == OrganisationKind.ACADEMIC and rng.random() < 0.4:
            # "Sri Venkateswara College of Engineering", "Ashoka Institute of Science"
            return rng.choice(INDIAN_DEVOTIONAL + INDIAN_BRAND_WORDS)
        return rng.choice(INDIAN_PLACES)

    def _names(
        self, kind: str, japanese: bool, codes: list[str], region: str, city: City | None
    ) -> _Names:
        rng = self.rng
        if kind == OrganisationKind.COMPANY:
            group = group_of(codes[0])
            return self._japanese_company(group) if japanese else self._indian_company(group)
        place = self._place(kind, japanese, region, city)
        # A chamber speaks for its members' industry; others name any industry they serve.
        code = codes[1] if len(codes) > 1 and kind == OrganisationKind.CHAMBER else None
        industry_group = group_of(code or self.world.divisions.pick(rng))
        industry = rng.choice(industry_group.jp_words if japanese else industry_group.in_words)
        template = rng.choice(INSTITUTION_TEMPLATES[(kind, "JP" if japanese else "IN")])
        if japanese:
            en = template.en.format(place=place.romaji, industry=industry.english)
            ja = template.native.format(place=place.native, industry=industry.native)
            kana = template.kana.format(place=place.kana, industry=industry.kana)
            return _Names(en, ja, kana if place.kana else "", "", en.casefold(), ja)
        en = template.en.format(place=place.english, industry=industry.english)
        hi = template.native.format(place=place.native, industry=industry.native)
        return _Names(en, "", "", hi, en.casefold(), hi)

    def _japanese_company(self, group: SectorGroup) -> _Names:
        rng = self.rng
        roll = rng.random()
        if roll < 0.45:
            head = rng.choice(JAPANESE_PLACES)
        elif roll < 0.7:
            first, second = rng.choice(COINED_FIRST), rng.choice(COINED_SECOND)
            head = Word(
                first.native + second.native,
                first.kana + second.kana,
                first.romaji + second.romaji.lower(),
                first.romaji + second.romaji.lower(),
            )
        elif roll < 0.9:
            head = rng.choice(JAPANESE_SURNAMES)
        else:
            head = rng.choice(JAPANESE_AUSPICIOUS)
        word = rng.choice(group.jp_words)
        parts = [head, word]
        if group.tails and rng.random() < 0.55:
            tail = rng.choice(group.tails)
            if tail.english != word.english:
                parts.append(tail)
        legal_ja, legal_en_choices, prefix, _weight = self.japanese_legal.pick(rng)
        stem = "".join(p.native for p in parts)
        ja = f"{legal_ja}{stem}" if prefix and rng.random() < 0.35 else f"{stem}{legal_ja}"
        kana = "".join(p.kana for p in parts)
        romanised = rng.random() < 0.55
        words = " ".join(
            [parts[0].romaji] + [p.romaji if romanised else p.english for p in parts[1:]]
        )
        return _Names(
            f"{words} {rng.choice(legal_en_choices)}", ja, kana, "", words.casefold(), stem
        )

    def _indian_company(self, group: SectorGroup) -> _Names:
        rng = self.rng
        roll = rng.random()
        if roll < 0.4:
            head = rng.choice(INDIAN_BRAND_WORDS)
        elif roll < 0.6:
            head = rng.choice(INDIAN_PLACES)
        elif roll < 0.85:
            head = rng.choice(INDIAN_SURNAMES)
        else:
            head = rng.choice(INDIAN_DEVOTIONAL)
        en_words, hi_words = [head.english], [head.native]
        if roll < 0.6 and rng.random() < 0.3:  # "New Deccan", not "New Mehta"
            qualifier = rng.choice(INDIAN_QUALIFIERS)
            en_words.insert(0, qualifier.english)
            hi_words.insert(0, qualifier.native)
        word = rng.choice(group.in_words)
        en_words.append(word.english)
        hi_words.append(word.native)
        if rng.random() < 0.12:
            en_words.append("India")
            hi_words.append("इंडिया")
        legal_en, legal_hi, _weight = self.indian_legal.pick(rng)
        en, hi = " ".join(en_words), " ".join(hi_words)
        return _Names(f"{en} {legal_en}", "", "", f"{hi} {legal_hi}", en.casefold(), hi)

    def _size(
        self, kind: str, japanese: bool, code: str
    ) -> tuple[int | None, Decimal | None, str, str]:
        """Regular employees, capital, its currency, and the SME Basic Act industry group."""
        currency = "JPY" if japanese else "INR"
        if kind != OrganisationKind.COMPANY:
            return None, None, currency, ""
        rng = self.rng
        median = 45 if japanese else 80
        employees: int | None = max(
            1, min(80_000, round(rng.lognormvariate(math.log(median), 1.3)))
        )
        assert employees is not None
        # Capital grows with the workforce; Japanese SMEs cluster at round figures.
        per_head = 1_000_000 if japanese else 400_000
        raw = employees * per_head * rng.lognormvariate(0, 0.9)
        step = 10 ** max(0, int(math.log10(max(raw, 1))) - 1)
        capital: Decimal | None = Decimal(max(step, round(raw / step) * step))
        if rng.random() < 0.08:
            employees = None
        if rng.random() < 0.1:
            capital = None
        return employees, capital, currency, sme_industry(code)

    # --- people -------------------------------------------------------------------------

    def person(self, organisation: _Org) -> Person:
        rng = self.rng
        japanese_org = organisation.country == "JP"
        japanese = rng.random() < (0.93 if japanese_org else 0.05)
        if japanese:
            surname = rng.choice(JAPANESE_SURNAMES)
            given = rng.choice(JAPANESE_GIVEN_NAMES)
            latin = f"{given.romaji} {surname.romaji}"
            native = f"{surname.native} {given.native}"
            language = "ja"
            first, last = given.romaji, surname.romaji
        else:
            first_word = rng.choice(INDIAN_GIVEN_NAMES)
            last_word = rng.choice(INDIAN_SURNAMES)
            latin = f"{first_word.english} {last_word.english}"
            native = f"{first_word.native} {last_word.native}"
            language = "hi" if rng.random() < 0.35 else "en"
            first, last = first_word.english, last_word.english
        email = ""
        if rng.random() < 0.95:
            local = rng.choice(
                (f"{first}.{last}", f"{first[0]}.{last}", last, f"{first}{last[0]}")
            ).lower()
            local = "".join(ch for ch in local if ch.isalnum() or ch == ".")
            email = f"{local}@{organisation.domain}"
        phone = ""
        if rng.random() < 0.9:
            phone = self._phone(organisation.region_id, japanese_org)
        titles = TITLES.get(organisation.kind, TITLES[OrganisationKind.COMPANY])
        owner_id = organisation.pk
        if organisation.managed_by_id is not None and rng.random() < 0.7:
            owner_id = organisation.managed_by_id
        return Person(
            organisation_id=organisation.pk,
            owner_id=owner_id,
            visibility=self.person_visibility.pick(rng),
            name_latin=latin,
            name_native=native,
            title=rng.choice(titles),
            email=email,
            phone=phone,
            preferred_language=language,
        )

    def _phone(self, region: str | None, japanese: bool) -> str:
        """An E.164 number: a landline in the organisation's area, or a mobile."""
        rng = self.rng
        if japanese:
            if rng.random() < 0.35:
                return f"+81{rng.choice('987')}0{rng.randint(1, 9)}{rng.randrange(10**7):07d}"
            prefix = JAPANESE_AREA_PREFIXES.get(region or "", "35")
            return f"+81{prefix}{rng.randrange(10 ** (9 - len(prefix))):0{9 - len(prefix)}d}"
        if rng.random() < 0.5:
            start = rng.choice(INDIAN_MOBILE_STARTS)
            return f"+91{start}{rng.randrange(10**8):08d}"
        area = INDIAN_AREA_CODES.get(region or "", "11")
        digits = 10 - len(area) - 1
        return f"+91{area}{rng.choice('24')}{rng.randrange(10**digits):0{digits}d}"


def generate_scale_data(
    *,
    organisations: int,
    people: int,
    seed: int = 1,
    batch: int = 5000,
    progress: ProgressCallback | None = None,
) -> ScaleResult:
    """Write ``organisations`` organisations and ``people`` people; return the row counts.

    Creates the demo members first when the database has none. Each batch is one transaction,
    so an interrupted run leaves whole batches behind, never half an organisation. Ends with
    ANALYZE of the directory's tables, so that the planner knows what it holds.
    """
    started = time.perf_counter()
    generator = _Generator(seed, _World())
    through = Organisation.sectors.through
    sector_ids = {code: sector.pk for code, sector in generator.world.sectors.items()}
    written: list[_Org] = []
    counts = {"links": 0, "tokens": 0, "people": 0}

    def report(label: str, done: int, total: int) -> None:
        if progress is None:
            return
        elapsed = time.perf_counter() - started
        rows = len(written) + sum(counts.values())
        progress(f"{label} {done:,}/{total:,}: {elapsed:.1f} s, {rows / elapsed:,.0f} rows/s")

    for start in range(0, organisations, batch):
        drafts = [generator.organisation() for _ in range(min(batch, organisations - start))]
        with transaction.atomic():
            created = Organisation.objects.bulk_create([org for org, _ in drafts], batch_size=batch)
            links: list[Any] = []  # rows of the sectors through-model
            tokens: list[NameToken] = []
            for organisation, (_draft, codes) in zip(created, drafts, strict=True):
                pk = organisation.pk
                assert pk is not None, "bulk_create returns primary keys on SQLite and PostgreSQL"
                links.extend(through(organisation_id=pk, sector_id=sector_ids[c]) for c in codes)
                words = {
                    token[:100]
                    for name in (organisation.name_en, organisation.name_ja, organisation.name_hi)
                    for token in name_tokens(name)
                }
                tokens.extend(NameToken(organisation_id=pk, token=word) for word in sorted(words))
                written.append(
                    _Org(
                        pk=pk,
                        country=organisation.country,
                        region_id=organisation.region_id,
                        managed_by_id=organisation.managed_by_id,
                        kind=organisation.kind,
                        domain=organisation.website.removeprefix("https://www."),
                    )
                )
            through.objects.bulk_create(links, batch_size=batch, ignore_conflicts=True)
            NameToken.objects.bulk_create(tokens, batch_size=batch, ignore_conflicts=True)
        counts["links"] += len(links)
        counts["tokens"] += len(tokens)
        report("organisations", len(written), organisations)

    for start in range(0, people if written else 0, batch):
        size = min(batch, people - start)
        rows = [generator.person(generator.rng.choice(written)) for _ in range(size)]
        with transaction.atomic():
            Person.objects.bulk_create(rows, batch_size=batch)
        counts["people"] += size
        report("people", counts["people"], people)
    if generator.duplicates and progress is not None:
        progress(f"{generator.duplicates:,} organisations share a name with an earlier one.")
    analysed = time.perf_counter()
    update_planner_statistics(directory_tables())
    if progress is not None:
        progress(f"Planner statistics (ANALYZE) in {time.perf_counter() - analysed:.1f} s.")
    return ScaleResult(
        organisations=len(written),
        sector_links=counts["links"],
        name_tokens=counts["tokens"],
        people=counts["people"],
        seconds=time.perf_counter() - started,
    )
