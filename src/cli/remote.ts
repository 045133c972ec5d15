/** CLI commands that talk to a running `lexum run` server over HTTP. */
import { LexumError } from "../base/errors.ts";
import type { Io } from "./main.ts";

function headers(token: string | undefined): Record<string, string> {
  const h: Record<string, string> = { "content-type": "application/json" };
  if (token) h["authorization"] = `Bearer ${token}`;
  return h;
}

async function request(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (e) {
    // undici puts the reason in `cause`: an errno code, or only a message ("bad port").
    const c = (e as { cause?: { code?: string; message?: string } }).cause;
    const cause = c?.code ?? c?.message;
    throw new LexumError("NO_SERVER", `cannot reach ${url}${cause ? ` (${cause})` : ""}: is \`lexum run\` running there?`, 1);
  }
}

export async function stateFromUrl(base: string, domain: string, id: string, token: string | undefined, io: Io): Promise<number> {
  const url = `${base.replace(/\/+$/, "")}/v1/domains/${encodeURIComponent(domain)}/${encodeURIComponent(id)}`;
  const res = await request(url, { headers: headers(token) });
  const text = await res.text();
  if (res.status === 200) {
    io.out(JSON.stringify(JSON.parse(text), null, 2));
    return 0;
  }
  io.err(`lexum: ${res.status} ${text}`);
  return 1;
}

export async function sendToUrl(base: string, domain: string, id: string, transition: string, args: unknown, o: { wait?: boolean; token?: string; key?: string }, io: Io): Promise<number> {
  const url = `${base.replace(/\/+$/, "")}/v1/domains/${encodeURIComponent(domain)}/${encodeURIComponent(id)}/${encodeURIComponent(transition)}${o.wait ? "?wait=1" : ""}`;
  const h = headers(o.token);
  if (o.key) h["idempotency-key"] = o.key;
  const res = await request(url, { method: "POST", headers: h, body: JSON.stringify(args) });
  const text = await res.text();
  if (res.status === 200 || res.status === 202) {
    io.out(text);
    return 0;
  }
  io.err(`lexum: ${res.status} ${text}`);
  return 1;
}
