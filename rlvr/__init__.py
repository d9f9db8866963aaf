"""rlvr: fine-tune small code models with reinforcement learning from verifiable rewards."""
import os

# The same digits on every x86 machine: MKL and ATen otherwise pick AVX-512 kernels where the CPU has
# them, and those sum in another order. Pretraining the tiny default gave val loss 0.1304 on an AVX2
# machine and 0.131 on the machine before it. Pinned to AVX2 (what every x86 server of the last decade
# has), a run reproduces bit for bit; on an AVX2 machine the pins change nothing (measured). They are
# read at the first kernel call, so importing rlvr anywhere before training is enough; set any of
# them yourself to override. Only where the CPU has AVX2: torch trusts the variable, and AVX2 kernels
# on a CPU without them would crash.


def _cpu_has_avx2() -> bool:
    try:
        with open("/proc/cpuinfo") as f:
            return " avx2" in f.read()
    except OSError:  # not Linux: no pins
        return False


if _cpu_has_avx2():
    for key, value in (("ATEN_CPU_CAPABILITY", "avx2"), ("MKL_CBWR", "AVX2"), ("ONEDNN_MAX_CPU_ISA", "AVX2")):
        os.environ.setdefault(key, value)

# OpenMP threads spin while they wait for work. With torch at 2 threads on 2 cores and one core busy
# elsewhere, sampling took 35.2 s against 13.9 s at 1 thread; waiting passively, 15.2 s, and idle the
# same 11.7 s as spinning. libgomp reads this when torch loads, so rlvr is imported before torch.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
