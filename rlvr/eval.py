"""pass@k evaluation: held-out split and public Java benchmarks, greedy and sampled side by side.

    python -m rlvr.eval +exp=java_bst model.path=outputs/grpo/java_bst/final
    python -m rlvr.eval +exp=java_bst_tiny eval.decoding_sweep=true
    python -m rlvr.eval +exp=java_bst_tiny eval.extra_splits=[train]   # the train prompts too
    python -m rlvr.eval +exp=java_bst model.path=M eval.benchmarks=[../shared/benchmarks/humaneval-x-java/humaneval_java.jsonl]

pass@k uses the unbiased estimator over eval.n_samples samples per prompt. Greedy is reported
next to sampled because a model whose greedy decoding collapses makes the sampling controls
load-bearing. `eval.compare={base: PATH, sft: PATH}` evaluates more models on the same prompts
(the pipeline's before/after table). `eval.decoding_sweep=true` compares the sampling presets
(conf/sampling/) on the train prompts and prints which wins; that measurement chose the defaults.

Writes RUN_DIR/eval.json ({"model", "results": {split: {greedy, sampled}}, "compare": {label:
results}, "sweep": {preset: metrics}}) and one metrics.jsonl row per model.
"""
from __future__ import annotations

import json
import sys
import time
from dataclasses import replace
from pathlib import Path

import hydra
import torch
from omegaconf import OmegaConf

from rlvr.config import CONF_DIR, ConfigError, RunConfig, SamplingConfig, check_common, resolve_device, to_object
from rlvr.runlog import RunDirExists, RunLog
from rlvr.sampling import sample
from rlvr.scoring import evaluate, pass_at_k, sample_metrics, verify
from rlvr.tasks import TaskFileError, load_tasks


def load_preset(name: str, base: SamplingConfig) -> SamplingConfig:
    """A conf/sampling preset applied over the dataclass defaults, keeping base's length/batch."""
    path = CONF_DIR / "sampling" / f"{name}.yaml"
    if not path.exists():
        known = sorted(p.stem for p in path.parent.glob("*.yaml"))
        raise ConfigError(f"eval.sweep_presets: unknown sampling preset {name!r} (known: {known})")
    preset = OmegaConf.to_object(OmegaConf.merge(OmegaConf.structured(SamplingConfig), OmegaConf.load(path)))
    return replace(preset, max_new_tokens=base.max_new_tokens, batch_size=base.batch_size)


def split_results(metrics: dict, prefix: str) -> dict:
    """Flat `eval/greedy_pass@1`-style keys -> {"greedy": {...}, "sampled": {...}}."""
    out = {"greedy": {}, "sampled": {}}
    for key, value in metrics.items():
        name = key[len(prefix):]
        if name.startswith("greedy_"):
            out["greedy"][name[len("greedy_"):]] = value
        else:
            out["sampled"][name] = value
    return out


def evaluate_model(model, tokenizer, task_sets: dict, cfg: RunConfig, pool) -> tuple[dict, dict, list]:
    """Every task set -> (results for eval.json, flat metrics for metrics.jsonl, audit rows)."""
    results, flat, rows = {}, {}, []
    for name, tasks in task_sets.items():
        prefix = "eval/" if name == cfg.eval.split else f"eval/{name}/"
        metrics, audit = evaluate(model, tokenizer, tasks, cfg.sampling, pool, cfg.eval.n_samples,
                                  cfg.eval.ks, prefix=prefix)
        results[name] = split_results(metrics, prefix)
        flat.update(metrics)
        rows += [{**r, "set": name} for r in audit]
    return results, flat, rows


def decoding_sweep(model, tokenizer, tasks, cfg: RunConfig, pool) -> dict:
    """Each sampling preset on the same prompts: pass@1, compile rate, coherence, repetition, time."""
    table = {}
    for name in cfg.eval.sweep_presets:
        preset = load_preset(name, cfg.sampling)
        n = 1 if preset.temperature <= 0 else cfg.eval.n_samples
        t0 = time.time()
        samples = sample(model, tokenizer, tasks, preset, n=n)
        seconds = time.time() - t0
        verdicts, _ = verify(pool, tasks, samples)
        summary = sample_metrics([s for r in samples for s in r], [v for r in verdicts for v in r])
        correct = [sum(v.status == "pass" for v in r) for r in verdicts]
        table[name] = {"pass@1": sum(pass_at_k(n, c, 1) for c in correct) / len(tasks),
                       "compile_rate": summary.get("reward/compile_rate", 0.0),
                       "nontrivial_compile_rate": summary.get("reward/compile_rate", 0.0) * (1 - summary.get("reward/trivial_frac", 0.0)),
                       "coherence": summary.get("coherence/score", 0.0),
                       "repeat_frac": summary.get("degeneration/repeat_frac", 0.0),
                       "truncated_frac": summary.get("completions/truncated_frac", 0.0),
                       "seconds": seconds}
    return table


def print_table(title: str, rows: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    columns = sorted({k for r in rows.values() for k in r})
    table.add_column("")
    for c in columns:
        table.add_column(c, justify="right")
    for name, r in rows.items():
        table.add_row(name, *(f"{r[c]:.3f}" if isinstance(r.get(c), float) else str(r.get(c, "")) for c in columns))
    Console(width=max(Console().width, 140)).print(table)  # piped output defaults to 80 columns


def run(cfg: RunConfig) -> None:
    from rlvr.benchmarks import load_benchmark
    from rlvr.models import load_model
    from rlvr.verifier import make_pool

    # 1. config and inputs
    check_common(cfg)
    if cfg.eval.n_samples < 1 or any(k < 1 for k in cfg.eval.ks):
        raise ConfigError("eval.n_samples and every eval.ks entry must be >= 1")
    torch.set_num_threads(cfg.threads)
    torch.manual_seed(cfg.seed)
    device = resolve_device(cfg)
    task_sets = {split: load_tasks(cfg.task.path, split=split) for split in [cfg.eval.split, *cfg.eval.extra_splits]}
    for path in cfg.eval.benchmarks:
        tasks = load_benchmark(path)
        task_sets[Path(path).stem] = tasks[:cfg.eval.benchmark_limit or None]
    compare = {label: path for label, path in cfg.eval.compare.items() if Path(path) != Path(cfg.model.path)}
    missing = {label: path for label, path in compare.items() if not Path(path).exists()}
    for label, path in missing.items():
        print(f"eval: compare model {label!r} not found at {path}: skipped")
    models = {"model": cfg.model.path, **{k: v for k, v in compare.items() if k not in missing}}
    log = RunLog(cfg.run_dir, "eval", resume=cfg.resume, config=cfg)

    # 2. derived sizes
    sizes = ", ".join(f"{name} {len(ts)}" for name, ts in task_sets.items())
    print(f"eval: {len(models)} model(s) x prompts [{sizes}] x (1 greedy + {cfg.eval.n_samples} sampled), device {device}")

    # 3. evaluate every model on the same prompts
    report = {"model": cfg.model.path, "results": {}, "compare": {}, "sweep": {}}
    with make_pool(cfg.verifier) as pool:
        for step, (label, path) in enumerate(models.items()):
            model, tokenizer = load_model(path, cfg.model.tokenizer, cfg.model.dtype, device)
            results, flat, rows = evaluate_model(model, tokenizer, task_sets, cfg, pool)
            if label == "model":
                report["results"] = results
            else:
                report["compare"][label] = {"path": path, "results": results}
            log.log(step, {"eval/model": label, **flat})
            log.samples(step, [{**r, "model": label} for r in rows])
            print_table(f"{label}: {path}", {f"{s}/{d}": m for s, r in results.items() for d, m in r.items()})
            if label == "model" and cfg.eval.decoding_sweep:
                # 4. decoding presets on the train prompts of the main model
                sweep_tasks = load_tasks(cfg.task.path, split=cfg.eval.sweep_split)
                report["sweep"] = decoding_sweep(model, tokenizer, sweep_tasks, cfg, pool)
                print_table(f"decoding sweep ({cfg.eval.sweep_split} prompts)", report["sweep"])
                best = max(report["sweep"], key=lambda p: (report["sweep"][p]["pass@1"], report["sweep"][p]["nontrivial_compile_rate"]))
                print(f"eval: best preset by pass@1 then non-trivial compile rate: {best}")

    # 5. save
    (cfg.run_dir / "eval.json").write_text(json.dumps(report, indent=2))
    print(f"eval: wrote {cfg.run_dir / 'eval.json'}")


@hydra.main(config_path="../conf", config_name="eval", version_base=None)
def main(dict_cfg) -> None:
    from rlvr.models import ModelLoadError

    try:
        run(to_object(dict_cfg))
    except (ConfigError, ModelLoadError, TaskFileError, FileNotFoundError, RunDirExists) as e:
        sys.exit(f"rlvr.eval: error: {e}")


if __name__ == "__main__":
    main()
