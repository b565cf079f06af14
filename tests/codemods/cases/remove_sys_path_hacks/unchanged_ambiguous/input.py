import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

try:
    import hardware_detection
except ImportError:
    hardware_detection = None

print(hardware_detection)
