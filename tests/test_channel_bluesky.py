"""The Bluesky adapter, with the real atproto client, against a fake PDS over HTTP."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import SENTINEL, channel_env, channel_error
from fakes.bluesky_server import BlueskyServer
from PIL import Image

from publisher.syndication import bluesky
from publisher.syndication.channel import Post

PASSWORD = channel_env("bluesky")["PUBLISHER_BLUESKY_APP_PASSWORD"]
URL = "https://town.example/news/2026/aki-matsuri/"
TEXT = f"甘楽町秋まつりを開催します🎉 #甘楽町 #秋まつり\n詳しくは {URL}"
pytestmark = [
    pytest.mark.usefixtures("no_secret_anywhere"),
    pytest.mark.slow,  # a fake SNS server on 127.0.0.1
]


@pytest.fixture
def server():
    with BlueskyServer(password=PASSWORD) as fake:
        yield fake


def environ(server: BlueskyServer, **changes: str) -> dict[str, str]:
    return channel_env("bluesky", server.base_url, PUBLISHER_BLUESKY_HANDLE=server.handle, **changes)


@pytest.fixture
def channel(server) -> bluesky.BlueskyChannel:
    return bluesky.from_env(environ(server))


@pytest.fixture
def png(tmp_path) -> Path:
    path = tmp_path / "card.png"
    Image.new("RGB", (120, 63), "#2e7d32").save(path)
    return path


def make_post(text: str = TEXT, url: str = URL, image: Path | None = None) -> Post:
    return Post(
        item_id="news/2026/aki-matsuri",
        channel="bluesky",
        text=text,
        url=url,
        title="秋まつり",
        summary="11月3日、城下町で秋まつりを開催します。",
        image=image,
        image_url="",
        image_alt="秋まつりの山車と提灯",
        idempotency_key="news/2026/aki-matsuri:bluesky:publish",
    )


def spans(text: str, facets: list[dict]) -> list[tuple[str, dict]]:
    """Each facet's slice of the text, cut at its UTF-8 byte offsets, with its feature."""
    data = text.encode()
    return [
        (data[f["index"]["byteStart"] : f["index"]["byteEnd"]].decode(), f["features"][0]) for f in facets
    ]


def test_publish_creates_one_japanese_post_with_facets_and_a_link_card(channel, server, png):
    posted = channel.publish(make_post(image=png))

    [created] = server.posts
    assert created.text == TEXT
    assert created.langs == ["ja"]
    assert spans(TEXT, created.facets) == [
        ("#甘楽町", {"$type": "app.bsky.richtext.facet#tag", "tag": "甘楽町"}),
        ("#秋まつり", {"$type": "app.bsky.richtext.facet#tag", "tag": "秋まつり"}),
        (URL, {"$type": "app.bsky.richtext.facet#link", "uri": URL}),
    ]
    card = created.embed["external"]
    assert created.embed["$type"] == "app.bsky.embed.external"
    assert (card["uri"], card["title"], card["description"]) == (URL, make_post().title, make_post().summary)
    assert server.blobs[card["thumb"]["ref"]["$link"]] == ("image/png", png.read_bytes())
    assert card["thumb"]["mimeType"] == "image/png"
    rkey = created.uri.rsplit("/", 1)[-1]
    assert posted.remote_id == created.uri
    assert posted.remote_url == f"https://bsky.app/profile/{server.handle}/post/{rkey}"


def test_publish_without_image_has_a_card_without_thumb(channel, server):
    channel.publish(make_post())
    assert "thumb" not in server.posts[0].embed["external"]
    assert ("POST", "com.atproto.repo.uploadBlob") not in server.requests


def test_login_happens_once_and_not_on_construction(channel, server):
    assert server.requests == []
    channel.publish(make_post())
    channel.publish(make_post(text=TEXT + " 2"))
    assert [nsid for _, nsid in server.requests] == [
        "com.atproto.server.createSession",
        "com.atproto.server.getSession",
        "com.atproto.repo.createRecord",
        "com.atproto.repo.createRecord",
    ]


def test_a_session_near_expiry_is_refreshed(server):
    server.token_ttl = 60  # atproto refreshes 15 minutes before `exp`
    channel = bluesky.from_env(environ(server))
    channel.publish(make_post())
    assert ("POST", "com.atproto.server.refreshSession") in server.requests
    assert len(server.posts) == 1


def test_facets_use_utf8_byte_offsets():
    text = f"🎉秋まつり＃甘楽町 と #かんら町 詳細→{URL}。#最後"
    found = spans(text, [f.model_dump(by_alias=True) for f in bluesky.facets(text, URL)])
    # The link glued to "→" is still found, exactly, without the "。" after it; "＃甘楽町"
    # glued to text is not a hashtag, as in the Bluesky app.
    assert [(s, f.get("tag") or f.get("uri")) for s, f in found] == [
        ("#かんら町", "かんら町"),
        (URL, URL),
    ]


def test_facets_without_the_url_in_the_text():
    assert [f.features[0].tag for f in bluesky.facets("#甘楽町 のお知らせ", URL)] == ["甘楽町"]


def test_rate_limit_is_retryable_after_the_reset_time(channel, server):
    reset = str(int(time.time()) + 60)
    server.fail_next(429, headers={"ratelimit-reset": reset}, path="com.atproto.repo.createRecord")
    error = channel_error(lambda: channel.publish(make_post()))
    assert error.retryable
    assert 58 <= error.retry_after <= 60
    assert "Bluesky 429" in str(error)
    assert server.posts == []


def test_rate_limited_login_is_retryable(channel, server):
    server.fail_next(429, body={"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"})
    error = channel_error(lambda: channel.publish(make_post()))
    assert error.retryable and 0 <= error.retry_after <= 1.5
    assert str(error) == "Bluesky 429: RateLimitExceeded: Rate Limit Exceeded"
    channel.publish(make_post())  # logs in again on the next attempt
    assert len(server.posts) == 1


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_retryable(channel, server, status):
    server.fail_next(status, path="com.atproto.repo.createRecord")
    error = channel_error(lambda: channel.publish(make_post()))
    assert error.retryable
    assert f"Bluesky {status}" in str(error)


def test_too_long_is_not_retryable_and_says_why(channel, server):
    error = channel_error(lambda: channel.publish(make_post(text="甘楽町" * 100 + " " + URL)))
    assert not error.retryable and error.retry_after is None and not error.blocked
    assert "InvalidRequest" in str(error) and "300 graphemes" in str(error)


def test_wrong_password_is_not_retryable(server):
    channel = bluesky.from_env(environ(server, PUBLISHER_BLUESKY_APP_PASSWORD=f"{SENTINEL}-wrong"))
    error = channel_error(lambda: channel.publish(make_post()))
    assert not error.retryable and error.blocked  # the post waits until the password is fixed
    assert str(error) == "Bluesky 401: AuthenticationRequired: Invalid identifier or password"


def test_a_secret_echoed_by_the_server_is_masked(channel, server):
    server.fail_next(400, body={"error": "InvalidRequest", "message": f"bad password {PASSWORD}"})
    error = channel_error(lambda: channel.publish(make_post()))
    assert str(error) == "Bluesky 400: InvalidRequest: bad password ***"


def test_a_server_echoing_the_session_token_and_the_image_leaks_nothing(channel, server, png):
    channel.publish(make_post())  # logged in: every request now carries the session JWT
    server.fail_next(400, echo=True, path="com.atproto.repo.uploadBlob")
    error = channel_error(lambda: channel.publish(make_post(image=png)))
    tokens = [token for token in server._tokens if token.startswith("eyJ")]
    assert tokens and not any(token in str(error) for token in tokens)
    assert "Authorization': '***'" in str(error) and "eyJ" not in str(error)
    assert len(str(error)) <= 500 and "\x00" not in str(error)


def test_unreachable_pds_is_retryable(unused_port):
    channel = bluesky.BlueskyChannel(f"http://127.0.0.1:{unused_port}", "kanra-town.bsky.social", PASSWORD)
    error = channel_error(lambda: channel.publish(make_post()))
    assert error.retryable
    assert "could not reach" in str(error)


def test_find_existing_finds_our_post_in_the_repository(channel, server):
    posted = channel.publish(make_post())
    assert channel.find_existing(make_post()) == [replace(posted, text=TEXT)]
    assert server.requests[-1] == ("GET", "com.atproto.repo.listRecords")


def test_find_existing_needs_no_appview():
    """A PDS alone answers 400 to app.bsky.feed.getAuthorFeed; the repository's records suffice."""
    with BlueskyServer(password=PASSWORD, appview=False) as server:
        channel = bluesky.from_env(environ(server))
        posted = channel.publish(make_post())
        assert [p.remote_id for p in channel.find_existing(make_post())] == [posted.remote_id]
        assert ("GET", "app.bsky.feed.getAuthorFeed") not in server.requests


def test_find_existing_falls_back_to_the_author_feed(channel, server):
    posted = channel.publish(make_post())
    server.fail_next(501, path="com.atproto.repo.listRecords")
    assert [p.remote_id for p in channel.find_existing(make_post())] == [posted.remote_id]
    assert server.requests[-1] == ("GET", "app.bsky.feed.getAuthorFeed")


def test_find_existing_finds_a_post_by_its_link_card(channel, server):
    seeded = server.seed("秋まつりのお知らせです", embed_uri=URL)
    assert [p.remote_id for p in channel.find_existing(make_post())] == [seeded.uri]


def test_find_existing_returns_none_when_absent(channel, server):
    server.seed(f"別のお知らせ {URL}other/")
    server.seed("リンクなし")
    other = {"did": "did:plc:someoneelse0000000000000", "handle": "resident.bsky.social"}
    server.seed(f"町のお知らせを共有します {URL}", repost_of=other)  # not our post: a repost
    assert channel.find_existing(make_post()) == []
    server.fail_next(501, path="com.atproto.repo.listRecords")
    assert channel.find_existing(make_post()) == []  # the author feed lists the repost: still not ours


def test_find_existing_failure_is_a_channel_error(channel, server):
    server.fail_next(503, path="com.atproto.repo.listRecords")
    assert channel_error(lambda: channel.find_existing(make_post())).retryable


def test_from_env_needs_handle_and_app_password():
    full = {"PUBLISHER_BLUESKY_HANDLE": "kanra-town.bsky.social", "PUBLISHER_BLUESKY_APP_PASSWORD": PASSWORD}
    assert bluesky.from_env({}) is None
    assert bluesky.from_env({"PUBLISHER_BLUESKY_HANDLE": "kanra-town.bsky.social"}) is None
    assert bluesky.from_env({"PUBLISHER_BLUESKY_APP_PASSWORD": PASSWORD}) is None
    channel = bluesky.from_env(full)
    assert channel.name == "bluesky"
    assert "https://bsky.social" in repr(channel) and SENTINEL not in repr(channel)
