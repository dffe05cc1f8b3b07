"""``rdv-opendata backfill`` builds its snapshots in parallel threads (the flow's default task
runner); before the grammar read under a lock, four dated snapshots failed about one run in two
(« <lambda>() missing 1 required positional argument: 't' », pyparsing's first-call race). Each
attempt runs the real backfill in a fresh process, where the grammar has never been used, with
its builds on a thread pool and a tiny thread switch interval."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: four snapshots whose sentences differ, so each thread reads grammar the others do not
VARIANTS = {
    "2024-03-01.txt": ("Visibilité à 6 semaines.", "Visibilité à 6 semaines."),
    "2024-03-05.txt": ("Visibilité à 6 semaines.", "Visibilité à huit semaines."),
    "2024-03-08.txt": (
        "Visibilité à 6 semaines.",
        "Visibilité à 6 semaines. Ouverture des créneaux le premier lundi du mois à 9h.",
    ),
    "2024-03-12.txt": (
        "Sans rendez-vous, le mercredi après-midi",
        "Sans rendez-vous du lundi au jeudi de 8h45 à 11h45 et de 14h à 15h30",
    ),
}

BACKFILL = """
import json, sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
sys.setswitchinterval(1e-6)
from rdv_opendata.backfill import backfill, build_outcome

def threads(sources, policy):
    with ThreadPoolExecutor(max_workers=len(sources)) as pool:
        return list(pool.map(lambda source: build_outcome(source, policy), sources))

result = backfill(Path(sys.argv[1]), Path(sys.argv[2]), mapper=threads)
json.dump(result.to_dict(), sys.stdout)
"""


def backfill_in_a_fresh_process(snapshots: Path, output: Path) -> dict:
    run = subprocess.run(
        [sys.executable, "-c", BACKFILL, str(snapshots), str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout)


@pytest.fixture()
def snapshots(seed_text, tmp_path) -> Path:
    folder = tmp_path / "snapshots"
    folder.mkdir()
    for name, (old, new) in VARIANTS.items():
        assert old in seed_text
        (folder / name).write_text(seed_text.replace(old, new), encoding="utf-8")
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("attempt", range(3))
def test_backfill_builds_in_threads_give_every_release(snapshots, tmp_path, attempt):
    result = backfill_in_a_fresh_process(snapshots, tmp_path / f"out-{attempt}")
    assert result["failures"] == []
    assert result["published"] == ["1.0.0", "1.1.0", "1.2.0", "1.3.0"]
    unread = tmp_path / f"out-{attempt}" / "releases" / "1.2.0" / "data" / "unread_sentences.json"
    assert len(json.loads(unread.read_text("utf-8"))) == 1
