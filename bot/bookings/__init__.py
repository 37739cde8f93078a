"""KKMB bookings outside any one flow: their words, notices through the outbox, access, and the booking job."""
