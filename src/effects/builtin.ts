/**
 * Built-in adapters for the prelude's effects (rules.md [25]):
 *
 * - `Http.request(method, url, headers, body) -> HttpResponse` over the global fetch (undici).
 *   The idempotency key goes out as the `Idempotency-Key` header. 5xx and 429 answers, and
 *   network errors, are retryable failures; other statuses are results the program sees.
 *   The attempt's abort signal enforces the declared timeout.
 * - `Log.write(message) -> bool` writes one structured log line.
 */
import { AdapterError, type Adapter } from "./dispatcher.ts";

export const httpRequest: Adapter = async (args, ctx) => {
  const method = String(args["method"] ?? "GET").toUpperCase();
  const url = String(args["url"] ?? "");
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AdapterError(`Http.request: invalid URL ${JSON.stringify(url)}`, true);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new AdapterError(`Http.request: only http and https URLs are supported, not ${parsed.protocol}`, true);
  const headers = new Headers();
  for (const [k, v] of Object.entries((args["headers"] as Record<string, string>) ?? {})) headers.set(k, v);
  if (!headers.has("idempotency-key")) headers.set("Idempotency-Key", ctx.idempotencyKey);
  const body = method === "GET" || method === "HEAD" ? undefined : String(args["body"] ?? "");
  let res: Response;
  try {
    res = await fetch(parsed, { method, headers, body, signal: ctx.signal, redirect: "follow" });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new AdapterError(`Http.request ${method} ${url}: ${cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e))}`);
  }
  const text = await res.text();
  if (res.status >= 500 || res.status === 429) throw new AdapterError(`Http.request ${method} ${url}: HTTP ${res.status}`);
  const outHeaders: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    outHeaders[k] = v;
  });
  return { status: res.status, headers: outHeaders, body: text };
};

export function logWrite(sink: (line: string) => void): Adapter {
  return (args, ctx) => {
    sink(JSON.stringify({ effect: "Log.write", domain: ctx.domain, instance: ctx.instance, key: ctx.idempotencyKey, message: args["message"] }));
    return true;
  };
}

export function builtinAdapters(logSink: (line: string) => void): Record<string, Adapter> {
  return { "Http.request": httpRequest, "Log.write": logWrite(logSink) };
}
