"""Closing the loop: visitors' votes on answers, the messages the assistant could not answer
(harvested from Rasa's tracker store), staff decisions on them and the training-suggestions queue."""
