import { taskContext } from "@trigger.dev/core/v3";
import { AbortTaskRunError } from "@trigger.dev/sdk";
import { env } from "~/.server/env.server";

/**
 * What a task needs from its Trigger.dev project's environment variables, checked before it does
 * anything, so a misconfigured project fails each run at once, without retries, with a message
 * naming the variable, instead of deep inside a query or by writing files where nobody finds them.
 * - DATABASE_URL always: the tasks read and write the app's database.
 * - S3_BUCKET outside development: deployed workers have their own temporary disk, not the app's,
 *   so local storage would hand the app asset rows whose files it can never serve. Under
 *   `trigger dev` the tasks run on the developer's machine and share WEFT_DATA_DIR with the app.
 */
export function checkTaskEnvironment(): void {
  const config = env();
  const environment = taskContext.ctx?.environment;
  const where = environment ? `the Trigger.dev project's ${environment.slug} environment` : "the Trigger.dev project's environment";
  if (!config.DATABASE_URL) {
    throw new AbortTaskRunError(
      `DATABASE_URL is not set in ${where}: set it to a PostgreSQL both the app and the workers reach (not the app's embedded database).`,
    );
  }
  if (!config.S3_BUCKET && environment && environment.type !== "DEVELOPMENT") {
    throw new AbortTaskRunError(
      `S3_BUCKET is not set in ${where}: deployed workers cannot reach the app's disk, so uploads and results must live in a bucket both reach. Set S3_BUCKET (and S3_REGION, S3_ENDPOINT, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY as needed) to the app's values.`,
    );
  }
}
