"""Offline report over run directories: curves, pass@k, failure reasons, sample audit.

    python -m rlvr.report outputs/grpo/RUN                          # -> outputs/grpo/RUN/report/index.html
    python -m rlvr.report outputs/sft/RUN outputs/grpo/RUN --out reports/pipeline   # one timeline
    python -m rlvr.report outputs/grpo/A outputs/grpo/B --format md --smooth 20 --steps 0,100,500

Reads only what the stages logged (DESIGN.md "Run directory": metrics.jsonl, samples.jsonl,
eval.json, .hydra/) and imports no stage: as nanochat found when it deleted its woven-in report
code, reporting is best an offline reader of files. Runs of one stage are overlaid; runs of
different stages (pretrain -> sft -> grpo) are laid end to end on one step axis with a divider.
Missing, empty or torn files become notes on the page, never exceptions. Writes PNGs plus one
self-contained index.html (images inlined as data URIs, inline CSS, no scripts, nothing fetched),
or report.md for pasting into an issue, and prints a summary table.
"""
from __future__ import annotations

import argparse
import base64
import html
import json
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402
import numpy as np  # noqa: E402
import yaml  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from rlvr.degeneration import entropy_spike, is_trivial_body  # noqa: E402
from rlvr.runlog import read_jsonl  # noqa: E402

STAGE_ORDER = {"pretrain": 0, "sft": 1, "grpo": 2}  # order of a pipeline's timeline; eval runs stay apart
MAX_POINTS = 1500  # points drawn per line: a 10k-step run is thinned, the smoothing still sees every step
AUDIT_PER_STEP = 4  # samples shown per audited step: samples.jsonl may hold thousands
MAX_ROWS = 30  # cap for the failure and config-diff tables
REWARD_KEYS = ["reward/mean", "reward/compile_rate", "reward/pass_rate",
               "rewards/compile/mean", "rewards/tests/mean"]  # the last two: TRL's per-reward-function names
HEALTH_KEYS = ["entropy/mean", "kl", "completions/mean_length", "completions/truncated_frac",
               "groups/zero_std_frac", "coherence/score", "audit/coherence"]
GATED = ("coherence/score", "audit/coherence")  # drawn with the coherence gate's threshold, dashed
NOT_CURVES = {"step", "time", "reward/std", "coherence/threshold"}  # drawn as bands/lines or not at all


@dataclass
class Run:
    path: Path
    label: str  # legend / column name: the run's own Hydra overrides, else stage/run dir names
    stage: str = "?"  # most logged non-eval stage
    rows: list[dict] = field(default_factory=list)
    columns: dict[str, np.ndarray] = field(default_factory=dict)  # key -> (len(rows),) floats, NaN where absent
    samples: list[dict] = field(default_factory=list)
    evals: dict[str, dict] = field(default_factory=dict)  # eval.json path relative to the run -> content
    config: dict[str, str] = field(default_factory=dict)  # flattened .hydra/config.yaml
    overrides: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what is missing, said on the page
    offset: int = 0  # added to steps when stages are laid end to end


# ---------------------------------------------------------------- 1. load

def _read_logged(path: Path, run_name: str, skipped: str, notes: list[str]) -> list[dict]:
    if not path.exists():
        notes.append(f"no {path.name} in {run_name}: {skipped}")
        return []
    rows = [r for r in read_jsonl(path) if isinstance(r, dict)]
    lines = sum(1 for line in path.read_text().splitlines() if line.strip())
    if lines > len(rows):  # read_jsonl skips them silently; the reader of the report should know
        notes.append(f"{lines - len(rows)} unreadable line(s) in {path.name} of {run_name} "
                     f"(torn last line of a killed run?): skipped")
    if not rows:
        notes.append(f"{path.name} of {run_name} holds no rows: {skipped}")
    return rows


def _num(value) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else np.nan


def numeric_columns(rows: list[dict]) -> dict[str, np.ndarray]:
    """Every key holding a number in some row -> one float array over all rows (null/NaN/absent -> NaN)."""
    keys = {k for r in rows for k, v in r.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    columns = {}
    for key in sorted(keys):
        values = [r.get(key) for r in rows]
        try:  # the common case, in C: numbers and None (-> NaN)
            columns[key] = np.array(values, dtype=float)
        except (TypeError, ValueError):  # a stray string or list in a numeric column
            columns[key] = np.array([_num(v) for v in values], dtype=float)
    return columns


def flatten(tree: dict, prefix: str = "") -> dict[str, str]:
    out = {}
    for key, value in tree.items():
        if isinstance(value, dict) and value:
            out.update(flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = json.dumps(value) if isinstance(value, (list, dict)) else str(value)
    return out


def _parse(path: Path, parse, expected: type, run: Run):
    """parse(text) if it gives an `expected`; else a note on the page and None."""
    try:
        content = parse(path.read_text())
    except (OSError, ValueError, yaml.YAMLError) as err:  # json's decode error is a ValueError
        content = f"{type(err).__name__}: {err}"
    if isinstance(content, expected):
        return content
    run.notes.append(f"unreadable {path} ({str(content)[:80]}): ignored")


def load_run(path: str | Path) -> Run:
    path = Path(path)
    run = Run(path=path, label=f"{path.parent.name}/{path.name}")
    name = run.label
    if not path.is_dir():
        run.notes.append(f"{path} is not a directory: nothing to report")
        return run
    run.rows = _read_logged(path / "metrics.jsonl", name, "curves skipped", run.notes)
    run.columns = numeric_columns(run.rows)
    run.samples = _read_logged(path / "samples.jsonl", name, "sample audit skipped", run.notes)
    for eval_path in [path / "eval.json", *sorted(path.glob("*/eval.json"))]:  # e.g. round_2/eval.json
        if eval_path.exists() and (content := _parse(eval_path, json.loads, dict, run)) is not None:
            run.evals[str(eval_path.relative_to(path))] = content
    hydra = path / ".hydra"
    if (hydra / "config.yaml").exists():
        run.config = flatten(_parse(hydra / "config.yaml", yaml.safe_load, dict, run) or {})
    else:
        run.notes.append(f"no .hydra/config.yaml in {name}: left out of the config diff")
    if (hydra / "overrides.yaml").exists():
        run.overrides = [str(o) for o in _parse(hydra / "overrides.yaml", yaml.safe_load, list, run) or []]
    for row in run.rows:  # what grpo's monitor said while the run went on
        if row.get("gate/reason"):
            run.notes.append(f"{name} halted at step {row.get('step')}: {row['gate/reason']}")
    fired = sorted({k for row in run.rows for k, v in row.items() if k.startswith("warn/") and v})
    if fired:
        run.notes.append(f"{name}: monitor warnings fired: {', '.join(fired)} (see the warn/* panel)")
    stages = Counter(r.get("stage") for r in run.rows if r.get("stage") not in (None, "eval"))
    run.stage = (stages.most_common(1)[0][0] if stages else "eval" if run.rows
                 else path.parent.name if path.parent.name in STAGE_ORDER else "?")
    return run


def assign_labels(runs: list[Run]) -> None:
    """Label = the overrides that tell this run apart from the others (all of them for one run)."""
    common = set.intersection(*(set(r.overrides) for r in runs)) if len(runs) > 1 else set()
    for run in runs:
        own = " ".join(o for o in run.overrides if o not in common)
        if own:
            run.label = own if len(own) <= 60 else own[:57] + "..."


def lay_out(runs: list[Run]) -> list[tuple[int, str]]:
    """Offset each stage's steps past the previous stage's; return (x, stage) dividers (none if one stage)."""
    stepped = [r for r in runs if r.stage in STAGE_ORDER and np.isfinite(r.columns.get("step", [np.nan])).any()]
    stages = sorted({r.stage for r in stepped}, key=STAGE_ORDER.get)
    if len(stages) < 2:
        return []
    dividers, offset = [], 0
    for stage in stages:
        same = [r for r in stepped if r.stage == stage]
        for run in same:
            run.offset = offset
        dividers.append((offset, stage))
        offset += int(max(np.nanmax(r.columns["step"]) for r in same)) + 1
    return dividers


# ---------------------------------------------------------------- 2. summarise

def smooth(y: np.ndarray, window: int) -> np.ndarray:
    """Trailing moving average over `window` points (cumsum: vectorised, so 10k steps cost nothing)."""
    if window <= 1 or len(y) < 2:
        return y
    csum = np.concatenate([[0.0], np.cumsum(y)])
    hi = np.arange(1, len(y) + 1)
    lo = np.maximum(0, hi - window)
    return (csum[hi] - csum[lo]) / (hi - lo)


def _last(run: Run, key: str) -> float:
    y = run.columns.get(key, np.array([]))
    y = y[np.isfinite(y)]
    return y[-1] if len(y) else np.nan


def _fmt(value) -> str:
    return "—" if not isinstance(value, (int, float)) or value != value else f"{value:.3f}"


def _eval_pass1(run: Run) -> float:
    """Sampled pass@1 of the run's last evaluated model (its main split first)."""
    for _, cells in reversed(_eval_columns(run)):
        found = sorted((k[0] != run.config.get("eval.split", "eval"), v) for k, v in cells.items()
                       if k[1:] == ("sampled", "pass@1") and isinstance(v, (int, float)))
        if found:
            return found[0][1]
    return np.nan


def summarise(run: Run) -> dict[str, str]:
    steps = run.columns.get("step", np.array([]))
    reward = run.columns.get("reward/mean", np.array([]))
    return {"run": run.label, "stage": run.stage, "rows": str(len(run.rows)),
            "step": str(int(np.nanmax(steps))) if np.isfinite(steps).any() else "—",
            "reward": _fmt(_last(run, "reward/mean")),
            "best": _fmt(np.nanmax(reward) if np.isfinite(reward).any() else np.nan),
            "compile": _fmt(_last(run, "reward/compile_rate")), "pass": _fmt(_last(run, "reward/pass_rate")),
            "pass@1": _fmt(_eval_pass1(run)), "coherence": _fmt(_last(run, "coherence/score"))}


def _natural(text: str):
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", text)]  # pass@5 before pass@10


def _eval_columns(run: Run) -> list[tuple[str, dict]]:
    """(column header, {(split, decoding, metric): value}) for every model evaluated in one run.

    The eval/* keys in metrics.jsonl (`eval/pass@1`, `eval/greedy_pass@1`, `eval/BENCH/pass@1`) give
    one column per `eval/model`, else the first and last evaluation (SFT's round 0 is the base model).
    Then each eval.json: rlvr.eval's holds `compare` (base, SFT) and `results` (its model), in that
    order, so one eval.json reads base -> SFT -> GRPO; it also logged its rows, so those are skipped."""
    def cells(results) -> dict:
        out = {}
        for split, by_decoding in (results.items() if isinstance(results, dict) else []):
            for decoding, metrics in (by_decoding.items() if isinstance(by_decoding, dict) else []):
                for metric, value in (metrics.items() if isinstance(metrics, dict) else []):
                    out[(split, decoding, metric)] = value
        return out

    columns = []
    eval_rows = [r for r in run.rows if any(k.startswith("eval/") for k in r)]
    if eval_rows and "eval.json" not in run.evals:  # rlvr.eval logs its eval.json there too
        if any("eval/model" in r for r in eval_rows):
            eval_rows = list({str(r.get("eval/model")): r for r in eval_rows}.values())  # last row per model
        else:
            eval_rows = [eval_rows[0]] + eval_rows[1:][-1:]
        split = run.config.get("eval.split", "eval")  # the main split's keys carry no split name
        for row in eval_rows:
            found = {}
            for key, value in row.items():
                if key.startswith("eval/") and key != "eval/model":
                    bench, _, name = key[5:].rpartition("/")
                    greedy = name.startswith("greedy_")
                    found[(bench or split, "greedy" if greedy else "sampled", name[7:] if greedy else name)] = value
            model = row.get("eval/model") or f"{row.get('stage')} step {row.get('step')}"
            columns.append((f"{model} · {run.label}/metrics.jsonl", found))
    for rel, ev in run.evals.items():
        for label, other in (ev.get("compare") or {}).items():
            if isinstance(other, dict):
                columns.append((f"{label} ({other.get('path', '?')}) · {run.label}/{rel}", cells(other.get("results"))))
        main = cells(ev.get("results"))
        for preset, metrics in (ev.get("sweep") or {}).items():
            if isinstance(metrics, dict):
                main.update({(f"sweep: {preset}", "", metric): value for metric, value in metrics.items()})
        columns.append((f"{ev.get('model') or 'model'} · {run.label}/{rel}", main))
    return columns


def passk_table(runs: list[Run]) -> tuple[list[str], list[tuple[tuple[str, str, str], list[str]]]]:
    """Columns in RUN_DIR order (give base, SFT, GRPO runs in that order); rows (split, decoding, metric)."""
    columns = [column for run in runs for column in _eval_columns(run)]
    keys = {key for _, cells in columns for key, value in cells.items() if isinstance(value, (int, float))}
    order = sorted(keys, key=lambda key: [_natural(part) for part in key])
    return [header for header, _ in columns], [(key, [_fmt(cells.get(key)) for _, cells in columns]) for key in order]


def normalise_error(status: str, error: str) -> str:
    """A key grouping errors that differ only in line numbers, names and literals."""
    text = error or ""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if status == "compile_error":
        match = re.search(r"error:\s*(.+)", text)
        msg = match.group(1) if match else first
        msg = re.sub(r"\b(variable|method|class|symbol|constructor)\s+[\w$.\[\]<>]+", r"\1 _", msg)
        msg = re.sub(r"\([^)]*\)", "(…)", msg)  # argument lists
        msg = re.sub(r"[\w$]+\.java\b", "_.java", msg).split(": ", 1)[0]  # "incompatible types: A ... B"
    else:
        exception = re.search(r"\b\w+(?:Exception|Error)\b", text)  # \w+ skips "Exception in thread"
        msg = exception.group(0) if exception else re.sub(r"'[^']*'|\"[^\"]*\"", "_", first)
    return re.sub(r"\d+", "N", msg).strip()[:100] or "(no message)"


def failure_groups(runs: list[Run]) -> list[tuple[str, str, list[int], dict]]:
    """(status, normalised message, count per run, first example) for failing samples, most frequent first."""
    counts, examples = {}, {}
    for i, run in enumerate(runs):
        for sample in run.samples:
            status = sample.get("status") or "?"
            if status in ("pass", "compiled"):
                continue
            key = (status, normalise_error(status, sample.get("error")))
            counts.setdefault(key, [0] * len(runs))[i] += 1
            examples.setdefault(key, sample)
    order = sorted(counts, key=lambda k: -sum(counts[k]))[:MAX_ROWS]
    return [(status, msg, counts[(status, msg)], examples[(status, msg)]) for status, msg in order]


def hacking_watch(run: Run) -> dict:
    """Rewarded samples (reward >= 1: they compiled) whose body is trivial, e.g. `return 0;`: free reward."""
    rewarded = [s for s in run.samples if _num(s.get("reward")) >= 1 or s.get("status") in ("pass", "compiled")]
    trivial = [s for s in rewarded if is_trivial_body(str(s.get("completion") or ""))]
    return {"rewarded": len(rewarded), "trivial": len(trivial),
            "frac": len(trivial) / len(rewarded) if rewarded else np.nan,
            "passing": sum(s.get("status") == "pass" for s in trivial),
            "tasks": sorted({str(s.get("task_id")) for s in trivial})[:5]}


def config_diff(runs: list[Run]) -> list[tuple[str, list[str]]]:
    with_config = [r for r in runs if r.config]
    keys = sorted(set().union(*(r.config for r in with_config))) if len(with_config) > 1 else []
    diff = [(k, [r.config.get(k, "—") for r in with_config]) for k in keys]
    return [(k, values) for k, values in diff if len(set(values)) > 1]


def audit_steps(samples: list[dict], wanted: list[int] | None = None) -> list[int]:
    """First, middle and last audited step, or the audited steps nearest to `wanted`."""
    steps = sorted({s["step"] for s in samples if isinstance(s.get("step"), int)})
    if not steps:
        return []
    if wanted:
        return sorted({min(steps, key=lambda s: abs(s - w)) for w in wanted})
    return sorted({steps[0], steps[len(steps) // 2], steps[-1]})


def pick_samples(samples: list[dict], step: int, n: int = AUDIT_PER_STEP) -> list[dict]:
    """Up to n samples of one step, one of each status first so passes and failures both show."""
    at_step = [s for s in samples if s.get("step") == step]
    firsts = list({s.get("status"): i for i, s in reversed(list(enumerate(at_step)))}.values())
    order = sorted(firsts) + [i for i in range(len(at_step)) if i not in set(firsts)]
    return [at_step[i] for i in order[:n]]


# ---------------------------------------------------------------- 3. plot

def _thin(n: int) -> np.ndarray:
    return np.unique(np.linspace(0, n - 1, min(n, MAX_POINTS)).astype(int))


def _series(run: Run, key: str):
    if run.stage == "eval":  # its rows are one per evaluated model, not steps: the pass@k table shows them
        return None
    y, x = run.columns.get(key), run.columns.get("step")
    if y is None or x is None:
        return None
    ok = np.isfinite(x) & np.isfinite(y)
    return (x[ok] + run.offset, y[ok]) if ok.any() else None


def _band(ax, run: Run, window: int, color) -> None:
    """reward/mean +- reward/std, both smoothed, where both were logged."""
    mean, std, step = run.columns["reward/mean"], run.columns["reward/std"], run.columns["step"]
    ok = np.isfinite(mean) & np.isfinite(std) & np.isfinite(step)
    if ok.sum() < 2:
        return
    x, m, s = step[ok] + run.offset, smooth(mean[ok], window), smooth(std[ok], window)
    idx = _thin(len(x))
    ax.fill_between(x[idx], (m - s)[idx], (m + s)[idx], color=color, alpha=0.12, lw=0)


def _gate(run: Run) -> float:
    """The coherence gate's threshold: logged as coherence/threshold, else grpo's monitor config."""
    logged = _last(run, "coherence/threshold")
    try:
        return logged if np.isfinite(logged) else float(run.config.get("monitor.gate_threshold", "nan"))
    except ValueError:  # "None": no gate configured
        return np.nan


def plot_curves(runs: list[Run], keys: list[str], path: Path, title: str,
                dividers: list[tuple[int, str]], window: int = 0) -> Path | None:
    """One panel per key logged by some run: raw (faint) + smoothed, runs overlaid. None if nothing logged."""
    keys = [k for k in keys if any(_series(r, k) is not None for r in runs)]
    if not keys:
        return None
    ncols = min(3, len(keys))
    nrows = (len(keys) + ncols - 1) // ncols
    width, height = 5.2 * ncols, 3.0 * nrows + 1.2
    fig, axes = plt.subplots(nrows, ncols, figsize=(width, height), squeeze=False)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for ax, key in zip(axes.flat, keys):
        for i, run in enumerate(runs):
            if (series := _series(run, key)) is None:
                continue
            (x, y), color = series, colors[i % len(colors)]
            n = window or (max(3, len(y) // 25) if len(y) >= 15 else 1)  # auto ~4%; 3 SFT rounds stay raw
            idx = _thin(len(x))
            if n > 1:
                ax.plot(x[idx], y[idx], color=color, alpha=0.3, lw=0.7)
            ax.plot(x[idx], smooth(y, n)[idx], color=color, lw=1.6, label=run.label,
                    marker="o" if len(y) <= 20 else None, ms=3)
            if key == "reward/mean" and "reward/std" in run.columns:
                _band(ax, run, n, color)
            if key in GATED and np.isfinite(gate := _gate(run)):
                ax.axhline(gate, color=color, ls="--", lw=1, label=f"gate {gate:g}")
        for x_div, stage in dividers:
            if not ax.dataLim.x0 <= x_div <= ax.dataLim.x1:  # an SFT-only metric needs no GRPO divider
                continue
            ax.axvline(x_div, color="gray", ls=":", lw=1)
            ax.text(x_div, 0.98, f" {stage}", transform=ax.get_xaxis_transform(), va="top", fontsize=8,
                    color="gray")
        lo, hi = ax.dataLim.y0, ax.dataLim.y1
        if hi - lo < 1e-9 * max(1.0, abs(hi)):  # a constant metric: no "1e-13+5e-2" offset axis
            pad = max(0.1 * abs(hi), 0.05)
            ax.set_ylim(lo - pad, hi + pad)
        ax.set_title(key, fontsize=10)
        ax.set_xlabel("step", fontsize=8)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # steps and rounds, never 0.25
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3)
    for ax in axes.flat[len(keys):]:
        ax.axis("off")
    handles = {label: h for ax in axes.flat for h, label in zip(*ax.get_legend_handles_labels())}
    order = [r.label for r in runs]  # legend in RUN_DIR order, whichever panel drew a run first
    handles = dict(sorted(handles.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)))
    fig.legend(handles.values(), handles.keys(), loc="lower center", ncol=min(4, len(handles)), fontsize=8,
               frameon=False)
    fig.suptitle(title)
    # fixed margins in inches: tight_layout measured every tick label and took half the report's time
    legend_rows = (len(handles) + 3) // 4
    fig.subplots_adjust(left=0.65 / width, right=1 - 0.15 / width, top=1 - 0.75 / height,
                        bottom=(0.6 + 0.2 * legend_rows) / height, hspace=0.45, wspace=0.25)
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return path


def plot_entropy(samples: list[dict], path: Path, title: str) -> Path | None:
    """Per-token entropy of audited samples, the spike (if any) marked with a dot and a dotted line."""
    samples = [s for s in samples if isinstance(s.get("entropy"), list) and s["entropy"]][:6]
    if not samples:
        return None
    fig, ax = plt.subplots(figsize=(10, 3.2))
    for sample in samples:
        e = np.array([_num(v) for v in sample["entropy"]])
        label = f"step {sample.get('step')} {sample.get('task_id')} ({sample.get('status')})"
        line, = ax.plot(e, lw=1, label=label)
        if (spike := entropy_spike(e.tolist())) is not None:
            ax.axvline(spike, color=line.get_color(), ls=":", lw=1)
            ax.plot([spike], [e[spike]], "o", color=line.get_color())
    ax.set(title=title, xlabel="token", ylabel="entropy (nats)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    fig.subplots_adjust(left=0.07, right=0.72, bottom=0.16, top=0.9)
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return path


# ---------------------------------------------------------------- 4. write

JAVA_KEYWORDS = ("abstract assert boolean break byte case catch char class continue default do double else enum "
                 "extends final finally float for if implements import instanceof int interface long new package "
                 "private protected public return short static super switch synchronized this throw throws try "
                 "var void volatile while true false null").split()
_JAVA_TOKEN = re.compile(r"(?P<com>//[^\n]*|/\*.*?\*/)"  # one pass, comments and strings first: no keyword
                         r"|(?P<str>\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*')"  # inside them is highlighted
                         r"|(?P<num>\b\d[\d_]*(?:\.\d+)?[lLfFdD]?\b)"
                         r"|(?P<kw>\b(?:" + "|".join(JAVA_KEYWORDS) + r")\b)", re.S)


def highlight_java(code: str) -> str:
    """HTML for Java source: escape first (a completion may hold `<` or `</pre>`), then wrap tokens in spans.
    Quotes stay unescaped so the string pattern sees them; `&lt;` `&gt;` `&amp;` hold no keyword or digit."""
    escaped = html.escape(code or "", quote=False)
    return _JAVA_TOKEN.sub(lambda m: f'<span class="{m.lastgroup}">{m.group(0)}</span>', escaped)


CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1250px;padding:1em 2em;color:#222}
h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:1.8em} h3{margin-bottom:.3em} img{max-width:100%}
table{border-collapse:collapse;margin:.5em 0;font-size:13px} th{background:#f3f3f3}
th,td{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums} .muted{color:#777;font-size:12px}
.note{background:#fff8e1;border-left:4px solid #f0b400;padding:.3em .8em;margin:.3em 0}
pre{background:#f7f7f7;padding:.5em .7em;overflow-x:auto;font-size:12px;margin:.3em 0;white-space:pre-wrap}
pre.err{background:#fdecec;color:#900} summary{cursor:pointer;color:#555;font-size:12px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:.6em}
.card{border:1px solid #ddd;border-radius:6px;padding:.4em .8em;min-width:0}
.st{display:inline-block;padding:0 .5em;border-radius:4px;color:#fff;background:#777;font-size:12px}
.st-pass{background:#2e7d32} .st-compiled{background:#1565c0} .st-compile_error{background:#c62828}
.st-test_failure{background:#ef6c00} .st-runtime_error{background:#ad1457}
.kw{color:#7b1fa2;font-weight:600} .str{color:#2e7d32} .com{color:#888;font-style:italic} .num{color:#1565c0}
"""


def build_tables(runs: list[Run], summary: list[dict]) -> dict[str, tuple[list[str], list[list[str]], str]]:
    """Title -> (headers, rows of strings, what the page says when there are no rows): html and md share them."""
    labels = [run.label for run in runs]
    run_rows = [[r.label, str(r.path), r.stage, str(len(r.rows)), str(len(r.samples)),
                 ", ".join(r.evals) or "—", " ".join(r.overrides) or "—"] for r in runs]
    pk_headers, pk_rows = passk_table(runs)
    status_counts = [Counter(str(s.get("status")) for s in r.samples) for r in runs]
    statuses = sorted(set().union(*status_counts))
    failure_rows = [[status, msg, *map(str, counts),  # example: task, then the error's first lines
                     f"{example.get('task_id')}:\n" + "\n".join(str(example.get("error") or "").splitlines()[:3])]
                    for status, msg, counts, example in failure_groups(runs)]
    hacking_rows = [[r.label, str(h["rewarded"]), str(h["trivial"]), _fmt(h["frac"]), str(h["passing"]),
                     ", ".join(h["tasks"]) or "—"] for r, h in ((r, hacking_watch(r)) for r in runs) if r.samples]
    return {
        "Runs": (["label", "path", "stage", "metric rows", "samples", "eval.json", "overrides"], run_rows, ""),
        "Summary": (list(summary[0]), [list(row.values()) for row in summary], ""),
        "pass@k": (["split", "decoding", "metric"] + pk_headers, [list(k) + v for k, v in pk_rows],
                   "no eval.json and no eval/* rows in metrics.jsonl: pass@k table skipped"),
        "Verdict statuses": (["status"] + labels, [[st] + [str(c[st]) for c in status_counts] for st in statuses],
                             "no samples: statuses skipped"),
        "Top failure reasons": (["status", "message"] + labels + ["example"], failure_rows, "no failing samples"),
        "Reward hacking watch": (["run", "rewarded samples (reward ≥ 1)", "trivial body", "fraction",
                                  "trivial and passing", "tasks"], hacking_rows,
                                 "no samples: reward hacking watch skipped"),
        "Config diff": (["key"] + [r.label for r in runs if r.config],
                        [[k] + v for k, v in config_diff(runs)[:MAX_ROWS]],
                        "fewer than two runs with .hydra/config.yaml, or no key differs"),
    }


def _html_table(headers: list[str], rows: list[list[str]]) -> str:
    """Cells escaped here; numbers right-aligned, multi-line cells (error examples) as <pre>."""
    def cell(value: str) -> str:
        if "\n" in value:
            return f"<td><pre class=err>{html.escape(value)}</pre></td>"
        numeric = re.fullmatch(r"[-+\d.e—]+", value) is not None
        return f"<td{' class=n' if numeric else ''}>{html.escape(value)}</td>"
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(map(cell, row)) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _md_table(headers: list[str], rows: list[list[str]]) -> str:
    cell = lambda v: str(v).replace("|", "\\|").replace("\n", " ⏎ ")  # noqa: E731
    return "\n".join(["| " + " | ".join(map(cell, headers)) + " |", "|" + "---|" * len(headers)]
                     + ["| " + " | ".join(map(cell, row)) + " |" for row in rows]) + "\n"


def _img(path: Path) -> str:
    data = base64.b64encode(path.read_bytes()).decode()  # inlined: the page opens from disk, alone
    return f'<img alt="{path.stem}" src="data:image/png;base64,{data}">'


def _sample_card(sample: dict) -> str:
    prompt_lines = str(sample.get("prompt") or "").splitlines()
    status = html.escape(str(sample.get("status")))
    error = f'<pre class="err">{html.escape(str(sample["error"])[:1500])}</pre>' if sample.get("error") else ""
    meta = "  ".join(f"{k} {_fmt(v) if isinstance(v, (int, float)) else v}" for k in ("reward", "coherence", "decoding",
                     "set", "model") if (v := sample.get(k)) is not None)
    return (f'<div class="card"><b>{html.escape(str(sample.get("task_id")))}</b> '
            f'<span class="st st-{status}">{status}</span> <span class="muted">{html.escape(meta)}</span>'
            f"<details><summary>prompt ({len(prompt_lines)} lines, last 15 shown)</summary>"
            f"<pre>{highlight_java(chr(10).join(prompt_lines[-15:]))}</pre></details>"
            f'<pre>{highlight_java(str(sample.get("completion") or ""))}</pre>{error}</div>')


def sample_audit(runs: list[Run], out: Path, wanted_steps: list[int] | None) -> list[str]:
    """Per run: entropy plot of the audited samples, then their cards, step by step (html only)."""
    parts = []
    for i, run in enumerate(runs):
        picked = {step: pick_samples(run.samples, step) for step in audit_steps(run.samples, wanted_steps)}
        parts.append(f"<h3>{html.escape(run.label)}</h3>")
        if not picked:
            parts.append(f'<div class="note">no audited samples in {html.escape(str(run.path))}: '
                         "sample audit skipped</div>")
        entropy = plot_entropy([s for step in picked.values() for s in step], out / f"entropy_run{i}.png",
                               f"per-token entropy of the audited samples: {run.label}")
        parts += [_img(entropy)] if entropy else []
        parts += [f"<h4>step {step}</h4><div class=cards>" + "".join(map(_sample_card, samples)) + "</div>"
                  for step, samples in picked.items()]
    return parts


def render_html(tables: dict, notes: list[str], images: list[Path], audit: list[str], footer: str) -> str:
    """One page, nothing fetched: inline CSS, images as data URIs, in-page anchors only.
    Order: runs + notes, summary, curves, pass@k, statuses, the (long) sample audit, then the rest."""
    note = lambda text: f'<div class="note">{html.escape(text)}</div>'  # noqa: E731
    sections = {"Runs": [], "Summary": [], "Curves": [_img(p) for p in images] or [note("no metrics to plot")]}
    for title, (headers, rows, if_empty) in tables.items():
        sections[title] = [_html_table(headers, rows) if rows else note(if_empty)]
        if title == "Verdict statuses":
            sections["Sample audit"] = audit
    sections["Runs"] += map(note, notes)
    slug = lambda title: re.sub(r"\W+", "-", title.lower())  # noqa: E731
    nav = " · ".join(f'<a href="#{slug(t)}">{t}</a>' for t in sections)
    body = [f"<h1>rlvr report</h1><p class=muted>{footer}</p><p>{nav}</p>"]
    body += [f'<h2 id="{slug(t)}">{html.escape(t)}</h2>' + "\n".join(parts) for t, parts in sections.items()]
    return (f"<!doctype html><html><head><meta charset=utf-8><title>rlvr report</title><style>{CSS}</style></head>"
            f"<body>{chr(10).join(body)}</body></html>")


def render_md(tables: dict, notes: list[str], images: list[Path], footer: str) -> str:
    out = [f"# rlvr report\n\n{footer}\n", *(f"> {n}\n" for n in notes)]
    for title, (headers, rows, if_empty) in tables.items():
        out += [f"## {title}\n", _md_table(headers, rows) if rows else f"{if_empty}\n"]
        if title == "Summary":
            out += ["## Curves\n", *(f"![{p.stem}]({p.name})\n" for p in images)]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(prog="python -m rlvr.report", description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", type=Path, metavar="RUN_DIR")
    parser.add_argument("--out", type=Path, help="output dir (default: FIRST_RUN_DIR/report/)")
    parser.add_argument("--format", choices=["html", "md"], default="html")
    parser.add_argument("--smooth", type=int, default=0,
                        help="moving-average window in steps (0: ~4%% of each run)")
    parser.add_argument("--steps", type=lambda s: [int(x) for x in s.split(",")],
                        help="audited steps to show, e.g. 0,50,99 (default: first, middle, last)")
    args = parser.parse_args(argv)
    started = time.time()

    # 1. load: every run dir, labels from overrides, one step axis across pipeline stages
    runs = [load_run(p) for p in args.runs]
    assign_labels(runs)
    dividers = lay_out(runs)
    out = args.out or args.runs[0] / "report"
    out.mkdir(parents=True, exist_ok=True)
    notes = [note for run in runs for note in run.notes]

    # 2. summarise: the tables the terminal, the html and the markdown share
    summary = [summarise(run) for run in runs]
    tables = build_tables(runs, summary)
    table = Table(title=f"rlvr report: {len(runs)} run(s)")
    for column in summary[0]:
        text = column in ("run", "stage")  # numbers never wrap; a long label folds
        table.add_column(column, justify="left" if text else "right", overflow="fold", no_wrap=not text,
                         min_width=14 if column == "run" else None)
    for row in summary:
        table.add_row(*row.values())
    Console(width=max(Console().width, 110)).print(table)  # piped output defaults to 80 columns: too narrow

    # 3. plot: curated panels, then every other logged namespace so no metric goes unseen
    images = [plot_curves(runs, REWARD_KEYS, out / "rewards.png", "Reward, compile and test-pass rate",
                          dividers, args.smooth),
              plot_curves(runs, HEALTH_KEYS, out / "health.png", "Policy health", dividers, args.smooth)]
    absent = [k for k in REWARD_KEYS[:3] + HEALTH_KEYS if not any(k in r.columns for r in runs)]
    if absent and any(r.rows for r in runs):
        notes.append(f"not logged by any run: {', '.join(absent)}")
    rest = sorted({k for r in runs for k in r.columns} - set(REWARD_KEYS + HEALTH_KEYS) - NOT_CURVES)
    namespace = lambda key: key.split("/")[0] if "/" in key else "train"  # noqa: E731
    for ns in sorted(set(map(namespace, rest))):
        keys = [k for k in rest if namespace(k) == ns]
        images.append(plot_curves(runs, keys, out / f"metrics_{ns}.png", f"{ns}/*", dividers, args.smooth))
    images = [p for p in images if p]

    # 4. write: html (self-contained) or markdown, same tables
    footer = f"{len(runs)} run(s), generated {time.strftime('%Y-%m-%d %H:%M')} by python -m rlvr.report"
    if args.format == "md":
        target = out / "report.md"
        target.write_text(render_md(tables, notes, images, footer))
    else:
        target = out / "index.html"
        target.write_text(render_html(tables, notes, images, sample_audit(runs, out, args.steps), footer))
    print(f"report: {target} ({time.time() - started:.1f}s)")
    return target


if __name__ == "__main__":
    main()
