"""The LINE adapter, with the real line-bot-sdk, against a fake Messaging API on 127.0.0.1."""

from __future__ import annotations

import logging
import time
import traceback
import uuid
from dataclasses import replace

import pytest
from conftest import channel_env
from fakes.line_server import FakeLine
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    BroadcastRequest,
    Configuration,
    MessagingApi,
    TextMessage,
)

from publisher.syndication import line
from publisher.syndication.channel import ChannelError, Post

pytestmark = pytest.mark.slow  # a fake SNS server on 127.0.0.1

TOKEN = channel_env("line")["PUBLISHER_LINE_CHANNEL_TOKEN"]
URL = "https://town.example/news/2026/matsuri/"
TEXT = f"甘楽町ふるさと祭りを12月5日に開催します。\n{URL}"
IMAGE_URL = "https://town.example/cards/matsuri.png"


@pytest.fixture
def server():
    with FakeLine(TOKEN) as fake:
        yield fake


def connect(base_url: str, **changes: str) -> line.LineChannel:
    return line.from_env(channel_env("line", base_url, **changes))


@pytest.fixture
def channel(server):
    return connect(server.base_url)


@pytest.fixture
def post() -> Post:
    return Post(
        item_id="news/2026/matsuri",
        channel="line",
        text=TEXT,
        url=URL,
        title="ふるさと祭りを開催します",
        summary="12月5日（土）に開催します。当日は交通規制があります。",
        image=None,
        image_url=IMAGE_URL,
        image_alt="ふるさと祭りの案内カード",
        idempotency_key="news/2026/matsuri:line:publish",
    )


def error_from(channel, post) -> ChannelError:
    with pytest.raises(ChannelError) as caught:
        channel.publish(post)
    return caught.value


def test_publish_broadcasts_one_flex_card(server, channel, post):
    posted = channel.publish(post)

    [broadcast] = server.broadcasts
    [message] = broadcast["messages"]
    assert message["type"] == "flex"
    assert message["altText"] == TEXT
    card = message["contents"]
    assert card["type"] == "bubble"
    assert (card["hero"]["url"], card["hero"]["aspectRatio"]) == (IMAGE_URL, "1.91:1")
    title, summary = card["body"]["contents"]
    assert (title["text"], title["weight"], title["wrap"]) == (post.title, "bold", True)
    assert (summary["text"], summary["wrap"], summary["maxLines"]) == (post.summary, True, 3)
    [button] = card["footer"]["contents"]
    assert button["action"] == {"type": "uri", "label": "詳しく見る", "uri": URL}
    assert broadcast["retry_key"] == line.retry_key(post)
    assert (posted.remote_id, posted.remote_url) == (broadcast["request_id"], "")


def test_construction_makes_no_request(server):
    connect(server.base_url)
    assert server.requests == []


def test_without_an_image_url_the_card_has_no_hero(server, channel, post):
    channel.publish(replace(post, image_url=""))
    card = server.broadcasts[0]["messages"][0]["contents"]
    assert "hero" not in card


def test_a_long_text_is_cut_to_the_alt_text_limit(server, channel, post):
    channel.publish(replace(post, text="お知らせ🎉" * 600))  # 3,600 characters, emoji included
    alt = server.broadcasts[0]["messages"][0]["altText"]
    assert len(alt.encode("utf-16-le")) // 2 <= 1500
    assert alt.endswith("…") and alt.startswith("お知らせ🎉")


def test_the_retry_key_is_a_uuid_stable_per_idempotency_key(post):
    key = line.retry_key(post)
    assert str(uuid.UUID(key)) == key
    assert line.retry_key(replace(post, text="changed")) == key
    assert line.retry_key(replace(post, idempotency_key="news/2026/matsuri:line:reminder")) != key


def test_publishing_the_same_post_twice_broadcasts_once(server, channel, post):
    first = channel.publish(post)
    again = channel.publish(post)  # a retry after a crash: LINE answers 409 with the accepted request id
    assert again == first
    assert len(server.broadcasts) == 1
    assert [r["status"] for r in server.responses] == [200, 409]


def test_a_response_lost_after_the_broadcast_went_out_is_recovered_by_the_retry(server, channel, post):
    server.fail_next(500, after_processing=True)
    assert error_from(channel, post).retryable
    posted = channel.publish(post)
    assert [b["request_id"] for b in server.broadcasts] == [posted.remote_id]


def test_rate_limit_is_retryable_after_a_default_wait(server, channel, post):
    server.fail_next(429)
    error = error_from(channel, post)
    assert error.retryable
    assert error.retry_after == 60
    assert "rate limit" in str(error)
    assert server.broadcasts == []


def test_a_retry_after_header_is_honoured(server, channel, post):
    server.fail_next(429, headers={"Retry-After": "15"})
    assert error_from(channel, post).retry_after == 15


def test_the_monthly_message_limit_is_not_retryable(server, channel, post):
    server.fail_next(429, body={"message": "You have reached your monthly limit."})
    error = error_from(channel, post)
    assert not error.retryable and error.blocked  # the post waits for the quota
    assert "monthly limit" in str(error)


@pytest.mark.parametrize("status", [500, 503])
def test_server_errors_are_retryable(server, channel, post, status):
    server.fail_next(status)
    error = error_from(channel, post)
    assert error.retryable
    assert f"HTTP {status}" in str(error)


def test_an_invalid_message_is_not_retryable_with_lines_details(server, channel, post):
    error = error_from(channel, replace(post, image_url="http://town.example/cards/matsuri.png"))
    assert not error.retryable
    assert "The request body has 1 error(s)" in str(error)
    assert "messages[0].contents.hero.url: must be an HTTPS URL" in str(error)


def test_a_wrong_token_is_not_retryable(server, post):
    channel = connect(server.base_url, PUBLISHER_LINE_CHANNEL_TOKEN="wrong")
    error = error_from(channel, post)
    assert not error.retryable and error.blocked
    assert "Authentication failed" in str(error)
    assert "HTTP 401" in str(error)


def test_an_unreachable_server_is_retryable(post, unused_port):
    channel = connect(f"http://127.0.0.1:{unused_port}")
    error = error_from(channel, post)
    assert error.retryable
    assert "could not reach" in str(error)


def test_a_timeout_is_retryable(server, channel, post, monkeypatch):
    monkeypatch.setattr(line, "TIMEOUT", (0.3, 0.3))
    server.fail_next(200, delay=1.0)
    started = time.monotonic()
    error = error_from(channel, post)
    assert time.monotonic() - started < 1
    assert error.retryable
    assert "timed out" in str(error)


def test_the_fake_rejects_a_retry_key_that_is_not_a_uuid(server):
    api = MessagingApi(ApiClient(Configuration(access_token=TOKEN, host=server.base_url)))
    with pytest.raises(ApiException) as caught:
        api.broadcast(BroadcastRequest(messages=[TextMessage(text="test")]), x_line_retry_key="not-a-uuid")
    assert caught.value.status == 400
    assert server.broadcasts == []


def test_not_configured_without_a_token():
    assert line.from_env({}) is None
    assert line.from_env({"PUBLISHER_LINE_BASE_URL": "http://127.0.0.1:1"}) is None


def test_the_default_endpoint_is_api_line_me():
    channel = line.from_env(channel_env("line"))
    assert channel.base_url == "https://api.line.me"


def test_find_existing_relies_on_the_retry_key(channel, post):
    assert channel.find_existing(post) == []


def test_the_token_appears_nowhere(server, channel, post, caplog, capfd, unused_port):
    offline = connect(f"http://127.0.0.1:{unused_port}")
    # After the clients exist: every SDK Configuration() sets its own logger (and, unpatched, urllib3's) to WARNING.
    for name in (None, "urllib3", "linebot.v3.messaging"):
        caplog.set_level(logging.DEBUG, logger=name)
    for status in (400, 401, 429, 503):
        server.fail_next(status)
    errors = [error_from(channel, post) for _ in range(4)] + [error_from(offline, post)]
    posted = channel.publish(post)

    assert "Starting new HTTP connection" in caplog.text  # the debug logs were captured
    seen = [repr(channel), repr(offline), repr(posted), caplog.text, *capfd.readouterr()]
    for error in errors:
        seen += [str(error), repr(error), "".join(traceback.format_exception(error))]
    assert not [text for text in seen if TOKEN in text]


def test_a_token_echoed_by_a_proxy_is_scrubbed_from_the_error(server, channel, post, capfd):
    server.fail_next(401, body={"message": f"Bearer {TOKEN} is not valid"})
    error = error_from(channel, post)
    assert "Bearer *** is not valid" in str(error)
    # The SDK itself logs response bodies at DEBUG on "linebot.v3.messaging.rest" (WARNING unless enabled).
    seen = [str(error), repr(error), "".join(traceback.format_exception(error)), *capfd.readouterr()]
    assert not [text for text in seen if TOKEN in text]
