"""The Mastodon adapter, with the real Mastodon.py, against a fake instance on 127.0.0.1."""

from __future__ import annotations

import logging
import time
import traceback
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import channel_env
from fakes.mastodon_server import FakeMastodon, status_length
from PIL import Image

from publisher.syndication import mastodon
from publisher.syndication.channel import ChannelError, Post, same_text

pytestmark = pytest.mark.slow  # a fake SNS server on 127.0.0.1

TOKEN = channel_env("mastodon")["PUBLISHER_MASTODON_TOKEN"]
URL = "https://town.example/news/2026/matsuri/"
TEXT = f"甘楽町ふるさと祭りを12月5日に開催します。\n{URL}\n#甘楽町"


@pytest.fixture
def server():
    with FakeMastodon(TOKEN) as fake:
        yield fake


def connect(base_url: str, **changes: str) -> mastodon.MastodonChannel:
    return mastodon.from_env(channel_env("mastodon", base_url, **changes))


@pytest.fixture
def channel(server):
    return connect(server.base_url)


@pytest.fixture
def post(tmp_path) -> Post:
    card = tmp_path / "matsuri.png"
    Image.new("RGB", (1200, 630), (27, 94, 32)).save(card)
    return Post(
        item_id="news/2026/matsuri",
        channel="mastodon",
        text=TEXT,
        url=URL,
        title="ふるさと祭り",
        summary="12月5日に開催します。",
        image=card,
        image_url="https://town.example/cards/matsuri.png",
        image_alt="ふるさと祭りの案内カード",
        idempotency_key="news/2026/matsuri:mastodon:publish",
    )


def error_from(channel, post) -> ChannelError:
    with pytest.raises(ChannelError) as caught:
        channel.publish(post)
    return caught.value


def test_publish_uploads_the_image_then_posts_one_status(server, channel, post):
    posted = channel.publish(post)

    [status] = server.statuses
    assert status["text"] == TEXT
    assert (status["language"], status["visibility"]) == ("ja", "public")
    [media_id] = status["media_ids"]
    media = server.media[media_id]
    assert media["description"] == "ふるさと祭りの案内カード"
    assert (media["content_type"], media["data"]) == ("image/png", post.image.read_bytes())
    assert posted.remote_id == status["id"]
    assert posted.remote_url == status["url"] == f"{server.base_url}/@town/{status['id']}"
    # no instance/version lookups: exactly the upload and the post
    assert server.requests == [("POST", "/api/v2/media"), ("POST", "/api/v1/statuses")]


def test_a_long_image_description_is_cut_to_what_mastodon_takes(server, channel, post):
    """A flyer transcribed into its alt text: Mastodon refuses a description over 1,500 characters."""
    long_alt = "ふるさと祭りのチラシ。" + "会場は甘楽町文化会館、時間は午前10時から。👨‍👩‍👧" * 100
    channel.publish(replace(post, image_alt=long_alt))
    [media] = server.media.values()
    assert len(media["description"]) <= 1500 and media["description"].endswith("…")
    assert long_alt.startswith(media["description"][:-1])


def test_construction_makes_no_request(server):
    connect(server.base_url)
    assert server.requests == []


def test_a_post_without_image_is_text_only(server, channel, post):
    channel.publish(replace(post, image=None))
    assert server.statuses[0]["media_ids"] == []
    assert server.requests == [("POST", "/api/v1/statuses")]


def test_an_upload_still_processing_is_awaited(post):
    with FakeMastodon(TOKEN, processing_polls=2) as server:
        channel = connect(server.base_url)
        channel.publish(post)
    [status] = server.statuses
    assert server.requests.count(("GET", f"/api/v1/media/{status['media_ids'][0]}")) == 2


def test_publishing_the_same_post_twice_makes_one_status(server, channel, post):
    first = channel.publish(post)
    again = channel.publish(post)  # a retry after a crash: same Post, same idempotency key
    assert again == first
    assert len(server.statuses) == 1


def test_a_response_lost_after_the_post_went_out_is_recovered_by_the_retry(server, channel, post):
    server.fail_next(502, after_processing=True, path="/api/v1/statuses")
    lost = error_from(channel, post)
    assert lost.retryable
    posted = channel.publish(post)
    assert [s["id"] for s in server.statuses] == [posted.remote_id]


def test_another_item_makes_another_status(server, channel, post):
    channel.publish(post)
    channel.publish(replace(post, idempotency_key="news/2026/other:mastodon:publish"))
    assert len(server.statuses) == 2


def test_rate_limit_is_retryable_with_the_reset_time_and_no_sleep(server, channel, post):
    server.fail_next(429)
    started = time.monotonic()
    error = error_from(channel, post)
    assert time.monotonic() - started < 2
    assert error.retryable
    assert 110 <= error.retry_after <= 122  # the fake's X-RateLimit-Reset is two minutes ahead
    assert server.statuses == []


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_are_retryable(server, channel, post, status):
    server.fail_next(status, path="/api/v1/statuses")
    error = error_from(channel, post)
    assert error.retryable
    assert f"HTTP {status}" in str(error)


def test_too_long_text_is_not_retryable_with_the_servers_reason(server, channel, post):
    error = error_from(channel, replace(post, text="祭" * 501))
    assert not error.retryable and not error.blocked
    assert "Validation failed: Text character limit of 500 exceeded" in str(error)
    assert server.statuses == []


def test_links_count_23_characters_like_mastodon(server, channel, post):
    long_link = "https://town.example/" + "a" * 200
    text = "祭" * 476 + " " + long_link  # 476 + 1 + 23 = 500
    assert status_length(text) == 500
    channel.publish(replace(post, text=text, image=None))
    assert len(server.statuses) == 1


def test_a_wrong_token_is_not_retryable(server, post):
    channel = connect(server.base_url, PUBLISHER_MASTODON_TOKEN="wrong")
    error = error_from(channel, post)
    assert not error.retryable and error.blocked
    assert "The access token is invalid" in str(error)


def test_an_unreachable_server_is_retryable(post, unused_port):
    channel = connect(f"http://127.0.0.1:{unused_port}")
    error = error_from(channel, post)
    assert error.retryable
    assert "could not reach" in str(error)


def test_a_timeout_is_retryable(server, post, monkeypatch):
    monkeypatch.setattr(mastodon, "TIMEOUT", 0.3)
    channel = connect(server.base_url)
    server.fail_next(200, delay=1.0)
    started = time.monotonic()
    error = error_from(channel, post)
    assert time.monotonic() - started < 1
    assert error.retryable
    assert "timed out" in str(error)


def test_an_unreadable_image_is_not_retryable(channel, post):
    error = error_from(channel, replace(post, image=Path("/nonexistent/card.png")))
    assert not error.retryable


@pytest.mark.parametrize(
    "environ",
    [
        {},
        channel_env("mastodon"),
        {"PUBLISHER_MASTODON_BASE_URL": "https://mastodon.example.jp"},
        {"PUBLISHER_MASTODON_TOKEN": "  ", "PUBLISHER_MASTODON_BASE_URL": "https://mastodon.example.jp"},
    ],
)
def test_not_configured_without_token_and_instance(environ):
    assert mastodon.from_env(environ) is None


def found_error(channel, post) -> ChannelError:
    with pytest.raises(ChannelError) as caught:
        channel.find_existing(post)
    return caught.value


def test_find_existing_finds_the_status_after_a_post(server, channel, post):
    posted = channel.publish(post)
    (found,) = channel.find_existing(post)
    assert found.remote_id == posted.remote_id and same_text(found.text, post.text)
    assert server.requests[-2:] == [
        ("GET", "/api/v1/accounts/verify_credentials"),
        ("GET", f"/api/v1/accounts/{server.account_id}/statuses"),
    ]


def test_find_existing_looks_at_40_statuses_newest_first(server, channel, post):
    posted = channel.publish(post)
    for n in range(39):
        server.add_status(f"お知らせ{n} https://town.example/news/2026/n{n}/")
    assert [p.remote_id for p in channel.find_existing(post)] == [posted.remote_id]  # the 40th newest
    server.add_status("もう一件")
    assert channel.find_existing(post) == []  # the 41st: beyond the page


def test_find_existing_on_an_empty_timeline(channel, post):
    assert channel.find_existing(post) == []


@pytest.mark.parametrize(
    "other",
    [
        "https://town.example/news/2026/other/",
        "https://town.example/news/2026/matsuri/more/",  # the post's URL is a prefix of this one
        "https://town.example/news/2026/matsuri/?utm=x",
    ],
)
def test_find_existing_ignores_other_urls(server, channel, post, other):
    channel.publish(replace(post, text=TEXT.replace(URL, other), url=other))
    assert channel.find_existing(post) == []


def test_find_existing_does_not_take_a_longer_url_for_a_prefix(server, channel, post):
    channel.publish(post)
    shorter = "https://town.example/news/2026/matsu"
    assert channel.find_existing(replace(post, url=shorter)) == []


def test_find_existing_accepts_punctuation_after_the_url(server, channel, post):
    seeded = server.add_status(f"詳しくは{URL}。")
    assert [p.remote_id for p in channel.find_existing(post)] == [seeded["id"]]


def test_find_existing_finds_a_status_by_its_link_card(server, channel, post):
    seeded = server.add_status("ふるさと祭りのお知らせ", card_url=URL)
    assert [p.remote_id for p in channel.find_existing(post)] == [seeded["id"]]


def test_find_existing_ignores_boosts(server, channel, post):
    server.add_status(TEXT, reblog_of=TEXT)
    assert channel.find_existing(post) == []


def test_find_existing_caches_the_account(server, channel, post):
    channel.find_existing(post)
    channel.find_existing(post)
    assert server.requests.count(("GET", "/api/v1/accounts/verify_credentials")) == 1


def test_a_retry_after_the_key_expired_is_detected(server, channel, post):
    server.fail_next(502, after_processing=True, path="/api/v1/statuses")
    assert error_from(channel, post).retryable  # the status went out; the answer was lost
    server.forget_idempotency_keys()  # an hour later, on the next run
    [found] = channel.find_existing(post)
    [status] = server.statuses
    assert found.remote_id == status["id"] and found.remote_url == status["url"]
    # without the look-up the retry would have posted twice
    channel.publish(post)
    assert len(server.statuses) == 2


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
@pytest.mark.parametrize("path", ["/api/v1/accounts/verify_credentials", None])
def test_find_existing_failures_are_retryable(server, channel, post, status, path):
    if path is None:  # the statuses request, after the account was looked up
        channel.find_existing(post)
        path = f"/api/v1/accounts/{server.account_id}/statuses"
    server.fail_next(status, path=path)
    assert found_error(channel, post).retryable


def test_find_existing_unreachable_or_timed_out_is_retryable(server, post, unused_port, monkeypatch):
    offline = connect(f"http://127.0.0.1:{unused_port}")
    assert "could not reach" in str(found_error(offline, post))
    monkeypatch.setattr(mastodon, "TIMEOUT", 0.3)
    slow = connect(server.base_url)
    server.fail_next(200, delay=1.0)
    error = found_error(slow, post)
    assert error.retryable and "timed out" in str(error)


def test_find_existing_with_a_wrong_token_is_not_retryable(server, post):
    channel = connect(server.base_url, PUBLISHER_MASTODON_TOKEN="wrong")
    error = found_error(channel, post)
    assert not error.retryable
    assert "The access token is invalid" in str(error)


def test_the_token_appears_nowhere(server, channel, post, caplog, capfd, unused_port):
    offline = connect(f"http://127.0.0.1:{unused_port}")
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="urllib3")  # in case an earlier test's client changed its level
    server.fail_next(401, body={"error": f"Bearer {TOKEN} is not valid"})  # a proxy echoing the header
    server.fail_next(429)
    server.fail_next(503)
    errors = [error_from(channel, post) for _ in range(3)] + [error_from(offline, post)]
    server.fail_next(401, body={"error": f"Bearer {TOKEN} is not valid"})
    server.fail_next(503)
    errors += [found_error(channel, post) for _ in range(2)] + [found_error(offline, post)]
    posted = channel.publish(post)
    found = channel.find_existing(post)

    assert "Starting new HTTP connection" in caplog.text  # urllib3's debug log was captured
    seen = [repr(channel), repr(offline), repr(posted), repr(found), caplog.text, *capfd.readouterr()]
    for error in errors:
        seen += [str(error), repr(error), "".join(traceback.format_exception(error))]
    assert "***" in str(errors[0]) and "***" in str(errors[4])
    assert not [text for text in seen if TOKEN in text]
