"""What a remote reply brings besides its text (issue 14, items 5 and 8):
Mastodon's content warning (`summary` + `sensitive`) and its attachments,
kept as links when they are http(s)."""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fedchapter.comments import Comment, CommentAttachment, CommentAuthor
from federation.from_as.comments import note_edit, note_to_remote_comment
from storage.comments import CommentRepository
from storage.migrations import open_database
from tests.support.postgres import database_for
from tests.federation.test_comment_notes import ALICE

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def _note(**fields: Any) -> dict[str, Any]:
    return {"id": "http://mastodon.test/users/alice/statuses/1", "type": "Note",
            "attributedTo": ALICE.id, "inReplyTo": "http://london.test/events/mtg1",
            "content": "<p>What we saw</p>", **fields}


def test_a_mastodon_content_warning_is_kept() -> None:
    comment = note_to_remote_comment(_note(summary="Police &amp; violence", sensitive=True), ALICE, now=NOW,
                                     default_language="en")
    assert (comment.summary, comment.sensitive) == ("Police & violence", True)


def test_a_summary_alone_is_a_warning_and_sensitive_alone_too() -> None:
    only_summary = note_to_remote_comment(_note(summaryMap={"de": "Gewalt"}), ALICE, now=NOW,
                                          default_language="en")
    assert (only_summary.summary, only_summary.sensitive) == ("Gewalt", True)
    only_flag = note_to_remote_comment(_note(sensitive=True), ALICE, now=NOW, default_language="en")
    assert (only_flag.summary, only_flag.sensitive) == ("", True)
    plain = note_to_remote_comment(_note(), ALICE, now=NOW, default_language="en")
    assert (plain.summary, plain.sensitive) == ("", False)


def test_an_edit_brings_the_new_warning() -> None:
    assert note_edit(_note(summary="Spoilers", sensitive=True)).summary == "Spoilers"


def test_attachments_are_kept_as_http_links_only() -> None:
    note = _note(attachment=[
        {"type": "Document", "mediaType": "image/jpeg", "url": "https://files.mastodon.test/1.jpg",
         "name": "The march"},
        {"type": "Video", "url": [{"type": "Link", "href": "https://peertube.test/v.mp4", "mediaType": "video/mp4"}]},
        {"type": "Image", "url": "javascript:alert(1)"},
        {"type": "Audio", "url": "data:audio/ogg;base64,AAAA"},
        "not an object",
    ])
    comment = note_to_remote_comment(note, ALICE, now=NOW, default_language="en")
    assert comment.attachments == (
        CommentAttachment(url="https://files.mastodon.test/1.jpg", media_type="image/jpeg", name="The march"),
        CommentAttachment(url="https://peertube.test/v.mp4"),
    )


def test_a_lemmy_page_reply_reads_like_a_note() -> None:
    page = _note(type="Page", name="Re: Monthly meeting", content="<p>Count me in</p>")
    comment = note_to_remote_comment(page, ALICE, now=NOW, default_language="en")
    assert comment.content_html == "<p>Count me in</p>" and comment.in_reply_to == "http://london.test/events/mtg1"


async def test_warnings_and_attachments_are_stored(tmp_path: Path) -> None:
    database = await open_database(database_for(tmp_path / "db.sqlite3"))
    try:
        repository = CommentRepository(database)
        author = CommentAuthor(actor_id=ALICE.id, name="Alice", url=ALICE.id, handle="@alice@mastodon.test")
        comment = Comment(id="c1", ap_id="http://mastodon.test/s/1", target="http://london.test/events/mtg1",
                          in_reply_to="http://london.test/events/mtg1", author=author, content_html="<p>x</p>",
                          published=NOW, summary="Spoilers", sensitive=True,
                          attachments=(CommentAttachment(url="https://m.test/1.png", media_type="image/png"),))
        await repository.save(comment)
        assert await repository.get("c1") == comment
    finally:
        await database.close()
