"""An independent WeChat client built on wechatpy, and small real HTTP servers on loopback.

`WeChatServer` plays WeChat's server: it signs (and in safe or compatible mode, encrypts)
messages the way WeChat does and reads our replies back. `FakeRasa` and `FakeWeChatApi` are
real HTTP servers in a thread, recording what they receive: the first answers Rasa's REST
webhook (optionally slowly), the second the access-token and customer-service endpoints.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
from wechatpy.crypto import WeChatCrypto

from bot.channels.rasa_client import RasaClient
from bot.channels.wechat import WeChatChannel, WeChatConfig
from bot.settings import Settings
from bot.web.app import create_app

TOKEN = "test-token"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # 43 characters
APP_ID = "wx0123456789abcdef"
APP_SECRET = "test-app-secret"
OPENID = "oUser-0123456789"
ACCOUNT = "gh_0123456789ab"


def sha1_signature(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


def text_xml(content: str, msg_id: int = 1001, openid: str = OPENID, created: int | None = None) -> str:
    return (
        f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
        f"<CreateTime>{created or int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        f"<Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId></xml>"
    )


def event_xml(event: str, created: int | None = None, openid: str = OPENID) -> str:
    return (
        f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
        f"<CreateTime>{created or int(time.time())}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
        f"<Event><![CDATA[{event}]]></Event></xml>"
    )


def message_xml(msg_type: str, fields: str, msg_id: int = 2001) -> str:
    return (
        f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><FromUserName><![CDATA[{OPENID}]]></FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[{msg_type}]]></MsgType>"
        f"{fields}<MsgId>{msg_id}</MsgId></xml>"
    )


@dataclasses.dataclass
class Signed:
    params: dict[str, str]
    body: str
    nonce: str
    timestamp: str


class WeChatServer:
    """What WeChat's server does with a message, in one of the three modes."""

    def __init__(self, mode: str = "plain", token: str = TOKEN, app_id: str = APP_ID) -> None:
        assert mode in ("plain", "compatible", "safe")
        self.mode = mode
        self.token = token
        self.crypto = WeChatCrypto(token, AES_KEY, app_id)
        self._nonce = 0

    def sign(self, xml: str, timestamp: int | None = None) -> Signed:
        self._nonce += 1
        ts, nonce = str(timestamp or int(time.time())), f"{self._nonce:010d}"
        params = {"signature": sha1_signature(self.token, ts, nonce), "timestamp": ts, "nonce": nonce,
                  "openid": OPENID}
        if self.mode == "plain":
            return Signed(params, xml, nonce, ts)
        envelope = self.crypto.encrypt_message(xml, nonce, ts)  # <Encrypt>, <MsgSignature>, ...
        encrypt = envelope.split("<Encrypt><![CDATA[")[1].split("]]>")[0]
        params |= {"encrypt_type": "aes", "msg_signature": sha1_signature(self.token, ts, nonce, encrypt)}
        body = f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
        if self.mode == "compatible":  # the clear fields too, beside the encrypted copy
            body = xml.replace("</xml>", f"<Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>")
        return Signed(params, body, nonce, ts)

    def read_reply(self, signed: Signed, response: httpx.Response) -> str:
        """The reply's XML in clear, checking its signature in the encrypted modes."""
        assert response.status_code == 200, response.text
        if self.mode == "plain" or response.text == "success":
            return response.text
        from xml.etree import ElementTree

        root = ElementTree.fromstring(response.text)
        return str(
            self.crypto.decrypt_message(
                response.text, root.findtext("MsgSignature"), root.findtext("TimeStamp"), root.findtext("Nonce")
            )
        )


def reply_content(reply_xml: str) -> str:
    from xml.etree import ElementTree

    return ElementTree.fromstring(reply_xml).findtext("Content") or ""


# -- real HTTP servers on loopback ----------------------------------------------------


class _Server:
    def __init__(self, handle: Callable[[str, str, dict[str, list[str]], bytes], tuple[int, Any]]) -> None:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                url = urlparse(self.path)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, answer = handle(self.command, url.path, parse_qs(url.query), body)
                data = json.dumps(answer, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _serve

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        _ = outer

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class FakeRasa:
    """Rasa's REST webhook: answers `replies(message)` after `delay` seconds; records each turn."""

    def __init__(self) -> None:
        self.turns: list[dict[str, Any]] = []
        self.delay = 0.0
        self.replies: Callable[[str], list[dict[str, Any]]] = lambda text: [{"text": f"收到：{text}"}]
        self.server = _Server(self._handle)
        self.url = self.server.url

    def _handle(self, method: str, path: str, query: dict[str, list[str]], body: bytes) -> tuple[int, Any]:
        if method != "POST" or path != "/webhooks/rest/webhook":
            return 404, {}
        turn = json.loads(body)
        self.turns.append(turn)
        time.sleep(self.delay)
        return 200, [dict(m, recipient_id=turn["sender"]) for m in self.replies(turn["message"])]


class FakeWeChatApi:
    """WeChat's access-token and customer-service endpoints, recording each call."""

    def __init__(self) -> None:
        self.token_requests: list[dict[str, list[str]]] = []
        self.sent: list[dict[str, Any]] = []
        self.send_tokens: list[str] = []
        self.token_lifetime = 7200
        self.reject_tokens: set[str] = set()  # tokens to answer 40001 to
        self.sent_event = threading.Event()
        self.server = _Server(self._handle)
        self.url = self.server.url

    def _handle(self, method: str, path: str, query: dict[str, list[str]], body: bytes) -> tuple[int, Any]:
        if method == "GET" and path == "/cgi-bin/token":
            self.token_requests.append(query)
            if query.get("appid") != [APP_ID] or query.get("secret") != [APP_SECRET]:
                return 200, {"errcode": 40013, "errmsg": "invalid appid"}
            return 200, {"access_token": f"token-{len(self.token_requests)}", "expires_in": self.token_lifetime}
        if method == "POST" and path == "/cgi-bin/message/custom/send":
            token = query.get("access_token", [""])[0]
            self.send_tokens.append(token)
            if not token.startswith("token-") or token in self.reject_tokens:
                return 200, {"errcode": 40001, "errmsg": "invalid credential"}
            self.sent.append(json.loads(body.decode("utf-8")))
            self.sent_event.set()
            return 200, {"errcode": 0, "errmsg": "ok"}
        return 404, {}


@contextmanager
def running(*servers: FakeRasa | FakeWeChatApi) -> Iterator[None]:
    for s in servers:
        s.server.start()
    try:
        yield
    finally:
        for s in servers:
            s.server.stop()


def wechat_settings(rasa_url: str, api_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "rasa_url": rasa_url,
        "wechat_token": TOKEN,
        "wechat_encoding_aes_key": AES_KEY,
        "wechat_app_id": APP_ID,
        "wechat_app_secret": APP_SECRET,
        "wechat_api_base_url": api_url,
        "sender_hash_key": "test-sender-hash-key",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def wechat_app(settings: Settings, deadline: float = 2.0) -> tuple[Any, WeChatChannel]:
    """The real app with a channel whose reply deadline is `deadline` seconds (4 s in production)."""
    config = WeChatConfig.from_settings(settings)
    assert config is not None
    channel = WeChatChannel(dataclasses.replace(config, reply_deadline_seconds=deadline), RasaClient(settings.rasa_url))
    app = create_app(settings)
    app.state.wechat_channel = channel
    return app, channel


def asgi_client(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://wechat.test")
