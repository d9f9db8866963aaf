"""The generated task family data/java_gen: up to date, held out by combination, leak-free corpus,
and judged right by the real verifier pool.

    PYTHONPATH=$PWD .venv/bin/python -m pytest tests/test_java_gen.py -q

Every reference is checked through `rlvr.verifier.make_pool` here, with a seeded sample of the
programs that must fail (bare prompt, trivial bodies, empty body, bare throw, neighbouring
combinations' bodies). All of them (~17k programs) are checked by
`python data/java_gen/build_tasks.py --check`, which takes too long for the suite.
"""
from __future__ import annotations

import importlib.util
import json
import random
import re
import shutil
import sys

import pytest

from rlvr.config import ROOT, compose
from rlvr.tasks import cut_completion, load_tasks

TASK_DIR = ROOT / "data/java_gen"
TASKS_FILE = TASK_DIR / "tasks.jsonl"


@pytest.fixture(scope="module")
def gen():
    spec = importlib.util.spec_from_file_location("java_gen_build_tasks", TASK_DIR / "build_tasks.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up while being defined
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def records():
    return [json.loads(line) for line in TASKS_FILE.read_text().splitlines()]


@pytest.fixture(scope="module")
def tasks():
    return load_tasks(TASKS_FILE)


def class_name(text: str) -> str:
    return re.search(r"^public class (\w+)", text, re.M).group(1)


def target_signature(prompt: str) -> str:
    return prompt.rsplit("\n", 1)[-1]


def test_build_is_deterministic_and_up_to_date(gen, tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    gen.write_tasks(a)
    gen.write_tasks(b)
    assert a.read_bytes() == b.read_bytes(), "build_tasks.py is not deterministic"
    assert a.read_bytes() == TASKS_FILE.read_bytes(), "data/java_gen/tasks.jsonl is stale: rebuild it"


def test_counts_and_every_part_is_trained(records):
    train = [r for r in records if r["split"] == "train"]
    held = [r for r in records if r["split"] == "eval"]
    assert len(train) >= 1000 and len(held) >= 200, (len(train), len(held))
    parts = ("container", "type", "predicate", "reduction")
    for part in parts:
        assert {r["parts"][part] for r in held} <= {r["parts"][part] for r in train}, part
        assert {r["parts"][part] for r in train} == {r["parts"][part] for r in records}, part
    # stronger: every pair of a held-out combination's parts is some train combination's pair
    key = lambda r, x, y: (r["parts"]["container"], r["parts"]["type"], x and r["parts"][x], y and r["parts"][y])
    for x, y in (("predicate", None), ("reduction", None), ("predicate", "reduction")):
        seen = {key(r, x, y) if y is None else (r["parts"][x], r["parts"][y]) for r in train}
        for r in held:
            assert (key(r, x, y) if y is None else (r["parts"][x], r["parts"][y])) in seen, (r["id"], x, y)
    combos = [tuple(r["parts"][p] for p in parts) for r in records]
    assert len(set(combos)) == len(combos)


def test_prompt_reference_and_tests_shape(tasks):
    for t in tasks:
        assert t.prompt.endswith("{") and not t.prompt[-1].isspace(), t.id
        assert t.reference.endswith("\n    }\n}\n"), t.id
        assert cut_completion(t, t.reference) == t.reference.rstrip("\n"), t.id
        assert "/**" in t.prompt.rsplit("\n    }\n", 1)[-1], f"{t.id}: the target has no javadoc"
        names = re.findall(r"static void (test\w+)\(\)", t.tests)
        assert {"testEmpty", "testAllMatch", "testNoneMatch"} <= set(names), t.id
        main = t.tests[t.tests.index("public static void main"):]
        assert all(f"{n}();" in main for n in names), t.id


def test_no_held_out_combination_in_the_corpus_or_the_train_prompts(tasks):
    """On the corpus rlvr.pretrain builds for the experiment, and on what SFT/GRPO read."""
    from rlvr.pretrain import build_corpus

    cfg = compose("pretrain", ["+exp=java_gen_tiny"])
    docs = build_corpus(TASK_DIR, cfg.pretrain.variants_per_class, cfg.seed)
    train = load_tasks(TASKS_FILE, split="train")  # the only prompts SFT and GRPO are given
    held = [t for t in tasks if t.split == "eval"]
    assert held and not {t.id for t in held} & {t.id for t in train}
    docs_by_class, prompts_by_class = {}, {}
    for d in docs:
        docs_by_class.setdefault(class_name(d), []).append(d)
    for t in train:
        prompts_by_class.setdefault(class_name(t.prompt), []).append(t.prompt)
    for e in held:
        cls, sig = class_name(e.prompt), target_signature(e.prompt)
        name = re.search(r"(\w+)\(", sig).group(1)
        declared = re.compile(rf"\b{name}\(")
        assert not any(declared.search(d) for d in docs_by_class[cls]), f"{e.id} is in the corpus"
        assert not any(declared.search(p) for p in prompts_by_class[cls]), f"{e.id} is in a train prompt"
        method = sig + e.reference[: -len("\n}\n")]
        assert not any(method in d for d in docs), f"{e.id}'s solved method is in the corpus"
    # and the corpus does teach the train combinations
    taught = sum(any(target_signature(t.prompt) in d for d in docs_by_class[class_name(t.prompt)]) for t in train)
    assert taught >= 0.95 * len(train), (taught, len(train))


@pytest.mark.skipif(shutil.which("javac") is None, reason="needs a JDK")
def test_references_pass_and_a_sample_of_wrong_bodies_fails(gen, tasks, records):
    from rlvr.verifier import make_pool
    from rlvr.verifier.config import VerifierConfig

    wrong = [j for j in gen.programs_to_check(tasks, records, neighbours_per_task=2) if j[1] != "reference"]
    jobs = [(t, "reference", t.reference) for t in tasks] + random.Random(0).sample(wrong, 600)
    with make_pool(VerifierConfig()) as pool:
        verdicts = pool.verify([j[0] for j in jobs], [j[2] for j in jobs])
    bad = [(t.id, kind, v.status, v.error[:300]) for (t, kind, _), v in zip(jobs, verdicts)
           if (v.status == "pass") != (kind == "reference")]
    assert not bad, bad[:10]
    assert not any(v.status == "sandbox_error" for v in verdicts)
    kinds = {kind.split(" ")[0] for _, kind, _ in jobs}
    assert {"reference", "neighbour", "trivial", "bare", "empty"} <= kinds
