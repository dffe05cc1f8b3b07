"""``make bench``: the costs of this pipeline measured side by side in one run, on this machine.

Prints a table and, after a full run, writes ``benchmarks/results.json``. Medians of several
repetitions; each target is checked against its figure (a report, never an assertion: machines
here are noisy). Targets are ratios measured in the same run (machines of this kind differ in
speed from one to the next): a fast publish against the bare import of its stack, an unchanged
run against a publish, rows per second and the cost of a row at 10,000 rows against 1,000.

    python benchmarks/bench.py [--quick] [--only LETTERS]
    # --quick: fewer repetitions, no Prefect server; --only bg: measures b and g (and h) only;
    # i: the time per character of a long hostile cell (issue 21)
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
PAGE = ROOT / "tests" / "fixtures" / "forms" / "seed-page-windows-1252.html"
HEAVY = ("pandas", "pandera", "frictionless", "prefect", "pyarrow", "numpy", "httpx", "bs4")


def median_time(
    function: Callable[[], object], repeat: int, before: Callable[[], object] = lambda: None
) -> float:
    """The median time of ``function`` (``before`` runs untimed before each call)."""
    times = []
    for _ in range(repeat):
        before()
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run_process(command: list[str], env: dict[str, str] | None = None) -> tuple[float, int, int]:
    """Wall time from process start, peak RSS (MB) and exit status of a child process."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss // 1024, process.returncode


def cli(*args: str) -> list[str]:
    return [str(BIN / "rdv-opendata"), *args]


#: the project's packages: their functools caches are emptied before each timed parse (a) and
#: publish (c, g), as a new process starts
PROJECT = ("core", "extract", "normalise", "schemas", "publish", "rdv_opendata", "website")


def cold_caches() -> None:
    """Empty the project's own caches (``functools.cache``, ``lru_cache``, and module objects
    that clear as they do), as a new process starts: what a table repeats within itself is read
    once, but nothing the publish before read is reused."""
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] in PROJECT:
            for value in list(vars(module).values()):
                if not isinstance(value, type) and callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


def bench_parse(repeat: int) -> dict:
    import pandas as pd

    from extract import extract_table
    from normalise import normalise

    data = PAGE.read_bytes()
    text = data.decode("windows-1252")
    ours = median_time(lambda: normalise(extract_table(data)), repeat, before=cold_caches)
    theirs = median_time(
        lambda: pd.read_html(io.StringIO(text), match="Type de rendez-vous", flavor="lxml"), repeat
    )
    return {"ours_s": ours, "read_html_s": theirs, "ratio": ours / theirs}


#: the stack a publish imports, and what measure b compares a publish with
STACK = ("pandas", "pandera.pandas", "frictionless", "pyarrow", "bs4", "lxml")


def bench_publish(repeat: int, work: Path) -> dict:
    """A fast publish of the bundled snapshot (``rdv-opendata publish --no-orchestrator``, import
    and publish) against the bare import of its stack, each in a fresh process, alternated so
    that both meet the same machine; medians."""
    bare = [sys.executable, "-c", "import " + ", ".join(STACK)]
    walls, stacks, rss = [], [], []
    for n in range(repeat):
        stack_wall, _, status = run_process(bare)
        assert status == 0, "importing the stack failed"
        out = work / f"publish-{n}"
        wall, peak, status = run_process(cli("publish", "--no-orchestrator", "--output", str(out)))
        assert status == 0, "publish failed"
        stacks.append(stack_wall)
        walls.append(wall)
        rss.append(peak)
    wall, stack = statistics.median(walls), statistics.median(stacks)
    return {"wall_s": wall, "stack_s": stack, "ratio": wall / stack, "peak_rss_mb": max(rss)}


def bench_unchanged(repeat: int, work: Path) -> dict:
    from rdv_opendata import pipeline

    full = []
    for n in range(repeat):
        out = work / f"inproc-{n}"
        cold_caches()  # each publish reads the page as a new process would
        started = time.perf_counter()
        pipeline.run(None, out)
        full.append(time.perf_counter() - started)
    same = median_time(lambda: pipeline.run(None, work / "inproc-0"), repeat)
    publish_work = statistics.median(full[1:] or full)  # the first pays lazy imports
    return {"unchanged_s": same, "publish_work_s": publish_work, "ratio": same / publish_work}


def make_history(folder: Path, snapshots: int, versions: int) -> None:
    from rdv_opendata.settings import DEFAULT_SOURCE

    seed = DEFAULT_SOURCE.read_text(encoding="utf-8")
    variants = []
    for v in range(versions):
        text = seed.replace("Visibilité à 6 semaines", f"Visibilité à {6 + v % 7} semaines")
        text = text.replace(
            "jusqu'au 18/12/2020", f"jusqu'au {1 + v % 28:02d}/{1 + v // 28:02d}/2021"
        )
        variants.append(text)
    folder.mkdir(parents=True)
    day = 86400
    start = 1_577_836_800  # 2020-01-01
    per_version = snapshots // versions
    for n in range(snapshots):
        date = time.strftime("%Y-%m-%d", time.gmtime(start + n * day))
        (folder / f"isere-{date}.txt").write_text(
            variants[min(n // per_version, versions - 1)], encoding="utf-8"
        )


WALK_IN_TYPE = "<b>Dépôt des dossiers d'admission exceptionnelle au séjour</b>"
CAPACITY = "dans la limite de 10 places"


def large_source(rows: int, capacity: int = 10) -> str:
    """The bundled snapshot with ``rows`` more data rows, about 1.5 MB for 10,000: copies of its
    walk-in row (a type, a channel and a slot rule each), under types « Type k », the places of
    every walk-in set to ``capacity``."""
    from rdv_opendata.settings import DEFAULT_SOURCE

    lines = DEFAULT_SOURCE.read_text(encoding="utf-8").split("\n")
    at = next(n for n, line in enumerate(lines) if line.startswith(WALK_IN_TYPE + "\t"))
    copies = [lines[at].replace(WALK_IN_TYPE, f"<b>Type {k}</b>") for k in range(rows)]
    text = "\n".join([*lines[: at + 1], *copies, *lines[at + 1 :]])
    return text.replace(CAPACITY, f"dans la limite de {capacity} places")


def bench_large(repeat: int, work: Path, sizes: tuple[int, ...] = (1000, 2000, 10000)) -> dict:
    """A release of a large table whose every walk-in changed (places 10 <-> 12): one line of
    the change summary per row. Each size publishes its table once first (not timed), then
    times publishes (no orchestrator, in process) alternating the two versions, each with the
    project's caches emptied first (``cold_caches``) and the previous publish's garbage deleted
    (``_wait_for_garbage``, its wait recorded). Each size is also timed in one process
    (no second process, ``RDV_OPENDATA_SECOND_PROCESS_FROM_ROWS=never``), alternated with the
    default, to show what the second processes buy."""
    out: dict = {}
    for rows in sizes:
        folder = work / f"large-{rows}"
        folder.mkdir()
        sources = []
        for capacity in (10, 12):
            path = folder / f"places-{capacity}.txt"
            path.write_text(large_source(rows, capacity), encoding="utf-8")
            sources.append(str(path))
        times = _large_publishes(sources, folder / "out", repeat)
        out[str(rows)] = {
            "source_bytes": Path(sources[1]).stat().st_size,
            "publish_s": statistics.median(times["default"]),
            "one_process_s": statistics.median(times["never"]),
            "garbage_wait_s": statistics.median(times["reclaim"]),
        }
    small, large = sizes[0], sizes[-1]
    out["ratio"] = out[str(large)]["publish_s"] / out[str(small)]["publish_s"]
    out["rows_per_s"] = large / out[str(large)]["publish_s"]
    out["one_process_rows_per_s"] = large / out[str(large)]["one_process_s"]
    # the cost of a row at the largest size against the smallest: 1.0 is linear
    out["per_row_ratio"] = (out[str(large)]["publish_s"] / large) / (
        out[str(small)]["publish_s"] / small
    )
    return out


def _large_publishes(sources: list[str], output: Path, repeat: int) -> dict[str, list[float]]:
    """Publish times with the default threshold of the second process and with none (the
    environment variable's values), alternated."""
    from rdv_opendata import pipeline
    from rdv_opendata.settings import SECOND_PROCESS_ENV

    pipeline.run(sources[0], output)
    times: dict[str, list[float]] = {"default": [], "never": [], "reclaim": []}
    for n in range(2 * repeat):
        setting = "default" if n % 2 == 0 else "never"
        _wait_for_garbage(times)
        cold_caches()
        with _environment(SECOND_PROCESS_ENV, None if setting == "default" else setting):
            started = time.perf_counter()
            result = pipeline.run(sources[(n + 1) % 2], output)
            times[setting].append(time.perf_counter() - started)
        assert result.status == "published" and len(result.lines) > 1000, result.reason
    return times


def _wait_for_garbage(times: dict[str, list[float]]) -> None:
    """Wait (untimed, but recorded) for the previous publish's garbage to be deleted: the
    previous site, 40,000 files at 10,000 rows, goes in a process of its own that outlives the
    run (``publish/release/reclaim.py``); publishes hours apart never meet it, and one timed
    right after another would share the disk and a core with it."""
    from publish.release import reclaim

    started = time.perf_counter()
    reclaim.wait()
    times["reclaim"].append(time.perf_counter() - started)


@contextlib.contextmanager
def _environment(name: str, value: str | None) -> Iterator[None]:
    """The environment variable ``name`` set to ``value`` (None: unset) for the block."""
    before = os.environ.pop(name, None)
    if value is not None:
        os.environ[name] = value
    try:
        yield
    finally:
        os.environ.pop(name, None)
        if before is not None:
            os.environ[name] = before


def bench_backfill(work: Path, snapshots: int, versions: int) -> dict:
    from rdv_opendata.backfill import backfill

    folder = work / "history"
    make_history(folder, snapshots, versions)
    started = time.perf_counter()
    result = backfill(folder, work / "backfilled")
    wall = time.perf_counter() - started
    assert len(result.published) == versions and not result.failures, result.failures
    return {
        "snapshots": snapshots,
        "versions": versions,
        "wall_s": wall,
        "snapshots_per_s": snapshots / wall,
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_orchestration(work: Path, with_server: bool) -> dict:
    import httpx

    home = work / "prefect-home"
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    run_process(cli("publish", "--output", str(work / "warm-up")), env)  # a new home's set-up
    ephemeral, _, status = run_process(cli("publish", "--output", str(work / "ephemeral")), env)
    assert status == 0
    out = {"ephemeral_s": ephemeral}
    if not with_server:
        return out
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    server = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{api}/health", timeout=2).json() is True:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        served = {**env, "PREFECT_API_URL": api}
        wall, _, status = run_process(cli("publish", "--output", str(work / "server")), served)
        assert status == 0
        out["server_s"] = wall
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
    return out


#: shapes of a long hostile cell (issue 21): an unbroken word, digits, a hyphenated run, a link
#: ending in punctuation, times, day names, mixed scripts
LONG_CELLS = {
    "word": ("", "a"),
    "digits": ("", "1"),
    "hyphens": ("", "a-"),
    "link": ("http://a", ".,"),
    "times": ("", "1 h "),
    "days": ("", "lundi "),
    "scripts": ("", "aж "),
}


def bench_long_cells(repeat: int) -> dict:
    """The time per character of reading a Remarques cell of each shape, at a quarter of the
    cell cap and at the cap less room for the rest of the cell (with the seed table around it),
    and the ratio of the two (linear: about 4)."""
    from core.errors import RdvError
    from core.settings import MAX_CELL_CHARACTERS
    from extract import extract_table
    from normalise import normalise

    seed = (ROOT / "rdv_opendata" / "data" / "isere-modalites-rdv-2020.txt").read_text("utf-8")
    anchor = "Visibilité à 6 semaines"

    def read(cell: str) -> None:
        try:
            normalise(extract_table(seed.replace(anchor, f"{anchor}. {cell}", 1).encode()))
        except RdvError:
            pass

    large = MAX_CELL_CHARACTERS - 1000
    out: dict = {}
    for name, (head, unit) in LONG_CELLS.items():
        times = []
        for length in (large // 4, large):
            cell = head + (unit * length)[: length - len(head)]
            times.append(median_time(lambda cell=cell: read(cell), repeat, before=cold_caches))
        out[name] = {"per_char_us": times[1] / large * 1e6, "ratio_4x": times[1] / times[0]}
    out["worst_per_char_us"] = max(v["per_char_us"] for v in out.values())
    out["worst_ratio_4x"] = max(v["ratio_4x"] for v in out.values() if isinstance(v, dict))
    out["cell_cap"] = MAX_CELL_CHARACTERS
    return out


def bench_help(repeat: int) -> dict:
    walls = [run_process(cli("--help"))[0] for _ in range(repeat)]
    probe = (
        "import sys; from rdv_opendata.cli import _parser; _parser().format_help(); "
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    return {"wall_s": statistics.median(walls), "heavy_modules_loaded": loaded}


Row = tuple[str, str, str, bool]  # measure, result, target, met


def report_a(a: dict) -> list[Row]:
    return [
        (
            "a. parse + normalise vs pandas.read_html",
            f"{a['ours_s'] * 1000:.1f} ms vs {a['read_html_s'] * 1000:.1f} ms = {a['ratio']:.1f}x",
            "<= 10x",
            a["ratio"] <= 10,
        )
    ]


def report_b(b: dict) -> list[Row]:
    return [
        (
            "b. fast publish vs bare import of its stack (processes)",
            f"{b['wall_s']:.2f} s vs {b['stack_s']:.2f} s = {b['ratio']:.2f}x, "
            f"{b['peak_rss_mb']} MB peak RSS",
            "<= 1.4x, <= 300 MB",
            b["ratio"] <= 1.4 and b["peak_rss_mb"] <= 300,
        )
    ]


def report_c(c: dict) -> list[Row]:
    return [
        (
            "c. unchanged run vs publish work (in process)",
            f"{c['unchanged_s'] * 1000:.1f} ms vs "
            f"{c['publish_work_s'] * 1000:.0f} ms = {c['ratio'] * 100:.1f} %",
            "<= 2 %",
            c["ratio"] <= 0.02,
        )
    ]


def report_d(d: dict) -> list[Row]:
    return [
        (
            "d. backfill 2,000 snapshots / 50 versions",
            f"{d['wall_s']:.1f} s, {d['snapshots_per_s']:.0f} snapshots/s",
            "<= 30 s",
            d["wall_s"] <= 30,
        )
    ]


def report_e(e: dict) -> list[Row]:
    server = f"{e['server_s']:.1f} s" if "server_s" in e else "skipped"
    return [
        (
            "e. publish through Prefect (ephemeral / server)",
            f"{e['ephemeral_s']:.1f} s / {server}",
            "(overhead shown)",
            True,
        )
    ]


def report_f(f: dict) -> list[Row]:
    return [
        (
            "f. rdv-opendata --help",
            f"{f['wall_s'] * 1000:.0f} ms, heavy modules {f['heavy_modules_loaded']}",
            "<= 0.5 s, none",
            f["wall_s"] <= 0.5 and f["heavy_modules_loaded"] == "[]",
        )
    ]


def report_g(g: dict) -> list[Row]:
    return [
        (
            "g. publish of a 10,000-row table (1k / 2k / 10k rows)",
            f"{g['1000']['publish_s']:.2f} / {g['2000']['publish_s']:.2f} / "
            f"{g['10000']['publish_s']:.2f} s = {g['rows_per_s']:.0f} rows/s at 10k "
            f"(in one process: {g['10000']['one_process_s']:.2f} s = "
            f"{g['one_process_rows_per_s']:.0f} rows/s)",
            ">= 1,000 rows/s",
            g["rows_per_s"] >= 1000,
        ),
        (
            "h. cost of a row at 10k rows vs at 1k rows (from g)",
            f"{g['per_row_ratio']:.2f}x",
            "<= 1.3x",
            g["per_row_ratio"] <= 1.3,
        ),
    ]


def report_i(i: dict) -> list[Row]:
    return [
        (
            f"i. a long cell, worst of {len(LONG_CELLS)} shapes (per character; 4x longer)",
            f"{i['worst_per_char_us']:.1f} us/char (cap {i['cell_cap']:,}); "
            f"{i['worst_ratio_4x']:.1f}x",
            "<= 8x (linear 4x, quadratic 16x)",
            i["worst_ratio_4x"] <= 8,
        )
    ]


#: each measure's key in the results and its rows in the table, in the table's order
REPORTS: dict[str, tuple[str, Callable[[dict], list[Row]]]] = {
    "a": ("a_parse", report_a),
    "b": ("b_publish", report_b),
    "c": ("c_unchanged", report_c),
    "d": ("d_backfill", report_d),
    "e": ("e_orchestration", report_e),
    "f": ("f_help", report_f),
    "g": ("g_large", report_g),
    "i": ("i_long_cells", report_i),
}


def measure(only: str, quick: bool, work: Path) -> dict:
    """Every measure whose letter is in ``only`` (h is computed from g)."""
    repeat = 3 if quick else 7
    steps: dict[str, tuple[str, Callable[[], dict]]] = {
        "f": ("f_help", lambda: bench_help(repeat * 2)),
        "b": ("b_publish", lambda: bench_publish(repeat, work)),
        "a": ("a_parse", lambda: bench_parse(repeat * 5)),
        "c": ("c_unchanged", lambda: bench_unchanged(repeat, work)),
        "d": ("d_backfill", lambda: bench_backfill(work, 2000, 50)),
        "e": ("e_orchestration", lambda: bench_orchestration(work, with_server=not quick)),
        "g": ("g_large", lambda: bench_large(1 if quick else 3, work)),
        "i": ("i_long_cells", lambda: bench_long_cells(repeat)),
    }
    return {key: run() for letter, (key, run) in steps.items() if letter in only}


def report(results: dict) -> list[Row]:
    """The table's rows for the measures that were taken."""
    return [
        row for key, rows_of in REPORTS.values() if key in results for row in rows_of(results[key])
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--only", default="abcdefgi", help="the measures to take, by letter (e.g. bcg)"
    )
    args = parser.parse_args()
    results: dict = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
    }
    with tempfile.TemporaryDirectory(prefix="rdv-bench-") as tmp:
        results.update(measure(args.only, args.quick, Path(tmp)))
    rows = report(results)
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'result':<50} {'target':<20} ok")
    for name, value, target, ok in rows:
        print(f"{name:<{width}}  {value:<50} {target:<20} {'yes' if ok else 'NO'}")
    results["targets_met"] = {r[0].split(".")[0]: r[3] for r in rows}
    if args.only == parser.get_default("only") and not args.quick:
        path = ROOT / "benchmarks" / "results.json"
        path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
