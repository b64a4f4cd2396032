import { type Executor, NodeError } from "../execution";

export const uploadImage: Executor<"upload-image"> = async ({ params, media }) => {
  if (params.assetId === null) throw new NodeError("Upload an image first.");
  return { image: await media.getAsset(params.assetId, "image") };
};
