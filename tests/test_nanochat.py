"""nanochat checkpoints convert exactly (2025-10 and 2026-03 revisions), tokenizers round-trip.

The reference forwards below are nanochat's GPT.forward written out from its source (gpt.py at
dfc8833 and 92d63d4, flash_attention.py's SDPA fallback for windows), over the raw state dict, so
they share no code with rlvr/modeling_nanochat_rlvr.py. The checkpoints are written the way
nanochat's checkpoint_manager.save_checkpoint writes them; the tokenizer.pkl is a pickled
tiktoken.core.Encoding, built here by a stand-in class of that name (tiktoken is not installed).
"""
import json
import os
import pickle
import sys
import types

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import pytest
import regex
import torch
import torch.nn.functional as F
from transformers import AutoModelForCausalLM

from rlvr import convert
from rlvr.models import ModelLoadError, load_model, load_tokenizer
from rlvr.nanochat import load_nanochat_tokenizer

torch.set_num_threads(1)

SPECIAL_TOKENS = ["<|bos|>", "<|user_start|>", "<|user_end|>", "<|assistant_start|>", "<|assistant_end|>",
                  "<|python_start|>", "<|python_end|>", "<|output_start|>", "<|output_end|>"]
SPLIT_PATTERN = r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}+|\p{N}{1,2}| ?[^\s\p{L}\p{N}]++[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+"""
TEXT = "public int size() {\n    return count; // 42 nodes\n}\n"


# --- nanochat's tokenizer, as rustbpe trains it and tiktoken pickles it ----------------------

def train_ranks(texts, n_merges):
    """rustbpe-style BPE: bytes are ranks 0..255, each merge of the most frequent pair gets the next rank."""
    words = [[bytes([b]) for b in piece.encode()] for t in texts for piece in regex.findall(SPLIT_PATTERN, t)]
    ranks = {bytes([b]): b for b in range(256)}
    for _ in range(n_merges):
        counts = {}
        for w in words:
            for a, b in zip(w, w[1:]):
                counts[a + b] = counts.get(a + b, 0) + 1
        if not counts:
            break
        best = max(counts, key=lambda k: (counts[k], k))
        ranks[best] = len(ranks)
        merged = []
        for w in words:
            out, i = [], 0
            while i < len(w):
                if i + 1 < len(w) and w[i] + w[i + 1] == best:
                    out.append(best)
                    i += 2
                else:
                    out.append(w[i])
                    i += 1
            merged.append(out)
        words = merged
    return ranks


def tiktoken_encode(ranks, specials, text):
    """tiktoken's encode (allowed_special="all"): split specials, regex pieces, lowest-rank pair first."""
    ids = []
    for part in regex.split("(" + "|".join(regex.escape(s) for s in specials) + ")", text):
        if part in specials:
            ids.append(specials[part])
            continue
        for piece in regex.findall(SPLIT_PATTERN, part):
            parts = [bytes([b]) for b in piece.encode()]
            while len(parts) > 1:
                pair_ranks = [ranks.get(a + b) for a, b in zip(parts, parts[1:])]
                best = min((r, i) for i, r in enumerate(pair_ranks) if r is not None) if any(
                    r is not None for r in pair_ranks) else None
                if best is None:
                    break
                i = best[1]
                parts = parts[:i] + [parts[i] + parts[i + 1]] + parts[i + 2:]
            ids += [ranks[p] for p in parts]
    return ids


def write_tokenizer_pkl(path, ranks, pattern=None):
    """tokenizer.pkl as nanochat's RustBPETokenizer.save writes it: pickle.dump(tiktoken Encoding)."""
    module = types.ModuleType("tiktoken.core")

    class Encoding:
        def __init__(self, name, pat_str, mergeable_ranks, special_tokens):
            self.state = dict(name=name, pat_str=pat_str, mergeable_ranks=mergeable_ranks,
                              special_tokens=special_tokens)

        def __getstate__(self):  # tiktoken's Encoding.__getstate__ for a non-registry encoding
            return self.state

    Encoding.__module__, Encoding.__qualname__ = "tiktoken.core", "Encoding"
    module.Encoding = Encoding
    package = types.ModuleType("tiktoken")
    package.core = module
    sys.modules.update({"tiktoken": package, "tiktoken.core": module})
    try:
        specials = {name: len(ranks) + i for i, name in enumerate(SPECIAL_TOKENS)}
        with open(path, "wb") as f:
            pickle.dump(Encoding("rustbpe", pattern or SPLIT_PATTERN, ranks, specials), f)
    finally:
        del sys.modules["tiktoken"], sys.modules["tiktoken.core"]
    return specials


@pytest.fixture(scope="module")
def nanochat_tokenizer(tmp_path_factory):
    path = tmp_path_factory.mktemp("tokenizer") / "tokenizer.pkl"
    ranks = train_ranks([TEXT * 3, "while (cur != null) { cur = cur.left; }\n" * 3], n_merges=40)
    specials = write_tokenizer_pkl(path, ranks)
    return path, ranks, specials


# --- nanochat's GPT.forward, from its source ---------------------------------------------------

def norm(x):
    return F.rms_norm(x, (x.size(-1),))


def rotary_tables(T, head_dim, base, bf16):
    channel_range = torch.arange(0, head_dim, 2, dtype=torch.float32)
    inv_freq = 1.0 / (base ** (channel_range / head_dim))
    freqs = torch.outer(torch.arange(T, dtype=torch.float32), inv_freq)
    cos, sin = freqs.cos(), freqs.sin()
    if bf16:
        cos, sin = cos.bfloat16(), sin.bfloat16()
    return cos[None, :, None, :], sin[None, :, None, :]


def apply_rotary_emb(x, cos, sin):
    d = x.shape[3] // 2
    x1, x2 = x[..., :d], x[..., d:]
    return torch.cat([x1 * cos + x2 * sin, x1 * (-sin) + x2 * cos], 3).to(x.dtype)


def sdpa_window(q, k, v, window, enable_gqa):
    """flash_attention._sdpa_attention for Tq == Tk (inputs (B, H, T, D))."""
    T = q.size(2)
    if window < 0 or window >= T:
        return F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=enable_gqa)
    row, col = torch.arange(T)[:, None], torch.arange(T)[None, :]
    mask = (col <= row) & ((row - col) <= window)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask, enable_gqa=enable_gqa)


def reference_forward(s, cfg, idx, revision):
    """logits (B, T, vocab_size) of nanochat's GPT at `revision` ("2025-10" or "2026-03")."""
    s = {k.removeprefix("_orig_mod."): v.float() for k, v in s.items()}
    B, T = idx.shape
    L, H, KV, C = cfg["n_layer"], cfg["n_head"], cfg["n_kv_head"], cfg["n_embd"]
    D = C // H
    new = revision == "2026-03"
    cos, sin = rotary_tables(T, D, 100000 if new else 10000, bf16=not new)
    if new:
        pattern, long_w = cfg["window_pattern"], cfg["sequence_len"]
        short_w = -(-long_w // 4 // 128) * 128
        windows = [long_w if pattern[i % len(pattern)] == "L" else short_w for i in range(L)]
        windows[-1] = long_w
    x = norm(F.embedding(idx, s["transformer.wte.weight"]))
    if new:
        gate = s["smear_lambda"] * torch.sigmoid(x[:, 1:, :24] @ s["smear_gate.weight"].t())
        x = torch.cat([x[:, :1], x[:, 1:] + gate * x[:, :-1]], dim=1)
    x0, x_backout = x, None
    for i in range(L):
        p = f"transformer.h.{i}."
        if new:
            x = s["resid_lambdas"][i] * x + s["x0_lambdas"][i] * x0
        h = norm(x)
        q = (h @ s[p + "attn.c_q.weight"].t()).view(B, T, H, D)
        k = (h @ s[p + "attn.c_k.weight"].t()).view(B, T, KV, D)
        v = (h @ s[p + "attn.c_v.weight"].t()).view(B, T, KV, D)
        if new and f"value_embeds.{i}.weight" in s:
            ve = F.embedding(idx, s[f"value_embeds.{i}.weight"]).view(B, T, KV, D)
            g = 3 * torch.sigmoid(h[..., :12] @ s[p + "attn.ve_gate.weight"].t())
            v = v + g.unsqueeze(-1) * ve
        q, k = apply_rotary_emb(q, cos, sin), apply_rotary_emb(k, cos, sin)
        q, k = norm(q), norm(k)
        if new:
            q, k = q * 1.2, k * 1.2
        y = sdpa_window(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2),
                        windows[i] if new else -1, enable_gqa=H != KV)
        x = x + y.transpose(1, 2).contiguous().view(B, T, -1) @ s[p + "attn.c_proj.weight"].t()
        h = norm(x)
        x = x + F.relu(h @ s[p + "mlp.c_fc.weight"].t()).square() @ s[p + "mlp.c_proj.weight"].t()
        if new and i == L // 2:
            x_backout = x
    if new:
        x = x - s["backout_lambda"] * x_backout
    logits = (norm(x) @ s["lm_head.weight"].t())[..., :cfg["vocab_size"]].float()
    return 15 * torch.tanh(logits / 15)


def random_state(cfg, revision, padded_vocab, seed=0):
    """Random weights under nanochat's parameter names and shapes at `revision` (wte in bf16, as
    nanochat's init_weights leaves it on a GPU)."""
    g = torch.Generator().manual_seed(seed)
    L, H, KV, C = cfg["n_layer"], cfg["n_head"], cfg["n_kv_head"], cfg["n_embd"]
    D = C // H
    r = lambda *shape, scale=0.3: torch.randn(*shape, generator=g) * scale  # noqa: E731
    s = {"transformer.wte.weight": r(padded_vocab, C, scale=1.0).bfloat16(), "lm_head.weight": r(padded_vocab, C)}
    for i in range(L):
        p = f"transformer.h.{i}."
        s.update({p + "attn.c_q.weight": r(H * D, C), p + "attn.c_k.weight": r(KV * D, C),
                  p + "attn.c_v.weight": r(KV * D, C), p + "attn.c_proj.weight": r(C, C),
                  p + "mlp.c_fc.weight": r(4 * C, C), p + "mlp.c_proj.weight": r(C, 4 * C)})
        if revision == "2026-03" and i % 2 == (L - 1) % 2:
            s[p + "attn.ve_gate.weight"] = r(KV, 12)
            s[f"value_embeds.{i}.weight"] = r(padded_vocab, KV * D).bfloat16()
    if revision == "2026-03":
        s.update({"resid_lambdas": 1 + r(L, scale=0.1), "x0_lambdas": r(L, scale=0.1), "smear_gate.weight": r(1, 24),
                  "smear_lambda": r(1), "backout_lambda": 0.2 + r(1, scale=0.05)})
    return s


def save_checkpoint(checkpoint_dir, step, model_data, meta_data):
    """nanochat's checkpoint_manager.save_checkpoint without the optimizer."""
    checkpoint_dir.mkdir(parents=True, exist_ok=True)
    torch.save(model_data, checkpoint_dir / f"model_{step:06d}.pt")
    (checkpoint_dir / f"meta_{step:06d}.json").write_text(json.dumps(meta_data, indent=2))


def nanochat_checkpoint(tmp_path, revision, vocab_size):
    # 2026-03: GQA (4 q heads over 2 kv heads), SSSL windows (short 128 at sequence_len 512), padded vocab
    cfg = dict(sequence_len=512, vocab_size=vocab_size, n_layer=4, n_head=4, n_kv_head=2 if revision == "2026-03" else 4,
               n_embd=64)
    padded = vocab_size
    if revision == "2026-03":
        cfg["window_pattern"] = "SSSL"
        padded = -(-vocab_size // 64) * 64
    state = random_state(cfg, revision, padded)
    compiled = {"_orig_mod." + k: v for k, v in state.items()}  # torch.compile'd training run
    save_checkpoint(tmp_path / "d4", 700, {k: v * 0 for k, v in compiled.items()}, {"step": 700, "model_config": cfg})
    save_checkpoint(tmp_path / "d4", 1400, compiled, {"step": 1400, "model_config": cfg, "val_bpb": 1.1})
    return tmp_path / "d4", state, cfg


@pytest.mark.parametrize("revision", ["2025-10", "2026-03"])
def test_converted_logits_match_nanochat(tmp_path, nanochat_tokenizer, revision):
    tok_path, ranks, specials = nanochat_tokenizer
    vocab = len(ranks) + len(specials)
    ckpt_dir, state, cfg = nanochat_checkpoint(tmp_path, revision, vocab)
    model, tok = load_model(str(ckpt_dir), tokenizer=str(tok_path))  # largest step: 1400
    idx = torch.randint(0, vocab, (2, 160), generator=torch.Generator().manual_seed(1))  # > short window 128
    with torch.no_grad():
        expected = reference_forward(state, cfg, idx, revision)
        got = model(idx).logits
    assert got.shape == expected.shape == (2, 160, vocab)
    max_dlogit = (got - expected).abs().max().item()
    print(f"nanochat {revision}: max |dlogit| {max_dlogit:.2e}")
    assert max_dlogit < 1e-4
    assert model.config.nanochat_revision == revision and len(tok) == vocab

    # left padding (how rlvr batches prompts) leaves a row's logits unchanged
    short = idx[1:, :40]
    padded = torch.cat([torch.full((1, 8), tok.pad_token_id), short], dim=1)
    mask = torch.cat([torch.zeros(1, 8, dtype=torch.long), torch.ones(1, 40, dtype=torch.long)], dim=1)
    with torch.no_grad():
        assert (model(padded, attention_mask=mask).logits[:, 8:] - model(short).logits).abs().max() < 1e-4
        # cached generation equals recomputing the whole sequence each step, and it is cached:
        # after the prompt each step feeds the model one token
        fed = []
        hook = model.model.register_forward_pre_hook(lambda m, args: fed.append(args[0].shape[1]))
        out = model.generate(padded, attention_mask=mask, max_new_tokens=6, do_sample=False)
        hook.remove()
        assert fed == [48, 1, 1, 1, 1, 1], fed
        cached_next = out[0, 48:]
        seq = short
        for _ in range(6):
            seq = torch.cat([seq, model(seq).logits[:, -1].argmax(-1, keepdim=True)], dim=1)
    assert torch.equal(cached_next, seq[0, 40:])


def test_convert_cli_writes_a_dir_auto_loads(tmp_path, nanochat_tokenizer, capsys):
    tok_path, ranks, specials = nanochat_tokenizer
    ckpt_dir, state, cfg = nanochat_checkpoint(tmp_path, "2026-03", len(ranks) + len(specials))
    out = tmp_path / "hf"
    assert convert.main([str(ckpt_dir / "model_001400.pt"), str(out), "--tokenizer", str(tok_path)]) == 0
    assert "nanochat 2026-03" in capsys.readouterr().out
    assert (out / "modeling_nanochat_rlvr.py").is_file()
    model = AutoModelForCausalLM.from_pretrained(out, trust_remote_code=True, local_files_only=True)
    idx = torch.randint(0, cfg["vocab_size"], (1, 32), generator=torch.Generator().manual_seed(2))
    with torch.no_grad():
        assert (model(idx).logits - reference_forward(state, cfg, idx, "2026-03")).abs().max() < 1e-4
    loaded, tok = load_model(str(out))  # rlvr loads it without remote code, tokenizer included
    assert type(loaded).__name__ == "NanoChatRlvrForCausalLM" and len(tok) == cfg["vocab_size"]
    loss = loaded.train()(idx, labels=idx).loss  # trainable: gradients reach every kind of weight
    loss.backward()
    assert all(p.grad is not None for p in (loaded.model.smear_lambda, loaded.model.resid_lambdas,
                                          loaded.model.value_embeds["3"].weight))


def test_tokenizer_round_trips_with_special_tokens(nanochat_tokenizer, tmp_path):
    tok_path, ranks, specials = nanochat_tokenizer
    tok = load_nanochat_tokenizer(tok_path)
    text = "<|bos|><|user_start|>" + TEXT + "<|user_end|><|assistant_start|>Déjà vu 123456 ünïcode\r\n\t x<|assistant_end|>"
    ids = tok(text, add_special_tokens=False)["input_ids"]
    assert ids == tiktoken_encode(ranks, specials, text)  # the same ids tiktoken gives
    assert tok.decode(ids) == text
    assert tok.convert_tokens_to_ids("<|assistant_end|>") == specials["<|assistant_end|>"]
    assert len(tok) == len(ranks) + len(specials)
    tok.save_pretrained(tmp_path / "hf_tok")
    again = load_tokenizer(tmp_path / "hf_tok")  # saved as an HF tokenizer: loads with no pickle
    assert again(text, add_special_tokens=False)["input_ids"] == ids and again.pad_token == "<|bos|>"
    bos = specials["<|bos|>"]
    for t in (tok, again):  # by default a prompt starts after <|bos|>, as nanochat's encode(text, prepend=bos)
        assert t(TEXT)["input_ids"] == [bos] + tiktoken_encode(ranks, specials, TEXT)


def error_of(*args, **kwargs) -> str:
    with pytest.raises(ModelLoadError) as info:
        load_model(*args, **kwargs)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_errors_name_the_file_and_keys(tmp_path, nanochat_tokenizer):
    tok_path, ranks, specials = nanochat_tokenizer
    ckpt_dir, state, cfg = nanochat_checkpoint(tmp_path, "2026-03", len(ranks) + len(specials))
    pt = ckpt_dir / "model_001400.pt"
    del state["smear_gate.weight"], state["backout_lambda"]  # a 2026-01 .. 2026-03 revision
    torch.save(state, pt)
    message = error_of(str(pt), tokenizer=str(tok_path))
    assert "model_001400.pt" in message and "'resid_lambdas'" in message and "a825e63" in message

    state = random_state(cfg, "2026-03", 320)
    state["transformer.h.9.mlp.c_fc.weight"] = state.pop("transformer.h.3.mlp.c_fc.weight")
    torch.save(state, pt)
    message = error_of(str(pt), tokenizer=str(tok_path))
    assert "missing ['transformer.h.3.mlp.c_fc.weight']" in message
    assert "unexpected ['transformer.h.9.mlp.c_fc.weight']" in message

    (ckpt_dir / "meta_001400.json").unlink()
    assert "meta_001400.json" in error_of(str(pt), tokenizer=str(tok_path))
    assert "does not exist" in error_of(str(ckpt_dir), tokenizer=str(tmp_path / "no_tokenizer.pkl"))
    (tmp_path / "bad.pkl").write_bytes(pickle.dumps({"not": "an encoding"}))
    assert "tokenizer.pkl" in error_of(str(ckpt_dir / "model_000700.pt"), tokenizer=str(tmp_path / "bad.pkl"))


def test_malformed_files_are_one_line_naming_the_file(tmp_path, nanochat_tokenizer):
    """Bad-input pass: a tokenizer.pkl with str ranks or a split regex `tokenizers` cannot compile, and a meta
    whose sequence_len is 0, each stop with one line naming the file (a traceback, or a silent 0-token context, before)."""
    tok_path, ranks, specials = nanochat_tokenizer
    ckpt_dir, _, _ = nanochat_checkpoint(tmp_path, "2026-03", len(ranks) + len(specials))
    pt = ckpt_dir / "model_001400.pt"
    for name, kwargs in [("str_ranks.pkl", dict(ranks={k.decode("latin-1"): v for k, v in ranks.items()})),
                         ("bad_regex.pkl", dict(ranks=ranks, pattern="[a-"))]:
        write_tokenizer_pkl(tmp_path / name, **kwargs)
        message = error_of(str(pt), tokenizer=str(tmp_path / name))
        assert message.startswith(f"'{tmp_path / name}'") and "\n" not in message, message
    meta = json.loads((ckpt_dir / "meta_001400.json").read_text())
    meta["model_config"]["sequence_len"] = 0
    (ckpt_dir / "meta_001400.json").write_text(json.dumps(meta))
    message = error_of(str(pt), tokenizer=str(tok_path))
    assert "meta_001400.json" in message and "'sequence_len'" in message and ">= 1" in message, message


def test_trl_grpo_trains_a_converted_model(tmp_path, nanochat_tokenizer):
    """One real GRPOTrainer step (generation with the cache, log-probs, backward) moves the weights."""
    import trl
    from datasets import Dataset

    tok_path, ranks, specials = nanochat_tokenizer
    ckpt_dir, state, cfg = nanochat_checkpoint(tmp_path, "2026-03", len(ranks) + len(specials))
    model, tok = load_model(str(ckpt_dir), tokenizer=str(tok_path))
    before = {k: v.clone() for k, v in model.state_dict().items()}
    args = trl.GRPOConfig(output_dir=str(tmp_path / "grpo"), max_steps=1, per_device_train_batch_size=4,
                          num_generations=4, max_completion_length=8, learning_rate=1e-2, use_cpu=True, bf16=False,
                          save_strategy="no", report_to="none", logging_steps=1)
    dataset = Dataset.from_list([{"prompt": "public int size() {"}, {"prompt": "while (cur != null) {"}])
    reward = lambda completions, **_: [float(len(c)) for c in completions]  # noqa: E731
    trl.GRPOTrainer(model=model, reward_funcs=reward, args=args, train_dataset=dataset, processing_class=tok).train()
    assert any(not torch.equal(before[k], v) for k, v in model.state_dict().items())


def test_sampling_prompts_start_after_bos(tmp_path, nanochat_tokenizer):
    """rlvr's sampler gives a nanochat model the <|bos|> it was trained after: its greedy tokens are generate()'s
    on [bos] + prompt."""
    from rlvr.config import SamplingConfig
    from rlvr.sampling import sample
    from rlvr.tasks import Task

    tok_path, ranks, specials = nanochat_tokenizer
    ckpt_dir, _, _ = nanochat_checkpoint(tmp_path, "2026-03", len(ranks) + len(specials))
    model, tok = load_model(str(ckpt_dir), tokenizer=str(tok_path))
    task = Task(id="size", prompt="    public int size() {", tests="")
    got = sample(model, tok, [task], SamplingConfig(temperature=0, max_new_tokens=8))[0][0].token_ids
    for prefix, same in (([specials["<|bos|>"]], True), ([], False)):
        ids = torch.tensor([prefix + tiktoken_encode(ranks, specials, task.prompt)])
        want = model.generate(ids, attention_mask=torch.ones_like(ids), max_new_tokens=8, do_sample=False)
        assert (got == want[0, ids.shape[1]:].tolist()[:len(got)]) is same, (prefix, got, want)
    assert got
