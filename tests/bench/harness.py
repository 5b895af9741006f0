"""What every benchmark of `make bench` shares: repeated runs, min / median / max of each figure,
the load average around each run, the commit measured, the raw figures kept beside the RESULTS
file, and RESULTS files that change only when the code did.

A benchmark builds its data once, then measures everything `RUNS` times (at least three) inside
`bench.run()`, recording each number with `bench.record(key, value)`. `bench.write(...)` then
writes the RESULTS file: the commit and whether the tree was dirty, the load average before and
after each run, a table of min / median / max, the goals (met when the median meets them),
every figure that moved more than MOVE_FACTOR times since the previous RESULTS, and the
benchmark's own sentences, which it builds from the numbers of this run. Every run's numbers go
to raw/<bench>-<commit>.json, which the next run compares with.

Environment:
- BENCH_RUNS: how many runs (default and minimum 3);
- BENCH_QUICK=1: small data and short loads, to check the code; results go to BENCH_OUT (by
  default a temporary folder), never over the RESULTS files of tests/bench;
- BENCH_FORCE="why": measure again code whose RESULTS already exist (the reason is written in);
- BENCH_OUT: where RESULTS files and raw/ go (default: tests/bench, or a temporary folder
  with BENCH_QUICK).
"""

import contextlib
import datetime
import hashlib
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parents[1]
QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
RUNS = int(os.environ.get("BENCH_RUNS") or 3)
MIN_RUNS = 3
MOVE_FACTOR = 2.0
# What the benchmarks write is not code: a rewritten RESULTS file is not a code change.
GENERATED = [":(exclude,glob)tests/bench/RESULTS*.md", ":(exclude)tests/bench/raw"]
META = re.compile(r"<!-- bench-meta (\{.*?\}) -->")


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def output_dir() -> Path:
    chosen = os.environ.get("BENCH_OUT")
    if chosen:
        return Path(chosen).resolve()
    if QUICK:
        return Path(tempfile.gettempdir()) / "pmot-bench-quick"
    return BENCH_DIR


def _git(*args: str) -> bytes:
    return subprocess.run(  # noqa: S603
        ["git", *args],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout


def code_state() -> dict:
    """The commit checked out and whether the tree differs from it (outside what benchmarks
    write). A dirty tree gets a fingerprint of its differences: two runs on the same dirty tree
    measured the same code."""
    commit = _git("rev-parse", "HEAD").decode().strip()
    status = _git("status", "--porcelain", "--", ".", *GENERATED).decode().splitlines()
    if not status:
        return {"commit": commit, "dirty": False, "changed_files": 0, "fingerprint": ""}
    digest = hashlib.sha256(_git("diff", "HEAD", "--binary", "--", ".", *GENERATED))
    untracked = _git("ls-files", "--others", "--exclude-standard", "--", ".", *GENERATED)
    for name in sorted(untracked.decode().splitlines()):
        digest.update(name.encode())
        with contextlib.suppress(OSError):
            digest.update((ROOT / name).read_bytes())
    return {
        "commit": commit,
        "dirty": True,
        "changed_files": len(status),
        "fingerprint": digest.hexdigest()[:12],
    }


def same_code(previous: dict, state: dict) -> bool:
    """Whether `previous` (a RESULTS file's meta) measured the code checked out now."""
    if previous.get("fingerprint", "") != state["fingerprint"]:
        return False
    try:
        changed = _git("diff", "--name-only", previous["commit"], state["commit"], "--", ".")
    except (KeyError, subprocess.CalledProcessError):
        return False  # no commit recorded, or one this clone does not have
    excluded = re.compile(r"^tests/bench/(RESULTS[^/]*\.md|raw/)")
    return not [name for name in changed.decode().splitlines() if not excluded.match(name)]


def read_meta(results: Path) -> dict | None:
    try:
        found = META.search(results.read_text(encoding="utf-8"))
    except OSError:
        return None
    return json.loads(found[1]) if found else None


def machine() -> str:
    try:
        cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
    except OSError:
        cpu = None
    return (
        f"{cpu[1].strip() if cpu else platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}"
    )


def fmt(value: float, digits: int) -> str:
    return f"{value:,.{digits}f}"


def ratio_text(new: float, old: float) -> str:
    if old == 0 or new == 0:
        return "from or to zero"
    factor = new / old
    return f"×{factor:.1f}" if factor >= 1 else f"÷{1 / factor:.1f}"


class Bench:
    """One benchmark's runs and its RESULTS file."""

    def __init__(self, name: str, results_name: str, *, sizes: dict | None = None):
        if RUNS < MIN_RUNS:
            sys.exit(f"BENCH_RUNS={RUNS}: a benchmark runs at least {MIN_RUNS} times.")
        self.name = name
        self.dir = output_dir()
        self.results = self.dir / results_name
        self.state = code_state()
        self.started = datetime.datetime.now().astimezone()
        self.previous = read_meta(self.results)
        self.force = os.environ.get("BENCH_FORCE", "").strip()
        self.sizes = sizes or {}
        self.figures: dict[str, dict] = {}
        self.runs: list[dict] = []
        self.current: dict | None = None
        self.extra: dict = {}

    def may_run(self) -> bool:
        """False, having said why, when the RESULTS file already measured this very code."""
        if self.previous is None or not same_code(self.previous, self.state):
            return True
        if self.force:
            out(f"{self.results.name}: same code as its last run, measured again: {self.force}")
            return True
        same = ", same uncommitted changes" if self.state["dirty"] else ""
        out(
            f"Not run: {self.results.name} already measured this code (commit "
            f"{self.previous['commit'][:12]}{same}"
            f", {self.previous.get('date', '?')}). A RESULTS file changes with the code; to "
            'measure the same code again, say why: BENCH_FORCE="the reason" make bench.'
        )
        return False

    # --- figures and runs ----------------------------------------------------------------

    def figure(
        self,
        key: str,
        label: str,
        unit: str,
        *,
        digits: int = 0,
        goal: float | None = None,
        higher_is_better: bool = False,
    ) -> None:
        """Declare a figure (its order is the table's); `goal` is met when the median is at
        least (higher_is_better) or at most the goal."""
        self.figures[key] = {
            "label": label,
            "unit": unit,
            "digits": digits,
            "goal": goal,
            "higher_is_better": higher_is_better,
        }

    @contextlib.contextmanager
    def run(self):
        record = {
            "run": len(self.runs) + 1,
            "started": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            "load_before": os.getloadavg(),
            "values": {},
            "details": {},
        }
        self.runs.append(record)
        self.current = record
        out(f"Run {record['run']} of {RUNS} (load average {record['load_before'][0]:.2f})…")
        try:
            yield record
        finally:
            record["load_after"] = os.getloadavg()
            record["ended"] = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
            self.current = None

    def record(self, key: str, value: float) -> None:
        """One measured number of the current run (a figure may get several per run)."""
        assert key in self.figures, key
        assert self.current is not None, "record() outside run()"
        self.current["values"].setdefault(key, []).append(value)
        meta = self.figures[key]
        out(f"  {meta['label']}: {fmt(value, meta['digits'])} {meta['unit']}")

    def values(self, key: str) -> list[float]:
        return [v for run in self.runs for v in run["values"].get(key, [])]

    def summary(self, key: str) -> dict | None:
        values = self.values(key)
        if not values:
            return None
        return {
            "min": min(values),
            "median": statistics.median(values),
            "max": max(values),
            "n": len(values),
        }

    def met(self, key: str) -> bool | None:
        meta, summary = self.figures[key], self.summary(key)
        if meta["goal"] is None or summary is None:
            return None
        if meta["higher_is_better"]:
            return summary["median"] >= meta["goal"]
        return summary["median"] <= meta["goal"]

    def show(self, key: str, what: str = "median") -> str:
        """A figure's median (or min, max) with its unit, for sentences."""
        meta = self.figures[key]
        return f"{fmt(self.summary(key)[what], meta['digits'])} {meta['unit']}".rstrip()

    # --- the RESULTS file ----------------------------------------------------------------

    def header(self, title: str) -> list[str]:
        state = self.state
        tree = (
            "the tree clean"
            if not state["dirty"]
            else f"the tree dirty: {state['changed_files']} files differ from that commit "
            f"(fingerprint {state['fingerprint']})"
        )
        lines = [
            f"# {title} ({self.started:%Y-%m-%d %H:%M %Z})",
            "",
            f"Commit measured: `{state['commit']}`, {tree}.",
        ]
        if QUICK:
            lines += ["", "**BENCH_QUICK**: small data and short loads, to check the code only."]
        if self.force and self.previous and same_code(self.previous, state):
            lines += ["", f"Measured again without a code change (BENCH_FORCE): {self.force}"]
        return [*lines, ""]

    def load_section(self) -> list[str]:
        cores = os.cpu_count() or 1
        lines = [
            f"Machine: {machine()}. {len(self.runs)} runs; the data was built once. The load "
            "average (1, 5, 15 minutes) before and after each run:",
            "",
            "| run | started | before | after |",
            "| --- | --- | --- | --- |",
        ]
        readings = []
        for run in self.runs:
            before, after = run["load_before"], run.get("load_after", run["load_before"])
            readings += [before[0], after[0]]
            lines.append(
                f"| {run['run']} | {run['started'][11:19]} | "
                + " / ".join(f"{x:.2f}" for x in before)
                + " | "
                + " / ".join(f"{x:.2f}" for x in after)
                + " |"
            )
        above = sum(reading > cores for reading in readings)
        lines += [
            "",
            f"The 1-minute load average went from {min(readings):.2f} to {max(readings):.2f}; "
            f"{above} of {len(readings)} readings were above the machine's {cores} cores"
            + (
                " (the benchmark's own processes count in it too)."
                if above
                else ", so no run waited for a core on average."
            ),
            "",
        ]
        return lines

    def table(self) -> list[str]:
        lines = [
            "Every figure over all runs (n: how many numbers; a goal is met when the median "
            "meets it):",
            "",
            "| figure | min | median | max | n | goal | met |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for key, meta in self.figures.items():
            summary = self.summary(key)
            if summary is None:
                continue
            cells = [fmt(summary[w], meta["digits"]) for w in ("min", "median", "max")]
            unit = f" {meta['unit']}" if meta["unit"] else ""
            goal, met = "", ""
            if meta["goal"] is not None:
                goal = ("≥ " if meta["higher_is_better"] else "≤ ") + f"{meta['goal']:g}{unit}"
                met = "yes" if self.met(key) else "**no**"
            lines.append(
                f"| {meta['label']} | {cells[0]}{unit} | {cells[1]}{unit} | {cells[2]}{unit} "
                f"| {summary['n']} | {goal} | {met} |"
            )
        return [*lines, ""]

    def goals_sentence(self) -> str | None:
        goals = [key for key, meta in self.figures.items() if self.met(key) is not None]
        if not goals:
            return None
        met = [key for key in goals if self.met(key)]
        missed = [self.figures[key]["label"] for key in goals if key not in met]
        sentence = f"Goals: {len(met)} of {len(goals)} met by the median"
        return sentence + (f"; not met: {', '.join(missed)}." if missed else ".")

    def previous_figures(self) -> tuple[dict | None, dict]:
        """The previous RESULTS file's raw summary: (its meta, {key: summary}). A RESULTS file
        written before this harness has its figures transcribed in raw/<bench>-legacy.json."""
        legacy = Path("raw") / f"{self.name}-legacy.json"
        if self.previous is None and (self.dir / legacy).exists():
            raw = json.loads((self.dir / legacy).read_text(encoding="utf-8"))
            meta = {k: raw.get(k) for k in ("commit", "dirty", "date", "transcribed")}
            return meta | {"raw": str(legacy), "sizes": None}, raw.get("summary", {})
        if self.previous is None or not self.previous.get("raw"):
            return None, {}
        try:
            raw = json.loads((self.dir / self.previous["raw"]).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return self.previous, {}
        return self.previous | {"sizes": raw.get("sizes")}, raw.get("summary", {})

    def moves_section(self) -> list[str]:
        previous, before = self.previous_figures()
        if previous is None:
            return [
                "No earlier RESULTS file with raw figures to compare with.",
                "",
            ]
        if not before:
            return [
                f"The previous RESULTS (commit {previous.get('commit', '?')[:12]}) kept no raw "
                "figures: nothing to compare with.",
                "",
            ]
        moved, compared, largest = [], 0, None
        for key, meta in self.figures.items():
            now, then = self.summary(key), before.get(key)
            if now is None or then is None:
                continue
            compared += 1
            new, old = now["median"], then["median"]
            if new == old:
                factor = 1.0
            else:
                factor = max(new, old) / min(new, old) if min(new, old) > 0 else float("inf")
            if new != old and (largest is None or factor > largest[0]):
                largest = (factor, key, old, new)
            if factor > MOVE_FACTOR:
                moved.append(
                    f"| {meta['label']} | {fmt(old, meta['digits'])} {meta['unit']} | "
                    f"{fmt(new, meta['digits'])} {meta['unit']} | {ratio_text(new, old)} |"
                )
        source = (
            f"the previous RESULTS (commit `{previous.get('commit', '?')[:12]}`"
            f"{', dirty' if previous.get('dirty') else ''}, {previous.get('date', '?')}, "
            f"raw figures `{previous['raw']}`"
            + (
                ", transcribed from its text: one run, no load average"
                if previous.get("transcribed")
                else ""
            )
            + ")"
        )
        if previous.get("sizes") is not None and previous["sizes"] != self.sizes:
            source += f" — its data sizes were {previous['sizes']}, these are {self.sizes}"
        if moved:
            return [
                f"**{len(moved)} of {compared} figures moved more than {MOVE_FACTOR:g}× since "
                f"{source}** (medians):",
                "",
                "| figure | previous | now | change |",
                "| --- | --- | --- | --- |",
                *moved,
                "",
            ]
        sentence = f"No figure moved more than {MOVE_FACTOR:g}× since {source}"
        if largest is not None:
            meta = self.figures[largest[1]]
            sentence += (
                f"; the largest move: {meta['label']}, {fmt(largest[2], meta['digits'])} → "
                f"{fmt(largest[3], meta['digits'])} {meta['unit']}".rstrip()
            )
        return [f"{sentence} ({compared} figures compared).", ""]

    def write(self, title: str, method: list[str], findings: list[str]) -> Path:
        """The RESULTS file and its raw figures; `method` and `findings` are the benchmark's
        own paragraphs (each built from this run's numbers)."""
        commit = self.state["commit"][:12]
        suffix = f"-dirty-{self.state['fingerprint']}" if self.state["dirty"] else ""
        raw_path = self.dir / "raw" / f"{self.name}-{commit}{suffix}.json"
        raw_path.parent.mkdir(parents=True, exist_ok=True)
        summary = {key: self.summary(key) for key in self.figures if self.summary(key)}
        raw = {
            "bench": self.name,
            **self.state,
            "date": self.started.isoformat(timespec="seconds"),
            "quick": QUICK,
            "forced": self.force,
            "machine": machine(),
            "sizes": self.sizes,
            "figures": self.figures,
            "runs": self.runs,
            "summary": summary,
            "extra": self.extra,
            "previous": self.previous,
        }
        raw_path.write_text(json.dumps(raw, indent=1, default=str) + "\n", encoding="utf-8")
        goals = self.goals_sentence()
        lines = [
            *self.header(title),
            *method,
            *self.load_section(),
            *self.table(),
            *([goals, ""] if goals else []),
            *self.moves_section(),
            *findings,
            f"Every run's numbers: `{raw_path.relative_to(self.dir)}`.",
            "",
        ]
        meta = {
            "commit": self.state["commit"],
            "dirty": self.state["dirty"],
            "fingerprint": self.state["fingerprint"],
            "date": self.started.isoformat(timespec="minutes"),
            "raw": str(raw_path.relative_to(self.dir)),
        }
        lines.append(f"<!-- bench-meta {json.dumps(meta)} -->")
        lines.append("")
        self.results.parent.mkdir(parents=True, exist_ok=True)
        self.results.write_text("\n".join(lines), encoding="utf-8")
        for line in ([goals] if goals else []) + self.moves_section()[:1]:
            out(line)
        out(f"Written: {self.results} and {raw_path}")
        return self.results
