"""The scheduled deployment of ``publish_release`` and how to serve it.

Schedules (Europe/Paris): the prefecture opens new slots every Monday at 00:00, so the table is
checked shortly after, at 00:15 on Mondays; staff edit the page by hand on any day, so it is also
checked every day at 07:00, before associations start their day. Unchanged sources cost a fetch
and nothing more (conditional GET, then the content hash). At most one run at a time.

``python -m flows.deploy`` serves the deployment (what ``make serve`` runs against a local
Prefect server); ``prefect.yaml`` declares the same deployment for a work pool.
"""

from __future__ import annotations

import argparse
from typing import Any

from prefect import serve
from prefect.deployments.runner import EntrypointType
from prefect.schedules import Cron

from flows.publish_flow import publish_release
from rdv_opendata.settings import DEFAULT_OUTPUT

DEPLOYMENT_NAME = "isere-weekly"
TIMEZONE = "Europe/Paris"
CRONS = ("15 0 * * 1", "0 7 * * *")  # Monday after the slots open; every morning for edits


def schedules() -> list[Any]:
    return [Cron(cron, timezone=TIMEZONE) for cron in CRONS]


def deployment(source: str | None = None, output: str = str(DEFAULT_OUTPUT)) -> Any:
    return publish_release.to_deployment(
        name=DEPLOYMENT_NAME,
        schedules=schedules(),
        concurrency_limit=1,
        parameters={"source": source, "output": output},
        description="Publie une nouvelle version quand le tableau de la préfecture change.",
        tags=["rdv-opendata"],
        # loaded as flows.publish_flow, so the folder flows/ never lands on sys.path
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the scheduled publish deployment.")
    parser.add_argument("--source", help="URL or path (default: the bundled snapshot)")
    parser.add_argument("--output", default=str(DEFAULT_OUTPUT))
    args = parser.parse_args(argv)
    serve(deployment(args.source, args.output), limit=1)


if __name__ == "__main__":
    main()
