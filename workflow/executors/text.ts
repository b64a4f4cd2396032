import type { Executor } from "../values";

export const text: Executor<"text"> = async ({ params }) => ({ text: params.text });
