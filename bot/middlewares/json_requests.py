"""Bot API requests with a JSON body: aiogram's HTTP session, minus its form encoding.

aiogram's `AiohttpSession` sends every request as a form: each parameter turned into a
string (a keyboard into a JSON string), then the whole form percent-encoded, field by field, in
Python (`urllib.parse` quoting, 3-4 % of the bot's CPU in bench.profile, more than the rest of
the request's encoding). The Bot API takes `application/json` for every method that uploads
no file (https://core.telegram.org/bots/api#making-requests), as grammY and Telegraf send
theirs; aiogram has no switch for it, hence this subclass. A request with a file to upload
(an export, a chart) still goes as aiogram's multipart form.

The parameters are those aiogram would send: the same `prepare_value` (bot defaults such as
parse_mode, dates as timestamps, enums as values, models as objects), with absent and empty
ones left out, as aiogram's form leaves them out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.exceptions import TelegramNetworkError
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import InputFile
from aiohttp import ClientError

if TYPE_CHECKING:
    from aiogram import Bot

JSON_HEADERS = {"Content-Type": "application/json"}


class JsonBodySession(AiohttpSession):
    """aiogram's session, sending a JSON body when the request uploads no file."""

    def json_body(self, bot: Bot, method: TelegramMethod[Any]) -> str | None:
        """The request's parameters as a JSON object, or None when a file goes with it."""
        files: dict[str, InputFile] = {}
        fields: dict[str, Any] = {}
        for key, value in method.model_dump(warnings=False).items():
            prepared = self.prepare_value(value, bot=bot, files=files, _dumps_json=False)
            if prepared is None or prepared == "":
                continue  # aiogram's form leaves absent and empty parameters out too
            fields[key] = prepared
        if files:
            return None
        return self.json_dumps(fields)

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109 (aiogram's signature)
    ) -> TelegramType:
        body = self.json_body(bot, method)
        if body is None:
            return await super().make_request(bot, method, timeout)
        session = await self.create_session()
        url = self.api.api_url(token=bot.token, method=method.__api_method__)
        # From here on as aiogram's make_request, with the body in place of its form.
        try:
            async with session.post(
                url,
                data=body,
                headers=JSON_HEADERS,
                timeout=self.timeout if timeout is None else timeout,
            ) as resp:
                raw_result = await resp.text()
        except TimeoutError as e:
            raise TelegramNetworkError(method=method, message="Request timeout error") from e
        except ClientError as e:
            raise TelegramNetworkError(method=method, message=f"{type(e).__name__}: {e}") from e
        response = self.check_response(
            bot=bot, method=method, status_code=resp.status, content=raw_result
        )
        return cast(TelegramType, response.result)
