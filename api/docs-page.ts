/**
 * The human-readable API documentation: one self-contained HTML page (inline CSS, no scripts, no
 * external resources) rendered from the OpenAPI document, plus the catalogue of problem types that
 * the `type` of every problem+json response points at (`/docs#problem-<kind>`).
 */
import { isRecord } from "../src/numeric/is-record.ts";
import type { JsonSchema, OpenApiDocument, Operation } from "./openapi-parts.ts";
import { PROBLEMS, type ProblemKind } from "./problem-details.ts";

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** Inline `code` spans of the descriptions, after escaping. */
function prose(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, "<code>$1</code>");
}

const SAFE_INTEGER = Number.MAX_SAFE_INTEGER;
const COMPONENT_PREFIX = "#/components/schemas/";

function schemaLink(refText: string): string {
  const name = refText.startsWith(COMPONENT_PREFIX) ? refText.slice(COMPONENT_PREFIX.length) : refText;
  return `<a href="#schema-${escapeHtml(name)}">${escapeHtml(name)}</a>`;
}

function isSchema(value: unknown): value is JsonSchema {
  return isRecord(value);
}

/** The type of a schema as short HTML: `number | null`, `array of Customer`, `"hard" | "soft"`. */
function typeHtml(schema: JsonSchema | boolean | undefined): string {
  if (schema === undefined || schema === true) return "any";
  if (schema === false) return "nothing";
  if (schema.$ref !== undefined) return schemaLink(schema.$ref);
  if (schema.anyOf !== undefined) return schema.anyOf.map((s) => typeHtml(s)).join(" | ");
  if (schema.oneOf !== undefined) return schema.oneOf.map((s) => typeHtml(s)).join(" | ");
  if (schema.enum !== undefined) return schema.enum.map((v) => `<code>${escapeHtml(JSON.stringify(v))}</code>`).join(" | ");
  if (schema.const !== undefined) return `<code>${escapeHtml(JSON.stringify(schema.const))}</code>`;
  if (schema.type === "array") {
    if (schema.prefixItems !== undefined) return `[${schema.prefixItems.map((s) => typeHtml(s)).join(", ")}]`;
    const items = Array.isArray(schema.items) ? undefined : schema.items;
    return `array of ${typeHtml(items)}`;
  }
  if (Array.isArray(schema.type)) return schema.type.map((t) => escapeHtml(t)).join(" | ");
  if (schema.type === "object" && schema.properties !== undefined) return `object${propertiesTable(schema)}`;
  return escapeHtml(schema.type ?? "any");
}

/** Bounds and lengths worth showing (the safe-integer bounds zod adds to every integer are left out). */
function constraints(schema: JsonSchema | boolean | undefined): string[] {
  if (!isSchema(schema)) return [];
  const out: string[] = [];
  if (schema.minimum !== undefined && schema.minimum > -SAFE_INTEGER) out.push(`≥ ${schema.minimum}`);
  if (typeof schema.exclusiveMinimum === "number") out.push(`> ${schema.exclusiveMinimum}`);
  if (schema.maximum !== undefined && schema.maximum < SAFE_INTEGER) out.push(`≤ ${schema.maximum}`);
  if (typeof schema.exclusiveMaximum === "number") out.push(`< ${schema.exclusiveMaximum}`);
  if (schema.minLength !== undefined) out.push(`length ≥ ${schema.minLength}`);
  if (schema.maxLength !== undefined) out.push(`length ≤ ${schema.maxLength}`);
  if (schema.minItems !== undefined) out.push(`at least ${schema.minItems} item${schema.minItems === 1 ? "" : "s"}`);
  if (schema.maxItems !== undefined) out.push(`at most ${schema.maxItems} items`);
  if (schema.pattern !== undefined) out.push(`pattern <code>${escapeHtml(schema.pattern)}</code>`);
  if (schema.type === "array" && isSchema(schema.items)) out.push(...constraints(schema.items).map((c) => `each ${c}`));
  if (schema.anyOf !== undefined) for (const s of schema.anyOf) out.push(...constraints(s));
  return out;
}

function propertiesTable(schema: JsonSchema): string {
  const required = new Set(schema.required ?? []);
  const rows = Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const notes = constraints(property);
    const description = isSchema(property) && property.description !== undefined ? prose(property.description) : "";
    return (
      `<tr><td><code>${escapeHtml(name)}</code>${required.has(name) ? "" : '<span class="opt">optional</span>'}</td>` +
      `<td>${typeHtml(property)}</td><td>${[description, notes.join(", ")].filter((s) => s !== "").join("<br>")}</td></tr>`
    );
  });
  const closed = schema.additionalProperties === false ? '<p class="note">No other keys are accepted.</p>' : "";
  return `<table class="fields"><thead><tr><th>field</th><th>type</th><th>notes</th></tr></thead><tbody>${rows.join("")}</tbody></table>${closed}`;
}

function schemaSection(name: string, schema: JsonSchema): string {
  const description = schema.description === undefined ? "" : `<p>${prose(schema.description)}</p>`;
  const body = schema.type === "object" && schema.properties !== undefined ? propertiesTable(schema) : `<p>${typeHtml(schema)}</p>`;
  return `<section id="schema-${escapeHtml(name)}"><h3>${escapeHtml(name)}</h3>${description}${body}</section>`;
}

function operationSection(path: string, method: string, op: Operation): string {
  const anchor = `op-${op.operationId}`;
  const security = op.security === undefined ? "" : '<p class="note">Requires <code>Authorization: Bearer &lt;key&gt;</code>.</p>';
  let request = "";
  if (op.requestBody !== undefined) {
    const json = op.requestBody.content["application/json"];
    const example = json?.example === undefined ? "" : `<p>Example:</p><pre>${escapeHtml(JSON.stringify(json.example, null, 2))}</pre>`;
    const curl =
      json === undefined
        ? ""
        : `<pre>curl -s -X ${method.toUpperCase()} http://localhost:3000${escapeHtml(path)} -H 'content-type: application/json'${op.security === undefined ? "" : " -H 'authorization: Bearer $ALLOT_KEY'"} --data @plan.json</pre>`;
    request = `<h4>Request body</h4><p>${prose(op.requestBody.description)} <code>application/json</code>: ${json === undefined ? "" : typeHtml(json.schema)}</p>${curl}${example}`;
  }
  const rows = Object.entries(op.responses).map(([status, response]) => {
    const content = Object.entries(response.content ?? {})
      .map(([type, media]) => `<code>${escapeHtml(type)}</code> ${typeHtml(media.schema)}`)
      .join("<br>");
    const headers = Object.keys(response.headers ?? {})
      .map((h) => `<code>${escapeHtml(h)}</code>`)
      .join(", ");
    return `<tr><td>${escapeHtml(status)}</td><td>${prose(response.description)}</td><td>${content}</td><td>${headers}</td></tr>`;
  });
  return (
    `<section id="${escapeHtml(anchor)}"><h3><span class="method">${escapeHtml(method.toUpperCase())}</span> <code>${escapeHtml(path)}</code> — ${escapeHtml(op.summary)}</h3>` +
    `<p>${prose(op.description)}</p>${security}${request}` +
    `<h4>Responses</h4><table><thead><tr><th>status</th><th>meaning</th><th>body</th><th>headers</th></tr></thead><tbody>${rows.join("")}</tbody></table></section>`
  );
}

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#1d232a}
h1{margin-bottom:0}h2{border-bottom:1px solid #d0d7de;padding-bottom:.3rem;margin-top:2.5rem}
h3{margin-top:1.8rem}code,pre{font-family:ui-monospace,monospace;font-size:.9em}
pre{background:#f4f6f8;padding:.8rem;overflow:auto;border-radius:4px}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f6f8}table.fields table.fields{font-size:.92em}.opt{color:#6a737d;font-size:.8em;margin-left:.4em}
.method{background:#1f6feb;color:#fff;border-radius:3px;padding:0 .4rem;font-size:.85em}.note{color:#57606a}
nav ul{columns:3}`;

/** Renders the whole page. Pure: the same document gives the same HTML. */
export function renderDocsPage(document: OpenApiDocument): string {
  const operations = Object.entries(document.paths).flatMap(([path, item]) =>
    (["get", "post", "delete"] as const).flatMap((method) => {
      const op = item[method];
      return op === undefined ? [] : [{ path, method, op }];
    }),
  );
  const schemas = Object.entries(document.components.schemas).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const problems = (Object.keys(PROBLEMS) as ProblemKind[]).map((kind) => {
    const p = PROBLEMS[kind];
    return `<tr id="problem-${kind}"><td><code>/docs#problem-${kind}</code></td><td>${p.status}</td><td>${escapeHtml(p.title)}</td><td>${prose(p.description)}</td></tr>`;
  });
  const { info } = document;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(info.title)} API ${escapeHtml(info.version)}</title><style>${STYLE}</style></head>
<body>
<h1>${escapeHtml(info.title)} API</h1>
<p class="note">version ${escapeHtml(info.version)} · OpenAPI ${escapeHtml(document.openapi)} document: <a href="/openapi.json">/openapi.json</a></p>
<p><strong>${prose(info.summary)}</strong> ${prose(info.description)}</p>
<nav><h2>Contents</h2><ul>
${operations.map(({ path, method, op }) => `<li><a href="#op-${escapeHtml(op.operationId)}">${escapeHtml(method.toUpperCase())} ${escapeHtml(path)}</a></li>`).join("\n")}
<li><a href="#problems">Problem types</a></li>
${schemas.map(([name]) => `<li><a href="#schema-${escapeHtml(name)}">${escapeHtml(name)}</a></li>`).join("\n")}
</ul></nav>
<h2>Endpoints</h2>
${operations.map(({ path, method, op }) => operationSection(path, method, op)).join("\n")}
<h2 id="problems">Problem types</h2>
<p>Every error is <code>application/problem+json</code> (RFC 9457) with <code>type</code>, <code>title</code>, <code>status</code>, <code>detail</code>, <code>instance</code> and <code>requestId</code> (also in the <code>x-request-id</code> header); validation problems add <code>errors: [{ path, message }]</code> listing every problem found.</p>
<table><thead><tr><th>type</th><th>status</th><th>title</th><th>meaning</th></tr></thead><tbody>${problems.join("")}</tbody></table>
<h2>Schemas</h2>
${schemas.map(([name, schema]) => schemaSection(name, schema)).join("\n")}
</body></html>
`;
}
