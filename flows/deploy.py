"""The scheduled deployment of ``publish_release`` and how to serve it.

Schedules (Europe/Paris): the prefecture opens new slots every Monday at 00:00, so the table is
checked shortly after, at 00:15 on Mondays; staff edit the page by hand on any day, so it is also
checked every day at 07:00, before associations start their day. Unchanged sources cost a fetch
and nothing more (conditional GET, then the content hash). At most one run at a time.

``python -m flows.deploy --source URL`` serves the deployment (what ``make serve SOURCE=URL``
runs against a local Prefect server); ``prefect.yaml`` declares the same deployment for a work
pool. The source is never implied: here it is ``--source`` or ``RDV_OPENDATA_SOURCE``; in
``prefect.yaml``, the Prefect Variable ``rdv_opendata_source``; a person sets it to the
prefecture's page URL. ``--demo`` serves a separate, clearly labelled deployment on the snapshot
bundled with the project.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from prefect import serve
from prefect.deployments.runner import EntrypointType
from prefect.schedules import Cron

from flows.publish_flow import publish_release
from rdv_opendata.settings import DEFAULT_OUTPUT

DEPLOYMENT_NAME = "isere-weekly"
DEMO_DEPLOYMENT_NAME = "demo-instantane-2020"
#: where a person sets the prefecture's page URL (the deployment never guesses it)
SOURCE_ENV = "RDV_OPENDATA_SOURCE"
SOURCE_VARIABLE = "rdv_opendata_source"
NO_SOURCE = (
    f"no source: set the prefecture's page URL with --source URL or the {SOURCE_ENV} "
    "environment variable (make serve SOURCE=URL); --demo serves a demonstration on the "
    "bundled 2020 snapshot instead"
)
TIMEZONE = "Europe/Paris"
CRONS = ("15 0 * * 1", "0 7 * * *")  # Monday after the slots open; every morning for edits


def schedules() -> list[Any]:
    return [Cron(cron, timezone=TIMEZONE) for cron in CRONS]


def deployment(source: str | None, output: str = str(DEFAULT_OUTPUT), demo: bool = False) -> Any:
    """The scheduled deployment on ``source`` (the page URL); with ``demo``, a separate
    deployment on the bundled snapshot, labelled as a demonstration in its name and text."""
    if demo:
        name, description, tags = (
            DEMO_DEPLOYMENT_NAME,
            "DÉMONSTRATION sur l'instantané de 2020 inclus dans le projet : ne suit pas la page "
            "actuelle de la préfecture.",
            ["rdv-opendata", "demo"],
        )
    else:
        if not source:
            raise ValueError(NO_SOURCE)
        name, description, tags = (
            DEPLOYMENT_NAME,
            "Publie une nouvelle version quand le tableau de la préfecture change.",
            ["rdv-opendata"],
        )
    return publish_release.to_deployment(
        name=name,
        schedules=schedules(),
        concurrency_limit=1,
        parameters={"source": None if demo else source, "output": output},
        description=description,
        tags=tags,
        # loaded as flows.publish_flow, so the folder flows/ never lands on sys.path
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the scheduled publish deployment.")
    parser.add_argument("--source", help="the prefecture's page URL (or a path)")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="serve a demonstration deployment on the bundled 2020 snapshot",
    )
    parser.add_argument("--output", default=str(DEFAULT_OUTPUT))
    args = parser.parse_args(argv)
    source = None if args.demo else (args.source or os.environ.get(SOURCE_ENV))
    if not args.demo and not source:
        print(f"rdv-opendata: error: {NO_SOURCE}", file=sys.stderr)
        return 2
    if args.demo:
        print("DEMO: serving the bundled 2020 snapshot, not the prefecture's page", file=sys.stderr)
    serve(deployment(source, args.output, demo=args.demo), limit=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
