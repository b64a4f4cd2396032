import { afterEach, describe, expect, it, vi } from "vitest";

// Trigger.dev's indexer and `trigger dev` load every task file, and so this module, whether or not
// the project has a database configured. Fresh copies of the module, without DATABASE_URL.

const globalForPrisma = globalThis as unknown as { weftPrisma?: unknown };
const saved = { url: process.env.DATABASE_URL, client: globalForPrisma.weftPrisma };

afterEach(() => {
  process.env.DATABASE_URL = saved.url;
  globalForPrisma.weftPrisma = saved.client;
  vi.resetModules();
});

async function loadWithoutDatabase() {
  vi.resetModules();
  delete process.env.DATABASE_URL;
  delete globalForPrisma.weftPrisma;
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
    delete globalForPrisma.weftPrisma;
    const { db } = await import("./db.server");
    expect(globalForPrisma.weftPrisma).toBeUndefined();

    await expect(db.user.count()).resolves.toEqual(expect.any(Number));
    const created = globalForPrisma.weftPrisma;
    expect(created).toBeDefined();
    await db.$queryRaw`SELECT 1`;
    expect(globalForPrisma.weftPrisma).toBe(created);
    await db.$disconnect();
  });
});
