"""The embedded default's builder at toy scale: corpus hygiene, a real (tiny) training run, the cache.

    .venv/bin/python -m pytest tests/test_pretrain.py -q
"""
import json
import os
import random
import re
import subprocess
import sys
import time

import pytest

from rlvr.config import ROOT, ConfigError, compose
from rlvr.tasks import load_tasks

TASK_DIR = ROOT / "data/java_bst"


def method_name(task) -> str:
    return task.prompt.rsplit("\n", 1)[-1].split("(")[0].split()[-1]


def class_name(text: str) -> str:
    return re.search(r"^public class (\w+)", text, re.M).group(1)


def declares(doc: str, name: str) -> bool:
    return re.search(rf"\b{name}\([^)]*\)\s*\{{", doc) is not None


def test_corpus_holds_train_methods_and_no_eval_method():
    from rlvr.pretrain import build_corpus

    docs = build_corpus(TASK_DIR, variants_per_class=30, seed=0)
    tasks = load_tasks(TASK_DIR / "tasks.jsonl")
    by_class = {}
    for doc in docs:
        by_class.setdefault(class_name(doc), []).append(doc)
    declared_train = 0
    for t in tasks:
        class_docs = by_class[class_name(t.prompt)]
        hits = sum(declares(d, method_name(t)) for d in class_docs)
        if t.split == "eval":
            assert hits == 0, f"eval method {t.id} ({method_name(t)}) is declared in {hits} corpus documents"
        else:
            declared_train += hits > 0
    assert declared_train >= 0.9 * sum(t.split == "train" for t in tasks)


def test_rename_is_consistent_and_whole_word():
    from rlvr.pretrain import rename_identifiers

    text = "int size() { return size + sizeOf(size); }"
    renamed = set()
    for seed in range(20):
        out = rename_identifiers(text, random.Random(seed))
        assert "sizeOf(" in out and "size()" in out  # method names and longer words are left alone
        first, second = re.fullmatch(r"int size\(\) \{ return (\w+) \+ sizeOf\((\w+)\); \}", out).groups()
        assert first == second  # every use of the variable gets the same new name
        renamed.add(first)
    assert len(renamed) > 1  # some seeds do rename


def test_tiny_run_saves_hf_model_and_then_hits_the_cache(tmp_path, capsys):
    from rlvr.models import load_model
    from rlvr.pretrain import run

    cfg = compose("pretrain", ["+exp=java_bst_tiny", f"out_dir={tmp_path}", "pretrain.variants_per_class=3",
                               "pretrain.steps=4", "pretrain.eval_every=2", "pretrain.batch_size=2",
                               "pretrain.block_size=64", "pretrain.tokenizer_vocab=400", "model.n_layer=1",
                               "model.n_embd=32", "model.n_head=2", "model.n_positions=128"])
    final = run(cfg)
    stamp = json.loads((final / "pretrain.json").read_text())
    assert stamp["steps"] == 4 and stamp["params"] > 0
    model, tokenizer = load_model(str(final))
    assert model.config.n_positions == 128 and len(tokenizer) <= 400
    assert (cfg.run_dir / "checkpoints/last/config.json").exists()  # periodic save of a killed run
    rows = [json.loads(line) for line in (cfg.run_dir / "metrics.jsonl").read_text().splitlines()]
    assert [r["step"] for r in rows] == [2, 4] and all(r["stage"] == "pretrain" for r in rows)
    capsys.readouterr()
    assert run(cfg) == final
    assert "cached model" in capsys.readouterr().out


def test_killed_build_resumes_from_its_last_checkpoint(tmp_path):
    overrides = ["+exp=java_bst_tiny", f"out_dir={tmp_path}", "pretrain.variants_per_class=3",
                 "pretrain.steps=300", "pretrain.eval_every=20", "pretrain.batch_size=2",
                 "pretrain.block_size=64", "pretrain.tokenizer_vocab=400", "model.n_layer=1",
                 "model.n_embd=32", "model.n_head=2", "model.n_positions=128"]
    run_dir = tmp_path / "pretrain/java_bst_tiny"
    argv = [sys.executable, "-m", "rlvr.pretrain", *overrides]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while proc.poll() is None and not (run_dir / "checkpoints/last/train_state.pt").exists() and time.time() < deadline:
        time.sleep(0.02)
    proc.kill()
    proc.wait()
    assert not (run_dir / "final").exists(), "the build finished before it could be killed"
    done = subprocess.run([*argv, "resume=true"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "resuming" in done.stdout
    steps = [json.loads(line)["step"] for line in (run_dir / "metrics.jsonl").read_text().splitlines()]
    assert steps == list(range(20, 301, 20))  # each step logged once across the kill
    assert json.loads((run_dir / "final/pretrain.json").read_text())["steps"] == 300


def test_bad_step_count_is_a_config_error(tmp_path):
    from rlvr.pretrain import run

    with pytest.raises(ConfigError, match="pretrain.steps=0"):
        run(compose("pretrain", ["+exp=java_bst_tiny", f"out_dir={tmp_path}", "pretrain.steps=0"]))


def test_same_config_builds_the_same_model(tmp_path):
    """Stops by steps and seeds everything: two builds are identical to the bit, whatever the clock."""
    import torch

    from rlvr.models import load_model
    from rlvr.pretrain import run

    small = ["+exp=java_gen_tiny", "pretrain.variants_per_class=2", "pretrain.steps=3", "pretrain.eval_every=3",
             "pretrain.batch_size=2", "pretrain.block_size=64", "pretrain.tokenizer_vocab=400", "model.n_layer=1",
             "model.n_embd=32", "model.n_head=2", "model.n_positions=128"]
    finals = [run(compose("pretrain", [*small, f"out_dir={tmp_path / name}"])) for name in ("a", "b")]
    (a, tok_a), (b, tok_b) = (load_model(str(f)) for f in finals)
    assert tok_a.get_vocab() == tok_b.get_vocab()
    for (name, x), y in zip(a.state_dict().items(), b.state_dict().values()):
        assert torch.equal(x, y), name
    assert json.loads((finals[0] / "pretrain.json").read_text())["steps"] == 3


def test_cpu_kernels_are_pinned_to_avx2_on_x86():
    """Bit-identical runs across machines: a stage's torch must not pick AVX-512 kernels (rlvr/__init__.py)."""
    import platform

    if platform.machine().lower() not in ("x86_64", "amd64"):
        pytest.skip("the pins are for x86")
    probe = "import rlvr, torch; torch.ones(2) @ torch.ones(2); print(torch.backends.cpu.get_cpu_capability())"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                         env={k: v for k, v in os.environ.items() if k not in ("ATEN_CPU_CAPABILITY", "MKL_CBWR")})
    assert out.stdout.strip() in ("AVX2", "DEFAULT")  # DEFAULT only on a CPU without AVX2


def test_openmp_waits_passively_and_the_grpo_script_sets_it_before_torch_loads():
    """2 torch threads on 2 cores with one core busy: spinning made sampling 2.5x slower than 1 thread."""
    import ast

    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    out = subprocess.run([sys.executable, "-c", "import rlvr, os; print(os.environ['OMP_WAIT_POLICY'])"],
                         capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip() == "PASSIVE"
    # `accelerate launch rlvr/grpo.py` runs the file as a script: its first import of rlvr must come before torch
    tree = ast.parse((ROOT / "rlvr/grpo.py").read_text())
    imports = [alias.name for node in tree.body if isinstance(node, ast.Import) for alias in node.names]
    assert imports.index("rlvr") < imports.index("torch")
