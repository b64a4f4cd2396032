import { randomUUID } from "node:crypto";
import { db } from "~/.server/db.server";

/**
 * The one way tests make a user: a bare account (no sample workflow) with a unique email, so
 * tests sharing the database never see each other's data. Returns its id.
 */
export async function createTestUser(label = "user"): Promise<string> {
  const user = await db.user.create({ data: { email: `${label}-${randomUUID()}@example.com`, passwordHash: "unused" } });
  return user.id;
}
