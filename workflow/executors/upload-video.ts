import { type Executor, NodeError } from "../execution";

export const uploadVideo: Executor<"upload-video"> = async ({ params, media }) => {
  if (params.assetId === null) throw new NodeError("Upload a video first.");
  return { video: await media.getAsset(params.assetId, "video") };
};
