"""The WeChat Official Account (公众号) channel: WeChat's callbacks at /wechat, to Rasa and back.

- `protocol`: signatures, the clock window, safe XML and the AES envelope (wechatpy's crypto);
- `render`: the bot's messages as WeChat text within 2048 bytes, numbered options, "详情" pages;
- `store`: the small TTL store for seen messages, replies, options and pages (`MemoryStore`);
- `customer_service`: late answers through WeChat's customer-service message API;
- `channel`: `WeChatChannel`, which ties them together.
"""

from __future__ import annotations

from bot.channels.wechat.channel import WeChatChannel, WeChatConfig, sender_id
from bot.channels.wechat.protocol import WeChatRequestError, signature
from bot.channels.wechat.store import ChannelStore, MemoryStore

__all__ = [
    "ChannelStore",
    "MemoryStore",
    "WeChatChannel",
    "WeChatConfig",
    "WeChatRequestError",
    "sender_id",
    "signature",
]
