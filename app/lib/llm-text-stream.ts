import { z } from "zod";

/**
 * The realtime stream of a workflow run that carries its LLM nodes' text while Gemini writes it
 * (ADR 007): in Trigger.dev mode each run-llm task writes to its parent orchestrator run's
 * stream; in embedded mode the app serves the same stream. One stream for all nodes of a run, so
 * a browser following a run holds one connection for it, however many nodes stream at once.
 */
export const LLM_TEXT_STREAM_KEY = "llm-text";

/**
 * One piece of a node's text: `text` starts at character `offset` of the node's text so far. A
 * node that starts over (a retried request) sends offset 0, which replaces what was shown.
 */
export const LlmTextChunkSchema = z.object({
  nodeId: z.string().min(1),
  offset: z.number().int().nonnegative(),
  text: z.string(),
});
export type LlmTextChunk = z.infer<typeof LlmTextChunkSchema>;

/** The streams a run's realtime subscription carries, by key (the type `useRealtimeRunWithStreams` takes). */
export type RunStreams = { [LLM_TEXT_STREAM_KEY]: LlmTextChunk };

/**
 * Turns one node's text so far (what the executor reports after every piece Gemini sends) into
 * chunks: the new end while the text grows, the whole text when it started over. Null when
 * nothing changed.
 */
export function createTextChunker(nodeId: string): (textSoFar: string) => LlmTextChunk | null {
  let sent = "";
  return (textSoFar) => {
    if (textSoFar === sent) return null;
    const grows = textSoFar.startsWith(sent);
    const chunk = { nodeId, offset: grows ? sent.length : 0, text: grows ? textSoFar.slice(sent.length) : textSoFar };
    sent = textSoFar;
    return chunk;
  };
}

export type NodeTexts = Readonly<Record<string, string>>;

/** The nodes' texts with one more chunk applied. Chunks that do not parse are skipped. */
export function applyTextChunk(texts: NodeTexts, chunk: unknown): NodeTexts {
  const parsed = LlmTextChunkSchema.safeParse(chunk);
  if (!parsed.success) return texts;
  const { nodeId, offset, text } = parsed.data;
  return { ...texts, [nodeId]: (texts[nodeId] ?? "").slice(0, offset) + text };
}

/**
 * Folds a stream's chunks into texts by node, incrementally: the hook hands over the whole list
 * of chunks received so far each time, and a long answer arrives in hundreds of them.
 */
export function createTextFold(): (chunks: readonly unknown[]) => NodeTexts {
  let folded: readonly unknown[] = [];
  let texts: NodeTexts = {};
  return (chunks) => {
    // A list that is not the one folded so far, grown (a new subscription): fold it from the start.
    const continues = chunks.length >= folded.length && (folded.length === 0 || chunks[folded.length - 1] === folded[folded.length - 1]);
    let next = continues ? texts : {};
    for (let index = continues ? folded.length : 0; index < chunks.length; index++) next = applyTextChunk(next, chunks[index]);
    folded = chunks;
    texts = next;
    return texts;
  };
}
