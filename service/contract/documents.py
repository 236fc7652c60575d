"""The JSON documents the service reads and writes, as the type checker sees them."""

from typing import Any, TypeAlias

#: A JSON object: a document the service builds (a FHIR resource, a CDS card) or one it read
#: and checked. Its members' types depend on their names, which only the document's own rules
#: say (FHIR R4, CDS Hooks 2.0).
JSONObject: TypeAlias = dict[str, Any]
