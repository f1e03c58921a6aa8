"""`publisher changes`: the pull-request summary, compared with the base revision in git.

Each test makes a real git repository in tmp with a base commit and a working tree the pull
request changes, and a real SNS ledger, and reads the Markdown the workflow writes into the
job summary.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from conftest import MINIMAL_CONFIG, cli, news, write_project
from PIL import Image

from publisher.content.config import load_project
from publisher.content.dates import JST
from publisher.content.reader import load_site
from publisher.site.render import SiteRenderer
from publisher.syndication.ledger import Entry

CHANNELS = ("x", "mastodon", "bluesky", "line")
EDITED_BODY = (
    "年末年始は、ごみの収集を休みます。収集を休む日は12月31日から1月3日までです。"
    "資源ごみも同じです。粗大ごみの受付も休みます。集積所の掃除にご協力ください。"
)


def git(project: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args],
        cwd=project,
        check=True,
        capture_output=True,
        env={
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.org",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.org",
            "PATH": "/usr/bin:/bin",
            "HOME": str(project),
        },
    )


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    return buffer.getvalue()


def committed(project: Path) -> Path:
    git(project, "init", "-q", "-b", "main")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "base")
    return project


def posted(project: Path, *item_ids: str) -> None:
    """A ledger in which these items went out on every channel (seeded when the town started)."""
    entries = [
        asdict(Entry(item_id, channel, "publish", "seeded", updated_at="2026-11-21T09:00:00+09:00"))
        for item_id in item_ids
        for channel in CHANNELS
    ]
    path = project / "data/sns-ledger.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"version": 1, "entries": entries}, ensure_ascii=False), encoding="utf-8")


def record_ledger(project: Path) -> None:
    """What `make ledger-fetch` leaves on GitHub: the ledger file is the sns-ledger branch's record
    (here the committed one, as origin/sns-ledger)."""
    git(project, "update-ref", "refs/remotes/origin/sns-ledger", "HEAD")


def pull_request(tmp_path: Path) -> Path:
    """A town whose pull request adds, edits, withdraws, schedules and drafts news; three older
    items not yet posted wait in the queue before it."""
    older = {
        f"news/2026/old-{n}.md": news(f"順番待ちのお知らせ{n}").replace("2026-11-20", "2026-11-01")
        for n in (1, 2, 3)
    }
    project = write_project(
        tmp_path / "town",
        {
            "index.md": "---\ntitle: ホーム\n---\n\nようこそ。\n",
            "kanko/michinoeki.md": "---\ntitle: 道の駅\n---\n\n道の駅の案内です。\n",
            "images/kanban.png": png(),
            "news/2026/kept.md": news("変わらないお知らせ"),
            "news/2026/edited.md": news("年末年始のごみ収集", EDITED_BODY),
            "news/2026/removed.md": news("消すお知らせ"),
            "news/2026/to-draft.md": news("下書きに戻すお知らせ"),
            **older,
        },
    )
    posted(project, "news/2026/kept", "news/2026/edited", "news/2026/removed", "news/2026/to-draft")
    committed(project)
    record_ledger(project)
    content = project / "content/news/2026"
    (content / "edited.md").write_text(
        news(
            "年末年始のごみ収集",
            EDITED_BODY.replace("1月3日", "1月4日"),
            extra="expire_at: 2027-01-10 17:00\n",
        ),
        encoding="utf-8",
    )
    (content / "removed.md").unlink()
    (content / "to-draft.md").write_text(
        news("下書きに戻すお知らせ", extra="draft: true\n"), encoding="utf-8"
    )
    (content / "fresh.md").write_text(
        news(
            "道の駅の営業時間が変わります",
            "12月から、営業時間を午前9時からに変えます。\n\n## 新しい営業時間\n\n"
            "- 平日: 午前9時から午後6時\n- 土日: 午前8時から午後6時\n\n"
            "くわしくは[道の駅のページ](../../kanko/michinoeki.md)をご覧ください。\n\n"
            "![新しい看板](../../images/kanban.png)\n",
            extra="expire_at: 2026-12-31 17:00\n",
        ),
        encoding="utf-8",
    )
    (content / "later.md").write_text(
        news("予約のお知らせ", extra="publish_at: 2026-12-01 09:00\n"), encoding="utf-8"
    )
    (content / "idea.md").write_text(news("書きかけのお知らせ", extra="draft: true\n"), encoding="utf-8")
    return project


def test_the_summary_shows_new_text_the_edit_expiry_and_this_pull_requests_posts_first(tmp_path):
    project = pull_request(tmp_path)

    result = cli(project, "changes", "--base", "main")

    assert result.returncode == 0, result.output
    text = result.stdout
    pages, sns = text.split("## SNS への投稿", 1)
    new = section(pages, "新しく公開されるページ（1 件）")
    # The new page's fields and text inline; its address as text, since it answers 404 until the merge.
    assert "| 掲載終了日時 | 2026年12月31日（木） 17:00 |" in new
    assert "> 12月から、営業時間を午前9時からに変えます。" in new
    assert "> ■ 新しい営業時間" in new and "> ・平日: 午前9時から午後6時" in new
    assert "> ・土日: 午前8時から午後6時" in new
    assert "> くわしくは道の駅のページをご覧ください。" in new  # the link's text, not its target
    assert "> ［画像: 新しい看板］" in new
    assert "公開後のアドレス `https://town.example/news/2026/fresh/`" in new
    assert "](https://town.example/news/2026/fresh/)" not in text
    # The edit: the changed field and only the changed sentence with one around it, changes marked.
    edit = section(pages, "内容が変わるページ（1 件）")
    assert "[公開中のページ](https://town.example/news/2026/edited/)" in edit
    assert "| 掲載終了日時 | （なし） | <b>2027年1月10日（日） 17:00</b> |" in edit
    assert "| 変更前 | 収集を休む日は12月31日から1月<del>3</del>日までです。 |" in edit
    assert "| 変更後 | 収集を休む日は12月31日から1月<b>4</b>日までです。 |" in edit
    assert "| （変更なし） | 年末年始は、ごみの収集を休みます。 |" in edit
    assert "| （変更なし） | 資源ごみも同じです。 |" in edit
    assert "粗大ごみ" not in edit  # two sentences away: left out
    # Expiry of scheduled and withdrawn pages, and drafts, as before.
    assert "公開予定 2026年12月1日（火） 9:00" in section(pages, "公開予約（日時が来ると自動で公開）（1 件）")
    assert section(pages, "公開をやめるページ（2 件）").splitlines() == [
        "- [消すお知らせ](https://town.example/news/2026/removed/)（お知らせ・`content/news/2026/removed.md`）　ファイルを削除",
        "- [下書きに戻すお知らせ](https://town.example/news/2026/to-draft/)（お知らせ・`content/news/2026/to-draft.md`）　下書き",
    ]
    assert section(pages, "下書き（公開されません）（1 件）").splitlines() == [
        "- 書きかけのお知らせ（お知らせ・`content/news/2026/idea.md`）"
    ]
    assert "変わらないお知らせ" not in text
    # SNS: the pull request's posts first, each channel with its time; the queue only after them, folded.
    x = section(sns, "X")
    assert x.startswith(
        "- **道の駅の営業時間が変わります**（お知らせ）: 頻度の上限のため次回: 2026年11月28日（土） 13:05 ごろ"
    )
    assert "    > `https://town.example/news/2026/fresh/`\n" in x  # the address as text, never a link
    assert "- **予約のお知らせ**（お知らせ）: 公開予約の日時のあと、2026年12月1日（火） 9:05 ごろ" in x
    assert all(f"### {name}\n" in sns for name in ("Mastodon", "Bluesky", "LINE"))
    assert "順番待ち" not in sns.split("<details>")[0]
    folded = sns.split("<details><summary>", 1)[1]
    assert folded.startswith(
        "ほかに投稿を待っているもの（このプルリクエストとは別のもの）: 3 件、のべ 12 投稿</summary>"
    )
    assert "- 順番待ちのお知らせ1（お知らせ）" in folded and folded.rstrip().endswith("</details>")
    assert (
        "**年末年始のごみ収集**（内容が変わるページ）は投稿済みのため、直しても SNS に投稿し直しません" in sns
    )


def test_an_alert_goes_out_at_once_and_an_events_reminder_when_its_window_opens(tmp_path):
    """Alerts are never held by the per-hour limit; a reminder goes in the first run of the
    reminder window (reminder_days: 3 before the start)."""
    project = pull_request(tmp_path)
    (project / "content/alerts").mkdir()
    (project / "content/alerts/kasai.md").write_text(
        "---\ntitle: 林野火災の発生\ndate: 2026-11-28 11:30\nlevel: emergency\n---\n\n秋畑地区で林野火災が発生しました。\n",
        encoding="utf-8",
    )
    (project / "content/events/2026").mkdir(parents=True)
    (project / "content/events/2026/kadomatsu.md").write_text(
        "---\ntitle: 門松づくり教室\ndate: 2026-11-02\ncategories: [kanko]\nstart: 2026-12-20 10:00\n"
        "place: 文化会館\nsns:\n  skip: [line]\n---\n\n門松をつくります。\n",
        encoding="utf-8",
    )

    sns = cli(project, "changes", "--base", "main").stdout.split("## SNS への投稿", 1)[1]

    x = section(sns, "X")
    assert x.startswith(
        "- **林野火災の発生**（緊急・安全情報）: 取り込み（マージ）後すぐの公開処理で投稿（数分後）"
    )
    assert "- **門松づくり教室**（イベント）: 頻度の上限のため次回: 2026年11月28日（土） 13:05 ごろ" in x
    assert (
        "- **門松づくり教室**（開催前のお知らせ。題名の前に【まもなく開催】が付きます）: 2026年12月17日（木） 10:05 ごろ"
        in x
    )
    assert "門松" not in section(sns, "LINE")
    assert "- **門松づくり教室** は LINE に投稿しません（sns の skip）" in section(
        sns, "SNS に投稿しないもの"
    )


def test_with_a_preview_pages_link_there_and_never_to_the_live_site_before_the_merge(tmp_path):
    project = pull_request(tmp_path)

    result = cli(project, "changes", "--base", "main", PUBLISHER_PREVIEW_URL="https://preview.example/pr-7")

    assert result.returncode == 0, result.output
    assert "> プレビュー: [https://preview.example/pr-7/](https://preview.example/pr-7/)" in result.stdout
    new = section(result.stdout, "新しく公開されるページ（1 件）")
    assert "[プレビューで見る](https://preview.example/pr-7/news/2026/fresh/)" in new
    assert "[プレビューで見る](https://preview.example/pr-7/news/2026/edited/)" in result.stdout
    assert "pr-7/news/2026/later/" not in result.stdout  # scheduled: not in the preview either
    assert "](https://town.example/news/2026/fresh/)" not in result.stdout


def test_a_preview_on_the_sites_or_the_editors_origin_is_refused(tmp_path):
    project = write_project(
        tmp_path / "town",
        {"news/2026/fresh.md": news("新しいお知らせ")},
        config=MINIMAL_CONFIG
        + "      admin:\n        enabled: true\n        url: https://admin.town.example/\n",
    )
    committed(project)

    on_site = cli(project, "changes", "--preview-url", "https://town.example/preview/")
    on_editor = cli(project, "changes", "--preview-url", "https://admin.town.example/pr-1/")
    plain_http = cli(project, "changes", "--preview-url", "http://preview.example/")

    assert on_site.returncode == on_editor.returncode == plain_http.returncode == 1
    assert "公開するサイト（site_url）（https://town.example/）と同じ場所（オリジン）です" in on_site.stderr
    assert (
        "管理画面（admin: url）（https://admin.town.example/）と同じ場所（オリジン）です" in on_editor.stderr
    )
    assert "https:// で始めてください" in plain_http.stderr
    assert on_site.stdout == on_editor.stdout == ""


def test_a_long_page_is_cut_with_a_note(tmp_path):
    project = committed(
        write_project(tmp_path / "town", {"index.md": "---\ntitle: ホーム\n---\n\nようこそ。\n"})
    )
    long_body = "\n\n".join(f"第{n}段落の文です。" * 10 for n in range(1, 11))
    (project / "content/news/2026").mkdir(parents=True)
    (project / "content/news/2026/long.md").write_text(news("長いお知らせ", long_body), encoding="utf-8")

    result = cli(project, "changes", "--base", "main")

    new = section(result.stdout, "新しく公開されるページ（1 件）")
    assert "第1段落の文です。" in new and "第10段落" not in new
    assert "（本文が長いため、最初の 800 字までを載せています。" in new


def test_no_change_says_so(tmp_path):
    project = write_project(tmp_path / "town", {"news/2026/kept.md": news("変わらないお知らせ")})
    posted(project, "news/2026/kept")
    committed(project)

    result = cli(project, "changes", "--base", "main")

    assert result.returncode == 0, result.output
    assert "公開されるページの変更はありません。" in result.stdout
    assert "このプルリクエストで SNS に投稿されるものはありません。" in result.stdout


def test_unknown_base_lists_everything_as_new_and_says_why(tmp_path):
    project = write_project(tmp_path / "town", {"news/2026/fresh.md": news("新しいお知らせ")})
    git(project, "init", "-q", "-b", "main")

    result = cli(project, "changes", "--base", "no-such-branch")

    assert result.returncode == 0, result.output
    assert "比較元 no-such-branch を読めません" in result.stdout
    assert "#### 新しいお知らせ" in section(result.stdout, "新しく公開されるページ（1 件）")
    assert (
        "SNS 配信台帳 data/sns-ledger.json がなく、投稿の記録（sns-ledger ブランチ）も読んでいないため、"
        "どの記事が投稿済みかが分からず、SNS への投稿の見込みは出せません" in result.stdout
    )


def test_a_scheduled_items_date_is_the_day_its_page_will_show(tmp_path):
    """The walkthrough's event: written on 12月7日 17:59, published on 12月10日, which its page shows."""
    project = committed(
        write_project(tmp_path / "town", {"index.md": "---\ntitle: ホーム\n---\n\nようこそ。\n"})
    )
    (project / "content/events/2026").mkdir(parents=True)
    (project / "content/events/2026/kengaku.md").write_text(
        "---\ntitle: 水道管の修繕工事の見学会\ndate: 2026-12-07 17:59\npublish_at: 2026-12-10 09:00\n"
        "categories: [kurashi]\nstart: 2026-12-20 10:00\nplace: 役場前\n---\n\n工事の現場を見学します。\n",
        encoding="utf-8",
    )

    result = cli(project, "changes", "--base", "main")

    scheduled = section(result.stdout, "公開予約（日時が来ると自動で公開）（1 件）")
    assert (
        "| 掲載日 | 2026年12月10日（木）（公開の日。date に書いた日時は 2026年12月7日（月） 17:59） |"
        in scheduled
    )
    loaded = load_project(project / "mkdocs.yml")
    site = load_site(loaded.content_dir, loaded.site, datetime(2026, 12, 11, tzinfo=JST))
    header = SiteRenderer(site, loaded.site_url).item_header(site.by_src()["events/2026/kengaku.md"])
    assert re.search(r"掲載日</span> <time[^>]*>2026年12月10日（木）</time>", header)


def test_without_the_posting_record_the_summary_says_it_cannot_tell_what_was_posted(tmp_path):
    """A practice clone has only main's starting copy of the ledger: an edit of an item posted
    since then looks like a post waiting. With the record (make ledger-fetch) it is known."""
    project = write_project(
        tmp_path / "town",
        {"news/2026/kept.md": news("変わらないお知らせ"), "news/2026/edited.md": news("年末年始のごみ収集")},
    )
    posted(project, "news/2026/kept")  # main's copy, from before the edited item went out
    committed(project)
    (project / "content/news/2026/edited.md").write_text(
        news("年末年始のごみ収集", "収集を休む日を直しました。"), encoding="utf-8"
    )

    stale = cli(project, "changes", "--base", "main").stdout.split("## SNS への投稿", 1)[1]

    assert (
        "**注意: 投稿の記録（sns-ledger ブランチの配信台帳）を読んでいないため、どの記事がすでに SNS に"
        in stale
    )
    assert "手元の記録では投稿済みと分からないもの: **年末年始のごみ収集**" in stale
    assert "- 年末年始のごみ収集（お知らせ）" in stale.split("<details>", 1)[1]  # looks like it waits

    git(project, "checkout", "-q", "-b", "sns-ledger")  # the publish workflow recorded it
    posted(project, "news/2026/kept", "news/2026/edited")
    git(project, "commit", "-q", "-m", "record posts", "--", "data/sns-ledger.json")
    git(project, "update-ref", "refs/remotes/origin/sns-ledger", "sns-ledger")
    git(project, "checkout", "-q", "main")
    posted(project, "news/2026/kept", "news/2026/edited")  # make ledger-fetch

    fetched = cli(project, "changes", "--base", "main").stdout.split("## SNS への投稿", 1)[1]

    assert "投稿の記録" not in fetched and "<details>" not in fetched
    assert (
        "**年末年始のごみ収集**（内容が変わるページ）は投稿済みのため、直しても SNS に投稿し直しません"
        in fetched
    )


def test_a_failed_check_writes_its_problems_with_file_and_line_to_the_job_summary(tmp_path):
    project = write_project(
        tmp_path / "town",
        {
            "news/2026/bad.md": "---\ntitle: 壊れたお知らせ\ndate: 2026-13-01\ncategories: [kurashi]\n---\n\n本文\n"
        },
    )
    summary = tmp_path / "summary.md"
    summary.write_text("前の手順の要約\n", encoding="utf-8")

    result = cli(project, "check", GITHUB_STEP_SUMMARY=str(summary))

    assert result.returncode == 1
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("前の手順の要約\n## 確認で問題が見つかりました\n")  # appended, not replaced
    assert re.search(
        r"^\| `content/news/2026/bad\.md` \| 3 \| date（掲載日）: .*13月はありません", written, re.M
    )


def section(text: str, heading: str) -> str:
    """The text under a heading, up to the next heading of its level or above."""
    match = re.search(rf"^(#+) {re.escape(heading)}$", text, re.M)
    assert match, f"no section {heading!r} in:\n{text}"
    body = text[match.end() :]
    end = re.search(rf"^#{{1,{len(match[1])}}} ", body, re.M)
    return (body[: end.start()] if end else body).strip()


def test_what_staff_write_cannot_pose_as_part_of_the_summary():
    """A value with line breaks would end its table and could add a heading of its own; a backtick
    after an address would end its code span and let HTML through; a file name with | or ` would
    split the check's table. Quoted in the summary, all of it stays text."""
    from publisher.content.errors import ContentError, job_summary
    from publisher.content.text_blocks import escape, unlinked

    forged = escape("概要\n\nSNS への投稿（のべ 0 件）\n===\n\n投稿されるものはありません。")
    assert "\n" not in forged and forged.startswith("概要 SNS")
    link = unlinked("https://a.example`<h1>偽の見出し</h1>`")
    assert link.startswith("`https://a.example`") and "<h1>" not in link and "\\<h1\\>" in link
    row = job_summary([ContentError("content/news/b|c`<i>.md", 3, "題名を書いてください")]).splitlines()
    line = next(r for r in row if "題名を書いてください" in r)
    assert line.replace("\\|", "").count("|") == 4  # the path's | stays inside its cell
    assert "| `content/news/b\\|c'<i>.md` |" in line  # inside its code span, HTML is shown as text
