"""The session: its states, its login, its end, its logging and filters."""
