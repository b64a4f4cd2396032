// Hostile input against a running Weft: `npm run probe -- http://127.0.0.1:3000` (the default).
// A bounded, fixed list of requests (a few hundred, four at a time) an attacker or a careless
// client would send: foreign origins, legacy data requests, bodies that are not what a route
// takes, oversized and endless bodies, out-of-range numbers, prototype-named ids, forged tokens,
// odd paths and methods. It only talks to loopback, signs up one throwaway account, and reports
// how many answers had each status; any 5xx is a failure (exit code 1). e2e/probe.spec.ts runs
// it against the production build inside `npm test`.
import { randomUUID } from "node:crypto";

export interface ProbeResult {
  total: number;
  byStatus: Record<string, number>;
  /** Requests answered with a 5xx (or not answered at all), with what was sent. */
  failures: string[];
}

interface Probe {
  name: string;
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: BodyInit | (() => BodyInit);
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

export async function runProbe(baseUrl: string, log: (line: string) => void = () => {}): Promise<ProbeResult> {
  const base = new URL(baseUrl);
  if (!LOOPBACK.has(base.hostname)) throw new Error(`The probe only talks to loopback; ${base.hostname} is not.`);
  const origin = base.origin;
  const evil = "https://evil.example";

  // One throwaway account, signed up as a browser would, and a token and a workflow of its own.
  const email = `probe-${randomUUID()}@example.com`;
  const signup = await fetch(`${origin}/signup`, {
    method: "POST",
    headers: { Origin: origin, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password: "probe password 123" }),
    redirect: "manual",
  });
  const cookie = (signup.headers.get("set-cookie") ?? "").split(";")[0];
  if (!cookie) throw new Error(`Sign-up failed (${signup.status}); is ${origin} a Weft server?`);
  const session = { Cookie: cookie, Origin: origin };
  const tokenResponse = await fetch(`${origin}/api/tokens`, {
    method: "POST",
    headers: { ...session, "Content-Type": "application/json" },
    body: JSON.stringify({ name: "probe" }),
  });
  const { token } = (await tokenResponse.json()) as { token: string };
  const bearer = { Authorization: `Bearer ${token}` };
  const json = { ...bearer, "Content-Type": "application/json" };
  const { workflows } = (await (await fetch(`${origin}/api/workflows`, { headers: bearer })).json()) as { workflows: { id: string }[] };
  const workflowId = workflows[0].id;

  const form = { "Content-Type": "application/x-www-form-urlencoded" };
  const probes: Probe[] = [];
  const add = (probe: Probe) => probes.push(probe);

  // Forged writes and legacy data requests, on every page with an action.
  for (const page of ["/login", "/signup", "/settings", "/workflows", "/logout", `/workflows/${workflowId}`, "/runs/x"]) {
    add({ name: "foreign origin", path: page, method: "POST", headers: { ...form, Origin: evil, Cookie: cookie }, body: "intent=create&name=x" });
    add({ name: "opaque origin", path: page, method: "POST", headers: { ...form, Origin: "null" }, body: "a=b" });
    add({ name: "cross-site fetch", path: page, method: "POST", headers: { ...form, "Sec-Fetch-Site": "cross-site" }, body: "a=b" });
    add({ name: "_data", path: `${page}?_data=routes%2Flogin`, method: "POST", headers: { ...form, Origin: evil }, body: "a=b" });
    add({ name: "_data GET", path: `${page}?_data=root` });
    add({ name: "JSON to a form", path: page, method: "POST", headers: { ...session, "Content-Type": "application/json" }, body: '{"email":"a@b.c"}' });
    add({ name: "empty body", path: page, method: "POST", headers: session });
    add({ name: "broken multipart", path: page, method: "POST", headers: { ...session, "Content-Type": "multipart/form-data; boundary=x" }, body: "--y\r\n" });
    add({ name: "oversized form", path: page, method: "POST", headers: { ...session, ...form }, body: `a=${"x".repeat(200_000)}` });
    add({ name: ".data route", path: `${page}.data`, method: "POST", headers: { ...session, ...form }, body: "intent=nothing" });
  }
  add({ name: "NUL in a form", path: "/workflows", method: "POST", headers: { ...session, ...form }, body: "intent=create&name=a%00b" });
  add({ name: "NUL in a login", path: "/login", method: "POST", headers: { ...form, Origin: origin }, body: "email=a%00%40b.c&password=x" });
  add({ name: "endless chunked form", path: "/login", method: "POST", headers: { ...form, Origin: origin }, body: () => endlessBody(2_000_000) });

  // Open redirects after login.
  for (const redirectTo of ["//evil.example/x", "/\\evil.example/x", "/\t/evil.example/x", "https://evil.example", "/%0d%0aSet-Cookie:x=y"]) {
    add({ name: "redirectTo", path: `/login?${new URLSearchParams({ redirectTo })}` });
    add({
      name: "login redirectTo",
      path: "/login",
      method: "POST",
      headers: { ...form, Origin: origin },
      body: new URLSearchParams({ email: "nobody@example.com", password: "wrong", redirectTo }).toString(),
    });
  }

  // The JSON API with values out of range, ids named after prototype properties, broken JSON.
  const graphWith = (nodes: unknown[], edges: unknown[] = []) => JSON.stringify({ name: "probe", graph: { nodes, edges } });
  const textNode = (id: unknown) => ({ id, type: "text", position: { x: 0, y: 0 }, data: { text: "x" } });
  for (const body of [
    '{"version":2147483648}',
    '{"version":-1}',
    '{"version":1e308}',
    '{"version":"1"}',
    '{"name":"x","version":1,"graph":{"nodes":"no"}}',
    "{",
    "",
    "null",
    "[]",
    `{"version":1,"name":"${"n".repeat(5000)}"}`,
    `{"version":1,"graph":${"[".repeat(5000)}${"]".repeat(5000)}}`,
    '{"version":1,"name":"nul \\u0000 here"}',
    '{"version":1,"graph":{"nodes":[{"id":"t","type":"text","position":{"x":0,"y":0},"data":{"text":"\\u0000"}}],"edges":[]}}',
  ]) {
    add({ name: "PUT workflow", path: `/api/workflows/${workflowId}`, method: "PUT", headers: json, body });
  }
  for (const id of ["__proto__", "constructor", "toString", "", "a".repeat(500), 42, null, "<img src=x>"]) {
    add({ name: "node id", path: "/api/workflows", method: "POST", headers: json, body: graphWith([textNode(id)]) });
  }
  const badEdges = Array.from({ length: 8000 }, (_, index) => ({ id: `e${index}`, source: "a", sourceHandle: "text", target: `m${index}`, targetHandle: "x" }));
  add({ name: "8000 bad edges", path: "/api/workflows", method: "POST", headers: json, body: graphWith([textNode("a")], badEdges) });
  add({ name: "import junk", path: "/api/workflows/import", method: "POST", headers: json, body: '{"weft":99}' });
  add({ name: "wrong type", path: "/api/workflows", method: "POST", headers: { ...bearer, "Content-Type": "text/plain" }, body: "hi" });
  const yearZero = Buffer.from(JSON.stringify(["0000-01-01T00:00:00.000Z", "x"])).toString("base64url");
  for (const query of [`cursor=${yearZero}`, "cursor=%ff%fe", "limit=1e9", "limit=-1", "cursor=" + "A".repeat(4000), "limit[]=1"]) {
    add({ name: "runs query", path: `/api/workflows/${workflowId}/runs?${query}`, headers: bearer });
  }
  for (const body of ['{"scope":"full"}', '{"scope":"selected","nodeIds":["__proto__"]}', '{"scope":"single","nodeIds":[]}', '{"scope":"everything"}', "{}"]) {
    add({ name: "start run", path: `/api/workflows/${workflowId}/runs`, method: "POST", headers: json, body });
  }
  for (const body of ['{"monthlyUsd":-1}', '{"perRunUsd":"lots"}', '{"monthlyUsd":1e400}', '{"budget":5}', "[]"]) {
    add({ name: "account limits", path: "/api/account/limits", method: "PUT", headers: json, body });
  }
  for (const query of ["scope=nope", "scope=single", "scope=selected&nodeIds=%00", `scope=single&nodeIds=${"x".repeat(5000)}`]) {
    add({ name: "estimate query", path: `/api/workflows/${workflowId}/estimate?${query}`, headers: bearer });
  }
  add({ name: "token minting a token", path: "/api/tokens", method: "POST", headers: json, body: '{"name":"child"}' });
  add({ name: "token lifetime", path: "/api/tokens", method: "POST", headers: { ...session, "Content-Type": "application/json" }, body: '{"name":"x","expiresInDays":1e9}' });

  // Uploads: not multipart, no file, a huge declared picture, text pretending to be an image.
  const upload = (parts: [string, Blob | string, string?][]) => () => {
    const data = new FormData();
    for (const [name, value, filename] of parts) {
      if (typeof value === "string") data.append(name, value);
      else data.append(name, value, filename);
    }
    return data;
  };
  add({ name: "upload JSON", path: "/api/assets", method: "POST", headers: json, body: "{}" });
  add({ name: "upload no file", path: "/api/assets", method: "POST", headers: bearer, body: upload([["kind", "image"]]) });
  add({ name: "upload text", path: "/api/assets", method: "POST", headers: bearer, body: upload([["file", new Blob(["<svg onload=alert(1)>"]), "x.png"]]) });
  add({ name: "upload huge png", path: "/api/assets", method: "POST", headers: bearer, body: upload([["file", new Blob([hugePngHeader()]), "huge.png"]]) });
  add({ name: "upload bad kind", path: "/api/assets", method: "POST", headers: bearer, body: upload([["kind", "pdf"], ["file", new Blob(["x"]), "x"]]) });

  // Ids, tokens and paths that name nothing, or try to climb out.
  for (const path of [
    "/files/..%2F..%2Fetc%2Fpasswd",
    "/files/%00",
    "/files/a%01b",
    "/api/workflows/%00",
    "/runs/%00",
    "/files/__proto__",
    `/share/${"a".repeat(43)}`,
    "/share/x/files/y",
    `/share/${"a".repeat(43)}/files/__proto__`,
    "/runs/__proto__",
    `/workflows/${"x".repeat(2000)}`,
    "/api/runs/constructor",
    "/api/workflows/%E0%A4%A",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/realtime/v1/runs/x?offset=-1",
    "/realtime/v1/runs/x?offset=abc&live=maybe",
    "/realtime/v1/streams/x/llm-text",
    "/nope",
    `/${"deep/".repeat(300)}`,
  ]) {
    add({ name: "path", path });
    add({ name: "path with forged token", path, headers: { Authorization: "Bearer eyJhbGciOiJub25lIn0.eyJzY29wZXMiOlsicmVhZDpydW5zOngiXX0." } });
    add({ name: "path with bad cookie", path, headers: { Cookie: "weft_session=%%%; weft_session=x.y" } });
  }
  for (const method of ["PATCH", "DELETE", "PUT", "OPTIONS", "POST"]) {
    for (const path of ["/api/tokens", "/api/assets", `/api/workflows/${workflowId}/runs`, "/healthz", "/login"]) {
      add({ name: method, path, method, headers: { ...json, Origin: origin } });
    }
  }

  const byStatus: Record<string, number> = {};
  const failures: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < probes.length) {
      const probe = probes[next++];
      const body = typeof probe.body === "function" ? probe.body() : probe.body;
      let status: string;
      try {
        const response = await fetch(`${origin}${probe.path}`, {
          method: probe.method ?? "GET",
          headers: probe.headers,
          body,
          redirect: "manual",
          signal: AbortSignal.timeout(30_000),
          ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
        } as RequestInit);
        await response.arrayBuffer().catch(() => undefined);
        status = String(response.status);
      } catch (error) {
        // A server that cuts an endless body off with 413 may reset the connection before fetch reads the answer.
        status = probe.name === "endless chunked form" ? "reset" : `error: ${(error as Error).message}`;
      }
      byStatus[status] = (byStatus[status] ?? 0) + 1;
      if (!/^[1-4]\d\d$|^reset$/.test(status)) failures.push(`${status} ${probe.method ?? "GET"} ${probe.path.slice(0, 120)} (${probe.name})`);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  log(`${probes.length} requests: ${JSON.stringify(byStatus)}`);
  for (const failure of failures) log(`  ${failure}`);
  return { total: probes.length, byStatus, failures };
}

/** A chunked body of `bytes` bytes, sent in 16 kB pieces. */
function endlessBody(bytes: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      const piece = new Uint8Array(16_384).fill(0x61);
      sent += piece.byteLength;
      controller.enqueue(piece);
    },
  });
}

/** A PNG header declaring 16000×16000 pixels and no real picture data behind it. */
function hugePngHeader(): Uint8Array<ArrayBuffer> {
  const bytes = Buffer.alloc(33 + 12);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes, 0);
  bytes.writeUInt32BE(13, 8);
  bytes.write("IHDR", 12, "latin1");
  bytes.writeUInt32BE(16000, 16);
  bytes.writeUInt32BE(16000, 20);
  bytes[24] = 8;
  bytes[25] = 2;
  bytes.write("IEND", 37, "latin1");
  return new Uint8Array(bytes);
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const target = process.argv[2] ?? process.env.PROBE_URL ?? "http://127.0.0.1:3000";
  runProbe(target, (line) => process.stdout.write(`[probe] ${line}\n`)).then(
    (result) => process.exit(result.failures.length === 0 ? 0 : 1),
    (error: unknown) => {
      process.stderr.write(`[probe] ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(2);
    },
  );
}
