"""Sampling: eval mode whatever the caller left, completions as generated, stopped at the method close."""
import torch

from rlvr.config import ROOT, SamplingConfig
from rlvr.pretrain import train_tokenizer
from rlvr.sampling import sample
from rlvr.tasks import completion_end, load_tasks

TASKS = ROOT / "data/java_bst/tasks.jsonl"


def dropout_model(tasks):
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(0)
    tokenizer = train_tokenizer([t.prompt + t.reference for t in tasks] * 2, vocab_size=400)
    model = GPT2LMHeadModel(GPT2Config(vocab_size=len(tokenizer), n_positions=1024, n_embd=32, n_layer=1, n_head=2,
                                       resid_pdrop=0.5, embd_pdrop=0.5, attn_pdrop=0.5,
                                       eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.eos_token_id))
    tokenizer.padding_side = "left"
    return model, tokenizer


def test_sampling_ignores_train_mode_and_restores_it():
    tasks = load_tasks(TASKS, split="train")[:2]
    model, tokenizer = dropout_model(tasks)
    greedy = SamplingConfig(temperature=0.0, max_new_tokens=24)
    model.eval()
    in_eval = [row[0].completion for row in sample(model, tokenizer, tasks, greedy)]
    model.train()  # as a Trainer leaves it: dropout 0.5 would change every greedy token
    in_train = [row[0].completion for row in sample(model, tokenizer, tasks, greedy)]
    assert in_train == in_eval and model.training


def test_completions_are_as_generated_and_stop_at_the_method_close():
    tasks = load_tasks(TASKS, split="train")[:3]
    model, tokenizer = dropout_model(tasks)
    rows = sample(model, tokenizer, tasks, SamplingConfig(temperature=1.0, max_new_tokens=40), n=3)
    assert [len(r) for r in rows] == [3, 3, 3]
    for task, row in zip(tasks, rows):
        for s in row:
            assert s.task_id == task.id and len(s.entropy) == len(s.logprobs) == len(s.token_ids) == s.n_tokens <= 40
            assert s.completion == tokenizer.decode(s.token_ids)  # nothing cut: the pool cuts
            assert s.truncated == (completion_end(task, s.completion) is None)
            if not s.truncated:  # generation stopped at the token that closed the method
                assert completion_end(task, tokenizer.decode(s.token_ids[:-1])) is None



def test_a_prompt_longer_than_the_context_scores_as_unclosed_and_the_rest_are_sampled():
    tasks = load_tasks(TASKS, split="train")[:3]
    model, tokenizer = dropout_model(tasks)
    lengths = [len(tokenizer(t.prompt)["input_ids"]) for t in tasks]
    model.config.n_positions = sorted(lengths)[1] + 16  # the longest prompt + 16 new tokens no longer fits
    rows = sample(model, tokenizer, tasks, SamplingConfig(temperature=1.0, max_new_tokens=16), n=2)
    for length, row in zip(lengths, rows):
        assert len(row) == 2
        if length == max(lengths):
            assert all(s.completion == "" and s.truncated and s.n_tokens == 0 for s in row)
        else:
            assert all(s.n_tokens > 0 for s in row)


def test_finished_rows_leave_the_batch_between_chunks_without_changing_the_rest(monkeypatch):
    import dataclasses

    import rlvr.sampling

    tasks = load_tasks(TASKS, split="train")[:4]
    model, tokenizer = dropout_model(tasks)
    greedy = SamplingConfig(temperature=0.0, max_new_tokens=30, batch_size=4)
    first = sample(model, tokenizer, tasks, greedy)
    # rows 0 and 2 now stop after 5 and 9 tokens (their own greedy prefix is a stop string): the
    # chunked call must drop them from the batch and KV cache and still decode rows 1 and 3 exactly
    for row, n in ((0, 5), (2, 9)):
        tasks[row] = dataclasses.replace(tasks[row], stop=[tokenizer.decode(first[row][0].token_ids[:n])])
    monkeypatch.setattr(rlvr.sampling, "COMPACT_EVERY", 10_000)
    whole = [row[0] for row in sample(model, tokenizer, tasks, greedy)]
    monkeypatch.setattr(rlvr.sampling, "COMPACT_EVERY", 3)
    chunked = [row[0] for row in sample(model, tokenizer, tasks, greedy)]
    assert [s.n_tokens for s in whole][0::2] == [5, 9] and whole[1].n_tokens > 9 and whole[3].n_tokens > 9
    assert [s.token_ids for s in chunked] == [s.token_ids for s in whole]
    for a, b in zip(chunked, whole):
        assert torch.allclose(torch.tensor(a.logprobs), torch.tensor(b.logprobs), atol=1e-3)


def test_shared_prefill_and_the_growing_cache_change_no_token(monkeypatch):
    """Rows [A, A, B, B] (B left-padded): prefilled once per prompt, decoded into GrowingLayers whose
    headroom runs out and whose rows are dropped between chunks, against HF's own DynamicCache."""
    import pytest
    from transformers import DynamicCache

    import rlvr.sampling
    from rlvr.modeling_nanochat_rlvr import NanoChatRlvrConfig, NanoChatRlvrForCausalLM
    from rlvr.sampling import generate_compacting, generation_config

    tasks = load_tasks(TASKS, split="train")[:2]
    gpt2, tokenizer = dropout_model(tasks)
    torch.manual_seed(0)
    nanochat = NanoChatRlvrForCausalLM(NanoChatRlvrConfig(
        vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=2, num_attention_heads=2, smear=True,
        value_embed_layers=[1], lambdas=True, pad_token_id=tokenizer.pad_token_id, eos_token_id=tokenizer.eos_token_id))
    # rows [A, A, B, B]: B is left-padded, so positions must follow the mask in the shared prefill too
    prompts = [tokenizer(t.prompt, add_special_tokens=False)["input_ids"][-40 + 7 * k:] for k, t in enumerate(tasks)]
    rows = [prompts[0], prompts[0], prompts[1], prompts[1]]
    width, pad = max(map(len, rows)), tokenizer.pad_token_id
    input_ids = torch.tensor([[pad] * (width - len(p)) + p for p in rows])
    attention = torch.tensor([[0] * (width - len(p)) + [1] * len(p) for p in rows])
    row_tasks = [tasks[0], tasks[0], tasks[1], tasks[1]]
    for model in (gpt2.eval(), nanochat.eval()):
        cfg = generation_config(SamplingConfig(temperature=0.0, max_new_tokens=12), tokenizer, len(tokenizer))
        prefilled = rlvr.sampling.shared_prefill(model, input_ids, attention)
        assert prefilled.get_seq_length() == width - 1 and isinstance(prefilled.layers[0], rlvr.sampling.GrowingLayer)
        assert rlvr.sampling.shared_prefill(model, input_ids[::2], attention[::2]).get_seq_length() == 0  # none shared
        with torch.no_grad(), pytest.MonkeyPatch.context() as patch:
            patch.setattr(rlvr.sampling, "HEADROOM", 3)
            patch.setattr(rlvr.sampling, "COMPACT_EVERY", 5)
            shared_ids, shared_logits = generate_compacting(model, tokenizer, row_tasks, input_ids, attention, cfg)
            patch.setattr(rlvr.sampling, "shared_prefill", lambda model, *args: DynamicCache(config=model.config))
            own_ids, own_logits = generate_compacting(model, tokenizer, row_tasks, input_ids, attention, cfg)
        assert [ids.tolist() for ids in shared_ids] == [ids.tolist() for ids in own_ids]
        for a, b in zip(shared_logits, own_logits):
            assert a.shape == b.shape and (a - b).abs().max() < 1e-4


def test_a_method_closed_by_an_escaped_brace_stops_generation_there():
    """javac reads `\\u007d` as `}`: the cut closes the method there, so generation must stop there too, or GRPO
    trains on what follows. The closing token holds the escape's `d`, not a brace."""
    from rlvr.sampling import MethodClosed
    from rlvr.tasks import Task

    task = Task(id="t", prompt="class C {\n    int f() {", tests="")
    completion = "\n        return 1;\n    \\u007d\n    int g() {\n        return 2;\n    }\n}\n"
    tokenizer = train_tokenizer([task.prompt + completion] * 4, vocab_size=300)
    prompt_ids, ids = tokenizer.encode(task.prompt), tokenizer.encode(completion)
    closed = MethodClosed(tokenizer, [task], len(prompt_ids))
    first_closed = next(n for n in range(1, len(ids) + 1) if closed.update(torch.tensor([prompt_ids + ids[:n]]))[0])
    assert completion_end(task, tokenizer.decode(ids[:first_closed])) is not None
    assert completion_end(task, tokenizer.decode(ids[:first_closed - 1])) is None
    assert tokenizer.decode(ids[:first_closed]).rstrip().endswith("\\u007d")
