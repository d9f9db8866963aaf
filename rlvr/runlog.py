"""The run directory (DESIGN.md "Run directory"): metrics.jsonl and samples.jsonl, append-only.

Only the main process writes. On resume the logs are cut back to the checkpoint's step, so the
steps the resumed run redoes are logged once, not twice.
"""
from __future__ import annotations

import json
import math
import time
from pathlib import Path


def _clean(value):
    """JSON-safe scalars: tensors/numpy -> Python, NaN/inf -> None (strict JSON has no NaN)."""
    if hasattr(value, "item") and getattr(value, "ndim", 0) == 0:
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def read_jsonl_skipping(path: Path) -> tuple[list[dict], int]:
    """(the JSON objects of a JSONL file, how many non-blank lines were skipped): a torn last line
    (killed mid-write), or any line that is not an object, is skipped, not fatal."""
    if not path.exists():
        return [], 0
    rows, skipped = [], 0
    for line in path.read_text(errors="replace").splitlines():  # a line that is not UTF-8 is not JSON either
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            row = None
        if isinstance(row, dict):
            rows.append(row)
        elif line.strip():
            skipped += 1
    return rows, skipped


def read_jsonl(path: Path) -> list[dict]:
    return read_jsonl_skipping(path)[0]


class RunDirExists(RuntimeError):
    pass


def write_provenance(run_dir: Path, config) -> None:
    """`.hydra/config.yaml` (the composed config) and `overrides.yaml` (the command line), written
    only once a run has passed its checks. Hydra's own writer is off (`hydra.output_subdir: null` in
    conf/): it wrote before main() ran, so a refused start rewrote a finished run's record."""
    from hydra.core.hydra_config import HydraConfig
    from omegaconf import OmegaConf

    out = run_dir / ".hydra"
    out.mkdir(parents=True, exist_ok=True)
    (out / "config.yaml").write_text(OmegaConf.to_yaml(OmegaConf.structured(config)))
    overrides = list(HydraConfig.get().overrides.task) if HydraConfig.initialized() else []
    (out / "overrides.yaml").write_text(OmegaConf.to_yaml(overrides))


# what a resume may change: how long the run goes on and where it runs, not what it trains
RESUME_MAY_CHANGE = ("resume", "out_dir", "grpo.steps", "sft.rounds", "threads", "device", "verifier.workers",
                     "verifier.threads_per_worker")


def flat_config(tree: dict, prefix: str = "") -> dict:
    """A config tree as dotted keys -> leaf values (an empty dict is a leaf); resume and the report compare these."""
    out = {}
    for key, value in tree.items():
        nested = isinstance(value, dict) and value
        out.update(flat_config(value, f"{prefix}{key}.") if nested else {f"{prefix}{key}": value})
    return out


def refuse_existing(run_dir: Path, resume: bool, config=None) -> None:
    """RunDirExists unless `run_dir` holds no logged run, or this is a resume with the config the run
    was started with (but RESUME_MAY_CHANGE); stages call it first, so the refusal comes before a model is loaded."""
    from omegaconf import OmegaConf

    if not read_jsonl(run_dir / "metrics.jsonl"):
        return
    if not resume:
        raise RunDirExists(f"{run_dir} already holds a run: pass resume=true to continue it, "
                           f"or run=NEW_NAME to start another")
    saved_file = run_dir / ".hydra" / "config.yaml"
    if config is None or not saved_file.is_file():
        return
    try:
        saved = flat_config(OmegaConf.to_container(OmegaConf.load(saved_file)))
    except Exception:  # a record that cannot be read cannot be compared: a new one is written
        return
    now = flat_config(OmegaConf.to_container(OmegaConf.structured(config)))
    changed = [f"{k}: {saved.get(k)!r} -> {now.get(k)!r}" for k in sorted(saved.keys() | now.keys())
               if saved.get(k) != now.get(k) and k not in RESUME_MAY_CHANGE]
    if changed:
        raise RunDirExists(f"{run_dir} was started with another config ({'; '.join(changed[:4])}"
                           f"{' ...' if len(changed) > 4 else ''}): resume with the settings it was started with "
                           f"(see {saved_file}), or run=NEW_NAME to start another")


def drop_torn_tail(path: Path) -> None:
    """Cut a last line a kill left half-written, so the next row starts on a line of its own."""
    if not path.is_file() or not path.stat().st_size:
        return
    with path.open("rb+") as f:
        f.seek(-1, 2)
        if f.read(1) == b"\n":  # the usual case: one byte read, however long the log
            return
        f.seek(0)
        f.truncate(f.read().rfind(b"\n") + 1)


class RunLog:
    def __init__(self, run_dir: str | Path, stage: str, resume: bool = False, is_main: bool = True,
                 config=None):
        self.run_dir = Path(run_dir)
        self.stage = stage
        self.is_main = is_main
        self.metrics_path = self.run_dir / "metrics.jsonl"
        self.samples_path = self.run_dir / "samples.jsonl"
        if is_main:
            refuse_existing(self.run_dir, resume)
            self.run_dir.mkdir(parents=True, exist_ok=True)
            drop_torn_tail(self.metrics_path)
            drop_torn_tail(self.samples_path)
            if config is not None:
                write_provenance(self.run_dir, config)

    def truncate_after(self, step: int) -> None:
        """Drop this stage's rows logged after `step` (the checkpoint a resume restarts from)."""
        if not self.is_main:
            return
        for path in (self.metrics_path, self.samples_path):
            rows = read_jsonl(path)
            kept = [r for r in rows if r.get("stage") != self.stage or r.get("step", -1) <= step]
            if len(kept) != len(rows):
                path.write_text("".join(json.dumps(r) + "\n" for r in kept))

    def _row(self, step: int, values: dict) -> dict:
        return {"stage": self.stage, "step": int(step), **{k: _clean(v) for k, v in values.items()}}

    def log(self, step: int, metrics: dict) -> dict:
        row = self._row(step, {"time": round(time.time(), 3), **metrics})
        if self.is_main:
            with self.metrics_path.open("a") as f:
                f.write(json.dumps(row) + "\n")
        return row

    def samples(self, step: int, rows: list[dict]) -> None:
        if not self.is_main or not rows:
            return
        with self.samples_path.open("a") as f:
            f.writelines(json.dumps(self._row(step, r)) + "\n" for r in rows)
