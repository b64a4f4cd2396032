import { describe, expect, it } from "vitest";
import { readUploadResponse } from "./upload-asset";

describe("readUploadResponse", () => {
  it("returns the stored asset", () => {
    const asset = { id: "a1", url: "/files/a1", mime: "image/png", bytes: 10, sha256: "x" };
    expect(readUploadResponse(201, JSON.stringify({ asset }))).toEqual({ ok: true, asset });
  });

  it("passes on the server's reason for refusing a file", () => {
    const body = { error: { code: "unsupported_media_type", message: "This file is not a jpg, png, webp or gif image." } };
    expect(readUploadResponse(415, JSON.stringify(body))).toEqual({
      ok: false,
      message: "This file is not a jpg, png, webp or gif image.",
    });
  });

  it("still explains a refusal without a JSON body", () => {
    expect(readUploadResponse(413, "<html>too big</html>")).toEqual({ ok: false, message: "This file is too large to upload." });
    expect(readUploadResponse(502, "")).toEqual({ ok: false, message: "The upload failed (the server answered 502)." });
  });
});
