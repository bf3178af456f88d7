import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { SiteFooter } from "~/components/site-footer";
import { SiteHeader } from "~/components/site-header";
import { buildOpenApiDocument } from "../openapi.server";

// GET /api/v1/docs — the API reference for the BSS's developers, rendered on the server from
// the OpenAPI document (no JavaScript, no CDN). In English, like the API's messages.

type Json = Record<string, unknown>;

interface Parameter {
  name: string;
  in: string;
  required: boolean;
  description?: string;
  schema: Json;
}

interface Operation {
  method: string;
  path: string;
  operationId: string;
  summary: string;
  description: string | null;
  scopes: string[];
  parameters: Parameter[];
  requestSchema: string | null;
  responses: { status: string; description: string; schema: string | null }[];
}

const METHODS = ["get", "put", "post", "delete", "patch"] as const;

function resolve(document: Json, value: unknown): unknown {
  if (value && typeof value === "object" && "$ref" in value) {
    const path = String((value as Json).$ref)
      .replace(/^#\//, "")
      .split("/");
    let target: unknown = document;
    for (const part of path) target = (target as Json)[part];
    return target;
  }
  return value;
}

const schemaName = (value: unknown) =>
  value && typeof value === "object" && "$ref" in value
    ? String((value as Json).$ref)
        .split("/")
        .at(-1)!
    : null;

function contentSchema(content: unknown): string | null {
  const schema = (content as Json | undefined)?.["application/json"] as Json | undefined;
  return schema ? schemaName(schema.schema) : null;
}

export function loader({ context }: LoaderFunctionArgs) {
  const document = buildOpenApiDocument(context.env.APP_URL);
  const info = document.info as { title: string; version: string; description: string };
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths as Record<string, Json>)) {
    for (const method of METHODS) {
      const operation = item[method] as Json | undefined;
      if (!operation) continue;
      const responses = operation.responses as Record<string, Json>;
      operations.push({
        method: method.toUpperCase(),
        path,
        operationId: String(operation.operationId),
        summary: String(operation.summary),
        description: typeof operation.description === "string" ? operation.description : null,
        scopes: ((operation.security as Record<string, string[]>[] | undefined) ?? []).flatMap(
          (entry) => Object.values(entry).flat(),
        ),
        parameters: ((operation.parameters as unknown[] | undefined) ?? []).map(
          (parameter) => resolve(document, parameter) as Parameter,
        ),
        requestSchema: contentSchema((operation.requestBody as Json | undefined)?.content),
        responses: Object.entries(responses).map(([status, response]) => ({
          status,
          description: String(response.description),
          schema: contentSchema(response.content),
        })),
      });
    }
  }
  const schemas = (document.components as { schemas: Record<string, Json> }).schemas;
  return {
    title: info.title,
    version: info.version,
    description: info.description,
    operations,
    schemas: Object.entries(schemas).map(([name, schema]) => ({
      name,
      json: JSON.stringify(schema, null, 2),
    })),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.title ?? "API"} — reference` },
];

/** The few Markdown marks the descriptions use: **bold** and `code`, one paragraph per line. */
function Text({ text }: { text: string }) {
  return (
    <>
      {text
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line, index) => (
          <p key={index}>
            {line
              .split(/(\*\*[^*]+\*\*|`[^`]+`)/)
              .map((part, i) =>
                part.startsWith("**") ? (
                  <strong key={i}>{part.slice(2, -2)}</strong>
                ) : part.startsWith("`") ? (
                  <code key={i}>{part.slice(1, -1)}</code>
                ) : (
                  part
                ),
              )}
          </p>
        ))}
    </>
  );
}

export default function ApiDocs() {
  const { title, version, description, operations, schemas } = useLoaderData<typeof loader>();
  return (
    <>
      <SiteHeader />
      <main id="main" className="page" lang="en">
        <div className="container stack">
          <h1>
            {title} <small>v{version}</small>
          </h1>
          <Text text={description} />
          <p>
            Machine-readable document: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>{" "}
            (OpenAPI 3.1).
          </p>
          <nav aria-labelledby="api-docs-toc">
            <h2 id="api-docs-toc">Endpoints</h2>
            <ul>
              {operations.map((operation) => (
                <li key={operation.operationId}>
                  <a href={`#${operation.operationId}`}>
                    <code>{`${operation.method} ${operation.path}`}</code>
                  </a>{" "}
                  — {operation.summary}
                </li>
              ))}
            </ul>
          </nav>
          {operations.map((operation) => (
            <section
              key={operation.operationId}
              id={operation.operationId}
              aria-labelledby={`${operation.operationId}-title`}
              className="stack"
            >
              <h2 id={`${operation.operationId}-title`}>
                <code>{`${operation.method} ${operation.path}`}</code>
              </h2>
              <p>
                <strong>{operation.summary}</strong>
              </p>
              {operation.description ? <Text text={operation.description} /> : null}
              <p>
                Scope: <code>{operation.scopes.join(", ")}</code>
              </p>
              {operation.parameters.length > 0 ? (
                <div
                  className="table-wrapper"
                  role="region"
                  aria-labelledby={`${operation.operationId}-parameters`}
                  tabIndex={0}
                >
                  <table className="table">
                    <caption id={`${operation.operationId}-parameters`}>Parameters</caption>
                    <thead>
                      <tr>
                        <th scope="col">Name</th>
                        <th scope="col">In</th>
                        <th scope="col">Required</th>
                        <th scope="col">Description</th>
                      </tr>
                    </thead>
                    <tbody>
                      {operation.parameters.map((parameter) => (
                        <tr key={`${parameter.in}-${parameter.name}`}>
                          <th scope="row">
                            <code>{parameter.name}</code>
                          </th>
                          <td>{parameter.in}</td>
                          <td>{parameter.required ? "yes" : "no"}</td>
                          <td>{parameter.description ?? ""}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              ) : null}
              {operation.requestSchema ? (
                <p>
                  Request body (<code>application/json</code>):{" "}
                  <a href={`#schema-${operation.requestSchema}`}>{operation.requestSchema}</a>
                </p>
              ) : null}
              <div
                className="table-wrapper"
                role="region"
                aria-labelledby={`${operation.operationId}-responses`}
                tabIndex={0}
              >
                <table className="table">
                  <caption id={`${operation.operationId}-responses`}>Responses</caption>
                  <thead>
                    <tr>
                      <th scope="col">Status</th>
                      <th scope="col">Meaning</th>
                      <th scope="col">Body</th>
                    </tr>
                  </thead>
                  <tbody>
                    {operation.responses.map((response) => (
                      <tr key={response.status}>
                        <th scope="row">{response.status}</th>
                        <td>
                          <Text text={response.description} />
                        </td>
                        <td>
                          {response.schema ? (
                            <a href={`#schema-${response.schema}`}>{response.schema}</a>
                          ) : null}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          ))}
          <h2>Schemas</h2>
          {schemas.map((schema) => (
            <section
              key={schema.name}
              id={`schema-${schema.name}`}
              aria-labelledby={`schema-${schema.name}-title`}
            >
              <h3 id={`schema-${schema.name}-title`}>{schema.name}</h3>
              {/* Wraps on a phone rather than scrolling sideways. */}
              <pre className="hash">{schema.json}</pre>
            </section>
          ))}
        </div>
      </main>
      <SiteFooter />
    </>
  );
}
