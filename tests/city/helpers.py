"""The city's figures through the contract's operations."""

from tests.conftest import contract

DASHBOARD = contract("CityDashboard")
ROLLOUT = contract("KelurahanRollout")
RECORD = contract("RecordSocialization")
