"""The ``rdv-opendata`` command line. Heavy imports happen inside the commands, so that
``--help`` stays fast; domain errors become one line on stderr and a non-zero exit."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rdv-opendata",
        description="Publish the Isère prefecture's residence-permit appointment table as a "
        "validated Frictionless data package.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    publish = commands.add_parser("publish", help="run the publish flow (Prefect)")
    publish.add_argument("--source", help="path of the source (default: the bundled snapshot)")
    publish.add_argument("--output", default="output", help="output folder (default: output)")
    validate = commands.add_parser("validate", help="validate a published package")
    validate.add_argument("package", help="a release folder or its datapackage.json")
    return parser


def _publish(args: argparse.Namespace) -> int:
    from flows.publish import publish_release

    result = publish_release(source=args.source, output=args.output)
    print(json.dumps(result, ensure_ascii=False))
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    from publish.verify import verify_package

    errors = verify_package(args.package)
    for error in errors:
        print(f"invalid: {error['message']}", file=sys.stderr)
    if errors:
        return EXIT_ERROR
    print(f"valid: {args.package}")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from rdv_opendata.errors import RdvError

    try:
        return {"publish": _publish, "validate": _validate}[args.command](args)
    except RdvError as exc:
        print(f"rdv-opendata: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("rdv-opendata: interrupted", file=sys.stderr)
        return 130
