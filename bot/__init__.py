"""Podium: a Discord bot for Olympic fans — tomorrow's programme every evening, medals on demand."""
