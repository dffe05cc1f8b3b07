"""The grammar read from many threads at once gives what it gives when read alone.

pyparsing is not thread-safe (pyparsing issue #89): the number of arguments a parse action takes
is found at its first call, by trial and error, in state shared between threads; two threads
racing there leave it wrong for good (« <lambda>() missing 1 required positional argument: 't' »,
seen in ``rdv-opendata backfill`` with the thread runner). The race only exists before the
grammar's first use, so each attempt runs in a fresh Python process where nothing has read a
sentence yet; a tiny thread switch interval makes the threads interleave often.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from normalise import grammar, lexicon
from normalise.sentences import split

HERE = Path(__file__).parent / "fixtures" / "phrasings"
ROOT = Path(__file__).resolve().parent.parent


def corpus() -> list[str]:
    """Every sentence of the phrasing fixtures (read, refused, the grammar's families, traps)."""
    out: list[str] = []
    for path in sorted(HERE.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                out += split(lexicon.reading_form(json.loads(line)["text"]))
    return out


def outcome(text: str) -> str:
    """A reading as comparable text: the phrases, or the kind and message of the refusal."""
    try:
        return repr(grammar.read_sentence(text))
    except Exception as exc:  # every outcome is compared, the unexpected ones too
        return f"{type(exc).__name__}: {exc}"


RACE = """
import json, sys, threading
sys.setswitchinterval(1e-6)
from tests.test_grammar_threads import corpus, outcome
texts = corpus()
threads, rounds = int(sys.argv[1]), int(sys.argv[2])
start = threading.Barrier(threads)
results = [None] * threads
def reader(i):
    start.wait()
    results[i] = [[outcome(t) for t in texts] for _ in range(rounds)]
workers = [threading.Thread(target=reader, args=(i,)) for i in range(threads)]
for w in workers: w.start()
for w in workers: w.join()
json.dump(results, sys.stdout)
"""


def race(threads: int, rounds: int) -> list[list[list[str]]]:
    done = subprocess.run(
        [sys.executable, "-c", RACE, str(threads), str(rounds)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(done.stdout)


def assert_same_as_serial(processes: int, threads: int, rounds: int) -> None:
    texts = corpus()
    serial = [outcome(t) for t in texts]
    assert not [o for o in serial if o.startswith("TypeError")]
    for _ in range(processes):
        for thread in race(threads, rounds):
            for reading in thread:
                wrong = [(t, o) for t, o, s in zip(texts, reading, serial, strict=True) if o != s]
                assert not wrong, f"{len(wrong)} sentences read differently, first: {wrong[0]}"


def test_the_corpus_is_large_enough_to_race():
    assert len(corpus()) > 140


def test_threads_read_the_corpus_as_one_thread_does():
    assert_same_as_serial(processes=3, threads=16, rounds=2)


@pytest.mark.slow
def test_threads_read_the_corpus_as_one_thread_does_many_times():
    assert_same_as_serial(processes=20, threads=16, rounds=3)
