import express from "express";
import type http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  closeWhenBodyUnread,
  CSP_NONCE_LOCAL,
  FORM_BODY_LOCAL,
  limitFormBodies,
  refuseLegacyDataRequests,
  refuseUnreadablePaths,
  requireSameOriginWrites,
  securityHeaders,
} from "./http-guards";

// The guards in front of Remix, on a real Express server: each answers what a browser (or an
// attacker's script) would see. The final handler stands for Remix and echoes what reached it.

const LIMIT = 1024;
let server: http.Server;
let base: string;
let port: number;

beforeAll(async () => {
  const app = express();
  app.use(closeWhenBodyUnread);
  app.use(securityHeaders({ production: true, connectOrigins: ["https://api.trigger.dev"] }));
  app.use(refuseUnreadablePaths);
  app.use(refuseLegacyDataRequests);
  app.use(requireSameOriginWrites);
  app.use(limitFormBodies({ limitFor: (req) => (req.path.startsWith("/api/") ? null : LIMIT) }));
  app.all("*", (req, res) => {
    const body: unknown = res.locals[FORM_BODY_LOCAL];
    res.json({ reached: true, bodyBytes: body instanceof Buffer ? body.byteLength : null, nonce: res.locals[CSP_NONCE_LOCAL] });
  });
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function post(path: string, headers: Record<string, string>, body = "email=a%40b.c&password=x") {
  return fetch(`${base}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body,
    redirect: "manual",
  });
}

describe("legacy Remix data requests", () => {
  it("refuses ?_data for every method, cross-site or not", async () => {
    const login = await post("/login?_data=routes%2Flogin", { Origin: "https://evil.example" });
    expect(login.status).toBe(400);
    const sameSite = await post("/signup?_data=routes%2Fsignup", { Origin: base });
    expect(sameSite.status).toBe(400);
    expect(await sameSite.text()).toContain("_data");
    expect((await fetch(`${base}/workflows?_data=root`)).status).toBe(400);
  });
});

describe("unreadable paths", () => {
  it("answers 400 to a path with a NUL or other control character, or broken percent-encoding", async () => {
    for (const path of ["/files/%00", "/runs/a%01b", "/api/workflows/%0a", "/files/%E0%A4%A"]) {
      const response = await fetch(`${base}${path}`);
      expect(response.status, path).toBe(400);
    }
    expect((await fetch(`${base}/files/%C3%A9t%C3%A9`)).status).toBe(200);
  });
});

describe("the origin check on writes", () => {
  it("refuses a write whose Origin names another site with 403 and a message", async () => {
    for (const path of ["/login", "/signup", "/settings", "/workflows"]) {
      const response = await post(path, { Origin: "https://evil.example" });
      expect(response.status).toBe(403);
      expect(await response.text()).toMatch(/another site/);
    }
  });

  it("answers the JSON API's error shape under /api/", async () => {
    const response = await post("/api/workflows", { Origin: "https://evil.example" });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: { code: "cross_site_request", message: expect.any(String) } });
  });

  it("refuses an opaque origin and a cross-site Sec-Fetch-Site without Origin", async () => {
    expect((await post("/login", { Origin: "null" })).status).toBe(403);
    expect((await post("/login", { "Sec-Fetch-Site": "cross-site" })).status).toBe(403);
    expect((await post("/login", { "Sec-Fetch-Site": "same-site" })).status).toBe(403);
  });

  it("lets through the app's own pages, scripts without browser headers, and bearer-token calls", async () => {
    expect((await post("/login", { Origin: base })).status).toBe(200);
    expect((await post("/login", { "Sec-Fetch-Site": "same-origin" })).status).toBe(200);
    expect((await post("/login", {})).status).toBe(200);
    expect((await post("/api/workflows", { Origin: "https://evil.example", Authorization: "Bearer weft_x" })).status).toBe(200);
    expect((await fetch(`${base}/login`, { headers: { Origin: "https://evil.example" } })).status).toBe(200);
  });
});

describe("form body limits", () => {
  it("hands a body within the limit to the app", async () => {
    const response = await post("/login", { Origin: base }, "x".repeat(LIMIT));
    expect(await response.json()).toMatchObject({ reached: true, bodyBytes: LIMIT });
  });

  it("answers 413 to a declared length over the limit, and closes the connection", async () => {
    const response = await post("/login", { Origin: base }, "x".repeat(LIMIT + 1));
    expect(response.status).toBe(413);
    expect(response.headers.get("connection")).toBe("close");
  });

  it("cuts off a chunked body as soon as it passes the limit, without reading the rest", async () => {
    const { head, closed } = await rawRequest(
      [
        "POST /login HTTP/1.1",
        `Host: 127.0.0.1:${port}`,
        "Content-Type: application/x-www-form-urlencoded",
        "Transfer-Encoding: chunked",
        "",
        "",
      ].join("\r\n"),
      // 64 chunks of 100 bytes: far past the limit, and the request never ends.
      Array.from({ length: 64 }, () => `64\r\n${"x".repeat(100)}\r\n`),
    );
    expect(head).toMatch(/^HTTP\/1\.1 413/);
    expect(head.toLowerCase()).toContain("connection: close");
    expect(closed).toBe(true);
  });

  it("leaves the JSON API's bodies to the app", async () => {
    const response = await post("/api/workflows", { Origin: base }, "x".repeat(LIMIT * 4));
    expect(await response.json()).toMatchObject({ reached: true, bodyBytes: null });
  });
});

describe("security headers", () => {
  it("puts framing, sniffing, referrer and transport rules on every answer", async () => {
    const response = await fetch(`${base}/workflows`);
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("same-origin");
    expect(response.headers.get("strict-transport-security")).toMatch(/^max-age=\d+/);
  });

  it("gives pages a script policy with a fresh nonce per response, handed to the app", async () => {
    const first = await fetch(`${base}/workflows`);
    const second = await fetch(`${base}/workflows`);
    const policy = first.headers.get("content-security-policy")!;
    const { nonce } = await first.json();
    expect(policy).toContain(`script-src 'self' 'nonce-${nonce}'`);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("connect-src 'self' https://api.trigger.dev");
    expect((await second.json()).nonce).not.toBe(nonce);
  });

  it("sandboxes user files, the owner's and a share link's", async () => {
    for (const path of ["/files/abc", "/share/token/files/abc"]) {
      const policy = (await fetch(`${base}${path}`)).headers.get("content-security-policy");
      expect(policy).toMatch(/^sandbox;/);
    }
  });
});

/** Writes a request by hand (fetch cannot send an unending chunked body) and reads until the server closes. */
function rawRequest(head: string, chunks: string[]): Promise<{ head: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let received = "";
    socket.on("data", (data) => (received += data.toString()));
    socket.on("error", (error: NodeJS.ErrnoException) => {
      // The server may reset the socket while chunks are still on their way; what it answered counts.
      if (error.code === "ECONNRESET" || error.code === "EPIPE") return;
      reject(error);
    });
    socket.on("close", () => resolve({ head: received.split("\r\n\r\n")[0], closed: true }));
    socket.write(head);
    for (const chunk of chunks) socket.write(chunk);
  });
}
