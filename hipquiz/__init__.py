"""hipquiz: a terminal quiz and flashcard trainer for the small muscles of the hip."""

__version__ = "0.1.0"
