"""Which top-level names are the standard library and which are well-known or installed packages.

Known without importing anything: ``sys.stdlib_module_names`` (plus modules removed from recent
Pythons that legacy code still imports), a curated list of packages benchmark code uses, and the
top-level names of installed distributions from their metadata.
"""

from __future__ import annotations

import functools
import sys

__all__ = ["KNOWN_EXTERNAL", "installed_top_levels", "is_stdlib"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Standard-library modules removed from recent Pythons that legacy code still imports.
_REMOVED_STDLIB = _words(
    "distutils imp asynchat asyncore smtpd aifc audioop cgi cgitb chunk crypt imghdr mailcap "
    "msilib nis nntplib ossaudiodev pipes sndhdr spwd sunau telnetlib uu xdrlib lib2to3"
)
KNOWN_EXTERNAL = _words(
    """
    torch torchvision torchaudio torchtext torch_xla triton xformers deepspeed apex fairscale
    transformers datasets tokenizers accelerate diffusers peft optimum safetensors
    huggingface_hub sentence_transformers timm onnx onnxruntime openvino tensorrt pycuda cupy
    numba jax jaxlib flax optax haiku tensorflow tf_keras keras tflite_runtime mlx
    numpy scipy pandas polars pyarrow sklearn matplotlib seaborn plotly bokeh PIL cv2 skimage
    tqdm rich click typer absl yaml toml tomli requests httpx aiohttp websockets fastapi flask
    uvicorn pydantic jinja2 psutil GPUtil pynvml py3nvml nvidia_smi duckdb sqlalchemy
    pymongo redis boto3 botocore google grpc protobuf pytest hypothesis unittest2 mock
    anyio trio gevent ray dask joblib multiprocess cloudpickle dill networkx sympy tabulate
    termcolor colorama coloredlogs loguru wandb mlflow tensorboard tensorboardX neptune
    libcst black isort ruff mypy setuptools pkg_resources wheel packaging attr attrs
    selenium playwright pyppeteer ipfshttpclient ipfs_kit_py multiformats cid libp2p
    openai anthropic tiktoken sentencepiece einops bitsandbytes auto_gptq awq vllm llama_cpp
    ctransformers nltk spacy gensim librosa soundfile sounddevice av decord imageio
    """
)


def is_stdlib(top_level: str) -> bool:
    """Whether a top-level module name belongs to Python's standard library."""
    return (
        top_level in sys.stdlib_module_names
        or top_level in sys.builtin_module_names
        or top_level in _REMOVED_STDLIB
        or top_level == "__future__"
    )


@functools.cache
def installed_top_levels() -> frozenset[str]:
    """Top-level names of installed distributions, from their metadata (nothing is imported)."""
    import importlib.metadata  # here: worker processes, which never call this, skip its imports

    try:
        return frozenset(importlib.metadata.packages_distributions())
    except Exception:  # broken metadata of some installed distribution: just know less
        return frozenset()
