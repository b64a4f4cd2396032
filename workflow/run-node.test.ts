import { describe, expect, it } from "vitest";
import type { RunNodeRequest } from "./host";
import { createInProcessRunNode } from "./run-node";
import { media } from "./test-support";
import type { ExecutionContext, ExecutorMap, LlmSettings, MediaStore } from "./execution";

const mediaStore: MediaStore = {
  getAsset: () => Promise.reject(new Error("not used")),
  localPath: () => Promise.reject(new Error("not used")),
  saveFile: () => Promise.reject(new Error("not used")),
};
const llm: LlmSettings = { apiKey: "key", baseUrl: "http://127.0.0.1:1", timeoutMs: 1000 };

function recordingExecutors(contexts: ExecutionContext<never>[]): ExecutorMap {
  const executor = async (context: ExecutionContext<never>) => {
    contexts.push(context);
    return { output: `ran ${context.nodeId}` };
  };
  return {
    text: executor,
    "upload-image": executor,
    "upload-video": executor,
    "run-llm": executor,
    "generate-image": executor,
    "crop-image": executor,
    "extract-frame": executor,
    "resize-image": executor,
    "trim-video": executor,
    "concat-videos": executor,
    "generate-video": executor,
  };
}

describe("createInProcessRunNode", () => {
  const request = (signal: AbortSignal): RunNodeRequest => ({
    runId: "run-1",
    nodeId: "crop",
    nodeType: "crop-image",
    params: { x_percent: 0, y_percent: 0, width_percent: 50, height_percent: 50 },
    inputs: { image_url: media("photo") },
    signal,
  });

  it("runs the executor of the node's type with the request and the services", async () => {
    const contexts: ExecutionContext<never>[] = [];
    const executors = recordingExecutors(contexts);
    const cropped: ExecutionContext<"crop-image">[] = [];
    executors["crop-image"] = async (context) => {
      cropped.push(context);
      return { output: media("cropped") };
    };
    const runNode = createInProcessRunNode(executors, { media: mediaStore, llm });
    const signal = new AbortController().signal;

    await expect(runNode(request(signal))).resolves.toEqual({ output: media("cropped") });
    expect(contexts).toEqual([]);
    expect(cropped[0]).toMatchObject({
      nodeId: "crop",
      params: { width_percent: 50 },
      inputs: { image_url: media("photo") },
      signal,
      media: mediaStore,
      llm,
    });
  });

  it("does not start an execution for a cancelled run", async () => {
    const contexts: ExecutionContext<never>[] = [];
    const runNode = createInProcessRunNode(recordingExecutors(contexts), { media: mediaStore, llm });
    await expect(runNode(request(AbortSignal.abort()))).rejects.toMatchObject({ name: "AbortError" });
    expect(contexts).toEqual([]);
  });
});
