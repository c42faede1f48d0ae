"""How operations run, apart from the domains: lean resolvers, compiled plans, the contract's
documents; `extensions` checks and classifies every operation."""

from schema.execution.compiled import REFERENCE, CompiledExecutionContext
from schema.execution.extensions import classify
from schema.execution.lean import lean_resolvers
from schema.execution.operations import CONTRACT_DIR, contract_documents, contract_operation

__all__ = [
    "CONTRACT_DIR",
    "REFERENCE",
    "CompiledExecutionContext",
    "classify",
    "contract_documents",
    "contract_operation",
    "lean_resolvers",
]
