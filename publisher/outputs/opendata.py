"""Events as the 自治体標準オープンデータセット「イベント一覧」 CSV, one row per sitting.

Columns: the 79 of デジタル庁「自治体標準オープンデータセット」イベント一覧 in the order real
publishers use (Okazaki City and Osaka Prefecture; the reference header is kept in
tests/data/opendata/), filled from the content; columns the content has nothing for stay empty
(画像: originals are never published, and a picture's published name belongs to the media
step). Encoding: UTF-8 with BOM and CRLF line ends, the form Excel on municipal PCs opens
without garbling; cells that would start a formula are neutralised.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path
from urllib.parse import urljoin

from ..content import urls
from ..content.dates import JST
from ..content.model import Event, Occurrence, Site

# The 79 columns in the order Okazaki City and Osaka Prefecture publish them (tests/data/opendata/).
COLUMNS = tuple(
    """
    全国地方公共団体コード 法人番号 ID 地方公共団体名 イベント名 言語コード イベント通称 サブタイトル イベント名_カナ イベント名_英語 コンテンツURL 状態 キーワード
    タグ 対象となる産業 開催パターン 開始日 終了日 開始時間 終了時間 開始日時特記事項 所要時間 掲載開始日 掲載終了日 概要 説明 サブイベント イベント種類 料金(基本)
    料金(詳細) 連絡先名称 連絡先電話番号 連絡先内線番号 主催者 共催団体 関連組織 対象者 対象者備考 場所名称 集合（受付）場所 所在地_全国地方公共団体コード 町字ID
    所在地_連結表記 所在地_都道府県 所在地_市区町村 所在地_町字 所在地_番地以下 建物名等(方書) 緯度 経度 アクセス方法 駐車場情報 駐車場料金 駐輪場情報 Web開催
    Web開催URL ツール・環境 定員 定員備考 料金種別 決済種別 外国語対応 外国語対応備考 開催条件 参加申込終了日 参加申込終了時間 参加申込方法 申込開始日 申込開始時刻
    申込URL URL 授乳室 おむつ替えコーナー 飲食可否 ベビーカー貸出 ベビーカー利用 画像 画像_ライセンス 備考
    """.split()
)
_PHONE = re.compile(r"0\d{1,4}-\d{1,4}-\d{3,4}")
_YEN = re.compile(r"^(\d[\d,]*)円$")
_NUMBER = re.compile(r"(\d[\d,]*)")
_URL = re.compile(r"https?://[^\s　、。（）()「」]+")
_FORMULA_START = "=+-@\t\r"


def write_events_csv(site: Site, site_url: str, out_dir: Path) -> Path:
    target = out_dir / urls.OPEN_DATA_EVENTS
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(events_csv(site, site_url).encode("utf-8-sig"))
    return target


def events_csv(site: Site, site_url: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for event in site.events:
        for number, occurrence in enumerate(event.occurrences, start=1):
            row = _row(site, event, number, occurrence, site_url)
            writer.writerow([spreadsheet_safe(row.get(column, "")) for column in COLUMNS])
    return buffer.getvalue()


def _day(moment) -> str:
    return moment.astimezone(JST).date().isoformat() if moment else ""


def _labels(site: Site, event: Event) -> list[str]:
    found = (site.config.category(slug) for slug in event.categories)
    return [category.label for category in found if category]


def spreadsheet_safe(cell: str) -> str:
    """A cell a spreadsheet will not run: text starting like a formula (= + - @, a tab or a
    return; full-width too, which Japanese spreadsheets convert) gets a leading ' as OWASP advises."""
    first = unicodedata.normalize("NFKC", cell[:1])
    return "'" + cell if first and first in _FORMULA_START else cell


def _contact(site: Site, event: Event) -> tuple[str, str]:
    """Name and phone to ask: the event's department from the registry, else its own contact
    text, else the town office (as on the page's お問い合わせ box)."""
    department = site.config.department(event.department) if event.department else None
    if department:
        return department.name, department.phone
    if event.contact:
        written = unicodedata.normalize("NFKC", event.contact)
        phone = _PHONE.search(written)
        return _PHONE.sub("", written).strip(" 　()（）"), phone.group(0) if phone else ""
    return site.config.office.name, site.config.office.phone


def _row(site: Site, event: Event, number: int, occurrence: Occurrence, site_url: str) -> dict[str, str]:
    start, end = occurrence.start, occurrence.end or occurrence.start
    contact_name, contact_phone = _contact(site, event)
    fee = unicodedata.normalize("NFKC", event.fee).strip()
    capacity = _NUMBER.search(unicodedata.normalize("NFKC", event.capacity))
    apply_url = _URL.search(event.apply)
    return {
        "全国地方公共団体コード": site.config.municipality_code,
        "法人番号": site.config.corporate_number,
        "ID": f"{event.id}-{number}",
        "地方公共団体名": site.config.town_name,
        "イベント名": event.title,
        "開始日": start.day.isoformat(),
        "終了日": end.day.isoformat(),
        "開始時間": start.moment.astimezone(JST).strftime("%H:%M") if start.has_time else "",
        "終了時間": end.moment.astimezone(JST).strftime("%H:%M") if occurrence.end and end.has_time else "",
        "言語コード": "ja",
        "掲載開始日": _day(event.release_at),
        "掲載終了日": _day(event.expire_at),
        "概要": event.summary,
        "説明": event.summary,
        "イベント種類": "、".join(_labels(site, event)),
        "対象者": event.target,
        "料金(基本)": "0"
        if fee == "無料"
        else (_YEN.match(fee).group(1).replace(",", "") if _YEN.match(fee) else ""),
        "料金(詳細)": event.fee,
        "連絡先名称": contact_name,
        "連絡先電話番号": contact_phone,
        "主催者": site.config.town_name,
        "場所名称": event.place,
        "定員": capacity.group(1).replace(",", "") if capacity else "",
        "参加申込方法": event.apply,
        "申込URL": apply_url.group(0) if apply_url else "",
        "URL": urljoin(site_url, event.url),
    }
