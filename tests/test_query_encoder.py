"""The query encoder's fast path (one text, no padding, its own session) must give the batch path's vector."""
from __future__ import annotations

import os

import numpy as np
import pytest

from search.encoder import MAX_TOKENS, load_encoder, runnable_threads

QUERIES = ["early warning of atrocity crimes", "R2P", "Qu'est-ce que la responsabilité de protéger ?",
           "the " * (MAX_TOKENS + 50)]  # longer than the model reads: both paths truncate it alike


@pytest.mark.parametrize("query", QUERIES, ids=["question", "short", "french", "over-long"])
def test_a_query_encoded_alone_is_the_vector_the_batch_path_gives(query):
    encoder = load_encoder("bge-small-en-v1.5")
    # A batch of one: int8 activations are scaled per batch, so padding beside other texts moves a vector slightly.
    batch = encoder.encode([encoder.spec.query_prefix + query])[0]
    alone = encoder.encode_query(query)
    assert alone.dtype == np.float32 and alone.shape == batch.shape
    assert np.allclose(alone, batch, atol=1e-5)
    assert abs(float(np.linalg.norm(alone)) - 1.0) < 1e-5


def test_under_load_a_query_runs_on_one_thread_and_alone_on_every_core(monkeypatch):
    """Two threads only pay when the other core is idle; either way the vector is the same, bit for bit,
    so that a search repeats its answer whatever the load."""
    encoder = load_encoder("bge-small-en-v1.5")
    if encoder.lone_query_session is None:
        pytest.skip("one core: there is no idle core to lend a query")
    monkeypatch.setattr("search.encoder.runnable_threads", lambda: 3)
    assert encoder.query_session_now() is encoder.query_session
    assert encoder.query_session.get_session_options().intra_op_num_threads == 1
    loaded = encoder.encode_query(QUERIES[0])
    monkeypatch.setattr("search.encoder.runnable_threads", lambda: 1)
    assert encoder.query_session_now() is encoder.lone_query_session
    assert encoder.lone_query_session.get_session_options().intra_op_num_threads == len(os.sched_getaffinity(0))
    assert np.array_equal(encoder.encode_query(QUERIES[0]), loaded)
    monkeypatch.setattr("search.encoder.runnable_threads", lambda: None)  # no /proc/loadavg: the safe choice
    assert encoder.query_session_now() is encoder.query_session


def test_the_kernel_counts_this_thread_as_runnable():
    assert runnable_threads() >= 1
