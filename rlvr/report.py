"""Offline report over run directories: the pass@k table first, then curves, failures and samples.

    python -m rlvr.report outputs/eval/RUN                          # -> outputs/eval/RUN/report/index.html
    python -m rlvr.report outputs/sft/RUN outputs/grpo/RUN outputs/eval/RUN --out reports/pipeline
    python -m rlvr.report outputs/grpo/A outputs/grpo/B --smooth 20

The first screen answers: rlvr.eval's pass@k table base -> SFT -> GRPO (held-out split, train,
benchmarks), then the reward, compile, pass and trivial-body curves. Below: every other metric that
varies, the constant ones as one table, verdicts and failure reasons, the sample audit, the config
diff. Reads only what the stages logged (DESIGN.md "Run directory") and imports no stage: as
nanochat found when it deleted its woven-in report code, reporting is best an offline reader of
files. Torn or missing files become notes on the page. Writes PNGs and one self-contained
index.html (images inlined, no scripts, nothing fetched).
"""
from __future__ import annotations

import argparse
import base64
import html
import itertools
import json
import re
import sys
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

from rlvr.runlog import flat_config, read_jsonl_skipping  # noqa: E402

STAGES = ("pretrain", "sft", "grpo")  # the stage dir in eval.json's model path names its column
MODEL_RANK = {"base": 0, "sft": 1, "grpo": 2}  # pass@k columns: the pipeline's before -> after
LOGGED = ("metrics.jsonl", "samples.jsonl", "eval.json")  # a run dir holds at least one of them
FIRST_CURVES = ["reward/mean", "reward/compile_rate", "reward/pass_rate", "reward/trivial_frac"]
NOT_CURVES = {"step", "time", "reward/std"}  # reward/std is drawn as reward/mean's band
AUDIT_PER_STEP = 4  # samples shown per audited step: samples.jsonl may hold thousands
MAX_ROWS = 30  # cap for the failure and config-diff tables


class ReportError(Exception):
    """Bad command line: one line on stderr, exit 2, nothing written."""


@dataclass
class Run:
    path: Path
    label: str  # legend / column name: STAGE/RUN, or the whole path when two runs share that
    stage: str = "?"  # most logged stage
    rows: list[dict] = field(default_factory=list)
    columns: dict[str, np.ndarray] = field(default_factory=dict)  # key -> (len(rows),) floats, NaN where absent
    samples: list[dict] = field(default_factory=list)
    evals: dict[str, dict] = field(default_factory=dict)  # eval.json path relative to the run -> content
    config: dict[str, str] = field(default_factory=dict)  # flattened .hydra/config.yaml
    notes: list[str] = field(default_factory=list)  # what is missing or went wrong, said on the page


# ---------------------------------------------------------------- 1. load

def check_run_dir(path: Path) -> None:
    if not path.exists():
        raise ReportError(f"{path}: no such run directory")
    if not path.is_dir():
        raise ReportError(f"{path}: a file, not a run directory (give outputs/STAGE/RUN)")
    if not any((path / name).exists() for name in LOGGED):
        inside = sorted({str(p.parent) for name in LOGGED for p in path.glob(f"*/{name}")})[:4]
        hint = f"; run dirs inside it: {' '.join(inside)}" if inside else ""
        raise ReportError(f"{path}: no {', '.join(LOGGED)}: not a run directory (give outputs/STAGE/RUN){hint}")


def _read_logged(path: Path, run: Run, skipped: str) -> list[dict]:
    if not path.exists():
        run.notes.append(f"no {path.name} in {run.label}: {skipped}")
        return []
    rows, unreadable = read_jsonl_skipping(path)
    if unreadable:  # the stages skip them silently; the reader of the report should know
        run.notes.append(f"{unreadable} unreadable line(s) in {path.name} of {run.label} "
                         "(torn last line of a killed run?): skipped")
    return rows


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _num(value) -> float:
    return float(value) if _is_number(value) else np.nan


def _parse(path: Path, parse, run: Run) -> dict | None:
    """parse(text) if it gives a dict; else a note on the page and None."""
    try:
        content = parse(path.read_text())
    except (OSError, ValueError, yaml.YAMLError) as err:  # json's decode error is a ValueError
        content = f"{type(err).__name__}: {err}"
    if isinstance(content, dict):
        return content
    run.notes.append(f"unreadable {path} ({str(content)[:80]}): ignored")


def load_run(path: Path) -> Run:
    run = Run(path=path, label=f"{path.parent.name}/{path.name}")
    run.rows = _read_logged(path / "metrics.jsonl", run, "no curves")
    keys = sorted({k for row in run.rows for k, v in row.items() if _is_number(v)})
    run.columns = {k: np.array([_num(row.get(k)) for row in run.rows], dtype=float) for k in keys}  # NaN: absent
    run.samples = _read_logged(path / "samples.jsonl", run, "no sample audit")
    for eval_path in [path / "eval.json", *sorted(path.glob("*/eval.json"))]:
        if eval_path.exists() and (content := _parse(eval_path, json.loads, run)) is not None:
            run.evals[str(eval_path.relative_to(path))] = content
    if (config_path := path / ".hydra/config.yaml").exists():
        tree = flat_config(_parse(config_path, yaml.safe_load, run) or {})
        run.config = {k: json.dumps(v) if isinstance(v, (list, dict)) else str(v) for k, v in tree.items()}
    for row in run.rows:  # what grpo's monitor said while the run went on
        if row.get("gate/reason"):
            run.notes.append(f"{run.label} halted at step {row.get('step')}: {row['gate/reason']}")
    fired = sorted({k for row in run.rows for k, v in row.items() if k.startswith("warn/") and v})
    if fired:
        run.notes.append(f"{run.label}: monitor warnings fired: {', '.join(fired)}")
    stages = Counter(r.get("stage") for r in run.rows if r.get("stage"))
    run.stage = stages.most_common(1)[0][0] if stages else run.config.get("stage", path.parent.name)
    return run


# ---------------------------------------------------------------- 2. summarise

def smooth(y: np.ndarray, window: int) -> np.ndarray:
    """Trailing moving average over `window` points (cumsum: vectorised, so 10k steps cost nothing)."""
    if window <= 1 or len(y) < 2:
        return y
    csum = np.concatenate([[0.0], np.cumsum(y)])
    hi = np.arange(1, len(y) + 1)
    lo = np.maximum(0, hi - window)
    return (csum[hi] - csum[lo]) / (hi - lo)


def _fmt(value) -> str:
    return "—" if not isinstance(value, (int, float)) or value != value else f"{value:.3f}"


def _natural(text: str):
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", text)]  # pass@5 before pass@10


def _well_formed(results) -> bool:
    """{split: {decoding: {metric: value}}}, as rlvr.eval writes it; a hand-edited eval.json may not be."""
    return isinstance(results, dict) and all(
        isinstance(by, dict) and all(isinstance(m, dict) for m in by.values()) for by in results.values())


def evaluated_models(runs: list[Run]) -> list[tuple[str, dict]]:
    """(column label, {split: {decoding: metrics}}) per model of every eval.json, base -> SFT -> GRPO:
    `compare` holds labelled models (`base`, `sft`), `results` the evaluated one, named by its stage dir."""
    models, several = [], sum(len(r.evals) for r in runs) > 1
    for run in runs:
        for rel, ev in run.evals.items():
            found = [(label, other.get("results")) for label, other in (ev.get("compare") or {}).items()
                     if isinstance(other, dict)]
            stage = next((p for p in reversed(Path(str(ev.get("model") or "")).parts) if p in STAGES), "model")
            sweep = {f"sweep: {p}": {"": m} for p, m in (ev.get("sweep") or {}).items()}  # presets, this model
            found.append((stage, {**ev["results"], **sweep} if isinstance(ev.get("results"), dict) else None))
            where = f"{run.label}/{rel}: " if several else ""
            models += [(where + label, results) for label, results in found if _well_formed(results)]
    return sorted(models, key=lambda m: MODEL_RANK.get(m[0].split(": ")[-1], 9))  # stable: RUN_DIR order within a rank


def split_order(runs: list[Run], models: list[tuple[str, dict]]) -> tuple[str, list[str]]:
    """(held-out split, every split): the held-out one first, then train, then the benchmarks."""
    held_out = next((r.config["eval.split"] for r in runs if "eval.split" in r.config), "eval")
    splits = list(dict.fromkeys(s for _, results in models for s in results))
    return held_out, sorted(splits, key=lambda s: (s != held_out, s != "train"))


def _metric(results: dict, split: str, decoding: str, name: str) -> float:
    return _num(results.get(split, {}).get(decoding, {}).get(name))  # evaluated_models checked the nesting


def headline_table(runs: list[Run]) -> tuple[list[str], list[list[str]]]:
    """The first table: one row per split and decoding, per model pass@1 ± se, top pass@k, compile, trivial."""
    models = evaluated_models(runs)
    held_out, splits = split_order(runs, models)
    top_k = sorted({k for _, res in models for by_dec in res.values() for m in by_dec.values() for k in m
                    if re.fullmatch(r"pass@\d+", k) and k != "pass@1"}, key=_natural)[-1:]  # the rest: eval table
    rows = []
    for split in splits:
        for decoding in ("greedy", "sampled"):
            if all(np.isnan(_metric(res, split, decoding, "pass@1")) for _, res in models):
                continue
            n = {int(v) for _, res in models if np.isfinite(v := _metric(res, split, decoding, "n_tasks"))}
            row = [f"{split}{' (held-out)' if split == held_out else ''}", "/".join(map(str, sorted(n))) or "—",
                   decoding]
            for _, res in models:
                p1, se = _metric(res, split, decoding, "pass@1"), _metric(res, split, decoding, "pass@1_se")
                row.append(_fmt(p1) + (f" ± {se:.3f}" if np.isfinite(se) else ""))
                row += [_fmt(_metric(res, split, decoding, key)) for key in [*top_k, "compile_rate", "trivial_frac"]]
            rows.append(row)
    return ["split", "tasks", "decoding", *(f"{label}: {metric}" for label, _ in models
                                            for metric in ["pass@1 ± se", *top_k, "compile", "trivial"])], rows


def eval_table(runs: list[Run]) -> tuple[list[str], list[list[str]]]:
    """Every metric of every eval.json (other ks, coherence, truncated_frac, rlvr.eval's decoding sweep)."""
    models = evaluated_models(runs)
    cells = [{(s, d, k): v for s, by_dec in res.items() for d, m in by_dec.items() for k, v in m.items()}
             for _, res in models]
    splits = split_order(runs, models)[1]
    keys = sorted({key for c in cells for key, v in c.items() if isinstance(v, (int, float))},
                  key=lambda k: (splits.index(k[0]), k[1], _natural(k[2])))
    return ["split", "decoding", "metric", *(label for label, _ in models)], \
        [[*key, *(_fmt(c.get(key)) for c in cells)] for key in keys]


def _series(run: Run, key: str):
    if run.stage == "eval":  # its rows are one per evaluated model, not steps: the tables show them
        return None
    y, x = run.columns.get(key), run.columns.get("step")
    if y is None or x is None:
        return None
    ok = np.isfinite(x) & np.isfinite(y)
    return (x[ok], y[ok]) if ok.any() else None


def split_keys(runs: list[Run]) -> tuple[list[str], list[str]]:
    """(keys that vary: drawn, keys that never change: listed in one table)."""
    varying, flat = [], []
    for key in sorted({k for r in runs for k in r.columns} - NOT_CURVES):
        values = np.concatenate([s[1] for r in runs if (s := _series(r, key)) is not None] or [np.array([])])
        if len(values):
            spread = values.max() - values.min()
            (varying if spread > 1e-9 * max(abs(values).max(), 1e-300) else flat).append(key)
    return varying, flat


def normalise_error(status: str, error: str) -> str:
    """A key grouping errors that differ only in line numbers, names and literals."""
    text = str(error or "")
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


def verdict_rows(runs: list[Run]) -> list[list[str]]:
    """(status, normalised error, count per run, first example) over every sample, most frequent first."""
    counts, examples = {}, {}
    for i, run in enumerate(runs):
        for sample in run.samples:
            status = sample.get("status") or "?"
            key = (status, "—" if status in ("pass", "compiled") else normalise_error(status, sample.get("error")))
            counts.setdefault(key, [0] * len(runs))[i] += 1
            examples.setdefault(key, sample)
    order = sorted(counts, key=lambda k: -sum(counts[k]))[:MAX_ROWS]
    return [[*key, *map(str, counts[key]), f"{examples[key].get('task_id')}:\n"
             + "\n".join(str(examples[key].get("error") or "").splitlines()[:3])] for key in order]


def config_diff(runs: list[Run]) -> list[list[str]]:
    with_config = [r for r in runs if r.config]
    keys = sorted(set().union(*(r.config for r in with_config))) if len(with_config) > 1 else []
    diff = [[k, *(r.config.get(k, "—") for r in with_config)] for k in keys]
    return [row for row in diff if len(set(row[1:])) > 1][:MAX_ROWS]


def pick_samples(samples: list[dict], step: int, n: int = AUDIT_PER_STEP) -> list[dict]:
    """Up to n samples of one step, one of each status first so passes and failures both show."""
    at_step = [s for s in samples if s.get("step") == step]
    firsts = {s.get("status"): i for i, s in reversed(list(enumerate(at_step)))}.values()
    return [at_step[i] for i in sorted(range(len(at_step)), key=lambda i: i not in firsts)[:n]]  # stable sort


# ---------------------------------------------------------------- 3. plot

def draw_panel(ax, runs: list[Run], key: str, window: int = 0) -> None:
    """One metric, runs overlaid: raw (faint) + smoothed; reward/mean with its ± std band."""
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, run in enumerate(runs):
        if (series := _series(run, key)) is None:
            continue
        (x, y), color = series, colors[i % len(colors)]
        n = window or (max(3, len(y) // 25) if len(y) >= 15 else 1)  # auto ~4%; 3 SFT rounds stay raw
        if n > 1:
            ax.plot(x, y, color=color, alpha=0.3, lw=0.7)
        ax.plot(x, smooth(y, n), color=color, lw=1.6, label=run.label, marker="o" if len(y) <= 20 else None, ms=3)
        std = _series(run, "reward/std") if key == "reward/mean" else None
        if std is not None and len(std[1]) == len(y) > 1:
            ax.fill_between(x, smooth(y - std[1], n), smooth(y + std[1], n), color=color, alpha=0.12, lw=0)
    ax.ticklabel_format(axis="y", scilimits=(-3, 4), useMathText=True)  # 2e-5 reads "2×10⁻⁵", never "0.00"
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # steps and rounds, never 0.25
    ax.set_title(key, fontsize=10)
    ax.tick_params(labelsize=8)
    ax.grid(alpha=0.3)


def plot_curves(runs: list[Run], keys: list[str], path: Path, window: int = 0) -> Path | None:
    """Four panels a row, 1280 px wide at 80 dpi; one legend below. None if no key."""
    if not keys:
        return None
    ncols, nrows = 4, (len(keys) + 3) // 4
    legend_rows = (len(runs) + 3) // 4
    height = 2.9 * nrows + 0.25 + 0.2 * legend_rows
    fig, axes = plt.subplots(nrows, ncols, figsize=(16, height), squeeze=False)
    for ax, key in zip(axes.flat, keys):
        draw_panel(ax, runs, key, window)
    for ax in axes.flat[len(keys):]:
        ax.axis("off")
    handles = {label: h for ax in axes.flat for h, label in zip(*ax.get_legend_handles_labels())}
    fig.legend(handles.values(), handles.keys(), loc="lower center", ncol=4, fontsize=8, frameon=False)
    # fixed margins in inches: tight_layout measures every tick label and took half the report's time
    fig.subplots_adjust(left=0.04, right=0.99, top=1 - 0.3 / height, bottom=(0.35 + 0.2 * legend_rows) / height,
                        hspace=0.4, wspace=0.22)
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return path


# ---------------------------------------------------------------- 4. write

CSS = """body{font:14px/1.4 system-ui,sans-serif;margin:0 auto;max-width:1280px;padding:.3em 10px;color:#222}
h1{font-size:20px;margin:.2em 0} h2{font-size:17px;border-bottom:2px solid #ddd;margin:.9em 0 .3em} img{max-width:100%}
table{border-collapse:collapse;margin:.3em 0;font-size:13px} th{background:#f3f3f3} th.g{text-align:center}
th,td{border:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top} .muted{color:#777;font-size:12px}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap} summary{cursor:pointer;color:#555}
.note{background:#fff8e1;border-left:4px solid #f0b400;padding:.2em .8em;margin:.2em 0}
pre{background:#f7f7f7;padding:.5em .7em;font-size:12px;margin:.3em 0;white-space:pre-wrap} pre.err{color:#900}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:.6em}
.card{border:1px solid #ddd;border-radius:6px;padding:.4em .8em;min-width:0}
.st{display:inline-block;padding:0 .5em;border-radius:4px;color:#fff;background:#777;font-size:12px}
.st-pass{background:#2e7d32} .st-compiled{background:#1565c0} .st-compile_error{background:#c62828}
.st-test_failure{background:#ef6c00} .st-runtime_error{background:#ad1457} .st-memorised{background:#6a1b9a}"""


def _html_table(headers: list[str], rows: list[list[str]]) -> str:
    """Cells escaped here; numbers right-aligned, multi-line cells (error examples) as <pre>.
    Headers `MODEL: metric` get one spanning MODEL header above their metrics."""
    def cell(value: str) -> str:
        if "\n" in value:
            return f"<td><pre class=err>{html.escape(value)}</pre></td>"
        numeric = re.fullmatch(r"[-+\d.e—± ]+", value) is not None
        return f"<td{' class=n' if numeric else ''}>{html.escape(value)}</td>"
    split = [h.rpartition(": ") for h in headers]
    groups = "".join(f"<th class=g colspan={len(list(span))}>{html.escape(group)}</th>"
                     for group, span in itertools.groupby(g for g, _, _ in split))
    head = "".join(f"<th>{html.escape(name)}</th>" for _, _, name in split)
    body = "".join("<tr>" + "".join(map(cell, row)) + "</tr>" for row in rows)
    return f"<table>{f'<tr>{groups}</tr>' if any(g for g, _, _ in split) else ''}<tr>{head}</tr>{body}</table>"


def _img(path: Path) -> str:
    data = base64.b64encode(path.read_bytes()).decode()  # inlined: the page opens from disk, alone
    return f'<img alt="{path.stem}" src="data:image/png;base64,{data}">'


def _sample_card(sample: dict) -> str:
    """Status, reward, seed 002's audit (loss, ppl, tier, memorised), the prompt's tail, the completion."""
    prompt_lines = str(sample.get("prompt") or "").splitlines()
    status = html.escape(str(sample.get("status")))
    error = f'<pre class="err">{html.escape(str(sample["error"])[:1500])}</pre>' if sample.get("error") else ""
    meta = "  ".join(f"{k} {_fmt(v) if isinstance(v, float) else v}" for k in ("reward", "decoding", "set", "model",
                     "coherence", "entropy_spike", "loss", "ppl", "tier") if (v := sample.get(k)) is not None)
    memorised = ' <span class="st st-memorised">memorised</span>' if sample.get("memorised") else ""
    return (f'<div class="card"><b>{html.escape(str(sample.get("task_id")))}</b> '
            f'<span class="st st-{status}">{status}</span>{memorised} <span class="muted">{html.escape(meta)}</span>'
            f"<details><summary>prompt ({len(prompt_lines)} lines, last 15 shown)</summary>"
            f"<pre>{html.escape(chr(10).join(prompt_lines[-15:]))}</pre></details>"
            f'<pre>{html.escape(str(sample.get("completion") or ""))}</pre>{error}</div>')


def sample_audit(runs: list[Run]) -> list[str]:
    """Per run, the samples of its first, middle and last audited step."""
    parts = []
    for run in (r for r in runs if r.samples):
        parts.append(f"<h3>{html.escape(run.label)}</h3>")
        steps = sorted({s["step"] for s in run.samples if isinstance(s.get("step"), int)})
        for step in sorted({steps[0], steps[len(steps) // 2], steps[-1]}) if steps else []:
            cards = "".join(map(_sample_card, pick_samples(run.samples, step)))
            parts.append(f"<h4>step {step}</h4><div class=cards>{cards}</div>")
    return parts


def build_tables(runs: list[Run], flat: list[str]) -> dict[str, tuple[list[str], list[list[str]], str]]:
    """Title -> (headers, rows, what the page says when there are no rows), in page order after the curves."""
    labels, stepped = [r.label for r in runs], [r for r in runs if r.stage != "eval" and r.rows]
    value = lambda r, k: f"{s[1][-1]:.4g}" if (s := _series(r, k)) is not None else "—"  # noqa: E731
    return {
        "Constant metrics": (["metric (the same at every logged step)", *(r.label for r in stepped)],
                             [[k, *(value(r, k) for r in stepped)] for k in flat], "no constant metric"),
        "Every eval metric": (*eval_table(runs), "no eval.json"),
        "Verdicts and failure reasons": (["status", "error", *labels, "example"], verdict_rows(runs), "no samples"),
        "Config diff": (["key", *(r.label for r in runs if r.config)], config_diff(runs),
                        "fewer than two runs with .hydra/config.yaml, or no key differs"),
    }


def render_html(runs: list[Run], headline: tuple, first: Path | None, images: list[Path], flat: list[str],
                footer: str) -> str:
    """One page, nothing fetched. The first screen: the pass@k table, then reward/compile/pass/trivial."""
    note = lambda text: f'<div class="note">{html.escape(text)}</div>'  # noqa: E731
    table = lambda t: _html_table(t[0], t[1]) if t[1] else note(t[2])  # noqa: E731
    body = [f"<h1>rlvr report <span class=muted>{html.escape(footer)}</span></h1>",
            "<h2 id=pass-k>pass@k</h2>", table((*headline, "no eval.json: run python -m rlvr.eval for pass@k")),
            "<h2 id=curves>Reward, compile, pass, trivial bodies</h2>",
            _img(first) if first else note("none of these was logged, or none varies"),
            *(note(text) for run in runs for text in run.notes),
            "<h2 id=more-curves>Every other metric that varies</h2>", *map(_img, images)]
    for title, content in build_tables(runs, flat).items():
        body += [f'<h2 id="{title.lower().replace(" ", "-")}">{title}</h2>', table(content)]
        if title == "Verdicts and failure reasons":
            body += ["<h2 id=sample-audit>Sample audit</h2>", *sample_audit(runs)]
    return (f"<!doctype html><html><head><meta charset=utf-8><title>rlvr report</title><style>{CSS}</style></head>"
            f"<body>{chr(10).join(body)}</body></html>")


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(prog="python -m rlvr.report", description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", type=Path, metavar="RUN_DIR")
    parser.add_argument("--out", type=Path, help="output dir (default: FIRST_RUN_DIR/report/)")
    parser.add_argument("--smooth", type=int, default=0, help="moving-average window in steps (0: ~4%% of each run)")
    args = parser.parse_args(argv)
    started = time.time()

    # 1. check every input before anything is written, then load
    try:
        for path in args.runs:
            check_run_dir(path)
        if args.out is not None and args.out.exists() and not args.out.is_dir():
            raise ReportError(f"--out {args.out}: a file, not a directory")
        if args.smooth < 0:
            raise ReportError(f"--smooth {args.smooth}: must be >= 0 (0 = automatic)")
    except ReportError as err:
        print(f"rlvr.report: error: {err}", file=sys.stderr)
        sys.exit(2)
    runs = [load_run(p) for p in args.runs]
    for run in runs:  # two outputs/ trees may hold the same STAGE/RUN
        run.label = str(run.path) if sum(r.label == run.label for r in runs) > 1 else run.label
    out = args.out or args.runs[0] / "report"
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        sys.exit(f"rlvr.report: error: cannot write the report to {out}: {err.strerror}")

    # 2. summarise: the pass@k table first, then which metrics vary
    headline = headline_table(runs)
    varying, flat = split_keys(runs)
    models = [h.rpartition(": ")[0] for h in headline[0] if h.endswith(": pass@1 ± se")]
    for row in headline[1]:  # the answer, on the terminal too
        cells = row[3::(len(row) - 3) // len(models)]
        print(f"pass@1 {row[0]} {row[2]} ({row[1]} tasks): " + ", ".join(f"{m} {c}" for m, c in zip(models, cells)))

    # 3. plot: reward/compile/pass/trivial first, every other varying metric by namespace
    first = plot_curves(runs, [k for k in FIRST_CURVES if k in varying], out / "rewards.png", args.smooth)
    namespace = lambda key: key.split("/")[0] if "/" in key else "train"  # noqa: E731
    rest = [k for k in varying if k not in FIRST_CURVES]
    images = [plot_curves(runs, [k for k in rest if namespace(k) == ns], out / f"metrics_{ns}.png", args.smooth)
              for ns in sorted(set(map(namespace, rest)))]

    # 4. write: one self-contained page
    footer = f"{len(runs)} run(s), {time.strftime('%Y-%m-%d %H:%M')}, python -m rlvr.report"
    target = out / "index.html"
    target.write_text(render_html(runs, headline, first, images, flat, footer))
    print(f"report: {target} ({time.time() - started:.1f}s)")
    return target


if __name__ == "__main__":
    main()
