"""The run report as Prefect artifacts, under stable keys so the UI shows their history."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect.artifacts import (
    create_link_artifact,
    create_markdown_artifact,
    create_table_artifact,
)

from core.markdown import markdown_escape
from rdv_opendata.notify import Delivery
from rdv_opendata.settings import NOTIFY_BLOCK, NOTIFY_ENV

CHANGES_KEY = "rdv-opendata-changes"
RESOURCES_KEY = "rdv-opendata-resources"
RELEASE_KEY = "rdv-opendata-release"
PROGRESS_KEY = "rdv-opendata-backfill-progress"
BACKFILL_KEY = "rdv-opendata-backfill"
NOTIFICATIONS_KEY = "rdv-opendata-notifications"


def report_run(result: dict[str, Any]) -> None:
    """A Markdown summary of the changes, a table of rows per resource, a link to the release."""
    if result["status"] == "published":
        markdown = result["summary"]
    else:
        markdown = (
            f"# Aucun changement\n\nLa dernière version reste la "
            f"{result['version']} : {markdown_escape(result['reason'])}.\n"
        )
    create_markdown_artifact(markdown, key=CHANGES_KEY, description="Changements publiés")
    validated = "pandera + frictionless: ok" if result["status"] == "published" else "—"
    table = [
        {
            "resource": name,
            "rows": rows,
            **result["changes"].get(name, {"added": 0, "removed": 0, "changed": 0}),
            "validation": validated,
        }
        for name, rows in result["rows"].items()
    ]
    create_table_artifact(table, key=RESOURCES_KEY, description="Lignes par ressource")
    if result.get("path"):
        folder = Path(result["path"]).resolve()
        create_link_artifact(
            folder.as_uri(),
            link_text=f"Version {result['version']}",
            key=RELEASE_KEY,
            description="Dossier de la version publiée",
        )


def report_failure(message: str) -> None:
    create_markdown_artifact(
        f"# Échec\n\n{markdown_escape(message)}\n",
        key=CHANGES_KEY,
        description="La publication a échoué",
    )


def report_notifications(title: str, deliveries: list[Delivery]) -> None:
    """Which targets the run's message reached (URLs without credentials), and why not."""
    lines = [f"# Notification : {markdown_escape(title)}", ""]
    if deliveries:
        lines += ["| cible | remise | raison |", "|---|---|---|"]
        lines += [
            f"| {markdown_escape(d.target)} | {'oui' if d.delivered else 'non'} "
            f"| {markdown_escape(d.reason)} |"
            for d in deliveries
        ]
    else:
        lines.append(
            f"Aucune cible : ni la variable `{NOTIFY_ENV}` ni le bloc Secret "
            f"« {NOTIFY_BLOCK} » ne sont définis."
        )
    create_markdown_artifact(
        "\n".join(lines) + "\n", key=NOTIFICATIONS_KEY, description="Notifications envoyées"
    )
