"""The schema change `scripts/topology test` applies while serving (`topology.expand`)."""
