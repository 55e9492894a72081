"""Custom actions served by the Rasa action server (`python -m rasa_sdk --actions actions`)."""
