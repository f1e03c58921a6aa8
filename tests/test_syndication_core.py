"""Composition, platform lengths, the ledger and planning: the parts that decide what goes out."""

from __future__ import annotations

import json
import multiprocessing
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import yaml
from twitter_text import parse_tweet

from publisher.content.config import parse_site_config
from publisher.content.errors import FieldError
from publisher.content.lengths import LIMITS, cut_to, length, shorten
from publisher.content.reader import load_site
from publisher.content.sns_settings import Syndication, parse_sns, parse_syndication
from publisher.syndication.channel import ChannelError, scrub
from publisher.syndication.compose import PUBLISH, REMINDER, compose, idempotency_key
from publisher.syndication.ledger import PENDING, SENT, Entry, Ledger, LedgerBusy
from publisher.syndication.runner import plan

# Upstream twitter-text conformance data, vendored with its licence (see tests/data/twitter-text/README.md).
CONFORMANCE = Path(__file__).parent / "data/twitter-text/validate.yml"
SITE_URL = "https://town.example/"


def conformance(section: str) -> list[dict]:
    return yaml.safe_load(CONFORMANCE.read_text(encoding="utf-8"))["tests"][section]


@pytest.mark.parametrize(
    "case",
    conformance("WeightedTweetsWithDiscountedEmojiCounterTest")
    + conformance("UnicodeDirectionalMarkerCounterTest"),
    ids=lambda c: c["description"],
)
def test_x_lengths_pass_the_twitter_text_conformance_file(case):
    """X's current counting (config v3: CJK weigh 2, URLs 23, emoji discounted), every field upstream checks."""
    result = parse_tweet(case["text"])
    assert {key: getattr(result, key) for key in case["expected"]} == case["expected"]


def test_the_library_uses_the_upstream_v3_config():
    upstream = json.loads((CONFORMANCE.parent / "config-v3.json").read_text())
    used = parse_tweet.__defaults__[0]
    assert {
        k: used[k] for k in ("max_weighted_tweet_length", "scale", "default_weight", "transformed_url_length")
    } == {
        k: upstream[
            {
                "max_weighted_tweet_length": "maxWeightedTweetLength",
                "default_weight": "defaultWeight",
                "transformed_url_length": "transformedURLLength",
            }.get(k, k)
        ]
        for k in ("max_weighted_tweet_length", "scale", "default_weight", "transformed_url_length")
    }
    assert used["ranges"] == upstream["ranges"]


def test_platform_lengths():
    url = "https://www.town.kanra.lg.jp/news/2026/a-very-long-slug-for-a-news-item-about-the-town/"
    assert length("x", "あ" * 10 + " " + url) == 20 + 1 + 23
    assert length("mastodon", "あ" * 10 + " " + url) == 10 + 1 + 23
    assert length("bluesky", "👨‍👩‍👧‍👦が") == 2  # one family emoji is one grapheme
    assert shorten("👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦", 1) == "👨‍👩‍👧‍👦…"


def _site(tmp_path: Path, files: dict[str, str], now: str = "2026-06-01T12:00+09:00", syndication=None):
    for name, text in files.items():
        path = tmp_path / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    options = {"town_name": "テスト町", "categories": [{"slug": "kurashi", "label": "くらし"}]}
    if syndication:
        options["syndication"] = syndication
    config = parse_site_config(options)
    return load_site(tmp_path / "content", config, datetime.fromisoformat(now))


def news(slug: str, title: str, date: str, extra: str = "", body: str = "本文です。") -> tuple[str, str]:
    return (
        f"news/2026/{slug}.md",
        f"---\ntitle: {title}\ndate: {date}\ncategories: [kurashi]\n{extra}---\n{body}\n",
    )


def test_a_link_in_a_summary_is_kept_whole_or_left_out():
    summary = "申し込みは https://logoform.jp/form/kanra/12345 から受け付けます。"
    for keep in range(len(summary) + 1):
        cut = shorten(summary, keep)
        assert "https://" not in cut or "https://logoform.jp/form/kanra/12345" in cut, cut
    assert shorten(summary, 20) == "申し込みは…"


def test_alt_text_is_cut_to_a_number_of_characters_between_graphemes():
    family = "👨‍👩‍👧‍👦"  # seven code points, one grapheme
    assert cut_to("短い説明", 10) == "短い説明"
    assert cut_to("あ" * 8 + family, 10) == "あ" * 8 + "…"  # the family would not fit whole
    assert cut_to(family * 3, 15) == family * 2 + "…" and len(cut_to("い" * 2000, 1000)) == 1000


def test_long_japanese_text_is_cut_on_a_grapheme_with_ellipsis_and_the_link_kept(tmp_path):
    site = _site(tmp_path, dict([news("long", "長いお知らせ", "2026-05-01", body="あ" * 400)]))
    item = site.news[0]
    settings = Syndication(site_hashtags=("#テスト町",))
    for channel in LIMITS:
        post = compose(item, channel, PUBLISH, settings, SITE_URL, None)
        assert length(channel, post.text) <= LIMITS[channel], channel
        assert "https://town.example/news/2026/long/" in post.text
        assert "#テスト町" in post.text or channel == "line"
    x = compose(item, "x", PUBLISH, settings, SITE_URL, None)
    assert "あ…" in x.text and length("x", x.text) >= 270


def test_alert_prefix_reminder_prefix_custom_text_and_hashtags(tmp_path):
    files = dict(
        [news("a", "お知らせ", "2026-05-01", extra="sns:\n  text:\n    x: Xだけの文面です\n  skip: [line]\n")]
    )
    files["alerts/flood.md"] = (
        "---\ntitle: 大雨\ndate: 2026-05-02\nlevel: emergency\n---\n避難してください。\n"
    )
    site = _site(tmp_path, files)
    settings = Syndication(hashtags=(("kurashi", ("#くらし",)),), site_hashtags=("#町",))
    alert = next(i for i in site.items if i.kind == "alert")
    assert compose(alert, "mastodon", PUBLISH, settings, SITE_URL, None).text.startswith("【緊急】大雨")
    item = site.news[0]
    x = compose(item, "x", PUBLISH, settings, SITE_URL, None)
    assert x.text == "Xだけの文面です\nhttps://town.example/news/2026/a/\n#町 #くらし"
    assert compose(item, "mastodon", PUBLISH, settings, SITE_URL, None).text.startswith(
        "お知らせ\n\n本文です。"
    )
    assert compose(item, "x", REMINDER, settings, SITE_URL, None).idempotency_key == idempotency_key(
        item.id, "x", REMINDER
    )
    assert item.sns.skip == ("line",)


def test_hashtags_typed_with_the_full_width_sign_are_the_same_tags():
    settings = parse_syndication(
        {"site_hashtags": ["＃甘楽町", "#甘楽町", "甘楽町"], "hashtags": {"kanko": ["＃城下町小幡"]}}
    )
    assert settings.site_hashtags == ("#甘楽町",) * 3
    assert dict(settings.hashtags)["kanko"] == ("#城下町小幡",)


def test_sns_front_matter_is_validated():
    with pytest.raises(
        FieldError, match="skip（1番目）の値「facebook」は使えません。x・mastodon・bluesky・line"
    ):
        parse_sns({"skip": ["facebook"]})
    with pytest.raises(FieldError, match="image の値「big」は使えません。card（SNS用の画像）"):
        parse_sns({"image": "big"})
    assert parse_sns({"skip": True}).skip == ("x", "mastodon", "bluesky", "line")


def test_ledger_is_written_after_every_change_and_survives_reloading(tmp_path):
    path = tmp_path / "data/ledger.json"
    ledger = Ledger(path)
    ledger.put(Entry("news/2026/a", "x", "publish", PENDING, "k", attempts=1), "2026-06-01T12:00:00+09:00")
    assert json.loads(path.read_text())["entries"][0]["status"] == PENDING
    ledger.put(
        Entry("news/2026/a", "x", "publish", SENT, "k", attempts=1, remote_id="9"),
        "2026-06-01T12:01:00+09:00",
    )
    again = Ledger(path).get("news/2026/a", "x", "publish")
    assert (again.status, again.remote_id, again.created_at) == (SENT, "9", "2026-06-01T12:00:00+09:00")
    assert [p.name for p in path.parent.iterdir()] == ["ledger.json"]  # no temporary file left


def _hold_lock(path: str, ready, release) -> None:
    with Ledger(Path(path)).locked():
        ready.set()
        release.wait(10)


def test_only_one_run_at_a_time(tmp_path):
    path = str(tmp_path / "ledger.json")
    ready, release = multiprocessing.Event(), multiprocessing.Event()
    holder = multiprocessing.Process(target=_hold_lock, args=(path, ready, release))
    holder.start()
    try:
        assert ready.wait(10)
        with pytest.raises(LedgerBusy):
            with Ledger(Path(path)).locked(wait=0.5):
                pass
    finally:
        release.set()
        holder.join(10)
    with Ledger(Path(path)).locked(wait=1):
        pass


def test_plan_puts_alerts_first_then_oldest_and_holds_the_rest_by_the_hourly_limit(tmp_path):
    files = dict(news(f"n{n}", f"記事{n}", f"2026-05-0{n}") for n in range(1, 6))
    files["alerts/a.md"] = "---\ntitle: 注意\ndate: 2026-05-31\nlevel: warning\n---\n注意してください。\n"
    site = _site(tmp_path, files)
    ledger = Ledger(tmp_path / "ledger.json")
    now_jobs, held = plan(site, Syndication(per_hour=2), ledger, ("x",))
    assert [j.item.id for j in now_jobs] == ["alerts/a", "news/2026/n1", "news/2026/n2"]
    assert [j.item.id for j in held] == ["news/2026/n3", "news/2026/n4", "news/2026/n5"]
    recent = (site.now - timedelta(minutes=10)).isoformat()
    ledger.put(Entry("news/2026/n1", "x", "publish", SENT), recent)
    ledger.put(Entry("news/2026/n2", "x", "publish", SENT), recent)
    now_jobs, held = plan(site, Syndication(per_hour=2), ledger, ("x",))
    assert [j.item.id for j in now_jobs] == ["alerts/a"] and len(held) == 3


def test_reminder_is_due_days_before_an_announced_event(tmp_path):
    files = {
        "events/2026/fes.md": "---\ntitle: 祭り\ndate: 2026-05-01\nstart: 2026-06-10 10:00\nplace: 広場\n"
        "categories: [kurashi]\n---\n祭りです。\n"
    }
    site = _site(tmp_path, files, now="2026-06-08T09:00+09:00")
    ledger = Ledger(tmp_path / "ledger.json")
    ledger.put(Entry("events/2026/fes", "x", "publish", SENT), "2026-05-01T10:00:00+09:00")
    jobs, _ = plan(site, Syndication(reminder_days=3), ledger, ("x",))
    assert [(j.item.id, j.kind) for j in jobs] == [("events/2026/fes", REMINDER)]
    assert plan(site, Syndication(reminder_days=0), ledger, ("x",))[0] == []


@pytest.mark.parametrize(
    ("echoed", "kept"),
    [
        ("{'Authorization': 'Bearer abcdefghijklmnop1234'}", "{'Authorization': '***'}"),
        ('Authorization: OAuth oauth_consumer_key="k", oauth_signature="s%3D"', "Authorization: ***"),
        (
            '{"accessJwt": "eyJhbGciOiJFUzI1NksifQ.eyJzdWIiOiJkaWQifQ.c2ln", "handle": "town"}',
            '"accessJwt": "***"',
        ),
        ("session eyJ0eXAiOiJhdCtqd3QifQ.eyJzdWIiOiJkaWQifQ.sig in use", "session *** in use"),
        ("Cookie: session=abc123; theme=dark", "Cookie: ***"),
        ("POST /oauth/token?access_token=zzz&x=1", "access_token=***&x=1"),
        ("proxy said: bearer 0123456789abcdef", "bearer ***"),
    ],
)
def test_credentials_a_server_echoes_are_scrubbed_from_channel_errors(echoed, kept):
    error = ChannelError(f"Bluesky 400: {echoed}", retryable=False)
    assert kept in str(error)
    assert not any(secret in str(error) for secret in ("abcdefghijklmnop", '"k"', "abc123", "zzz", "eyJ"))


def test_channel_error_text_is_bounded_and_printable():
    image = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".decode("latin-1") * 400
    error = ChannelError(f"Mastodon 422: {image}", retryable=False)
    assert len(str(error)) <= 500
    assert not any(ch in str(error) for ch in "\x00\x1a\x89")


def test_known_secrets_are_scrubbed_longest_first():
    assert scrub("key abc and abcdef", ("abc", "abcdef")) == "key *** and ***"
