"""Chinese understanding: text normalisation and fact extraction for the Rasa pipeline."""
