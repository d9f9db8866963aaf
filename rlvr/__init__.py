"""rlvr: fine-tune small code models with reinforcement learning from verifiable rewards."""
