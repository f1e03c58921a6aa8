"""`publisher syndicate` for real: the real SDKs talk HTTP to fake X, Mastodon, Bluesky and LINE servers."""

from __future__ import annotations

import contextlib
import io
import json
import random
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from conftest import BIN, MINIMAL_CONFIG, program_env, publisher, write_project
from fakes.bluesky_server import BlueskyServer
from fakes.line_server import FakeLine
from fakes.mastodon_server import FakeMastodon
from fakes.x_server import XServer
from PIL import Image

pytestmark = pytest.mark.slow  # the command line as a subprocess against fake SNS servers

NOW = "2026-06-01 12:00"
SECRETS = {
    "PUBLISHER_X_API_KEY": "SENTINEL-X-KEY-1111",
    "PUBLISHER_X_API_SECRET": "SENTINEL-X-SECRET-2222",
    "PUBLISHER_X_ACCESS_TOKEN": "SENTINEL-X-TOKEN-3333",
    "PUBLISHER_X_ACCESS_SECRET": "SENTINEL-X-ASECRET-4444",
    "PUBLISHER_MASTODON_TOKEN": "SENTINEL-MASTODON-5555",
    "PUBLISHER_BLUESKY_APP_PASSWORD": "SENTINEL-BSKY-6666",
    "PUBLISHER_LINE_CHANNEL_TOKEN": "SENTINEL-LINE-7777",
}
CONFIG = MINIMAL_CONFIG + '      syndication:\n        per_hour: 100\n        site_hashtags: ["#テスト町"]\n'
ITEMS = {
    "news/2026/gomi.md": "---\ntitle: ごみ収集日の変更\ndate: 2026-05-01 09:00\ncategories: [kurashi]\n---\n5月からごみ収集日が変わります。\n",
    "news/2026/matsuri.md": "---\ntitle: 春まつりを開きました\ndate: 2026-05-10 09:00\ncategories: [kanko]\n---\nたくさんのご来場ありがとうございました。\n",
    "news/2026/kenshin.md": "---\ntitle: 健康診断のお知らせ\ndate: 2026-05-20 09:00\ncategories: [kurashi]\n---\n6月に集団健診を行います。\n",
    "events/2026/koza.md": "---\ntitle: こんにゃく教室\ndate: 2026-05-15\ncategories: [kanko]\nstart: 2026-07-10 10:00\n"
    'end: "12:00"\nplace: 公民館\n---\nこんにゃく作りを体験します。\n',
    "alerts/ame.md": "---\ntitle: 大雨に注意\ndate: 2026-05-31 18:00\nlevel: warning\n---\n川に近づかないでください。\n",
}
COUNT = len(ITEMS)


class Fakes:
    def __init__(self, x, bluesky, mastodon, line, env):
        self.x, self.bluesky, self.mastodon, self.line, self.env = x, bluesky, mastodon, line, env

    def counts(self) -> dict[str, int]:
        return {
            "x": len(self.x.tweets),
            "bluesky": len(self.bluesky.posts),
            "mastodon": len(self.mastodon.statuses),
            "line": len(self.line.broadcasts),
        }

    def posted_urls(self) -> dict[str, list[str]]:
        """Per channel, the permalink each created post carries (one entry per post)."""

        def link(text: str) -> str:
            return next(word for word in text.split() if word.startswith("https://town.example/"))

        return {
            "x": sorted(u["expanded_url"] for t in self.x.tweets for u in t.urls),
            "bluesky": sorted(link(p.record["text"]) for p in self.bluesky.posts),
            "mastodon": sorted(link(s["text"]) for s in self.mastodon.statuses),
            "line": sorted(
                b["messages"][0]["contents"]["footer"]["contents"][0]["action"]["uri"]
                for b in self.line.broadcasts
            ),
        }


@pytest.fixture
def fakes(tmp_path):
    with contextlib.ExitStack() as stack:
        x = stack.enter_context(
            XServer(
                consumer_secret=SECRETS["PUBLISHER_X_API_SECRET"],
                token_secret=SECRETS["PUBLISHER_X_ACCESS_SECRET"],
            )
        )
        # A PDS without an AppView, as a town's own PDS may be: recovery must work without one.
        bluesky = stack.enter_context(
            BlueskyServer(password=SECRETS["PUBLISHER_BLUESKY_APP_PASSWORD"], appview=False)
        )
        mastodon = stack.enter_context(FakeMastodon(SECRETS["PUBLISHER_MASTODON_TOKEN"]))
        line = stack.enter_context(FakeLine(SECRETS["PUBLISHER_LINE_CHANNEL_TOKEN"]))
        env = {
            **SECRETS,
            "PUBLISHER_X_BASE_URL": x.base_url,
            "PUBLISHER_BLUESKY_BASE_URL": bluesky.base_url,
            "PUBLISHER_BLUESKY_HANDLE": bluesky.handle,
            "PUBLISHER_MASTODON_BASE_URL": mastodon.base_url,
            "PUBLISHER_LINE_BASE_URL": line.base_url,
            "PUBLISHER_LEDGER": str(tmp_path / "ledger.json"),
        }
        yield Fakes(x, bluesky, mastodon, line, env)


@pytest.fixture
def project(tmp_path, fakes):
    root = write_project(tmp_path / "town", ITEMS, CONFIG)
    Path(fakes.env["PUBLISHER_LEDGER"]).write_text('{"version": 1, "entries": []}\n')
    return root


def syndicate(project: Path, fakes: Fakes, *args: str):
    return publisher(project, "syndicate", *args, now=NOW, **fakes.env)


def start_syndicate(project: Path, fakes: Fakes, now: str) -> subprocess.Popen:
    """`publisher syndicate` started in the background, for a test to kill."""
    command = [str(BIN / "publisher"), "syndicate"]
    env = program_env(now, **fakes.env)
    return subprocess.Popen(
        command, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def ledger(fakes: Fakes) -> list[dict]:
    return json.loads(Path(fakes.env["PUBLISHER_LEDGER"]).read_text())["entries"]


def assert_no_secret(*texts: str) -> None:
    for secret in SECRETS.values():
        for text in texts:
            assert secret not in text


def test_a_full_run_posts_every_item_once_per_channel_then_nothing(project, fakes):
    result = syndicate(project, fakes)
    assert result.returncode == 0, result.output
    assert fakes.counts() == {"x": COUNT, "bluesky": COUNT, "mastodon": COUNT, "line": COUNT}
    expected = sorted(f"https://town.example/{p[:-3]}/" for p in ITEMS)
    assert fakes.posted_urls() == {c: expected for c in ("x", "bluesky", "mastodon", "line")}
    assert (
        all(e["status"] == "sent" and e["remote_id"] for e in ledger(fakes))
        and len(ledger(fakes)) == 4 * COUNT
    )
    assert "SNS 配信のまとめ" in result.stdout and "投稿しました" in result.stdout
    again = syndicate(project, fakes)
    assert again.returncode == 0 and "新しく投稿するものはありません" in again.stdout
    assert fakes.counts() == {"x": COUNT, "bluesky": COUNT, "mastodon": COUNT, "line": COUNT}
    assert_no_secret(result.output, again.output, Path(fakes.env["PUBLISHER_LEDGER"]).read_text())


def test_the_alert_goes_first_and_posts_carry_lang_image_and_link_card(project, fakes):
    assert syndicate(project, fakes).returncode == 0
    assert fakes.x.tweets[0].text.startswith("【注意】大雨に注意")
    assert fakes.mastodon.statuses[0]["language"] == "ja" and fakes.mastodon.statuses[0]["media_ids"]
    assert fakes.bluesky.posts[0].record["langs"] == ["ja"]
    assert fakes.bluesky.posts[0].record["embed"]["external"]["uri"] == "https://town.example/alerts/ame/"
    hero = fakes.line.broadcasts[0]["messages"][0]["contents"]["hero"]["url"]
    assert hero.startswith("https://town.example/assets/cards/alerts-ame-") and hero.endswith("-1024.jpg")


def flyer_png() -> bytes:
    """A 1600 px PNG of noise: about 5.8 MB, so its variants straddle the platforms' size limits
    (X 5 MB, Bluesky 1,000,000 bytes) as a scanned flyer's can."""
    image = Image.frombytes("RGB", (1600, 1200), random.Random(7).randbytes(1600 * 1200 * 3))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_a_photo_too_large_for_a_platform_goes_out_narrower(tmp_path, fakes):
    """`sns: image: photo` with a large PNG: each channel gets the widest variant it accepts."""
    flyer = (
        "---\ntitle: 秋の文化祭のチラシ\ndate: 2026-05-20 09:00\ncategories: [kanko]\n"
        "image: ../../images/文化祭チラシ.png\nimage_alt: 文化祭の日程と会場を書いたチラシ\nsns:\n  image: photo\n---\n"
        "文化祭のチラシができました。\n"
    )
    project = write_project(
        tmp_path / "town", {"news/2026/flyer.md": flyer, "images/文化祭チラシ.png": flyer_png()}, CONFIG
    )
    Path(fakes.env["PUBLISHER_LEDGER"]).write_text('{"version": 1, "entries": []}\n')
    result = syndicate(project, fakes)
    assert result.returncode == 0, result.output
    assert fakes.counts() == {"x": 1, "bluesky": 1, "mastodon": 1, "line": 1}
    sent = {
        "x": fakes.x.tweets[0].media[0].data,
        "mastodon": fakes.mastodon.media[fakes.mastodon.statuses[0]["media_ids"][0]]["data"],
        "bluesky": fakes.bluesky.blobs[
            fakes.bluesky.posts[0].record["embed"]["external"]["thumb"]["ref"]["$link"]
        ][1],
    }
    widths = {channel: Image.open(io.BytesIO(data)).size[0] for channel, data in sent.items()}
    assert len(sent["x"]) <= 5 * 1024 * 1024 and len(sent["bluesky"]) <= 1_000_000
    assert widths["mastodon"] == 1600 and widths["x"] < 1600 and widths["bluesky"] < widths["x"], widths
    hero = fakes.line.broadcasts[0]["messages"][0]["contents"]["hero"]["url"]
    assert hero.endswith(("-960.png", "-480.png")), hero  # the photo, at most 1024 px
    assert hero.isascii() and "%E6%96%87%E5%8C%96%E7%A5%AD" in hero, hero  # 文化祭, percent-encoded


def test_a_site_url_without_its_final_slash_still_links_below_it(tmp_path, fakes):
    """A GitHub Pages project site: https://example.github.io/town must not lose "town"."""
    config = CONFIG.replace("site_url: https://town.example/", "site_url: https://example.github.io/town")
    project = write_project(tmp_path / "town", {"news/2026/gomi.md": ITEMS["news/2026/gomi.md"]}, config)
    result = syndicate(project, fakes, "--dry-run", "--json")
    assert result.returncode == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows and all(r["url"] == "https://example.github.io/town/news/2026/gomi/" for r in rows), rows


def test_editing_a_posted_item_does_not_post_it_again(project, fakes):
    assert syndicate(project, fakes).returncode == 0
    path = project / "content/news/2026/gomi.md"
    path.write_text(path.read_text().replace("ごみ収集日の変更", "ごみ収集日の変更（訂正）"))
    assert syndicate(project, fakes).returncode == 0
    assert fakes.counts() == {"x": COUNT, "bluesky": COUNT, "mastodon": COUNT, "line": COUNT}


def test_rate_limits_and_server_errors_are_retried(project, fakes):
    reset = str(int(time.time()) + 1)
    fakes.x.fail_next(
        429, headers={"x-rate-limit-reset": reset, "x-rate-limit-remaining": "0"}, path="/2/tweets"
    )
    fakes.bluesky.fail_next(503)
    fakes.mastodon.fail_next(502, path="/api/v1/statuses")
    fakes.line.fail_next(500)
    result = syndicate(project, fakes)
    assert result.returncode == 0, result.output
    assert fakes.counts() == {"x": COUNT, "bluesky": COUNT, "mastodon": COUNT, "line": COUNT}
    assert max(e["attempts"] for e in ledger(fakes)) == 2


def test_a_refusal_is_recorded_with_the_reason_and_the_other_channels_go_on(project, fakes):
    fakes.mastodon.fail_next(
        422,
        body={"error": "Validation failed: Text character limit of 500 exceeded"},
        path="/api/v1/statuses",
    )
    result = syndicate(project, fakes)
    assert result.returncode == 1
    assert "失敗（再送しません）" in result.stdout and "Text character limit of 500 exceeded" in result.stdout
    assert fakes.counts() == {"x": COUNT, "bluesky": COUNT, "mastodon": COUNT - 1, "line": COUNT}
    failed = [e for e in ledger(fakes) if e["status"] == "failed"]
    assert len(failed) == 1 and failed[0]["channel"] == "mastodon" and "500" in failed[0]["last_error"]
    syndicate(project, fakes)  # a refusal is not retried forever
    assert fakes.counts()["mastodon"] == COUNT - 1


def test_a_revoked_password_holds_the_posts_and_they_go_out_once_it_is_fixed(project, fakes):
    """A refused login is our setup, not the post: nothing is marked failed, the run says what to
    do and fails until it is fixed, then every post goes out once."""
    fakes.bluesky.fail_next(
        401, body={"error": "AuthenticationRequired", "message": "Invalid identifier or password"}
    )
    result = syndicate(project, fakes)
    assert result.returncode == 1
    assert (
        "アカウントの設定を確かめてください" in result.stdout
        and "Invalid identifier or password" in result.stdout
    )
    assert fakes.counts() == {"x": COUNT, "bluesky": 0, "mastodon": COUNT, "line": COUNT}
    held = [e for e in ledger(fakes) if e["channel"] == "bluesky"]
    assert all(e["status"] == "pending" and e["attempts"] == 0 for e in held)
    fixed = syndicate(project, fakes)
    assert fixed.returncode == 0, fixed.output
    assert fakes.counts() == {"x": COUNT, "bluesky": COUNT, "mastodon": COUNT, "line": COUNT}
    assert_no_secret(result.output, fixed.output)


def test_a_post_left_pending_by_a_crash_is_found_not_repeated(project, fakes):
    """The crash window of X and Bluesky (no idempotency key): posted, but the ledger still says pending."""
    assert syndicate(project, fakes, "--channel", "x").returncode == 0
    entries = ledger(fakes)
    for entry in entries:
        entry.update(status="pending", remote_id="")
    Path(fakes.env["PUBLISHER_LEDGER"]).write_text(json.dumps({"version": 1, "entries": entries}))
    result = syndicate(project, fakes, "--channel", "x")
    assert result.returncode == 0, result.output
    assert fakes.counts()["x"] == COUNT
    assert all(e["status"] == "sent" and e["remote_id"] for e in ledger(fakes))


def test_a_line_broadcast_of_unknown_outcome_past_the_retry_key_lifetime_is_not_resent(project, fakes):
    entries = [
        {
            "item_id": "news/2026/gomi",
            "channel": "line",
            "kind": "publish",
            "status": "pending",
            "idempotency_key": "k",
            "attempts": 1,
            "remote_id": "",
            "remote_url": "",
            "last_error": "timeout",
            "created_at": "2026-05-30T09:00:00+09:00",
            "updated_at": "2026-05-30T09:00:00+09:00",
        }
    ]
    Path(fakes.env["PUBLISHER_LEDGER"]).write_text(json.dumps({"version": 1, "entries": entries}))
    result = syndicate(project, fakes, "--channel", "line")
    assert result.returncode == 1 and "管理画面で配信されたか確かめてください" in result.stdout
    assert fakes.counts()["line"] == COUNT - 1


def test_without_a_ledger_the_first_run_asks_for_seed(project, fakes):
    Path(fakes.env["PUBLISHER_LEDGER"]).unlink()
    result = syndicate(project, fakes)
    assert result.returncode == 2 and "--seed" in result.stderr
    assert syndicate(project, fakes, "--seed").returncode == 0
    assert syndicate(project, fakes).returncode == 0
    assert fakes.counts() == {"x": 0, "bluesky": 0, "mastodon": 0, "line": 0}


def test_channels_without_credentials_are_only_previewed(project, fakes):
    env = {k: v for k, v in fakes.env.items() if not k.startswith("PUBLISHER_LINE")}
    result = publisher(project, "syndicate", now=NOW, **env)
    assert "line: 認証情報（環境変数）が設定されていないため" in result.stdout
    assert fakes.counts()["line"] == 0 and fakes.counts()["x"] == COUNT


def test_json_output(project, fakes):
    result = syndicate(project, fakes, "--dry-run", "--json")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 4 * COUNT and {r["status"] for r in rows} == {"would-post"}
    assert all(r["length"] <= r["limit"] and r["url"] in r["text"] for r in rows)


ROUNDS = 4  # of four new items each; every round is killed until a run completes (about 20 s a round)


def test_killed_at_random_instants_every_item_reaches_every_channel_exactly_once(project, fakes):
    """Rounds of new items; each round is killed (SIGKILL) at random instants until a run completes."""
    rng = random.Random(20261128)
    assert syndicate(project, fakes).returncode == 0  # the fixture's items: out of the way
    kills_mid_run = 0
    for round_number in range(ROUNDS):
        for n in range(4):
            (project / f"content/news/2026/r{round_number}-{n}.md").write_text(
                f"---\ntitle: 第{round_number}回 お知らせ {n}\ndate: 2026-05-2{n} 10:00\ncategories: [kurashi]\n---\n本文。\n"
            )
        before = sum(fakes.counts().values())
        for _ in range(10):
            process = start_syndicate(project, fakes, NOW)
            # Kill once a random number of posts has gone out, then a random instant later: the
            # kill lands anywhere inside the posting loop (between ledger writes and requests).
            target = sum(fakes.counts().values()) + rng.randint(0, 6)
            deadline = time.monotonic() + 60
            while (
                sum(fakes.counts().values()) < target
                and process.poll() is None
                and time.monotonic() < deadline
            ):
                time.sleep(0.01)
            time.sleep(rng.uniform(0, 0.4))
            if process.poll() is not None:
                break
            process.send_signal(signal.SIGKILL)
            process.wait()
            kills_mid_run += 0 < sum(fakes.counts().values()) - before < 16
    final = syndicate(project, fakes)
    assert final.returncode == 0, final.output
    print(f"SIGKILLs that landed mid-run: {kills_mid_run}")
    assert kills_mid_run >= 5, f"only {kills_mid_run} kills landed mid-run: the test proved too little"
    expected = sorted(
        [f"https://town.example/{p[:-3]}/" for p in ITEMS]
        + [f"https://town.example/news/2026/r{r}-{n}/" for r in range(ROUNDS) for n in range(4)]
    )
    assert fakes.posted_urls() == {c: expected for c in ("x", "bluesky", "mastodon", "line")}
    assert all(e["status"] == "sent" for e in ledger(fakes))


RUNS = {"publish": NOW, "reminder": "2026-07-08 12:00"}  # the event starts 2026-07-10: reminder due


# Each step a post goes through, as the request that marks it: the client is killed (SIGKILL)
# when the fake receives it (before handling it) or once the fake has handled it (the answer lost).
def _steps(upload: str, create: str) -> dict[str, tuple[str, bool]]:
    return {"before-upload": (upload, False), "after-upload": (upload, True), "after-create": (create, True)}


KILL_STEPS = {
    "x": _steps("/2/media/upload", "/2/tweets"),
    "bluesky": _steps("com.atproto.repo.uploadBlob", "com.atproto.repo.createRecord"),
    "mastodon": _steps("/api/v2/media", "/api/v1/statuses"),
    "line": {  # LINE takes the picture by URL: no upload
        "before-create": ("/v2/bot/message/broadcast", False),
        "after-create": ("/v2/bot/message/broadcast", True),
    },
}
# Announcements are killed at every step of every channel; reminders, which go through the same
# upload and post code, at the step that can duplicate a post (created, answer lost) on each.
KILLS = [("publish", channel, step) for channel, steps in KILL_STEPS.items() for step in steps] + [
    ("reminder", channel, "after-create") for channel in KILL_STEPS
]


@pytest.mark.parametrize(("kind", "channel", "step"), KILLS, ids=[f"{k}-{c}-{s}" for k, c, s in KILLS])
def test_killed_at_each_step_every_post_goes_out_exactly_once(tmp_path, fakes, kind, channel, step):
    """`publisher syndicate` killed at the first time a channel reaches a step (the image upload
    received or done, the post created with its answer lost); the next run must leave every item
    posted once on every channel and every ledger entry `sent`."""
    items = {name: ITEMS[name] for name in ("events/2026/koza.md", "news/2026/gomi.md")}  # small: 15 cases
    project = write_project(tmp_path / "town", items, CONFIG)
    Path(fakes.env["PUBLISHER_LEDGER"]).write_text('{"version": 1, "entries": []}\n')
    if kind == "reminder":
        assert syndicate(project, fakes).returncode == 0  # announcements first; the run below sends reminders
    run = RUNS[kind]
    before = fakes.counts()
    path, processed = KILL_STEPS[channel][step]
    fake = {"x": fakes.x, "bluesky": fakes.bluesky, "mastodon": fakes.mastodon, "line": fakes.line}[channel]
    process = start_syndicate(project, fakes, run)
    killed = threading.Event()

    def kill_at_step(seen: str, done: bool) -> None:
        if seen.startswith(path) and done == processed and not killed.is_set():
            killed.set()
            process.send_signal(signal.SIGKILL)

    fake.on_request = kill_at_step
    try:
        process.wait(timeout=120)
    finally:
        fake.on_request = None
    assert killed.is_set(), f"{channel} never reached {step}"
    again = publisher(project, "syndicate", now=run, **fakes.env)
    assert again.returncode == 0, again.output
    due = 1 if kind == "reminder" else len(items)
    assert fakes.counts() == {c: n + due for c, n in before.items()}
    entries = [e for e in ledger(fakes) if e["kind"] == kind]
    assert len(entries) == 4 * due and all(e["status"] == "sent" and e["remote_id"] for e in entries)
    held = [e["remote_id"] for e in ledger(fakes) if e["channel"] != "line"]
    assert len(held) == len(set(held))  # no post recorded for two entries


def test_x_refusing_a_duplicate_after_a_lost_answer_records_the_post_that_went_out(project, fakes):
    """X creates the first tweet but the answer is lost (503); the timeline lags, so the retry's
    look-up misses it and X refuses the retry as a duplicate. The entry must not end `failed`:
    it waits, and the next run finds the tweet and records it. One tweet in all."""
    fakes.x.lose_next_answer = True
    fakes.x.timeline_lag = 2
    first = syndicate(project, fakes)
    assert first.returncode == 1 and "次回に再送" in first.stdout, first.output  # not everything recorded yet
    assert len(fakes.x.tweets) == COUNT  # nothing posted twice
    x_entries = [e for e in ledger(fakes) if e["channel"] == "x"]
    waiting = [e for e in x_entries if e["status"] != "sent"]
    assert [e["status"] for e in waiting] == ["pending"], x_entries
    assert "まだ一覧に出ていません" in waiting[0]["last_error"]
    second = syndicate(project, fakes)
    assert second.returncode == 0, second.output
    assert len(fakes.x.tweets) == COUNT
    entry = next(e for e in ledger(fakes) if e["channel"] == "x" and e["item_id"] == waiting[0]["item_id"])
    assert entry["status"] == "sent"
    assert entry["remote_id"] in {t.id for t in fakes.x.tweets}
    held = [e["remote_id"] for e in ledger(fakes) if e["channel"] == "x"]
    assert len(held) == len(set(held)) == COUNT
