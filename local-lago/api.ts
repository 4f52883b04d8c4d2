// The routing layer every resource room uses: auth, Lago's body rules (§1.1), one transaction per
// request, and Lago's error bodies. Handlers are synchronous so a request commits atomically.
import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import type { Context, Hono } from "hono";
import { bearerToken, sameSecret } from "./auth";
import type { LagoContext } from "./context";
import { badRequest, LagoHttpError, lagoRaises, unauthorized } from "./errors";

export interface ApiRequest {
  params: Record<string, string>;
  /** Single query value (`?page=2`). */
  query(name: string): string | undefined;
  /** Repeated or Rails-array query values (`?status[]=active&status[]=pending`). */
  queryAll(name: string): string[];
  /** Only the Rails-array form (`?status[]=active`): strong parameters' `permit(status: [])` drops a scalar `?status=`. */
  queryArray(name: string): string[];
  /** All query values, first occurrence each. */
  queries: Record<string, string>;
  /**
   * The object under the root key; Lago answers 400 when it is missing or blank. Controllers reading it
   * with `params.require(root).permit(...)` raise on a present value that is not an object (String#permit
   * does not exist: Lago answers 500); those using `params.expect(root: [...])` answer 400 (pass "expect").
   */
  body(root: string, read?: "require" | "expect"): Record<string, unknown>;
  /** The parsed JSON body, or undefined when there was none or it could not be parsed. */
  rawBody: unknown;
  lago: LagoContext;
}

export type Handler = (req: ApiRequest) => unknown;

type Method = "get" | "post" | "put" | "delete";

export interface Api {
  get(path: string, handler: Handler): void;
  post(path: string, handler: Handler): void;
  put(path: string, handler: Handler): void;
  delete(path: string, handler: Handler): void;
}

/** One room per Lago object: each registers its routes on the API. */
export type Room = (api: Api, lago: LagoContext) => void;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The body as text; straight from Node's request stream when served by Node, which skips the web-stream copy. */
async function bodyText(c: Context): Promise<string> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!(incoming instanceof Readable) || incoming.readableDidRead) return c.req.text();
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function readJson(c: Context): Promise<unknown> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) return undefined; // Rails does not parse other bodies
  const text = await bodyText(c);
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // malformed JSON: the root key is then missing → 400 like Lago
  }
}

export function createApi(app: Hono, base: string, lago: LagoContext, apiKey: () => string): Api {
  const route = (method: Method) => (path: string, handler: Handler) => {
    app[method](base + path, async (c) => {
      try {
        if (!sameSecret(bearerToken(c.req.header("authorization")), apiKey())) throw unauthorized();
        const rawBody = method === "get" ? undefined : await readJson(c);
        const url = new URL(c.req.url);
        const queries: Record<string, string> = {};
        for (const [k, v] of url.searchParams) if (!(k in queries)) queries[k] = v;
        const req: ApiRequest = {
          params: c.req.param() as Record<string, string>, // hono decodes path params
          query: (name) => url.searchParams.get(name) ?? undefined,
          queryAll: (name) => [...url.searchParams.getAll(name), ...url.searchParams.getAll(`${name}[]`)],
          queryArray: (name) => url.searchParams.getAll(`${name}[]`),
          queries,
          rawBody,
          body(root, read = "require") {
            const value = isObject(rawBody) ? rawBody[root] : undefined;
            if (isObject(value) && Object.keys(value).length) return value;
            // Rails' `present?` (blank strings, empty arrays and hashes are not), and `require` keeps false too.
            const present = value === false || (value !== undefined && value !== null && !(typeof value === "string" && !value.trim()) && !(Array.isArray(value) && !value.length) && !isObject(value));
            if (present && read === "require") throw lagoRaises(`${root} sent as ${JSON.stringify(value).slice(0, 40)}: params.require(:${root}).permit`);
            throw badRequest(root);
          },
          lago,
        };
        const body = lago.store.transaction(() => handler(req));
        return c.json(body as object, 200);
      } catch (error) {
        if (error instanceof LagoHttpError) return c.json(error.body, error.status as 400);
        console.error(`[local-lago] ${method.toUpperCase()} ${c.req.path} raised`, error);
        return c.json({ status: 500, error: "Internal Server Error" }, 500);
      }
    });
  };
  return { get: route("get"), post: route("post"), put: route("put"), delete: route("delete") };
}
