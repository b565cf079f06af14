from absl import app, flags

# Benchmark parameter grid from the defaults of --batch_sizes, --precision
PARAMS = {"batch_size": [1, 4], "precision": ["fp32"]}

FLAGS = flags.FLAGS
flags.DEFINE_list("batch_sizes", ["1", "4"], "Batch sizes to benchmark.")
flags.DEFINE_integer("iterations", 20, "Number of timed iterations.")
flags.DEFINE_integer("warmup_iterations", 3, "Number of warmup iterations.")
flags.DEFINE_enum("precision", "fp32", ["fp32", "bf16"], "Precision.")


def main(argv):
    del argv


if __name__ == "__main__":
    app.run(main)
