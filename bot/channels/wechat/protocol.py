"""What WeChat's server sends us, checked before anything is believed.

Signatures (compared in constant time), the 300-second clock window, XML behind
defusedxml with a size cap, and the AES envelope of safe and compatible mode.
The cryptography itself is wechatpy's.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import ElementTree as SafeElementTree
from defusedxml.common import DefusedXmlException
from wechatpy import parse_message
from wechatpy.crypto import PrpCrypto, WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException
from wechatpy.utils import WeChatSigner

MAX_BODY_BYTES = 64 * 1024  # a text message is a few hundred bytes; WeChat caps text at 2048
MAX_CLOCK_SKEW_SECONDS = 300


class WeChatRequestError(Exception):
    """A request we refuse: `status_code` and a short reason for the response and the log."""

    def __init__(self, status_code: int, reason: str) -> None:
        super().__init__(reason)
        self.status_code = status_code
        self.reason = reason


def signature(*parts: str) -> str:
    """WeChat's signature: sha1 of the sorted parts joined (token, timestamp, nonce[, Encrypt])."""
    signer = WeChatSigner()
    signer.add_data(*parts)
    result: str = signer.signature
    return result


def require_signature(given: str | None, *parts: str) -> None:
    expected = signature(*parts)
    if given is None or not hmac.compare_digest(expected.encode(), given.encode("utf-8", "replace")):
        raise WeChatRequestError(403, "bad signature")


def require_fresh(timestamp: str | None, now: float | None = None) -> None:
    """Refuse a timestamp more than 300 s away from our clock (a replayed or forged request)."""
    try:
        sent = int(timestamp or "")
    except ValueError:
        raise WeChatRequestError(403, "missing or malformed timestamp") from None
    if abs((time.time() if now is None else now) - sent) > MAX_CLOCK_SKEW_SECONDS:
        raise WeChatRequestError(403, "stale timestamp")


def parse_xml(data: bytes | str) -> dict[str, str]:
    """The top-level fields of a WeChat `<xml>` document; no DTD, no entities, no external references."""
    if len(data) > MAX_BODY_BYTES:
        raise WeChatRequestError(413, "body too large")
    try:
        root = SafeElementTree.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise WeChatRequestError(400, "XML with a DTD or entities is refused") from None
    except (ParseError, ValueError):
        raise WeChatRequestError(400, "malformed XML") from None
    if root.tag != "xml":
        raise WeChatRequestError(400, "not a WeChat <xml> message")
    return {child.tag: child.text or "" for child in root}


@dataclass(frozen=True)
class Envelope:
    """A checked incoming request: the message XML in clear, and whether to encrypt the reply."""

    xml: str
    encrypted: bool


def open_envelope(
    query: Mapping[str, str],
    body: bytes,
    *,
    token: str,
    crypto: WeChatCrypto | None,
    app_id: str | None,
    now: float | None = None,
) -> Envelope:
    """Check a POST from WeChat (plain, compatible or safe mode) and return its message XML."""
    require_fresh(query.get("timestamp"), now)
    timestamp, nonce = query.get("timestamp", ""), query.get("nonce", "")
    require_signature(query.get("signature"), token, timestamp, nonce)
    fields = parse_xml(body)
    if query.get("encrypt_type", "raw").lower() != "aes":
        return Envelope(xml=body.decode("utf-8", "replace"), encrypted=False)
    if crypto is None or app_id is None:
        raise WeChatRequestError(503, "encrypted message, but WECHAT_ENCODING_AES_KEY or WECHAT_APP_ID is not set")
    encrypted = fields.get("Encrypt")
    if not encrypted:
        raise WeChatRequestError(400, "encrypt_type=aes without an Encrypt field")
    require_signature(query.get("msg_signature"), token, timestamp, nonce, encrypted)
    try:
        xml: str = PrpCrypto(crypto.key).decrypt(encrypted, app_id)
    except InvalidAppIdException:
        raise WeChatRequestError(403, "message encrypted for another app id") from None
    except Exception:  # bad base64, bad padding, bad length: all the sender's fault
        raise WeChatRequestError(400, "cannot decrypt the message") from None
    parse_xml(xml)  # the decrypted document gets the same checks
    return Envelope(xml=xml, encrypted=True)


def read_message(xml: str) -> Any:
    """wechatpy's message or event object for an XML document that `parse_xml` accepted."""
    try:
        message = parse_message(xml)
    except Exception:  # a field missing (no MsgType), a non-integer CreateTime, ...
        raise WeChatRequestError(400, "not a WeChat message") from None
    if not isinstance(getattr(message, "source", None), str) or not message.source:
        # Every message and event names its user; without one there is no conversation to answer.
        raise WeChatRequestError(400, "no FromUserName")
    return message


def make_crypto(token: str, encoding_aes_key: str | None, app_id: str | None) -> WeChatCrypto | None:
    if encoding_aes_key is None or app_id is None:
        return None
    return WeChatCrypto(token, encoding_aes_key, app_id)
