"""News posts: the chapter's blog and bulletins (title, Markdown body, summary)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fedchapter import input as fields
from fedchapter.visibility import Visibility

MAX_TITLE = 200
MAX_SUMMARY = 1_000
MAX_BODY = 100_000

POST_FIELDS = frozenset({"title", "body", "summary", "visibility", "language"})
READ_ONLY_FIELDS = frozenset({"id", "ap_id", "url", "created_at", "updated_at", "published_at",
                              "content"})


@dataclass(frozen=True)
class PostContent:
    title: str
    body: str  # Markdown
    summary: str = ""  # plain text; when empty, the start of the body stands in
    visibility: Visibility = Visibility.PUBLIC
    language: str = "en"


@dataclass(frozen=True)
class Post:
    id: str
    content: PostContent
    author_user_id: int | None
    created_at: datetime
    updated_at: datetime

    @property
    def title(self) -> str:
        return self.content.title

    @property
    def visibility(self) -> Visibility:
        return self.content.visibility


def parse_post(data: Mapping[str, Any], *, default_language: str = "en") -> PostContent:
    fields.refuse_unknown(data, POST_FIELDS | READ_ONLY_FIELDS)
    visibility = fields.optional(data, "visibility")
    return PostContent(
        title=fields.single_line(data.get("title"), "title", limit=MAX_TITLE, required=True),
        body=fields.text(data.get("body"), "body", limit=MAX_BODY, required=True),
        summary=fields.text(data.get("summary"), "summary", limit=MAX_SUMMARY),
        visibility=Visibility.PUBLIC if visibility is None else fields.choice(visibility, "visibility", Visibility),
        language=fields.language_tag(data.get("language"), default=default_language),
    )


def post_to_dict(content: PostContent) -> dict[str, Any]:
    return {"title": content.title, "body": content.body, "summary": content.summary,
            "visibility": content.visibility.value, "language": content.language}
