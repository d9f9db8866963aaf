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

Writes RUN_DIR/eval.json (DESIGN.md "Run directory", each M from `rlvr.rollout.eval_result`) after
every model, one metrics.jsonl row per model (`rollout.flat_eval` keys), and ends with the table
base -> sft -> model: pass@1 +- its standard error over tasks. `resume=true` skips the models
eval.json already holds and logs the rest once.
"""
from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path

import hydra
import torch
from omegaconf import OmegaConf
from rich.console import Console
from rich.table import Column, Table

from rlvr.benchmarks import check_canonical, shipped_with_rlvr
from rlvr.config import CONF_DIR, ConfigError, RunConfig, SamplingConfig, check_common, resolve_device, run_stage
from rlvr.models import load_model
from rlvr.rollout import audit_rows, eval_result, evaluate, flat_eval, roll_out, summarise, training_text
from rlvr.runlog import RunLog, refuse_existing
from rlvr.tasks import load_tasks
from rlvr.verifier import check_config as check_verifier, make_pool


def load_preset(name: str, base: SamplingConfig) -> SamplingConfig:
    """A conf/sampling preset applied over the dataclass defaults, keeping base's length/batch."""
    path = CONF_DIR / "sampling" / f"{name}.yaml"
    if not path.exists():
        known = sorted(p.stem for p in path.parent.glob("*.yaml"))
        raise ConfigError(f"eval.sweep_presets: unknown sampling preset {name!r} (known: {known})")
    preset = OmegaConf.to_object(OmegaConf.merge(OmegaConf.structured(SamplingConfig), OmegaConf.load(path)))
    return replace(preset, max_new_tokens=base.max_new_tokens, batch_size=base.batch_size)


def evaluate_model(model, tokenizer, task_sets: dict, cfg: RunConfig, pool, training) -> tuple[dict, list]:
    """Every task set -> ({split: {"greedy": M, "sampled": M}}, audit rows)."""
    results, rows = {}, []
    for name, tasks in task_sets.items():
        results[name], rollouts = evaluate(model, tokenizer, tasks, cfg.sampling, pool, cfg.eval.n_samples, cfg.eval.ks,
                                           f"eval {name}")
        rows += [{**r, "set": name} for r in audit_rows(rollouts, training)]
    return results, rows


def decoding_sweep(model, tokenizer, tasks, cfg: RunConfig, pool) -> dict:
    """Each sampling preset on the same prompts: eval_result's fields, repetition and time."""
    table = {}
    for name in cfg.eval.sweep_presets:
        preset = load_preset(name, cfg.sampling)
        greedy = preset.temperature <= 0
        t0 = time.time()
        rollouts = roll_out(model, tokenizer, tasks, preset, pool, 1 if greedy else cfg.eval.n_samples,
                            "greedy" if greedy else "sampled")
        summary = summarise(rollouts)
        m = eval_result(summary)
        table[name] = {**m, "nontrivial_compile_rate": m["compile_rate"] * (1 - m["trivial_frac"]),
                       "repeat_frac": summary.get("degeneration/repeat_frac", 0.0), "seconds": time.time() - t0}
    return table


def pass_table(report: dict) -> dict:
    """{"SPLIT DECODING": {label: "pass@1 +- se (n)"}} for every model, compared ones first."""
    by_label = {**{k: v["results"] for k, v in report["compare"].items()}, "model": report["results"]}
    table = {}
    for label, results in by_label.items():
        for split, by_decoding in results.items():
            for decoding, m in by_decoding.items():
                cell = f"{m.get('pass@1', 0.0):.3f} ± {m.get('pass@1_se', 0.0):.3f} (n={m['n_tasks']})"
                table.setdefault(f"{split} {decoding}", {})[label] = cell
    return table


def print_table(title: str, rows: dict) -> None:
    columns = list(dict.fromkeys(k for r in rows.values() for k in r))
    table = Table("", *(Column(c, justify="right") for c in columns), title=title)
    for name, r in rows.items():
        table.add_row(name, *(f"{r[c]:.3f}" if isinstance(r.get(c), float) else str(r.get(c, "")) for c in columns))
    Console(width=max(Console().width, 140)).print(table)  # piped output defaults to 80 columns


def done_models(report_path: Path, model_path: str, resume: bool) -> dict:
    """The eval.json a killed or finished run left (resume=true and the same model), else an empty one."""
    if resume and report_path.exists():
        try:
            report = json.loads(report_path.read_text())
        except (ValueError, OSError) as e:  # torn or edited: what it held is evaluated again
            print(f"eval: {report_path} is unreadable ({e}): evaluating every model again")
            report = {}
        if isinstance(report, dict) and report.get("model") == model_path and all(
                isinstance(report.get(key), dict) for key in ("results", "compare", "sweep")):
            return report
    return {"model": model_path, "results": {}, "compare": {}, "sweep": {}}


def run(cfg: RunConfig) -> None:
    # 1. config and inputs
    check_common(cfg)
    cfg.eval.check()
    for name in cfg.eval.sweep_presets if cfg.eval.decoding_sweep else []:
        load_preset(name, cfg.sampling)  # an unknown preset is refused now, not after the whole evaluation
    torch.set_num_threads(cfg.threads)
    torch.manual_seed(cfg.seed)
    device = resolve_device(cfg)
    task_sets = {split: load_tasks(cfg.task.path, split=split) for split in [cfg.eval.split, *cfg.eval.extra_splits]}
    for path in cfg.eval.benchmarks:
        task_sets[Path(path).stem] = load_tasks(path)[:cfg.eval.benchmark_limit or None]
    compare = {label: path for label, path in cfg.eval.compare.items() if Path(path) != Path(cfg.model.path)}
    missing = {label: path for label, path in compare.items() if not Path(path).exists()}
    for label, path in missing.items():
        print(f"eval: compare model {label!r} not found at {path}: skipped")
    models = {"model": cfg.model.path, **{k: v for k, v in compare.items() if k not in missing}}
    training = training_text(cfg.task.path)
    report_path = cfg.run_dir / "eval.json"
    report = done_models(report_path, cfg.model.path, cfg.resume)
    done = [step for step, label in enumerate(models)
            if (report["results"] if label == "model" else label in report["compare"])]
    check_verifier(cfg.verifier)
    refuse_existing(cfg.run_dir, cfg.resume, cfg)
    # the evaluated model is loaded before the run dir is touched, so a broken one leaves nothing behind
    loaded = {0: load_model(cfg.model.path, cfg.model.tokenizer, cfg.model.dtype, device)} if 0 not in done else {}
    log = RunLog(cfg.run_dir, "eval", resume=cfg.resume, config=cfg)
    log.truncate_after(max(done, default=-1))  # rows of a model evaluated when the run was killed

    # 2. derived sizes
    sizes = ", ".join(f"{name} {len(ts)}" for name, ts in task_sets.items())
    print(f"eval: {len(models) - len(done)} model(s) to go x prompts [{sizes}] x (1 greedy + "
          f"{cfg.eval.n_samples} sampled), device {device}")

    # 3. evaluate every model on the same prompts; eval.json after each, so a resume skips it
    with make_pool(cfg.verifier) as pool:
        sources = {**{split: cfg.task.path for split in task_sets}, **{Path(b).stem: b for b in cfg.eval.benchmarks}}
        for name, tasks in task_sets.items():  # a benchmark whose own solutions fail scores the verifier, not the model
            if not shipped_with_rlvr(sources[name]):
                print(f"eval: {check_canonical(pool, tasks, name)}")
        for step, (label, path) in enumerate(models.items()):
            sweep = label == "model" and cfg.eval.decoding_sweep and not report["sweep"]
            if step in done and not sweep:
                continue
            model, tokenizer = loaded.pop(step, None) or load_model(path, cfg.model.tokenizer, cfg.model.dtype, device)
            if step not in done:
                results, rows = evaluate_model(model, tokenizer, task_sets, cfg, pool, training)
                if label == "model":
                    report["results"] = results
                else:
                    report["compare"][label] = {"path": path, "results": results}
                log.samples(step, [{**r, "model": label} for r in rows])
                log.log(step, {"eval/model": label, **flat_eval(results, cfg.eval.split)})
                print_table(f"{label}: {path}", {f"{s}/{d}": m for s, r in results.items() for d, m in r.items()})
            if sweep:
                # 4. decoding presets on the train prompts of the main model
                sweep_tasks = load_tasks(cfg.task.path, split=cfg.eval.sweep_split)
                report["sweep"] = table = decoding_sweep(model, tokenizer, sweep_tasks, cfg, pool)
                print_table(f"decoding sweep ({cfg.eval.sweep_split} prompts)", table)
                best = max(table, key=lambda p: (table[p]["pass@1"], table[p]["nontrivial_compile_rate"]))
                print(f"eval: best preset by pass@1 then non-trivial compile rate: {best}")
            partial = report_path.with_suffix(".json.partial")  # a kill mid-write leaves the last whole eval.json
            partial.write_text(json.dumps(report, indent=2))
            partial.replace(report_path)

    # 5. the before/after table
    print_table("pass@1 ± standard error over tasks (n tasks)", pass_table(report))
    print(f"eval: wrote {report_path}")


@hydra.main(config_path="../conf", config_name="eval", version_base=None)
def main(dict_cfg) -> None:
    run_stage("eval", run, dict_cfg)


if __name__ == "__main__":
    main()
