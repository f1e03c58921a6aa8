"""Command line: the only place where problems become exit codes."""

from __future__ import annotations

import logging
import os
import sys
from collections import Counter
from pathlib import Path

import click

from .bulletin.importer import BulletinError, import_bulletin, review_page
from .commands.changes import is_recorded_ledger, report_against
from .commands.new_item import KINDS as NEW_KINDS
from .commands.new_item import NewItem, NewItemError
from .commands.new_item import create as create_item
from .commands.new_questions import ask_new_item
from .commands.review_summary import Addresses
from .commands.review_summary import markdown as changes_markdown
from .commands.status import status_lines
from .content.checks import image_problems
from .content.config import PREVIEW_VARIABLE, load_project, preview_url
from .content.dates import format_when, now
from .content.errors import ContentErrors, FieldError, add_to_job_summary, summary
from .content.model import Status
from .content.reader import load_site, shown_dir
from .content.schema import ALERT, KIND_LABELS
from .content.sns_settings import CHANNELS
from .media.plan import broken_images
from .syndication import report
from .syndication.command import SyndicationError, ledger_path, wait_until_live
from .syndication.command import syndicate as run_syndicate
from .syndication.ledger import LedgerBusy, LedgerError
from .syndication.pr_summary import pull_request_posts as sns_section

CONFIG_OPTION = click.option(
    "--config",
    "config_file",
    default="mkdocs.yml",
    show_default=True,
    type=click.Path(path_type=Path),
    help="サイトの設定ファイル（mkdocs.yml）",
)


@click.group(help="町のサイトの CMS: コンテンツの確認、ビルド後の確認、SNS 配信、広報紙の取り込み。")
def main() -> None:
    pass


@main.command(
    help="content/ の全ファイルを確認し、問題をすべて「ファイル:行: 内容」で表示します。"
    "警告（アクセシビリティの決まりなど）だけなら成功として終わります。"
)
@CONFIG_OPTION
def check(config_file: Path) -> None:
    site = _load(config_file)
    project = load_project(config_file)
    content_dir, cache_dir = project.content_dir, project.root / ".cache"
    broken = broken_images(site, content_dir, cache_dir)
    pictures = [image_problems(site, e.src, str(e), shown_dir(content_dir)) for e in broken]
    if pictures:
        _report(ContentErrors([*site.warnings, *(p for found in pictures for p in found.errors)]))
        sys.exit(1)
    _print(site.warnings)
    add_to_job_summary(site.warnings)
    _tell_dated_schedules(site, shown_dir(content_dir))
    counts = Counter(item.kind for item in site.items)
    kinds = "、".join(f"{label} {counts[kind]}" for kind, label in KIND_LABELS.items() if counts[kind])
    if site.warnings:
        click.echo(
            f"エラーはありません（{len(site.items)} ファイル: {kinds}）。"
            f"警告 {len(site.warnings)} 件: 上の「ファイル:行」を確認してください"
        )
    else:
        click.echo(f"問題はありません（{len(site.items)} ファイル: {kinds}）")


def _tell_dated_schedules(site, shown: str) -> None:
    """A date later than now without publish_at holds the item back: not an error, but staff who
    typed the event's day into 掲載日 must learn it here, not from a missing page."""
    for item in site.items:
        if item.status(site.now) is Status.SCHEDULED and not item.publish_at:  # held by its date
            alert = "緊急・安全情報ですが、" if item.kind == ALERT else ""
            click.echo(
                f"{shown}{item.src}:{item.line_of('date')}: 公開予約: {alert}date（掲載日）が "
                f"{format_when(item.date)} なので、その日時まで公開されません。"
                "すぐに公開するなら date を今より前の日時にしてください"
                + ("" if alert else "（イベントの日は start に書きます）")
            )


@main.command(help="公開状態の一覧: 公開中・下書き・公開予約・掲載終了の件数と、次に公開されるもの。")
@CONFIG_OPTION
def status(config_file: Path) -> None:
    for line in status_lines(_load(config_file)):
        click.echo(line)


@main.command(
    help="このブランチを取り込むと公開・更新・非公開になるページ（本文、直したページは変更前後）と SNS への"
    "投稿（いつ投稿されるかの見込みつき）を、比較元（--base）と比べて Markdown で表示します（プルリクエストの確認用）。"
)
@CONFIG_OPTION
@click.option("--base", default="origin/main", show_default=True, help="比較元の git のリビジョン")
@click.option(
    "--preview-url",
    "preview",
    default="",
    envvar=PREVIEW_VARIABLE,
    help="このプルリクエストのプレビューのアドレス（ページのリンク先にします。なければ本文だけを表示）",
)
def changes(config_file: Path, base: str, preview: str) -> None:
    project = _project(config_file)
    head = _load(config_file)
    try:
        addresses = Addresses(preview_url(preview, project.site_url, project.site.admin.url))
    except FieldError as error:
        click.echo(f"エラー: {error}", err=True)
        sys.exit(1)
    report = report_against(project, head, base)
    click.echo(changes_markdown(report, head.config, addresses))
    recorded = is_recorded_ledger(ledger_path(project, head.config.syndication, os.environ))
    click.echo("\n".join(sns_section(project, head, report.released, report.edited, recorded=recorded)))


@main.command(
    help="公開中の記事・イベント・緊急情報のうち、まだ SNS に投稿していないものを投稿します。"
    "各チャンネルの認証情報は環境変数から読みます（設定のないチャンネルは試し実行になります）。"
)
@CONFIG_OPTION
@click.option("--dry-run", is_flag=True, help="何も投稿せず、投稿する内容と文字数を表示します")
@click.option("--json", "as_json", is_flag=True, help="結果を 1 行 1 件の JSON で出力します")
@click.option(
    "--seed", "do_seed", is_flag=True, help="いま公開中のものをすべて投稿済みとして記録します（導入時に一度）"
)
@click.option("--channel", type=click.Choice(CHANNELS), help="このチャンネルだけを対象にします")
@click.option("--brief", is_flag=True, help="投稿文を省いて件数と題名だけを表示します")
def syndicate(
    config_file: Path, dry_run: bool, as_json: bool, do_seed: bool, channel: str | None, brief: bool
) -> None:
    project = _project(config_file)
    site = _load(config_file)
    try:
        result = run_syndicate(project, site, dry_run=dry_run, do_seed=do_seed, only=channel)
    except ContentErrors as error:  # a broken picture, named at the lines that show it
        _report(error)
        sys.exit(1)
    except (SyndicationError, LedgerError, FieldError) as error:  # FieldError: e.g. no Japanese font
        click.echo(f"エラー: {error}", err=True)
        sys.exit(2)
    except LedgerBusy:
        click.echo("エラー: 別の SNS 配信が実行中です。終わってからもう一度実行してください", err=True)
        sys.exit(2)
    outcomes = list(result.outcomes)
    if as_json:
        click.echo("\n".join(report.json_lines(outcomes)) if outcomes else "", nl=bool(outcomes))
        sys.exit(0 if report.everything_went_out(outcomes) else 1)
    for name in result.unconfigured:
        click.echo(f"{name}: 認証情報（環境変数）が設定されていないため、試し実行として表示します")
    if dry_run:
        click.echo("試し実行です。何も投稿しません。")
    click.echo(
        "\n".join(report.details(outcomes, with_text=not brief))
        if outcomes
        else "新しく投稿するものはありません。"
    )
    click.echo("\n".join(report.summary(outcomes)))
    click.echo(f"配信台帳: {result.ledger}")
    sys.exit(0 if report.everything_went_out(outcomes) else 1)


@main.command("wait-live", help="公開（デプロイ）のあと、SNS に投稿するページが表示されるまで待ちます。")
@CONFIG_OPTION
@click.option("--timeout", default=600, show_default=True, help="待つ最長の秒数")
def wait_live(config_file: Path, timeout: int) -> None:
    missing = wait_until_live(_project(config_file), _load(config_file), timeout)
    for url in missing:
        click.echo(f"まだ表示されません: {url}", err=True)
    if missing:
        sys.exit(1)
    click.echo("投稿するページはすべて表示されています。")


@main.command(
    help="お知らせ・イベント・ページ・緊急情報の新しいファイルを、正しい場所にひな形から下書きとして作ります。"
    "足りない項目は質問します。"
)
@CONFIG_OPTION
@click.argument("kind", type=click.Choice(NEW_KINDS), required=False)
@click.option("--title", default="", help="タイトル")
@click.option(
    "--slug", default="", help="ファイル名（半角英小文字・数字・ハイフン。省略すると日付から作ります）"
)
@click.option("--category", default="", help="分類のスラッグか名前（例: kurashi、くらし）")
@click.option("--section", default="", help="ページを置くフォルダ（例: kurashi）")
@click.option("--start", default="", help="イベントの開始日時（例: 2026-12-06 10:00）")
@click.option("--place", default="", help="イベントの場所")
@click.option(
    "--level", type=click.Choice(["emergency", "warning", "info"]), help="緊急度（省略すると info）"
)
def new(
    config_file: Path,
    kind: str | None,
    title: str,
    slug: str,
    category: str,
    section: str,
    start: str,
    place: str,
    level: str | None,
) -> None:
    project = _project(config_file)
    given = NewItem(kind or "", title, slug, category, section, start, place, level or "")
    try:
        created = create_item(ask_new_item(given, project, now()), project, now())
    except NewItemError as error:
        click.echo(f"エラー: {error}", err=True)
        sys.exit(1)
    except (click.Abort, KeyboardInterrupt):  # Ctrl+C, or the answers ran out: not click's "Aborted!"
        click.echo("\n中止しました。ファイルは作っていません。", err=True)
        sys.exit(1)
    click.echo(f"作成しました: {created.path}")
    click.echo(
        "下書き（draft: true）として作りました。本文の「ここに…書きます」を書き換えてから、"
        "draft: true の行を消すと公開されます。"
    )
    if created.elsewhere:
        click.echo("注意: ほかのファイルに問題があります（作ったファイルには問題ありません）:")
        _print(created.elsewhere)


@main.group(help="紙の広報紙（PDF・Word）をウェブの記事とイベントの下書きに変換します。")
def bulletin() -> None:
    pass


@bulletin.command(
    "import",
    help="広報紙 1 号分（PDF か .docx）を読み取り、記事ごとの下書き・イベントの下書き・"
    "確認用の報告（reports/bulletins/）を作ります。既存のファイルは上書きしません。",
)
@CONFIG_OPTION
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--issue", required=True, help="号（YYYY-MM、例: 2026-01）")
@click.option(
    "--out", "out_dir", type=click.Path(path_type=Path), help="出力先（既定: content/bulletins/YYYY-MM/）"
)
@click.option(
    "--ocr",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="文字が読み取れないページを OCR で読むか",
)
@click.option("--force", is_flag=True, help="すでにあるファイルを上書きします")
def bulletin_import(
    config_file: Path, source: Path, issue: str, out_dir: Path | None, ocr: str, force: bool
) -> None:
    project = _project(config_file)
    _show_progress("publisher.bulletin")
    try:
        result = import_bulletin(
            source,
            issue,
            out_dir,
            project.content_dir,
            ocr=ocr,
            force=force,
            name=project.site.bulletin_name,
            category=None,
            report_dir=project.root / "reports/bulletins",
        )
    except BulletinError as error:
        click.echo(f"エラー: {error}", err=True)
        sys.exit(1)
    click.echo(result.summary())


@bulletin.command(
    "review",
    help="取り込んだ号の確認用のページ（紙面の切り抜きと読み取った文章を、確かめが必要な記事から並べたもの）を"
    "ブラウザで開きます。",
)
@CONFIG_OPTION
@click.argument("issue")
@click.option("--no-open", is_flag=True, help="ブラウザで開かず、ページの場所だけを表示します")
def bulletin_review(config_file: Path, issue: str, no_open: bool) -> None:
    try:
        path = review_page(_project(config_file).root, issue)
    except BulletinError as error:
        click.echo(f"エラー: {error}", err=True)
        sys.exit(1)
    click.echo(f"確認用のページ: {path.resolve()}")
    if not no_open:
        import webbrowser

        webbrowser.open(path.resolve().as_uri())


def _project(config_file: Path):
    try:
        return load_project(config_file)
    except ContentErrors as error:
        _report(error)
        sys.exit(1)


def _load(config_file: Path):
    try:
        project = load_project(config_file)
        return load_site(project.content_dir, project.site, now(), site_url=project.site_url)
    except ContentErrors as error:
        _report(error)
        sys.exit(1)
    except FieldError as error:
        click.echo(f"エラー: {error}", err=True)
        sys.exit(1)


def _show_progress(logger_name: str) -> None:
    """Long work reports each step on stderr (`publisher.bulletin`: each page read)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("  %(message)s"))
    logger = logging.getLogger(logger_name)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def _report(error: ContentErrors) -> None:
    _print(error.errors)
    click.echo(summary(error.errors), err=True)
    add_to_job_summary(error.errors)


def _print(problems) -> None:
    """Every problem as `path:line: message`; on GitHub Actions also as an annotation on that line."""
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in problems:
        click.echo(str(problem))
        if annotate:
            click.echo(problem.github_annotation())
