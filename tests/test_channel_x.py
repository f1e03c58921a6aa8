"""The X adapter, with real tweepy and requests-oauthlib, against a fake X API over HTTP."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import SENTINEL, channel_env, channel_error
from fakes.x_server import DUPLICATE, XServer
from PIL import Image

from publisher.syndication import x
from publisher.syndication.channel import Post, same_text

ENV = channel_env("x")
URL = "https://town.example/news/2026/aki-matsuri/"
pytestmark = [
    pytest.mark.usefixtures("no_secret_anywhere"),
    pytest.mark.slow,  # a fake SNS server on 127.0.0.1
]


@pytest.fixture
def server():
    secrets = {
        "consumer_secret": ENV["PUBLISHER_X_API_SECRET"],
        "token_secret": ENV["PUBLISHER_X_ACCESS_SECRET"],
    }
    with XServer(**secrets) as fake:
        yield fake


@pytest.fixture
def channel(server) -> x.XChannel:
    return x.from_env(channel_env("x", server.base_url))


@pytest.fixture
def png(tmp_path) -> Path:
    path = tmp_path / "card.png"
    Image.new("RGB", (120, 63), "#2e7d32").save(path)
    return path


def make_post(
    text: str = f"甘楽町秋まつりを開催します #甘楽町 {URL}", url: str = URL, image: Path | None = None
) -> Post:
    return Post(
        item_id="news/2026/aki-matsuri",
        channel="x",
        text=text,
        url=url,
        title="秋まつり",
        summary="11月3日、城下町で秋まつりを開催します。",
        image=image,
        image_url="",
        image_alt="秋まつりの山車と提灯",
        idempotency_key="news/2026/aki-matsuri:x:publish",
    )


def test_publish_uploads_the_image_sets_alt_text_and_posts_once(channel, server, png):
    posted = channel.publish(make_post(image=png))

    [tweet] = server.tweets
    assert tweet.text == make_post().text
    [media] = tweet.media
    assert (media.data, media.category, media.mime) == (png.read_bytes(), "tweet_image", "image/png")
    assert media.alt == "秋まつりの山車と提灯"
    assert posted.remote_id == tweet.id
    assert posted.remote_url == f"https://x.com/i/web/status/{tweet.id}"
    assert [path for _, path in server.requests] == ["/2/media/upload", "/2/media/metadata", "/2/tweets"]


def test_publish_without_image_posts_text_only(channel, server):
    channel.publish(make_post())
    assert [t.media for t in server.tweets] == [[]]
    assert server.requests == [("POST", "/2/tweets")]


def test_requests_are_signed_for_the_base_url_not_tweepys_host(server):
    # The fake verifies each OAuth 1.0a signature against the URL it received: a signature made
    # for https://api.twitter.com, or with other secrets, is refused like X refuses it.
    wrong = x.from_env(channel_env("x", server.base_url, PUBLISHER_X_ACCESS_SECRET="other"))
    error = channel_error(lambda: wrong.publish(make_post()))
    assert not error.retryable
    assert "X 401" in str(error) and "Unauthorized" in str(error)
    assert server.tweets == []


def test_rate_limit_is_retryable_after_the_reset_time(channel, server):
    server.fail_next(429, headers={"x-rate-limit-reset": str(int(time.time()) + 60)})
    error = channel_error(lambda: channel.publish(make_post()))
    assert error.retryable
    assert 58 <= error.retry_after <= 60
    assert "429" in str(error)


def test_rate_limit_reset_in_one_second(channel, server):
    server.fail_next(429)
    error = channel_error(lambda: channel.publish(make_post()))
    assert error.retryable and 0 <= error.retry_after <= 1.5


def test_server_error_is_retryable(channel, server):
    server.fail_next(503)
    error = channel_error(lambda: channel.publish(make_post()))
    assert error.retryable
    assert "X 503" in str(error)
    assert server.tweets == []


def test_failed_media_upload_posts_nothing(channel, server, png):
    server.fail_next(503, path="/2/media/upload")
    error = channel_error(lambda: channel.publish(make_post(image=png)))
    assert error.retryable
    assert server.tweets == []


def test_duplicate_content_is_not_retryable_and_says_why(channel, server):
    channel.publish(make_post())
    error = channel_error(lambda: channel.publish(make_post()))
    assert (
        not error.retryable and error.retry_after is None and not error.blocked
    )  # the post, not the account
    assert str(error) == f"X 403: {DUPLICATE}"
    assert len(server.tweets) == 1


def test_keys_without_write_access_block_the_account_not_the_post(channel, server):
    server.fail_next(
        403,
        body={
            "title": "Forbidden",
            "type": "https://api.twitter.com/2/problems/oauth1-permissions",
            "detail": "Your client app is not configured with the appropriate oauth1 app permissions "
            "for this endpoint.",
            "status": 403,
        },
        path="/2/tweets",
    )
    error = channel_error(lambda: channel.publish(make_post()))
    assert not error.retryable and error.blocked
    assert "X 403" in str(error) and server.tweets == []


def test_too_long_is_not_retryable_and_says_why(channel, server):
    error = channel_error(lambda: channel.publish(make_post(text="甘楽町" * 50 + " " + URL)))
    assert not error.retryable
    assert "X 400" in str(error) and "too long" in str(error)
    assert server.tweets == []


def test_unreachable_api_is_retryable(unused_port):
    channel = x.from_env(channel_env("x", f"http://127.0.0.1:{unused_port}"))
    error = channel_error(lambda: channel.publish(make_post()))
    assert error.retryable
    assert "could not reach" in str(error)


def test_find_existing_matches_the_expanded_link_behind_tco(channel, server):
    posted = channel.publish(make_post())
    assert URL not in server.tweets[0].shown  # X shows https://t.co/… in the text
    (found,) = channel.find_existing(make_post())
    assert found.remote_id == posted.remote_id and same_text(found.text, make_post().text)
    assert server.requests[-2:] == [("GET", "/2/users/me"), ("GET", f"/2/users/{server.user['id']}/tweets")]


def test_find_existing_returns_none_when_absent(channel, server):
    server.seed(f"別のお知らせ {URL}other/")
    server.seed(f"似たURL {URL[:-1]}")
    assert channel.find_existing(make_post()) == []


def test_find_existing_on_an_empty_timeline(channel):
    assert channel.find_existing(make_post()) == []


def test_find_existing_failure_is_a_channel_error(channel, server):
    server.fail_next(503, path="/2/users/me")
    assert channel_error(lambda: channel.find_existing(make_post())).retryable


def test_from_env_needs_all_four_credentials():
    assert x.from_env({}) is None
    for name in ENV:
        assert x.from_env({k: v for k, v in ENV.items() if k != name}) is None
        assert x.from_env(ENV | {name: "  "}) is None
    channel = x.from_env(ENV)
    assert channel.name == "x"
    assert "https://api.x.com" in repr(channel)
    assert SENTINEL not in repr(channel) + str(vars(channel).get("_base"))


def test_a_secret_echoed_by_the_server_is_masked(channel, server):
    server.fail_next(400, body={"detail": f"Bad consumer key {ENV['PUBLISHER_X_API_KEY']}"})
    error = channel_error(lambda: channel.publish(make_post()))
    assert str(error) == "X 400: Bad consumer key ***"


def test_a_server_echoing_the_oauth_header_and_the_image_leaks_nothing(channel, server, png):
    """A proxy that answers with the request it got: the OAuth header (consumer key, token,
    signature) and the image bytes; nothing of them may reach the message or the ledger."""
    server.fail_next(400, echo=True, path="/2/media/upload")
    error = str(channel_error(lambda: channel.publish(make_post(image=png))))
    assert not any(secret in error for secret in ENV.values())
    assert "oauth_signature" not in error.split("Authorization")[-1][:40] and "\x89PNG" not in error
    assert "'Authorization': '***'" in error and len(error) <= 500
