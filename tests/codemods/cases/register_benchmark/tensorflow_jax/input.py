"""Dense network latency in TensorFlow and JAX (left for a person to migrate)."""
import time

import jax
import jax.numpy as jnp
import tensorflow as tf


def benchmark_tensorflow(batch_size=16, iterations=20):
    model = tf.keras.Sequential([tf.keras.layers.Dense(64, activation="relu")])
    x = tf.random.normal((batch_size, 128))
    model(x)
    start = time.time()
    for _ in range(iterations):
        model(x)
    return (time.time() - start) / iterations


def benchmark_jax(batch_size=16, iterations=20):
    w = jnp.ones((128, 64))
    forward = jax.jit(lambda x: jax.nn.relu(x @ w))
    x = jnp.ones((batch_size, 128))
    forward(x).block_until_ready()
    start = time.time()
    for _ in range(iterations):
        forward(x).block_until_ready()
    return (time.time() - start) / iterations
