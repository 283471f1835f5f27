"""Content warnings and attachments in the comment thread (issue 14, items 5
and 8): a sensitive reply's text only behind its warning, as Mastodon shows
it; attachments as links; the form lets a member give a warning."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bs4 import BeautifulSoup

from fedchapter.comments import Comment, CommentAttachment, CommentAuthor, CommentTarget, ThreadNode
from fedchapter.visibility import Visibility
from web.comment_thread import ThreadView
from web.templating import build_environment

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
TARGET = CommentTarget(ap_id="http://london.test/events/mtg1", kind="event", title="Meeting",
                       visibility=Visibility.PUBLIC)


def _comment(**changes: Any) -> Comment:
    author = CommentAuthor(actor_id="http://masto.test/users/ana", name="Ana", url="http://masto.test/@ana",
                           handle="@ana@masto.test")
    fields: dict[str, Any] = dict(id="c1", ap_id="http://masto.test/statuses/1", target=TARGET.ap_id,
                                  in_reply_to=TARGET.ap_id, author=author, content_html="<p>What we saw</p>",
                                  published=NOW)
    fields.update(changes)
    return Comment(**fields)


def _render(*comments: Comment, may_comment: bool = False) -> BeautifulSoup:
    view = ThreadView(target=TARGET, nodes=[ThreadNode(comment) for comment in comments], count=len(comments),
                      may_comment=may_comment, may_moderate=False, return_to="/events/mtg1", viewer_actor=None)
    template = build_environment().get_template("comments/_thread.html")
    html = template.render(comments=view, current_user=None, csrf_token=lambda: "token")
    return BeautifulSoup(html, "html.parser")


def test_a_sensitive_reply_is_shown_only_behind_its_warning() -> None:
    page = _render(_comment(summary="Police violence", sensitive=True))
    warning = page.select_one("li.comment details.content-warning")
    assert warning is not None
    assert warning.summary is not None and warning.summary.get_text(strip=True) == "Police violence"
    content = page.select_one(".comment-content")
    assert content is not None and content.find_parent("details") is warning


def test_sensitive_without_a_summary_still_hides_the_text() -> None:
    page = _render(_comment(sensitive=True))
    warning = page.select_one("details.content-warning")
    assert warning is not None and warning.summary is not None and warning.summary.get_text(strip=True)


def test_an_ordinary_reply_is_shown_openly() -> None:
    page = _render(_comment())
    assert page.select_one("details.content-warning") is None
    assert page.select_one(".comment-content") is not None


def test_attachments_are_links() -> None:
    page = _render(_comment(attachments=(CommentAttachment(url="https://masto.test/media/1.jpg",
                                                           media_type="image/jpeg", name="The banner"),)))
    link = page.select_one(".comment-attachments a")
    assert link is not None and link["href"] == "https://masto.test/media/1.jpg"
    assert link.get_text() == "The banner"


def test_the_comment_form_asks_for_an_optional_warning() -> None:
    page = _render(may_comment=True)
    field = page.select_one('form.comment-form input[name="summary"]')
    assert field is not None and not field.has_attr("required")
