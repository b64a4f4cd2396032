import type { ExecutorMap } from "../execution";
import { concatVideos } from "./concat-videos";
import { cropImage } from "./crop-image";
import { extractFrame } from "./extract-frame";
import { generateImage } from "./generate-image";
import { generateVideo } from "./generate-video";
import { resizeImage } from "./resize-image";
import { runLlm } from "./run-llm";
import { text } from "./text";
import { trimVideo } from "./trim-video";
import { uploadImage } from "./upload-image";
import { uploadVideo } from "./upload-video";

/** One executor per node type; `satisfies` makes a missing one a compile error. */
export const executors = {
  text,
  "upload-image": uploadImage,
  "upload-video": uploadVideo,
  "run-llm": runLlm,
  "generate-image": generateImage,
  "crop-image": cropImage,
  "extract-frame": extractFrame,
  "resize-image": resizeImage,
  "trim-video": trimVideo,
  "concat-videos": concatVideos,
  "generate-video": generateVideo,
} satisfies ExecutorMap;
