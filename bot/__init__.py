"""技能兴淄 政策咨询助手: the assistant's own Python code (settings, web app, supervisor)."""

__version__ = "0.1.0"
