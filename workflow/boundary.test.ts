import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// The lint rule in eslint.config.js is what keeps the core framework-free; these tests make sure
// it refuses what it should (and would fail if the rule were dropped or its patterns broke).

async function importErrors(code: string, filePath: string): Promise<string[]> {
  const [result] = await new ESLint().lintText(code, { filePath });
  return result.messages.filter((message) => message.ruleId === "no-restricted-imports").map((message) => message.message);
}

describe("the workflow core's import boundary", () => {
  it.each([
    'import { db } from "~/.server/db.server";',
    'import { names } from "~trigger/names";',
    'import { x } from "../app/lib/anything";',
    'import { y } from "../../server/index";',
    'import { json } from "@remix-run/node";',
    'import { PrismaClient } from "@prisma/client";',
    'import { task } from "@trigger.dev/sdk";',
    'import { useState } from "react";',
  ])("refuses %s inside workflow/", async (line) => {
    expect(await importErrors(`${line}\nexport const used = 1;\n`, "workflow/executors/example.ts")).toHaveLength(1);
  });

  it("allows the core's own modules and plain libraries, and leaves the app alone", async () => {
    const core = 'import { z } from "zod";\nimport { GraphSchema } from "./graph";\nexport const used = [z, GraphSchema];\n';
    expect(await importErrors(core, "workflow/example.ts")).toEqual([]);
    const app = 'import { db } from "~/.server/db.server";\nexport const used = db;\n';
    expect(await importErrors(app, "app/lib/example.ts")).toEqual([]);
  });
});
