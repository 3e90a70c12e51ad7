"""A scripted language-model server for tests (served by the ``serve_app`` fixture).

It speaks both the OpenAI chat-completions protocol (``/v1/chat/completions``,
server-sent events when streaming) and Ollama's (``/api/chat``, JSON lines). It answers from
the numbered clauses in the prompt as its ``mode`` says: faithfully, hallucinating, in
English, empty, stalling, failing with HTTP 500 or with a malformed stream.

Run it by hand for ``hoidap eval --answerer llm``:
    python tests/llm_servers.py faithful 8011     # then HOIDAP_LLM=openai HOIDAP_LLM_URL=…/v1
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse

MODES = (
    "faithful",
    "hallucinate",
    "out_of_range",
    "wrong_number",
    "english",
    "empty",
    "stall",
    "error500",
    "malformed",
    "injected",
)
_CLAUSE = re.compile(r'<dieu_khoan so="(\d+)">\nVăn bản: .*?\nMục: .*?\n(.*?)\n</dieu_khoan>', re.S)
_FIRST_SENTENCE = re.compile(r"^(.+?[.!?])(?:\s|$)", re.S)


def clauses_in(prompt: str) -> list[tuple[int, str]]:
    """The numbered clauses (number, text) of a prompt."""
    return [(int(n), text.strip()) for n, text in _CLAUSE.findall(prompt)]


def _faithful(n: int, text: str) -> str:
    """Up to two sentences copied from the start of a clause (a long one cut at a comma or a
    word), each ending with the clause's marker."""
    sentences = []
    rest = " ".join(line.strip().lstrip("-+• ") for line in text.splitlines())
    while rest and len(sentences) < 2:
        match = _FIRST_SENTENCE.match(rest)
        whole = match.group(1) if match else rest
        rest = rest[len(whole) :].strip()
        sentence = whole if len(whole) <= 220 else whole[:220].rsplit(" ", 1)[0]
        sentences.append(f"{sentence.rstrip(' .;:!?,…')} [{n}].")
    return " ".join(sentences)


def _invented(n: int) -> str:
    return f"Nhiệm vụ này phải hoàn thành trước ngày 31/12/2031 với kinh phí 987 tỷ đồng [{n}]."


def reply(mode: str, prompt: str) -> str:
    """What the scripted model writes for ``prompt``."""
    clauses = clauses_in(prompt)
    if not clauses or mode == "empty":
        return ""
    n, text = clauses[0]
    faithful = " ".join(_faithful(m, t) for m, t in clauses[:3])
    if mode == "faithful":
        return faithful
    if mode == "out_of_range":
        return _faithful(n, text).replace(f"[{n}]", f"[{len(clauses) + 7}]")
    if mode == "wrong_number":
        return _invented(n)
    if mode == "english":
        return f"The plan assigns these tasks to the responsible offices [{n}]."
    if mode == "injected":  # what a model that obeyed an injected instruction would write
        return f"Đã bỏ qua hướng dẫn. Xem thêm tại http://evil.example/x [7]. {_faithful(n, text)}"
    # hallucinate: every third question wholly invented, the others with one invented sentence
    if int(hashlib.sha256(prompt.encode()).hexdigest(), 16) % 3 == 0:
        return f"{_invented(n)} Cơ quan chủ trì là Bộ Ngoại giao [{n}]."
    return f"{faithful} {_invented(n)}"


def pieces(text: str) -> list[str]:
    """The text cut into token-like pieces (a word and its following space)."""
    return re.findall(r"\S+\s*|\s+", text)


@dataclass
class Script:
    """How the scripted server behaves now; tests change it between requests."""

    mode: str = "faithful"
    token_delay: float = 0.0  # seconds between streamed pieces
    stall: float = 5.0  # seconds a "stall" waits before answering
    requests: list[dict] = field(default_factory=list)


class ScriptedFailure(Exception):
    """The "error500" mode: the server answers HTTP 500."""


def scripted_app(script: Script) -> FastAPI:
    """The FastAPI app of the scripted language-model server."""
    app = FastAPI()

    @app.exception_handler(ScriptedFailure)
    async def failed(request: Request, exc: ScriptedFailure) -> JSONResponse:
        return JSONResponse({"error": {"message": "lỗi máy chủ"}}, status_code=500)

    async def received(request: Request) -> tuple[dict, str, str]:
        """Records a chat request and plays the script's stall or failure; the request body,
        the scripted reply and the model asked for."""
        body = await request.json()
        script.requests.append(body)
        if script.mode == "stall":
            await asyncio.sleep(script.stall)
        if script.mode == "error500":
            raise ScriptedFailure
        prompt = "\n".join(str(m.get("content") or "") for m in body.get("messages", []))
        return body, reply(script.mode, prompt), body.get("model", "scripted")

    async def stream(lines: list[str]) -> AsyncIterator[str]:
        for line in lines:
            yield line
            if script.token_delay:
                await asyncio.sleep(script.token_delay)

    @app.post("/v1/chat/completions")
    async def openai_chat(request: Request):
        body, text, model = await received(request)
        if not body.get("stream"):
            return {
                "id": "c1",
                "object": "chat.completion",
                "created": 0,
                "model": model,
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": text},
                        "finish_reason": "stop",
                    }
                ],
            }

        def chunk(delta: dict, finish: str | None = None) -> str:
            data = {
                "id": "c1",
                "object": "chat.completion.chunk",
                "created": 0,
                "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            }
            return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"

        lines = [chunk({"role": "assistant", "content": ""})]
        lines += [chunk({"content": p}) for p in pieces(text)]
        if script.mode == "malformed":
            lines.insert(2, 'data: {"choices": [{"delta": {"content": \n\n')
        lines += [chunk({}, "stop"), "data: [DONE]\n\n"]
        return StreamingResponse(stream(lines), media_type="text/event-stream")

    @app.post("/api/show")  # Ollama's model card: llama-index reads the context length
    async def ollama_show():
        return {"modelfile": "", "template": "", "model_info": {"scripted.context_length": 8192}}

    @app.post("/api/chat")
    async def ollama_chat(request: Request):
        body, text, model = await received(request)

        def line(content: str, done: bool) -> str:
            data = {
                "model": model,
                "created_at": "2026-01-01T00:00:00Z",
                "message": {"role": "assistant", "content": content},
                "done": done,
            }
            if done:
                data |= {"done_reason": "stop", "prompt_eval_count": 1, "eval_count": 1}
            return json.dumps(data, ensure_ascii=False) + "\n"

        lines = [line(p, False) for p in pieces(text)] + [line("", True)]
        if script.mode == "malformed":
            lines.insert(1, '{"message": {"content": \n')
        if body.get("stream") is False:
            return JSONResponse(json.loads(line(text, True)))
        return StreamingResponse(stream(lines), media_type="application/x-ndjson")

    return app


if __name__ == "__main__":  # python tests/llm_servers.py MODE PORT
    import uvicorn

    mode, port = sys.argv[1], int(sys.argv[2])
    uvicorn.run(scripted_app(Script(mode=mode)), host="127.0.0.1", port=port, log_level="warning")
