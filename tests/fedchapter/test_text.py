from __future__ import annotations

import pytest

from fedchapter.text import (
    html_to_text,
    markdown_to_text,
    render_markdown,
    sanitize_html,
    truncate_text,
)

# Each item: HTML a hostile server might send as a comment. Nothing in the
# output may run code, and the payload must be gone, not shown as text.
XSS_CORPUS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<style>body{display:none}</style>",
    '<img src="x" onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href=" javascript:alert(1)">click</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">click</a>',
    '<a href="&#x6A;avascript&#x3A;alert(1)">click</a>',
    '<a href="java&#x09;script:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
    '<a href="vbscript:msgbox(1)">click</a>',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<iframe src="https://evil.example/"></iframe>',
    '<p onmouseover="alert(1)">hover</p>',
    '<div style="background:url(javascript:alert(1))">styled</div>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><input type="submit"></form>',
    '<math><mtext><script>alert(1)</script></mtext></math>',
    '<body onload="alert(1)">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<!--<script>alert(1)</script>-->',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
]


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_hostile_html_is_removed_not_escaped(payload: str) -> None:
    cleaned = sanitize_html(payload).lower()
    for marker in ("<script", "alert(1)</", "javascript:", "vbscript:", "data:text", "onerror",
                   "onload", "onmouseover", "<iframe", "<svg", "<style", "style=", "&lt;script"):
        assert marker not in cleaned, (payload, cleaned)


def test_script_content_does_not_survive_as_text() -> None:
    assert sanitize_html("<p>Hi<script>steal(document.cookie)</script> there</p>") == "<p>Hi there</p>"
    assert sanitize_html("before<style>p { color: red }</style>after") == "beforeafter"


def test_a_mastodon_comment_keeps_its_mention_and_link() -> None:
    comment = (
        '<p><span class="h-card"><a href="https://social.example/@ana" class="u-url mention" '
        'rel="me">@<span>ana</span></a></span> see you at '
        '<a href="https://london.example/events/abc" target="_blank">the meeting</a></p>'
    )
    cleaned = sanitize_html(comment)
    assert 'class="u-url mention"' in cleaned
    assert 'href="https://london.example/events/abc"' in cleaned
    assert 'rel="nofollow noopener noreferrer"' in cleaned
    assert "target" not in cleaned
    assert 'rel="me"' not in cleaned


def test_links_keep_only_web_and_mail_targets() -> None:
    assert 'href="mailto:sec@chapter.example"' in sanitize_html('<a href="mailto:sec@chapter.example">mail</a>')
    assert "href" not in sanitize_html('<a href="ftp://files.example/x">x</a>')


def test_disallowed_layout_tags_keep_their_text() -> None:
    assert sanitize_html("<div><font>Solidarity</font></div>") == "Solidarity"


def test_markdown_renders_the_usual_features() -> None:
    html = render_markdown(
        "## Agenda\n\n1. Minutes of the last meeting\n2. **Campaign** update\n\n"
        "| item | owner |\n|---|---|\n| leaflets | Sam |\n\n~~postponed~~ [map](https://osm.org/x)"
    )
    assert "<h3>Agenda</h3>" in html  # demoted: the page title is the only h1/h2 level above
    assert "<ol>" in html and "<strong>Campaign</strong>" in html
    assert "<table>" in html and "<td>leaflets</td>" in html
    assert "<s>postponed</s>" in html
    assert '<a href="https://osm.org/x" rel="nofollow noopener noreferrer">map</a>' in html


def test_markdown_top_heading_is_not_a_page_title() -> None:
    assert render_markdown("# Meeting notes").startswith("<h2>Meeting notes</h2>")


@pytest.mark.parametrize(
    "source",
    [
        "Hello <script>alert(1)</script> world",
        "<script>\nalert(1)\n</script>\n\nHello world",
        '<img src=x onerror="alert(1)">\n\nHello world',
        "[click](javascript:alert(1)) Hello world",
        "[click](JaVaScRiPt:alert(1)) Hello world",
        '<a href="javascript:alert(1)">click</a> Hello world',
        "<iframe src=https://evil.example></iframe>\n\nHello world",
    ],
)
def test_markdown_drops_raw_html_and_unsafe_links(source: str) -> None:
    html = render_markdown(source)
    assert "Hello" in html and "world" in html
    for marker in ("script", "alert", "javascript", "onerror", "iframe", "&lt;"):
        assert marker not in html.lower(), html


def test_markdown_code_can_talk_about_html() -> None:
    assert "<code>&lt;script&gt;</code>" in render_markdown("Never paste a `<script>` tag")


def test_html_to_text_reads_like_the_page() -> None:
    html = (
        "<p>Decisions of the <b>London</b> chapter &amp; friends:</p>"
        "<ul><li>Join the march</li><li>Fund the zine</li></ul>"
        "<script>track()</script><p>Next meeting<br>Tue 24 Jun</p>"
    )
    assert html_to_text(html) == (
        "Decisions of the London chapter & friends:\n\n- Join the march\n- Fund the zine\n\n"
        "Next meeting\nTue 24 Jun"
    )


def test_markdown_to_text() -> None:
    assert markdown_to_text("**Bring** a [banner](https://x.example)") == "Bring a banner"
    assert markdown_to_text("- leaflets\n\n- banners\n") == "- leaflets\n\n- banners"
    assert markdown_to_text("3. minutes\n4. campaign\n") == "3. minutes\n4. campaign"
    assert markdown_to_text("line one\nline two") == "line one line two"


def test_truncate_text_cuts_at_a_word_with_an_ellipsis() -> None:
    text = "The organising group approved the proposal for a national day of action"
    short = truncate_text(text, 30)
    assert len(short) <= 30
    assert short == "The organising group approved…"
    assert truncate_text("short", 30) == "short"


def test_truncate_text_cuts_a_long_word_mid_way() -> None:
    url = "https://example.org/" + "a" * 80
    assert truncate_text(url, 20) == url[:19] + "…"


def test_truncate_text_refuses_a_useless_limit() -> None:
    with pytest.raises(ValueError):
        truncate_text("anything", 1)
