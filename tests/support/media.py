"""Pictures and PDFs made at test time with Pillow (no binary files in the repository)."""
from __future__ import annotations

import io

from PIL import Image


def jpeg(width: int = 1600, height: int = 900, *, exif_text: str = "") -> bytes:
    image = Image.new("RGB", (width, height), (200, 40, 60))
    for x in range(0, width, 50):  # some detail, so the blurhash is not flat
        image.paste((20, 120, 200), (x, 0, min(width, x + 20), height))
    out = io.BytesIO()
    exif = Image.Exif()
    if exif_text:
        exif[0x010E] = exif_text  # ImageDescription
        exif[0x013B] = exif_text  # Artist
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png_with_alpha(width: int = 400, height: int = 300) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (width, height), (0, 128, 0, 100)).save(out, "PNG")
    return out.getvalue()


def image_bomb() -> bytes:
    """A small PNG that claims 30000 x 30000 pixels (900 megapixels once decoded)."""
    out = io.BytesIO()
    Image.new("1", (30_000, 30_000)).save(out, "PNG")
    return out.getvalue()


def pdf(pages: int = 1) -> bytes:
    out = io.BytesIO()
    first, *rest = [Image.new("RGB", (300, 400), "white") for _ in range(pages)]
    first.save(out, "PDF", save_all=True, append_images=rest)
    return out.getvalue()


PHP_AS_JPG = b"<?php system($_GET['cmd']); ?>\n"
CORRUPT_PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nthis is not a PDF body\n%%EOF\n"
