import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";
import { env } from "./env.server";

export { Prisma } from "./generated/prisma/client";

// One client per process; kept on globalThis so Vite's dev reloads do not open new pools.
const globalForPrisma = globalThis as unknown as { weftPrisma?: PrismaClient };

function createClient() {
  const url = env().DATABASE_URL;
  if (!url) {
    throw new Error("DATABASE_URL is not set: start the app with `npm run dev` or `npm start`, which provide one.");
  }
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
}

export const db: PrismaClient = (globalForPrisma.weftPrisma ??= createClient());
