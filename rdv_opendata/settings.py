"""Settings of the application (CLI, pipeline, notifications): where the bundled snapshot lives,
the default output folder and the notification targets. The pure packages' constants are in
``core/settings.py``."""

from __future__ import annotations

from pathlib import Path

#: the snapshot bundled with the project, read when no --source is given
DEFAULT_SOURCE = Path(__file__).parent / "data" / "isere-modalites-rdv-2020.txt"
DEFAULT_OUTPUT = Path("output")

# notifications (rdv_opendata/notify.py): Apprise URLs, separated by white space, from this
# environment variable; when it is unset, in a flow run, from the Prefect Secret block so named
NOTIFY_ENV = "RDV_OPENDATA_NOTIFY"
NOTIFY_BLOCK = "rdv-opendata-notify"
NOTIFY_TIMEOUT = 30.0  # seconds for a message to reach one target (Apprise's deadline)
