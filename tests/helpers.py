"""Small helpers shared by the tests: the CLI in a child process, a folder served over HTTP."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pandas as pd

from publish.release.atomic import CRASH_ENV
from publish.release.package import render_package, write_files
from tests.http_server import running


def write_package(
    frames: dict[str, pd.DataFrame],
    directory: Path,
    source: dict[str, Any],
    version: str,
    created: str,
) -> dict[str, Any]:
    """Write every resource and the descriptor into ``directory``; returns the descriptor."""
    package, files, _ = render_package(frames, source, version, created)
    write_files(directory, files)
    return package


def publish_process(
    source: Path, output: Path, crash_at: str | None = None, *extra: str
) -> subprocess.CompletedProcess:
    """``rdv-opendata publish --no-orchestrator`` as a user runs it (killed at ``crash_at``)."""
    env = {**os.environ}
    env.pop(CRASH_ENV, None)
    if crash_at:
        env[CRASH_ENV] = crash_at
    command = [
        sys.executable,
        "-m",
        "rdv_opendata",
        "publish",
        "--no-orchestrator",
        "--source",
        str(source),
        "--output",
        str(output),
        *extra,
    ]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)


@contextmanager
def serve_folder(
    folder: Path, handler: type[SimpleHTTPRequestHandler] = SimpleHTTPRequestHandler
) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 with ``handler``; yields the base URL (ending with '/')."""

    class Quiet(handler):  # type: ignore[valid-type,misc]
        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    with running(httpd):
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"


def tree_hash(folder: Path) -> str:
    """One digest of a folder's names and bytes: equal means nothing in it changed."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def french_pages(site: Path) -> list[Path]:
    """The pages of the French site in ``site`` (``output/site``): every page but those of the
    other languages' folders (``site/<language>/``)."""
    from core import i18n

    others = {site / lang for lang in i18n.languages()[1:]}
    return sorted(p for p in site.rglob("*.html") if not others & set(p.parents))


def edit_descriptor(folder: Path, change: Callable[[Any], None]) -> None:
    """Edit the ``datapackage.json`` of the package in ``folder`` with ``change`` (a tampering)."""
    path = folder / "datapackage.json"
    descriptor = json.loads(path.read_text("utf-8"))
    change(descriptor)
    path.write_text(json.dumps(descriptor), encoding="utf-8")
