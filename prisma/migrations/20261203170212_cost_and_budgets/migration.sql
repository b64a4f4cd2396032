-- AlterTable
ALTER TABLE "User" ADD COLUMN     "monthlyBudgetUsd" DOUBLE PRECISION,
ADD COLUMN     "perRunCapUsd" DOUBLE PRECISION;

-- AlterTable
ALTER TABLE "WorkflowRun" ADD COLUMN     "costUsd" DOUBLE PRECISION NOT NULL DEFAULT 0,
ADD COLUMN     "estimate" JSONB;

-- AlterTable
ALTER TABLE "NodeExecution" ADD COLUMN     "costUsd" DOUBLE PRECISION,
ADD COLUMN     "usage" JSONB;

-- CreateIndex
CREATE INDEX "WorkflowRun_ownerId_createdAt_idx" ON "WorkflowRun"("ownerId", "createdAt");
