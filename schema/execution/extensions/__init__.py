"""Cross-cutting schema extensions, one per module; switched on in server/graphql_schema.py."""

from schema.execution.extensions.error_codes import ErrorCodes, classify, with_code
from schema.execution.extensions.operation_choice import OperationChoice
from schema.execution.extensions.operation_name import RecordOperationName
from schema.execution.extensions.query_cost import QueryCost
from schema.execution.extensions.query_shape import QueryShapeLimiter
from schema.execution.extensions.replica_reads import ReplicaReads
from schema.execution.extensions.validation_cache import (
    DocumentValidationCache,
    validated_documents,
)

__all__ = [
    "DocumentValidationCache",
    "ErrorCodes",
    "OperationChoice",
    "QueryCost",
    "QueryShapeLimiter",
    "RecordOperationName",
    "ReplicaReads",
    "classify",
    "validated_documents",
    "with_code",
]
