import { hashPassword, needsRehash, verifyPassword } from "~/.server/auth.server";
import { db } from "~/.server/db.server";
import { Prisma } from "~/.server/generated/prisma/client";
import { copyTemplate } from "~/.server/models/workflow.server";
import { storeSampleMedia } from "~/.server/sample-assets.server";
import { normalizeEmail } from "~/lib/account";
import { productMarketingKit } from "~workflow/templates";

/** What the app may know about a user; the password hash never leaves this module. */
const PUBLIC_USER = { id: true, email: true, createdAt: true } as const;

export type PublicUser = Prisma.UserGetPayload<{ select: typeof PUBLIC_USER }>;

export type CreateUserResult = { ok: true; user: PublicUser } | { ok: false; reason: "email_taken" };

/**
 * Creates the account together with its copy of the sample workflow and the sample photo and
 * video it uses: all or nothing. The sample files' bytes are stored first (once for everyone,
 * storage being content-addressed); the rows naming them are part of the transaction.
 */
export async function createUser({ email, password }: { email: string; password: string }): Promise<CreateUserResult> {
  const normalized = normalizeEmail(email);
  const [passwordHash, samples] = await Promise.all([hashPassword(password), storeSampleMedia()]);
  try {
    const user = await db.$transaction(async (tx) => {
      const created = await tx.user.create({ data: { email: normalized, passwordHash }, select: PUBLIC_USER });
      await copyTemplate(tx, created.id, productMarketingKit, samples);
      return created;
    });
    return { ok: true, user };
  } catch (error) {
    // No "does it exist?" query first: the unique index is the only check two concurrent sign-ups cannot both pass.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      return { ok: false, reason: "email_taken" };
    }
    throw error;
  }
}

export async function verifyLogin(email: string, password: string): Promise<PublicUser | null> {
  const user = await db.user.findUnique({ where: { email: normalizeEmail(email) } });
  if (!user) {
    // Spend the same hashing time as a real check, so response times do not reveal which emails have accounts.
    await hashPassword(password);
    return null;
  }
  if (!(await verifyPassword(password, user.passwordHash))) return null;
  // The moment the password is known is the only one at which a weaker hash can be remade.
  if (needsRehash(user.passwordHash)) {
    await db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(password) } });
  }
  return { id: user.id, email: user.email, createdAt: user.createdAt };
}

export async function getUserById(id: string): Promise<PublicUser | null> {
  return db.user.findUnique({ where: { id }, select: PUBLIC_USER });
}
