"""Checking an object's FEP-8b32 integrity proof against its author's actor.

The proof must be made with a key its author publishes in ``assertionMethod``
(FEP-521a) and names as controller: a chapter's report or forwarded ballot
signed with any other actor's key is refused, whoever delivered it. A key
that does not verify is looked up once more (the author may have rotated its
keys since we cached its actor) before the object is refused.
"""
from __future__ import annotations

from typing import Any

from federation.inbox.activity import Ignored
from federation.inbox.context import InboxContext
from federation.integrity import ProofError, assertion_key, proof_of, verify
from federation.remote_actors import ActorDocumentError
from federation.safe_http import FetchError


def has_proof(obj: object) -> bool:
    return isinstance(obj, dict) and obj.get("proof") is not None


def has_checkable_proof(obj: object) -> bool:
    """Whether ``obj`` carries a proof of the one kind we check (eddsa-jcs-2022)."""
    if not has_proof(obj):
        return False
    try:
        proof_of(obj)  # type: ignore[arg-type]
    except ProofError:
        return False
    return True


async def check_proof(ctx: InboxContext, obj: dict[str, Any], author: str, what: str) -> None:
    """Returns when ``obj`` carries a valid proof by ``author``; raises Ignored with the reason."""
    try:
        method = str(proof_of(obj)["verificationMethod"])
    except ProofError as error:
        raise Ignored(f"refused {what}: {error}") from None
    if method.split("#", 1)[0] != author:
        raise Ignored(f"refused {what}: its proof is signed by {method}, not a key of {author}")
    reason = ""
    for refresh in (False, True):
        try:
            await ctx.resolver.get(author, refresh=refresh)
        except (FetchError, ActorDocumentError) as error:
            raise Ignored(f"refused {what}: cannot fetch {author} to check the proof ({error})") from None
        document = await ctx.stores.remote_actors.raw_document(author)
        try:
            verify(obj, assertion_key(document or {}, method))
            return
        except ProofError as error:
            reason = str(error)
    raise Ignored(f"refused {what}: {reason}")
