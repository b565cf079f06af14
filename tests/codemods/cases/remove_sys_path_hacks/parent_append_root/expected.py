#!/usr/bin/env python3
"""Query stored results."""
import sys
import argparse
from common.hardware import describe


def main():
    parser = argparse.ArgumentParser()
    parser.parse_args()
    print(describe(), sys.argv)


if __name__ == "__main__":
    main()
