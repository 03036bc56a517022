"""Regenerate (or check) the README's ``console`` blocks from real runs.

Every fenced block marked ```` ```console ```` holds ``$ command`` lines (a trailing ``\\``
continues a command) each followed by what it printed. This script runs the commands of
all blocks in order, in one scratch folder (so ``init`` there makes the database the
later blocks use), through ``bash`` with the installed ``provenance`` first on the PATH,
piped at 100 columns, stdout and stderr together as a terminal shows them, and writes the
output back under each command.

    python scripts/readme_blocks.py           # rewrite README.md in place
    python scripts/readme_blocks.py --check   # exit 1 naming each block that differs

Times, durations and hashes differ between runs; ``--check`` compares with them masked
(see :func:`normalise`), so a block only differs when the output really changed. A line
``…`` in a block's output stands for lines left out (any number, none included), and a
rewrite keeps a command's output as written whenever it still matches, so unchanged
blocks keep their text.

A block may start afresh: an HTML comment on the line before it,
``<!-- readme-blocks: fresh; provenance init && provenance seed -->``, gives it a new
scratch folder and runs the commands after ``fresh;`` there first, silently.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
WIDTH = 100
BLOCK = re.compile(
    r"^(?:<!-- readme-blocks: (?P<setup>.*?) -->\n)?```console\n(?P<body>.*?)^```\n", re.S | re.M
)
ELIDED = "…"
VOLATILE = [
    (re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?( UTC)?"), "<time>"),
    (re.compile(r"\b[0-9a-f]{16,64}\b"), "<hash>"),
    (re.compile(r"\b\d+(\.\d+)? ?(s|ms|seconds)\b"), "<duration>"),
    (re.compile(r"(?m)[ \t]+$"), ""),
]


def commands(block: str) -> list[tuple[str, str]]:
    """The ``$`` commands of a block (continuation lines joined), each with its output."""
    found: list[tuple[str, list[str]]] = []
    lines = block.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line.startswith("$ "):
            if found:
                found[-1][1].append(line)
            continue
        command = [line[2:]]
        while command[-1].endswith("\\") and index < len(lines):
            command.append(lines[index])
            index += 1
        found.append(("\n".join(command), []))
    return [(command, "\n".join(output)) for command, output in found]


def run(command: str, folder: Path) -> str:
    bin_dir = Path(sys.executable).parent
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "COLUMNS": str(WIDTH),
        "PROVENANCE_ANALYST": "ana",
        "PYTHONUNBUFFERED": "1",
        "NO_COLOR": "1",
    }
    env.pop("PROVENANCE_DB", None)
    done = subprocess.run(
        ["bash", "-c", command],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    return "\n".join(line.rstrip() for line in done.stdout.rstrip("\n").splitlines())


def normalise(block: str) -> str:
    for pattern, replacement in VOLATILE:
        block = pattern.sub(replacement, block)
    return block


def matches(written: str, fresh: str) -> bool:
    """Whether ``written`` (with ``…`` lines standing for any lines) is ``fresh``, with
    times and hashes masked."""
    pattern = "".join(
        "(?:.*\n)*?" if line.strip() == ELIDED else re.escape(line) + "\n"
        for line in normalise(written).splitlines()
    )
    return re.fullmatch(pattern, normalise(fresh) + "\n" if fresh else "") is not None


def regenerate(text: str) -> tuple[str, list[str]]:
    """The README with each command's output replaced by a fresh run's where it no longer
    matches, and the commands whose output changed."""
    changed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="provenance-readme-") as scratch:
        folder = Path(scratch)
        fresh_count = 0

        def block(match: re.Match[str]) -> str:
            nonlocal folder, fresh_count
            setup = match.group("setup")
            if setup is not None and setup.startswith("fresh"):
                fresh_count += 1
                folder = Path(scratch) / f"fresh-{fresh_count}"
                folder.mkdir()
                setup_commands = setup.removeprefix("fresh").lstrip(";").strip()
                if setup_commands:
                    run(setup_commands, folder)
            parts = []
            for command, written in commands(match.group("body")):
                parts.append("$ " + command)
                output = run(command, folder)
                if matches(written, output):
                    output = written
                else:
                    changed.append(command.splitlines()[0])
                if output:
                    parts.append(output)
            head = f"<!-- readme-blocks: {setup} -->\n" if setup is not None else ""
            return head + "```console\n" + "\n".join(parts) + "\n```\n"

        return BLOCK.sub(block, text), changed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not rewrite")
    options = parser.parse_args()
    current = README.read_text(encoding="utf-8")
    fresh, changed = regenerate(current)
    if options.check:
        for command in changed:
            print(f"README output no longer matches: $ {command}", file=sys.stderr)
        if changed:
            print("run: python scripts/readme_blocks.py", file=sys.stderr)
        return 1 if changed else 0
    README.write_text(fresh, encoding="utf-8")
    print(f"{len(changed)} command outputs rewritten in {README.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
