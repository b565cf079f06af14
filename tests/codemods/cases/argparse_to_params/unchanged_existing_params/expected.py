import argparse

PARAMS = {"batch_size": [1, 2]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch-sizes", default="1,2")
    parser.parse_args()
