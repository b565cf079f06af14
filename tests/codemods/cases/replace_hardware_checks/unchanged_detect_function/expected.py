import os


def detect_hardware():
    available = ["cpu"]
    try:
        import torch
        if torch.cuda.is_available():
            available.append("cuda")
    except ImportError:
        pass
    if os.environ.get("WEBNN_AVAILABLE") == "1":
        available.append("webnn")
    return available


print(detect_hardware())
