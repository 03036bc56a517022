"""The benchmark harness: provenance side by side with the obvious alternatives, in one run.

    python bench/run.py --claims 100000

For each measurement it runs a fresh process (median of --repeat runs, one for imports) and
records wall time and peak memory (max RSS). It prints medians and ratios, and writes them
to bench/results/latest.json. Not part of the test suite: nothing here asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

PYTHON = sys.executable
PROVENANCE = [PYTHON, "-m", "provenance"]


def measure(
    command: list[str],
    *,
    repeat: int = 1,
    env: dict[str, str] | None = None,
    stdout: int | None = subprocess.DEVNULL,
    before: list[str] | None = None,
) -> dict[str, float]:
    """Median wall time and the largest peak RSS of ``command`` over ``repeat`` runs
    (``before``, untimed, ahead of each run)."""
    times, peaks = [], []
    for _ in range(repeat):
        if before:
            fresh = [part.replace("{n}", str(time.time_ns())) for part in before]
            environment = {**os.environ, **(env or {})}
            subprocess.run(fresh, check=True, capture_output=True, env=environment)
        # ``{n}`` in an argument: a fresh value each run (a write that must not repeat)
        run = [part.replace("{n}", str(time.time_ns())) for part in command]
        probe = (
            "import resource, subprocess, sys, time\n"
            "start = time.perf_counter()\n"
            "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
            "elapsed = time.perf_counter() - start\n"
            "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
            "print(elapsed, peak, code)\n"
        )
        out = subprocess.run(
            [PYTHON, "-c", probe, *run],
            capture_output=True,
            text=True,
            env={**os.environ, **(env or {})},
            check=True,
        )
        elapsed, peak, code = out.stdout.split()
        if code not in ("0", "3"):
            raise SystemExit(f"failed ({code}): {' '.join(command)}")
        times.append(float(elapsed))
        peaks.append(int(peak) / 1024)
    figures = {"seconds": statistics.median(times), "peak_mb": max(peaks)}
    print(
        f"  {' '.join(Path(c).name for c in command[:4])} …: {figures['seconds']:.3f} s, "
        f"{figures['peak_mb']:.0f} MB",
        file=sys.stderr,
        flush=True,
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--claims", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="keep the work folder here")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="with --keep: reuse the databases and import figures of the last run",
    )
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="also measure on PostgreSQL: a server URL whose user may create databases "
        "(it makes provenance_bench and provenance_bench_raw)",
    )
    args = parser.parse_args()
    compile_bytecode()

    work = Path(args.keep or tempfile.mkdtemp(prefix="provenance-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    data = work / f"claims-{args.claims}.jsonl"
    if not data.exists():
        started = time.perf_counter()
        generate(args.claims, data)
        print(
            f"generated {data} ({data.stat().st_size / 1e6:.0f} MB) in "
            f"{time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
    ours, raw, utils = work / "provenance.db", work / "raw.db", work / "sqlite-utils.db"
    imports = work / "imports.json"
    results: dict[str, dict[str, float]] = {}
    if args.reuse and imports.exists() and ours.exists():
        results.update(json.loads(imports.read_text()))
    else:
        run_imports(work, data, ours, raw, utils, results)
        if args.postgres:
            run_postgres_imports(args.postgres, data, results)
        imports.write_text(json.dumps(results))
    query_phase(args, HERE, ours, results)


def compile_bytecode() -> None:
    """Compile provenance's modules as ``pip install`` does. Where bytecode is never
    written (``PYTHONDONTWRITEBYTECODE``, as on this project's machine) an editable
    checkout would otherwise compile every module from source in every measured run."""
    import provenance

    subprocess.run(
        [PYTHON, "-m", "compileall", "-q", str(Path(provenance.__file__).parent)], check=True
    )


def postgres_url(server: str, database: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    return urlunsplit(urlsplit(server)._replace(path="/" + database))


def run_postgres_imports(server: str, data: Path, results: dict[str, dict[str, float]]) -> None:
    """Fresh databases, then the raw COPY loader and provenance import into the same schema."""
    import psycopg

    plain = server.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as connection:
        for name in ("provenance_bench", "provenance_bench_raw"):
            connection.execute(f"DROP DATABASE IF EXISTS {name}")
            connection.execute(f"CREATE DATABASE {name}")
    ours = postgres_url(server, "provenance_bench")
    raw = postgres_url(server, "provenance_bench_raw")
    for url in (ours, raw):
        subprocess.run([*PROVENANCE, "--db", url, "init"], check=True, capture_output=True)
    print("importing into PostgreSQL …", file=sys.stderr)
    results["pg import: raw psycopg COPY"] = measure(
        [PYTHON, str(HERE / "pg_raw_loader.py"), raw, str(data)]
    )
    results["pg import: provenance import"] = measure(
        [*PROVENANCE, "--db", ours, "import", str(data)]
    )


def run_imports(
    work: Path, data: Path, ours: Path, raw: Path, utils: Path, results: dict[str, dict[str, float]]
) -> None:
    for path in (ours, raw, utils):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    subprocess.run([*PROVENANCE, "--db", str(ours), "init"], check=True, capture_output=True)
    subprocess.run([*PROVENANCE, "--db", str(raw), "init"], check=True, capture_output=True)
    print("importing …", file=sys.stderr)
    results["import: raw sqlite3 executemany"] = measure(
        [PYTHON, str(HERE / "raw_loader.py"), str(raw), str(data)]
    )
    results["import: provenance import"] = measure(
        [*PROVENANCE, "--db", str(ours), "import", str(data)]
    )
    # The raw loader again, building the search index and the read-only indexes at its end
    # as a large import does: the floor for that way of loading.
    deferred = work / "raw-deferred.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{deferred}{suffix}").unlink(missing_ok=True)
    subprocess.run([*PROVENANCE, "--db", str(deferred), "init"], check=True, capture_output=True)
    results["import: raw loader, indexes built at the end"] = measure(
        [PYTHON, str(HERE / "raw_loader.py"), str(deferred), str(data), "--deferred"]
    )
    sqlite_utils = shutil.which("sqlite-utils", path=str(Path(PYTHON).parent)) or shutil.which(
        "sqlite-utils"
    )
    if sqlite_utils:
        claims_only = work / "claims-only.jsonl"
        with data.open() as source, claims_only.open("w") as target:
            target.writelines(line for line in source if line.startswith('{"type": "claim"'))
        results["import: sqlite-utils insert --nl"] = measure(
            [sqlite_utils, "insert", str(utils), "claims", str(claims_only), "--nl"]
        )


def commands(db: list[str], hand_flag: list[str]) -> dict[str, list[str]]:
    """What is measured on one backend, by name."""
    subject = "subject-0042"
    key = "claim-0000042"
    runs = {
        "flag: hand-written SQL": hand_flag,
        "flag: provenance flag -f jsonl": [*PROVENANCE, *db, "flag", "-f", "jsonl"],
        "floor: python -c 'import sqlalchemy, typer, rich.table'": [
            PYTHON,
            "-c",
            "import sqlalchemy, typer, rich.table",
        ],
        "page: claim list --limit 50 --property air_attacks": [
            *PROVENANCE,
            *db,
            "claim",
            "list",
            "--limit",
            "50",
            "--property",
            "air_attacks",
        ],
        "page: claim show": [*PROVENANCE, *db, "claim", "show", key],
        "page: compare --subject": [*PROVENANCE, *db, "compare", "--subject", subject],
        "page: claim list --search 'convoy checkpoint'": [
            *PROVENANCE,
            *db,
            "claim",
            "list",
            "--limit",
            "50",
            "--search",
            "convoy checkpoint",
        ],
        "page: source show": [*PROVENANCE, *db, "source", "show", "src-0042"],
        "page: flag --limit 50": [*PROVENANCE, *db, "flag", "--limit", "50"],
        # The same page right after a write (untimed): the stored ranking catches up on
        # the claims the write can have changed.
        "after a new claim: flag --limit 50": [*PROVENANCE, *db, "flag", "--limit", "50"],
        "after a source edit: flag --limit 50": [*PROVENANCE, *db, "flag", "--limit", "50"],
        "after a link: flag --limit 50": [*PROVENANCE, *db, "flag", "--limit", "50"],
        "after a small import (50 claims): flag --limit 50": [
            *PROVENANCE,
            *db,
            "flag",
            "--limit",
            "50",
        ],
        "write: claim add": [
            *PROVENANCE,
            *db,
            "claim",
            "add",
            "Bench claim {n} about a convoy",
            "--source",
            "src-0042",
            "--allow-duplicate",
            "--new-entity",
        ],
        "write: claim status": [
            *PROVENANCE,
            *db,
            "claim",
            "status",
            key,
            "disputed",
            "--note",
            "bench",
        ],
        "start: python -c pass": [PYTHON, "-c", "pass"],
        "start: provenance --help": [*PROVENANCE, "--help"],
    }
    return runs


def query_phase(
    args: argparse.Namespace, here: Path, ours: Path, results: dict[str, dict[str, float]]
) -> None:
    runs = commands(["--db", str(ours)], [PYTHON, str(HERE / "flag_sql.py"), str(ours)])
    if args.postgres:
        url = postgres_url(args.postgres, "provenance_bench")
        on_postgres = commands(["--db", url], [PYTHON, str(HERE / "pg_flag_sql.py"), url])
        runs.update(
            (f"pg {name}", command)
            for name, command in on_postgres.items()
            if name.startswith(("flag", "page", "write", "after a"))
        )
    print("querying …", file=sys.stderr)
    for name, command in runs.items():
        once = name.startswith(("flag", "pg flag")) and args.claims > 200_000
        repeat = 1 if once else args.repeat
        write = None
        if "after a new claim:" in name:
            write = runs["pg write: claim add" if name.startswith("pg ") else "write: claim add"]
        if "after a source edit:" in name:
            edit = ["source", "edit", "src-0042", "--notes", "bench {n}"]
            write = [*command[: command.index("flag")], *edit]
        for kind in ("link", "import"):
            if f"after a {'small import' if kind == 'import' else kind}" in name:
                database = command[command.index("--db") : command.index("--db") + 2]
                write = [PYTHON, str(HERE / "writes.py"), kind, "{n}", str(args.claims), *database]
        results[name] = measure(command, repeat=repeat, env={"COLUMNS": "200"}, before=write)

    def ratio(a: str, b: str) -> float:
        return results[a]["seconds"] / results[b]["seconds"]

    def above(a: str, b: str) -> float:
        return results[a]["seconds"] - results[b]["seconds"]

    floor = "floor: python -c 'import sqlalchemy, typer, rich.table'"
    imported = ratio("import: provenance import", "import: raw sqlite3 executemany")
    flags = ratio("flag: provenance flag -f jsonl", "flag: hand-written SQL")
    start = above("start: provenance --help", "start: python -c pass")
    summary = {
        "import vs raw sqlite3 (target ≤ 1.3×)": f"{imported:.2f}×",
        "flag vs hand-written SQL (target ≤ 2×)": f"{flags:.2f}×",
        "--help above python -c pass (target ≤ 0.15 s)": f"{start:+.3f} s",
    }
    if "import: raw loader, indexes built at the end" in results:
        summary["import vs raw loader building its indexes at the end (no target)"] = (
            f"{ratio('import: provenance import', 'import: raw loader, indexes built at the end'):.2f}×"  # noqa: E501
        )
    if "import: sqlite-utils insert --nl" in results:
        summary["import vs sqlite-utils insert (target < 1×)"] = (
            f"{ratio('import: provenance import', 'import: sqlite-utils insert --nl'):.2f}×"
        )
    if args.postgres:
        summary["pg import vs raw COPY (target ≤ 1.5×)"] = (
            f"{ratio('pg import: provenance import', 'pg import: raw psycopg COPY'):.2f}×"
        )
        summary["pg flag vs hand-written SQL (target ≤ 2×)"] = (
            f"{ratio('pg flag: provenance flag -f jsonl', 'pg flag: hand-written SQL'):.2f}×"
        )
    for name in runs:
        if name.startswith("pg page:"):
            summary[f"pg {name[9:]} above the import floor (target ≤ 0.15 s)"] = (
                f"{above(name, floor):+.3f} s"
            )
        if name.startswith("pg write:"):
            summary[f"pg {name[10:]} above the import floor (target ≤ 0.15 s)"] = (
                f"{above(name, floor):+.3f} s"
            )
        if name.startswith(("after a", "pg after a")):
            summary[f"{name}: above the import floor (no target)"] = f"{above(name, floor):+.3f} s"
        if name.startswith("page:"):
            summary[f"{name[6:]} above the import floor (target ≤ 0.1 s)"] = (
                f"{above(name, floor):+.3f} s"
            )
        if name.startswith("write:"):
            summary[f"{name[7:]} above the import floor (target ≤ 0.15 s)"] = (
                f"{above(name, floor):+.3f} s"
            )

    width = max(len(name) for name in results)
    print(
        f"\n{args.claims:,} claims · {platform.processor() or platform.machine()} · "
        f"{os.cpu_count()} cores · Python {platform.python_version()}"
    )
    print(f"{'measurement'.ljust(width)}  {'median s':>9}  {'peak MB':>8}")
    for name, figures in results.items():
        print(f"{name.ljust(width)}  {figures['seconds']:9.3f}  {figures['peak_mb']:8.0f}")
    print()
    for name, value in summary.items():
        print(f"{name}: {value}")
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    report = {
        "claims": args.claims,
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "results": results,
        "summary": summary,
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    (out / "latest.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwrote {out / 'latest.json'}", file=sys.stderr)


if __name__ == "__main__":
    main()
