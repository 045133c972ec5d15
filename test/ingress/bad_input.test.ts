/**
 * Bad input never reaches the journal (interface.md "HTTP ingress", rules.md [37]): one test
 * per error code, each showing the WAL's last LSN unchanged (and, at the end, that the WAL
 * holds only the good requests); the checks run 401 → 404 → 413 → 400 → 422 when several
 * apply; an empty body means `{}`; `/v1/health` is the only route without the token.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { compile } from "../../src/compiler/compile.ts";
import { buildServer } from "../../src/ingress/index.ts";
import { Runtime } from "../../src/runtime/runtime.ts";
import { RecordType } from "../../src/runtime/records.ts";

const SOURCE = `
type Item { sku: string, qty: int }
enum Size { Small, Large }

domain Order {
  state { items: list<Item> = [], total: int = 0, note: string = "" }

  transition AddItem(item: Item) {
    assert item.qty > 0, "qty must be positive"
    push(items, item)
    total += item.qty
    return total
  }

  transition Tag(tags: list<string>, size: Size, factor: float, gift: bool?) {
    note = "{len(tags)}"
  }

  transition Ping() { return "pong" }
}
`;

const TOKEN = "s3cret-token";
const AUTH = { authorization: `Bearer ${TOKEN}` };
const JSON_CT = { "content-type": "application/json" };
const LIMIT = 64 * 1024;

let dir: string;
let rt: Runtime;
let app: FastifyInstance;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "lexum-ingress-bad-"));
  rt = await Runtime.open({ program: compile(SOURCE), dataDir: dir });
  app = await buildServer(rt, { token: TOKEN, bodyLimit: LIMIT });
});

afterAll(async () => {
  await app.close();
  await rt.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

type Req = { method?: "GET" | "POST" | "PUT" | "DELETE"; url: string; body?: string; headers?: Record<string, string>; auth?: boolean };

/** Sends a request and checks that the journal did not move. */
async function rejected(r: Req): Promise<{ status: number; body: { error: { code: string; message: string; pointer?: string } }; headers: Record<string, unknown> }> {
  const before = rt.wal.lastLsn;
  const res = await app.inject({ method: r.method ?? "POST", url: r.url, payload: r.body, headers: { ...(r.auth === false ? {} : AUTH), ...(r.body !== undefined ? JSON_CT : {}), ...r.headers } });
  await rt.quiescent();
  expect(rt.wal.lastLsn, `${r.method ?? "POST"} ${r.url} journaled something`).toBe(before);
  return { status: res.statusCode, body: res.json(), headers: res.headers };
}

async function accepted(r: Req): Promise<{ lsn: number; mailbox_offset: number }> {
  const res = await app.inject({ method: r.method ?? "POST", url: r.url, payload: r.body, headers: { ...AUTH, ...r.headers } });
  expect(res.statusCode, res.body).toBe(202);
  return res.json();
}

const good = { item: { sku: "a", qty: 2 } };
const goodAdd = (id = "o-1") => ({ url: `/v1/domains/Order/${id}/AddItem`, body: JSON.stringify(good) });

describe("401: a token is required except for /v1/health", () => {
  test.each([
    ["no header", undefined],
    ["a wrong token", `Bearer nope`],
    ["the right token without Bearer", TOKEN],
    ["a longer token", `Bearer ${TOKEN}x`],
    ["basic auth", `Basic ${Buffer.from(`u:${TOKEN}`).toString("base64")}`],
  ])("POST with %s → 401, nothing journaled", async (_n, header) => {
    const r = await rejected({ ...goodAdd(), auth: false, headers: header ? { authorization: header } : {} });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe("UNAUTHORIZED");
    expect(r.headers["www-authenticate"]).toBe("Bearer");
  });

  test("GET of state and /metrics need the token; /v1/health does not", async () => {
    expect((await app.inject({ url: "/v1/domains/Order/o-1" })).statusCode).toBe(401);
    expect((await app.inject({ url: "/metrics" })).statusCode).toBe(401);
    const h = await app.inject({ url: "/v1/health" });
    expect(h.statusCode).toBe(200);
    expect(h.json()).toMatchObject({ status: "ok" });
    expect((await app.inject({ url: "/metrics", headers: AUTH })).statusCode).toBe(200);
  });
});

describe("404", () => {
  test("unknown domain", async () => {
    const r = await rejected({ url: "/v1/domains/Nope/o-1/AddItem", body: "{}" });
    expect(r.status).toBe(404);
    expect(r.body.error).toEqual({ code: "NOT_FOUND", message: 'unknown domain "Nope"' });
  });

  test("unknown transition", async () => {
    const r = await rejected({ url: "/v1/domains/Order/o-1/Refund", body: "{}" });
    expect(r.status).toBe(404);
    expect(r.body.error).toEqual({ code: "NOT_FOUND", message: 'domain Order has no transition "Refund"' });
  });

  test.each([
    ["POST", "/v1/domains/Order/o-1"],
    ["POST", "/v1/nothing"],
    ["GET", "/v2/domains/Order/o-1"],
    ["PUT", "/v1/domains/Order/o-1/AddItem"],
    ["DELETE", "/v1/domains/Order/o-1"],
    ["POST", "/v1/domains/Order/o-1/AddItem/extra"],
  ] as const)("unknown route %s %s", async (method, url) => {
    const r = await rejected({ method, url, body: "{}" });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe("NOT_FOUND");
  });

  test("GET of an instance never messaged, and of an unknown domain", async () => {
    const a = await rejected({ method: "GET", url: "/v1/domains/Order/never" });
    expect(a.status).toBe(404);
    expect(a.body.error.message).toBe("Order[never] was never messaged");
    const b = await rejected({ method: "GET", url: "/v1/domains/Nope/x" });
    expect(b.status).toBe(404);
  });

  test("a message that was rejected does not make the instance exist", async () => {
    await rejected({ url: "/v1/domains/Order/ghost/AddItem", body: '{"item": {"sku": "a", "qty": "two"}}' });
    expect((await app.inject({ url: "/v1/domains/Order/ghost", headers: AUTH })).statusCode).toBe(404);
  });
});

describe("413: a body over the limit", () => {
  test("is refused before it is parsed", async () => {
    const big = JSON.stringify({ item: { sku: "x".repeat(LIMIT), qty: 1 } });
    const r = await rejected({ url: "/v1/domains/Order/o-1/AddItem", body: big });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe("BODY_TOO_LARGE");
  });

  test("a body exactly at the limit is accepted (and then judged on its content)", async () => {
    const skel = JSON.stringify({ item: { sku: "", qty: 1 } });
    const atLimit = JSON.stringify({ item: { sku: "y".repeat(LIMIT - skel.length), qty: 1 } });
    expect(Buffer.byteLength(atLimit)).toBe(LIMIT);
    await accepted({ url: "/v1/domains/Order/big/AddItem", body: atLimit, headers: JSON_CT });
  });
});

describe("400: malformed JSON", () => {
  test.each([["{"], ['{"item": }'], ["{'a': 1}"], ["nul"], ['{"item": {"sku": "a", "qty": 1}} trailing']])("%s", async (body) => {
    const r = await rejected({ url: "/v1/domains/Order/o-1/AddItem", body });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("BAD_JSON");
  });

  test("whatever the content type says, the body is JSON", async () => {
    const r = await rejected({ url: "/v1/domains/Order/o-1/AddItem", body: "item=1", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(r.status).toBe(400);
  });

  test("a malformed percent-encoding in the URL is a 400 in our error shape", async () => {
    const r = await rejected({ url: "/v1/domains/Order/o%E0%A4%A/Ping", body: "{}" });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("BAD_URL");
  });
});

describe("422: arguments that do not fit the transition, with a JSON Pointer", () => {
  test.each([
    ["a string where an int is expected", { item: { sku: "a", qty: "2" } }, "/item/qty", /expected an int/],
    ["a non-integral int", { item: { sku: "a", qty: 1.5 } }, "/item/qty", /1\.5/],
    ["an int above 2^53−1", { item: { sku: "a", qty: 9007199254740992 } }, "/item/qty", /outside/],
    ["an int below −(2^53−1)", { item: { sku: "a", qty: -9007199254740992 } }, "/item/qty", /outside/],
    ["a missing field", { item: { sku: "a" } }, "/item/qty", /./],
    ["an unknown field inside a record", { item: { sku: "a", qty: 1, colour: "red" } }, "/item/colour", /unknown field/],
    ["an unknown argument", { item: { sku: "a", qty: 1 }, coupon: "X" }, "/coupon", /no parameter "coupon"/],
    ["a missing argument", {}, "/item", /missing argument "item"/],
    ["null for a record", { item: null }, "/item", /./],
    ["a list instead of a record", { item: [1] }, "/item", /./],
  ])("%s", async (_n, body, pointer, message) => {
    const r = await rejected({ url: "/v1/domains/Order/o-1/AddItem", body: JSON.stringify(body) });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe("BAD_ARGS");
    expect(r.body.error.pointer).toBe(pointer);
    expect(r.body.error.message).toMatch(message);
  });

  test.each([
    ["a number in a list of strings", { tags: ["a", 1], size: { $tag: "Small" }, factor: 1.5, gift: null }, "/tags/1"],
    ["an unknown enum variant", { tags: [], size: { $tag: "Huge" }, factor: 1, gift: null }, "/size/$tag"],
    ["a string for a float", { tags: [], size: { $tag: "Small" }, factor: "1.5", gift: true }, "/factor"],
    ["a number for an optional bool", { tags: [], size: { $tag: "Small" }, factor: 2, gift: 1 }, "/gift"],
  ])("%s", async (_n, body, pointer) => {
    const r = await rejected({ url: "/v1/domains/Order/o-2/Tag", body: JSON.stringify(body) });
    expect(r.status).toBe(422);
    expect(r.body.error.pointer).toBe(pointer);
  });

  test("field names with / and ~ are escaped in the pointer (RFC 6901)", async () => {
    const r = await rejected({ url: "/v1/domains/Order/o-1/AddItem", body: JSON.stringify({ item: { sku: "a", qty: 1 }, "a/b~c": 1 }) });
    expect(r.body.error.pointer).toBe("/a~1b~0c");
  });

  test.each([
    ["a JSON array", "[1, 2]"],
    ["a JSON string", '"hi"'],
    ["a JSON number", "42"],
    ["JSON null", "null"],
  ])("a body that is %s, not an object", async (_n, body) => {
    const r = await rejected({ url: "/v1/domains/Order/o-1/Ping", body });
    expect(r.status).toBe(422);
    expect(r.body.error.pointer).toBe("");
  });

  test.each([
    ["a control character", "o%01x", /control characters/],
    ["more than 256 bytes", "a".repeat(257), /at most 256/],
    ["more than 256 bytes of UTF-8 (86 × 3 bytes)", encodeURIComponent("€".repeat(86)), /at most 256/],
  ])("a bad instance id: %s", async (_n, id, message) => {
    const r = await rejected({ url: `/v1/domains/Order/${id}/Ping`, body: "{}" });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe("BAD_ID");
    expect(r.body.error.message).toMatch(message);
  });

  test("ids of 256 bytes (also percent-encoded multi-byte ones) are accepted", async () => {
    await accepted({ url: `/v1/domains/Order/${"b".repeat(256)}/Ping` });
    const euro = "€".repeat(85) + "z"; // 255 + 1 bytes
    const a = await accepted({ url: `/v1/domains/Order/${encodeURIComponent(euro)}/Ping` });
    expect(a.mailbox_offset).toBe(1);
    const st = await app.inject({ url: `/v1/domains/Order/${encodeURIComponent(euro)}`, headers: AUTH });
    expect(st.json().instance).toBe(euro);
  });
});

describe("the order of the checks: 401 → 404 → 413 → 400 → 422", () => {
  const huge = "x".repeat(LIMIT + 1);
  test.each([
    ["no token, unknown domain, huge malformed body", { url: "/v1/domains/Nope/o/AddItem", body: huge, auth: false }, 401],
    ["no token, unknown route", { url: "/v1/nope", body: "{", auth: false }, 401],
    ["unknown domain, huge body", { url: "/v1/domains/Nope/o/AddItem", body: huge }, 404],
    ["unknown transition, malformed body", { url: "/v1/domains/Order/o/Nope", body: "{" }, 404],
    ["unknown route, huge body", { url: "/v1/nope", body: huge }, 404],
    ["unknown route, malformed body", { url: "/v1/nope", body: "{" }, 404],
    ["huge malformed body with bad arguments", { url: "/v1/domains/Order/o/AddItem", body: `{"item": 1, ${huge}` }, 413],
    ["malformed body, bad instance id", { url: "/v1/domains/Order/o%01/AddItem", body: "{" }, 400],
    ["bad instance id and bad arguments", { url: "/v1/domains/Order/o%01/AddItem", body: '{"item": 1}' }, 422],
  ] as const)("%s → %i", async (_n, req, status) => {
    const r = await rejected(req as Req);
    expect(r.status).toBe(status);
  });
});

describe("an empty body means {}", () => {
  test.each([
    ["no body, no content type", {}],
    ["an empty JSON body", { body: "", headers: JSON_CT }],
    ["whitespace", { body: "  \n", headers: JSON_CT }],
    ["no content type, empty body", { body: "" }],
  ])("%s", async (_n, extra) => {
    const before = rt.wal.lastLsn;
    const ack = await accepted({ url: "/v1/domains/Order/empty/Ping", ...extra });
    expect(ack.lsn).toBeGreaterThan(before);
  });

  test("and {} still has to fit the transition", async () => {
    const r = await rejected({ url: "/v1/domains/Order/empty/AddItem" });
    expect(r.status).toBe(422);
    expect(r.body.error.pointer).toBe("/item");
  });
});

describe("only the good requests reached the journal", () => {
  test("every INPUT in the WAL is one of the accepted messages", async () => {
    await accepted({ ...goodAdd("final"), headers: JSON_CT });
    await rt.quiescent();
    const inputs: string[] = [];
    for await (const r of rt.wal.scan(rt.wal.firstLsn)) {
      if (r.type !== RecordType.INPUT) continue;
      const text = new TextDecoder().decode(r.payload);
      inputs.push(text.includes("final") ? "final" : text.includes("empty") ? "empty" : text.includes("big") ? "big" : "id");
    }
    // big (1), the two 256-byte ids (2), empty (4), final (1)
    expect(inputs.sort()).toEqual(["big", "empty", "empty", "empty", "empty", "final", "id", "id"]);
    const st = await app.inject({ url: "/v1/domains/Order/final", headers: AUTH });
    expect(st.json()).toMatchObject({ domain: "Order", instance: "final", cycle: 1, mailbox_offset: 1, state: { items: [good.item], total: 2, note: "" }, status: "ACTIVE" });
    expect(st.json().run_hash).toMatch(/^0x[0-9a-f]{64}$/);
  });
});
