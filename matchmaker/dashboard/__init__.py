"""The team's dashboard: how requests, introductions, wins and the ranking are doing."""
