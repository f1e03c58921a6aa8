"""Events as the 自治体標準オープンデータセット「イベント一覧」 CSV, one row per sitting.

Column set: デジタル庁「自治体標準オープンデータセット（正式版）」イベント一覧, as summarised in
DESIGN.md (begins 全国地方公共団体コード,法人番号,ID,地方公共団体名,イベント名). Encoding: UTF-8
with BOM and CRLF line ends, the form Excel on municipal PCs opens without garbling.
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

COLUMNS = (
    "全国地方公共団体コード",
    "法人番号",
    "ID",
    "地方公共団体名",
    "イベント名",
    "イベント名_カナ",
    "イベント名_英字",
    "開始日",
    "終了日",
    "開始時間",
    "終了時間",
    "開始日時特記事項",
    "説明",
    "料金(基本)",
    "料金(詳細)",
    "連絡先名称",
    "連絡先電話番号",
    "連絡先内線番号",
    "主催者",
    "場所名称",
    "所在地_連結表記",
    "所在地_都道府県",
    "所在地_市区町村",
    "所在地_町字",
    "所在地_番地以下",
    "建物名等(方書)",
    "緯度",
    "経度",
    "アクセス方法",
    "駐車場情報",
    "定員",
    "参加申込終了日",
    "参加申込終了時間",
    "参加申込方法",
    "URL",
    "備考",
)
_PHONE = re.compile(r"0\d{1,4}-\d{1,4}-\d{3,4}")
_YEN = re.compile(r"^(\d[\d,]*)円$")
_NUMBER = re.compile(r"(\d[\d,]*)")
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


def spreadsheet_safe(cell: str) -> str:
    """A cell a spreadsheet will not run: text starting like a formula (= + - @, a tab or a
    return; full-width too, which Japanese spreadsheets convert) gets a leading ' as OWASP advises."""
    first = unicodedata.normalize("NFKC", cell[:1])
    return "'" + cell if first and first in _FORMULA_START else cell


def _row(site: Site, event: Event, number: int, occurrence: Occurrence, site_url: str) -> dict[str, str]:
    start, end = occurrence.start, occurrence.end or occurrence.start
    phone = _PHONE.search(unicodedata.normalize("NFKC", event.contact))
    fee = unicodedata.normalize("NFKC", event.fee).strip()
    capacity = _NUMBER.search(unicodedata.normalize("NFKC", event.capacity))
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
        "説明": event.summary,
        "料金(基本)": "0"
        if fee == "無料"
        else (_YEN.match(fee).group(1).replace(",", "") if _YEN.match(fee) else ""),
        "料金(詳細)": event.fee,
        "連絡先名称": _PHONE.sub("", unicodedata.normalize("NFKC", event.contact)).strip(" 　()（）"),
        "連絡先電話番号": phone.group(0) if phone else "",
        "主催者": site.config.town_name,
        "場所名称": event.place,
        "定員": capacity.group(1).replace(",", "") if capacity else "",
        "参加申込方法": event.apply,
        "URL": urljoin(site_url, event.url),
        "備考": event.target and f"対象: {event.target}",
    }
