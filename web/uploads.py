"""Reading one uploaded file from a multipart form, within a byte limit.

The declared length is checked before a byte is read (a 50 MB upload is
refused at once); the body is cut off by RequestLimitsMiddleware's upload
limit besides, for a client that declares nothing. Starlette's parser spools
the file to a temporary file it deletes; nothing reaches the media store
before the service has checked the whole file.
"""
from __future__ import annotations

from dataclasses import dataclass

from starlette.datastructures import UploadFile
from starlette.requests import Request

from fedchapter.errors import N_, ValidationError
from fedchapter.media.processing import MB
from web.api_support import PayloadTooLarge
from web.auth import check_csrf
from web.i18n import gettext_for

# Room for the form's other fields and the multipart boundaries.
FORM_MARGIN = 64_000
MAX_FIELD_BYTES = 16_000


@dataclass(frozen=True)
class Upload:
    data: bytes
    filename: str
    fields: dict[str, str]


def too_large(request: Request, limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(gettext_for(request)(N_("The file is too large: at most %(megabytes)s MB."),
                                                megabytes=f"{limit / MB:g}"))


async def read_upload(request: Request, *, limit: int, fields: tuple[str, ...]) -> Upload:
    """The form's ``file`` (at most ``limit`` bytes) and its text ``fields``; 403 without this session's CSRF token."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise ValidationError("file", N_("Choose a file to upload."))
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + FORM_MARGIN:
        raise too_large(request, limit)
    form = await request.form(max_files=1, max_fields=len(fields) + 2, max_part_size=MAX_FIELD_BYTES)
    try:
        check_csrf(request, form)
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise ValidationError("file", N_("Choose a file to upload."))
        data = await upload.read(limit + 1)
        if len(data) > limit:
            raise too_large(request, limit)
        values = {name: value if isinstance(value := form.get(name), str) else "" for name in fields}
        return Upload(data=data, filename=upload.filename or "", fields=values)
    finally:
        await form.close()
