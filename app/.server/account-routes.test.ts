// Route modules are tested from here because every file under app/routes becomes a route.
import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { action as loginAction } from "~/routes/login";
import { action as signupAction } from "~/routes/signup";
import { createAuthThrottle, IP_WINDOW_MS, replaceAuthThrottle } from "./auth-throttle.server";
import { hashPassword } from "./auth.server";
import { db } from "./db.server";
import { respond, TEST_ORIGIN } from "~test/route-helpers";

let clock = 0;
beforeEach(() => {
  clock = Date.parse("2026-12-03T12:00:00Z");
  replaceAuthThrottle(createAuthThrottle({ attemptsPerIp: 4, failuresPerAccount: 2, now: () => clock }));
});
afterEach(() => replaceAuthThrottle(createAuthThrottle({ attemptsPerIp: 1000, failuresPerAccount: 1000 })));

function formRequest(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return new Request(`${TEST_ORIGIN}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: TEST_ORIGIN, ...headers },
    body: new URLSearchParams(fields),
  });
}

/** What the browser gets: a Response (redirect, thrown error) or the action's `data()`. */
async function outcome(run: () => Promise<unknown>): Promise<{ status: number; headers: Headers }> {
  let result: unknown;
  try {
    result = await run();
  } catch (thrown) {
    result = thrown;
  }
  if (result instanceof Response) return { status: result.status, headers: result.headers };
  const init = (result as { init?: { status?: number; headers?: HeadersInit } }).init;
  return { status: init?.status ?? 200, headers: new Headers(init?.headers) };
}

async function login(fields: Record<string, string>, address = "10.0.0.1", headers: Record<string, string> = {}) {
  return outcome(() => loginAction({ request: formRequest("/login", fields, headers), params: {}, context: { clientAddress: address } }));
}

async function userWithPassword(password: string) {
  const email = `login-${randomUUID()}@example.com`;
  await db.user.create({ data: { email, passwordHash: await hashPassword(password) } });
  return email;
}

describe("login and sign-up bodies that are not forms", () => {
  for (const [name, action] of [
    ["login", loginAction],
    ["signup", signupAction],
  ] as const) {
    it(`${name}: a JSON body answers 415, an empty one too, not a 500`, async () => {
      const json = new Request(`${TEST_ORIGIN}/${name}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Origin: TEST_ORIGIN },
        body: JSON.stringify({ email: "a@b.c", password: "x" }),
      });
      expect((await respond(() => action({ request: json, params: {}, context: {} }))).status).toBe(415);
      const empty = new Request(`${TEST_ORIGIN}/${name}`, { method: "POST", headers: { Origin: TEST_ORIGIN } });
      expect((await respond(() => action({ request: empty, params: {}, context: {} }))).status).toBe(415);
    });
  }

  it("a form body that does not parse answers 400", async () => {
    const broken = new Request(`${TEST_ORIGIN}/login`, {
      method: "POST",
      headers: { "Content-Type": "multipart/form-data; boundary=x", Origin: TEST_ORIGIN },
      body: "not multipart at all",
    });
    expect((await respond(() => loginAction({ request: broken, params: {}, context: {} }))).status).toBe(400);
  });
});

// Every attempt that gets as far as the password costs a real scrypt hash (~0.4 s, more on a busy machine).
describe("login throttling", { timeout: 120_000 }, () => {
  it("after the allowed wrong passwords, the account waits (429 with Retry-After), doubling", async () => {
    const email = await userWithPassword("right password");
    // From a new address each time: this is the account's limit, not the address's.
    let address = 0;
    const tryPassword = (password: string) => login({ email, password }, `10.1.0.${(address += 1)}`);
    expect((await tryPassword("wrong")).status).toBe(401);
    expect((await tryPassword("wrong")).status).toBe(401);
    const blocked = await tryPassword("right password");
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get("Retry-After")).toBe("1");
    clock += 1000;
    expect((await tryPassword("wrong")).status).toBe(401);
    const longer = await tryPassword("right password");
    expect(longer.headers.get("Retry-After")).toBe("2");
    clock += 2000;
    // The right password still works once the wait is over, and ends the backoff.
    expect((await tryPassword("right password")).status).toBe(302);
    expect((await tryPassword("wrong")).status).toBe(401);
  });

  it("limits attempts per client address across accounts, until the window has passed", async () => {
    for (let attempt = 0; attempt < 4; attempt += 1) {
      expect((await login({ email: `nobody-${attempt}@example.com`, password: "x" }, "10.0.0.9")).status).toBe(401);
    }
    const blocked = await login({ email: "someone@example.com", password: "x" }, "10.0.0.9");
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("Retry-After"))).toBe(IP_WINDOW_MS / 1000);
    // Another address is not affected.
    expect((await login({ email: "someone@example.com", password: "x" }, "10.0.0.10")).status).toBe(401);
    clock += IP_WINDOW_MS;
    expect((await login({ email: "someone@example.com", password: "x" }, "10.0.0.9")).status).toBe(401);
  });

  it("counts sign-ups against the same per-address limit", async () => {
    const signup = (index: number) =>
      outcome(() =>
        signupAction({
          request: formRequest("/signup", { email: `x-${index}@example.com`, password: "short" }),
          params: {},
          context: { clientAddress: "10.0.0.20" },
        }),
      );
    // Too-short passwords are refused before any hashing and do not count.
    expect((await signup(0)).status).toBe(400);
    for (let attempt = 0; attempt < 4; attempt += 1) await login({ email: `n-${attempt}@example.com`, password: "x" }, "10.0.0.20");
    const blocked = await outcome(() =>
      signupAction({
        request: formRequest("/signup", { email: `new-${randomUUID()}@example.com`, password: "long enough password" }),
        params: {},
        context: { clientAddress: "10.0.0.20" },
      }),
    );
    expect(blocked.status).toBe(429);
  });
});

describe("login sessions", { timeout: 60_000 }, () => {
  it("logging in ends the session the browser had before, and remakes a weaker password hash", async () => {
    const email = `old-${randomUUID()}@example.com`;
    const user = await db.user.create({
      data: { email, passwordHash: "placeholder" },
    });
    // A hash as Weft made them before its cost was raised (N=2^15, p=1).
    const crypto = await import("node:crypto");
    const salt = crypto.randomBytes(16);
    const old = crypto.scryptSync("old password", salt, 64, { N: 2 ** 15, r: 8, p: 1, maxmem: 2 ** 26 });
    await db.user.update({
      where: { id: user.id },
      data: { passwordHash: ["scrypt", 2 ** 15, 8, 1, salt.toString("base64"), old.toString("base64")].join("$") },
    });
    const earlier = await db.session.create({
      data: { userId: user.id, tokenHash: `x-${randomUUID()}`, expiresAt: new Date(Date.now() + 60_000) },
    });
    const first = await login({ email, password: "old password" });
    expect(first.status).toBe(302);
    const cookie = first.headers.get("Set-Cookie")!.split(";")[0];
    const second = await login({ email, password: "old password" }, "10.0.0.1", { Cookie: cookie });
    expect(second.status).toBe(302);
    const sessions = await db.session.findMany({ where: { userId: user.id } });
    expect(sessions).toHaveLength(2);
    expect(sessions.map((session) => session.id)).toContain(earlier.id);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toMatch(/^scrypt\$65536\$8\$2\$/);
  });
});
