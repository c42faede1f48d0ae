"""Fake providers: local servers that speak each provider's API (Midtrans, Flip, Digiflazz,
Biteship, Twilio, WhatsApp Cloud), keep what they were sent and fail on demand. The tests
talk to them instead of the providers, and the topology (`topology.midtrans`) runs the fake
Midtrans as one of its processes; nothing here imports the tests or is deployed."""
