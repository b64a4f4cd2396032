import { describe, expect, it } from "vitest";
import type { LlmTextChunk } from "~/lib/llm-text-stream";
import { createAccessToken } from "../engine/access-token.server";
import { RunEvents } from "../engine/run-events.server";
import { textStreamResponse } from "./text-stream.server";
import { createTestRun, progressSteps } from "./test-support";

interface SseEvent {
  id: string;
  chunk: LlmTextChunk;
}

function request(engineRunId: string, headers: Record<string, string> = {}, token: string | null = createAccessToken(engineRunId)) {
  return new Request(`http://localhost/realtime/v1/streams/${engineRunId}/llm-text`, {
    headers: { ...headers, ...(token === null ? {} : { Authorization: `Bearer ${token}` }) },
  });
}

/** The events of a whole response body (it must end for this to return). */
async function events(response: Response): Promise<SseEvent[]> {
  const text = await response.text();
  return text
    .split("\n\n")
    .filter((block) => block.startsWith("id: "))
    .map((block) => {
      const [idLine, dataLine] = block.split("\n");
      return { id: idLine.slice("id: ".length), chunk: JSON.parse(dataLine.slice("data: ".length)) as LlmTextChunk };
    });
}

const chunk = (text: string, offset = 0): LlmTextChunk => ({ nodeId: "llm", offset, text });

describe("an embedded run's LLM text stream", () => {
  it("refuses requests without the run's token, for other streams and for unknown runs", async () => {
    const { engineRunId } = await createTestRun({ status: "running" });
    const other = await createTestRun({ status: "running" });
    const events = new RunEvents();
    expect((await textStreamResponse(request(engineRunId, {}, null), engineRunId, "llm-text", { events })).status).toBe(401);
    const foreign = request(engineRunId, {}, createAccessToken(other.engineRunId));
    expect((await textStreamResponse(foreign, engineRunId, "llm-text", { events })).status).toBe(403);
    expect((await textStreamResponse(request(engineRunId), engineRunId, "other", { events })).status).toBe(404);
    const unknown = "run_unknown";
    expect((await textStreamResponse(request(unknown), unknown, "llm-text", { events })).status).toBe(404);
  });

  it("replays what was said, follows the run live as Server-Sent Events, and ends with it", async () => {
    const { runId, engineRunId } = await createTestRun({ status: "running" });
    const steps = progressSteps(runId);
    const runEvents = new RunEvents();
    runEvents.publish(engineRunId, steps.started);
    runEvents.appendText(engineRunId, chunk("An old "));

    const response = await textStreamResponse(request(engineRunId), engineRunId, "llm-text", { events: runEvents });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/^text\/event-stream/);
    expect(response.headers.get("X-Stream-Version")).toBe("v1");
    const reading = events(response);

    setTimeout(() => {
      runEvents.appendText(engineRunId, chunk("silent pond", 7));
      runEvents.publish(engineRunId, steps.finished);
    }, 20);
    const received = await reading;
    expect(received.map((event) => event.chunk)).toEqual([chunk("An old "), chunk("silent pond", 7)]);
    // The SDK reads the time before the dash of a v1 event id.
    expect(Number(received[0].id.split("-")[0])).toBeGreaterThan(Date.now() - 60_000);
  });

  it("resumes after the client's Last-Event-ID, and starts over for an id from another process", async () => {
    const { runId, engineRunId } = await createTestRun({ status: "running" });
    const runEvents = new RunEvents();
    runEvents.publish(engineRunId, progressSteps(runId).started);
    for (const [index, text] of ["one ", "two ", "three"].entries()) runEvents.appendText(engineRunId, chunk(text, index * 4));
    runEvents.publish(engineRunId, progressSteps(runId).finished);

    const all = await events(await textStreamResponse(request(engineRunId), engineRunId, "llm-text", { events: runEvents }));
    expect(all).toHaveLength(3);
    const resumed = await textStreamResponse(request(engineRunId, { "Last-Event-ID": all[0].id }), engineRunId, "llm-text", {
      events: runEvents,
    });
    expect((await events(resumed)).map((event) => event.chunk.text)).toEqual(["two ", "three"]);

    const fromBeforeRestart = request(engineRunId, { "Last-Event-ID": "1700000000000-oldproc.1" });
    const restarted = await textStreamResponse(fromBeforeRestart, engineRunId, "llm-text", { events: runEvents });
    expect(await events(restarted)).toHaveLength(3);
  });

  it("is empty and ended for a run this process does not hold", async () => {
    const { engineRunId } = await createTestRun({ status: "completed" });
    const response = await textStreamResponse(request(engineRunId), engineRunId, "llm-text", { events: new RunEvents() });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
  });

  it("keeps an idle connection alive with comments", async () => {
    const { runId, engineRunId } = await createTestRun({ status: "running" });
    const runEvents = new RunEvents();
    runEvents.publish(engineRunId, progressSteps(runId).started);
    const response = await textStreamResponse(request(engineRunId), engineRunId, "llm-text", { events: runEvents, keepAliveMs: 10 });
    setTimeout(() => runEvents.publish(engineRunId, progressSteps(runId).finished), 60);
    expect(await response.text()).toContain(": keep-alive\n\n");
  });
});
