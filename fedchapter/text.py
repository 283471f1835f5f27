"""Safe text: Markdown written by members, HTML arriving from other servers.

Everything shown on a page goes through `sanitize_html`, whatever its origin,
so a mistake in one producer cannot put a script on the chapter's site.
"""

from __future__ import annotations

import html as html_escapes
import re
from functools import cache
from html.parser import HTMLParser
from typing import TYPE_CHECKING

import nh3

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token

ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "p", "br", "a", "strong", "em", "b", "i", "u", "s", "del", "code", "pre",
        "blockquote", "ul", "ol", "li", "h2", "h3", "h4", "h5", "h6", "span",
        "table", "thead", "tbody", "tr", "th", "td", "hr",
    }
)
# `rel` is not listed: nh3 sets it on every link itself (link_rel below).
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "ol": {"start"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
# Mastodon marks mentions, hashtags and shortened links with these classes;
# keeping them lets remote comments look as their authors meant.
ALLOWED_CLASSES: dict[str, set[str]] = {
    "a": {"mention", "hashtag", "u-url", "status-link"},
    "span": {"h-card", "invisible", "ellipsis"},
}
URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener noreferrer"
# Elements whose content is removed with them rather than kept as text.
DROPPED_WITH_CONTENT: frozenset[str] = frozenset(
    {"script", "style", "iframe", "object", "embed", "svg", "math", "template", "noscript",
     "textarea", "select", "title"}
)


def sanitize_html(html: str) -> str:
    """HTML reduced to the allow-list: no scripts, styles, handlers or unsafe links.

    Disallowed tags are unwrapped (their text stays) except those in
    DROPPED_WITH_CONTENT, whose content goes too; links keep only http, https
    and mailto targets and get rel="nofollow noopener noreferrer".
    """
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        allowed_classes={tag: set(names) for tag, names in ALLOWED_CLASSES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


def _demote_headings(state: StateCore) -> None:
    # The page title is the only h1; "# Agenda" in a description becomes h2.
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close") and token.tag in (
            "h1", "h2", "h3", "h4", "h5",
        ):
            token.tag = f"h{int(token.tag[1]) + 1}"


_OPENING_DROPPED_TAG = re.compile(r"<\s*([a-zA-Z]+)", re.ASCII)
_CLOSING_TAG = re.compile(r"<\s*/\s*([a-zA-Z]+)", re.ASCII)


def _drop_raw_html(state: StateCore) -> None:
    # Raw HTML is disabled by removing it, not by showing it as text: the
    # parser recognises it (so it can be found) and this rule throws it away,
    # together with the content of <script>, <style> and the like.
    state.tokens = [token for token in state.tokens if token.type != "html_block"]
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        kept: list[Token] = []
        dropping: str | None = None
        for child in token.children:
            if child.type == "html_inline":
                if dropping is None:
                    opening = _OPENING_DROPPED_TAG.match(child.content)
                    if opening and opening.group(1).lower() in DROPPED_WITH_CONTENT:
                        dropping = opening.group(1).lower()
                else:
                    closing = _CLOSING_TAG.match(child.content)
                    if closing and closing.group(1).lower() == dropping:
                        dropping = None
                continue
            if dropping is None:
                kept.append(child)
        token.children = kept


def _any_link(url: str) -> bool:
    return True


@cache
def _markdown() -> MarkdownIt:
    # Members write Markdown only: raw HTML is parsed so that _drop_raw_html
    # can remove it; the sanitiser in render_markdown is a second defence.
    # markdown-it is imported with the first text rendered, not at start-up:
    # a worker-only process may never render any.
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True, "linkify": False})
    md.enable(["table", "strikethrough"])
    # Every link target is left to the sanitiser, which drops unsafe ones and
    # keeps the link text; markdown-it's own check would instead leave
    # "[text](javascript:...)" on the page as literal text.
    md.validateLink = _any_link  # type: ignore[method-assign]
    md.core.ruler.push("drop_raw_html", _drop_raw_html)
    md.core.ruler.push("demote_headings", _demote_headings)
    return md


def render_markdown(source: str) -> str:
    """Member-written Markdown as safe HTML."""
    return sanitize_html(_markdown().render(source))


_BLOCK_TAGS: frozenset[str] = frozenset(
    {
        "p", "div", "blockquote", "pre", "ul", "ol", "li", "h1", "h2", "h3", "h4",
        "h5", "h6", "table", "tr", "hr", "section", "article", "header", "footer",
    }
)


_ITEM_MARK = "\n- "
_ITEM_START = re.compile(r"\n(- |\d+\. )")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_depth = 0
        self._pre_depth = 0
        # One entry per open list: the next number for <ol>, None for <ul>.
        self._lists: list[int | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DROPPED_WITH_CONTENT:
            self._skip_depth += 1
            return
        if tag == "pre":
            self._pre_depth += 1
        if tag in ("ul", "ol"):
            start = dict(attrs).get("start") or "1"
            self._lists.append((int(start) if start.isdigit() else 1) if tag == "ol" else None)
        if tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            number = self._lists[-1] if self._lists else None
            if number is None:
                self.parts.append(_ITEM_MARK)
            else:
                self.parts.append(f"\n{number}. ")
                self._lists[-1] = number + 1
        elif tag in ("td", "th"):
            self.parts.append(" ")
        elif tag in _BLOCK_TAGS and not self._just_opened_item():
            self.parts.append("\n\n")

    def _just_opened_item(self) -> bool:
        # A paragraph opening a list item stays on the item's line.
        for part in reversed(self.parts):
            if _ITEM_START.fullmatch(part):
                return True
            if part.strip():
                return False
        return False

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in DROPPED_WITH_CONTENT:
            self._skip_depth = max(0, self._skip_depth - 1)
            return
        if tag == "pre":
            self._pre_depth = max(0, self._pre_depth - 1)
        if tag in ("ul", "ol") and self._lists:
            self._lists.pop()
        if tag in _BLOCK_TAGS and tag != "li":
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._skip_depth:
            return
        if self._pre_depth:
            self.parts.append(data)
            return
        # Outside <pre>, HTML shows any run of whitespace (newlines too) as one space.
        collapsed = re.sub(r"\s+", " ", data)
        if collapsed.strip() or not self._just_opened_item():
            self.parts.append(collapsed)


def html_to_text(html: str) -> str:
    """Readable plain text from HTML: paragraphs separated by blank lines,
    list items as "- item", entities decoded, scripts and styles dropped."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    text = "".join(collector.parts)
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def markdown_to_text(source: str) -> str:
    """Member-written Markdown as plain text (iCalendar descriptions, summaries)."""
    return html_to_text(render_markdown(source))


def truncate_text(text: str, limit: int, *, ellipsis: str = "…") -> str:
    """`text` cut to at most `limit` characters, at a word boundary when one
    is near, with an ellipsis when anything was cut."""
    if limit < len(ellipsis) + 1:
        raise ValueError(f"limit must be at least {len(ellipsis) + 1}")
    if len(text) <= limit:
        return text
    room = limit - len(ellipsis)
    cut = text[:room]
    if not text[room].isspace():
        boundary = max(cut.rfind(" "), cut.rfind("\n"))
        # Cut at a word only if that keeps most of the room; one long word
        # (a URL) is cut mid-way instead of leaving almost nothing.
        if boundary >= room * 2 // 3:
            cut = cut[:boundary]
    return cut.rstrip(" \t\n,;:.-–—") + ellipsis


def escape(text: str) -> str:
    """Plain text made safe to place inside HTML."""
    return html_escapes.escape(text, quote=True)
