"""The collector over a run: collections spaced out while it runs, then as they were."""

from __future__ import annotations

import gc

import pytest

from core.collector import RUN_THRESHOLDS, collections_spaced


def test_collections_are_spaced_during_the_block_then_as_they_were():
    before = gc.get_threshold()
    with collections_spaced():
        assert gc.get_threshold() == RUN_THRESHOLDS
    assert gc.get_threshold() == before


def test_the_thresholds_come_back_after_a_failure():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), collections_spaced():
        raise RuntimeError("the run failed")
    assert gc.get_threshold() == before


def test_a_run_spaces_the_collections_and_gives_them_back(tmp_path, monkeypatch):
    from rdv_opendata import pipeline

    seen = []
    real = pipeline.refresh_outputs
    monkeypatch.setattr(
        pipeline,
        "refresh_outputs",
        lambda *a, **k: (seen.append(gc.get_threshold()), real(*a, **k)),
    )
    before = gc.get_threshold()
    assert pipeline.run(None, tmp_path).status == "published"
    assert seen == [RUN_THRESHOLDS]
    assert gc.get_threshold() == before
