import { z } from "zod";
import { defineNode } from "./types";

const percent = (fallback: number) => z.number().min(0).max(100).default(fallback);

export const cropImageNode = defineNode({
  type: "crop-image",
  label: "Crop Image",
  description: "Crops an image to a rectangle given in percent of its width and height.",
  category: "media",
  role: "compute",
  placement: "task",
  executorVersion: 1,
  inputs: [
    { id: "image_url", label: "Image", type: "image", required: true },
    { id: "x_percent", label: "X %", type: "number", inline: true },
    { id: "y_percent", label: "Y %", type: "number", inline: true },
    { id: "width_percent", label: "Width %", type: "number", inline: true },
    { id: "height_percent", label: "Height %", type: "number", inline: true },
  ],
  outputs: [{ id: "output", label: "Cropped image", type: "image" }],
  params: z
    .object({
      x_percent: percent(0),
      y_percent: percent(0),
      width_percent: percent(100),
      height_percent: percent(100),
    })
    .superRefine(
      (crop, ctx) => {
        // Messages follow the field name ("width_percent must be ..."), like the built-in ones.
        if (crop.x_percent + crop.width_percent > 100) {
          ctx.addIssue({
            code: "custom",
            path: ["width_percent"],
            message: `must be at most ${100 - crop.x_percent} when x_percent is ${crop.x_percent}, so the crop stays inside the image`,
          });
        }
        if (crop.y_percent + crop.height_percent > 100) {
          ctx.addIssue({
            code: "custom",
            path: ["height_percent"],
            message: `must be at most ${100 - crop.y_percent} when y_percent is ${crop.y_percent}, so the crop stays inside the image`,
          });
        }
      },
      // A field already out of range is reported on its own; checking the sums too would repeat it.
      { when: (payload) => payload.issues.length === 0 },
    ),
});
