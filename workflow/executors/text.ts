import type { Executor } from "../types";

export const text: Executor<"text"> = async ({ params }) => ({ text: params.text });
