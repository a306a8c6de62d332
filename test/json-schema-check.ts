/**
 * A small JSON Schema (draft 2020-12) checker for the keywords the generated OpenAPI document uses,
 * so that tests can validate documents against it without another dependency. Any keyword it does
 * not know makes it throw, so it can never pass a document by ignoring part of a schema.
 */
export type Schema = Record<string, unknown> | boolean;

export interface SchemaProblem {
  path: string;
  message: string;
}

const ANNOTATIONS = new Set(["description", "title", "default", "examples", "$schema", "$id", "deprecated", "readOnly", "writeOnly", "$comment"]);
const KNOWN = new Set([
  "$ref",
  "type",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "prefixItems",
  "enum",
  "const",
  "anyOf",
  "oneOf",
  "allOf",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "pattern",
]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function asNumber(value: unknown, keyword: string): number {
  if (typeof value !== "number") throw new Error(`schema: ${keyword} must be a number`);
  return value;
}

function asSchemas(value: unknown, keyword: string): Schema[] {
  if (!Array.isArray(value)) throw new Error(`schema: ${keyword} must be an array`);
  return value.map((s) => {
    if (typeof s !== "boolean" && !isObject(s)) throw new Error(`schema: ${keyword} holds a non-schema`);
    return s;
  });
}

function asSchema(value: unknown, keyword: string): Schema {
  if (typeof value !== "boolean" && !isObject(value)) throw new Error(`schema: ${keyword} is not a schema`);
  return value;
}

/**
 * Problems of `value` against `schema`; `$ref`s of the form `#/components/schemas/Name` are looked up
 * in `components`. An empty list means valid.
 */
export function checkSchema(value: unknown, schema: Schema, components: Record<string, Schema>, path = ""): SchemaProblem[] {
  if (schema === true) return [];
  if (schema === false) return [{ path, message: "no value is allowed here" }];
  const out: SchemaProblem[] = [];
  const fail = (message: string, at = path) => out.push({ path: at, message });
  for (const keyword of Object.keys(schema)) {
    if (!KNOWN.has(keyword) && !ANNOTATIONS.has(keyword)) throw new Error(`schema: unsupported keyword "${keyword}" at ${path || "(root)"}`);
  }

  const ref = schema.$ref;
  if (ref !== undefined) {
    const prefix = "#/components/schemas/";
    if (typeof ref !== "string" || !ref.startsWith(prefix)) throw new Error(`schema: unsupported $ref ${String(ref)}`);
    const target = components[ref.slice(prefix.length)];
    if (target === undefined) throw new Error(`schema: dangling $ref ${ref}`);
    out.push(...checkSchema(value, target, components, path));
  }

  const actual = typeOf(value);
  if (schema.type !== undefined) {
    const allowed = Array.isArray(schema.type) ? schema.type : [schema.type];
    const ok = allowed.some((t) => t === actual || (t === "number" && actual === "integer"));
    if (!ok) {
      fail(`expected ${allowed.join(" or ")}, got ${actual}`);
      return out;
    }
  }
  if (schema.enum !== undefined) {
    if (!Array.isArray(schema.enum)) throw new Error("schema: enum must be an array");
    if (!schema.enum.some((e) => e === value)) fail(`not one of ${JSON.stringify(schema.enum)}`);
  }
  if ("const" in schema && schema.const !== value) fail(`expected ${JSON.stringify(schema.const)}`);
  if (schema.anyOf !== undefined) {
    const options = asSchemas(schema.anyOf, "anyOf");
    if (!options.some((s) => checkSchema(value, s, components, path).length === 0)) fail("matches none of anyOf");
  }
  if (schema.oneOf !== undefined) {
    const matching = asSchemas(schema.oneOf, "oneOf").filter((s) => checkSchema(value, s, components, path).length === 0).length;
    if (matching !== 1) fail(`matches ${matching} of oneOf`);
  }
  if (schema.allOf !== undefined) for (const s of asSchemas(schema.allOf, "allOf")) out.push(...checkSchema(value, s, components, path));

  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < asNumber(schema.minimum, "minimum")) fail(`below minimum ${String(schema.minimum)}`);
    if (schema.maximum !== undefined && value > asNumber(schema.maximum, "maximum")) fail(`above maximum ${String(schema.maximum)}`);
    if (schema.exclusiveMinimum !== undefined && value <= asNumber(schema.exclusiveMinimum, "exclusiveMinimum")) fail(`not above ${String(schema.exclusiveMinimum)}`);
    if (schema.exclusiveMaximum !== undefined && value >= asNumber(schema.exclusiveMaximum, "exclusiveMaximum")) fail(`not below ${String(schema.exclusiveMaximum)}`);
  }
  if (typeof value === "string") {
    if (schema.minLength !== undefined && value.length < asNumber(schema.minLength, "minLength")) fail("too short");
    if (schema.maxLength !== undefined && value.length > asNumber(schema.maxLength, "maxLength")) fail("too long");
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value)) fail(`does not match ${schema.pattern}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < asNumber(schema.minItems, "minItems")) fail("too few items");
    if (schema.maxItems !== undefined && value.length > asNumber(schema.maxItems, "maxItems")) fail("too many items");
    const prefix = schema.prefixItems === undefined ? [] : asSchemas(schema.prefixItems, "prefixItems");
    value.forEach((item, i) => {
      const itemSchema = i < prefix.length ? prefix[i] : schema.items === undefined ? undefined : asSchema(schema.items, "items");
      if (itemSchema !== undefined) out.push(...checkSchema(item, itemSchema, components, `${path}[${i}]`));
    });
  }
  if (isObject(value)) {
    const properties = isObject(schema.properties) ? schema.properties : {};
    const required = Array.isArray(schema.required) ? schema.required : [];
    for (const key of required) if (typeof key === "string" && !(key in value)) fail(`missing required "${key}"`);
    for (const [key, item] of Object.entries(value)) {
      const at = path === "" ? key : `${path}.${key}`;
      const property = properties[key];
      if (property !== undefined) out.push(...checkSchema(item, asSchema(property, `properties.${key}`), components, at));
      else if (schema.additionalProperties !== undefined) out.push(...checkSchema(item, asSchema(schema.additionalProperties, "additionalProperties"), components, at));
    }
  }
  return out;
}
