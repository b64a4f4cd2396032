import { describe, expect, it } from "vitest";
import { editorShortcut } from "./shortcuts";

const press = (key: string, modifiers: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}) =>
  editorShortcut({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...modifiers });

describe("editorShortcut", () => {
  it("maps Ctrl and Cmd combinations to editor commands", () => {
    expect(press("z", { ctrlKey: true })).toBe("undo");
    expect(press("z", { metaKey: true })).toBe("undo");
    expect(press("Z", { ctrlKey: true, shiftKey: true })).toBe("redo");
    expect(press("z", { metaKey: true, shiftKey: true })).toBe("redo");
    expect(press("y", { ctrlKey: true })).toBe("redo");
    expect(press("c", { ctrlKey: true })).toBe("copy");
    expect(press("v", { metaKey: true })).toBe("paste");
    expect(press("d", { ctrlKey: true })).toBe("duplicate");
  });

  it("ignores plain keys and other combinations", () => {
    expect(press("z")).toBeNull();
    expect(press("z", { ctrlKey: true, altKey: true })).toBeNull();
    expect(press("x", { ctrlKey: true })).toBeNull();
    expect(press("c", { ctrlKey: true, shiftKey: true })).toBeNull();
  });
});
