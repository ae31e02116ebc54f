"""The ``moot-hub`` command: run the hub and look after its groups and invitations."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from app import moot_version
from app.codes import Code, error_json
from app.errors import MootError
from sync.hub import backup, consultation_cli, logs, officer_cli, service
from sync.hub.db import make_engine, migrate
from sync.hub.errors import HubRefusal
from sync.hub.keys import load_hub_identity, move_key_out
from sync.hub.limits import Limits
from sync.hub.settings import (
    DEFAULT_PORT,
    LOG_FORMATS,
    HubSettings,
    default_db_url,
    default_key_file,
    log_format,
    public_urls,
    trusted_proxies,
)
from sync.protocol import PROTOCOL

log = logging.getLogger(logs.LOGGER)


def main(argv: list[str] | None = None) -> int:
    args = _defaults(_parser().parse_args(sys.argv[1:] if argv is None else argv))
    if not hasattr(args, "run"):
        _parser().print_help()
        return 0
    db_url = args.db or default_db_url()
    try:  # only the server checks proofs, so only it reads its public addresses
        addresses = public_urls(args.public_url) if args.run is _serve else ()
        if args.run is _serve:
            args.log_format = log_format(args.log_format)
            args.trusted_proxy = trusted_proxies(args.trusted_proxy)
    except ValueError as exc:
        _refused(Code.INVALID_INPUT, str(exc), as_json=args.json)
        return 2
    settings = HubSettings(
        db_url=db_url,
        key_file=Path(args.key) if args.key else default_key_file(db_url),
        name=getattr(args, "name", None) or "Council hub",
        public_urls=addresses,
        limits=None if getattr(args, "no_rate_limits", False) else Limits(),
    )
    try:
        result = args.run(settings, args)
    except (HubRefusal, MootError) as exc:
        return _refused(exc.code, str(exc), as_json=args.json)
    except SQLAlchemyError as exc:
        words = (
            f"the database could not be used: {exc.__class__.__name__}: {str(exc).splitlines()[0]}"
        )
        return _refused(Code.DATABASE_ERROR, words, as_json=args.json)
    if result is not None:
        print(json.dumps(result) if args.json else _human(result))
    return 0


def _refused(code: Code, words: str, *, as_json: bool) -> int:
    """One line on stderr, or with ``--json`` one object ``{"error": CODE, "message": WORDS}``."""
    print(error_json([(code, words)]) if as_json else f"moot-hub: {words}", file=sys.stderr)
    return 1


def _human(result: dict[str, Any]) -> str:
    return "\n".join(f"{k}: {v}" for k, v in result.items())


def _serve(settings: HubSettings, args: argparse.Namespace) -> None:
    import uvicorn

    from sync.hub.api import create_app

    logs.configure(args.log_format)
    if not settings.public_urls:
        log.warning(
            "no --public-url given, so this hub cannot refuse laptops' proofs "
            "that another server passes on to it; give the address laptops use.",
            extra=logs.event("no_public_url"),
        )
    try:
        engine = make_engine(settings.db_url)
        migrate(engine)
        engine.dispose()
        app = create_app(settings)
    except (HubRefusal, MootError, SQLAlchemyError) as exc:
        if args.log_format != "json":
            raise  # said in one line, as every command says it
        words = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        code = getattr(exc, "code", Code.DATABASE_ERROR)
        log.error("%s", words, extra=logs.event("startup_failed", error=str(code)))
        raise SystemExit(1) from None
    log.info(
        "moot-hub %s serving on %s:%d",
        moot_version(),
        args.host,
        args.port,
        extra=logs.event(
            "startup",
            version=moot_version(),
            protocol=PROTOCOL,
            host=args.host,
            port=args.port,
            database=_dialect(settings.db_url),
            public_urls=list(settings.public_urls),
            trusted_proxies=list(args.trusted_proxy),
            rate_limits=settings.limits is not None,
        ),
    )
    uvicorn.run(  # the app says when it stops
        app,
        host=args.host,
        port=args.port,
        log_config=None,  # logs.configure has sent uvicorn's records to the hub's log
        access_log=False,  # sync.hub.logs.RequestLog writes one line per request
        forwarded_allow_ips=",".join(args.trusted_proxy),
    )


def _dialect(db_url: str) -> str:
    """The kind of database, for the log: never its address, which may hold a password."""
    return "sqlite" if db_url.startswith("sqlite") else "postgresql"


def _migrate(settings: HubSettings, _args: argparse.Namespace) -> dict[str, Any]:
    def work(conn: Any) -> dict[str, Any]:
        # A key that older hubs kept in the database moves to the key file now; a new
        # key is made only where the hub runs (a migration may run elsewhere).
        return {"migrated": True, "key_moved": move_key_out(conn, settings.key_file)}

    return dict(_in_transaction(settings, work))


def _in_transaction(settings: HubSettings, work: Any) -> Any:
    engine = make_engine(settings.db_url)
    migrate(engine)
    try:
        with engine.begin() as conn:
            return work(conn)
    finally:
        engine.dispose()


def _group_create(settings: HubSettings, args: argparse.Namespace) -> dict[str, Any]:
    def work(conn: Any) -> dict[str, Any]:
        hub = load_hub_identity(conn, settings.key_file)
        return {"id": service.create_group(conn, name=args.name, hub=hub)}

    return dict(_in_transaction(settings, work))


def _invite(settings: HubSettings, args: argparse.Namespace) -> dict[str, Any]:
    def work(conn: Any) -> dict[str, Any]:
        code = service.make_invite(
            conn,
            group_id=args.group_id,
            role=args.role,
            uses=args.uses,
            days=args.expires,
            created_by="hub",
        )
        return {"code": code}

    return dict(_in_transaction(settings, work))


def _revoke(settings: HubSettings, args: argparse.Namespace) -> dict[str, Any]:
    def work(conn: Any) -> dict[str, Any]:
        return {"revoked": True, "group_id": service.revoke_invite(conn, code=args.code)}

    return dict(_in_transaction(settings, work))


def _backup(settings: HubSettings, args: argparse.Namespace) -> dict[str, Any]:
    return backup.backup(
        db_url=settings.db_url, key_file=settings.key_file, into=Path(args.file), force=args.force
    )


def _restore(settings: HubSettings, args: argparse.Namespace) -> dict[str, Any]:
    return backup.restore(
        db_url=settings.db_url, key_file=settings.key_file, source=Path(args.file), force=args.force
    )


def _registration_code(settings: HubSettings, _args: argparse.Namespace) -> dict[str, Any]:
    return dict(_in_transaction(settings, lambda conn: {"code": service.registration_code(conn)}))


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        default=argparse.SUPPRESS,
        help="database URL (default: $MOOT_HUB_DB, else a SQLite file)",
    )
    common.add_argument(
        "--key",
        default=argparse.SUPPRESS,
        metavar="FILE",
        help="the hub's private key file (default: $MOOT_HUB_KEY, else beside a SQLite "
        "database, else in the data folder); made on first start",
    )
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS)
    parser = argparse.ArgumentParser(
        prog="moot-hub", parents=[common], description="Run a Moot council hub."
    )
    parser.add_argument("--version", action="version", version=f"moot-hub {moot_version()}")
    sub = parser.add_subparsers(metavar="COMMAND")

    serve = sub.add_parser("serve", parents=[common], help="serve the hub over HTTP")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    serve.add_argument("--name", default="Council hub", help="the hub's name, shown to members")
    serve.add_argument(
        "--public-url",
        action="append",
        metavar="URL",
        help="an address laptops reach this hub at, such as https://hub.example.gov.uk "
        "(repeat for several; default: $MOOT_HUB_PUBLIC_URL). Laptops' proofs made for "
        "any other address are refused, so another server cannot pass them on to this one",
    )
    serve.add_argument(
        "--trusted-proxy",
        action="append",
        metavar="ADDRESS",
        help="a reverse proxy (an address, or a network such as 172.20.0.0/24) whose "
        "X-Forwarded-For and X-Forwarded-Proto the hub believes (repeat for several; default: "
        "$MOOT_HUB_TRUSTED_PROXIES, else this machine alone: 127.0.0.1 and ::1)",
    )
    serve.add_argument(
        "--log-format",
        choices=LOG_FORMATS,
        help="how the log on stderr is written: text for a person, json for a log collector, "
        "one object a line (default: $MOOT_HUB_LOG_FORMAT, else text)",
    )
    serve.add_argument(
        "--no-rate-limits",
        action="store_true",
        help="answer every request however many come (for a load test on a private network)",
    )
    serve.set_defaults(run=_serve)

    sub.add_parser(
        "migrate", parents=[common], help="bring the database schema up to date"
    ).set_defaults(run=_migrate)

    save = sub.add_parser(
        "backup",
        parents=[common],
        help="copy the hub's database to FILE, also while the hub serves (not its key file)",
    )
    save.add_argument("file", metavar="FILE")
    save.add_argument("--force", action="store_true", help="replace FILE if it exists")
    save.set_defaults(run=_backup)

    load = sub.add_parser(
        "restore",
        parents=[common],
        help="put a backup into the hub's database (the hub stopped), then migrate it",
    )
    load.add_argument("file", metavar="FILE")
    load.add_argument(
        "--force",
        action="store_true",
        help="replace everything in a database that holds groups already",
    )
    load.set_defaults(run=_restore)

    group = sub.add_parser("group", help="groups on this hub").add_subparsers(
        metavar="ACTION", required=True
    )
    create = group.add_parser("create", parents=[common], help="found a group on the hub")
    create.add_argument("name")
    create.set_defaults(run=_group_create)

    invite = sub.add_parser("invite", parents=[common], help="make an invitation code")
    invite.add_argument("group_id")
    invite.add_argument("--role", default="member", choices=("member", "clerk", "organiser"))
    invite.add_argument("--uses", type=int, default=1)
    invite.add_argument("--expires", type=int, default=14, metavar="DAYS")
    invite.set_defaults(run=_invite)

    revoke = sub.add_parser("revoke", parents=[common], help="stop an invitation code working")
    revoke.add_argument("code")
    revoke.set_defaults(run=_revoke)

    consultation_cli.add_parser(sub, common, _in_transaction)
    officer_cli.add_parser(sub, common, _in_transaction)

    sub.add_parser(
        "registration-code",
        parents=[common],
        help="make a code an organiser uses to connect an offline group",
    ).set_defaults(run=_registration_code)
    return parser


def _defaults(args: argparse.Namespace) -> argparse.Namespace:
    args.db = getattr(args, "db", None)
    args.key = getattr(args, "key", None)
    args.json = getattr(args, "json", False)
    return args


if __name__ == "__main__":
    sys.exit(main())
