"""Issue 13's table: every bad input and config value, run as a user would, one row per case.

    python tests/bad_inputs.py MODEL_DIR [--out table.md]

MODEL_DIR is any tiny model dir of this repo's (e.g. outputs/pretrain/java_gen_tiny/final after README
command 1). Each case runs the real CLI in a scratch dir holding a copy of an existing finished-looking
run, with a 60 s limit, and records: exit code, the last output line, whether a Traceback appeared,
the time, and whether any file of the existing run changed (or any new file or dir appeared).
Not a pytest module: it takes minutes and needs a pretrained model; the unit tests cover each check.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TASKS = ROOT / "data/java_gen/tasks.jsonl"


def tree_digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): (hashlib.sha1(p.read_bytes()).hexdigest() if p.is_file() else "dir")
            for p in sorted(root.rglob("*"))}


def build_fixtures(model: Path, scratch: Path) -> dict[str, Path]:
    """Broken copies of a good model dir and task file, and an existing run to protect."""
    f = {"model": scratch / "model"}
    shutil.copytree(model, f["model"])
    for name, edit in [("half_weights", lambda d: (d / "model.safetensors").write_bytes(
                            (d / "model.safetensors").read_bytes()[: (d / "model.safetensors").stat().st_size // 2])),
                       ("bad_config", lambda d: (d / "config.json").write_text("{not json")),
                       ("no_weights", lambda d: (d / "model.safetensors").unlink()),
                       ("n_embd_edited", lambda d: (d / "config.json").write_text(json.dumps(
                           {**json.loads((d / "config.json").read_text()), "n_embd": 64})))]:
        f[name] = scratch / name
        shutil.copytree(model, f[name])
        edit(f[name])
    # a 400-token tokenizer beside the model's weights
    from tokenizers import ByteLevelBPETokenizer
    from transformers import PreTrainedTokenizerFast
    small = ByteLevelBPETokenizer()
    small.train_from_iterator([TASKS.read_text()[:200_000]], vocab_size=400, show_progress=False)
    f["small_tok"] = scratch / "small_tok"
    shutil.copytree(model, f["small_tok"])
    for p in f["small_tok"].glob("*.json"):
        if p.name.startswith(("tokenizer", "special_tokens", "vocab")):
            p.unlink()
    PreTrainedTokenizerFast(tokenizer_object=small._tokenizer, eos_token="<|endoftext|>").save_pretrained(f["small_tok"])
    good_lines = TASKS.read_text().splitlines()
    files = {"tasks_array.jsonl": "[1, 2]\n", "tasks_string.jsonl": '"a task"\n', "tasks_empty.jsonl": "",
             "tasks_no_train.jsonl": "\n".join(l for l in good_lines if '"split": "eval"' in l) + "\n",
             "garbage.jsonl": 'not json\n{"task_id": "nope", "completion": "x"}\n[1]\n', "a_file": "",
             "tasks_cobol.jsonl": good_lines[0].replace('"language": "java"', '"language": "cobol"') + "\n"}
    for name, text in files.items():
        f[name] = scratch / name
        f[name].write_text(text)
    f["tasks_latin1.jsonl"] = scratch / "tasks_latin1.jsonl"
    f["tasks_latin1.jsonl"].write_bytes(good_lines[0].encode() + b"\n" + '{"id": "caf\xe9"}\n'.encode("latin-1"))
    f["completions_latin1.jsonl"] = scratch / "completions_latin1.jsonl"
    first = json.loads(good_lines[0])
    f["completions_latin1.jsonl"].write_bytes(json.dumps({"task_id": first["id"], "completion": "return 0; }"}).encode()
                                              + b"\n" + b'{"task_id": "caf\xe9"}\n')
    f["completions"] = scratch / "completions.jsonl"
    f["completions"].write_text(json.dumps({"task_id": first["id"], "completion": "return 0; }"}) + "\n")
    # an existing run that a refused start must leave alone
    run = scratch / "out/sft/existing"
    run.mkdir(parents=True)
    (run / "metrics.jsonl").write_text('{"step": 0, "sft/loss": 1.0}\n')
    (run / "config.yaml").write_text("sft:\n  lr: 0.0002\n")
    return f


def cases(f: dict[str, Path], s: Path) -> list[tuple[str, list[str]]]:
    py, m = sys.executable, str(f["model"])
    stage = lambda name, *o: [py, "-m", f"rlvr.{name}", "+exp=java_gen_tiny", f"out_dir={s}/out", f"model.path={m}",
                              "run=new", "sft.rounds=1", "sft.prompts_per_round=4", "sft.k=1", *o]
    verify = lambda *a: [py, "-m", "rlvr.verify", "--tasks", str(TASKS), "--completions", str(f["completions"]), *a]
    sft = lambda *o: stage("sft", *o)
    return [
        ("verify --workers -1", verify("--workers", "-1")),
        ("sft verifier.threads_per_worker=0", sft("verifier.threads_per_worker=0")),
        ("sft verifier.sandbox=bwarp", sft("verifier.sandbox=bwarp")),
        ("sft verifier.run_timeout_s=-1", sft("verifier.run_timeout_s=-1")),
        ("verify --sandbox bwarp", verify("--sandbox", "bwarp")),
        ("sft sft.epochs=-1", sft("sft.epochs=-1")),
        ("sft: 400-token tokenizer on the model", stage("sft", f"model.path={f['small_tok']}")),
        ("sft: task file with no train tasks", sft(f"task.path={f['tasks_no_train.jsonl']}")),
        ("report on a missing dir", [py, "-m", "rlvr.report", str(s / "no/such/run")]),
        ("sft on an existing run name, lr=0.5", sft("run=existing", "sft.lr=0.5")),
        ("sft: task line is an array", sft(f"task.path={f['tasks_array.jsonl']}")),
        ("sft: task line is a string", sft(f"task.path={f['tasks_string.jsonl']}")),
        ("sft: task file not UTF-8", sft(f"task.path={f['tasks_latin1.jsonl']}")),
        ("sft: empty task file", sft(f"task.path={f['tasks_empty.jsonl']}")),
        ("sft: half a model.safetensors", stage("sft", f"model.path={f['half_weights']}")),
        ("sft: broken config.json", stage("sft", f"model.path={f['bad_config']}")),
        ("sft: no weights", stage("sft", f"model.path={f['no_weights']}")),
        ("sft: n_embd edited", stage("sft", f"model.path={f['n_embd_edited']}")),
        ("sft sampling.batch_size=0", sft("sampling.batch_size=0")),
        ("sft sft.lr=-1", sft("sft.lr=-1")),
        ("sft sft.batch_size=0", sft("sft.batch_size=0")),
        ("sft verifier.reward=tierd", sft("verifier.reward=tierd")),
        ("grpo verifier.reward=tierd", stage("grpo", "verifier.reward=tierd")),
        ("eval: half a model.safetensors", stage("eval", f"model.path={f['half_weights']}")),
        ("verify: garbage completion lines", [py, "-m", "rlvr.verify", "--tasks", str(TASKS), "--completions",
                                              str(f["garbage.jsonl"])]),
        ("verify: completions not UTF-8", [py, "-m", "rlvr.verify", "--tasks", str(TASKS), "--completions",
                                           str(f["completions_latin1.jsonl"])]),
        ("verify: missing --tasks file", [py, "-m", "rlvr.verify", "--tasks", str(s / "nope.jsonl"), "--completions",
                                          str(f["completions"])]),
        ("verify: malformed --tasks file", [py, "-m", "rlvr.verify", "--tasks", str(f["tasks_array.jsonl"]),
                                            "--completions", str(f["completions"])]),
        ("verify --reward tierd", verify("--reward", "tierd")),
        ("report given a file", [py, "-m", "rlvr.report", str(f["completions"])]),
        ("convert: missing checkpoint", [py, "-m", "rlvr.convert", str(s / "nope.pt"), str(s / "conv")]),
        ("bench verifier --n 0", [py, "-m", "rlvr.bench", "verifier", "--n", "0"]),
        # the bad-input pass of stop 23: each was a traceback, a silent run or a damaged file
        ("sft threads=0", sft("threads=0")),
        ("sft device=gpu", sft("device=gpu")),
        ("sft +sft.kk=3 (a key no stage reads)", sft("+sft.kk=3")),
        ("sft out_dir is a file", sft(f"out_dir={f['a_file']}")),
        ("grpo grpo.lr_scheduler=cosine_with_min_lr", stage("grpo", "grpo.lr_scheduler=cosine_with_min_lr")),
        ("grpo grpo.report_to=[nonsense]", stage("grpo", "grpo.report_to=[nonsense]")),
        ("sft: task language cobol", sft(f"task.path={f['tasks_cobol.jsonl']}")),
        ("verify --out onto its completions", verify("--out", str(f["completions"]))),
        ("pretrain model.n_head=3", [py, "-m", "rlvr.pretrain", "+exp=java_gen_tiny", f"out_dir={s}/out",
                                     "run=new", "model.n_head=3"]),
        ("pretrain: task.path without build_tasks.py", [py, "-m", "rlvr.pretrain", "+exp=java_gen_tiny",
                                                        f"out_dir={s}/out", f"task.path={f['tasks_empty.jsonl']}"]),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("model", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="rlvr_bad_"))
    fixtures = build_fixtures(args.model.resolve(), scratch)
    rows = ["| case | exit | s | traceback | files changed | last line |", "| --- | ---: | ---: | --- | --- | --- |"]
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    for name, cmd in cases(fixtures, scratch):
        before = tree_digest(scratch / "out")
        t0 = time.time()
        try:
            proc = subprocess.run(cmd, cwd=scratch, capture_output=True, text=True, timeout=60, env=env)
            rc, out = proc.returncode, proc.stdout + proc.stderr
        except subprocess.TimeoutExpired as e:
            rc, out = "timeout", (e.stdout or b"").decode(errors="replace") + (e.stderr or b"").decode(errors="replace")
        after = tree_digest(scratch / "out")
        changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
        last = next((l.strip() for l in reversed(out.splitlines()) if l.strip()), "")
        rows.append(f"| {name} | {rc} | {time.time() - t0:.0f} | {'yes' if 'Traceback' in out else 'no'} | "
                    f"{', '.join(changed) or 'none'} | `{last[:150].replace('|', '/')}` |")
        print(rows[-1], flush=True)
        for stage in ("sft", "grpo", "eval"):  # a run that started (a silent case) must not hide the next case
            shutil.rmtree(scratch / "out" / stage / "new", ignore_errors=True)
    table = "\n".join(rows)
    if args.out:
        args.out.write_text(table + "\n")
    print(table)


if __name__ == "__main__":
    main()
