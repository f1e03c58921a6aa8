"""A `date` later than the build without `publish_at` is a 公開予約 (issue 17): the item waits,
staff are told where they look, and no page or feed carries a date later than the build."""

from __future__ import annotations

from conftest import cli, write_project

EVENT = """\
---
title: 初売り
date: {date}
{extra}start: 2027-01-02 09:00
place: 道の駅甘楽
categories: [kanko]
---

初売りを行います。
"""


def _project(tmp_path, date: str, extra: str = ""):
    return write_project(
        tmp_path / "town",
        {
            "index.md": "---\ntitle: ホーム\n---\n\nようこそ。\n",
            "events/2027/hatsuuri.md": EVENT.format(date=date, extra=extra),
        },
    )


def test_a_future_date_holds_the_item_back_and_check_says_until_when(tmp_path):
    project = _project(tmp_path, "2027-01-02 09:00")

    check = cli(project, "check", now="2026-11-28 12:00")
    status = cli(project, "status", now="2026-11-28 12:00")

    assert check.returncode == 0, check.output
    assert (
        "content/events/2027/hatsuuri.md:3: 公開予約: date（掲載日）が 2027年1月2日（土） 9:00 なので、"
        "その日時まで公開されません。" in check.stdout
    )
    assert "公開予約: 1 件" in status.stdout and "公開中: 1 件" in status.stdout  # the home page
    assert "公開予約 2027年1月2日（土） 9:00: 初売り" in status.stdout
    assert "すぐに公開するなら date を今より前の日時にしてください" in check.stdout  # the hour counts too
    later = cli(project, "status", now="2027-01-02 09:00")
    assert "公開中: 2 件" in later.stdout


def test_a_past_date_or_a_publish_at_says_nothing(tmp_path):
    project = _project(tmp_path, "2026-11-20 09:00")
    assert "公開予約" not in cli(project, "check", now="2026-11-28 12:00").stdout
    scheduled = _project(tmp_path / "b", "2027-01-02 09:00", extra="publish_at: 2026-11-25 09:00\n")
    result = cli(scheduled, "check", now="2026-11-28 12:00")
    assert "公開予約" not in result.stdout  # publish_at decides, and it has passed
    assert "公開中: 2 件" in cli(scheduled, "status", now="2026-11-28 12:00").stdout


def test_published_at_is_never_later_than_the_release():
    from publisher.content.dates import parse_when
    from publisher.content.model import Item, Status

    def item(date: str, publish_at: str | None = None) -> Item:
        embargo = parse_when(publish_at).moment if publish_at else None
        return Item("n.md", "n/", "n", "t", "", "", 1, date=parse_when(date), publish_at=embargo)

    now = parse_when("2026-12-05 12:00").moment
    early = item("2027-01-10 09:00", publish_at="2026-12-01 09:00")
    assert early.status(now) is Status.PUBLISHED
    assert early.published_at == early.publish_at  # not the later date
    assert item("2027-01-10 09:00").status(now) is Status.SCHEDULED
    assert item("2026-12-01 09:00").published_at == parse_when("2026-12-01 09:00").moment


def test_status_lists_the_take_downs_to_come(tmp_path):
    project = _project(tmp_path, "2026-11-20 09:00", extra="expire_at: 2027-01-03 17:00\n")
    status = cli(project, "status", now="2026-11-28 12:00").stdout
    assert "掲載終了予定 2027年1月3日（日） 17:00: 初売り（events/2027/hatsuuri.md）" in status
    after = cli(project, "status", now="2027-01-04 09:00").stdout
    assert "掲載終了予定" not in after and "掲載終了: 1 件" in after


def test_an_alert_dated_minutes_ahead_is_said_to_wait(tmp_path):
    """An alert written at night with the clock's next minutes as its date would wait for them:
    check says so, naming the alert, and asks for a time before now (not "a day before today")."""
    alert = (
        "---\ntitle: 断水のお知らせ\ndate: 2026-11-28 12:10\nlevel: warning\n---\n\n本町で断水しています。\n"
    )
    project = write_project(
        tmp_path / "town",
        {"index.md": "---\ntitle: ホーム\n---\n\nようこそ。\n", "alerts/dansui.md": alert},
    )
    check = cli(project, "check", now="2026-11-28 12:00")
    assert check.returncode == 0, check.output
    assert (
        "content/alerts/dansui.md:3: 公開予約: 緊急・安全情報ですが、date（掲載日）が 2026年11月28日（土） 12:10 なので、"
        "その日時まで公開されません。すぐに公開するなら date を今より前の日時にしてください" in check.stdout
    )
