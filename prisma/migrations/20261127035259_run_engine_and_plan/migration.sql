-- CreateEnum
CREATE TYPE "RunEngine" AS ENUM ('embedded', 'trigger');

-- AlterTable
ALTER TABLE "WorkflowRun" ADD COLUMN     "engine" "RunEngine" NOT NULL DEFAULT 'embedded',
ADD COLUMN     "plan" JSONB;
