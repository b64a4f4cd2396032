import type { Executor } from "../execution";

export const text: Executor<"text"> = async ({ params }) => ({ text: params.text });
