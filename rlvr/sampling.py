"""Sampling shared by every stage: batched KV-cached generation from any HF causal LM.

Decoding controls come from `SamplingConfig` (conf/sampling/): temperature (0 = greedy), top-k,
top-p, repetition penalty, no-repeat n-gram. Generation of a sequence stops when the target
method closes (or a task stop string appears), so nobody pays for tokens the verifier would cut
anyway. The completion kept is the text as generated: the verifier pool is the only place that
cuts it. Per completion we keep the token ids, the per-token entropy and log-prob of the model's
*raw* distribution (before temperature and penalties: that is the model's own uncertainty; their
negative mean is the sample's loss) and whether the target method never closed (truncated).

HF generate runs a batch until its slowest row stops, so one looping row made 31 finished rows
ride along to max_new_tokens. `generate_compacting` calls it in chunks of COMPACT_EVERY tokens and
drops the finished rows (and their KV cache) between chunks. The n samples of a prompt sit side by
side in a batch, so `shared_prefill` runs each distinct prompt through the model once and copies
its KV cache to its rows (prefill was ~27 % of sampling time). HF's DynamicLayer concatenates the
whole cache at every decode step (torch.cat was 22 % of CPU sampling time); `GrowingLayer` writes
each step into a buffer with headroom instead.
"""
from __future__ import annotations

import copy
import inspect
from dataclasses import dataclass, field

import torch
from transformers import DynamicCache, GenerationConfig, StoppingCriteria, StoppingCriteriaList
from transformers.cache_utils import Cache, DynamicLayer

from rlvr.config import SamplingConfig
from rlvr.models import context_length
from rlvr.tasks import Task, completion_end

# measured on the embedded base model (48 train prompts x 4, 2 threads): 29.4 s in one call,
# 16.7 s in chunks of 48, 18.5 s in chunks of 16; a trained model that rarely loops gains nothing
# and loses nothing (11.5 vs 11.8 s)
COMPACT_EVERY = 48
# KV positions allocated ahead: 48 x 4 samples, base model 14.5 s with HF's cat per step, 10.8 / 11.3 /
# 11.2 s with 32 / 64 / 128 (the same completions and log-probs); a copy every 64 steps is noise
HEADROOM = 64


@dataclass
class Sample:
    task_id: str
    completion: str  # decoded text as generated (generation stops where the method closes)
    n_tokens: int  # generated tokens, EOS and padding excluded
    truncated: bool  # the target method never closed (same meaning in every stage)
    token_ids: list[int] = field(default_factory=list)
    entropy: list[float] = field(default_factory=list)  # per generated token, nats
    logprobs: list[float] = field(default_factory=list)  # of the chosen tokens


class MethodClosed:
    """Which rows of a generating batch have closed their target method (or written a task stop
    string), kept over the whole call. Decodes only rows whose newest token could end something
    (a `}`, the `d` of `\\u007d`, or a stop string's last character), so it stays cheap. Sampling
    stops those rows; GRPO's generation forces EOS on them (rlvr.grpo.EndAtMethodClose)."""

    def __init__(self, tokenizer, tasks: list[Task], prompt_width: int):
        self.tokenizer, self.tasks, self.prompt_width = tokenizer, tasks, prompt_width
        self.end_chars = {"}"} | {s[-1] for t in tasks for s in t.stop if s}
        if any(t.language == "java" for t in tasks):  # javac reads `\u007d` as `}`: its last digit can close too
            self.end_chars |= {"d", "D", "\uff44", "\uff24"}
        self.closed = torch.zeros(len(tasks), dtype=torch.bool)

    def update(self, input_ids: torch.LongTensor) -> torch.BoolTensor:
        for row, task in enumerate(self.tasks):
            if self.closed[row] or not self.end_chars & set(self.tokenizer.decode(input_ids[row, -1:])):
                continue
            text = self.tokenizer.decode(input_ids[row, self.prompt_width:], skip_special_tokens=True)
            self.closed[row] = completion_end(task, text) is not None
        return self.closed


class _TaskDone(StoppingCriteria):
    """Per-row stop at EOS or once the row's method closed; `finished` holds both over the whole call."""

    def __init__(self, tokenizer, tasks: list[Task], prompt_width: int):
        self.eos, self.method = tokenizer.eos_token_id, MethodClosed(tokenizer, tasks, prompt_width)
        self.finished = torch.zeros(len(tasks), dtype=torch.bool)

    def __call__(self, input_ids: torch.LongTensor, scores, **kwargs) -> torch.BoolTensor:
        done = input_ids[:, -1].cpu() == (-1 if self.eos is None else self.eos)  # a tokenizer may have no EOS
        done |= self.method.update(input_ids)
        self.finished |= done
        return done.to(input_ids.device)


class GrowingLayer(DynamicLayer):
    """A DynamicLayer whose keys/values are views into a buffer with HEADROOM free positions, so a
    decode step writes one position instead of copying the whole cache. Whatever replaced the views
    (batch_select_indices after compaction, beam reordering) is copied into a new buffer first."""

    def update(self, key_states, value_states, *args, **kwargs):
        if not self.is_initialized:
            self.lazy_initialization(key_states, value_states)
        used, new = self.get_seq_length(), key_states.shape[-2]
        buffer = getattr(self, "key_buffer", None)
        if buffer is None or self.keys._base is not buffer or used + new > buffer.shape[-2]:
            def grown(old, states):
                out = states.new_empty((*states.shape[:-2], used + new + HEADROOM, states.shape[-1]))
                if used:
                    out[..., :used, :] = old
                return out
            self.key_buffer, self.value_buffer = grown(self.keys, key_states), grown(self.values, value_states)
        self.key_buffer[..., used:used + new, :] = key_states
        self.value_buffer[..., used:used + new, :] = value_states
        self.keys, self.values = self.key_buffer[..., :used + new, :], self.value_buffer[..., :used + new, :]
        return self.keys, self.values


def new_cache(model) -> Cache:
    """An empty KV cache for `model`: GrowingLayers where every layer is a plain DynamicLayer
    (GPT-2, nanochat), else HF's own choice (sliding-window layers keep their type)."""
    cache = DynamicCache(config=model.config.get_text_config(decoder=True))
    if all(type(layer) is DynamicLayer for layer in cache.layers):
        cache.layers = [GrowingLayer() for _ in cache.layers]
    return cache


def shared_prefill(model, input_ids, attention) -> Cache:
    """KV cache of every row's prompt but its last token, computed once per distinct (prompt,
    padding) and copied to the rows that share it; an empty cache when no two rows share one. HF
    generate then feeds only the tokens the cache does not hold."""
    distinct, row_of = torch.unique(torch.cat([input_ids, attention], dim=1), dim=0, return_inverse=True)
    width = input_ids.shape[1]
    if len(distinct) == len(input_ids) or width < 2:
        return new_cache(model)
    ids, mask = distinct[:, :width - 1], distinct[:, width:-1]
    accepts = inspect.signature(model.forward).parameters
    kwargs = {"logits_to_keep": 1} if "logits_to_keep" in accepts else {}
    if "position_ids" in accepts:  # as generate derives them: left padding shifts the positions
        kwargs["position_ids"] = (mask.cumsum(-1) - 1).masked_fill(mask == 0, 0)
    cache = new_cache(model)
    model(input_ids=ids, attention_mask=mask, cache=cache, use_cache=True, **kwargs)
    cache.batch_select_indices(row_of)
    return cache


def left_pad(prompt_ids: list[list[int]], pad_id: int, device) -> tuple[torch.Tensor, torch.Tensor]:
    """(input_ids, attention mask), both (B, P): prompts padded on the left, to end where generation starts."""
    width = max(map(len, prompt_ids))
    input_ids = torch.tensor([[pad_id] * (width - len(p)) + p for p in prompt_ids], device=device)
    attention = torch.tensor([[0] * (width - len(p)) + [1] * len(p) for p in prompt_ids], device=device)
    return input_ids, attention


def generate_compacting(model, tokenizer, tasks: list[Task], input_ids, attention, gen_cfg: GenerationConfig):
    """One left-padded batch -> (new token ids, raw logits (T, V)) per row, generated COMPACT_EVERY
    tokens at a time: rows that closed their method or sampled EOS leave the batch and the KV cache
    between chunks, so the rest decode as a smaller batch."""
    width, rows = input_ids.shape[1], list(range(len(tasks)))
    new_ids, logits = [[] for _ in rows], [[] for _ in rows]
    cache = shared_prefill(model, input_ids, attention)
    chunk_cfg, produced = copy.copy(gen_cfg), 0
    while rows and produced < gen_cfg.max_new_tokens:
        chunk_cfg.max_new_tokens = min(COMPACT_EVERY, gen_cfg.max_new_tokens - produced)
        stop = _TaskDone(tokenizer, [tasks[r] for r in rows], width)
        out = model.generate(input_ids=input_ids, attention_mask=attention, cache=cache, generation_config=chunk_cfg,
                             stopping_criteria=StoppingCriteriaList([stop]))
        chunk_ids = out.sequences[:, input_ids.shape[1]:]  # (B, t)
        chunk_logits = torch.stack(out.logits, dim=1)  # (B, t, V) raw, before processors
        for b, r in enumerate(rows):
            new_ids[r].append(chunk_ids[b])
            logits[r].append(chunk_logits[b])
        produced += chunk_ids.shape[1]
        keep = (~stop.finished).nonzero().flatten().to(input_ids.device)
        input_ids, cache = out.sequences, out.cache  # the cache holds all but the newest token
        attention = torch.cat([attention, attention.new_ones(chunk_ids.shape)], dim=1)
        if len(keep) < len(rows):
            cache.batch_select_indices(keep)
            input_ids, attention = input_ids[keep], attention[keep]
            rows = [rows[b] for b in keep.tolist()]
    return [torch.cat(ids) for ids in new_ids], [torch.cat(lg) for lg in logits]


def generation_config(cfg: SamplingConfig, tokenizer, model_vocab: int) -> GenerationConfig:
    greedy = cfg.temperature <= 0
    kwargs = dict(
        max_new_tokens=cfg.max_new_tokens,
        do_sample=not greedy,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
        repetition_penalty=cfg.repetition_penalty if cfg.repetition_penalty != 1.0 else None,
        no_repeat_ngram_size=cfg.no_repeat_ngram_size or None,
        # a nanoGPT vocab padded to 50304 has ids no tokenizer can decode: never sample them
        suppress_tokens=list(range(len(tokenizer), model_vocab)) or None,
        return_dict_in_generate=True, output_logits=True,  # raw logits: the entropy and loss of each sample
    )
    if not greedy:
        kwargs.update(temperature=cfg.temperature, top_k=cfg.top_k or None, top_p=cfg.top_p)
    return GenerationConfig(**kwargs)


@torch.no_grad()
def sample(model, tokenizer, tasks: list[Task], cfg: SamplingConfig, n: int = 1,
           progress=None) -> list[list[Sample]]:
    """n completions for each task -> samples[i][j] for tasks[i], in order.

    Rows are bucketed by prompt token length so a batch is padded as little as possible (and
    GPT-2's learned positions see unshifted prompts in the common all-same-length case).
    """
    if cfg.temperature <= 0:
        n = 1  # greedy decoding gives the same completion every time
    device = next(model.parameters()).device
    gen_cfg = generation_config(cfg, tokenizer, model.config.vocab_size)
    # with the tokenizer's own special tokens, as TRL's trainers tokenize: a model trained after a BOS (nanochat,
    # Llama-style) gets it; GPT-2-style tokenizers add none
    prompt_ids = [tokenizer(t.prompt)["input_ids"] for t in tasks]
    n_positions = context_length(model)
    too_long = {i for i, ids in enumerate(prompt_ids) if len(ids) + cfg.max_new_tokens > n_positions}
    if too_long:  # a public benchmark may hold a few: they score as unclosed (failed), never as a crash
        print(f"sampling: {len(too_long)} prompt(s) (e.g. {tasks[min(too_long)].id!r}) + sampling.max_new_tokens="
              f"{cfg.max_new_tokens} exceed the model's {n_positions} positions: scored as never closed, not sampled")
    results: list[list[Sample | None]] = [[Sample(tasks[i].id, "", 0, True) if i in too_long else None] * n
                                          for i in range(len(tasks))]
    rows = sorted(((i, j) for i in range(len(tasks)) for j in range(n) if i not in too_long),
                  key=lambda r: len(prompt_ids[r[0]]))
    # a model fresh from a Trainer is in train mode: dropout while sampling wrecked SFT's round 2
    # (train-prompt compile rate 9 % -> 0 %), so sample in eval mode and hand the mode back
    was_training = model.training
    model.eval()
    for start in range(0, len(rows), cfg.batch_size):
        batch = rows[start:start + cfg.batch_size]
        input_ids, attention = left_pad([prompt_ids[i] for i, _ in batch], tokenizer.pad_token_id, device)
        new_ids, logits = generate_compacting(model, tokenizer, [tasks[i] for i, _ in batch], input_ids, attention,
                                              gen_cfg)
        for b, (i, j) in enumerate(batch):
            logp = torch.log_softmax(logits[b].float(), dim=-1)  # (T, V)
            entropy = -(logp.exp() * logp).sum(-1)  # (T,)
            chosen = logp.gather(-1, new_ids[b].unsqueeze(-1)).squeeze(-1)  # (T,)
            results[i][j] = _to_sample(tokenizer, tasks[i], new_ids[b], entropy, chosen)
        if progress is not None:
            progress.update(len(batch))
    model.train(was_training)
    return results  # type: ignore[return-value]


def _to_sample(tokenizer, task: Task, ids: torch.Tensor, entropy: torch.Tensor, chosen: torch.Tensor) -> Sample:
    ids = ids.tolist()
    special = {tokenizer.pad_token_id, tokenizer.eos_token_id}
    length = next((k for k, t in enumerate(ids) if t in special), len(ids))
    text = tokenizer.decode(ids[:length], skip_special_tokens=True)
    return Sample(task_id=task.id, completion=text, n_tokens=length, truncated=completion_end(task, text) is None,
                  token_ids=ids[:length], entropy=[round(x, 4) for x in entropy[:length].tolist()],
                  logprobs=[round(x, 4) for x in chosen[:length].tolist()])
