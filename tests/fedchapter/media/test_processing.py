"""Uploads are judged by their content and re-encoded: metadata gone, a few
widths, a blurhash; a fake, a bomb or a corrupt PDF is refused."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from fedchapter.errors import ValidationError
from fedchapter.media.processing import check_pdf, encode_image
from tests.support.media import CORRUPT_PDF, PHP_AS_JPG, image_bomb, jpeg, pdf, png_with_alpha

LIMIT = 10_000_000


def test_a_photo_is_re_encoded_at_a_few_widths_without_its_metadata() -> None:
    encoded = encode_image(jpeg(1600, 900, exif_text="Secret Street 5, GPS here"), limit=LIMIT)
    assert encoded.media_type == "image/jpeg"
    assert [(width, height) for width, height, _ in encoded.variants] == [(320, 180), (640, 360), (1280, 720)]
    largest = encoded.variants[-1][2]
    assert b"Secret Street" not in largest
    reopened = Image.open(io.BytesIO(largest))
    assert reopened.format == "JPEG" and not reopened.getexif()
    assert len(encoded.blurhash) >= 6


def test_a_small_picture_is_never_enlarged_and_transparency_stays_png() -> None:
    encoded = encode_image(png_with_alpha(400, 300), limit=LIMIT)
    assert encoded.media_type == "image/png"
    assert [(width, height) for width, height, _ in encoded.variants] == [(320, 240), (400, 300)]


def test_a_php_script_named_jpg_is_not_a_picture() -> None:
    with pytest.raises(ValidationError) as refused:
        encode_image(PHP_AS_JPG, limit=LIMIT)
    assert refused.value.field == "file" and "not a picture" in refused.value.message


def test_an_image_bomb_is_refused_from_its_header() -> None:
    with pytest.raises(ValidationError) as refused:
        encode_image(image_bomb(), limit=LIMIT)
    assert "megapixels" in refused.value.message


def test_a_file_over_the_limit_is_refused_before_it_is_opened() -> None:
    with pytest.raises(ValidationError) as refused:
        encode_image(jpeg(), limit=1_000)
    assert "too large" in refused.value.message


def test_a_pdf_must_parse() -> None:
    assert check_pdf(pdf(pages=2), limit=LIMIT).pages == 2
    with pytest.raises(ValidationError, match="damaged"):
        check_pdf(CORRUPT_PDF, limit=LIMIT)
    with pytest.raises(ValidationError, match="not a PDF"):
        check_pdf(jpeg(), limit=LIMIT)
