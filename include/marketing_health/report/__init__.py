"""What a night produced, for people: the console summary (and later the HTML health report)."""
