"""The one JSON reader for API writes (and the inbox): what json.loads would
let through to become a 500 later is refused here with a reason."""
from __future__ import annotations

import pytest

from web.json_body import MAX_DEPTH, MalformedJson, is_json_media_type, parse_json


def test_an_ordinary_body_is_read() -> None:
    assert parse_json(b'{"title": "Caf\xc3\xa9 \\ud83d\\ude00", "n": [1, 2.5, null, true]}') == {
        "title": "Café 😀", "n": [1, 2.5, None, True]}


@pytest.mark.parametrize("levels", [MAX_DEPTH + 1, 1_000, 100_000])
def test_deep_nesting_is_refused(levels: int) -> None:
    for opening, closing in (("[", "]"), ('{"a":', "}")):
        with pytest.raises(MalformedJson, match="nested too deeply"):
            parse_json((opening * levels + "1" + closing * levels).encode())


def test_nesting_up_to_the_limit_is_accepted() -> None:
    assert parse_json(b"[" * MAX_DEPTH + b"]" * MAX_DEPTH) is not None


@pytest.mark.parametrize("raw", [b'{"content": "\\ud800"}', b'{"\\udfff": 1}', b'["a\\ud83d"]'])
def test_lone_surrogates_in_values_and_keys_are_refused(raw: bytes) -> None:
    with pytest.raises(MalformedJson, match="unpaired surrogate"):
        parse_json(raw)


def test_encoded_surrogates_and_stray_bytes_are_not_utf8() -> None:
    for raw in (b'{"content": "\xed\xa0\x80"}', b'{"content": "\xff"}'):
        with pytest.raises(MalformedJson, match="not UTF-8"):
            parse_json(raw)


def test_huge_numbers_are_refused_without_converting_them() -> None:
    with pytest.raises(MalformedJson, match="too long"):
        parse_json(b'{"capacity": ' + b"9" * 5_000 + b"}")
    with pytest.raises(MalformedJson, match="too large"):
        parse_json(b'{"lat": 1e999}')


@pytest.mark.parametrize("raw", [b"NaN", b'{"a": Infinity}', b"{nope", b"", b'{"a": 1} x'])
def test_what_is_not_json_is_refused(raw: bytes) -> None:
    with pytest.raises(MalformedJson):
        parse_json(raw)


def test_json_media_types() -> None:
    assert is_json_media_type("application/json; charset=utf-8")
    assert is_json_media_type("application/activity+json")
    for other in (None, "", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; b=x"):
        assert not is_json_media_type(other)
