"""Second round of hardening (issue 11): each case an attack or a fault found, as a test first.

The publisher either publishes what it read or refuses in one line; it never leaves stale data
behind a success, never loses what it was given and never writes outside its output folder.
"""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest

from core.errors import PublishError
from publish.release.store import ReleaseStore
from rdv_opendata import pipeline
from tests.helpers import publish_process

RENEWAL_RULE = "renouvellements-de-titre-de-sejour--online-booking--slot-release"


def renewal_weeks(output: Path) -> int:
    rows = json.loads((output / "latest" / "data" / "slot_rules.json").read_text("utf-8"))
    return next(r["visibility_weeks"] for r in rows if r["rule_id"] == RENEWAL_RULE)


def site_version(output: Path) -> str:
    index = (output / "site" / "index.html").read_text("utf-8")
    return index.split("Informations de la version ", 1)[1].split(" ", 1)[0]


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# --- 1. a kill right after latest switches must not leave the data stale for good ------------


@pytest.mark.slow
def test_kill_after_latest_switched_then_the_previous_source_is_published_again(
    seed_text, tmp_path
):
    output = tmp_path / "out"
    six = write(tmp_path, "six.txt", seed_text)
    eight = write(
        tmp_path,
        "eight.txt",
        seed_text.replace("Visibilité à 6 semaines", "Visibilité à 8 semaines"),
    )
    assert publish_process(six, output).returncode == 0
    # committed, the catalog and latest switched in, killed before the state is: the next run
    # finishes the switch (the state then confirms 1.1.0) before it reads anything
    killed = publish_process(eight, output, crash_at="switch-state.json")
    assert killed.returncode == -signal.SIGKILL
    assert renewal_weeks(output) == 8  # 1.1.0 is published and latest

    again = publish_process(six, output)
    assert again.returncode == 0, again.stderr
    assert "unchanged" not in again.stdout
    assert renewal_weeks(output) == 6  # the source says 6: latest says 6


# --- 2. a site build that fails is repaired by the next run ----------------------------------


@pytest.mark.slow
def test_a_site_killed_mid_build_is_rebuilt_by_the_next_run(seed_text, tmp_path):
    output = tmp_path / "out"
    first = write(tmp_path, "a.txt", seed_text)
    edited = write(
        tmp_path, "b.txt", seed_text.replace("Visibilité à 6 semaines", "Visibilité à 8 semaines")
    )
    assert publish_process(first, output).returncode == 0
    killed = publish_process(edited, output, crash_at="site-building")
    assert killed.returncode == -signal.SIGKILL
    assert site_version(output) == "1.0.0"  # the data moved on, the site lags

    again = publish_process(edited, output)
    assert again.returncode == 0, again.stderr
    assert site_version(output) == "1.1.0"


@pytest.mark.slow
def test_an_unreadable_older_summary_fails_the_site_in_one_line_then_is_repaired(
    seed_text, tmp_path
):
    output = tmp_path / "out"
    texts = [
        seed_text,
        seed_text.replace("Visibilité à 6 semaines", "Visibilité à 8 semaines"),
        seed_text.replace("Visibilité à 6 semaines", "Visibilité à 9 semaines"),
    ]
    for index, text in enumerate(texts[:2]):
        assert publish_process(write(tmp_path, f"{index}.txt", text), output).returncode == 0
    older = output / "releases" / "1.0.0" / "changes.json"
    kept = older.read_bytes()
    older.write_text("{ broken", encoding="utf-8")

    run = publish_process(write(tmp_path, "2.txt", texts[2]), output)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert run.stderr.startswith("rdv-opendata: error: cannot build the site: ")
    assert "releases/1.0.0/changes.json" in run.stderr
    assert renewal_weeks(output) == 8  # written, audited, then published: nothing published

    older.write_bytes(kept)
    repaired = publish_process(write(tmp_path, "2.txt", texts[2]), output)
    assert repaired.returncode == 0, repaired.stderr
    assert site_version(output) == "1.2.0"


def test_the_site_is_part_of_every_run_even_unchanged(seed_text, tmp_path):
    output = tmp_path / "out"
    source = write(tmp_path, "a.txt", seed_text)
    pipeline.run(str(source), output)
    (output / "site" / "index.html").unlink()
    result = pipeline.run(str(source), output)
    assert result.status == "unchanged"
    assert site_version(output) == "1.0.0"


# --- 9. a tampered catalog or state file: one line, and nothing deleted ------------------------


@pytest.mark.parametrize(
    ("catalog", "message"),
    [
        ("[]", "releases.json is not a catalog"),
        ('{"releases": null}', "releases.json is not a catalog"),
        ('{"releases": [{"published": "x"}]}', "releases.json entry 1 has no valid version"),
        ('{"releases": [{"version": "../../../../victim"}]}', "entry 1 has no valid version"),
        ('{"releases": [{"version": "1.0"}]}', "entry 1 has no valid version"),
        ("{ broken", "releases.json is not valid JSON"),
    ],
)
def test_a_tampered_catalog_is_refused_before_any_deletion(seed_text, tmp_path, catalog, message):
    output = tmp_path / "out"
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("precious", encoding="utf-8")
    source = write(tmp_path, "a.txt", seed_text)
    pipeline.run(str(source), output)
    before = sorted(p.name for p in (output / "releases").iterdir())
    (output / "releases.json").write_text(catalog, encoding="utf-8")

    with pytest.raises(PublishError, match=message):
        pipeline.run(str(source), output)
    assert sorted(p.name for p in (output / "releases").iterdir()) == before
    assert (victim / "keep.txt").read_text(encoding="utf-8") == "precious"
    assert (output / "latest").resolve().parent == (output / "releases").resolve()


@pytest.mark.parametrize("state", ["123", "[]", '{"source_sha256": 5}', "{ broken"])
def test_a_tampered_state_file_only_costs_a_full_run(seed_text, tmp_path, state):
    output = tmp_path / "out"
    source = write(tmp_path, "a.txt", seed_text)
    pipeline.run(str(source), output)
    (output / "state.json").write_text(state, encoding="utf-8")
    assert pipeline.run(str(source), output).status == "unchanged"


def test_recovery_never_deletes_through_a_releases_symlink(seed_text, tmp_path):
    output = tmp_path / "out"
    source = write(tmp_path, "a.txt", seed_text)
    pipeline.run(str(source), output)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "not-a-release").mkdir()
    (elsewhere / "file.txt").write_text("mine", encoding="utf-8")
    real = output / "releases"
    real.rename(tmp_path / "moved")
    real.symlink_to(elsewhere)

    with pytest.raises(PublishError, match="releases is a symbolic link"):
        pipeline.run(str(source), output)
    assert sorted(p.name for p in elsewhere.iterdir()) == ["file.txt", "not-a-release"]


# --- 16, 17. the lock and the snapshots --------------------------------------------------------


def test_a_lock_that_is_a_symlink_is_refused_and_its_target_untouched(seed_text, tmp_path):
    output = tmp_path / "out"
    output.mkdir()
    target = tmp_path / "precious.txt"
    target.write_text("do not truncate me", encoding="utf-8")
    (output / ".lock").symlink_to(target)
    with pytest.raises(PublishError, match=r"\.lock is a symbolic link"):
        with ReleaseStore(output).lock():
            pass
    assert target.read_text(encoding="utf-8") == "do not truncate me"


def test_an_empty_file_in_place_of_a_snapshot_is_replaced_by_the_real_bytes(seed_text, tmp_path):
    output = tmp_path / "out"
    source = write(tmp_path, "a.txt", seed_text)
    digest = pipeline.sha256(source.read_bytes())
    (output / "snapshots").mkdir(parents=True)
    (output / "snapshots" / f"{digest}.txt").write_bytes(b"")
    pipeline.run(str(source), output)
    assert (output / "snapshots" / f"{digest}.txt").read_bytes() == source.read_bytes()
