"""Pictures and documents: the upload forms' targets (an event's poster and
documents, a post's photo, minutes' documents) and the files themselves.

Files are served with the type we stored (never guessed), ``nosniff``, a
sandboxing Content-Security-Policy, and PDFs as downloads
(``Content-Disposition: attachment``): an uploaded file can never run as a
page of ours. A file of members-only minutes answers 404 to anyone else, as
the minutes do.
"""
from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from fedchapter.errors import ValidationError
from fedchapter.media.model import MediaOwner, MediaRole, OwnerKind
from fedchapter.roles import Permission
from web.api_support import PayloadTooLarge
from web.auth import require_permission
from web.context import context_of
from web.forms import flash, read_form
from web.i18n import gettext_for
from web.readers import reader_for
from web.templating import render
from web.uploads import read_upload

_PAGES = {OwnerKind.EVENT: "/events/{}", OwnerKind.POST: "/posts/{}", OwnerKind.MINUTES: "/minutes/{}"}


async def media_file(request: Request) -> Response:
    ctx = context_of(request)
    media, data = await ctx.media.open(request.path_params["id"], request.path_params["variant"],
                                       await reader_for(request))
    headers = {
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        # Private: a members-only file must not sit in a shared cache.
        "Cache-Control": "private, max-age=86400",
    }
    if not media.is_image:
        headers["Content-Disposition"] = f"attachment; filename=\"{media.filename}\"; filename*=UTF-8''{quote(media.filename)}"
    return Response(data, media_type=media.media_type, headers=headers)


def _refused(request: Request, message: str, back: str, status: int) -> Response:
    return render(request, "media/refused.html", {"message": message, "back": back}, status_code=status)


async def _upload(request: Request, owner: MediaOwner, role: MediaRole) -> Response:
    ctx = context_of(request)
    back = _PAGES[owner.kind].format(owner.id)
    reader = await reader_for(request)
    is_image = role is not MediaRole.DOCUMENT
    limit = ctx.settings.media_image_max_bytes if is_image else ctx.settings.media_document_max_bytes
    try:
        upload = await read_upload(request, limit=limit, fields=("alt",) if is_image else ("title",))
        if is_image:
            await ctx.media.add_image(owner, role, upload.data, alt=upload.fields["alt"], reader=reader)
        else:
            await ctx.media.add_document(owner, upload.data, title=upload.fields["title"],
                                         filename=upload.filename, reader=reader)
    except ValidationError as error:
        problem = error.problems[0]
        return _refused(request, gettext_for(request)(problem.message, **problem.params), back, 422)
    except PayloadTooLarge as error:  # already in the reader's language (web.uploads)
        return _refused(request, str(error), back, 413)
    _ = gettext_for(request)
    flash(request, _("The picture is saved.") if is_image else _("The document is attached."))
    return RedirectResponse(back, status_code=303)


async def event_poster(request: Request) -> Response:
    await require_permission(request, Permission.PUBLISH_EVENTS)
    return await _upload(request, MediaOwner(OwnerKind.EVENT, request.path_params["id"]), MediaRole.POSTER)


async def event_document(request: Request) -> Response:
    await require_permission(request, Permission.PUBLISH_EVENTS)
    return await _upload(request, MediaOwner(OwnerKind.EVENT, request.path_params["id"]), MediaRole.DOCUMENT)


async def post_photo(request: Request) -> Response:
    await require_permission(request, Permission.PUBLISH_POSTS)
    return await _upload(request, MediaOwner(OwnerKind.POST, request.path_params["id"]), MediaRole.PHOTO)


async def minutes_document(request: Request) -> Response:
    await require_permission(request, Permission.PUBLISH_MINUTES)
    return await _upload(request, MediaOwner(OwnerKind.MINUTES, request.path_params["id"]), MediaRole.DOCUMENT)


_OWNER_PERMISSIONS = {
    "events": (OwnerKind.EVENT, Permission.PUBLISH_EVENTS),
    "posts": (OwnerKind.POST, Permission.PUBLISH_POSTS),
    "minutes": (OwnerKind.MINUTES, Permission.PUBLISH_MINUTES),
}


async def remove_file(request: Request) -> Response:
    """The organiser's "Remove" button beside a picture or document: gone from
    the page and the folder, and the owner goes out again without it."""
    kind, permission = _OWNER_PERMISSIONS[request.url.path.split("/")[1]]
    await require_permission(request, permission)
    await read_form(request)  # the CSRF check
    ctx = context_of(request)
    owner = MediaOwner(kind, request.path_params["id"])
    await ctx.media.remove(request.path_params["media_id"], owner, await reader_for(request))
    _ = gettext_for(request)
    flash(request, _("The file is removed."))
    return RedirectResponse(_PAGES[kind].format(owner.id), status_code=303)


routes = [
    Route("/media/{id}/{variant}", media_file, methods=["GET"]),
    Route("/events/{id}/poster", event_poster, methods=["POST"]),
    Route("/events/{id}/documents", event_document, methods=["POST"]),
    Route("/posts/{id}/photo", post_photo, methods=["POST"]),
    Route("/minutes/{id}/documents", minutes_document, methods=["POST"]),
    *(Route(f"/{area}/{{id}}/files/{{media_id}}/remove", remove_file, methods=["POST"])
      for area in _OWNER_PERMISSIONS),
]
