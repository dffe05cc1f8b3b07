"""The pipeline without Prefect (``publish --no-orchestrator``) publishes byte-identical
releases to the Prefect flow, given the same clock (SOURCE_DATE_EPOCH)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rdv_opendata import pipeline


def files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


@pytest.mark.slow
@pytest.mark.usefixtures("prefect_harness")
def test_fast_path_and_flow_publish_identical_releases(seed_text, tmp_path, monkeypatch):
    from flows.publish_flow import publish_release

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1606780800")  # 2020-12-01T00:00:00Z
    edited = tmp_path / "edited.txt"
    edited.write_text(
        seed_text.replace("Visibilité à 6 semaines", "Visibilité à 8 semaines"), encoding="utf-8"
    )
    flow_out, fast_out = tmp_path / "flow", tmp_path / "fast"
    for source in (None, str(edited)):
        by_flow = publish_release(source=source, output=str(flow_out))
        by_fast = pipeline.run(source, fast_out).to_dict()
        assert by_flow == {**by_fast, "path": by_flow["path"]}
        assert by_flow["path"].replace(str(flow_out), "") == by_fast["path"].replace(
            str(fast_out), ""
        )
    flow_files, fast_files = files(flow_out), files(fast_out)
    assert sorted(flow_files) == sorted(fast_files)
    assert len([n for n in flow_files if n.startswith("releases/1.1.0/")]) > 20
    different = [name for name in flow_files if flow_files[name] != fast_files[name]]
    assert different == []
