"""OpenAPI 3.0 schemas as JSON Schema (draft 7) that ``fastjsonschema`` can compile.

What changes on the way:
- ``#/components/schemas/X`` references point at ``#/definitions/X``; response references
  (``#/components/responses/X``) are inlined.
- ``nullable: true`` becomes a ``null`` type (or an ``anyOf`` with null around a reference).
- ``oneOf`` becomes ``anyOf``: most of Front's object schemas have no required keys, so a real
  object matches several alternatives and a strict ``oneOf`` would reject every one.
- Annotations JSON Schema does not check (descriptions, examples, formats, defaults,
  discriminators, ``x-`` extensions) are dropped; ``default`` must go since fastjsonschema
  would otherwise fill it into the validated data.
"""
import copy
import json
from urllib.parse import quote

import fastjsonschema

_DROPPED = {"description", "example", "examples", "deprecated", "discriminator", "readOnly",
            "writeOnly", "xml", "externalDocs", "format", "default", "title", "nullable"}
_SCHEMA_REF = "#/components/schemas/"
_RESPONSE_REF = "#/components/responses/"


class SpecValidators:
    """Compiled validators for an OpenAPI 3.0 document's response and component schemas.

    ``extra_nullable`` maps a component name to properties to treat as nullable, for
    documented deviations between the spec and what the API really sends.
    """

    def __init__(self, spec, extra_nullable=None):
        self.spec = spec
        self.components = copy.deepcopy(spec["components"]["schemas"])
        for name, properties in (extra_nullable or {}).items():
            for prop in properties:
                self.components[name]["properties"][prop]["nullable"] = True
        self._compiled = {}

    @classmethod
    def from_file(cls, path, **kwargs):
        with open(path, encoding="utf-8") as handle:
            return cls(json.load(handle), **kwargs)

    # -- public ------------------------------------------------------------------------------
    def response_schema(self, path, method="get", status="200"):
        """The JSON Schema of a path's response body (application/json)."""
        response = self.spec["paths"][path][method.lower()]["responses"][str(status)]
        return self.document(self._response_body_schema(response))

    def for_response(self, path, method="get", status="200"):
        key = ("response", path, method.lower(), str(status))
        if key not in self._compiled:
            self._compiled[key] = fastjsonschema.compile(self.response_schema(path, method, status))
        return self._compiled[key]

    def for_component(self, name):
        key = ("component", name)
        if key not in self._compiled:
            self._compiled[key] = fastjsonschema.compile(self.document({"$ref": _SCHEMA_REF + name}))
        return self._compiled[key]

    def enum(self, name):
        return list(self.components[name]["enum"])

    # -- conversion --------------------------------------------------------------------------
    def _response_body_schema(self, response):
        while "$ref" in response:
            response = self.spec["components"]["responses"][response["$ref"][len(_RESPONSE_REF):]]
        return response["content"]["application/json"]["schema"]

    def document(self, schema):
        """A self-contained draft 7 schema: ``schema`` plus every definition it reaches."""
        definitions, pending = {}, []
        root = self.convert(schema, pending)
        while pending:
            name = pending.pop()
            if name not in definitions:
                definitions[name] = None  # placeholder against cycles
                definitions[name] = self.convert(self.components[name], pending)
        root = dict(root)
        root["$schema"] = "http://json-schema.org/draft-07/schema#"
        root["definitions"] = {quote(name): body for name, body in definitions.items()}
        return root

    def convert(self, node, pending):
        if isinstance(node, list):
            return [self.convert(item, pending) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            ref = node["$ref"]
            if ref.startswith(_RESPONSE_REF):
                return self.convert(self._response_body_schema(node), pending)
            name = ref[len(_SCHEMA_REF):]
            pending.append(name)
            target = {"$ref": "#/definitions/" + quote(name)}
            return {"anyOf": [{"type": "null"}, target]} if node.get("nullable") else target
        result = {}
        for key, value in node.items():
            if key in _DROPPED or key.startswith("x-"):
                continue
            if key in ("properties", "definitions", "patternProperties"):
                result[key] = {name: self.convert(sub, pending) for name, sub in value.items()}
            elif key == "oneOf":
                result["anyOf"] = self.convert(value, pending)
            else:
                result[key] = self.convert(value, pending)
        if node.get("nullable"):
            result = self._nullable(result)
        return result

    @staticmethod
    def _nullable(schema):
        if "type" in schema:
            types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            schema["type"] = types + ["null"]
            if "enum" in schema:
                schema["enum"] = list(schema["enum"]) + [None]
            return schema
        if "enum" in schema:
            schema["enum"] = list(schema["enum"]) + [None]
            return schema
        return {"anyOf": [{"type": "null"}, schema]}
