"""Hypothesis strategies for what arrives at a public entry point: text and whole request bodies.

Texts mix what a real user types (Chinese, numbers, ID and phone numbers) with what an attacker
or a broken client sends: control characters, lone surrogates' UTF-8 leftovers, emoji, HTML and
JavaScript, SQL, Rasa's own ``/intent{...}`` syntax, very long runs. Bodies are JSON of the right
shape, of the wrong shape, not JSON at all, or not UTF-8.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from bot.rules import knowledge

NASTY = [
    "",
    " ",
    "\n\t\r　",
    "\x00",
    "\x00\x01\x02\x1b[31m\x7f",
    "\u200b\u200e\u202e\ufeff",
    "😀🎓👷‍♀️🇨🇳",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(document.cookie)",
    "'; DROP TABLE events; --",
    "1' OR '1'='1",
    "SELECT * FROM events WHERE sender_id LIKE '%'",
    "${jndi:ldap://x/a}",
    "{{7*7}}",
    "../../../../etc/passwd",
    "/restart",
    "/session_start",
    '/inform{"asker":"person","certificate_level":"senior"}',
    '/inform{"asker": [1, {"x": null}]}',
    "/inform{not json",
    "/nlu_fallback",
    "/action_restart",
    "我的身份证号370302199001011234",
    "手机 138-1234-5678",
    "我是技校毕业的，高级工",
    "企业招了10个技师能补多少钱",
    "转人工",
    "𠀀𪚥𡃁",  # beyond the Basic Multilingual Plane
    "Ａ　ｂ　Ｃ",  # full width
    "繁體字技師補貼",
    "9" * 400,
]

# Any code point except lone surrogates (JSON and UTF-8 cannot carry them); control characters
# included.
any_char = st.characters(blacklist_categories=("Cs",))
text = st.one_of(
    st.sampled_from(NASTY),
    st.text(any_char, max_size=80),
    st.text(st.sampled_from("技能兴淄补贴高级工技师毕业企业0123456789 <>'\";/{}\\\x00\n"), max_size=120),
    st.lists(st.sampled_from(NASTY), min_size=1, max_size=4).map("".join),
    st.builds(lambda s, n: s * n, st.sampled_from(["补", "a", "😀", "\x01", "<b>"]), st.integers(1, 3000)),
)

json_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), text)
json_value = st.recursive(
    json_scalar,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(text, inner, max_size=4)),
    max_leaves=12,
)

CONTENT_TYPES = [
    "application/json",
    "application/json; charset=utf-8",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/xml",
    "",
]


def to_body(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def not_utf8(data: bytes) -> bytes:
    return data + b"\xff\xfe\xc3\x28"


def bodies(turn: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[bytes]:
    """A well-formed turn, a turn with fields missing or of the wrong type, or no JSON at all."""
    return st.one_of(
        turn.map(to_body),
        turn.map(to_body).map(not_utf8),
        json_value.map(to_body),
        st.dictionaries(st.sampled_from(["sender", "message", "metadata", "extra"]), json_value,
                        max_size=4).map(to_body),
        st.binary(max_size=300),
        text.map(lambda t: t.encode("utf-8")),
        st.sampled_from([b"", b"{", b"[]", b"null", b'{"sender": "a", "message": "hi"', b"\xef\xbb\xbf{}",
                         b'{"sender": "a", "message": "' + b"x" * 100_000 + b'"}']),
    )


def chat_turns(sender: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({"sender": sender, "message": text})


_FACTS = knowledge().facts
fact_name = st.one_of(st.sampled_from(sorted(_FACTS)), text)
fact_value = st.one_of(
    st.builds(lambda name, pick: sorted(_FACTS[name].values)[pick % len(_FACTS[name].values)]
              if _FACTS[name].values else None,
              st.sampled_from(sorted(_FACTS)), st.integers(0, 50)),
    json_value,
)
eligibility_request = st.one_of(
    st.fixed_dictionaries(
        {"facts": st.dictionaries(fact_name, fact_value, max_size=8)},
        optional={"as_of": st.one_of(st.dates().map(str), text, st.integers())},
    ),
    json_value,
)
