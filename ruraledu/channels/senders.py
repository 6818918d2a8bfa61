"""The robots' documented message formats and the HTTP call.

企业微信: POST {"msgtype": "markdown", "markdown": {"content": ...}} (or msgtype text).
钉钉: POST {"msgtype": "markdown", "markdown": {"title", "text"}} to the webhook with
`timestamp` (ms) and `sign` = urlencode(base64(HMAC-SHA256(secret, f"{timestamp}\\n{secret}"))).
Both answer {"errcode": 0, "errmsg": "ok"} when the message was taken."""

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request

from .choices import ChannelKind

TIMEOUT_SECONDS = 10


class SendError(Exception):
    """The robot did not take the message (HTTP error, bad answer or errcode)."""


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), to_sign, hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def payload(*, kind: str, markdown: bool, title: str, link: str) -> dict:
    if kind == ChannelKind.DINGTALK:
        text = f"#### {title}\n\n[登录平台查看]({link})" if link else f"#### {title}"
        return {"msgtype": "markdown", "markdown": {"title": title, "text": text}}
    if markdown:
        text = f"**{title}**\n[登录平台查看]({link})" if link else f"**{title}**"
        return {"msgtype": "markdown", "markdown": {"content": text}}
    text = f"{title}\n查看：{link}" if link else title
    return {"msgtype": "text", "text": {"content": text}}


def signed_url(url: str, secret: str, now_ms: int | None = None) -> str:
    timestamp = now_ms if now_ms is not None else int(time.time() * 1000)
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}timestamp={timestamp}&sign={dingtalk_sign(secret, timestamp)}"


def post(*, kind: str, url: str, secret: str, body: dict) -> None:
    if kind == ChannelKind.DINGTALK:
        url = signed_url(url, secret)
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked in the model)
        url,
        data=json.dumps(body, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            answer = response.read()
    except urllib.error.HTTPError as error:
        raise SendError(f"HTTP {error.code}") from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise SendError(f"连接失败：{error}") from error
    try:
        result = json.loads(answer)
    except ValueError as error:
        raise SendError("返回内容不是 JSON") from error
    if result.get("errcode") != 0:
        raise SendError(f"errcode {result.get('errcode')}：{result.get('errmsg', '')}"[:300])
