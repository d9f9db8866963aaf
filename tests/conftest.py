"""Shared test setup: offline, one torch thread, repo root on sys.path."""
import os

os.environ["HF_HUB_OFFLINE"] = "1"  # a stray hub download fails loudly instead of hanging CI
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
