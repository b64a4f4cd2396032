#!/bin/sh
# `prisma generate` needs no schema engine, but the CLI insists on locating one and would try to
# download it (no network here). Pointing PRISMA_SCHEMA_ENGINE_BINARY at this script satisfies
# the lookup; anything that really needs the engine fails loudly instead. See DEVELOPERS.md.
echo "The native Prisma schema engine is not available offline; use npm run db:migrate." >&2
exit 1
