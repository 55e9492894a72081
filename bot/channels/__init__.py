"""Channels of the web app: the web chat and WeChat, both through `rasa_client`."""
