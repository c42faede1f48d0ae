"""How operations run, apart from the domains: lean resolvers, compiled plans, the contract's
documents, and the extensions that check and classify every operation."""

from schema.execution.compiled import REFERENCE, CompiledExecutionContext
from schema.execution.extensions import (
    ErrorCodes,
    OperationChoice,
    QueryCost,
    QueryShapeLimiter,
    RecordOperationName,
    classify,
    with_code,
)
from schema.execution.lean import lean_resolvers
from schema.execution.operations import CONTRACT_DIR, contract_documents, contract_operation

__all__ = [
    "CONTRACT_DIR",
    "REFERENCE",
    "CompiledExecutionContext",
    "ErrorCodes",
    "OperationChoice",
    "QueryCost",
    "QueryShapeLimiter",
    "RecordOperationName",
    "classify",
    "contract_documents",
    "contract_operation",
    "lean_resolvers",
    "with_code",
]
