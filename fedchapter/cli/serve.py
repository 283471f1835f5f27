"""``fedchapter serve``: the web app, with the workers in the same process
unless ``--no-workers``."""
from __future__ import annotations

import argparse
import sys

from fedchapter.cli.common import add_data_option, add_take_over_option, ensure_this_machine, settings_for
from fedchapter.cli.logging_setup import configure_logging


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("serve", help="serve the chapter over HTTP")
    add_data_option(parser)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--no-workers", action="store_true", help="serve only; run 'fedchapter worker' separately")
    # TLS in the server itself is for tests and small setups: other servers
    # look handles up over https only, so discovery must be tried that way.
    # Production normally terminates TLS in the reverse proxy (deploy/).
    parser.add_argument("--tls-cert", metavar="PEM", help="serve HTTPS with this certificate (chain) file")
    parser.add_argument("--tls-key", metavar="PEM", help="the certificate's private key (with --tls-cert)")
    add_take_over_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    # Imported here, not at the top: every other command starts without loading
    # the web stack (the CLI's start-up time is most of a short command's time).
    import uvicorn

    from fedchapter.cli.composition import chapter_app
    from fedchapter.cli.garbage_collection import tune_for_serving

    if bool(args.tls_cert) != bool(args.tls_key):
        print("fedchapter serve: --tls-cert and --tls-key go together", file=sys.stderr)
        return 2
    settings = settings_for(args)
    # Before the app opens (and migrates) the database: a refusal changes nothing.
    ensure_this_machine(settings, take_over=args.take_over)
    configure_logging(settings)
    app = chapter_app(settings, run_workers=not args.no_workers)
    tune_for_serving()
    scheme = "https" if args.tls_cert else "http"
    print(f"fedchapter: serving {settings.chapter_handle} on {scheme}://{args.host}:{args.port}", flush=True)
    # Limits against slow or greedy clients (docs/security.md): idle keep-alive
    # connections close after 5 s, a request's headers may not exceed 16 KiB,
    # and past 200 connections new ones get 503 instead of starving the rest.
    # Slow headers are the reverse proxy's to cut (uvicorn has no such timeout).
    uvicorn.run(app, host=args.host, port=args.port, log_level=settings.log_level, access_log=False,
                log_config=None, proxy_headers=True,
                forwarded_allow_ips=settings.trusted_proxies, timeout_keep_alive=5, h11_max_incomplete_event_size=16384,
                limit_concurrency=200, ssl_certfile=args.tls_cert, ssl_keyfile=args.tls_key)
    return 0
