"""Demo and seed data: the catalogue, the cooperatives with a year of history, demo accounts."""
