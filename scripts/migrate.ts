/** `npm run db:migrate`: applies pending migrations to DATABASE_URL (offline; see ADR 002). */
import { migrate } from "../server/migrate";

const url = process.env.DATABASE_URL;
if (!url) {
  process.stderr.write("Set DATABASE_URL. (npm run dev and npm start migrate the embedded database themselves.)\n");
  process.exit(1);
}
const { applied } = await migrate(url);
process.stdout.write(applied.length ? `Applied: ${applied.join(", ")}\n` : "Database is up to date.\n");
