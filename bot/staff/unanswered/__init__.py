"""The console's Unanswered page: visitor messages the assistant could not answer (bot/feedback),
masked, grouped by wording, filtered, and acted on by staff (pointed to an answer, or dismissed)."""
