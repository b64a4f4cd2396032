import { afterEach, describe, expect, it, vi } from "vitest";

// Trigger.dev's indexer and `trigger dev` load every task file, and so this module, whether or not
// the project has a database configured. Fresh copies of the module, without DATABASE_URL.

// The process's client, where remember() (remember.server.ts) keeps it.
const singletons = () => ((globalThis as unknown as { weftSingletons?: Map<string, unknown> }).weftSingletons ??= new Map());
const saved = { url: process.env.DATABASE_URL, client: singletons().get("prisma") };

afterEach(() => {
  process.env.DATABASE_URL = saved.url;
  if (saved.client === undefined) singletons().delete("prisma");
  else singletons().set("prisma", saved.client);
  vi.resetModules();
});

async function loadWithoutDatabase() {
  vi.resetModules();
  delete process.env.DATABASE_URL;
  singletons().delete("prisma");
  return import("./db.server");
}

describe("db", () => {
  it("loads without DATABASE_URL, and the first query says which variable is missing", async () => {
    const { db, DatabaseNotConfiguredError } = await loadWithoutDatabase();

    await expect(async () => db.user.count()).rejects.toThrow(DatabaseNotConfiguredError);
    await expect(async () => db.user.count()).rejects.toThrow(/DATABASE_URL is not set.*Trigger\.dev tasks need it/s);
  });

  it("creates one client on first use and queries through it", async () => {
    vi.resetModules();
    singletons().delete("prisma");
    const { db } = await import("./db.server");
    expect(singletons().get("prisma")).toBeUndefined();

    await expect(db.user.count()).resolves.toEqual(expect.any(Number));
    const created = singletons().get("prisma");
    expect(created).toBeDefined();
    await db.$queryRaw`SELECT 1`;
    expect(singletons().get("prisma")).toBe(created);
    await db.$disconnect();
  });
});
