"""Checks on what WeChat sends: signatures, the clock window, hostile XML, the AES envelope."""

from __future__ import annotations

import time

import pytest

from bot.channels.wechat import WeChatRequestError, signature
from bot.channels.wechat.protocol import (
    MAX_BODY_BYTES,
    make_crypto,
    open_envelope,
    parse_xml,
    read_message,
    require_fresh,
    require_signature,
)
from tests.wechat.support import AES_KEY, APP_ID, TOKEN, WeChatServer, sha1_signature, text_xml

XXE = """<?xml version="1.0"?>
<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>1</CreateTime>
<MsgType>text</MsgType><Content>&xxe;</Content><MsgId>1</MsgId></xml>"""

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<xml><Content>&lol9;</Content></xml>"""


def test_wechats_published_test_vector() -> None:
    assert signature("AAAAA", "1714036504", "1514711492") == "f464b24fc39322e44b38aa78f5edd27bd1441696"
    require_signature("f464b24fc39322e44b38aa78f5edd27bd1441696", "AAAAA", "1714036504", "1514711492")


@pytest.mark.parametrize("given", [None, "", "f464b24fc39322e44b38aa78f5edd27bd1441697", "签名", "0" * 40])
def test_a_wrong_or_missing_signature_is_403(given: str | None) -> None:
    with pytest.raises(WeChatRequestError) as refused:
        require_signature(given, "AAAAA", "1714036504", "1514711492")
    assert refused.value.status_code == 403


@pytest.mark.parametrize("skew", [-301, 301, 100_000])
def test_a_timestamp_more_than_300_seconds_away_is_403(skew: int) -> None:
    now = time.time()
    with pytest.raises(WeChatRequestError, match="stale") as refused:
        require_fresh(str(int(now) + skew), now)
    assert refused.value.status_code == 403


@pytest.mark.parametrize("timestamp", [None, "", "soon", "1e9"])
def test_a_missing_or_malformed_timestamp_is_403(timestamp: str | None) -> None:
    with pytest.raises(WeChatRequestError) as refused:
        require_fresh(timestamp)
    assert refused.value.status_code == 403


def test_a_timestamp_within_300_seconds_is_accepted() -> None:
    now = time.time()
    require_fresh(str(int(now) - 299), now)
    require_fresh(str(int(now) + 299), now)


@pytest.mark.parametrize("document", [XXE, BILLION_LAUGHS], ids=["xxe", "billion-laughs"])
def test_xml_with_a_dtd_or_entities_is_refused_before_any_entity_is_expanded(document: str) -> None:
    with pytest.raises(WeChatRequestError, match="DTD") as refused:
        parse_xml(document.encode())
    assert refused.value.status_code == 400


@pytest.mark.parametrize(
    "document",
    [b"", b"<xml><Content>", b"not xml", b"<xml><a></b></xml>", b"<html></html>", b"\xff\xfe<xml/>"],
)
def test_malformed_xml_is_400(document: bytes) -> None:
    with pytest.raises(WeChatRequestError) as refused:
        parse_xml(document)
    assert refused.value.status_code == 400


def test_an_oversized_body_is_413() -> None:
    with pytest.raises(WeChatRequestError) as refused:
        parse_xml(b"<xml><Content>" + b"a" * MAX_BODY_BYTES + b"</Content></xml>")
    assert refused.value.status_code == 413


def test_a_message_without_msgtype_is_400() -> None:
    with pytest.raises(WeChatRequestError, match="not a WeChat message"):
        read_message("<xml><Content>hi</Content></xml>")


@pytest.mark.parametrize("mode", ["plain", "compatible", "safe"])
def test_each_mode_opens_to_the_same_message(mode: str) -> None:
    wechat = WeChatServer(mode)
    signed = wechat.sign(text_xml("你好"))

    envelope = open_envelope(
        signed.params, signed.body.encode(), token=TOKEN, crypto=make_crypto(TOKEN, AES_KEY, APP_ID), app_id=APP_ID
    )

    assert envelope.encrypted is (mode != "plain")
    assert read_message(envelope.xml).content == "你好"


def test_a_message_encrypted_for_another_app_is_403() -> None:
    signed = WeChatServer("safe", app_id="wxSomeoneElse").sign(text_xml("你好"))

    with pytest.raises(WeChatRequestError, match="app id") as refused:
        open_envelope(signed.params, signed.body.encode(), token=TOKEN,
                      crypto=make_crypto(TOKEN, AES_KEY, APP_ID), app_id=APP_ID)
    assert refused.value.status_code == 403


def test_a_wrong_msg_signature_is_403_even_with_a_right_signature() -> None:
    signed = WeChatServer("safe").sign(text_xml("你好"))
    signed.params["msg_signature"] = sha1_signature(TOKEN, signed.timestamp, signed.nonce, "other")

    with pytest.raises(WeChatRequestError, match="signature") as refused:
        open_envelope(signed.params, signed.body.encode(), token=TOKEN,
                      crypto=make_crypto(TOKEN, AES_KEY, APP_ID), app_id=APP_ID)
    assert refused.value.status_code == 403


def test_garbage_in_encrypt_is_400() -> None:
    wechat = WeChatServer("safe")
    signed = wechat.sign(text_xml("你好"))
    garbage = "bm90IGEgY2lwaGVydGV4dA=="
    signed.body = f"<xml><Encrypt><![CDATA[{garbage}]]></Encrypt></xml>"
    signed.params["msg_signature"] = sha1_signature(TOKEN, signed.timestamp, signed.nonce, garbage)

    with pytest.raises(WeChatRequestError) as refused:
        open_envelope(signed.params, signed.body.encode(), token=TOKEN,
                      crypto=make_crypto(TOKEN, AES_KEY, APP_ID), app_id=APP_ID)
    assert refused.value.status_code == 400


def test_an_encrypted_message_without_an_aes_key_configured_is_503() -> None:
    signed = WeChatServer("safe").sign(text_xml("你好"))

    with pytest.raises(WeChatRequestError, match="WECHAT_ENCODING_AES_KEY") as refused:
        open_envelope(signed.params, signed.body.encode(), token=TOKEN, crypto=None, app_id=None)
    assert refused.value.status_code == 503
