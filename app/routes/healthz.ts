import { json } from "@remix-run/node";
import { db } from "~/.server/db.server";

export async function loader() {
  try {
    await db.$queryRaw`SELECT 1`;
    return json({ ok: true, db: "up" });
  } catch {
    return json({ ok: false, db: "down" }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}
