#!/usr/bin/env python3
"""Query stored results."""
import sys
import argparse
from pathlib import Path

sys.path.append(str(Path(__file__).parent.parent))
from common.hardware import describe


def main():
    parser = argparse.ArgumentParser()
    parser.parse_args()
    print(describe(), sys.argv)


if __name__ == "__main__":
    main()
