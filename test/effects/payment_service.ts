/**
 * A stand-in for a payment API, run as a plain Node http server inside the test process.
 *
 * `POST /charges` with an `Idempotency-Key` header and `{account, amount}`: the first request
 * for a key charges once and answers a receipt; every later request with that key answers the
 * same receipt without charging again (a different body for a known key is a 422, as real
 * payment APIs do). It counts requests, charges and responses per key, so a test can show
 * "one logical call per key" however often the runtime re-dispatched.
 *
 * `afterResponse` runs once a response has been handed to the kernel: the crash test uses it
 * to SIGKILL the runtime in the window between "the service answered" and "the runtime
 * journaled the result".
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";

export type KeyStats = { requests: number; charges: number; responses: number; receipt: { id: string; amount: number }; account: string };

export type ResponseInfo = { key: string; account: string; pid: number; responsesForKey: number };

export class PaymentService {
  readonly byKey = new Map<string, KeyStats>();
  requests = 0;
  /** Answer after this many ms (default 0): spreads the work so kills land mid-flight. */
  delayMs: () => number = () => 0;
  afterResponse: ((info: ResponseInfo) => void) | null = null;
  private server: http.Server | null = null;

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** Total charges applied (should equal the number of distinct keys). */
  get charges(): number {
    let n = 0;
    for (const s of this.byKey.values()) n += s.charges;
    return n;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let text = "";
    for await (const chunk of req) text += chunk;
    const key = req.headers["idempotency-key"];
    if (req.method !== "POST" || req.url !== "/charges" || typeof key !== "string" || key === "") {
      res.writeHead(400).end("need POST /charges with an Idempotency-Key");
      return;
    }
    const body = JSON.parse(text) as { account: string; amount: number };
    this.requests++;
    let s = this.byKey.get(key);
    if (s === undefined) {
      s = { requests: 0, charges: 1, responses: 0, receipt: { id: `rcpt-${key}`, amount: body.amount }, account: body.account };
      this.byKey.set(key, s);
    } else if (s.account !== body.account || s.receipt.amount !== body.amount) {
      res.writeHead(422).end("idempotency key reused with a different request");
      return;
    }
    s.requests++;
    const delay = this.delayMs();
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    const stats = s;
    const pid = Number(req.headers["x-runtime-pid"] ?? 0);
    res.on("finish", () => {
      stats.responses++;
      this.afterResponse?.({ key, account: stats.account, pid, responsesForKey: stats.responses });
    });
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(stats.receipt));
  }
}
