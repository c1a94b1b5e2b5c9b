"""Custom actions (rasa-sdk). Thin: they read the message, ask the knowledge facade, and fill in
the domain's responses."""
