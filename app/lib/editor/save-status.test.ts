import { describe, expect, it } from "vitest";
import { describeSave } from "./save-status";

describe("describeSave", () => {
  it("says Saved only when nothing is pending", () => {
    expect(describeSave({ save: { kind: "idle" }, revision: 3, savedRevision: 3 })).toEqual({ tone: "saved", text: "Saved" });
    expect(describeSave({ save: { kind: "idle" }, revision: 4, savedRevision: 3 })).toEqual({
      tone: "pending",
      text: "Unsaved changes",
    });
    expect(describeSave({ save: { kind: "saving" }, revision: 4, savedRevision: 3 }).text).toBe("Saving…");
  });

  it("says why a save did not happen", () => {
    expect(describeSave({ save: { kind: "invalid", message: "Crop is wrong." }, revision: 1, savedRevision: 0 })).toEqual({
      tone: "error",
      text: "Not saved: Crop is wrong.",
    });
    expect(describeSave({ save: { kind: "conflict", message: "x" }, revision: 1, savedRevision: 0 }).tone).toBe("error");
  });
});
