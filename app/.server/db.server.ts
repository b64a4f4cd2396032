import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";
import { env } from "./env.server";
import { remember } from "./remember.server";

export { Prisma } from "./generated/prisma/client";

/** Thrown on the first query when there is no database to reach. */
export class DatabaseNotConfiguredError extends Error {
  constructor() {
    super(
      "DATABASE_URL is not set. The app sets it itself (`npm run dev`, `npm start`: the embedded " +
        "database unless you give one); Trigger.dev tasks need it among the project's environment " +
        "variables, pointing at a PostgreSQL both the app and the workers reach.",
    );
    this.name = "DatabaseNotConfiguredError";
  }
}

/** One client (and pool) per process, made on the first query. */
function client(): PrismaClient {
  return remember("prisma", () => {
    const url = env().DATABASE_URL;
    if (!url) throw new DatabaseNotConfiguredError();
    return new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
  });
}

/**
 * The Prisma client, created on first use rather than when this module loads: Trigger.dev's
 * indexer and `trigger dev` import every task file (and so this module) to read the task
 * definitions, with or without a database. A task that queries without one fails with a message
 * naming the variable its Trigger.dev project lacks.
 */
export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const real = client();
    const value: unknown = Reflect.get(real, property, real);
    return typeof value === "function" ? value.bind(real) : value;
  },
});
