"""Hardware detection helper for the benchmark scripts."""
import os

try:
    import torch
    HAS_TORCH = True
except ImportError:
    HAS_TORCH = False


def detect_hardware():
    """Return a dict of the hardware platforms available on this machine."""
    hardware = {"cpu": True, "cuda": False, "mps": False, "rocm": False}
    if HAS_TORCH:
        if torch.cuda.is_available():
            hardware["rocm" if torch.version.hip else "cuda"] = True
        if hasattr(torch.backends, "mps") and torch.backends.mps.is_available():
            hardware["mps"] = True
    if os.environ.get("FORCE_CPU") == "1":
        hardware = {name: name == "cpu" for name in hardware}
    return hardware


def get_device():
    hw = detect_hardware()
    if hw["cuda"] or hw["rocm"]:
        return "cuda"
    if hw["mps"]:
        return "mps"
    return "cpu"
