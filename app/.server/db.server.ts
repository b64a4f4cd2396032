import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";
import { env } from "./env.server";
import { remember } from "./remember.server";

export { Prisma } from "./generated/prisma/client";

function createClient() {
  const url = env().DATABASE_URL;
  if (!url) {
    throw new Error("DATABASE_URL is not set: start the app with `npm run dev` or `npm start`, which provide one.");
  }
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
}

/** One client (and pool) per process. */
export const db: PrismaClient = remember("prisma", createClient);
