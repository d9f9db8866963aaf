"""nanochat's GPT as a Hugging Face model: `NanoChatRlvrForCausalLM` (model_type "nanochat_rlvr").

Self-contained (torch + transformers only) because `save_pretrained` copies this file next to a
converted model, so `AutoModelForCausalLM.from_pretrained(DIR, trust_remote_code=True)` loads it
without rlvr; rlvr itself loads such dirs with this class directly (no remote code runs).
Parameter names are nanochat's own under `model.` (`model.transformer.wte`,
`model.transformer.h.N.attn.c_q`, ..., and `lm_head`), so a nanochat state dict loads with one
prefix. The forward is nanochat's `GPT.forward` at the two revisions rlvr/nanochat.py supports,
selected by config fields rather than by code version:

- rms norm without weights (`F.rms_norm`, eps = float32 machine eps) after the embedding, before
  each block's attention and MLP, on q and k (after rotary) and before lm_head;
- rotary over (x1, x2) halves with nanochat's sign convention, base `rope_theta`; the Oct-2025 code
  rounds its cos/sin tables to bf16 (`rotary_bf16`); `qk_gain` multiplies q and k after QK-norm;
- per-layer sliding windows (`window_sizes`: key j is visible from query i when i - j <= window);
- value embeddings on `value_embed_layers`, mixed into v through `ve_gate_scale * sigmoid(ve_gate)`;
- `resid_lambdas` / `x0_lambdas` per layer, the smear of the previous token's embedding, and the
  backout of the middle layer's residual (`smear`, `backout`, `lambdas` say which are present);
- embeddings padded to a multiple of 64 rows, logits of the `vocab_size` real ids only, softcap
  `final_logit_softcapping` (15).

Left padding (rlvr pads prompts on the left) is exact: positions come from the attention mask,
padded keys are masked and the smear never reads a pad. Generation uses a DynamicCache; the
smear's previous token comes from `prev_ids`, which `prepare_inputs_for_generation` supplies.
"""
from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F
from transformers import PretrainedConfig, PreTrainedModel
from transformers.cache_utils import DynamicCache
from transformers.generation import GenerationMixin
from transformers.modeling_layers import GradientCheckpointingLayer
from transformers.modeling_outputs import BaseModelOutputWithPast, CausalLMOutputWithPast

VE_GATE_CHANNELS = 12  # nanochat: the value-embedding gate reads the first 12 channels of x
SMEAR_CHANNELS = 24  # nanochat: the smear gate reads the first 24 channels of the embedding


class NanoChatRlvrConfig(PretrainedConfig):
    model_type = "nanochat_rlvr"

    def __init__(self, vocab_size=32768, padded_vocab_size=None, hidden_size=768, num_hidden_layers=12,
                 num_attention_heads=6, num_key_value_heads=None, max_position_embeddings=2048,
                 rope_theta=100000.0, rotary_bf16=False, qk_gain=1.0, window_sizes=None,
                 value_embed_layers=(), ve_gate_scale=3.0, lambdas=False, smear=False, backout=False,
                 final_logit_softcapping=15.0, nanochat_revision="", bos_token_id=None, eos_token_id=None,
                 pad_token_id=None, **kwargs):
        self.vocab_size = vocab_size
        self.padded_vocab_size = padded_vocab_size or vocab_size
        self.hidden_size = hidden_size
        self.num_hidden_layers = num_hidden_layers
        self.num_attention_heads = num_attention_heads
        self.num_key_value_heads = num_key_value_heads or num_attention_heads
        self.max_position_embeddings = max_position_embeddings
        self.rope_theta = rope_theta
        self.rotary_bf16 = rotary_bf16
        self.qk_gain = qk_gain
        self.window_sizes = list(window_sizes) if window_sizes is not None else [-1] * num_hidden_layers
        self.value_embed_layers = list(value_embed_layers)
        self.ve_gate_scale = ve_gate_scale
        self.lambdas = lambdas
        self.smear = smear
        self.backout = backout
        self.final_logit_softcapping = final_logit_softcapping  # the name TRL's fused log-prob head reads
        self.nanochat_revision = nanochat_revision
        self.bos_token_id, self.eos_token_id, self.pad_token_id = bos_token_id, eos_token_id, pad_token_id
        kwargs.setdefault("tie_word_embeddings", False)
        super().__init__(**kwargs)


def norm(x):
    return F.rms_norm(x, (x.size(-1),))  # nanochat: no weight, eps=None (machine eps)


def rotary(x, cos, sin):
    """nanochat's apply_rotary_emb: x (B, T, H, D), cos/sin (B, T, 1, D/2)."""
    d = x.shape[3] // 2
    x1, x2 = x[..., :d], x[..., d:]
    return torch.cat([x1 * cos + x2 * sin, x1 * (-sin) + x2 * cos], 3).to(x.dtype)


class Attention(nn.Module):
    def __init__(self, config, layer_idx):
        super().__init__()
        self.layer_idx = layer_idx
        self.n_head, self.n_kv_head = config.num_attention_heads, config.num_key_value_heads
        self.head_dim = config.hidden_size // self.n_head
        self.qk_gain = config.qk_gain
        self.ve_gate_scale = config.ve_gate_scale
        C = config.hidden_size
        self.c_q = nn.Linear(C, self.n_head * self.head_dim, bias=False)
        self.c_k = nn.Linear(C, self.n_kv_head * self.head_dim, bias=False)
        self.c_v = nn.Linear(C, self.n_kv_head * self.head_dim, bias=False)
        self.c_proj = nn.Linear(C, C, bias=False)
        has_ve = layer_idx in config.value_embed_layers
        self.ve_gate = nn.Linear(VE_GATE_CHANNELS, self.n_kv_head, bias=False) if has_ve else None

    def forward(self, x, ve, cos, sin, mask, cache):
        B, T, _ = x.shape
        q = self.c_q(x).view(B, T, self.n_head, self.head_dim)
        k = self.c_k(x).view(B, T, self.n_kv_head, self.head_dim)
        v = self.c_v(x).view(B, T, self.n_kv_head, self.head_dim)
        if ve is not None:
            gate = self.ve_gate_scale * torch.sigmoid(self.ve_gate(x[..., :VE_GATE_CHANNELS]))
            v = v + gate.unsqueeze(-1) * ve.view(B, T, self.n_kv_head, self.head_dim)
        q, k = norm(rotary(q, cos, sin)), norm(rotary(k, cos, sin))
        if self.qk_gain != 1.0:
            q, k = q * self.qk_gain, k * self.qk_gain
        q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)
        if cache is not None:
            k, v = cache.update(k, v, self.layer_idx)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, enable_gqa=self.n_head != self.n_kv_head)
        return self.c_proj(y.transpose(1, 2).contiguous().view(B, T, -1))


class MLP(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.c_fc = nn.Linear(config.hidden_size, 4 * config.hidden_size, bias=False)
        self.c_proj = nn.Linear(4 * config.hidden_size, config.hidden_size, bias=False)

    def forward(self, x):
        return self.c_proj(F.relu(self.c_fc(x)).square())


class Block(GradientCheckpointingLayer):
    def __init__(self, config, layer_idx):
        super().__init__()
        self.attn = Attention(config, layer_idx)
        self.mlp = MLP(config)

    def forward(self, x, ve, cos, sin, mask, cache):
        x = x + self.attn(norm(x), ve, cos, sin, mask, cache)
        return x + self.mlp(norm(x))


class NanoChatRlvrPreTrainedModel(PreTrainedModel):
    config_class = NanoChatRlvrConfig
    base_model_prefix = "model"
    supports_gradient_checkpointing = True
    _supports_sdpa = True
    _no_split_modules = ["Block"]

    def _init_weights(self, module):
        # converted models overwrite every weight; this only matters for a model built from scratch
        if isinstance(module, nn.Linear):
            nn.init.normal_(module.weight, std=module.weight.shape[1] ** -0.5)
        elif isinstance(module, nn.Embedding):
            nn.init.normal_(module.weight, std=1.0)


class NanoChatRlvrModel(NanoChatRlvrPreTrainedModel):
    """Everything but lm_head, under nanochat's parameter names; returns the final normed hidden
    state (TRL's fused log-prob head projects it through lm_head itself)."""

    def __init__(self, config):
        super().__init__(config)
        C, L, V = config.hidden_size, config.num_hidden_layers, config.padded_vocab_size
        kv_dim = config.num_key_value_heads * (C // config.num_attention_heads)
        self.transformer = nn.ModuleDict({"wte": nn.Embedding(V, C),
                                          "h": nn.ModuleList([Block(config, i) for i in range(L)])})
        if config.lambdas:
            self.resid_lambdas = nn.Parameter(torch.ones(L))
            self.x0_lambdas = nn.Parameter(torch.zeros(L))
        if config.smear:
            self.smear_gate = nn.Linear(SMEAR_CHANNELS, 1, bias=False)
            self.smear_lambda = nn.Parameter(torch.zeros(1))
        if config.backout:
            self.backout_lambda = nn.Parameter(0.2 * torch.ones(1))
        self.value_embeds = nn.ModuleDict({str(i): nn.Embedding(V, kv_dim) for i in config.value_embed_layers})
        self.post_init()

    def get_input_embeddings(self):  # transformers' default finds no `embed_tokens`; the LM delegates here
        return self.transformer.wte

    def set_input_embeddings(self, value):
        self.transformer.wte = value

    def _rotary(self, positions, dtype):
        """cos/sin (B, T, 1, D/2) at `positions`, computed as nanochat's table rows are."""
        head_dim = self.config.hidden_size // self.config.num_attention_heads
        channels = torch.arange(0, head_dim, 2, dtype=torch.float32, device=positions.device)
        inv_freq = 1.0 / (self.config.rope_theta ** (channels / head_dim))
        freqs = positions.float()[..., None] * inv_freq
        cos, sin = freqs.cos(), freqs.sin()
        if self.config.rotary_bf16:
            cos, sin = cos.bfloat16(), sin.bfloat16()
        return cos[:, :, None, :].to(dtype), sin[:, :, None, :].to(dtype)

    def _smear(self, x, prev_x, prev_real):
        """x[t] += smear_lambda * sigmoid(smear_gate(x[t])) * x[t-1], only where t-1 is a real token."""
        gate = self.smear_lambda.to(x.dtype) * torch.sigmoid(self.smear_gate(x[..., :SMEAR_CHANNELS]))
        return x + gate * prev_x * prev_real[..., None].to(x.dtype)

    def forward(self, input_ids=None, attention_mask=None, cache=None, use_cache=None, prev_ids=None, **kwargs):
        B, T = input_ids.shape
        if use_cache and cache is None:
            cache = DynamicCache()
        past = cache.get_seq_length() if cache is not None else 0
        Tk = past + T
        key_real = (attention_mask[:, -Tk:].bool() if attention_mask is not None
                    else torch.ones(B, Tk, dtype=torch.bool, device=input_ids.device))
        positions = (key_real.long().cumsum(-1) - 1).clamp(min=0)[:, past:]
        x = norm(self.transformer.wte(input_ids))
        if self.config.smear:  # the first token's previous token is prev_ids (from the cache), if any
            x_first = x[:, :1]
            if prev_ids is not None:
                x_first = self._smear(x_first, norm(self.transformer.wte(prev_ids)), key_real[:, past - 1:past])
            x = torch.cat([x_first, self._smear(x[:, 1:], x[:, :-1], key_real[:, past:-1])], dim=1)
        cos, sin = self._rotary(positions, x.dtype)
        rows = torch.arange(past, Tk, device=x.device)[:, None]
        cols = torch.arange(Tk, device=x.device)[None, :]
        visible = (cols <= rows)[None] & key_real[:, None, :]
        diagonal = (cols == rows)[None]  # a padded query sees itself: no all-masked row (NaN)
        x0, x_backout = x, None
        for i, block in enumerate(self.transformer.h):
            if self.config.lambdas:
                x = self.resid_lambdas[i] * x + self.x0_lambdas[i] * x0
            window = self.config.window_sizes[i]
            mask = visible & ((rows - cols) <= window)[None] if 0 <= window < Tk else visible
            ve = self.value_embeds[str(i)](input_ids).to(x.dtype) if str(i) in self.value_embeds else None
            x = block(x, ve, cos, sin, (mask | diagonal)[:, None], cache)
            if i == self.config.num_hidden_layers // 2:
                x_backout = x
        if self.config.backout:
            x = x - self.backout_lambda.to(x.dtype) * x_backout
        return BaseModelOutputWithPast(last_hidden_state=norm(x), cache=cache)


class NanoChatRlvrForCausalLM(NanoChatRlvrPreTrainedModel, GenerationMixin):
    """lm_head holds only the real vocab's rows: nanochat slices its padded logits to vocab_size,
    so the padding rows never influence an output and are dropped at conversion."""

    def __init__(self, config):
        super().__init__(config)
        self.model = NanoChatRlvrModel(config)
        self.lm_head = nn.Linear(config.hidden_size, config.vocab_size, bias=False)
        self.post_init()

    def forward(self, input_ids=None, attention_mask=None, cache=None, use_cache=None,
                labels=None, logits_to_keep=0, prev_ids=None, **kwargs):
        out = self.model(input_ids, attention_mask, cache, use_cache, prev_ids)
        x = out.last_hidden_state
        if logits_to_keep:
            x = x[:, -logits_to_keep:]
        logits = self.lm_head(x).float()
        cap = self.config.final_logit_softcapping
        logits = cap * torch.tanh(logits / cap)
        loss = None
        if labels is not None:
            loss = F.cross_entropy(logits[:, :-1].reshape(-1, logits.size(-1)), labels[:, 1:].reshape(-1),
                                   ignore_index=-100)
        return CausalLMOutputWithPast(loss=loss, logits=logits, cache=out.cache)

    def prepare_inputs_for_generation(self, input_ids, cache=None, attention_mask=None, use_cache=True, **kwargs):
        # transformers 5.24 names the KV cache `cache`; under the old name it never reached the
        # model and every decode step recomputed the whole sequence
        past = cache.get_seq_length() if cache is not None else 0
        return {"input_ids": input_ids[:, past:], "attention_mask": attention_mask, "cache": cache,
                "use_cache": use_cache, "prev_ids": input_ids[:, past - 1:past] if past else None}


NanoChatRlvrConfig.register_for_auto_class()
NanoChatRlvrForCausalLM.register_for_auto_class("AutoModelForCausalLM")
