"""Student exchanges: programmes, applications, guardian consent, reviewing and placement."""
