"""The query encoder's fast path (one text, no padding, a one-thread session) must give the batch path's vector."""
from __future__ import annotations

import numpy as np
import pytest

from search.encoder import MAX_TOKENS, load_encoder

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


def test_queries_run_on_a_session_of_one_thread():
    encoder = load_encoder("bge-small-en-v1.5")
    assert encoder.query_session.get_session_options().intra_op_num_threads == 1
