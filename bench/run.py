"""casepath benchmark: cold start, throughput, memory over many runs, and explore.

    /tmp/v1/bin/python bench/run.py             # the full benchmark (about 10-15 minutes)
    /tmp/v1/bin/python bench/run.py --quick     # 1/10 of the counts (about 1-2 minutes)
    /tmp/v1/bin/python bench/run.py --only throughput,memory
    /tmp/v1/bin/python bench/run.py --profile   # cProfile of 2,000 simulations, top 15 by own time

Run on demand only: it is not part of the test suite. It prints a plain-text table and
writes the same figures to bench/results.json. See bench/README.md for what each figure
means and the targets.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import itertools
import json
import os
import platform
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import baseline
import scenarios as generator

import casepath

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results.json"
EXAMPLE = "examples/dis-undocumented-prepared-return.yaml"
FLOOR_IMPORTS = "import pydantic, typer, transitions, yaml"
SEED = 2024

TARGET_SIMULATE_VS_FLOOR = 2.0  # cold `casepath simulate EXAMPLE`, at most this times the floor in CPU time (issue 14)
TARGET_HELP_VS_FLOOR = 1.3  # cold `casepath --help`, at most this times the floor (issue 5)
TARGET_PER_SECOND = 2000  # scenarios simulated per second in one process, at least
TARGET_PER_CPU_SECOND = 6000  # the bundled examples through casepath.simulate, per CPU-second, at least (issue 14)
TARGET_EXPLORE_SECONDS = 30  # `casepath explore` at the test depth, under this (wall)
TARGET_EXPLORE_CPU_SECONDS = 5.0  # ... and at most this CPU time (issue 14)
TARGET_EXPLORE_MIB = 400  # ... and at most this maximum resident set (issue 14: 400 MB)
MEMORY_FLAT_RSS_KIB = 2048  # "flat": RSS grows less than this from the first sample to the last ...

TARGET_AGENDA_SECONDS = 3.0  # `casepath agenda` over 1,000 case files, as a whole process, under this
AGENDA_CASES = 1000
AGENDA_FROM = "2023-01-02"  # after every generated event (they end in 2022)

SWEEP_FROM, SWEEP_TO = "2006-01-01", "2022-12-31"  # 17 years day by day: 6,209 runs
TARGET_SWEEP_CPU_SECONDS = 5.0  # "a few seconds", as CPU time of the whole command

SECTIONS = ("cold", "throughput", "memory", "explore", "agenda", "sweep")


# ---------------------------------------------------------------------------------- helpers
def summary(values: list[float]) -> dict[str, Any]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def casepath_command() -> str:
    """The `casepath` script of the running interpreter's environment (else the one on PATH)."""
    beside = Path(sys.executable).parent / "casepath"
    if beside.exists():
        return str(beside)
    found = shutil.which("casepath")
    if found is None:
        raise SystemExit("bench: no casepath command found (install the package into this environment)")
    return found


def time_process(cmd: list[str], ok_codes: tuple[int, ...] = (0,), env: dict[str, str] | None = None) -> float:
    """Wall time of one new process, from start to exit."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False, env=env)
    elapsed = time.perf_counter() - start
    if proc.returncode not in ok_codes:
        raise SystemExit(f"bench: {' '.join(cmd)} exited with {proc.returncode}:\n{proc.stderr.decode()[-2000:]}")
    return elapsed


def child_usage(cmd: list[str], ok_codes: tuple[int, ...] = (0,)) -> tuple[float, float, int]:
    """Wall time, CPU time (user + system) and maximum resident set size (KiB) of one new process,
    from that process's own resource usage (`wait4`), not the sum or maximum over all children."""
    import tempfile

    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in ok_codes:
            err.seek(0)
            raise SystemExit(f"bench: {' '.join(cmd)} exited with {proc.returncode}:\n{err.read().decode()[-2000:]}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def rss_kib() -> int:
    """The current resident set size in KiB (Linux /proc), else the maximum so far."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def max_rss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def build_scenarios(count: int, workflow) -> list[casepath.Scenario]:
    """Generate and check `count` scenarios up front (none of this is timed)."""
    return [casepath.scenario_from_dict(data, workflow) for data in generator.generate(count, SEED)]


# ---------------------------------------------------------------------------------- a. cold start
def compile_bytecode() -> None:
    """Compile casepath's modules to .pyc first, as an installed package has them: an editable install
    where PYTHONDONTWRITEBYTECODE is set (this machine) would otherwise compile every module in every
    process, and a cold start would measure the compiler."""
    package = Path(casepath.__file__).resolve().parent
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True)


def bench_cold_pair(
    label: str, cmd: list[str], floor: list[str], runs: int, env: dict[str, str], warmup: int = 2
) -> dict[str, Any]:
    """`cmd` against `floor`, alternated (and the order within each pair swapped every time): the CPU
    time of each child (user + system, getrusage), and its wall time; the ratios are taken per pair."""
    for _ in range(warmup):
        timed_child(cmd, env=env)
        timed_child(floor, env=env)
    ours: list[tuple[float, float]] = []
    floors: list[tuple[float, float]] = []
    for i in range(runs):
        if i % 2 == 0:
            ours.append(timed_child(cmd, env=env))
            floors.append(timed_child(floor, env=env))
        else:
            floors.append(timed_child(floor, env=env))
            ours.append(timed_child(cmd, env=env))
    return {
        "command": " ".join([Path(cmd[0]).name, *cmd[1:]]),
        "cpu_seconds": summary([cpu for _, cpu in ours]),
        "floor_cpu_seconds": summary([cpu for _, cpu in floors]),
        "ratio": summary([a[1] / b[1] for a, b in zip(ours, floors, strict=True)]),
        "seconds": summary([wall for wall, _ in ours]),
        "floor_seconds": summary([wall for wall, _ in floors]),
        "wall_ratio": summary([a[0] / b[0] for a, b in zip(ours, floors, strict=True)]),
        "label": label,
    }


def bench_cold(runs: int) -> dict[str, Any]:
    """Cold starts in CPU time against the floor, bytecode compiled first. The workflow cache
    (casepath.workflow.cache) lives in a fresh folder for the run: the warm-up fills it, as a first
    run fills a user's; `simulate, no cache` is the same command with CASEPATH_NO_CACHE=1."""
    import tempfile

    compile_bytecode()
    exe = casepath_command()
    floor = [sys.executable, "-c", FLOOR_IMPORTS]
    with tempfile.TemporaryDirectory(prefix="casepath-bench-cache-") as folder:
        env = {**os.environ, "XDG_CACHE_HOME": folder}
        env.pop("CASEPATH_NO_CACHE", None)
        simulate = bench_cold_pair("simulate", [exe, "simulate", EXAMPLE], floor, runs, env)
        uncached = bench_cold_pair(
            "simulate, no cache", [exe, "simulate", EXAMPLE], floor, runs, {**env, "CASEPATH_NO_CACHE": "1"}
        )
        helptext = bench_cold_pair("help", [exe, "--help"], floor, runs, env)
    simulate["target_ratio"] = TARGET_SIMULATE_VS_FLOOR
    simulate["meets_target"] = simulate["ratio"]["median"] <= TARGET_SIMULATE_VS_FLOOR
    uncached["target_ratio"] = None
    uncached["meets_target"] = None
    helptext["target_ratio"] = TARGET_HELP_VS_FLOOR
    helptext["meets_target"] = helptext["ratio"]["median"] <= TARGET_HELP_VS_FLOOR
    return {
        "floor_command": f'python -c "{FLOOR_IMPORTS}"',
        "measure": "CPU time of the child (user + system), bytecode compiled first",
        "simulate": simulate,
        "simulate_no_cache": uncached,
        "help": helptext,
    }


# ---------------------------------------------------------------------------------- b. throughput
def bench_throughput(items: list[casepath.Scenario], workflow, reps: int) -> dict[str, Any]:
    """Scenarios per second through `casepath.simulate`, against the dictionary baseline."""
    simulate = casepath.simulate
    run_baseline = baseline.run
    for scenario in items[:500]:  # warm-up: caches, first-use imports
        simulate(scenario, workflow)
        run_baseline(scenario)
    engine: list[float] = []
    engine_cpu: list[float] = []
    floor: list[float] = []
    for _ in range(reps):
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        for scenario in items:
            simulate(scenario, workflow)
        engine.append(len(items) / (time.perf_counter() - start))
        engine_cpu.append(len(items) / (time.process_time() - start_cpu))
        gc.collect()
        start = time.perf_counter()
        for scenario in items:
            run_baseline(scenario)
        floor.append(len(items) / (time.perf_counter() - start))
    ratios = [b / e for e, b in zip(engine, floor, strict=True)]  # engine cost per scenario / baseline cost
    examples = [casepath.load_scenario(path) for path in sorted((ROOT / "examples").glob("*.yaml"))]
    rounds = max(1, len(items) // len(examples))  # about as many runs as the generated set
    examples_cpu: list[float] = []
    for _ in range(reps):
        gc.collect()
        start_cpu = time.process_time()
        for _ in range(rounds):
            for scenario in examples:
                simulate(scenario, workflow)
        examples_cpu.append(rounds * len(examples) / (time.process_time() - start_cpu))
    reports = [simulate(scenario, workflow) for scenario in items]
    agree = sum(r.states["pathway"] == run_baseline(s) for r, s in zip(reports, items, strict=True))
    return {
        "scenarios": len(items),
        "events_per_scenario": sum(len(s.events) for s in items) / len(items),
        "with_error": sum(r.error is not None for r in reports),
        "automatic_steps": sum(e.automatic for r in reports for e in r.events),
        "per_second": summary(engine),
        "per_cpu_second": summary(engine_cpu),
        "examples": {"scenarios": len(examples), "rounds": rounds, "per_cpu_second": summary(examples_cpu)},
        "ms_per_scenario": 1000 / statistics.median(engine),
        "baseline_per_second": summary(floor),
        "cost_ratio": summary(ratios),
        "baseline_same_final_state": agree / len(items),
        "target_per_second": TARGET_PER_SECOND,
        "meets_target": statistics.median(engine) >= TARGET_PER_SECOND,
        "target_per_cpu_second": TARGET_PER_CPU_SECOND,
        "meets_cpu_target": statistics.median(examples_cpu) >= TARGET_PER_CPU_SECOND,
    }


# ---------------------------------------------------------------------------------- c. memory
def bench_memory(items: list[casepath.Scenario], workflow, total: int, every: int, trace: bool) -> dict[str, Any]:
    """Simulate `total` scenarios (cycling over `items`), sampling memory every `every` runs."""
    simulate = casepath.simulate
    for scenario in items[:500]:
        simulate(scenario, workflow)
    if trace:
        tracemalloc.start()
    samples: list[dict[str, Any]] = []

    def sample(done: int) -> None:
        gc.collect()
        row = {"runs": done, "rss_kib": rss_kib(), "max_rss_kib": max_rss_kib(), "gc_objects": len(gc.get_objects())}
        if trace:
            row["traced_kib"] = tracemalloc.get_traced_memory()[0] // 1024
        samples.append(row)

    sample(0)
    start = time.perf_counter()
    source = itertools.cycle(items)
    for done in range(1, total + 1):
        simulate(next(source), workflow)
        if done % every == 0:
            sample(done)
    elapsed = time.perf_counter() - start
    if trace:
        tracemalloc.stop()
    # Flat means no trend: the highest sample of the second half is not above the highest of the first
    # (the first `every` runs excluded: first-use caches). The engine's caches are bounded (a lookup
    # table is emptied when it reaches its size), so the object count rises and falls by tens of
    # thousands between samples without growing; a leak would raise the second half's peak.
    later = samples[1:]
    half = len(later) // 2
    first_half, second_half = later[:half] or later, later[half:] or later
    rss_growth = max(s["rss_kib"] for s in second_half) - max(s["rss_kib"] for s in first_half)
    object_growth = max(s["gc_objects"] for s in second_half) - max(s["gc_objects"] for s in first_half)
    first, last = samples[1], samples[-1]
    return {
        "runs": total,
        "every": every,
        "seconds": elapsed,
        "tracemalloc": trace,
        "samples": samples,
        "rss_growth_kib": rss_growth,
        "gc_object_growth": object_growth,
        "traced_growth_kib": (last["traced_kib"] - first["traced_kib"]) if trace else None,
        "objects_band": [min(s["gc_objects"] for s in later), max(s["gc_objects"] for s in later)],
        # judged on resident memory: the object count's peaks move by thousands with the phase at which
        # the bounded tables were last emptied (reported, with its band, not judged)
        "flat": rss_growth < MEMORY_FLAT_RSS_KIB,
    }


# ---------------------------------------------------------------------------------- d. explore
def bench_explore(depth: int, runs: int) -> dict[str, Any]:
    """`casepath explore --depth N` as a whole process, at the depth the test suite uses (every
    state and transition reached). Exit code 1 (the explorer found a problem) still counts."""
    exe = casepath_command()
    cmd = [exe, "explore", "--depth", str(depth)]
    usages = [child_usage(cmd, ok_codes=(0, 1)) for _ in range(runs)]
    times = [wall for wall, _, _ in usages]
    return {
        "command": f"casepath explore --depth {depth}",
        "depth": depth,
        "seconds": summary(times),
        "cpu_seconds": summary([cpu for _, cpu, _ in usages]),
        "max_rss_mib": summary([rss / 1024 for _, _, rss in usages]),
        "target_seconds": TARGET_EXPLORE_SECONDS,
        "meets_target": statistics.median(times) < TARGET_EXPLORE_SECONDS,
        "meets_cpu_target": statistics.median(cpu for _, cpu, _ in usages) <= TARGET_EXPLORE_CPU_SECONDS,
        "meets_memory_target": statistics.median(rss / 1024 for _, _, rss in usages) <= TARGET_EXPLORE_MIB,
    }


# ---------------------------------------------------------------------------------- agenda
def write_caseload(folder: Path, count: int) -> None:
    """`count` generated scenarios as pseudonymous YAML files, each with a case_ref (not timed)."""
    import yaml

    for number, data in enumerate(generator.generate(count, SEED + 1), start=1):
        data = {"casepath": 1, "title": data["title"], "case_ref": f"B-{number:05d}",
                **{k: v for k, v in data.items() if k not in ("casepath", "title")}}  # fmt: skip
        sub = folder / f"{number % 10}"
        sub.mkdir(exist_ok=True)
        (sub / f"case-{number:05d}.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def bench_agenda(count: int, runs: int) -> dict[str, Any]:
    """`casepath agenda FOLDER --from DATE` over `count` case files: in one process through the module
    (wall and CPU time, `time.process_time`) and as a whole new process (wall, and the child's CPU
    time from `getrusage`). Reading and checking the files is part of the work measured."""
    import tempfile

    from casepath import agenda as agendas
    from casepath.render import agenda as agenda_render

    exe = casepath_command()
    with tempfile.TemporaryDirectory(prefix="casepath-agenda-") as temp:
        folder = Path(temp)
        write_caseload(folder, count)
        start = datetime.fromisoformat(AGENDA_FROM).date()
        walls: list[float] = []
        cpus: list[float] = []
        items = 0
        for _ in range(runs):
            wall, cpu = time.perf_counter(), time.process_time()
            result = agendas.build([folder], start, warn=lambda _line: None)
            agenda_render.render(result, "json")
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
            items = len(result.items)
        cmd = [exe, "agenda", str(folder), "--from", AGENDA_FROM, "--format", "json"]
        proc_walls: list[float] = []
        proc_cpus: list[float] = []
        for _ in range(runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            proc_walls.append(time_process(cmd, ok_codes=(0, 1)))  # 1: a generated case broke a rule
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            proc_cpus.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return {
        "cases": count,
        "items": items,
        "command": f"casepath agenda FOLDER --from {AGENDA_FROM} --format json",
        "in_process_seconds": summary(walls),
        "in_process_cpu_seconds": summary(cpus),
        "process_seconds": summary(proc_walls),
        "process_cpu_seconds": summary(proc_cpus),
        "target_seconds": TARGET_AGENDA_SECONDS,
        "meets_target": statistics.median(proc_walls) < TARGET_AGENDA_SECONDS,
    }


# ---------------------------------------------------------------------------------- profile
def profile(count: int) -> None:
    """cProfile over `count` simulations; the top 15 functions by own time."""
    workflow = casepath.load_workflow()
    items = build_scenarios(count, workflow)
    for scenario in items[:200]:
        casepath.simulate(scenario, workflow)
    profiler = cProfile.Profile()
    profiler.enable()
    for scenario in items:
        casepath.simulate(scenario, workflow)
    profiler.disable()
    stats = pstats.Stats(profiler)
    rows = sorted(stats.stats.items(), key=lambda kv: kv[1][2], reverse=True)[:15]  # type: ignore[attr-defined]
    total = stats.total_tt  # type: ignore[attr-defined]
    print(f"cProfile: {count} simulations, {total:.2f} s in all (profiled: slower than a plain run)")
    print(f"{'tottime':>8} {'cumtime':>8} {'ncalls':>9}  function")
    for (file, line, name), (_, ncalls, tottime, cumtime, _) in rows:
        print(f"{tottime:8.3f} {cumtime:8.3f} {ncalls:9d}  {_short(file)}:{line}({name})")


def _short(file: str) -> str:
    for marker in ("site-packages/", "/src/"):
        if marker in file:
            return file.split(marker, 1)[1]
    return file


# ---------------------------------------------------------------------------------- sweep
def timed_child(
    cmd: list[str], ok_codes: tuple[int, ...] = (0,), env: dict[str, str] | None = None
) -> tuple[float, float]:
    """Wall time and CPU time (user + system, from getrusage of the children) of one new process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time_process(cmd, ok_codes, env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def bench_sweep(runs: int) -> dict[str, Any]:
    """`casepath sweep EXAMPLE --from 2006-01-01 --to 2022-12-31` (6,209 runs): in one process through the
    module (wall and `time.process_time`), and as a whole new process (wall, and the child's CPU time)."""
    from casepath import sweep as sweeping

    workflow = casepath.load_workflow()
    scenario = casepath.load_scenario(ROOT / EXAMPLE)
    start, end = datetime.fromisoformat(SWEEP_FROM).date(), datetime.fromisoformat(SWEEP_TO).date()
    walls: list[float] = []
    cpus: list[float] = []
    rows = 0
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        rows = len(sweeping.sweep(scenario, workflow, start, end).rows)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    cmd = [casepath_command(), "sweep", EXAMPLE, "--from", SWEEP_FROM, "--to", SWEEP_TO, "--format", "json"]
    measured = [timed_child(cmd) for _ in range(runs)]
    process_cpu = summary([c for _, c in measured])
    return {
        "runs_per_sweep": rows,
        "in_process_seconds": summary(walls),
        "in_process_cpu_seconds": summary(cpus),
        "process_seconds": summary([w for w, _ in measured]),
        "process_cpu_seconds": process_cpu,
        "target_cpu_seconds": TARGET_SWEEP_CPU_SECONDS,
        "meets_target": process_cpu["median"] <= TARGET_SWEEP_CPU_SECONDS,
    }


# ---------------------------------------------------------------------------------- output
def table(results: dict[str, Any]) -> str:
    rows: list[tuple[str, str, str, str, str, str]] = []

    def secs(s: dict[str, Any]) -> tuple[str, str, str]:
        return f"{s['median']:.3f} s", f"{s['min']:.3f}", f"{s['max']:.3f}"

    def times(s: dict[str, Any]) -> tuple[str, str, str]:
        return f"{s['median']:.2f}x", f"{s['min']:.2f}", f"{s['max']:.2f}"

    def verdict(ok: bool) -> str:
        return "yes" if ok else "NO"

    cold = results.get("cold")
    if cold:
        first = cold["simulate"]
        rows.append(("cold: floor " + cold["floor_command"] + ", CPU", *secs(first["floor_cpu_seconds"]), "", ""))
        for key in ("simulate", "simulate_no_cache", "help"):
            part = cold[key]
            target = part["target_ratio"]
            rows.append((f"cold: {part['command']} ({part['label']}), CPU", *secs(part["cpu_seconds"]), "", ""))
            rows.append(
                (
                    f"cold: {part['label']} / floor, CPU (pairwise)",
                    *times(part["ratio"]),
                    f"<= {target}x" if target else "",
                    verdict(part["meets_target"]) if target else "",
                )
            )
            rows.append((f"cold: {part['label']} / floor, wall (pairwise)", *times(part["wall_ratio"]), "", ""))
    through = results.get("throughput")
    if through:
        n = through["scenarios"]
        per = through["per_second"]
        rows.append(
            (
                f"throughput: engine, {n:,} scenarios (/s)",
                f"{per['median']:,.0f}",
                f"{per['min']:,.0f}",
                f"{per['max']:,.0f}",
                f">= {TARGET_PER_SECOND:,}",
                verdict(through["meets_target"]),
            )
        )
        rows.append(("throughput: engine ms per scenario", f"{through['ms_per_scenario']:.3f}", "", "", "", ""))
        examples = through["examples"]
        for label, figures in (
            (f"throughput: {n:,} generated, per CPU-s", through["per_cpu_second"]),
            (f"throughput: examples x{examples['rounds']}, per CPU-s", examples["per_cpu_second"]),
        ):
            examples_row = "examples" in label
            rows.append(
                (
                    label,
                    f"{figures['median']:,.0f}",
                    f"{figures['min']:,.0f}",
                    f"{figures['max']:,.0f}",
                    f">= {TARGET_PER_CPU_SECOND:,}" if examples_row else "",
                    verdict(through["meets_cpu_target"]) if examples_row else "",
                )
            )
        base = through["baseline_per_second"]
        rows.append(
            (
                "throughput: dict baseline (/s)",
                f"{base['median']:,.0f}",
                f"{base['min']:,.0f}",
                f"{base['max']:,.0f}",
                "",
                "",
            )
        )
        cost = through["cost_ratio"]
        rows.append(
            (
                "throughput: engine / baseline cost",
                f"{cost['median']:,.0f}x",
                f"{cost['min']:,.0f}",
                f"{cost['max']:,.0f}",
                "",
                "",
            )
        )
    memory = results.get("memory")
    if memory:
        rows.append(
            (
                f"memory: peak RSS, 2nd half of {memory['runs']:,} runs over 1st",
                f"{memory['rss_growth_kib']:+,} KiB",
                "",
                "",
                f"< {MEMORY_FLAT_RSS_KIB:,} KiB",
                verdict(memory["flat"]),
            )
        )
        rows.append(
            (
                "memory: peak gc-tracked objects, 2nd half over 1st",
                f"{memory['gc_object_growth']:+,}",
                f"{memory['objects_band'][0]:,}",
                f"{memory['objects_band'][1]:,}",
                "",
                "",
            )
        )
        if memory["tracemalloc"]:
            rows.append(("memory: tracemalloc growth", f"{memory['traced_growth_kib']:+,} KiB", "", "", "", ""))
    explore = results.get("explore")
    if explore:
        rows.append(
            (
                f"explore: {explore['command']}",
                *secs(explore["seconds"]),
                f"< {TARGET_EXPLORE_SECONDS} s",
                verdict(explore["meets_target"]),
            )
        )
        rows.append(
            (
                f"explore: {explore['command']}, CPU",
                *secs(explore["cpu_seconds"]),
                f"<= {TARGET_EXPLORE_CPU_SECONDS} s",
                verdict(explore["meets_cpu_target"]),
            )
        )
        rss = explore["max_rss_mib"]
        rows.append((f"explore: {explore['command']}, max RSS", f"{rss['median']:,.0f} MiB", f"{rss['min']:,.0f}",
                     f"{rss['max']:,.0f}", f"<= {TARGET_EXPLORE_MIB} MiB",
                     verdict(explore["meets_memory_target"])))  # fmt: skip
    agenda = results.get("agenda")
    if agenda:
        n = agenda["cases"]
        rows.append((f"agenda: {n:,} cases, in process, wall", *secs(agenda["in_process_seconds"]), "", ""))
        rows.append((f"agenda: {n:,} cases, in process, CPU", *secs(agenda["in_process_cpu_seconds"]), "", ""))
        rows.append(
            (
                f"agenda: {n:,} cases, command, wall",
                *secs(agenda["process_seconds"]),
                f"< {TARGET_AGENDA_SECONDS} s",
                verdict(agenda["meets_target"]),
            )
        )
        rows.append((f"agenda: {n:,} cases, command, CPU", *secs(agenda["process_cpu_seconds"]), "", ""))
    swept = results.get("sweep")
    if swept:
        n = swept["runs_per_sweep"]
        rows.append((f"sweep: {n:,} runs, in process, wall", *secs(swept["in_process_seconds"]), "", ""))
        rows.append((f"sweep: {n:,} runs, in process, CPU", *secs(swept["in_process_cpu_seconds"]), "", ""))
        rows.append((f"sweep: {n:,} runs, command, wall", *secs(swept["process_seconds"]), "", ""))
        rows.append(
            (
                f"sweep: {n:,} runs, command, CPU",
                *secs(swept["process_cpu_seconds"]),
                f"<= {TARGET_SWEEP_CPU_SECONDS} s",
                verdict(swept["meets_target"]),
            )
        )
    header = ("figure", "median", "min", "max", "target", "met")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(6)]
    lines = []
    for r in [header, *rows]:
        cells = [r[0].ljust(widths[0])] + [c.rjust(widths[i]) for i, c in enumerate(r[1:5], 1)] + [r[5]]
        lines.append("  ".join(cells).rstrip())
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def memory_series(memory: dict[str, Any]) -> str:
    lines = ["memory series (after gc.collect(); RSS = current resident set size):"]
    head = f"{'runs':>9} {'RSS KiB':>10} {'max RSS KiB':>12} {'gc objects':>11}"
    if memory["tracemalloc"]:
        head += f" {'traced KiB':>11}"
    lines.append(head)
    for s in memory["samples"]:
        line = f"{s['runs']:>9,} {s['rss_kib']:>10,} {s['max_rss_kib']:>12,} {s['gc_objects']:>11,}"
        if memory["tracemalloc"]:
            line += f" {s['traced_kib']:>11,}"
        lines.append(line)
    return "\n".join(lines)


def git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.decode().strip()


# ---------------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="casepath benchmark (run on demand, not in the test suite)")
    parser.add_argument("--quick", action="store_true", help="1/10 of the counts (and fewer repetitions)")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated sections: {', '.join(SECTIONS)}")
    parser.add_argument(
        "--tracemalloc", action="store_true", help="also trace allocations in the memory run (~4x slower)"
    )
    parser.add_argument("--explore-depth", type=int, default=5, help="depth for explore (default 5: the test's)")
    parser.add_argument("--profile", nargs="?", type=int, const=2000, metavar="N", help="only profile N simulations")
    args = parser.parse_args(argv)
    if args.profile:
        profile(args.profile)
        return 0
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = sorted(set(only) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown section(s): {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")

    scale = 10 if args.quick else 1
    cold_runs = 5 if args.quick else 15
    reps = 3 if args.quick else 5
    n_throughput = 10_000 // scale
    n_memory = 100_000 // scale
    every = 10_000 // scale

    results: dict[str, Any] = {
        "meta": {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "quick": args.quick,
            "commit": git_commit(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_before": list(os.getloadavg()),
            "seed": SEED,
        }
    }
    load = os.getloadavg()[0]
    print(f"casepath benchmark ({'quick' if args.quick else 'full'}), python {platform.python_version()}, "
          f"{os.cpu_count()} CPUs, load average {load:.2f}")  # fmt: skip
    if load > 0.5:
        print("note: the machine is busy (load average > 0.5): figures may be noisy; repeat to compare")

    if "cold" in only:
        print(f"cold start: {cold_runs} runs each after a warm-up ...", flush=True)
        results["cold"] = bench_cold(cold_runs)
    if "explore" in only:
        # Before the sections that grow this process: a child's maximum resident set counts the pages
        # of this process it starts from (fork), so a grown benchmark would inflate explore's figure.
        print(f"explore: casepath explore --depth {args.explore_depth} as a command ...", flush=True)
        results["explore"] = bench_explore(args.explore_depth, runs=1 if args.quick else 3)
    items: list[casepath.Scenario] = []
    workflow = None
    if "throughput" in only or "memory" in only:
        workflow = casepath.load_workflow()
        print(f"generating and checking {n_throughput:,} scenarios (not timed) ...", flush=True)
        items = build_scenarios(n_throughput, workflow)
    if "throughput" in only:
        print(f"throughput: {reps} x {n_throughput:,} simulations, and the baseline ...", flush=True)
        results["throughput"] = bench_throughput(items, workflow, reps)
    if "memory" in only:
        print(f"memory: {n_memory:,} simulations, a sample every {every:,} ...", flush=True)
        results["memory"] = bench_memory(items, workflow, n_memory, every, args.tracemalloc)
    if "agenda" in only:
        print(f"agenda: {AGENDA_CASES:,} case files, in one process and as a command ...", flush=True)
        results["agenda"] = bench_agenda(AGENDA_CASES, runs=3 if args.quick else 5)
    if "sweep" in only:
        print(f"sweep: {SWEEP_FROM} to {SWEEP_TO} day by day, in one process and as a command ...", flush=True)
        results["sweep"] = bench_sweep(runs=3 if args.quick else 5)
    results["meta"]["load_after"] = list(os.getloadavg())

    print()
    print(table(results))
    if "memory" in results:
        print()
        print(memory_series(results["memory"]))
    if "throughput" in results:
        t = results["throughput"]
        print()
        print(
            f"throughput detail: {t['events_per_scenario']:.1f} events per scenario, {t['automatic_steps']:,} "
            f"automatic steps, {t['with_error']:,} scenarios end in a rule error; the baseline reaches the "
            f"engine's final pathway state in {t['baseline_same_final_state']:.0%} of them"
        )
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwritten: {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
