import argparse

KERNELS = {"relu": None, "gelu": None}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kernels", default=",".join(KERNELS))
    parser.add_argument("--output", default=None)
    parser.parse_args()
