"""People-to-people: language courses whose sessions are events, and cultural festivals."""
