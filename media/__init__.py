"""Image storage behind one interface, and image processing."""
