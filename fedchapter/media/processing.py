"""Checking and re-encoding uploads, by their content, never their name.

An image is opened by Pillow with only the decoders we accept (JPEG, PNG,
GIF, WebP), its dimensions are checked from the header *before* any pixel is
decoded (an image bomb is refused there, and Pillow's own
``DecompressionBombWarning`` is raised as an error besides), then it is
decoded, turned upright by its EXIF orientation and drawn afresh into a new
image: nothing of the original file travels on (EXIF, GPS position, ICC
profile, comments, a script appended after the image data). What we store is
that new image, encoded by us, at a few widths.

A PDF must start with the PDF header and parse (pypdf, strict) with at least
one page. PDFs are stored as uploaded (no re-encoding) and always served as
downloads in a sandbox (docs/media.md).

Everything here is CPU work: the service runs it in a thread.
"""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import blurhash
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader

from fedchapter.errors import N_, ValidationError

ACCEPTED_IMAGE_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
# Widths every image is stored at (never enlarged): pages use 640, federation the largest.
WIDTHS = (320, 640, 1280)
# 40 megapixels: a 8000 x 5000 photo passes; a 20000 x 20000 "bomb" (400 MP) is
# refused from its header, before its pixels take gigabytes of memory.
MAX_PIXELS = 40_000_000
JPEG_QUALITY = 85
MAX_PDF_PAGES = 2_000
MB = 1_000_000


@dataclass(frozen=True)
class EncodedImage:
    media_type: str
    extension: str
    # (width, height, bytes) per stored width, smallest first.
    variants: tuple[tuple[int, int, bytes], ...]
    blurhash: str


@dataclass(frozen=True)
class CheckedDocument:
    media_type: str
    pages: int


def refuse_too_large(size: int, limit: int, field: str = "file") -> None:
    if size > limit:
        raise ValidationError(field, N_("The file is too large: at most %(megabytes)s MB."),
                              megabytes=f"{limit / MB:g}")


def refuse_empty(data: bytes, field: str = "file") -> None:
    if not data:
        raise ValidationError(field, N_("Choose a file to upload."))


def _open_image(data: bytes, field: str) -> Image.Image:
    not_an_image = ValidationError(field, N_("This file is not a picture we accept (JPEG, PNG, GIF or WebP)."))
    try:
        with warnings.catch_warnings():
            # Pillow warns above its own pixel limit and raises above twice it: both refuse.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=ACCEPTED_IMAGE_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(field) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise not_an_image from None
    width, height = image.size
    if width < 1 or height < 1:
        raise not_an_image
    if width * height > MAX_PIXELS:
        raise _too_many_pixels(field)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(field) from None
    except (OSError, ValueError, SyntaxError, EOFError):
        raise ValidationError(field, N_("This picture is damaged and cannot be read.")) from None
    return image


def _too_many_pixels(field: str) -> ValidationError:
    return ValidationError(field, N_("This picture is too large: at most %(megapixels)s megapixels."),
                           megapixels=str(MAX_PIXELS // MB))


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)


def _redrawn(image: Image.Image, mode: str) -> Image.Image:
    """The pixels only, in a new image: no info, EXIF or profile carried over."""
    upright = ImageOps.exif_transpose(image) or image
    converted = upright.convert(mode)
    clean = Image.new(mode, converted.size)
    clean.paste(converted)
    return clean


def _encode(image: Image.Image, image_format: str) -> bytes:
    out = io.BytesIO()
    if image_format == "JPEG":
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _widths(width: int) -> list[int]:
    chosen = {w for w in WIDTHS if w < width}
    chosen.add(min(width, WIDTHS[-1]))
    return sorted(chosen)


def _blurhash(image: Image.Image) -> str:
    small = image.convert("RGB")
    small.thumbnail((64, 64))
    return str(blurhash.encode(small, x_components=4, y_components=3))


def encode_image(data: bytes, *, limit: int, field: str = "file") -> EncodedImage:
    """The picture re-encoded at each width (JPEG, or PNG when transparent);
    ValidationError for anything else, before anything is stored."""
    refuse_empty(data, field)
    refuse_too_large(len(data), limit, field)
    original = _open_image(data, field)
    alpha = _has_alpha(original)
    mode, image_format, media_type, extension = (
        ("RGBA", "PNG", "image/png", "png") if alpha else ("RGB", "JPEG", "image/jpeg", "jpg")
    )
    try:
        clean = _redrawn(original, mode)
    except (OSError, ValueError) as error:
        raise ValidationError(field, N_("This picture is damaged and cannot be read.")) from error
    variants: list[tuple[int, int, bytes]] = []
    for width in _widths(clean.width):
        height = max(1, round(clean.height * width / clean.width))
        resized = clean if width == clean.width else clean.resize((width, height), Image.Resampling.LANCZOS)
        variants.append((width, resized.height, _encode(resized, image_format)))
    return EncodedImage(media_type=media_type, extension=extension, variants=tuple(variants),
                        blurhash=_blurhash(clean))


def check_pdf(data: bytes, *, limit: int, field: str = "file") -> CheckedDocument:
    """A PDF that starts as one and parses, with its pages; ValidationError otherwise."""
    refuse_empty(data, field)
    refuse_too_large(len(data), limit, field)
    not_a_pdf = ValidationError(field, N_("This file is not a PDF document."))
    if not data.startswith(b"%PDF-"):
        raise not_a_pdf
    try:
        reader = PdfReader(io.BytesIO(data), strict=True)
        pages = len(reader.pages)
    except Exception:  # pypdf raises many kinds for a damaged file; each means the same here
        raise ValidationError(field, N_("This PDF is damaged and cannot be read.")) from None
    if pages < 1:
        raise ValidationError(field, N_("This PDF is damaged and cannot be read."))
    if pages > MAX_PDF_PAGES:
        raise ValidationError(field, N_("This PDF has too many pages: at most %(pages)s."), pages=str(MAX_PDF_PAGES))
    return CheckedDocument(media_type="application/pdf", pages=pages)
