"""In-app notifications per user, and email for the types each user chose, in digests."""
