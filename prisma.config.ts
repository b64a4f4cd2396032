import { defineConfig } from "prisma/config";

// The URL only matters to CLI commands that talk to a database (`prisma migrate deploy`,
// `prisma studio`); `prisma generate` needs none, so a fresh checkout generates without one.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/weft" },
});
