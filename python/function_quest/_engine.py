"""The engine process: `node dist-lib/cli/fq.js serve`, spoken to in binary frames over its stdin and stdout.

The protocol is described in `src/cli/serve.ts`. Every request waits for its reply with a timeout, so a
stuck or dead engine raises an exception that names the cause and the engine's last lines on stderr; it
never hangs. Closing an engine (or losing the last reference to it) ends the process.
"""

from __future__ import annotations

import collections
import contextlib
import json
import os
import select
import shutil
import struct
import subprocess
import threading
import weakref
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["Engine", "EngineCrashedError", "EngineError", "cli_path", "describe"]

_HEAD = struct.Struct("<IB")
_ONE = struct.Struct("<IBiBIH")  # a frame header and one slot's step request
_ONE_REPLY = struct.Struct("<ddBBBB")


class EngineError(RuntimeError):
    """The engine refused a request (its message says why)."""


class EngineCrashedError(EngineError):
    """The engine process died or stopped answering."""


def cli_path() -> Path:
    """Where the engine's CLI is: `$FUNCTION_QUEST_CLI`, else this repository's `dist-lib/cli/fq.js`."""
    env = os.environ.get("FUNCTION_QUEST_CLI")
    path = Path(env) if env else Path(__file__).resolve().parents[2] / "dist-lib" / "cli" / "fq.js"
    if not path.is_file():
        raise EngineError(
            f"the Function Quest engine is not at {path}: run `npm ci` in the repository (it builds "
            "dist-lib), "
            "or set FUNCTION_QUEST_CLI to the path of dist-lib/cli/fq.js"
        )
    return path


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        try:
            if proc.stdin:
                proc.stdin.write(_HEAD.pack(1, ord("Q")))
                proc.stdin.flush()
            proc.wait(timeout=2)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()
    for f in (proc.stdin, proc.stdout, proc.stderr):
        if f:
            f.close()


def _drain(pipe: Any, into: collections.deque[str]) -> None:
    try:
        for line in pipe:
            into.append(line.decode("utf-8", "replace").rstrip())
    except (OSError, ValueError):
        pass  # the pipe was closed with the engine


class Engine:
    """One engine process serving a batch of `slots`, each holding one env at a time."""

    def __init__(self, timeout: float = 60.0) -> None:
        node = shutil.which("node")
        if node is None:
            raise EngineError("Node.js is not on PATH: the Function Quest engine runs in Node (20.19 or later)")
        self.timeout = timeout
        self._proc = subprocess.Popen(
            [node, str(cli_path()), "serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            bufsize=0,
        )
        self._stderr: collections.deque[str] = collections.deque(maxlen=20)
        # The reader holds only the pipe and the buffer, never the engine, so dropping the engine ends it.
        threading.Thread(target=_drain, args=(self._proc.stderr, self._stderr), daemon=True).start()
        self._finalizer = weakref.finalize(self, _stop, self._proc)
        self.obs_width = 0
        self.mask_width = 0
        self.slots = 0
        self._buf = bytearray()

    @property
    def pid(self) -> int:
        return self._proc.pid

    def _crashed(self, what: str) -> EngineCrashedError:
        code = self._proc.poll()
        tail = "\n".join(self._stderr) or "(nothing on stderr)"
        state = f"exited with code {code}" if code is not None else "is still running but did not answer"
        return EngineCrashedError(
            f"the engine process (pid {self._proc.pid}) {state} {what}. Its last stderr lines:\n{tail}"
        )

    def _read(self, n: int) -> bytes:
        """Exactly `n` bytes of the reply stream. Reads what the pipe has (a whole small reply, usually, in
        one system call) into a buffer, and waits at most `timeout` seconds for each piece."""
        assert self._proc.stdout is not None
        buf = self._buf
        while len(buf) < n:
            fd = self._proc.stdout.fileno()
            ready, _, _ = select.select([fd], [], [], self.timeout)
            if not ready:
                raise self._crashed(f"within {self.timeout:g} s")
            chunk = os.read(fd, max(n - len(buf), 1 << 16))
            if not chunk:
                # A closed pipe: give the process a moment to exit so its code and last words are known.
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self._proc.wait(timeout=1)
                raise self._crashed("while a reply was expected")
            buf += chunk
        out = bytes(buf[:n])
        del buf[:n]
        return out

    def request(self, op: str, payload: bytes = b"") -> bytes:
        """Sends one request and returns its reply's payload; raises EngineError on a refusal."""
        if not self._finalizer.alive:
            raise EngineError("this engine was closed")
        assert self._proc.stdin is not None
        try:
            self._proc.stdin.write(_HEAD.pack(len(payload) + 1, ord(op)) + payload)
        except (BrokenPipeError, OSError) as e:
            raise self._crashed("before a request could be sent") from e
        n, status = _HEAD.unpack(self._read(_HEAD.size))
        body = self._read(n - 1)
        if status == ord("e"):
            raise EngineError(body.decode("utf-8", "replace"))
        return body

    def request_json(self, op: str, payload: Any = None) -> Any:
        return json.loads(self.request(op, b"" if payload is None else json.dumps(payload).encode()))

    def make(self, slots: int, obs_width: int, mask_width: int, events: bool = False) -> None:
        self.request_json("M", {"slots": slots, "obsWidth": obs_width, "maskWidth": mask_width, "events": events})
        self.slots, self.obs_width, self.mask_width = slots, obs_width, mask_width

    def step(
        self, actions: np.ndarray, modes: np.ndarray, seeds: np.ndarray, levels: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """One batch step: per slot an action, a mode (0 step, 1 reset, 2 leave), a seed and a level index.

        Returns rewards, scores, terminated, truncated, tiers, rejected, observations (float32) and masks.
        """
        n = self.slots
        packed = np.zeros(n, dtype=np.dtype([("a", "<i4"), ("m", "u1"), ("s", "<u4"), ("l", "<u2")], align=False))
        packed["a"], packed["m"], packed["s"], packed["l"] = actions, modes, seeds, levels
        out = self.request("S", packed.tobytes())
        head = np.frombuffer(
            out,
            dtype=np.dtype([("r", "<f8"), ("sc", "<f8"), ("te", "u1"), ("tr", "u1"), ("ti", "u1"), ("rj", "u1")]),
            count=n,
        )
        at = n * 20
        obs = np.frombuffer(out, dtype="<f4", count=n * self.obs_width, offset=at).reshape(n, self.obs_width)
        masks = np.frombuffer(out, dtype="u1", count=n * self.mask_width, offset=at + 4 * n * self.obs_width)
        return (
            head["r"].copy(),
            head["sc"].copy(),
            head["te"].astype(bool),
            head["tr"].astype(bool),
            head["ti"].copy(),
            head["rj"].astype(bool),
            obs.copy(),
            masks.reshape(n, self.mask_width).astype(np.int8),
        )

    def step_one(
        self, action: int, mode: int, seed: int, level: int
    ) -> tuple[float, float, bool, bool, int, bool, np.ndarray, np.ndarray]:
        """`step` for a batch of one slot, without numpy packing (the single env's hot path)."""
        if not self._finalizer.alive:
            raise EngineError("this engine was closed")
        assert self._proc.stdin is not None
        try:
            self._proc.stdin.write(_ONE.pack(12, ord("S"), action, mode, seed, level))
        except (BrokenPipeError, OSError) as e:
            raise self._crashed("before a request could be sent") from e
        n, status = _HEAD.unpack(self._read(_HEAD.size))
        # A bytearray, so the arrays viewing it are writable (torch and others warn on read-only ones).
        body = bytearray(self._read(n - 1))
        if status == ord("e"):
            raise EngineError(body.decode("utf-8", "replace"))
        r, sc, te, tr, ti, rj = _ONE_REPLY.unpack_from(body)
        obs = np.frombuffer(body, dtype="<f4", count=self.obs_width, offset=20)
        mask = np.frombuffer(body, dtype=np.int8, count=self.mask_width, offset=20 + 4 * self.obs_width)
        return r, sc, bool(te), bool(tr), ti, bool(rj), obs, mask

    def text(self, slot: int) -> str:
        return self.request("T", struct.pack("<I", slot)).decode("utf-8")

    def greedy(self, slot: int) -> int:
        """The engine's greedy choice in a slot's current state (-1 when no action is legal)."""
        return struct.unpack("<i", self.request("G", struct.pack("<I", slot)))[0]

    def solve(self, level: str, seed: int) -> dict[str, Any]:
        return self.request_json("O", {"level": level, "seed": seed})

    def generate(self, count: int, seed: int, tiers: list[int], band: str = "none") -> dict[str, Any]:
        """Has the engine generate `count` levels (its `fq generate`) and add them to what it plays.

        Returns `{"first": index of the first, "levels": [their descriptions, as describe() gives]}`.
        """
        return self.request_json("N", {"count": count, "seed": seed, "tiers": tiers, "band": band})

    def close(self) -> None:
        self._finalizer()

    @property
    def closed(self) -> bool:
        return not self._finalizer.alive


@cache
def describe() -> dict[str, Any]:
    """The engine's description of every level (ids, titles, tiers, action labels, observation names)."""
    engine = Engine()
    try:
        return engine.request_json("D")
    finally:
        engine.close()
