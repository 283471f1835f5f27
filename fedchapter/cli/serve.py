"""``fedchapter serve``: the web app, with the workers in the same process
unless ``--no-workers``."""
from __future__ import annotations

import argparse

from fedchapter.cli.common import add_data_option, settings_for


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("serve", help="serve the chapter over HTTP")
    add_data_option(parser)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--no-workers", action="store_true", help="serve only; run 'fedchapter worker' separately")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    # Imported here, not at the top: every other command starts without loading
    # the web stack (the CLI's start-up time is most of a short command's time).
    import uvicorn

    from web.app import create_app

    settings = settings_for(args)
    app = create_app(settings, run_workers=not args.no_workers)
    print(f"fedchapter: serving {settings.chapter_handle} on http://{args.host}:{args.port}", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False, proxy_headers=True,
                forwarded_allow_ips="127.0.0.1")
    return 0
