"""A smolagents OpenAIModel that suits vLLM, TGI, Ollama and llama.cpp servers alike.

Images go as base64 PNG ``data:`` URLs in ``image_url`` parts, downscaled on the client, at most
``options.max_images`` per request (pinned ones, then the last ones), each checked to decode; text-only contents
are sent as plain strings, which every server accepts for every role. Token usage comes from the server's ``usage``.

Bounds (the server is untrusted): the text of a request is trimmed to ``max_context_chars``, a reply asks for
at most ``max_tokens`` and its body may be at most ``max_reply_kb`` (refused while it is read), and the
requests of one run may take ``deadline_s`` seconds in all, after which the model counts as unavailable.
"""

from __future__ import annotations

import time
from typing import Any

from smolagents.models import ChatMessage, MessageRole, OpenAIModel, remove_content_after_stop_sequences
from smolagents.monitoring import TokenUsage

from agentvision.models.context import BoundedTransport, ReplyTooLarge, limit_text
from agentvision.models.health import ModelUnavailable
from agentvision.models.images import drop_unreadable, limit_images
from agentvision.models.spec import ModelOptions

NO_KEY = "EMPTY"  # what vLLM's docs use when the server needs no key; the openai client insists on one


def flatten_text_contents(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Messages whose content parts are all text, with the content joined into one string (others unchanged)."""
    out = []
    for message in messages:
        content = message.get("content")
        if isinstance(content, list) and all(isinstance(p, dict) and p.get("type") == "text" for p in content):
            message = {**message, "content": "\n".join(p.get("text", "") for p in content)}
        out.append(message)
    return out


class OpenAICompatibleModel(OpenAIModel):
    """A model served behind an OpenAI-compatible ``/v1/chat/completions`` endpoint.

    Args:
        model_id: the id the server knows the model by (``GET {api_base}/models`` lists them).
        options: where the server is (``api_base`` is required), its key, the image limits, the timeout,
            ``max_tokens`` and ``temperature``.
        client: an openai.OpenAI client to use instead of building one (tests, custom transports).
        **kwargs: passed on to each completion request (e.g. ``top_p``).
    """

    def __init__(self, model_id: str, options: ModelOptions | None = None, client: Any | None = None, **kwargs):
        options = options or ModelOptions.from_env()
        if not options.api_base:
            raise ValueError(
                f"openai:{model_id} needs the server's address: pass --api-base URL (api_base=URL from Python) "
                "or set AGENTVISION_API_BASE "
                "(e.g. http://127.0.0.1:8000/v1; `agentvision serve MODEL_ID` prints how to start a vLLM server)"
            )
        self.options = options
        self.api_base = options.api_base
        if client is None:
            import httpx
            import openai

            client = openai.OpenAI(
                base_url=options.api_base,
                api_key=options.api_key or NO_KEY,
                timeout=options.timeout_s,
                max_retries=options.max_retries,
                http_client=httpx.Client(transport=BoundedTransport(options.max_reply_kb * 1024)),
            )
        kwargs.setdefault("max_tokens", options.max_tokens)
        kwargs.setdefault("temperature", options.temperature)
        # No api_key goes to the parent: it would keep it in self.client_kwargs; the client holds it instead.
        super().__init__(model_id=model_id, client=client, **kwargs)
        self.spent_s = 0.0  # seconds of requests since the last reset_deadline()
        rate_limited = self.retryer.retry_predicate  # smolagents retries rate limits (429), by the error's text
        self.retryer.retry_predicate = lambda e: not isinstance(e, ReplyTooLarge | ModelUnavailable) and rate_limited(e)

    def reset_deadline(self) -> None:
        """Start a new deadline (a chat's next turn)."""
        self.spent_s = 0.0

    def __repr__(self) -> str:
        return f"{type(self).__name__}(model_id={self.model_id!r}, api_base={self.api_base!r})"

    def _completion_kwargs(self, messages, stop_sequences, response_format, tools_to_call_from, **kwargs) -> dict:
        messages = limit_text(messages, self.options.max_context_chars)
        messages = limit_images(messages, self.options.max_images, self.options.max_image_side)
        completion_kwargs = self._prepare_completion_kwargs(
            messages=messages,
            stop_sequences=stop_sequences,
            response_format=response_format,
            tools_to_call_from=tools_to_call_from,
            model=self.model_id,
            custom_role_conversions=self.custom_role_conversions,
            convert_images_to_image_urls=True,
            **kwargs,
        )
        # Every image must decode: one that would not reach the model as a picture becomes a note saying so.
        completion_kwargs["messages"] = flatten_text_contents(drop_unreadable(completion_kwargs["messages"]))
        return completion_kwargs

    def generate(
        self,
        messages: list[ChatMessage | dict],
        stop_sequences: list[str] | None = None,
        response_format: dict[str, str] | None = None,
        tools_to_call_from: list | None = None,
        **kwargs,
    ) -> ChatMessage:
        """One chat completion; the reply carries ``token_usage`` (zeros when the server reports no usage)."""
        completion_kwargs = self._completion_kwargs(
            messages, stop_sequences, response_format, tools_to_call_from, **kwargs
        )
        self._apply_rate_limit()
        response = self._call(completion_kwargs)
        message = response.choices[0].message
        content = message.content
        if stop_sequences is not None and not self.supports_stop_parameter:
            content = remove_content_after_stop_sequences(content, stop_sequences)
        usage = response.usage
        return ChatMessage(
            role=MessageRole(message.role or "assistant"),
            content=content,
            tool_calls=message.tool_calls,
            raw=response,
            token_usage=TokenUsage(
                input_tokens=int(getattr(usage, "prompt_tokens", 0) or 0),
                output_tokens=int(getattr(usage, "completion_tokens", 0) or 0),
            ),
        )

    def generate_stream(self, messages, stop_sequences=None, response_format=None, tools_to_call_from=None, **kwargs):
        """Streamed completion with the same image limits as ``generate``."""
        messages = limit_text(messages, self.options.max_context_chars)
        messages = limit_images(messages, self.options.max_images, self.options.max_image_side)
        yield from super().generate_stream(messages, stop_sequences, response_format, tools_to_call_from, **kwargs)

    def _call(self, completion_kwargs: dict):
        import openai

        url = f"{self.api_base}/chat/completions"
        deadline = self.options.deadline_s
        if deadline is not None and self.spent_s >= deadline:
            raise ModelUnavailable(
                f"the model at {url} has had its {deadline:g} s of requests (--deadline); the built-in roles go on"
            )
        started = time.monotonic()
        try:
            return self.retryer(self.client.chat.completions.create, **completion_kwargs)
        except openai.APIConnectionError as exc:
            if isinstance(exc.__cause__, ReplyTooLarge):  # not a dead server: this one reply is refused
                raise ReplyTooLarge(f"{url}: {exc.__cause__}") from None
            if isinstance(exc, openai.APITimeoutError):
                raise ModelUnavailable(
                    f"no answer from {url} within {self.options.timeout_s:g} s (model {self.model_id}): the server "
                    "may be overloaded or the request too large (fewer or smaller images help)"
                ) from None
            raise ModelUnavailable(
                f"cannot reach the model server at {url}: {exc.__cause__ or exc}; is it still running?"
            ) from None
        except (openai.AuthenticationError, openai.PermissionDeniedError) as exc:
            raise ModelUnavailable(
                f"the server at {url} refused the API key (HTTP {exc.status_code}): set AGENTVISION_API_KEY "
                "(or OPENAI_API_KEY) to the key it expects"
            ) from None
        except openai.NotFoundError:
            raise ModelUnavailable(
                f"{url} answered HTTP 404 for model {self.model_id!r}: check the model id against "
                f"GET {self.api_base}/models and check --api-base"
            ) from None
        finally:
            self.spent_s += time.monotonic() - started
